package gpkg

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	orbwkb "github.com/paulmach/orb/encoding/wkb"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// formatFeatures are test layers: polygons mixing Polygon and MultiPolygon
// (written all multi), points, nulls, Japanese text and each value type.
func formatFeatures() map[string][]vector.Feature {
	sq := func(x, y float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + 0.01, y}, {x + 0.01, y + 0.01}, {x, y + 0.01}, {x, y}}}
	}
	return map[string][]vector.Feature{
		"districts": {
			{ID: "d1", Geometry: sq(130.70, 32.80), Properties: []vector.Property{{"district_id", "d1"}, {"district_name", "一新校区"}, {"population", 1500.0}, {"distance_m", 1234.5}, {"stores", 2}, {"gap", false}}},
			{ID: "d2", Geometry: orb.MultiPolygon{sq(130.71, 32.80), sq(130.73, 32.80)}, Properties: []vector.Property{{"district_id", "d2"}, {"district_name", "五福校区"}, {"population", nil}, {"distance_m", 5400.0}, {"stores", 0}, {"gap", true}}},
		},
		"offices": {
			{ID: "chuo", Geometry: orb.Point{130.7079, 32.8031}, Properties: []vector.Property{{"office_id", "chuo"}, {"office_name", "中央区役所"}, {"kind", "ward"}, {"candidate", true}}},
			{ID: "b1", Geometry: orb.Point{130.75, 32.79}, Properties: []vector.Property{{"office_id", "b1"}, {"office_name", "出張所"}, {"kind", "branch"}, {"candidate", false}}},
		},
	}
}

func TestWriteGeoPackageOgrinfo(t *testing.T) {
	ogrtest.RequireOgrinfo(t)
	path := filepath.Join(t.TempDir(), "report.gpkg")
	fs := formatFeatures()
	style, err := vector.Style{Renderer: vector.Single, Classes: []vector.StyleClass{{Label: "all"}}}.QML()
	if err != nil {
		t.Fatal(err)
	}
	var layers []Layer
	for _, name := range []string{"districts", "offices"} {
		layers = append(layers, Layer{Name: name, Features: fs[name], Style: style})
	}
	if err := Write(path, layers); err != nil {
		t.Fatal(err)
	}
	info := ogrtest.Info(t, path)
	got := map[string]ogrtest.Layer{}
	for _, l := range ogrtest.Layers(info) {
		got[l.Name] = l
	}
	want := map[string]struct {
		geom   string
		count  int
		fields map[string]string
	}{
		"districts": {"Multi Polygon", 2, map[string]string{"id": "String", "district_name": "String", "population": "Real", "distance_m": "Real", "stores": "Integer64", "gap": "Integer(Boolean)"}},
		"offices":   {"Point", 2, map[string]string{"office_name": "String", "kind": "String", "candidate": "Integer(Boolean)"}},
	}
	for name, w := range want {
		l, ok := got[name]
		if !ok {
			t.Fatalf("ogrinfo lists no layer %s:\n%s", name, info)
		}
		if l.Geometry != w.geom || l.FeatureCount != w.count {
			t.Errorf("%s: geometry %q count %d, want %q %d", name, l.Geometry, l.FeatureCount, w.geom, w.count)
		}
		for f, typ := range w.fields {
			if l.Fields[f] != typ {
				t.Errorf("%s.%s: type %q, want %q", name, f, l.Fields[f], typ)
			}
		}
	}
	if !strings.Contains(info, `ID["EPSG",4326]`) && !strings.Contains(info, `AUTHORITY["EPSG","4326"]`) {
		t.Errorf("no EPSG:4326 SRS in ogrinfo output:\n%s", info)
	}
	// The spatial index is found and usable, and values read back.
	out, err := exec.Command("ogrinfo", "-ro", "-q", "-sql", "SELECT HasSpatialIndex('districts', 'geom') AS idx, district_name FROM districts WHERE fid = 2", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -sql: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "idx (Integer) = 1") || !strings.Contains(string(out), "五福校区") {
		t.Errorf("spatial index or values not read back:\n%s", out)
	}
	out, err = exec.Command("ogrinfo", "-ro", "-q", "-sql", "SELECT f_table_name FROM layer_styles", path).CombinedOutput()
	if err != nil || strings.Count(string(out), "f_table_name (String) =") != 2 {
		t.Errorf("layer_styles: %v\n%s", err, out)
	}
}

func TestWriteGeoPackageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		layers []Layer
		want   string
	}{
		{"reserved", []Layer{{Name: "gpkg_contents"}}, "reserved"},
		{"twice", []Layer{{Name: "a"}, {Name: "A"}}, "appears twice"},
		{"projected", []Layer{{Name: "a", Features: []vector.Feature{{Geometry: orb.Point{-20000, -30000}}}}}, "not a lon/lat position"},
		{"mixed", []Layer{{Name: "a", Features: []vector.Feature{{Properties: []vector.Property{{"k", "x"}}}, {Properties: []vector.Property{{"k", 1.5}}}}}}, `property "k" is number in feature 1 but string before`},
	} {
		path := filepath.Join(dir, c.name+".gpkg")
		err := Write(path, c.layers)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
		if _, statErr := os.Stat(path); statErr == nil {
			t.Errorf("%s: a failed write left %s", c.name, path)
		}
		if m, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(m) > 0 {
			t.Errorf("%s: temporary files left: %v", c.name, m)
		}
	}
}

// TestWKBMatchesOrb checks that go-geom's WKB, which the writer uses, is
// byte for byte the WKB of orb's encoder that it replaced, for every
// geometry type a layer can hold.
func TestWKBMatchesOrb(t *testing.T) {
	ring := orb.Ring{{130.7, 32.8}, {130.71, 32.8}, {130.71, 32.81}, {130.7, 32.8}}
	hole := orb.Ring{{130.702, 32.801}, {130.703, 32.801}, {130.703, 32.802}, {130.702, 32.801}}
	for _, g := range []orb.Geometry{
		orb.Point{130.7079, 32.8031},
		orb.MultiPoint{{130.7, 32.8}, {-180, -90}},
		orb.MultiPoint{},
		orb.LineString{{130.7, 32.8}, {130.8, 32.9}},
		orb.MultiLineString{{{130.7, 32.8}, {130.8, 32.9}}, {{1, 2}, {3, 4}, {5, 6}}},
		orb.Polygon{ring, hole},
		orb.MultiPolygon{{ring, hole}, {ring}},
		orb.MultiPolygon{},
		orb.Collection{orb.Point{1, 2}, orb.Polygon{ring}},
		orb.Collection{},
	} {
		got, err := marshalWKB(g)
		if err != nil {
			t.Fatalf("%T %v: %v", g, g, err)
		}
		want, err := orbwkb.Marshal(g, binary.LittleEndian)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%T %v:\n got %x\nwant %x", g, g, got, want)
		}
	}
}

// TestWriteGeoPackageMakesFolder writes into folders that do not exist yet,
// as GeoJSON and CSV outputs do (issue 11: isochrones --format gpkg -o
// dir/iso.gpkg failed when dir was missing).
func TestWriteGeoPackageMakesFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "deeper", "iso.gpkg")
	fs := formatFeatures()
	if err := Write(path, []Layer{{Name: "districts", Features: fs["districts"]}}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("%s: %v", path, err)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}
