package render

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// formatFeatures are test layers: polygons mixing Polygon and MultiPolygon
// (written all multi), points, nulls, Japanese text and each value type.
func formatFeatures() map[string][]Feature {
	sq := func(x, y float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + 0.01, y}, {x + 0.01, y + 0.01}, {x, y + 0.01}, {x, y}}}
	}
	return map[string][]Feature{
		"districts": {
			{ID: "d1", Geometry: sq(130.70, 32.80), Properties: []Property{{"district_id", "d1"}, {"district_name", "一新校区"}, {"population", 1500.0}, {"distance_m", 1234.5}, {"stores", 2}, {"gap", false}}},
			{ID: "d2", Geometry: orb.MultiPolygon{sq(130.71, 32.80), sq(130.73, 32.80)}, Properties: []Property{{"district_id", "d2"}, {"district_name", "五福校区"}, {"population", nil}, {"distance_m", 5400.0}, {"stores", 0}, {"gap", true}}},
		},
		"offices": {
			{ID: "chuo", Geometry: orb.Point{130.7079, 32.8031}, Properties: []Property{{"office_id", "chuo"}, {"office_name", "中央区役所"}, {"kind", "ward"}, {"candidate", true}}},
			{ID: "b1", Geometry: orb.Point{130.75, 32.79}, Properties: []Property{{"office_id", "b1"}, {"office_name", "出張所"}, {"kind", "branch"}, {"candidate", false}}},
		},
	}
}

func TestWriteGeoPackageOgrinfo(t *testing.T) {
	ogrtest.RequireOgrinfo(t)
	path := filepath.Join(t.TempDir(), "report.gpkg")
	fs := formatFeatures()
	var layers []GPKGLayer
	for _, name := range []string{"districts", "offices"} {
		style, _ := LayerQML(name, fs[name])
		layers = append(layers, GPKGLayer{Name: name, Features: fs[name], Style: style})
	}
	if err := WriteGeoPackage(path, layers); err != nil {
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
		layers []GPKGLayer
		want   string
	}{
		{"reserved", []GPKGLayer{{Name: "gpkg_contents"}}, "reserved"},
		{"twice", []GPKGLayer{{Name: "a"}, {Name: "A"}}, "appears twice"},
		{"projected", []GPKGLayer{{Name: "a", Features: []Feature{{Geometry: orb.Point{-20000, -30000}}}}}, "not a lon/lat position"},
		{"mixed", []GPKGLayer{{Name: "a", Features: []Feature{{Properties: []Property{{"k", "x"}}}, {Properties: []Property{{"k", 1.5}}}}}}, `property "k" is REAL`},
	} {
		path := filepath.Join(dir, c.name+".gpkg")
		err := WriteGeoPackage(path, c.layers)
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

func TestWriteCSVWKT(t *testing.T) {
	fs := formatFeatures()
	var buf bytes.Buffer
	if err := WriteCSVWKT(&buf, fs["districts"]); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "WKT,id,district_id,district_name,population") ||
		!strings.HasPrefix(lines[1], `"MULTIPOLYGON(((130.7 32.8,130.71 32.8,`) || !strings.Contains(lines[2], ",d2,d2,五福校区,,5400,0,true") {
		t.Fatalf("unexpected CSV:\n%s", buf.String())
	}
	ogrtest.RequireOgrinfo(t)
	path := filepath.Join(t.TempDir(), "districts.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ls := ogrtest.Layers(ogrtest.Info(t, path))
	if len(ls) != 1 || ls[0].FeatureCount != 2 {
		t.Fatalf("ogrinfo: %+v", ls)
	}
	out, err := exec.Command("ogrinfo", "-ro", "-q", "-al", path).CombinedOutput()
	if err != nil || strings.Count(string(out), "MULTIPOLYGON (((130.7 32.8,") != 1 || !strings.Contains(string(out), "MULTIPOLYGON (((130.71 32.8") {
		t.Errorf("ogrinfo does not read the WKT geometry: %v\n%s", err, out)
	}
}

// qmlDoc is the part of a .qml document the tests check.
type qmlDoc struct {
	Renderer struct {
		Type       string `xml:"type,attr"`
		Attr       string `xml:"attr,attr"`
		Categories []struct {
			Value string `xml:"value,attr"`
		} `xml:"categories>category"`
		Ranges []struct {
			Lower float64 `xml:"lower,attr"`
			Upper float64 `xml:"upper,attr"`
			Label string  `xml:"label,attr"`
		} `xml:"ranges>range"`
		Symbols []struct {
			Props []struct {
				K string `xml:"k,attr"`
				V string `xml:"v,attr"`
			} `xml:"layer>prop"`
		} `xml:"symbols>symbol"`
	} `xml:"renderer-v2"`
}

func TestLayerQML(t *testing.T) {
	fs := formatFeatures()
	sq := func(x float64) orb.Polygon {
		return orb.Polygon{{{x, 32}, {x + 1, 32}, {x + 1, 33}, {x, 33}, {x, 32}}}
	}
	// Three catchments in a row: the middle one touches both others.
	fs["catchments"] = []Feature{
		{ID: "a", Geometry: sq(130), Properties: []Property{{"office_id", "a"}, {"office_name", "A"}}},
		{ID: "b", Geometry: sq(131), Properties: []Property{{"office_id", "b"}, {"office_name", "B"}}},
		{ID: "c", Geometry: sq(132), Properties: []Property{{"office_id", "c"}, {"office_name", "C"}}},
	}
	color := func(d qmlDoc, i int) string {
		for _, p := range d.Renderer.Symbols[i].Props {
			if p.K == "color" {
				return p.V
			}
		}
		return ""
	}
	for _, c := range []struct {
		layer, typ, attr string
		n                int
	}{
		{"districts", "graduatedSymbol", "distance_m", len(DefaultBreaks)},
		{"catchments", "categorizedSymbol", "office_id", 3},
		{"gaps", "categorizedSymbol", `CASE WHEN "stores" > 0`, 3},
		{"offices", "categorizedSymbol", "kind", 2},
	} {
		s, ok := LayerQML(c.layer, fs[c.layer])
		if !ok {
			t.Fatalf("%s: no style", c.layer)
		}
		var d qmlDoc
		if err := xml.Unmarshal([]byte(s), &d); err != nil {
			t.Fatalf("%s: not XML: %v\n%s", c.layer, err, s)
		}
		if d.Renderer.Type != c.typ || !strings.HasPrefix(d.Renderer.Attr, c.attr) || len(d.Renderer.Symbols) != c.n {
			t.Errorf("%s: renderer %s on %q with %d symbols, want %s on %q with %d", c.layer, d.Renderer.Type, d.Renderer.Attr, len(d.Renderer.Symbols), c.typ, c.attr, c.n)
			continue
		}
		switch c.layer {
		case "districts":
			cols := sequential(len(DefaultBreaks))
			for i, r := range d.Renderer.Ranges {
				if r.Lower != DefaultBreaks[i]*1000 || color(d, i) != qmlColor(cols[i]) {
					t.Errorf("range %d: %+v colour %s, want lower %g colour %s", i, r, color(d, i), DefaultBreaks[i]*1000, qmlColor(cols[i]))
				}
			}
			if last := d.Renderer.Ranges[len(d.Renderer.Ranges)-1]; last.Label != "8 km +" {
				t.Errorf("last class label %q", last.Label)
			}
		case "catchments":
			if color(d, 0) == color(d, 1) || color(d, 1) == color(d, 2) {
				t.Errorf("touching catchments share a colour: %s %s %s", color(d, 0), color(d, 1), color(d, 2))
			}
		case "gaps":
			if color(d, 0) != qmlColor(colGap) || color(d, 1) != qmlColor(colPostOnly) || color(d, 2) != qmlColor(colCovered) {
				t.Errorf("gap colours %s %s %s", color(d, 0), color(d, 1), color(d, 2))
			}
		case "offices":
			if color(d, 0) != qmlColor(colWard) || color(d, 1) != qmlColor(colBranch) {
				t.Errorf("office colours %s %s", color(d, 0), color(d, 1))
			}
		}
	}
	if _, ok := LayerQML("nearest", nil); ok {
		t.Error("a table has a style")
	}
}
