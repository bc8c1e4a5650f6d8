package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
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
	// notes are warnings about the file as a whole.
	notes []string
}

// readGeoJSON streams the features of a FeatureCollection to fn. Problems
// of the file as a whole are returned as errors; problems of one feature are
// left to fn. Feature properties are mapped to our fields with res; the
// property names seen are added to keys. reuse says what fn may keep of
// the records it is handed (see reuse).
//
// The fast decoder (readGeoJSONFast) reads the file first. When it meets
// something it does not take, reset is called to forget the features fn
// has been given, and encoding/json reads the file again: it accepts what
// it always accepted and explains errors as it always did.
func readGeoJSON(text []byte, res *resolver, keys map[string]bool, reuse reuse, fn func(*record), reset func()) (geojsonHeader, error) {
	hdr, err := readGeoJSONFast(text, res, keys, reuse, fn)
	if !errors.Is(err, errNotFast) {
		return hdr, err
	}
	reset()
	clear(keys)
	return readGeoJSONStd(text, res, keys, fn)
}

// readGeoJSONStd is readGeoJSON with encoding/json alone.
func readGeoJSONStd(text []byte, res *resolver, keys map[string]bool, fn func(*record)) (geojsonHeader, error) {
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
	index := 0 // of the next feature, across repeated "features" members
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return hdr, fail("", err)
		}
		switch key, _ := tok.(string); key {
		case "type":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return hdr, fail("member type", err)
			}
			var typ string
			if err := json.Unmarshal(raw, &typ); err != nil {
				return hdr, fmt.Errorf("member type is %s, not the string \"FeatureCollection\"", jsonKind(raw))
			}
			if typ != "FeatureCollection" {
				return hdr, fmt.Errorf("is a GeoJSON %s, not a FeatureCollection; wrap the features in {\"type\": \"FeatureCollection\", \"features\": [...]}", typ)
			}
			sawType = true
		case "crs":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return hdr, fail("member crs", err)
			}
			hdr.crs = geojsonCRS(raw)
		case "features":
			if sawFeatures {
				// GDAL reads the features of every "features" member.
				hdr.notes = append(hdr.notes, fmt.Sprintf("the member \"features\" appears more than once; the features of each are read (%d so far), as GDAL reads them — keep one array", index))
			}
			sawFeatures = true
			if tok, err := dec.Token(); err != nil {
				return hdr, fail("member features", err)
			} else if d, ok := tok.(json.Delim); !ok || d != '[' {
				return hdr, fmt.Errorf("member features holds %s, not an array of features", jsonKind(tok))
			}
			for ; dec.More(); index++ {
				var f rawFeature
				if err := dec.Decode(&f); err != nil {
					return hdr, fail(fmt.Sprintf("feature %d", index), err)
				}
				fn(featureRecord(index, &f, res, keys))
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
	// The object's closing brace: without it the file was cut short, and
	// features may be missing (More stops at the end of the input too).
	if _, err := dec.Token(); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return hdr, fail("", err)
	}
	if !sawType || !sawFeatures {
		return hdr, fmt.Errorf("not a GeoJSON FeatureCollection (members \"type\": \"FeatureCollection\" and \"features\" are required)")
	}
	return hdr, nil
}

// crsExample is what a legacy crs member looks like, for messages.
const crsExample = `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6670"}}`

// geojsonCRS reads a legacy GeoJSON crs member in every form GDAL reads:
// type "name" (properties.name: "EPSG:6670", a URN or URL, a WKT), type
// "EPSG" (properties.code), type "OGC" (properties.urn) and type "link" or
// "url" (properties.href or url: EPSG pages of opengis.net,
// spatialreference.org and epsg.io are resolved without fetching them).
// It returns nil for a null member, and a crsInfo with a problem for one
// it cannot resolve.
func geojsonCRS(raw json.RawMessage) *crsInfo {
	bad := func(format string, args ...any) *crsInfo {
		msg := fmt.Sprintf(format, args...)
		return &crsInfo{name: "the crs member", problem: msg + "; write it as " + crsExample + ", or remove it if the coordinates are WGS 84 longitude/latitude, or give the CRS with --crs LAYER=EPSG:NNNN"}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		if string(bytes.TrimSpace(raw)) == "null" {
			return nil
		}
		return bad("it holds %s, not an object", jsonKind(raw))
	}
	var typ string
	if err := json.Unmarshal(obj["type"], &typ); err != nil || typ == "" {
		return bad("its \"type\" is %s, not a string (name, EPSG, OGC or link)", jsonKind(obj["type"]))
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(obj["properties"], &props); err != nil || props == nil {
		return bad("its \"properties\" is %s, not an object", jsonKind(obj["properties"]))
	}
	text := func(key string) (string, bool) {
		var s string
		if err := json.Unmarshal(props[key], &s); err != nil || strings.TrimSpace(s) == "" {
			return "", false
		}
		return s, true
	}
	lower := strings.ToLower(typ)
	switch {
	case strings.HasPrefix(lower, "name"):
		name, ok := text("name")
		if !ok {
			return bad("its properties.name is %s, not the name of a CRS", jsonKind(props["name"]))
		}
		c := lookupCRS(name)
		return &c
	case strings.HasPrefix(lower, "epsg"):
		var code json.Number
		if err := json.Unmarshal(props["code"], &code); err != nil {
			s, _ := text("code")
			code = json.Number(strings.TrimSpace(s))
		}
		n, err := strconv.Atoi(string(code))
		if err != nil {
			return bad("its properties.code is %s, not an EPSG code", jsonKind(props["code"]))
		}
		c := epsgCode(n)
		return &c
	case lower == "ogc":
		urn, ok := text("urn")
		if !ok {
			return bad("its properties.urn is %s, not a URN such as urn:ogc:def:crs:EPSG::6670", jsonKind(props["urn"]))
		}
		c := lookupCRS(urn)
		return &c
	case strings.HasPrefix(lower, "link"), strings.HasPrefix(lower, "url"):
		href, ok := text("url")
		if !ok {
			href, ok = text("href")
		}
		if !ok {
			return bad("its properties.href is %s, not a link", jsonKind(props["href"]))
		}
		c := lookupCRS(href)
		if c.problem != "" && epsgName.FindString(strings.TrimSpace(href)) == "" {
			return bad("it links to %q, which the loader does not fetch", clip(href, 60))
		}
		return &c
	}
	return bad("its type %q is not one of name, EPSG, OGC or link", clip(typ, 20))
}

// jsonKind names what a JSON value or token is, for messages: "a string",
// "a number", "an array", "an object", "true", "null" or "nothing".
func jsonKind(v any) string {
	switch v := v.(type) {
	case json.RawMessage:
		t := bytes.TrimSpace(v)
		if len(t) == 0 {
			return "nothing"
		}
		switch t[0] {
		case '"':
			return "a string"
		case '[':
			return "an array"
		case '{':
			return "an object"
		case 't', 'f':
			return string(t)
		case 'n':
			return "null"
		}
		return "a number"
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return fmt.Sprint(v)
	case nil:
		return "null"
	}
	return "a value"
}

// featureRecord maps a decoded feature to a record.
func featureRecord(i int, f *rawFeature, res *resolver, keys map[string]bool) *record {
	r := &record{index: i, values: make(map[string]any, 4)}
	fillRecord(r, map[string]bestName{}, f, res, keys)
	return r
}

// fillRecord sets the id, geometry and values of r, whose values are
// empty, from f, as featureRecord does; best is scratch space.
func fillRecord(r *record, best map[string]bestName, f *rawFeature, res *resolver, keys map[string]bool) {
	r.fid, r.geom = f.ID, f.Geometry
	clear(best)
	for k, v := range f.Properties {
		keys[k] = true
		for _, m := range res.lookup(k) {
			if b, ok := best[m.field]; ok && !b.beatenBy(m.rank, k) {
				continue
			}
			best[m.field] = bestName{m.rank, k}
			r.values[m.field] = v
		}
	}
}

// bestName is the property name that set a field, and the rank of its
// alias. Of two names of one rank ("id" and "ID") the first in byte order
// wins, whatever order the file or a map gives them in.
type bestName struct {
	rank int
	name string
}

// beatenBy reports whether name, of alias rank rank, beats b.
func (b bestName) beatenBy(rank int, name string) bool {
	return rank < b.rank || rank == b.rank && name < b.name
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
	if typ != nil {
		member := "the value"
		if typ.Field != "" {
			member = "member " + typ.Field
		}
		msg = fmt.Sprintf("%s is %s, not %s", member, withArticle(typ.Value), kindOf(typ.Type))
	}
	if off >= 0 {
		line := 1 + bytes.Count(text[:min(int(off), len(text))], []byte("\n"))
		if typ != nil {
			msg = fmt.Sprintf("line %d: %s", line, msg)
		} else {
			msg = fmt.Sprintf("line %d: invalid JSON: %s", line, msg)
		}
		if syn != nil && (strings.Contains(msg, "'N'") || strings.Contains(msg, "'I'")) {
			msg += " — JSON has no NaN or Infinity: give a finite number or remove the feature"
		}
	}
	return fmt.Errorf("%s%s", prefix(where), msg)
}

// withArticle turns the JSON kind of an unmarshal error ("array",
// "number 1e400") into words.
func withArticle(v string) string {
	switch {
	case v == "array" || v == "object":
		return "an " + v
	case v == "string" || strings.HasPrefix(v, "number"):
		return "a " + v
	}
	return v
}

// kindOf names the JSON value a Go type is decoded from.
func kindOf(t reflect.Type) string {
	if t == nil {
		return "what is expected"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return kindOf(t.Elem())
	}
	return "what is expected"
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
	// decoded is set when the fast decoder read the coordinates into
	// point (Point), points (MultiPoint) or polys (Polygon, MultiPolygon);
	// Coordinates is then nil. depth is how deeply they were nested.
	decoded bool
	depth   int
	point   orb.Point
	points  []orb.Point
	polys   orb.MultiPolygon
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
	if g.decoded {
		switch g.Type {
		case "Point":
			return g.point, ""
		case "MultiPoint":
			if len(g.points) == 1 {
				return g.points[0], ""
			}
			return orb.Point{}, fmt.Sprintf("the geometry is a MultiPoint of %d points; this layer needs one Point per feature", len(g.points))
		}
	}
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
	if curveTypes[g.Type] {
		return orb.Point{}, curvesMessage(g.Type)
	}
	return orb.Point{}, fmt.Sprintf("the geometry is a %s; this layer needs Point geometries", clip(g.Type, 30))
}

// polygonGeometry decodes a Polygon or MultiPolygon, without checking rings.
func polygonGeometry(raw *rawGeometry) (mp orb.MultiPolygon, multi bool, msg string) {
	g := geometryOf(raw)
	if g.decoded && (g.Type == "Polygon" || g.Type == "MultiPolygon") {
		return g.polys, g.Type == "MultiPolygon", ""
	}
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
	if curveTypes[g.Type] {
		return nil, false, curvesMessage(g.Type)
	}
	return nil, false, fmt.Sprintf("the geometry is a %s; this layer needs Polygon or MultiPolygon geometries", clip(g.Type, 30))
}
