package postgis_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/pgtest"
)

// nationDir is a nation-scale set written by `catchment gen --scale nation`
// (bench/report.sh writes one here).
const nationDir = "/tmp/catchment-bench/nation"

// BenchmarkReadNation reads the nation-scale districts (18,976 polygons)
// and stores (56,000 points) from PostGIS, loaded there with ogr2ogr.
func BenchmarkReadNation(b *testing.B) {
	if _, err := os.Stat(nationDir + "/districts.geojson"); err != nil {
		b.Skipf("SKIPPING: no nation set in %s (run bench/report.sh first)", nationDir)
	}
	db := pgtest.Start(b)
	pg := pgSourceB(b, db)
	for _, l := range []string{"districts", "stores"} {
		out, err := exec.Command("ogr2ogr", "--config", "PG_USE_COPY", "YES", "-f", "PostgreSQL", pg, nationDir+"/"+l+".geojson", "-nln", l, "-lco", "GEOMETRY_NAME=geom", "-nlt", "PROMOTE_TO_MULTI").CombinedOutput()
		if err != nil && l == "districts" {
			b.Fatalf("%v: %s", err, out)
		}
		if err != nil {
			out, err = exec.Command("ogr2ogr", "--config", "PG_USE_COPY", "YES", "-f", "PostgreSQL", pg, nationDir+"/"+l+".geojson", "-nln", l, "-lco", "GEOMETRY_NAME=geom").CombinedOutput()
			if err != nil {
				b.Fatalf("%v: %s", err, out)
			}
		}
	}
	o := opt
	o.Tables = map[data.Layer]string{data.LayerDistricts: "districts", data.LayerStores: "stores"}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := data.Load(data.Paths{data.LayerDistricts: pg, data.LayerStores: pg}, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadNationFiles(b *testing.B) {
	if _, err := os.Stat(nationDir + "/districts.geojson"); err != nil {
		b.Skipf("SKIPPING: no nation set in %s", nationDir)
	}
	for b.Loop() {
		if _, _, err := data.Load(data.Paths{data.LayerDistricts: nationDir + "/districts.geojson", data.LayerStores: nationDir + "/stores.geojson"}, data.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
