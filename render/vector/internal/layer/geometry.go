package layer

import "github.com/paulmach/orb"

// AsPolygon turns a Ring or a Bound into a Polygon; other geometries are
// returned as they are.
func AsPolygon(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Ring:
		return orb.Polygon{g}
	case orb.Bound:
		return g.ToPolygon()
	}
	return g
}

// Promotion says which single geometries a layer writes as one-member
// multi-geometries.
type Promotion struct{ points, lines, polygons bool }

// Mix records the geometry types of a layer's features (Add each), to find
// its Promotion: GDAL types a layer holding both Polygon and MultiPolygon
// "Unknown", and QGIS then splits it into one sublayer per type, so such a
// layer is written all multi.
type Mix struct{ single, multi Promotion }

// Add records the type of one feature's geometry (nil for none).
func (m *Mix) Add(g orb.Geometry) {
	switch g.(type) {
	case orb.Point:
		m.single.points = true
	case orb.MultiPoint:
		m.multi.points = true
	case orb.LineString:
		m.single.lines = true
	case orb.MultiLineString:
		m.multi.lines = true
	case orb.Polygon, orb.Ring, orb.Bound:
		m.single.polygons = true
	case orb.MultiPolygon:
		m.multi.polygons = true
	}
}

// Promotion is what the layer recorded so far must promote: the kinds that
// appear both single and multi.
func (m *Mix) Promotion() Promotion {
	return Promotion{
		points:   m.single.points && m.multi.points,
		lines:    m.single.lines && m.multi.lines,
		polygons: m.single.polygons && m.multi.polygons,
	}
}

// Promote returns g as a one-member multi-geometry if p asks for it.
func (p Promotion) Promote(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		if p.points {
			return orb.MultiPoint{g}
		}
	case orb.LineString:
		if p.lines {
			return orb.MultiLineString{g}
		}
	case orb.Polygon:
		if p.polygons {
			return orb.MultiPolygon{g}
		}
	case orb.Ring:
		if p.polygons {
			return orb.MultiPolygon{{g}}
		}
	case orb.Bound:
		if p.polygons {
			return orb.MultiPolygon{g.ToPolygon()}
		}
	}
	return g
}
