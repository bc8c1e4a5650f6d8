package geo

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// Clipper intersects many polygons with one fixed MultiPolygon, such as
// Voronoi cells with a national boundary, without paying for the whole
// fixed polygon every time. The fixed polygon is validated once and its
// edges indexed. An operand whose rings cross no edge of the fixed polygon
// is inside it or outside it as a whole, which a point-in-polygon test
// decides; only an operand that crosses or touches the fixed polygon's
// boundary goes through the general overlay, against the fixed polygon cut
// to the operand's neighbourhood. Like Intersect it is planar.
// A Clipper may be used from several goroutines at once.
type Clipper struct {
	polys    []orb.Polygon // closed rings
	bounds   [][]orb.Bound // of each ring
	polyTree rtree.RTreeG[int]
	edges    []clipEdge
	edgeTree rtree.RTreeG[int]
}

// clipEdge is edge i (from point i to i+1) of ring r of polygon p.
type clipEdge struct{ p, r, i int32 }

// NewClipper validates mp and prepares it for Intersect.
func NewClipper(mp orb.MultiPolygon) (*Clipper, error) {
	if _, err := toGeom(mp); err != nil {
		return nil, fmt.Errorf("clipper: %w", err)
	}
	c := &Clipper{}
	for _, p := range mp {
		// Closed, exterior counter-clockwise, holes clockwise: the area is
		// on the left of every ring.
		poly := orientedCopy(p)
		if len(poly) == 0 {
			continue
		}
		pi := len(c.polys)
		c.polys = append(c.polys, poly)
		bounds := make([]orb.Bound, len(poly))
		for ri, r := range poly {
			bounds[ri] = r.Bound()
		}
		c.bounds = append(c.bounds, bounds)
		c.polyTree.Insert(bounds[0].Min, bounds[0].Max, pi)
		for ri, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				lo, hi := segmentBox(r[i], r[i+1])
				c.edgeTree.Insert(lo, hi, len(c.edges))
				c.edges = append(c.edges, clipEdge{int32(pi), int32(ri), int32(i)})
			}
		}
	}
	return c, nil
}

// clipBox is the box, a little larger than bound, that Intersect cuts the
// polygons near an operand to (see the function clipBox), and for each
// polygon (by index) and ring the edges that meet it, in order.
func (c *Clipper) clipBox(bound orb.Bound) (orb.Bound, map[int32][][]int32) {
	box := clipBox(bound, func(side orb.Bound, fn func(u, v orb.Point) bool) {
		c.edgeTree.Search(side.Min, side.Max, func(_, _ [2]float64, k int) bool {
			e := c.edges[k]
			r := c.polys[e.p][e.r]
			return fn(r[e.i], r[e.i+1])
		})
	})
	edges := make(map[int32][][]int32)
	c.edgeTree.Search(box.Min, box.Max, func(_, _ [2]float64, k int) bool {
		e := c.edges[k]
		rings := edges[e.p]
		if rings == nil {
			rings = make([][]int32, len(c.polys[e.p]))
			edges[e.p] = rings
		}
		rings[e.r] = append(rings[e.r], e.i)
		return true
	})
	for _, rings := range edges {
		for _, r := range rings {
			slices.Sort(r)
		}
	}
	return box, edges
}

func segmentBox(a, b orb.Point) (lo, hi [2]float64) {
	return [2]float64{math.Min(a[0], b[0]), math.Min(a[1], b[1])}, [2]float64{math.Max(a[0], b[0]), math.Max(a[1], b[1])}
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
	ab := a.Bound()
	var near []int
	c.polyTree.Search(ab.Min, ab.Max, func(_, _ [2]float64, i int) bool {
		near = append(near, i)
		return true
	})
	if len(near) == 0 {
		return nil, nil
	}
	if out, ok := c.whole(a, near); ok {
		return out, nil
	}
	// The general overlay, against the nearby polygons cut to a box a
	// little larger than a's: the cut lines lie outside a, so they cannot
	// reach the result.
	box, edges := c.clipBox(ab)
	var polys []geom.Polygon
	for _, pi := range near {
		for _, p := range clipPolygonToBox(c.polys[pi], box, edges[int32(pi)], c.bounds[pi]) {
			polys = append(polys, toGeomPolygonNoValidate(p))
		}
	}
	if len(polys) == 0 {
		return nil, nil
	}
	g, err := geom.Intersection(ga, geom.NewMultiPolygon(polys).AsGeometry())
	if err != nil {
		return nil, fmt.Errorf("intersect: %w", err)
	}
	return fromGeom(g), nil
}

// whole answers Intersect without an overlay when no ring of a crosses or
// touches an edge of the nearby polygons and no ring of theirs lies inside
// a: each part of a is then wholly inside or wholly outside. ok is false
// when the overlay is needed.
func (c *Clipper) whole(a orb.MultiPolygon, near []int) (orb.MultiPolygon, bool) {
	for _, p := range a {
		for _, r := range p {
			for i := 0; i < len(r); i++ {
				u, v := r[i], r[(i+1)%len(r)]
				if u == v {
					continue
				}
				lo, hi := segmentBox(u, v)
				touched := false
				c.edgeTree.Search(lo, hi, func(_, _ [2]float64, k int) bool {
					e := c.edges[k]
					ring := c.polys[e.p][e.r]
					if segmentsMayMeet(u, v, ring[e.i], ring[e.i+1]) {
						touched = true
						return false
					}
					return true
				})
				if touched {
					return nil, false
				}
			}
		}
	}
	// No edges meet: every ring of the nearby polygons is inside a part
	// of a or outside all of them.
	for _, pi := range near {
		for _, r := range c.polys[pi] {
			for _, p := range a {
				if polygonContains(p, r[0]) {
					return nil, false
				}
			}
		}
	}
	var out orb.MultiPolygon
	for _, p := range a {
		if len(p) == 0 || len(p[0]) == 0 {
			continue
		}
		v := p[0][0]
		inside := false
		for _, pi := range near {
			if polygonContains(c.polys[pi], v) {
				inside = true
				break
			}
		}
		if inside {
			out = append(out, orientedCopy(p))
		}
	}
	return out, true
}

// segmentsMayMeet reports whether segments a–b and c–d intersect or touch;
// it errs towards yes when they come within rounding of each other.
func segmentsMayMeet(a, b, c, d orb.Point) bool {
	if math.Max(a[0], b[0]) < math.Min(c[0], d[0]) || math.Max(c[0], d[0]) < math.Min(a[0], b[0]) ||
		math.Max(a[1], b[1]) < math.Min(c[1], d[1]) || math.Max(c[1], d[1]) < math.Min(a[1], b[1]) {
		return false
	}
	side := func(p, q, r orb.Point) int {
		ux, uy := q[0]-p[0], q[1]-p[1]
		vx, vy := r[0]-p[0], r[1]-p[1]
		cross := ux*vy - uy*vx
		// Rounding of the cross product is far below 1e-9 of the lengths'
		// product; within that the sign is not trusted.
		if math.Abs(cross) <= 1e-9*math.Hypot(ux, uy)*math.Hypot(vx, vy) {
			return 0
		}
		if cross > 0 {
			return 1
		}
		return -1
	}
	s1, s2 := side(a, b, c), side(a, b, d)
	s3, s4 := side(c, d, a), side(c, d, b)
	return s1*s2 <= 0 && s3*s4 <= 0
}

// orientedCopy returns p closed, with its exterior ring counter-clockwise
// and its holes clockwise.
func orientedCopy(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, 0, len(p))
	for _, r := range p {
		if len(r) == 0 {
			continue
		}
		rc := make(orb.Ring, 0, len(r)+1)
		rc = append(rc, r...)
		if rc[0] != rc[len(rc)-1] {
			rc = append(rc, rc[0])
		}
		want := orb.CCW // the first ring left is the exterior
		if len(out) > 0 {
			want = orb.CW
		}
		if rc.Orientation() != want {
			rc.Reverse()
		}
		out = append(out, rc)
	}
	return out
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
