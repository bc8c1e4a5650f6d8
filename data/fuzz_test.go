package data_test

import (
	"os"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/internal/datatest"
)

func FuzzReadGeoJSON(f *testing.F) {
	datatest.SeedFiles(f, "../testdata/bad", ".geojson")
	datatest.SeedFiles(f, "kumamoto", ".geojson")
	f.Fuzz(func(t *testing.T, b []byte) {
		datatest.FuzzLoad(t, data.Options{}, data.LayerDistricts, map[string][]byte{"d.geojson": b}, "d.geojson")
		datatest.FuzzLoad(t, data.Options{}, data.LayerOffices, map[string][]byte{"o.geojson": b}, "o.geojson")
	})
}

func FuzzReadCSV(f *testing.F) {
	datatest.SeedFiles(f, "../testdata/bad", ".csv")
	datatest.SeedFiles(f, "../testdata/good", ".csv")
	datatest.SeedFiles(f, "kumamoto", ".csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		datatest.FuzzLoad(t, data.Options{}, data.LayerOffices, map[string][]byte{"o.csv": b}, "o.csv")
		datatest.FuzzLoad(t, data.Options{}, data.LayerDistricts, map[string][]byte{"d.csv": b}, "d.csv")
	})
}

// FuzzReadShapefile mutates the .shp, .dbf and .prj of a Shapefile.
func FuzzReadShapefile(f *testing.F) {
	for _, base := range []string{"../testdata/formats/districts_6670", "../testdata/formats/offices_sjis"} {
		shp, _ := os.ReadFile(base + ".shp")
		dbf, _ := os.ReadFile(base + ".dbf")
		prj, _ := os.ReadFile(base + ".prj")
		f.Add(shp, dbf, prj)
	}
	f.Fuzz(func(t *testing.T, shp, dbf, prj []byte) {
		files := map[string][]byte{"x.shp": shp, "x.dbf": dbf, "x.prj": prj}
		datatest.FuzzLoad(t, data.Options{}, data.LayerDistricts, files, "x.shp")
		datatest.FuzzLoad(t, data.Options{}, data.LayerOffices, files, "x.shp")
		_ = data.CRSName(string(prj))
	})
}
