package gpkg

import (
	"encoding/binary"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
)

// marshalWKB encodes g as little-endian 2D WKB (ISO/OGC simple features)
// with go-geom's encoder.
func marshalWKB(g orb.Geometry) ([]byte, error) {
	t, err := toGeom(g)
	if err != nil {
		return nil, err
	}
	return wkb.Marshal(t, binary.LittleEndian)
}

// toGeom converts an orb geometry (lon/lat) to the go-geom geometry of the
// same type with an XY layout. Rings and Bounds are not converted: the
// writer has turned them into Polygons before.
func toGeom(g orb.Geometry) (geom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return geom.NewMultiPointFlat(geom.XY, flat(nil, g)), nil
	case orb.LineString:
		return geom.NewLineStringFlat(geom.XY, flat(nil, g)), nil
	case orb.MultiLineString:
		var coords []float64
		ends := make([]int, len(g))
		for i, l := range g {
			coords = flat(coords, l)
			ends[i] = len(coords)
		}
		return geom.NewMultiLineStringFlat(geom.XY, coords, ends), nil
	case orb.Polygon:
		coords, ends := polygonFlat(nil, g)
		return geom.NewPolygonFlat(geom.XY, coords, ends), nil
	case orb.MultiPolygon:
		var coords []float64
		endss := make([][]int, len(g))
		for i, p := range g {
			coords, endss[i] = polygonFlat(coords, p)
		}
		return geom.NewMultiPolygonFlat(geom.XY, coords, endss), nil
	case orb.Collection:
		c := geom.NewGeometryCollection()
		for i, m := range g {
			t, err := toGeom(m)
			if err != nil {
				return nil, fmt.Errorf("geometry %d: %w", i, err)
			}
			if err := c.Push(t); err != nil {
				return nil, fmt.Errorf("geometry %d: %w", i, err)
			}
		}
		return c, nil
	}
	return nil, fmt.Errorf("unsupported geometry type %T", g)
}

// flat appends the coordinates of ps to coords, x then y.
func flat[P ~[]orb.Point](coords []float64, ps P) []float64 {
	for _, p := range ps {
		coords = append(coords, p[0], p[1])
	}
	return coords
}

// polygonFlat appends the rings of p to coords and returns the end of each
// ring in the flat coordinates.
func polygonFlat(coords []float64, p orb.Polygon) ([]float64, []int) {
	ends := make([]int, len(p))
	for i, r := range p {
		coords = flat(coords, r)
		ends[i] = len(coords)
	}
	return coords, ends
}
