package vector

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
	"github.com/kumamoto-gis/catchment/render/vector/internal/layer"
)

// Property is one named attribute of a feature; properties keep their order.
// Value is a string, float64, int, bool or nil (other integer and float
// types, named types over them and pointers to them are accepted too).
//
// Property is an alias of a struct type literal, not a defined type, so
// that packages building features may write {"key", value} without go
// vet's composites check asking for field names: the field order Key, Value
// is part of this API and stays.
type Property = struct {
	Key   string
	Value any
}

// Feature is one GeoJSON feature to write: an id (omitted when empty), a
// geometry in lon/lat degrees (nil for none) and flat properties.
type Feature struct {
	ID         string
	Geometry   orb.Geometry
	Properties []Property
}

// WriteGeoJSON writes a FeatureCollection that QGIS/GDAL open unmodified:
// RFC 7946 lon/lat, exterior rings counter-clockwise and holes clockwise
// (fixed on output), rings closed, coordinates rounded to at most 7
// decimals without exponents or trailing zeros, a top-level "name" member
// holding layerName, flat properties and one feature per line.
//
// A layer that mixes single and multi geometries of one kind (Polygon and
// MultiPolygon) is written all multi, so GDAL sees one geometry type and
// QGIS opens it as a single layer. A non-empty ID is written as a string
// "id", which GDAL exposes as a String field named id.
//
// Float properties are always written with a decimal point (1500.0) so that
// GDAL types the field Real even when every value is whole; NaN and ±Inf
// are written as null. A property key whose values mix strings, numbers and
// booleans across features is an error, as is a coordinate outside lon/lat
// range (projected coordinates passed by mistake).
func WriteGeoJSON(w io.Writer, layerName string, features []Feature) error {
	bw := bufio.NewWriter(w)
	buf := make([]byte, 0, 4096)
	buf = append(buf, `{"type":"FeatureCollection","name":`...)
	buf = layer.AppendJSONString(buf, layerName)
	buf = append(buf, ",\"features\":[\n"...)
	keyKinds := map[string]keyKind{}
	promote := promotions(features)
	for i, f := range features {
		var err error
		buf, err = appendFeature(buf, f, promote, keyKinds, i)
		if err != nil {
			return fmt.Errorf("geojson layer %q: feature %d (id %q): %w", layerName, i, f.ID, err)
		}
		if i < len(features)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("geojson layer %q: %w", layerName, err)
		}
		buf = buf[:0]
	}
	buf = append(buf, "]}\n"...)
	if _, err := bw.Write(buf); err != nil {
		return fmt.Errorf("geojson layer %q: %w", layerName, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("geojson layer %q: %w", layerName, err)
	}
	return nil
}

// keyKind records which JSON type a property key first had, and in which
// feature, to keep field types stable across a layer.
type keyKind struct {
	class   string
	feature int
}

// promotions is the Promotion of a layer's geometries.
func promotions(features []Feature) layer.Promotion {
	var m layer.Mix
	for _, f := range features {
		m.Add(f.Geometry)
	}
	return m.Promotion()
}

func appendFeature(buf []byte, f Feature, promote layer.Promotion, keyKinds map[string]keyKind, index int) ([]byte, error) {
	buf = append(buf, `{"type":"Feature",`...)
	if f.ID != "" {
		buf = append(buf, `"id":`...)
		buf = layer.AppendJSONString(buf, f.ID)
		buf = append(buf, ',')
	}
	buf = append(buf, `"properties":{`...)
	seen := make(map[string]bool, len(f.Properties))
	for j, p := range f.Properties {
		if p.Key == "" {
			return nil, fmt.Errorf("property %d has an empty key", j)
		}
		if seen[p.Key] {
			return nil, fmt.Errorf("property %q appears twice", p.Key)
		}
		seen[p.Key] = true
		v, err := layer.ScalarOf(p.Value)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", p.Key, err)
		}
		if c := v.Class(); c != "" {
			if prev, ok := keyKinds[p.Key]; !ok {
				keyKinds[p.Key] = keyKind{class: c, feature: index}
			} else if prev.class != c {
				return nil, fmt.Errorf("property %q is a %s but was a %s in feature %d; GDAL would change the field type", p.Key, c, prev.class, prev.feature)
			}
		}
		if j > 0 {
			buf = append(buf, ',')
		}
		buf = layer.AppendJSONString(buf, p.Key)
		buf = append(buf, ':')
		buf = v.AppendJSON(buf)
	}
	buf = append(buf, `},"geometry":`...)
	buf, err := appendGeometry(buf, promote.Promote(f.Geometry))
	if err != nil {
		return nil, err
	}
	return append(buf, '}'), nil
}

// appendGeometry writes g as a GeoJSON geometry object; nil is null. A Ring
// and a Bound are written as Polygons.
func appendGeometry(buf []byte, g orb.Geometry) ([]byte, error) {
	var err error
	switch g := g.(type) {
	case nil:
		return append(buf, "null"...), nil
	case orb.Point:
		buf = append(buf, `{"type":"Point","coordinates":`...)
		buf, err = appendPosition(buf, g)
	case orb.MultiPoint:
		buf = append(buf, `{"type":"MultiPoint","coordinates":`...)
		buf, err = appendPositions(buf, g, "point")
	case orb.LineString:
		buf = append(buf, `{"type":"LineString","coordinates":`...)
		buf, err = appendPositions(buf, g, "line")
	case orb.MultiLineString:
		buf = append(buf, `{"type":"MultiLineString","coordinates":[`...)
		for i, ls := range g {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendPositions(buf, ls, fmt.Sprintf("line %d", i)); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	case orb.Ring:
		buf = append(buf, `{"type":"Polygon","coordinates":`...)
		buf, err = appendPolygon(buf, orb.Polygon{g}, "polygon")
	case orb.Bound:
		buf = append(buf, `{"type":"Polygon","coordinates":`...)
		buf, err = appendPolygon(buf, g.ToPolygon(), "bound")
	case orb.Polygon:
		buf = append(buf, `{"type":"Polygon","coordinates":`...)
		buf, err = appendPolygon(buf, g, "polygon")
	case orb.MultiPolygon:
		buf = append(buf, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendPolygon(buf, p, fmt.Sprintf("polygon %d", i)); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	case orb.Collection:
		buf = append(buf, `{"type":"GeometryCollection","geometries":[`...)
		for i, m := range g {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendGeometry(buf, m); err != nil {
				return nil, fmt.Errorf("geometry %d: %w", i, err)
			}
		}
		buf = append(buf, ']')
	default:
		return nil, fmt.Errorf("unsupported geometry type %T", g)
	}
	if err != nil {
		return nil, err
	}
	return append(buf, '}'), nil
}

// round7 rounds a coordinate to 7 decimals (1e-7 degree is about 1 cm); adding 0 turns -0 into 0.
func round7(v float64) float64 {
	const scale = 1e7
	return math.Round(v*scale)/scale + 0
}

func appendPosition(buf []byte, p orb.Point) ([]byte, error) {
	if err := lonlat.CheckPosition(p); err != nil {
		return nil, err
	}
	buf = append(buf, '[')
	buf = strconv.AppendFloat(buf, round7(p[0]), 'f', -1, 64)
	buf = append(buf, ',')
	buf = strconv.AppendFloat(buf, round7(p[1]), 'f', -1, 64)
	return append(buf, ']'), nil
}

func appendPositions(buf []byte, ps []orb.Point, what string) ([]byte, error) {
	buf = append(buf, '[')
	for i, p := range ps {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendPosition(buf, p); err != nil {
			return nil, fmt.Errorf("%s position %d: %w", what, i, err)
		}
	}
	return append(buf, ']'), nil
}

// appendPolygon writes the rings of p rounded, closed and oriented: the
// exterior counter-clockwise, holes clockwise.
func appendPolygon(buf []byte, p orb.Polygon, what string) ([]byte, error) {
	buf = append(buf, '[')
	for i, r := range p {
		ring, err := normalRing(r, i == 0)
		if err != nil {
			return nil, fmt.Errorf("%s ring %d: %w", what, i, err)
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		if buf, err = appendPositions(buf, ring, "ring"); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

// normalRing returns r rounded to the output precision, closed, and
// counter-clockwise if exterior else clockwise. Orientation is decided on
// the rounded coordinates, which are the ones written. r is not modified.
func normalRing(r orb.Ring, exterior bool) (orb.Ring, error) {
	out := make(orb.Ring, len(r), len(r)+1)
	for i, p := range r {
		if err := lonlat.CheckPosition(p); err != nil {
			return nil, fmt.Errorf("position %d: %w", i, err)
		}
		out[i] = orb.Point{round7(p[0]), round7(p[1])}
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	if len(out) < 4 {
		return nil, fmt.Errorf("has %d positions once closed, a linear ring needs at least 4", len(out))
	}
	area := signedArea(out)
	if (exterior && area < 0) || (!exterior && area > 0) {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// signedArea is twice the planar area of the closed ring r in degree
// units, positive when r runs counter-clockwise. Coordinates are taken
// relative to the first position to keep precision.
func signedArea(r orb.Ring) float64 {
	x0, y0 := r[0][0], r[0][1]
	var sum float64
	for i := 1; i+1 < len(r); i++ {
		sum += (r[i][0]-x0)*(r[i+1][1]-y0) - (r[i+1][0]-x0)*(r[i][1]-y0)
	}
	return sum
}
