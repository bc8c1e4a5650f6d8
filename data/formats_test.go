package data

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// makeSources writes the embedded Kumamoto offices and districts as GeoJSON
// into dir, the sources of every converted fixture.
func makeSources(t *testing.T, dir string) (offices, districts string) {
	t.Helper()
	offices = filepath.Join(dir, "offices_src.geojson")
	ogrtest.Convert(t, "-f", "GeoJSON", "-a_srs", "EPSG:4326", "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat",
		"-oo", "KEEP_GEOM_COLUMNS=NO", "-lco", "RFC7946=YES", offices, "kumamoto/offices.csv")
	districts = filepath.Join(dir, "districts_src.geojson")
	raw, err := os.ReadFile("kumamoto/districts.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(districts, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return offices, districts
}

// sameRing reports whether two closed rings hold the same positions within
// tol metres, in the same or the opposite direction and from any start.
func sameRing(a, b orb.Ring, tol float64) bool {
	if len(a) != len(b) || len(a) < 2 {
		return false
	}
	a, b = a[:len(a)-1], b[:len(b)-1]
	n := len(a)
	for start := range n {
		if geo.Distance(a[0], b[start]) > tol {
			continue
		}
		for _, dir := range []int{1, -1} {
			ok := true
			for k := 0; k < n && ok; k++ {
				ok = geo.Distance(a[k], b[((start+dir*k)%n+n)%n]) <= tol
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// compareDatasets checks that got holds the features of want within tol
// metres, with the same ids, names, kinds and populations.
func compareDatasets(t *testing.T, want, got *Dataset, tol float64) {
	t.Helper()
	if len(got.Offices) != len(want.Offices) || len(got.Districts) != len(want.Districts) {
		t.Fatalf("got %d offices, %d districts; want %d, %d", len(got.Offices), len(got.Districts), len(want.Offices), len(want.Districts))
	}
	worst := 0.0
	for i, w := range want.Offices {
		g := got.Offices[i]
		if g.ID != w.ID || g.Name != w.Name || g.Kind != w.Kind || g.Ward != w.Ward {
			t.Errorf("office %d: got %s %q %s %q, want %s %q %s %q", i, g.ID, g.Name, g.Kind, g.Ward, w.ID, w.Name, w.Kind, w.Ward)
		}
		d := geo.Distance(g.Location, w.Location)
		worst = math.Max(worst, d)
		if d > tol {
			t.Errorf("office %s: %v is %.4f m from %v", w.ID, g.Location, d, w.Location)
		}
	}
	for i, w := range want.Districts {
		g := got.Districts[i]
		if g.ID != w.ID || g.Name != w.Name || g.NameEn != w.NameEn || g.Pop() != w.Pop() {
			t.Errorf("district %d: got %s %q %q %v, want %s %q %q %v", i, g.ID, g.Name, g.NameEn, g.Pop(), w.ID, w.Name, w.NameEn, w.Pop())
		}
		if len(g.Geometry) != len(w.Geometry) {
			t.Errorf("district %s: %d polygons, want %d", w.ID, len(g.Geometry), len(w.Geometry))
			continue
		}
		for p := range w.Geometry {
			if len(g.Geometry[p]) != len(w.Geometry[p]) {
				t.Errorf("district %s polygon %d: %d rings, want %d", w.ID, p, len(g.Geometry[p]), len(w.Geometry[p]))
				continue
			}
			for r := range w.Geometry[p] {
				if !sameRing(w.Geometry[p][r], g.Geometry[p][r], tol) {
					t.Errorf("district %s polygon %d ring %d differs by more than %g m", w.ID, p, r, tol)
				}
			}
		}
	}
	t.Logf("largest office offset %.2e m", worst)
}

// TestFormatsAndCRS converts the Kumamoto fixtures with ogr2ogr into each
// format and CRS and checks that they load to the same features within
// 1 cm (a few metres for the Tokyo datum, whose shift is approximate).
func TestFormatsAndCRS(t *testing.T) {
	dir := t.TempDir()
	offSrc, distSrc := makeSources(t, dir)
	base, _, err := Load(Paths{LayerOffices: offSrc, LayerDistricts: distSrc}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, driver, ext, srs string
		lco                    []string
		tol                    float64
		warn                   string // a substring of a warning
	}{
		{name: "shp_wgs84", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:4326"},
		{name: "shp_jgd2011", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:6668"},
		{name: "shp_jgd2000", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:4612"},
		{name: "shp_6670", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:6670"},
		{name: "shp_2444", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:2444"},
		{name: "shp_6669_zone1", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:6669"},
		{name: "shp_utm52", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:6689"},
		{name: "shp_sjis_6670", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:6670", lco: []string{"ENCODING=CP932"}},
		{name: "gpkg_wgs84", driver: "GPKG", ext: ".gpkg", srs: "EPSG:4326"},
		{name: "gpkg_6670", driver: "GPKG", ext: ".gpkg", srs: "EPSG:6670"},
		{name: "gpkg_2444", driver: "GPKG", ext: ".gpkg", srs: "EPSG:2444"},
		{name: "geojson_6670", driver: "GeoJSON", ext: ".geojson", srs: "EPSG:6670"},
		{name: "geojson_6668", driver: "GeoJSON", ext: ".geojson", srs: "EPSG:6668"},
		{name: "shp_tokyo", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:4301", tol: 5, warn: "Tokyo datum"},
	} {
		t.Run(c.name, func(t *testing.T) {
			paths := Paths{}
			for layer, src := range map[Layer]string{LayerOffices: offSrc, LayerDistricts: distSrc} {
				out := filepath.Join(dir, c.name+"_"+string(layer)+c.ext)
				args := []string{"-f", c.driver, "-t_srs", c.srs}
				if c.driver == "ESRI Shapefile" && len(c.lco) == 0 {
					args = append(args, "-lco", "ENCODING=UTF-8") // GDAL's default is ISO-8859-1
				}
				for _, l := range c.lco {
					args = append(args, "-lco", l)
				}
				if c.driver == "GPKG" {
					args = append(args, "-nln", string(layer))
				}
				ogrtest.Convert(t, append(args, out, src)...)
				paths[layer] = out
			}
			ds, warns, err := Load(paths, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tol := 0.01
			if c.tol > 0 {
				tol = c.tol
			}
			compareDatasets(t, base, ds, tol)
			if c.warn != "" && !strings.Contains(fmt.Sprint(warns), c.warn) {
				t.Errorf("no warning mentions %q: %v", c.warn, warns)
			}
		})
	}
}

// TestShiftJISDBF checks that Japanese names in a Shift_JIS DBF load right
// whether the code page comes from the .cpg, the LDID byte or detection.
func TestShiftJISDBF(t *testing.T) {
	dir := t.TempDir()
	_, distSrc := makeSources(t, dir)
	base, _, err := Load(Paths{LayerDistricts: distSrc}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	shp := filepath.Join(dir, "districts.shp")
	ogrtest.Convert(t, "-f", "ESRI Shapefile", "-lco", "ENCODING=CP932", shp, distSrc)
	dbf := strings.TrimSuffix(shp, ".shp") + ".dbf"
	for _, step := range []struct{ name, from string }{
		{"cpg", ".cpg"}, {"ldid", "LDID"}, {"detected", "detected"},
	} {
		t.Run(step.name, func(t *testing.T) {
			switch step.name {
			case "ldid", "detected":
				// GDAL writes a .cpg and no LDID; set the LDID the way
				// older Japanese software does, or leave none at all.
				if err := os.Remove(strings.TrimSuffix(shp, ".shp") + ".cpg"); err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				b, err := os.ReadFile(dbf)
				if err != nil {
					t.Fatal(err)
				}
				b[29] = map[string]byte{"ldid": 0x13, "detected": 0}[step.name]
				if err := os.WriteFile(dbf, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			raw, _ := os.ReadFile(dbf)
			cpg, _ := os.ReadFile(strings.TrimSuffix(shp, ".shp") + ".cpg")
			tab, err := readDBF(raw, string(cpg))
			if err != nil {
				t.Fatal(err)
			}
			if tab.encoding != "Shift_JIS" || tab.encodingFrom != step.from {
				t.Errorf("encoding %s from %s, want Shift_JIS from %s", tab.encoding, tab.encodingFrom, step.from)
			}
			ds, warns, err := Load(Paths{LayerDistricts: shp}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			compareDatasets(t, base, ds, 0.01)
			if got := strings.Contains(fmt.Sprint(warns), "Shift_JIS"); got != (step.from == "detected") {
				t.Errorf("Shift_JIS warning %v, want it only when detected: %v", got, warns)
			}
		})
	}
}

// TestCommittedFixtures loads the small Shapefile and GeoPackage fixtures of
// testdata/formats (made with ogr2ogr from the embedded Kumamoto layers; the
// fuzz seeds), which needs no GDAL.
func TestCommittedFixtures(t *testing.T) {
	emb, _, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := &Dataset{Districts: emb.Districts[:3], Offices: emb.Offices}
	const dir = "../testdata/formats/"
	for _, c := range []struct {
		paths Paths
		opt   Options
	}{
		{paths: Paths{LayerDistricts: dir + "districts_6670.shp", LayerOffices: dir + "offices_sjis.shp"}},
		{paths: Paths{LayerDistricts: dir + "districts_6670.gpkg", LayerOffices: dir + "offices.gpkg"}},
		{paths: Paths{LayerDistricts: dir + "districts_6670.gpkg", LayerOffices: dir + "offices.gpkg"},
			opt: Options{Tables: map[Layer]string{LayerDistricts: "districts"}}},
	} {
		ds, _, err := Load(c.paths, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds.Offices {
			// The fixtures keep id, name and kind only.
			want.Offices[i].Ward = ds.Offices[i].Ward
		}
		compareDatasets(t, want, ds, 0.01)
	}
	_, _, err = Load(Paths{LayerDistricts: dir + "districts_6670.gpkg"}, Options{Tables: map[Layer]string{"": "nope"}})
	if err == nil || !strings.Contains(err.Error(), `no feature table "nope"; its feature tables are districts`) {
		t.Errorf("want an error naming the tables, got %v", err)
	}
}

func BenchmarkLoadShapefile6670(b *testing.B) {
	p := Paths{LayerDistricts: "../testdata/formats/districts_6670.shp", LayerOffices: "../testdata/formats/offices_sjis.shp"}
	for b.Loop() {
		if _, _, err := Load(p, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadGeoPackage6670(b *testing.B) {
	p := Paths{LayerDistricts: "../testdata/formats/districts_6670.gpkg", LayerOffices: "../testdata/formats/offices.gpkg"}
	for b.Loop() {
		if _, _, err := Load(p, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlaneRectangularInverse(b *testing.B) {
	c := epsgCRS(6670)
	p := orb.Point{-20000, -30000}
	for b.Loop() {
		p = c.toLonLat(orb.Point{-20000 + p[0]*1e-9, -30000})
	}
}
