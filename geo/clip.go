package geo

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Intersect returns the area common to a and b. It is a planar operation:
// give both in projected coordinates (metres) when the result's shape
// matters, or in degrees when only the topology does (clipping to a
// boundary). Exterior rings of the result are counter-clockwise and holes
// clockwise; an empty intersection is an empty (nil) MultiPolygon.
func Intersect(a, b orb.MultiPolygon) (orb.MultiPolygon, error) {
	ga, err := toGeom(a)
	if err != nil {
		return nil, fmt.Errorf("intersect: first operand: %w", err)
	}
	gb, err := toGeom(b)
	if err != nil {
		return nil, fmt.Errorf("intersect: second operand: %w", err)
	}
	g, err := geom.Intersection(ga, gb)
	if err != nil {
		return nil, fmt.Errorf("intersect: %w", err)
	}
	return fromGeom(g), nil
}

// Union dissolves polys into one MultiPolygon covering every part of them;
// shared edges and overlaps disappear. Like Intersect it is planar, and its
// exterior rings are counter-clockwise and holes clockwise. The union of no
// polygons is an empty (nil) MultiPolygon.
func Union(polys []orb.MultiPolygon) (orb.MultiPolygon, error) {
	gs := make([]geom.Geometry, 0, len(polys))
	for i, mp := range polys {
		// Each part is validated on its own: parts of one input that share
		// an edge (an invalid MultiPolygon, common in real data) still
		// dissolve correctly.
		for j, p := range mp {
			g, err := toGeom(orb.MultiPolygon{p})
			if err != nil {
				return nil, fmt.Errorf("union: polygon %d part %d: %w", i, j, err)
			}
			if !g.IsEmpty() {
				gs = append(gs, g)
			}
		}
	}
	if len(gs) == 0 {
		return nil, nil
	}
	g, err := geom.UnionMany(gs)
	if err != nil {
		return nil, fmt.Errorf("union of %d polygons: %w", len(gs), err)
	}
	return fromGeom(g), nil
}

// toGeom converts an orb MultiPolygon to a validated simplefeatures geometry.
// Rings that are not closed are closed.
func toGeom(mp orb.MultiPolygon) (geom.Geometry, error) {
	polys := make([]geom.Polygon, 0, len(mp))
	for pi, p := range mp {
		rings := make([]geom.LineString, 0, len(p))
		for ri, r := range p {
			if len(r) == 0 {
				continue
			}
			closed := len(r) > 1 && r[0] == r[len(r)-1]
			n := len(r)
			if !closed {
				n++
			}
			if n < 4 {
				return geom.Geometry{}, fmt.Errorf("polygon %d ring %d has %d points, need at least 3 distinct", pi, ri, len(r))
			}
			xy := make([]float64, 0, 2*n)
			for _, pt := range r {
				xy = append(xy, pt[0], pt[1])
			}
			if !closed {
				xy = append(xy, r[0][0], r[0][1])
			}
			rings = append(rings, geom.NewLineString(geom.NewSequence(xy, geom.DimXY)))
		}
		if len(rings) == 0 {
			continue
		}
		polys = append(polys, geom.NewPolygon(rings))
	}
	m := geom.NewMultiPolygon(polys)
	if err := m.Validate(); err != nil {
		return geom.Geometry{}, fmt.Errorf("invalid polygon: %w", err)
	}
	return m.AsGeometry(), nil
}

// fromGeom keeps the areal parts of g as an orb MultiPolygon with
// counter-clockwise exterior rings. Points and lines, which an intersection
// of polygons that only touch can produce, are dropped.
func fromGeom(g geom.Geometry) orb.MultiPolygon {
	var out orb.MultiPolygon
	var add func(g geom.Geometry)
	add = func(g geom.Geometry) {
		switch g.Type() {
		case geom.TypePolygon:
			p := g.MustAsPolygon().ForceCCW()
			if p.IsEmpty() {
				return
			}
			var op orb.Polygon
			for _, r := range p.DumpRings() {
				seq := r.Coordinates()
				ring := make(orb.Ring, seq.Length())
				for i := range ring {
					xy := seq.GetXY(i)
					ring[i] = orb.Point{xy.X, xy.Y}
				}
				op = append(op, ring)
			}
			out = append(out, op)
		case geom.TypeMultiPolygon:
			mp := g.MustAsMultiPolygon()
			for i := 0; i < mp.NumPolygons(); i++ {
				add(mp.PolygonN(i).AsGeometry())
			}
		case geom.TypeGeometryCollection:
			gc := g.MustAsGeometryCollection()
			for i := 0; i < gc.NumGeometries(); i++ {
				add(gc.GeometryN(i))
			}
		}
	}
	add(g)
	return out
}
