package data

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// shape is the geometry of a Shapefile or GeoPackage record, decoded into
// orb types, or msg saying why it could not be decoded.
type shape struct {
	g   orb.Geometry
	msg string
}

// point returns the shape as the point of a point layer.
func (s shape) point() (orb.Point, string) {
	if s.msg != "" {
		return orb.Point{}, s.msg
	}
	return orbPoint(s.g)
}

// polygons returns the shape as the polygons of a polygon layer.
func (s shape) polygons() (orb.MultiPolygon, bool, string) {
	if s.msg != "" {
		return nil, false, s.msg
	}
	return orbPolygons(s.g)
}

// orbPoint returns the point of a point layer's geometry (a Point, or a
// MultiPoint of one point), or a message saying why there is none.
func orbPoint(g orb.Geometry) (orb.Point, string) {
	switch g := g.(type) {
	case nil:
		return orb.Point{}, "the geometry is empty (null); every feature needs a Point"
	case orb.Point:
		return g, ""
	case orb.MultiPoint:
		switch len(g) {
		case 0:
			return orb.Point{}, "the geometry is empty (a MultiPoint with no points); give a Point"
		case 1:
			return g[0], ""
		}
		return orb.Point{}, fmt.Sprintf("the geometry is a MultiPoint of %d points; this layer needs one Point per feature", len(g))
	}
	return orb.Point{}, fmt.Sprintf("the geometry is a %s; this layer needs Point geometries", g.GeoJSONType())
}

// orbPolygons returns the polygons of a polygon layer's geometry, without
// checking rings, or a message saying why there are none.
func orbPolygons(g orb.Geometry) (orb.MultiPolygon, bool, string) {
	switch g := g.(type) {
	case nil:
		return nil, false, "the geometry is empty (null); every feature needs a Polygon or MultiPolygon"
	case orb.Polygon:
		if len(g) == 0 {
			return nil, false, "the geometry is empty (a Polygon with no rings); give its outer ring"
		}
		return orb.MultiPolygon{g}, false, ""
	case orb.MultiPolygon:
		if len(g) == 0 {
			return nil, true, "the geometry is empty (a MultiPolygon with no polygons)"
		}
		return g, true, ""
	}
	return nil, false, fmt.Sprintf("the geometry is a %s; this layer needs Polygon or MultiPolygon geometries", g.GeoJSONType())
}

// convertPoint applies conv to p when p is finite; other values are left
// for the coordinate checks to report.
func convertPoint(conv func(orb.Point) orb.Point, p orb.Point) orb.Point {
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
		return p
	}
	q := conv(p)
	if math.IsNaN(q[0]) || math.IsNaN(q[1]) {
		return orb.Point{math.Inf(1), math.Inf(1)} // reported as not finite
	}
	return q
}

// convertPolygons returns a converted copy of mp.
func convertPolygons(conv func(orb.Point) orb.Point, mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				r[k] = convertPoint(conv, p)
			}
			out[i][j] = r
		}
	}
	return out
}
