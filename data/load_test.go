package data

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	badDir  = "../testdata/bad/"
	goodDir = "../testdata/good/"
)

// badCase is one input file and what loading it must say.
type badCase struct {
	file  string // under testdata/bad/
	layer Layer  // "" for a directory loaded with LoadDir
	opt   Options
	// want are substrings of the error; none means loading must succeed.
	want []string
	// warn are substrings of one of the warnings.
	warn []string
}

var badCases = []badCase{
	{file: "offices_missing_id.csv", layer: LayerOffices, want: []string{"offices_missing_id.csv: line 3: field id: missing id", "--field offices.id="}},
	{file: "offices_duplicate_id.geojson", layer: LayerOffices, want: []string{"offices_duplicate_id.geojson: feature 2 (id=W1): field id: duplicate id \"W1\", also used by feature 0 (id=W1)", "must be unique"}},
	{file: "stores_duplicate_id.csv", layer: LayerStores, want: []string{"stores_duplicate_id.csv: line 4: field id: duplicate id \"S1\", also used by line 2"}},
	{file: "districts_missing_id.geojson", layer: LayerDistricts, want: []string{"districts_missing_id.geojson: feature 0: field id: missing id", "--field districts.id="}},
	{file: "offices_missing_name.csv", layer: LayerOffices, want: []string{"offices_missing_name.csv: line 3: field name: missing", "--field offices.name="}},
	{file: "offices_unknown_kind.csv", layer: LayerOffices, want: []string{"offices_unknown_kind.csv: line 3: field kind: unknown kind \"city_hall\"", "give ward (区役所) or branch"}},
	{file: "offices_nonnumeric.csv", layer: LayerOffices, want: []string{"offices_nonnumeric.csv: line 3: field lat: latitude \"32°46'N\" is not a number", "decimal degrees"}},
	{file: "offices_nonnumeric.geojson", layer: LayerOffices, want: []string{"offices_nonnumeric.geojson: feature 1 (id=B1): field geometry: a coordinate is a string", "without quotes"}},
	{file: "offices_nan.csv", layer: LayerOffices, want: []string{"offices_nan.csv: line 3: field lat: latitude \"NaN\" is not a finite number", "offices_nan.csv: line 4: field lon: longitude \"Inf\" is not a finite number"}},
	{file: "offices_nan.geojson", layer: LayerOffices, want: []string{"offices_nan.geojson: feature 1: line 28: invalid JSON", "no NaN or Infinity"}},
	{file: "offices_lat_range.csv", layer: LayerOffices, want: []string{"offices_lat_range.csv: line 3: field lat: latitude 95 is out of range", "±90"}},
	{file: "offices_lon_range.geojson", layer: LayerOffices, want: []string{"offices_lon_range.geojson: feature 1 (id=B1): field geometry: position [190.5, 32.7745] is out of range", "±180"}},
	{file: "offices_swapped.csv", layer: LayerOffices, want: []string{"offices_swapped.csv: line 2: fields lat/lon: latitude 130.7078 is out of range; latitude and longitude look swapped", "--field offices.lat=lon --field offices.lon=lat", "the same in 2 more rows"}},
	{file: "offices_swapped.geojson", layer: LayerOffices, want: []string{"offices_swapped.geojson: feature 0 (id=W1): field geometry:", "latitude and longitude look swapped", "[longitude, latitude]"}},
	{file: "dir_swapped", want: []string{"dir_swapped/stores.csv: fields lat/lon: 3 of 3 positions lie far outside the other layers", "latitude and longitude look swapped", "--field stores.lat="}},
	{file: "offices_projected.csv", layer: LayerOffices, want: []string{"offices_projected.csv: line 2: fields lat/lon: (x=-20212.5, y=-29431.2) are not degrees", "projected", "EPSG:6670", "EPSG:4326", "the same in 1 more row)"}},
	{file: "districts_projected.geojson", layer: LayerDistricts, want: []string{"districts_projected.geojson: feature 0 (id=D1): field geometry:", "projected coordinates in metres", "--crs districts=EPSG:NNNN", "ogr2ogr -s_srs EPSG:NNNN -t_srs EPSG:4326"}},
	// A legacy crs member naming plane rectangular zone II is converted.
	{file: "districts_projected_crs.geojson", layer: LayerDistricts},
	{file: "districts_wrong_type.geojson", layer: LayerDistricts, want: []string{"districts_wrong_type.geojson: feature 0 (id=D1): field geometry: the geometry is a Point; this layer needs Polygon or MultiPolygon"}},
	{file: "offices_wrong_type.geojson", layer: LayerOffices, want: []string{"offices_wrong_type.geojson: feature 0 (id=W1): field geometry: the geometry is a Polygon; this layer needs Point"}},
	{file: "districts_empty_geometry.geojson", layer: LayerDistricts, want: []string{"districts_empty_geometry.geojson: feature 1 (id=D2): field geometry: the geometry is empty (null)"}},
	{file: "districts_empty_ring.geojson", layer: LayerDistricts, want: []string{"districts_empty_ring.geojson: feature 0 (id=D1): field geometry: outer ring is empty", "at least 4 positions"}},
	{file: "districts_short_ring.geojson", layer: LayerDistricts, want: []string{"districts_short_ring.geojson: feature 0 (id=D1): field geometry: outer ring has 3 positions", "at least 4"}},
	{file: "districts_unclosed.geojson", layer: LayerDistricts, want: []string{"districts_unclosed.geojson: feature 0 (id=D1): field geometry: outer ring is not closed", "repeat the first position at the end"}},
	{file: "districts_selfintersect.geojson", layer: LayerDistricts, want: []string{"districts_selfintersect.geojson: feature 1 (id=D2): field geometry: the polygon is invalid", "not simple", "change its area by 21.1%", "Fix Geometries"}},
	{file: "districts_hole_outside.geojson", layer: LayerDistricts, want: []string{"districts_hole_outside.geojson: feature 0 (id=D1): field geometry: the polygon is invalid", "rings intersect", "Fix Geometries"}},
	{file: "districts_bowtie.geojson", layer: LayerDistricts, warn: []string{"districts_bowtie.geojson: feature 0 (id=D1): field geometry: the polygon was invalid", "repaired into 2 polygons; the rings as written enclose no area by the shoelace formula"}},
	{file: "districts_spike.geojson", layer: LayerDistricts, warn: []string{"districts_spike.geojson: feature 0 (id=D1): field geometry: the polygon was invalid", "was repaired"}},
	{file: "districts_negative_population.geojson", layer: LayerDistricts, want: []string{"districts_negative_population.geojson: feature 0 (id=D1): field population: negative population -5", "≥ 0"}},
	{file: "offices_empty.geojson", layer: LayerOffices, want: []string{"offices_empty.geojson: layer offices is empty", "leave the layer out"}},
	{file: "offices_empty.csv", layer: LayerOffices, want: []string{"offices_empty.csv: layer offices is empty"}},
	{file: "offices_bad_encoding.csv", layer: LayerOffices, want: []string{"offices_bad_encoding.csv: is neither UTF-8 nor Shift_JIS", "save it as UTF-8"}},
	{file: "offices.shp", layer: LayerOffices, want: []string{"offices.shp: no .dbf beside the .shp", "copy all its files"}},
	{file: "offices.kml", layer: LayerOffices, want: []string{"offices.kml: layer offices: unsupported format \".kml\"", "ogr2ogr -f GPKG"}},
	{file: "offices_feature.geojson", layer: LayerOffices, want: []string{"offices_feature.geojson: is a GeoJSON Feature, not a FeatureCollection"}},
	{file: "districts_nowkt.csv", layer: LayerDistricts, want: []string{"districts_nowkt.csv: line 1: field wkt: districts are polygons", "GeoJSON", "--field districts.wkt="}},
	{file: "offices_ragged.csv", layer: LayerOffices, want: []string{"offices_ragged.csv: line 3: the row has a different number of columns"}},
	{file: "stores_bad_mapping.csv", layer: LayerStores, opt: Options{Fields: map[Layer]map[string]string{LayerStores: {"name": "名前"}}},
		want: []string{"stores_bad_mapping.csv: field mapping stores.name=名前: the header has no column \"名前\"", "columns are id, 店名, lat, lon"}},
	{file: "offices_sjis.csv", layer: LayerOffices, warn: []string{"offices_sjis.csv: the text is not UTF-8; read as Shift_JIS: only Shift_JIS decodes every byte", "save the file as UTF-8"}},
	{file: "offices_bom.geojson", layer: LayerOffices},
}

func loadCase(c badCase) (*Dataset, []Warning, error) {
	if c.layer == "" {
		return LoadDir(badDir+c.file, c.opt)
	}
	return Load(Paths{c.layer: badDir + c.file}, c.opt)
}

func TestBadFiles(t *testing.T) {
	var golden strings.Builder
	for _, c := range badCases {
		t.Run(c.file, func(t *testing.T) {
			ds, warnings, err := loadCase(c)
			fmt.Fprintf(&golden, "== %s\n", c.file)
			if err != nil {
				fmt.Fprintf(&golden, "error: %v\n", err)
			}
			for _, w := range warnings {
				fmt.Fprintf(&golden, "warning: %v\n", w)
			}
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				if ds == nil {
					t.Fatal("nil dataset without error")
				}
			} else {
				if err == nil {
					t.Fatalf("want an error containing %q, got none", c.want)
				}
				if ds != nil {
					t.Errorf("got a dataset along with the error")
				}
				for _, w := range c.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error does not contain %q:\n%v", w, err)
					}
				}
			}
			if len(c.warn) > 0 {
				found := false
				for _, w := range warnings {
					all := true
					for _, s := range c.warn {
						all = all && strings.Contains(w.String(), s)
					}
					found = found || all
				}
				if !found {
					t.Errorf("no warning contains all of %q; warnings: %v", c.warn, warnings)
				}
			}
		})
	}
	checkGolden(t, badDir+"messages.golden", golden.String())
}

// checkGolden compares got with a golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./data/ -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("messages differ from %s (run with -update after checking them):\n--- got\n%s", path, got)
	}
}

func TestTrickyFilesLoadCorrectly(t *testing.T) {
	ds, _, err := Load(Paths{LayerOffices: badDir + "offices_sjis.csv"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Office{
		{ID: "W1", Name: "中央区役所", Kind: Ward, Ward: "中央区"},
		{ID: "B1", Name: "幸田出張所", Kind: Branch, Ward: "南区"},
		{ID: "B2", Name: "城山出張所", Kind: Branch, Ward: "西区"},
	}
	for i, w := range want {
		o := ds.Offices[i]
		if o.ID != w.ID || o.Name != w.Name || o.Kind != w.Kind || o.Ward != w.Ward {
			t.Errorf("Shift_JIS office %d = %+v, want %+v", i, o, w)
		}
	}
	ds, _, err = Load(Paths{LayerOffices: badDir + "offices_bom.geojson"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"12", "13", "B2"} {
		if got := ds.Offices[i].ID; got != id {
			t.Errorf("BOM GeoJSON office %d id = %q, want %q (numeric ids must not get decimals)", i, got, id)
		}
	}
	if ds.Offices[1].Location != [2]float64{130.7232, 32.7745} {
		t.Errorf("office 1 at %v", ds.Offices[1].Location)
	}
}

func TestRepairedPolygons(t *testing.T) {
	for _, c := range []struct {
		file  string
		parts int
		area  float64 // in square degrees ×1e4
	}{
		{"districts_bowtie.geojson", 2, 2},
		{"districts_spike.geojson", 1, 16},
	} {
		ds, _, err := Load(Paths{LayerDistricts: badDir + c.file}, Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		g := ds.Districts[0].Geometry
		if len(g) != c.parts {
			t.Errorf("%s: %d parts, want %d", c.file, len(g), c.parts)
		}
		if a := toGeom(g).Area() * 1e4; a < c.area*0.999 || a > c.area*1.001 {
			t.Errorf("%s: area %v, want %v", c.file, a, c.area)
		}
		if err := toGeom(g).Validate(); err != nil {
			t.Errorf("%s: repaired geometry invalid: %v", c.file, err)
		}
	}
}

func TestLoadDirGood(t *testing.T) {
	dir := goodDir + "dir"
	ds, warnings, err := LoadDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("unexpected warnings: %v", warnings)
	}
	if len(ds.Offices) != 3 || len(ds.Districts) != 3 || len(ds.Stores) != 3 || len(ds.Posts) != 2 || len(ds.Boundary) != 1 {
		t.Fatalf("counts: %d offices, %d districts, %d stores, %d posts, %d boundary polygons",
			len(ds.Offices), len(ds.Districts), len(ds.Stores), len(ds.Posts), len(ds.Boundary))
	}
	w := ds.Offices[0]
	if w.ID != "W1" || w.NameEn != "Chuo Ward Office" || w.Kind != Ward || w.Ward != "中央区" || w.Source != "approximate" ||
		w.CounterCount == nil || *w.CounterCount != 120000 || w.PublishedKm != nil {
		t.Errorf("office 0 = %+v", w)
	}
	if b := ds.Offices[2]; b.Kind != Branch || b.PublishedKm == nil || *b.PublishedKm != 6.1 || b.CounterCount != nil {
		t.Errorf("office 2 = %+v", b)
	}
	for i, want := range []struct {
		id  string
		pop float64
	}{{"1", 12000}, {"2", 8500}, {"D3", 0}} {
		d := ds.Districts[i]
		if d.ID != want.id || d.Pop() != want.pop {
			t.Errorf("district %d: id %q pop %v, want %q %v", i, d.ID, d.Pop(), want.id, want.pop)
		}
	}
	if ds.Districts[2].Population != nil || len(ds.Districts[2].Geometry) != 2 {
		t.Errorf("district D3 = %+v", ds.Districts[2])
	}
	if got := ds.Stores[2]; got.ID != "stores-2" || got.Name != "" {
		t.Errorf("store without id = %+v, want id stores-2", got)
	}
	if ds.Posts[0].ID != "P1" || ds.Posts[0].Name != "熊本中央郵便局" {
		t.Errorf("post 0 = %+v", ds.Posts[0])
	}
	for _, l := range Layers {
		ext := map[Layer]string{LayerOffices: ".csv", LayerPosts: ".csv"}[l]
		if ext == "" {
			ext = ".geojson"
		}
		if want := filepath.Join(dir, string(l)+ext); ds.Sources[l] != want {
			t.Errorf("Sources[%s] = %q, want %q", l, ds.Sources[l], want)
		}
	}
}

func TestLoadDirErrors(t *testing.T) {
	empty := t.TempDir()
	if _, _, err := LoadDir(empty, Options{}); err == nil || !strings.Contains(err.Error(), "no layer files found") {
		t.Errorf("empty dir: %v", err)
	}
	two := t.TempDir()
	for _, name := range []string{"offices.csv", "offices.geojson"} {
		if err := os.WriteFile(filepath.Join(two, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := LoadDir(two, Options{}); err == nil || !strings.Contains(err.Error(), "both offices.csv and offices.geojson") {
		t.Errorf("two offices files: %v", err)
	}
}

func TestDistrictsWKT(t *testing.T) {
	ds, _, err := Load(Paths{LayerDistricts: goodDir + "districts_wkt.csv"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Districts) != 2 || len(ds.Districts[0].Geometry) != 1 || len(ds.Districts[0].Geometry[0][0]) != 5 || ds.Districts[1].Population != nil {
		t.Errorf("districts = %+v", ds.Districts)
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"k/offices.csv": {Data: []byte("ID,名称,種別,lat,lng\nW1,中央区役所,ward_office,32.8031,130.7078\nB1,幸田出張所,general_branch_office,32.7745,130.7232\n")},
		"k/stores.geojson": {Data: []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","id":7,"properties":{"Shop":"ローソン"},"geometry":{"type":"Point","coordinates":[130.70,32.80]}}]}`)},
	}
	opt := Options{Fields: map[Layer]map[string]string{LayerStores: {"name": "shop"}}}
	ds, _, err := LoadFS(fsys, Paths{LayerOffices: "k/offices.csv", LayerStores: "k/stores.geojson"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Offices) != 2 || ds.Offices[1].Kind != Branch || ds.Offices[0].Name != "中央区役所" {
		t.Errorf("offices = %+v", ds.Offices)
	}
	if s := ds.Stores[0]; s.ID != "7" || s.Name != "ローソン" {
		t.Errorf("store = %+v", s)
	}
	if ds.Sources[LayerStores] != "k/stores.geojson" {
		t.Errorf("sources = %v", ds.Sources)
	}
	if _, _, err := LoadFS(fsys, Paths{LayerPosts: "k/missing.csv"}, Options{}); err == nil || !strings.Contains(err.Error(), "k/missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}

func TestParseFieldFlag(t *testing.T) {
	for _, c := range []struct {
		in                  string
		layer               Layer
		ours, theirs, error string
	}{
		{in: "districts.name=A27_004", layer: LayerDistricts, ours: "name", theirs: "A27_004"},
		{in: "stores.name=施設・場所名", layer: LayerStores, ours: "name", theirs: "施設・場所名"},
		{in: "Offices.LAT=y=1", layer: LayerOffices, ours: "lat", theirs: "y=1"},
		{in: "districts.name", error: "want layer.field=name"},
		{in: "name=A27_004", error: "want layer.field=name"},
		{in: "schools.name=x", error: "unknown layer \"schools\""},
		{in: "districts.kind=x", error: "layer districts has no field \"kind\""},
		{in: "offices.name= ", error: "is empty"},
	} {
		layer, ours, theirs, err := ParseFieldFlag(c.in)
		if c.error != "" {
			if err == nil || !strings.Contains(err.Error(), c.error) {
				t.Errorf("ParseFieldFlag(%q) error = %v, want %q", c.in, err, c.error)
			}
			continue
		}
		if err != nil || layer != c.layer || ours != c.ours || theirs != c.theirs {
			t.Errorf("ParseFieldFlag(%q) = %q, %q, %q, %v", c.in, layer, ours, theirs, err)
		}
	}
}

func TestUnknownMappings(t *testing.T) {
	_, _, err := Load(Paths{LayerOffices: goodDir + "dir/offices.csv"}, Options{Fields: map[Layer]map[string]string{LayerOffices: {"population": "x"}}})
	if err == nil || !strings.Contains(err.Error(), "layer offices has no field \"population\"") {
		t.Errorf("mapping an unknown field: %v", err)
	}
	_, _, err = Load(Paths{LayerStores: goodDir + "dir/stores.geojson"}, Options{Fields: map[Layer]map[string]string{LayerStores: {"name": "店名"}}})
	if err == nil || !strings.Contains(err.Error(), "stores.name=店名 names no property") {
		t.Errorf("mapping to a missing property: %v", err)
	}
}

func TestDecodeText(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want string
		enc  string
	}{
		{[]byte("名称"), "名称", "UTF-8"},
		{append([]byte{0xEF, 0xBB, 0xBF}, "名称"...), "名称", "UTF-8 with BOM"},
		{[]byte{0x96, 0xBC, 0x8F, 0xCC}, "名称", "Shift_JIS"},
		{[]byte{0x87, 0x40}, "①", "Shift_JIS"}, // a CP932 (NEC) extension
		{[]byte{'a', 0x81, ' '}, "", ""},
	} {
		dt, err := decodeText(c.in)
		got, enc := dt.text, dt.enc
		if c.enc == "" {
			if err == nil {
				t.Errorf("decodeText(% X) = %q, want an error", c.in, got)
			}
			continue
		}
		if err != nil || string(got) != c.want || enc != c.enc {
			t.Errorf("decodeText(% X) = %q, %q, %v; want %q, %q", c.in, got, enc, err, c.want, c.enc)
		}
	}
}

func TestLookupCRS(t *testing.T) {
	for _, c := range []struct {
		in       string
		name     string
		converts bool
	}{
		{"urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84 (WGS 84 longitude/latitude)", false},
		{"urn:ogc:def:crs:EPSG::4326", "EPSG:4326 (WGS 84)", false},
		{"EPSG:6668", "EPSG:6668 (JGD2011)", false},
		{"urn:ogc:def:crs:EPSG::6670", "EPSG:6670 (JGD2011 / Japan Plane Rectangular CS II)", true},
		{"urn:ogc:def:crs:EPSG::6687", "EPSG:6687 (JGD2011 / Japan Plane Rectangular CS XIX)", true},
		{"urn:ogc:def:crs:EPSG::2444", "EPSG:2444 (JGD2000 / Japan Plane Rectangular CS II)", true},
		{"urn:ogc:def:crs:EPSG::3857", "EPSG:3857 (WGS 84 / Pseudo-Mercator)", true},
		{"urn:ogc:def:crs:EPSG::6690", "EPSG:6690 (JGD2011 / UTM zone 53N)", true},
		{"urn:ogc:def:crs:EPSG::32652", "EPSG:32652 (WGS 84 / UTM zone 52N)", true},
	} {
		got := lookupCRS(c.in)
		if got.name != c.name || got.converts() != c.converts || got.projected {
			t.Errorf("lookupCRS(%q) = %+v, want %q converts=%v", c.in, got, c.name, c.converts)
		}
	}
}

func TestCRSWarnings(t *testing.T) {
	dir := t.TempDir()
	write := func(name, crs string) string {
		p := filepath.Join(dir, name)
		s := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"` + crs + `"}},"features":[
{"type":"Feature","properties":{"id":"W1","name":"中央区役所","kind":"ward"},"geometry":{"type":"Point","coordinates":[130.7078,32.8031]}}]}`
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct{ crs, warn, err string }{
		{crs: "urn:ogc:def:crs:EPSG::4301", warn: "Tokyo datum"},
		{crs: "urn:ogc:def:crs:EPSG::9999", err: "member crs: EPSG:9999 is not a CRS this loader converts"},
		{crs: "urn:ogc:def:crs:OGC:1.3:CRS84"},
	} {
		_, warnings, err := Load(Paths{LayerOffices: write("offices.geojson", c.crs)}, Options{})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "--crs offices=EPSG:NNNN") {
				t.Errorf("%s: error %v, want %q and advice", c.crs, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.crs, err)
		}
		var all []string
		for _, w := range warnings {
			if w.Field == "crs" {
				all = append(all, w.String())
			}
		}
		if c.warn == "" && len(all) > 0 || c.warn != "" && (len(all) != 1 || !strings.Contains(all[0], c.warn)) {
			t.Errorf("%s: crs warnings %q, want %q", c.crs, all, c.warn)
		}
	}
}

// TestOneColumnTwoFields: two of our fields may read one column (issue 21:
// this said the column did not exist), while a field mapped to the column
// that holds the geometry is refused, saying so (it said to add a WKT
// column).
func TestOneColumnTwoFields(t *testing.T) {
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "districts.csv")
	if err := os.WriteFile(csvFile, []byte("NAME,WKT\nA,\"POLYGON ((130 32, 131 32, 131 33, 130 32))\"\nB,\"POLYGON ((131 32, 132 32, 132 33, 131 32))\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	geojsonFile := filepath.Join(dir, "districts.geojson")
	if err := os.WriteFile(geojsonFile, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"NAME":"A"},"geometry":{"type":"Polygon","coordinates":[[[130,32],[131,32],[131,33],[130,32]]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	both := Options{Fields: map[Layer]map[string]string{LayerDistricts: {"id": "NAME", "name": "NAME"}}}
	for _, file := range []string{csvFile, geojsonFile} {
		ds, _, err := Load(Paths{LayerDistricts: file}, both)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if d := ds.Districts[0]; d.ID != "A" || d.Name != "A" {
			t.Errorf("%s: district %q named %q, want A, A", file, d.ID, d.Name)
		}
	}
	_, _, err := Load(Paths{LayerDistricts: csvFile}, Options{Fields: map[Layer]map[string]string{LayerDistricts: {"id": "NAME", "name": "WKT"}}})
	if err == nil || !strings.Contains(err.Error(), `districts.csv: field mapping districts.name=WKT: column "WKT" holds the geometry (wkt); map name to the column that holds it, one of NAME, WKT`) {
		t.Errorf("name mapped to the WKT column: %v", err)
	}
}

// TestCSVWKTPoints: a CSV of points in a WKT column (as GDAL writes and
// reads it) is read; issue 21: it said "no latitude column".
func TestCSVWKTPoints(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, text, want string }{
		{"points", "id,name,WKT\ns1,A,POINT (130.7 32.8)\ns2,B,\"MULTIPOINT ((130.8 32.9))\"\n", ""},
		{"lines", "id,WKT\ns1,\"LINESTRING (130 32, 131 33)\"\n", "stores.csv: line 2: field geometry: the geometry is a LineString; this layer needs POINT geometries"},
		{"curves", "id,WKT\ns1,\"CIRCULARSTRING (0 0, 1 1, 2 0)\"\n", "the geometry is a CIRCULARSTRING, with curved edges, which are not read; linearise the curves first, e.g. ogr2ogr -nlt CONVERT_TO_LINEAR"},
		{"neither", "id,name\ns1,A\n", "no latitude column (lat, latitude, 緯度, y) in the header \"id,name\", and no WKT column (wkt, geometry, geom, the_geom) of points"},
	} {
		file := filepath.Join(dir, "stores.csv")
		if err := os.WriteFile(file, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		ds, _, err := Load(Paths{LayerStores: file}, Options{})
		if c.want != "" {
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want %q", c.name, err, c.want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(ds.Stores) != 2 || ds.Stores[0].Location != [2]float64{130.7, 32.8} || ds.Stores[1].Location != [2]float64{130.8, 32.9} || ds.Stores[1].Name != "B" {
			t.Errorf("%s: %+v", c.name, ds.Stores)
		}
	}
}

// TestRepeatedFeatures: a FeatureCollection with two "features" members is
// read as GDAL reads it, both arrays, numbered on (issue 21: it reported a
// duplicate id the file did not contain).
func TestRepeatedFeatures(t *testing.T) {
	needShared(t)
	ds, warns, err := Load(Paths{LayerStores: sharedData + "gdal_autotest/derived_probes/dupkey_features.geojson"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Stores) != 2 || ds.Stores[0].Name != "A" || ds.Stores[1].Name != "B" || ds.Stores[1].ID != "stores-1" {
		t.Errorf("stores %+v, want A then B", ds.Stores)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Message, `the member "features" appears more than once`) {
		t.Errorf("warnings %v", warns)
	}
}

// TestLoadDirLayers reads only the layers Options.Layers names: the other
// files of the folder may be anything.
func TestLoadDirLayers(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"offices.csv":       "id,name,kind,lat,lon\nw1,Ward,ward,32.80,130.70\nb1,Branch,branch,32.85,130.75\n",
		"districts.geojson": "not JSON",
		"stores.csv":        "not, a, layer\n\"",
		"offices.geojson":   "a second offices file, not read either",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := LoadDir(dir, Options{Layers: []Layer{LayerDistricts}}); err == nil || !strings.Contains(err.Error(), "districts.geojson") {
		t.Errorf("districts only: %v, want an error naming districts.geojson", err)
	}
	if _, _, err := LoadDir(dir, Options{Layers: []Layer{LayerPosts, LayerBoundary}}); err == nil || !strings.Contains(err.Error(), "no layer files found; name them posts, boundary") {
		t.Errorf("posts and boundary: %v, want no layer files found naming them", err)
	}
	_ = os.Remove(filepath.Join(dir, "offices.geojson"))
	ds, _, err := LoadDir(dir, Options{Layers: []Layer{LayerOffices}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Offices) != 2 || len(ds.Districts) != 0 || len(ds.Stores) != 0 {
		t.Errorf("read %d offices, %d districts, %d stores; want 2, 0, 0", len(ds.Offices), len(ds.Districts), len(ds.Stores))
	}
}
