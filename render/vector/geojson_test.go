package vector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Clockwise exterior and counter-clockwise hole: both wrong for RFC 7946.
var (
	cwExterior = orb.Ring{{130.70, 32.80}, {130.70, 32.81}, {130.72, 32.81}, {130.72, 32.80}} // unclosed
	ccwHole    = orb.Ring{{130.705, 32.802}, {130.715, 32.802}, {130.715, 32.808}, {130.705, 32.808}, {130.705, 32.802}}
)

func ptrF(v float64) *float64 { return &v }

// polygonLayer is a district layer: a polygon with a hole given in the wrong
// orientation and a multipolygon; distance_m is whole in one feature.
func polygonLayer() []Feature {
	square := func(lon, lat, d float64) orb.Ring {
		return orb.Ring{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}
	}
	return []Feature{
		{ID: "101", Geometry: orb.Polygon{cwExterior, ccwHole}, Properties: []Property{
			{"district_id", "101"}, {"district_name", "白川校区"}, {"population", 12034},
			{"distance_m", 1500.0}, {"stores", 3}, {"gap", false},
		}},
		{ID: "102", Geometry: orb.MultiPolygon{
			{square(130.75, 32.75, 0.01), reversedRing(square(130.752, 32.752, 0.002))},
			{square(130.123456789, 32.00000004, 0.01)},
		}, Properties: []Property{
			{"district_id", "102"}, {"district_name", "五福校区"}, {"population", (*int)(nil)},
			{"distance_m", 1234.5}, {"stores", 0}, {"gap", true},
		}},
	}
}

func reversedRing(r orb.Ring) orb.Ring {
	out := r.Clone()
	out.Reverse()
	return out
}

// pointLayer is an office layer with awkward values: NaN, nil, text that
// encoding/json would escape, a float that is whole.
func pointLayer() []Feature {
	type kind string
	return []Feature{
		{ID: "w1", Geometry: orb.Point{130.7133, 32.8032}, Properties: []Property{
			{"office_id", "w1"}, {"office_name", "中央区役所"}, {"kind", kind("ward")},
			{"counter_count", 12}, {"published_km", nil}, {"distance_m", math.NaN()}, {"candidate", false},
		}},
		{ID: "b1", Geometry: orb.Point{130.64123456, 32.86000001}, Properties: []Property{
			{"office_id", "b1"}, {"office_name", "<北部> & \"総合\"\n出張所"}, {"kind", kind("branch")},
			{"counter_count", nil}, {"published_km", ptrF(4.0)}, {"distance_m", 4321.0}, {"candidate", true},
		}},
		{ID: "b2", Geometry: orb.Point{130.8, 32.7}, Properties: []Property{
			{"office_id", "b2"}, {"office_name", "城南"}, {"kind", kind("branch")},
			{"counter_count", int64(2)}, {"published_km", 1.0 / 3}, {"distance_m", math.Inf(1)}, {"candidate", true},
		}},
	}
}

func writeGeoJSON(t *testing.T, name string, fs []Feature) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteGeoJSON(&buf, name, fs); err != nil {
		t.Fatalf("WriteGeoJSON: %v", err)
	}
	return buf.Bytes()
}

func TestWriteGeoJSONGolden(t *testing.T) {
	tests := []struct {
		layer    string
		features []Feature
	}{
		{"districts", polygonLayer()},
		{"polygon", polygonLayer()[:1]},
		{"offices", pointLayer()},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.layer, func(t *testing.T) {
			got := writeGeoJSON(t, tt.layer, tt.features)
			assertGolden(t, tt.layer+".geojson.golden", got)

			// Valid JSON, read back by orb, one feature per line.
			if !json.Valid(got) {
				t.Fatalf("output is not valid JSON:\n%s", got)
			}
			fc, err := geojson.UnmarshalFeatureCollection(got)
			if err != nil {
				t.Fatalf("orb cannot read the output: %v", err)
			}
			if len(fc.Features) != len(tt.features) {
				t.Errorf("read back %d features, wrote %d", len(fc.Features), len(tt.features))
			}
			if lines := bytes.Count(got, []byte("\n")); lines != len(tt.features)+2 {
				t.Errorf("%d lines for %d features, want one per feature plus 2", lines, len(tt.features))
			}
			var top struct{ Name string }
			json.Unmarshal(got, &top)
			if top.Name != tt.layer {
				t.Errorf("name member = %q, want %q", top.Name, tt.layer)
			}
		})
	}
}

// rawCollection is the output decoded just enough to check geometry.
type rawCollection struct {
	Features []struct {
		Properties map[string]json.RawMessage
		Geometry   struct {
			Type        string
			Coordinates json.RawMessage
		}
	}
}

func decodeRaw(t *testing.T, out []byte) rawCollection {
	t.Helper()
	var fc rawCollection
	if err := json.Unmarshal(out, &fc); err != nil {
		t.Fatalf("decode output: %v\n%s", err, out)
	}
	return fc
}

// polygonRings returns the rings of every polygon in a Polygon or
// MultiPolygon geometry.
func polygonRings(t *testing.T, typ string, coords json.RawMessage) [][][][2]float64 {
	t.Helper()
	var polys [][][][2]float64
	switch typ {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(coords, &p); err != nil {
			t.Fatal(err)
		}
		polys = append(polys, p)
	case "MultiPolygon":
		if err := json.Unmarshal(coords, &polys); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("geometry type %s, want a polygon", typ)
	}
	return polys
}

// isCCW decides the orientation of a simple ring without areas: at its
// lowest (then leftmost) vertex the ring turns left iff it runs
// counter-clockwise.
func isCCW(r [][2]float64) bool {
	n := len(r) - 1 // closed: last repeats first
	lo := 0
	for i := 1; i < n; i++ {
		if r[i][1] < r[lo][1] || (r[i][1] == r[lo][1] && r[i][0] < r[lo][0]) {
			lo = i
		}
	}
	a, b, c := r[(lo+n-1)%n], r[lo], r[(lo+1)%n]
	return (b[0]-a[0])*(c[1]-b[1])-(b[1]-a[1])*(c[0]-b[0]) > 0
}

// checkRings fails unless every ring is closed, has 4+ positions, and runs
// counter-clockwise if exterior, clockwise if a hole.
func checkRings(t *testing.T, polys [][][][2]float64) {
	t.Helper()
	for i, p := range polys {
		for j, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Errorf("polygon %d ring %d is not closed or too short: %v", i, j, r)
				continue
			}
			if ccw := isCCW(r); ccw != (j == 0) {
				t.Errorf("polygon %d ring %d: counter-clockwise = %v, want %v", i, j, ccw, j == 0)
			}
		}
	}
}

func TestWriteGeoJSONOrientation(t *testing.T) {
	cwHole := reversedRing(ccwHole)
	ccwExterior := reversedRing(append(cwExterior.Clone(), cwExterior[0]))
	tests := []struct {
		name string
		geom orb.Geometry
	}{
		{"clockwise exterior and counter-clockwise hole", orb.Polygon{cwExterior, ccwHole}},
		{"already right", orb.Polygon{ccwExterior, cwHole}},
		{"ring", cwExterior},
		{"bound", orb.Bound{Min: orb.Point{130, 32}, Max: orb.Point{131, 33}}},
		{"multipolygon mixed", orb.MultiPolygon{{cwExterior, cwHole}, {ccwExterior, ccwHole}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := orb.Clone(tt.geom)
			out := writeGeoJSON(t, "l", []Feature{{Geometry: tt.geom}})
			fc := decodeRaw(t, out)
			g := fc.Features[0].Geometry
			checkRings(t, polygonRings(t, g.Type, g.Coordinates))
			if !orb.Equal(in, tt.geom) {
				t.Errorf("WriteGeoJSON modified its input")
			}
		})
	}
}

// TestWriteGeoJSONOrientationRandom writes random star-shaped polygons with
// random orientations and holes and checks the result against isCCW.
func TestWriteGeoJSONOrientationRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	star := func(cx, cy, rmin, rmax float64, n int, ccw bool) orb.Ring {
		r := make(orb.Ring, n)
		for i := range r {
			a := 2 * math.Pi * float64(i) / float64(n)
			if !ccw {
				a = -a
			}
			d := rmin + rng.Float64()*(rmax-rmin)
			r[i] = orb.Point{cx + d*math.Cos(a), cy + d*math.Sin(a)}
		}
		if rng.IntN(2) == 0 {
			r = append(r, r[0])
		}
		return r
	}
	for k := 0; k < 300; k++ {
		cx, cy := 130+rng.Float64(), 32+rng.Float64()
		size := math.Pow(10, -1-3*rng.Float64()) // 0.1° down to 1e-4° (about 10 m)
		p := orb.Polygon{star(cx, cy, 0.5*size, size, 3+rng.IntN(40), rng.IntN(2) == 0)}
		if rng.IntN(2) == 0 { // one hole around the centre keeps the polygon valid
			p = append(p, star(cx, cy, 0.1*size, 0.3*size, 3+rng.IntN(10), rng.IntN(2) == 0))
		}
		out := writeGeoJSON(t, "l", []Feature{{Geometry: p}})
		g := decodeRaw(t, out).Features[0].Geometry
		polys := polygonRings(t, g.Type, g.Coordinates)
		checkRings(t, polys)
		// Every written position is the input rounded to 1e-7 degree.
		for j, r := range polys[0] {
			for i, q := range r[:len(r)-1] {
				if !nearInputPosition(q, p[j], 0.5e-7+1e-12) {
					t.Fatalf("polygon %d ring %d position %d %v is no input position rounded", k, j, i, q)
				}
			}
		}
		if t.Failed() {
			t.Fatalf("polygon %d: %v", k, p)
		}
	}
}

func nearInputPosition(q [2]float64, r orb.Ring, tol float64) bool {
	for _, p := range r {
		if math.Abs(q[0]-p[0]) <= tol && math.Abs(q[1]-p[1]) <= tol {
			return true
		}
	}
	return false
}

func TestWriteGeoJSONCoordinates(t *testing.T) {
	tests := []struct {
		in   orb.Point
		want string
	}{
		{orb.Point{130.7, 32.8}, "[130.7,32.8]"},
		{orb.Point{130.123456789, 32.00000004}, "[130.1234568,32]"},
		{orb.Point{130.12345675, 32.99999999}, "[130.1234568,33]"},
		{orb.Point{-0.00000001, -0.00000004}, "[0,0]"},
		{orb.Point{-179.99999999, -89.5}, "[-180,-89.5]"},
		{orb.Point{1e-7, 5e-8}, "[0.0000001,0.0000001]"},
		{orb.Point{180, 90}, "[180,90]"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			out := writeGeoJSON(t, "l", []Feature{{Geometry: tt.in}})
			want := `"coordinates":` + tt.want + "}"
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("output %s does not contain %s", out, want)
			}
		})
	}
}

func TestWriteGeoJSONProperties(t *testing.T) {
	type wardName string
	var nilFloat *float64
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"whole float stays real", 1500.0, "1500.0"},
		{"float", 1234.5, "1234.5"},
		{"shortest round trip", 1.0 / 3, "0.3333333333333333"},
		{"zero float", 0.0, "0.0"},
		{"small float", 1e-7, "1e-7"},
		{"huge float", 1e21, "1e+21"},
		{"float32", float32(0.1), "0.1"},
		{"NaN", math.NaN(), "null"},
		{"+Inf", math.Inf(1), "null"},
		{"-Inf", math.Inf(-1), "null"},
		{"int", 42, "42"},
		{"int64", int64(-7), "-7"},
		{"uint8", uint8(200), "200"},
		{"bool", true, "true"},
		{"nil", nil, "null"},
		{"nil pointer", nilFloat, "null"},
		{"pointer", ptrF(2.5), "2.5"},
		{"named string", wardName("中央区"), `"中央区"`},
		{"Japanese unescaped", "熊本市役所", `"熊本市役所"`},
		{"HTML unescaped", "<a&b>", `"<a&b>"`},
		{"escapes", "\"q\"\\\n\t\x01", `"\"q\"\\\n\t\u0001"`},
		{"invalid UTF-8", "a\xffb", `"a\ufffdb"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := writeGeoJSON(t, "l", []Feature{{Properties: []Property{{"v", tt.value}}}})
			want := `"properties":{"v":` + tt.want + `},"geometry":null}`
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("output\n%s\ndoes not contain\n%s", out, want)
			}
			if !json.Valid(out) {
				t.Errorf("invalid JSON: %s", out)
			}
		})
	}
}

func TestWriteGeoJSONGeometryTypes(t *testing.T) {
	tests := []struct {
		geom orb.Geometry
		want string
	}{
		{nil, `"geometry":null`},
		{orb.MultiPoint{{130, 32}, {131, 33}}, `{"type":"MultiPoint","coordinates":[[130,32],[131,33]]}`},
		{orb.LineString{{130, 32}, {131, 33}}, `{"type":"LineString","coordinates":[[130,32],[131,33]]}`},
		{orb.MultiLineString{{{130, 32}, {131, 33}}}, `{"type":"MultiLineString","coordinates":[[[130,32],[131,33]]]}`},
		{orb.Polygon{}, `{"type":"Polygon","coordinates":[]}`},
		{orb.Collection{orb.Point{130, 32}, orb.LineString{{130, 32}, {131, 33}}},
			`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[130,32]},{"type":"LineString","coordinates":[[130,32],[131,33]]}]}`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%T", tt.geom), func(t *testing.T) {
			out := writeGeoJSON(t, "l", []Feature{{Geometry: tt.geom}})
			if !bytes.Contains(out, []byte(tt.want)) {
				t.Errorf("output\n%s\ndoes not contain\n%s", out, tt.want)
			}
		})
	}
}

func TestWriteGeoJSONErrors(t *testing.T) {
	ok := Feature{ID: "a", Geometry: orb.Point{130, 32}, Properties: []Property{{"n", 1}, {"s", "x"}}}
	tests := []struct {
		name    string
		feature Feature
		want    []string // substrings of the error
	}{
		{"projected coordinates", Feature{ID: "p", Geometry: orb.Point{-25000, 3620000}},
			[]string{"feature 1", `"p"`, "lon/lat"}},
		{"NaN coordinate", Feature{ID: "n", Geometry: orb.LineString{{130, 32}, {math.NaN(), 32}}},
			[]string{"feature 1", "position 1"}},
		{"short ring", Feature{ID: "r", Geometry: orb.Polygon{{{130, 32}, {131, 32}, {130, 32}}}},
			[]string{"feature 1", "ring 0", "at least 4"}},
		{"hole too short", Feature{ID: "h", Geometry: orb.MultiPolygon{{cwExterior}, {cwExterior, {{130, 32}}}}},
			[]string{"polygon 1 ring 1"}},
		{"unsupported value", Feature{ID: "u", Properties: []Property{{"list", []int{1}}}},
			[]string{"feature 1", `property "list"`, "[]int"}},
		{"type change", Feature{ID: "c", Properties: []Property{{"n", "one"}}},
			[]string{"feature 1", `property "n" is a string but was a number in feature 0`}},
		{"duplicate key", Feature{ID: "d", Properties: []Property{{"k", 1}, {"k", 2}}},
			[]string{`property "k" appears twice`}},
		{"empty key", Feature{ID: "e", Properties: []Property{{"", 1}}},
			[]string{"property 0 has an empty key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteGeoJSON(&bytes.Buffer{}, "layer", []Feature{ok, tt.feature})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range append(tt.want, `layer "layer"`) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	// Nulls and int/float mixes do not change a field's type.
	fine := []Feature{ok, {Properties: []Property{{"n", 2.5}, {"s", nil}}}}
	if err := WriteGeoJSON(&bytes.Buffer{}, "layer", fine); err != nil {
		t.Errorf("null and int/float mix rejected: %v", err)
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteGeoJSONWriteError(t *testing.T) {
	fs := make([]Feature, 2000)
	for i := range fs {
		fs[i] = Feature{ID: fmt.Sprint(i), Geometry: orb.Point{130, 32}}
	}
	err := WriteGeoJSON(&failingWriter{n: 10000}, "big", fs)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error = %v, want the writer's error", err)
	}
}

// TestWriteGeoJSONGDAL checks that GDAL (what QGIS uses) opens the written
// layers and gives the fields the intended types.
func TestWriteGeoJSONGDAL(t *testing.T) {
	ogrinfo := ogrtest.RequireOgrinfo(t)
	type want struct {
		geometry string
		count    int
		fields   map[string]string
	}
	tests := []struct {
		layer    string
		features []Feature
		want     want
		values   []string // lines expected in the full ogrinfo dump
	}{
		{"districts", polygonLayer(), want{"Multi Polygon", 2, map[string]string{
			"id": "String", "district_id": "String", "district_name": "String", "population": "Integer",
			"distance_m": "Real", "stores": "Integer", "gap": "Integer(Boolean)",
		}}, []string{"district_name (String) = 白川校区", "distance_m (Real) = 1500", "population (Integer) = (null)"}},
		{"polygons", polygonLayer()[:1], want{"Polygon", 1, map[string]string{"distance_m": "Real"}}, nil},
		{"offices", pointLayer(), want{"Point", 3, map[string]string{
			"id": "String", "office_id": "String", "office_name": "String", "kind": "String",
			"counter_count": "Integer", "published_km": "Real", "distance_m": "Real", "candidate": "Integer(Boolean)",
		}}, []string{"office_name (String) = 中央区役所", "distance_m (Real) = 4321", "published_km (Real) = (null)"}},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.layer, func(t *testing.T) {
			path := filepath.Join(dir, tt.layer+".geojson")
			if err := os.WriteFile(path, writeGeoJSON(t, tt.layer, tt.features), 0o644); err != nil {
				t.Fatal(err)
			}
			info := ogrtest.Info(t, path)
			layers := ogrtest.Layers(info)
			if len(layers) != 1 {
				t.Fatalf("ogrinfo shows %d layers, want 1:\n%s", len(layers), info)
			}
			l := layers[0]
			if l.Name != tt.layer || l.Geometry != tt.want.geometry || l.FeatureCount != tt.want.count {
				t.Errorf("layer %q geometry %q count %d, want %q %q %d", l.Name, l.Geometry, l.FeatureCount,
					tt.layer, tt.want.geometry, tt.want.count)
			}
			for f, typ := range tt.want.fields {
				if l.Fields[f] != typ {
					t.Errorf("field %s has type %q, want %q", f, l.Fields[f], typ)
				}
			}
			if t.Failed() {
				t.Logf("ogrinfo output:\n%s", info)
			}
			if len(tt.values) > 0 {
				dump, err := exec.Command(ogrinfo, "-al", "-q", path).CombinedOutput()
				if err != nil {
					t.Fatalf("ogrinfo -al: %v\n%s", err, dump)
				}
				for _, v := range tt.values {
					if !strings.Contains(string(dump), v) {
						t.Errorf("ogrinfo dump lacks %q:\n%s", v, dump)
					}
				}
			}
		})
	}
}

func BenchmarkWriteGeoJSON(b *testing.B) {
	// 100 districts of 1000 vertices each, roughly Kumamoto's 92 school districts.
	rng := rand.New(rand.NewPCG(3, 4))
	fs := make([]Feature, 100)
	for i := range fs {
		r := make(orb.Ring, 1000)
		for j := range r {
			a := -2 * math.Pi * float64(j) / float64(len(r))
			d := 0.01 + 0.005*rng.Float64()
			r[j] = orb.Point{130.7 + d*math.Cos(a), 32.8 + d*math.Sin(a)}
		}
		fs[i] = Feature{ID: fmt.Sprint(i), Geometry: orb.Polygon{r}, Properties: []Property{
			{"district_name", "白川校区"}, {"distance_m", rng.Float64() * 5000}, {"stores", i},
		}}
	}
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		var cw countingWriter
		if err := WriteGeoJSON(&cw, "districts", fs); err != nil {
			b.Fatal(err)
		}
		n = cw.n
	}
	b.SetBytes(n)
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func TestWriteGeoJSONPromotesMixedLayers(t *testing.T) {
	pt := orb.Point{130, 32}
	ls := orb.LineString{{130, 32}, {131, 33}}
	pg := orb.Polygon{cwExterior}
	tests := []struct {
		name  string
		geoms []orb.Geometry
		want  []string // geometry types written, in order
	}{
		{"polygons only", []orb.Geometry{pg, pg}, []string{"Polygon", "Polygon"}},
		{"polygon and multipolygon", []orb.Geometry{pg, orb.MultiPolygon{pg}}, []string{"MultiPolygon", "MultiPolygon"}},
		{"ring and bound with multipolygon", []orb.Geometry{cwExterior, orb.MultiPolygon{pg}, orb.Bound{Min: pt, Max: orb.Point{130.1, 32.1}}},
			[]string{"MultiPolygon", "MultiPolygon", "MultiPolygon"}},
		{"point and multipoint", []orb.Geometry{orb.MultiPoint{pt}, pt, nil}, []string{"MultiPoint", "MultiPoint", ""}},
		{"line and multiline", []orb.Geometry{ls, orb.MultiLineString{ls}}, []string{"MultiLineString", "MultiLineString"}},
		{"points and polygons are not promoted", []orb.Geometry{pt, pg}, []string{"Point", "Polygon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := make([]Feature, len(tt.geoms))
			for i, g := range tt.geoms {
				fs[i] = Feature{Geometry: g}
			}
			fc := decodeRaw(t, writeGeoJSON(t, "l", fs))
			for i, f := range fc.Features {
				if f.Geometry.Type != tt.want[i] {
					t.Errorf("feature %d written as %q, want %q", i, f.Geometry.Type, tt.want[i])
				}
				if f.Geometry.Type == "MultiPolygon" {
					checkRings(t, polygonRings(t, f.Geometry.Type, f.Geometry.Coordinates))
				}
			}
		})
	}
}

// sharedData is the project's real data folder, beside the repository.
var sharedData = filepath.Join("..", "..", "..", "shared", "data")

// TestWriteGeoJSONRealWards rewrites the real ward boundaries (a layer that
// mixes Polygon and MultiPolygon, which GDAL types "Unknown") and checks
// that every ring comes out closed and correctly oriented, every position
// moves by at most the rounding, and GDAL sees a MultiPolygon layer.
func TestWriteGeoJSONRealWards(t *testing.T) {
	src := filepath.Join(sharedData, "kumamoto_wards_N03-21_simplified1pct_smartnews.geojson")
	if _, err := os.Stat(sharedData); os.IsNotExist(err) {
		t.Skipf("SKIPPING real-data test in package vector: %s is absent", sharedData)
	}
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	in, err := geojson.UnmarshalFeatureCollection(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	fs := make([]Feature, len(in.Features))
	for i, f := range in.Features {
		name, _ := f.Properties["N03_004"].(string)
		code, _ := f.Properties["N03_007"].(string)
		fs[i] = Feature{ID: code, Geometry: f.Geometry, Properties: []Property{{"ward_code", code}, {"ward_name", name}}}
	}
	out := writeGeoJSON(t, "wards", fs)
	fc := decodeRaw(t, out)
	for i, f := range fc.Features {
		if f.Geometry.Type != "MultiPolygon" {
			t.Errorf("feature %d written as %s, want MultiPolygon (layer mixes both)", i, f.Geometry.Type)
		}
		polys := polygonRings(t, f.Geometry.Type, f.Geometry.Coordinates)
		checkRings(t, polys)
		var orig orb.MultiPolygon
		switch g := in.Features[i].Geometry.(type) {
		case orb.Polygon:
			orig = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			orig = g
		}
		for p, poly := range polys {
			for r, ring := range poly {
				for k, q := range ring {
					if !nearInputPosition(q, orig[p][r], 0.5e-7+1e-12) {
						t.Fatalf("feature %d polygon %d ring %d position %d %v is no input position rounded", i, p, r, k, q)
					}
				}
			}
		}
	}

	path := filepath.Join(t.TempDir(), "wards.geojson")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	ls := ogrtest.Layers(ogrtest.Info(t, path))
	if len(ls) != 1 || ls[0].Geometry != "Multi Polygon" || ls[0].FeatureCount != len(fs) || ls[0].Fields["ward_name"] != "String" {
		t.Errorf("ogrinfo sees %+v, want one Multi Polygon layer of %d features", ls, len(fs))
	}
}
