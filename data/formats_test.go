package data_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/internal/datatest"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// TestFormatsAndCRS converts the Kumamoto fixtures with ogr2ogr into each
// format and CRS and checks that they load to the same features within
// 1 cm (a few metres for the Tokyo datum, whose shift is approximate).
// data/gpkg does the same for GeoPackages.
func TestFormatsAndCRS(t *testing.T) {
	dir := t.TempDir()
	offSrc, distSrc := datatest.MakeSources(t, "kumamoto", dir)
	base, _, err := data.Load(data.Paths{data.LayerOffices: offSrc, data.LayerDistricts: distSrc}, data.Options{})
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
		{name: "geojson_6670", driver: "GeoJSON", ext: ".geojson", srs: "EPSG:6670"},
		{name: "geojson_6668", driver: "GeoJSON", ext: ".geojson", srs: "EPSG:6668"},
		{name: "shp_tokyo", driver: "ESRI Shapefile", ext: ".shp", srs: "EPSG:4301", tol: 5, warn: "Tokyo datum"},
	} {
		t.Run(c.name, func(t *testing.T) {
			paths := data.Paths{}
			for layer, src := range map[data.Layer]string{data.LayerOffices: offSrc, data.LayerDistricts: distSrc} {
				out := filepath.Join(dir, c.name+"_"+string(layer)+c.ext)
				args := []string{"-f", c.driver, "-t_srs", c.srs}
				if c.driver == "ESRI Shapefile" && len(c.lco) == 0 {
					args = append(args, "-lco", "ENCODING=UTF-8") // GDAL's default is ISO-8859-1
				}
				for _, l := range c.lco {
					args = append(args, "-lco", l)
				}
				ogrtest.Convert(t, append(args, out, src)...)
				paths[layer] = out
			}
			ds, warns, err := data.Load(paths, data.Options{})
			if err != nil {
				t.Fatal(err)
			}
			tol := 0.01
			if c.tol > 0 {
				tol = c.tol
			}
			datatest.CompareDatasets(t, base, ds, tol)
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
	_, distSrc := datatest.MakeSources(t, "kumamoto", dir)
	base, _, err := data.Load(data.Paths{data.LayerDistricts: distSrc}, data.Options{})
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
			enc, from, err := data.DBFEncoding(raw, string(cpg))
			if err != nil {
				t.Fatal(err)
			}
			if enc != "Shift_JIS" || from != step.from {
				t.Errorf("encoding %s from %s, want Shift_JIS from %s", enc, from, step.from)
			}
			ds, warns, err := data.Load(data.Paths{data.LayerDistricts: shp}, data.Options{})
			if err != nil {
				t.Fatal(err)
			}
			datatest.CompareDatasets(t, base, ds, 0.01)
			if got := strings.Contains(fmt.Sprint(warns), "Shift_JIS"); got != (step.from == "detected") {
				t.Errorf("Shift_JIS warning %v, want it only when detected: %v", got, warns)
			}
		})
	}
}

// TestCommittedFixtures loads the small Shapefile fixtures of
// testdata/formats (made with ogr2ogr from the embedded Kumamoto layers; the
// fuzz seeds), which needs no GDAL. data/gpkg tests the GeoPackage ones.
func TestCommittedFixtures(t *testing.T) {
	emb, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := &data.Dataset{Districts: emb.Districts[:3], Offices: emb.Offices}
	const dir = "../testdata/formats/"
	for _, c := range []struct {
		paths data.Paths
		opt   data.Options
	}{
		{paths: data.Paths{data.LayerDistricts: dir + "districts_6670.shp", data.LayerOffices: dir + "offices_sjis.shp"}},
	} {
		ds, _, err := data.Load(c.paths, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds.Offices {
			// The fixtures keep id, name and kind only.
			want.Offices[i].Ward = ds.Offices[i].Ward
		}
		datatest.CompareDatasets(t, want, ds, 0.01)
	}
}

func BenchmarkLoadShapefile6670(b *testing.B) {
	p := data.Paths{data.LayerDistricts: "../testdata/formats/districts_6670.shp", data.LayerOffices: "../testdata/formats/offices_sjis.shp"}
	for b.Loop() {
		if _, _, err := data.Load(p, data.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
