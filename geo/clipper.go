package geo

import (
	"fmt"
	"sync"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// clipTileVertices is the most vertices a tile of a Clipper holds.
const clipTileVertices = 500

// Clipper intersects many polygons with one fixed MultiPolygon, such as
// Voronoi cells with a national boundary, without paying for the whole
// fixed polygon every time: it is validated once and cut into tiles of at
// most a few thousand vertices, and each intersection only overlays the
// tiles its operand's bounding box meets. Like Intersect it is planar.
// A Clipper may be used from several goroutines at once.
type Clipper struct {
	tiles []geom.Geometry
	tree  rtree.RTreeG[int]
}

// NewClipper validates mp and prepares it for Intersect.
func NewClipper(mp orb.MultiPolygon) (*Clipper, error) {
	g, err := toGeom(mp)
	if err != nil {
		return nil, fmt.Errorf("clipper: %w", err)
	}
	c := &Clipper{}
	if c.tiles, err = split(g, g.Envelope(), 0); err != nil {
		return nil, fmt.Errorf("clipper: %w", err)
	}
	for i, t := range c.tiles {
		lo, hi, _ := t.Envelope().MinMaxXYs()
		c.tree.Insert([2]float64{lo.X, lo.Y}, [2]float64{hi.X, hi.Y}, i)
	}
	return c, nil
}

// split cuts g, which lies within env, in halves across the longer side of
// env until each piece is small. The first levels run their halves on two
// goroutines.
func split(g geom.Geometry, env geom.Envelope, depth int) ([]geom.Geometry, error) {
	if g.IsEmpty() {
		return nil, nil
	}
	if g.DumpCoordinates().Length() <= clipTileVertices {
		return []geom.Geometry{g}, nil
	}
	lo, hi, _ := env.MinMaxXYs()
	var halves [2]geom.Envelope
	if hi.X-lo.X >= hi.Y-lo.Y {
		mid := (lo.X + hi.X) / 2
		halves[0] = geom.NewEnvelope(lo, geom.XY{X: mid, Y: hi.Y})
		halves[1] = geom.NewEnvelope(geom.XY{X: mid, Y: lo.Y}, hi)
	} else {
		mid := (lo.Y + hi.Y) / 2
		halves[0] = geom.NewEnvelope(lo, geom.XY{X: hi.X, Y: mid})
		halves[1] = geom.NewEnvelope(geom.XY{X: lo.X, Y: mid}, hi)
	}
	var tiles [2][]geom.Geometry
	var errs [2]error
	half := func(k int) {
		part, err := geom.Intersection(g, halves[k].AsGeometry())
		if err != nil {
			errs[k] = err
			return
		}
		tiles[k], errs[k] = split(areal(part), halves[k], depth+1)
	}
	if depth < 4 {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); half(0) }()
		half(1)
		wg.Wait()
	} else {
		half(0)
		half(1)
	}
	if errs[0] != nil {
		return nil, errs[0]
	}
	if errs[1] != nil {
		return nil, errs[1]
	}
	return append(tiles[0], tiles[1]...), nil
}

// areal keeps the polygons of g (an intersection may add lines and points
// where pieces only touch).
func areal(g geom.Geometry) geom.Geometry {
	if g.IsPolygon() || g.IsMultiPolygon() {
		return g
	}
	var polys []geom.Polygon
	for _, p := range fromGeom(g) {
		polys = append(polys, toGeomPolygonNoValidate(p))
	}
	return geom.NewMultiPolygon(polys).AsGeometry()
}

func toGeomPolygonNoValidate(p orb.Polygon) geom.Polygon {
	rings := make([]geom.LineString, 0, len(p))
	for _, r := range p {
		xy := make([]float64, 0, 2*len(r))
		for _, pt := range r {
			xy = append(xy, pt[0], pt[1])
		}
		rings = append(rings, geom.NewLineString(geom.NewSequence(xy, geom.DimXY)))
	}
	return geom.NewPolygon(rings)
}

// Intersect returns the area common to a and the Clipper's polygon, with
// exterior rings counter-clockwise and holes clockwise, as Intersect does.
func (c *Clipper) Intersect(a orb.MultiPolygon) (orb.MultiPolygon, error) {
	if len(a) == 0 {
		return nil, nil
	}
	ga, err := toGeom(a)
	if err != nil {
		return nil, fmt.Errorf("intersect: first operand: %w", err)
	}
	b := a.Bound()
	var pieces []geom.Geometry
	var errOut error
	c.tree.Search(b.Min, b.Max, func(_, _ [2]float64, i int) bool {
		g, err := geom.Intersection(ga, c.tiles[i])
		if err != nil {
			errOut = fmt.Errorf("intersect: %w", err)
			return false
		}
		if g = areal(g); !g.IsEmpty() {
			pieces = append(pieces, g)
		}
		return true
	})
	switch {
	case errOut != nil:
		return nil, errOut
	case len(pieces) == 0:
		return nil, nil
	case len(pieces) == 1:
		return fromGeom(pieces[0]), nil
	}
	// Pieces from neighbouring tiles share the tiles' cut lines.
	u, err := geom.UnionMany(pieces)
	if err != nil {
		return nil, fmt.Errorf("intersect: join tiles: %w", err)
	}
	return fromGeom(u), nil
}
