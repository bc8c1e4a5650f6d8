package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// geojsonInputs are the GeoJSON files of the repository and of the shared
// real data, the inputs the fast decoder must read as encoding/json does.
func geojsonInputs(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	for _, root := range []string{"../testdata", "kumamoto", "../../shared/data"} {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if ext := strings.ToLower(filepath.Ext(path)); ext != ".geojson" && ext != ".json" {
				return nil
			}
			b, err := os.ReadFile(path)
			if err == nil && len(b) < 64<<20 {
				files[path] = b
			}
			return nil
		})
	}
	if len(files) < 20 {
		t.Fatalf("found %d GeoJSON files; want the repository's and ../shared/data's", len(files))
	}
	return files
}

// decodeBoth reads text with the fast decoder and with encoding/json and
// fails t where they differ. It reports whether the fast decoder took it.
func decodeBoth(t *testing.T, name string, text []byte, layer Layer) bool {
	t.Helper()
	dt, err := decodeText(text)
	if err != nil {
		return false
	}
	text = dt.text
	res, err := newResolver(layer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var fast, slow []*record
	fastKeys, slowKeys := map[string]bool{}, map[string]bool{}
	fastHdr, fastErr := readGeoJSONFast(text, res, fastKeys, reuseNothing, func(r *record) { fast = append(fast, r) })
	if fastErr == errNotFast {
		return false
	}
	slowHdr, slowErr := readGeoJSONStd(text, res, slowKeys, func(r *record) { slow = append(slow, r) })
	if (fastErr == nil) != (slowErr == nil) {
		t.Fatalf("%s: fast decoder error %v, encoding/json error %v", name, fastErr, slowErr)
	}
	// CRS conversions are functions: compare what else the CRS says.
	for _, h := range []*geojsonHeader{&fastHdr, &slowHdr} {
		if h.crs != nil {
			c := *h.crs
			if c.toLonLat != nil {
				c.toLonLat, c.approx = nil, c.approx+" (converts)"
			}
			h.crs = &c
		}
	}
	if !reflect.DeepEqual(fastHdr, slowHdr) {
		t.Errorf("%s: header %+v, encoding/json %+v", name, fastHdr, slowHdr)
	}
	if !reflect.DeepEqual(fastKeys, slowKeys) {
		t.Errorf("%s: property names %v, encoding/json %v", name, fastKeys, slowKeys)
	}
	if len(fast) != len(slow) {
		t.Fatalf("%s: %d features, encoding/json %d", name, len(fast), len(slow))
	}
	for i := range fast {
		f, s := fast[i], slow[i]
		if f.index != s.index || !reflect.DeepEqual(f.fid, s.fid) || !reflect.DeepEqual(f.values, s.values) {
			t.Fatalf("%s: feature %d: fast %d %#v %#v, encoding/json %d %#v %#v", name, i, f.index, f.fid, f.values, s.index, s.fid, s.values)
		}
		if (f.geom == nil) != (s.geom == nil) || f.geom != nil && f.geom.Type != s.geom.Type {
			t.Fatalf("%s: feature %d: geometry %+v, encoding/json %+v", name, i, f.geom, s.geom)
		}
		fp, fmsg := pointGeometry(f.geom)
		sp, smsg := pointGeometry(s.geom)
		if fp != sp || fmsg != smsg {
			t.Errorf("%s: feature %d: point %v %q, encoding/json %v %q", name, i, fp, fmsg, sp, smsg)
		}
		fmp, fmulti, fmsg := polygonGeometry(f.geom)
		smp, smulti, smsg := polygonGeometry(s.geom)
		if !reflect.DeepEqual(fmp, smp) || fmulti != smulti || fmsg != smsg {
			t.Errorf("%s: feature %d: polygons %v %v %q, encoding/json %v %v %q", name, i, fmp, fmulti, fmsg, smp, smulti, smsg)
		}
		fl, fmsg := lineGeometry(f.geom)
		sl, smsg := lineGeometry(s.geom)
		if !reflect.DeepEqual(fl, sl) || fmsg != smsg {
			t.Errorf("%s: feature %d: lines %v %q, encoding/json %v %q", name, i, fl, fmsg, sl, smsg)
		}
	}
	return true
}

// TestFastGeoJSONAsEncodingJSON checks that the fast decoder gives the
// records encoding/json gives on every GeoJSON file we have, and on edge
// cases that it must hand to encoding/json or read with care.
func TestFastGeoJSONAsEncodingJSON(t *testing.T) {
	took := 0
	files := geojsonInputs(t)
	for name, b := range files {
		for _, layer := range []Layer{LayerDistricts, LayerOffices} {
			if decodeBoth(t, name, b, layer) {
				took++
			}
		}
	}
	t.Logf("the fast decoder took %d of %d readings", took, 2*len(files))
	if took < len(files) {
		t.Errorf("the fast decoder took %d of %d readings; it should take most files", took, 2*len(files))
	}
	for _, tc := range fastEdgeCases {
		decodeBoth(t, tc, []byte(tc), LayerDistricts)
	}
}

// fastEdgeCases are inputs where a shortcut would differ from encoding/json.
var fastEdgeCases = []string{
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2,3]},"properties":{"id":1,"name":"a"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{"id":"x"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,2]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":["1",2]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,null]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"coordinates":[1,2],"type":"Point"},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point"},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":null},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4]]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[]]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,{"a":1}],[0,0]]]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]],[[5.1,5.1],[5.2,5.1],[5.2,5.2],[5.1,5.1]]]]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":null}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"geometry":null,"properties":{"ID":"a","nested":{"a":[1,2.50,{"b":null}]},"flag":true,"n":null,"名前":"熊本"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","id":{"a":1},"geometry":null,"properties":{"id":[1,"x"]}}]}`,
	`{"type":"FeatureCollection","features":[{"Type":"Feature","Geometry":{"type":"Point","coordinates":[1,2]},"Properties":{"id":"x"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"TYPE":"Point","coordinates":[1,2]},"properties":{"id":"x"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","id":"b"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"\ud800"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":7,"properties":{"id":"a"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":null,"properties":{"id":"a"}}]}`,
	`{"type":"FeatureCollection","features":[null]}`,
	`{"type":"FeatureCollection","features":[]} trailing`,
	`{"features":[],"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:6670"}}}`,
	`{"type":"FeatureCollection","features":[],"features":[]}`,
	`{"type":"Feature","features":[]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"population":"1,234","id":"x"}}`,
	`[1,2]`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","ID":"b"," id":"c","name":"x"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ID":"b","id":"a"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","foreign":{"deep":[[1,2],{"x":null}]}},"geometry":{"type":"Point","coordinates":[130.7,32.8],"bbox":[1,2,3,4],"extra":{"a":1}},"bbox":[1,2],"title":"t"}],"name":"layer","bbox":[1,2,3,4]}`,
	`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[130.7,32.8]}}]}`,
	`{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":6670}},"features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[-10000,20000]}}]}`,
	`{"type":"FeatureCollection","crs":null,"features":[]}`,
	`{"type":"FeatureCollection","crs":"EPSG:4326","features":[]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Point"}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[-0.0,1E-400]}}]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[1.7976931348623157e308,2]}}]}`,
	"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"caf\xe9\"}}]}",
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[1,2]}},]}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[1,2]}}`,
	`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"population":12345678901234567890123,"id":1.5e3}}]}`,
}

// TestReadGeoJSONFallsBack reads every input with readGeoJSON, which tries
// the fast decoder first and, where it gives up part way, forgets what it
// handed out and reads the file with encoding/json: the records, header
// and error must be those of encoding/json alone, message for message.
func TestReadGeoJSONFallsBack(t *testing.T) {
	inputs := map[string][]byte{}
	for name, b := range geojsonInputs(t) {
		inputs[name] = b
	}
	for i, tc := range fastEdgeCases {
		inputs[fmt.Sprintf("edge case %d", i)] = []byte(tc)
	}
	for name, text := range inputs {
		dt, err := decodeText(text)
		if err != nil {
			continue
		}
		res, err := newResolver(LayerDistricts, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var both, slow []*record
		bothKeys, slowKeys := map[string]bool{}, map[string]bool{}
		_, bothErr := readGeoJSON(dt.text, res, bothKeys, reuseNothing, func(r *record) { both = append(both, r) }, func() { both = nil })
		_, slowErr := readGeoJSONStd(dt.text, res, slowKeys, func(r *record) { slow = append(slow, r) })
		if fmt.Sprint(bothErr) != fmt.Sprint(slowErr) {
			t.Errorf("%s: error %v, encoding/json %v", name, bothErr, slowErr)
			continue
		}
		if !reflect.DeepEqual(bothKeys, slowKeys) {
			t.Errorf("%s: property names %v, encoding/json %v", name, bothKeys, slowKeys)
		}
		if len(both) != len(slow) {
			t.Errorf("%s: %d features, encoding/json %d", name, len(both), len(slow))
			continue
		}
		for i := range both {
			if !reflect.DeepEqual(both[i].values, slow[i].values) || !reflect.DeepEqual(both[i].fid, slow[i].fid) {
				t.Errorf("%s: feature %d: %v, encoding/json %v", name, i, both[i].values, slow[i].values)
				break
			}
		}
	}
}

// FuzzFastGeoJSON checks the fast decoder against encoding/json on
// mutated GeoJSON.
func FuzzFastGeoJSON(f *testing.F) {
	for _, tc := range fastEdgeCases {
		f.Add([]byte(tc))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeBoth(t, "input", b, LayerDistricts)
	})
}

// TestDecimalFloat checks the fast number path against strconv.ParseFloat,
// bit for bit, on edge cases and on a million random decimals.
func TestDecimalFloat(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, ok := decimalFloat([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q: taken by decimalFloat, refused by strconv: %v", s, err)
		}
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: %v (%#x), strconv %v (%#x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
	for _, tc := range []struct {
		s  string
		ok bool
	}{
		{"0", true}, {"-0", true}, {"130.7416667", true}, {"-32.8031004", true}, {"0.1", true},
		{"999999999999999", true}, {"9999999999999999", false}, {"0.000000000000001", false}, {"0.00000000000001", true},
		{"1e5", false}, {"1E5", false}, {"1.5e-3", false}, {"", false}, {"-", false}, {".5", true},
		{"12345678901234.5", true}, {"1234567890123456.5", false},
	} {
		if _, ok := decimalFloat([]byte(tc.s)); ok != tc.ok {
			t.Errorf("%q: ok %v, want %v", tc.s, ok, tc.ok)
		}
		check(tc.s)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b []byte
	for range 1_000_000 {
		b = b[:0]
		if rng.IntN(2) == 0 {
			b = append(b, '-')
		}
		n := 1 + rng.IntN(17)
		point := rng.IntN(n + 1)
		for k := range n {
			if k == point && k > 0 {
				b = append(b, '.')
			}
			b = append(b, byte('0'+rng.IntN(10)))
		}
		check(string(b))
	}
}
