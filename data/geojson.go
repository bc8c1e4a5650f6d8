package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"
)

// record is one feature of a GeoJSON file or one row of a CSV file, with
// its values already keyed by our field names.
type record struct {
	index  int            // feature index (GeoJSON) or line number (CSV)
	csv    bool           // the record is a CSV row
	fid    any            // the GeoJSON Feature "id" member, if any
	values map[string]any // our field -> value (string, json.Number, bool, nil...)
	geom   *rawGeometry   // GeoJSON geometry; nil when null or missing
}

// rawFeature is a GeoJSON Feature as decoded, before interpretation.
type rawFeature struct {
	Type       string         `json:"type"`
	ID         any            `json:"id"`
	Geometry   *rawGeometry   `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// geojsonHeader holds what a FeatureCollection says outside its features.
type geojsonHeader struct {
	crs *crsInfo
	// crsAfter is set when the crs member came after the features.
	crsAfter bool
}

// readGeoJSON streams the features of a FeatureCollection to fn. Problems
// of the file as a whole are returned as errors; problems of one feature are
// left to fn. Feature properties are mapped to our fields with res; the
// property names seen are added to keys.
func readGeoJSON(text []byte, res *resolver, keys map[string]bool, fn func(*record)) (geojsonHeader, error) {
	var hdr geojsonHeader
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	fail := func(where string, err error) error {
		return jsonError(text, where, err)
	}
	tok, err := dec.Token()
	if err != nil {
		return hdr, fail("", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return hdr, fmt.Errorf("not a GeoJSON FeatureCollection (the file does not start with a JSON object)")
	}
	sawType, sawFeatures := false, false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return hdr, fail("", err)
		}
		switch key, _ := tok.(string); key {
		case "type":
			var typ string
			if err := dec.Decode(&typ); err != nil {
				return hdr, fail("member type", err)
			}
			if typ != "FeatureCollection" {
				return hdr, fmt.Errorf("is a GeoJSON %s, not a FeatureCollection; wrap the features in {\"type\": \"FeatureCollection\", \"features\": [...]}", typ)
			}
			sawType = true
		case "crs":
			var crs struct {
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			}
			if err := dec.Decode(&crs); err != nil {
				return hdr, fail("member crs", err)
			}
			if crs.Properties.Name != "" {
				c := lookupCRS(crs.Properties.Name)
				hdr.crs, hdr.crsAfter = &c, sawFeatures
				if c.projected && !sawFeatures {
					return hdr, crsError(c)
				}
			}
		case "features":
			sawFeatures = true
			if tok, err := dec.Token(); err != nil {
				return hdr, fail("member features", err)
			} else if d, ok := tok.(json.Delim); !ok || d != '[' {
				return hdr, fmt.Errorf("member features is not an array")
			}
			for i := 0; dec.More(); i++ {
				var f rawFeature
				if err := dec.Decode(&f); err != nil {
					return hdr, fail(fmt.Sprintf("feature %d", i), err)
				}
				fn(featureRecord(i, &f, res, keys))
			}
			if _, err := dec.Token(); err != nil {
				return hdr, fail("member features", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return hdr, fail("member "+key, err)
			}
		}
	}
	if !sawType || !sawFeatures {
		return hdr, fmt.Errorf("not a GeoJSON FeatureCollection (members \"type\": \"FeatureCollection\" and \"features\" are required)")
	}
	if hdr.crs != nil && hdr.crs.projected {
		return hdr, crsError(*hdr.crs)
	}
	return hdr, nil
}

func crsError(c crsInfo) error {
	return fmt.Errorf("member crs: the coordinates are in %s, a projected CRS in metres, not longitude/latitude — %s", c.name, reprojectAdvice)
}

// featureRecord maps a decoded feature to a record.
func featureRecord(i int, f *rawFeature, res *resolver, keys map[string]bool) *record {
	r := &record{index: i, fid: f.ID, values: make(map[string]any, 4), geom: f.Geometry}
	best := map[string]int{}
	for k, v := range f.Properties {
		keys[k] = true
		m := res.lookup(k)
		if m.field == "" {
			continue
		}
		if b, ok := best[m.field]; ok && b <= m.rank {
			continue
		}
		best[m.field] = m.rank
		r.values[m.field] = v
	}
	return r
}

// jsonError explains a JSON decoding error with its line number.
func jsonError(text []byte, where string, err error) error {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%sthe JSON ends early; the file is truncated", prefix(where))
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if off >= 0 {
		line := 1 + bytes.Count(text[:min(int(off), len(text))], []byte("\n"))
		msg = fmt.Sprintf("line %d: invalid JSON: %s", line, msg)
		if syn != nil && (strings.Contains(msg, "'N'") || strings.Contains(msg, "'I'")) {
			msg += " — JSON has no NaN or Infinity: give a finite number or remove the feature"
		}
	}
	return fmt.Errorf("%s%s", prefix(where), msg)
}

func prefix(where string) string {
	if where == "" {
		return ""
	}
	return where + ": "
}

// rawGeometry is a GeoJSON geometry object as decoded.
type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// geometryOf returns a geometry, or the zero geometry (Type "") for null.
func geometryOf(g *rawGeometry) rawGeometry {
	if g == nil {
		return rawGeometry{}
	}
	return *g
}

// coordsError explains why coordinates could not be decoded.
func coordsError(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Value == "string" {
			return "a coordinate is a string, not a number — write coordinates as JSON numbers, without quotes"
		}
		if strings.HasPrefix(typ.Value, "number") {
			return "a coordinate is not a finite number (" + typ.Value + ")"
		}
		return "the coordinates are not nested arrays of numbers as the geometry type requires (found " + typ.Value + ")"
	}
	return "the coordinates cannot be read: " + strings.TrimPrefix(err.Error(), "json: ")
}

// toPoint checks one GeoJSON position.
func toPoint(pos []float64) (orb.Point, string) {
	if len(pos) < 2 {
		return orb.Point{}, fmt.Sprintf("a position has %d numbers; it needs longitude and latitude", len(pos))
	}
	return orb.Point{pos[0], pos[1]}, ""
}

// pointGeometry decodes a Point (or a MultiPoint of one point).
func pointGeometry(raw *rawGeometry) (orb.Point, string) {
	g := geometryOf(raw)
	switch g.Type {
	case "":
		return orb.Point{}, "the geometry is empty (null); every feature needs a Point"
	case "Point":
		var pos []float64
		if err := json.Unmarshal(g.Coordinates, &pos); err != nil {
			return orb.Point{}, coordsError(err)
		}
		if len(pos) == 0 {
			return orb.Point{}, "the geometry is empty (a Point with no coordinates); give [longitude, latitude]"
		}
		return toPoint(pos)
	case "MultiPoint":
		var pos [][]float64
		if err := json.Unmarshal(g.Coordinates, &pos); err != nil {
			return orb.Point{}, coordsError(err)
		}
		if len(pos) == 1 {
			return toPoint(pos[0])
		}
		if len(pos) == 0 {
			return orb.Point{}, "the geometry is empty (a MultiPoint with no points); give a Point"
		}
		return orb.Point{}, fmt.Sprintf("the geometry is a MultiPoint of %d points; this layer needs one Point per feature", len(pos))
	}
	return orb.Point{}, fmt.Sprintf("the geometry is a %s; this layer needs Point geometries", g.Type)
}

// polygonGeometry decodes a Polygon or MultiPolygon, without checking rings.
func polygonGeometry(raw *rawGeometry) (mp orb.MultiPolygon, multi bool, msg string) {
	g := geometryOf(raw)
	toRings := func(rings [][][]float64) (orb.Polygon, string) {
		poly := make(orb.Polygon, len(rings))
		for j, ring := range rings {
			poly[j] = make(orb.Ring, len(ring))
			for k, pos := range ring {
				p, msg := toPoint(pos)
				if msg != "" {
					return nil, msg
				}
				poly[j][k] = p
			}
		}
		return poly, ""
	}
	switch g.Type {
	case "":
		return nil, false, "the geometry is empty (null); every feature needs a Polygon or MultiPolygon"
	case "Polygon":
		var rings [][][]float64
		if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
			return nil, false, coordsError(err)
		}
		if len(rings) == 0 {
			return nil, false, "the geometry is empty (a Polygon with no rings); give its outer ring"
		}
		poly, msg := toRings(rings)
		return orb.MultiPolygon{poly}, false, msg
	case "MultiPolygon":
		var polys [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return nil, true, coordsError(err)
		}
		if len(polys) == 0 {
			return nil, true, "the geometry is empty (a MultiPolygon with no polygons)"
		}
		mp = make(orb.MultiPolygon, len(polys))
		for i, rings := range polys {
			if mp[i], msg = toRings(rings); msg != "" {
				return nil, true, msg
			}
		}
		return mp, true, ""
	}
	return nil, false, fmt.Sprintf("the geometry is a %s; this layer needs Polygon or MultiPolygon geometries", g.Type)
}
