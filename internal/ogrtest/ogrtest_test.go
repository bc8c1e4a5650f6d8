package ogrtest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const sample = `INFO: Open of ` + "`x.geojson'" + `
      using driver ` + "`GeoJSON'" + ` successful.

Layer name: offices
Geometry: Point
Feature Count: 2
Extent: (130.700000, 32.800000) - (130.700000, 32.800000)
Layer SRS WKT:
GEOGCRS["WGS 84",
    ID["EPSG",4326]]
Data axis to CRS axis mapping: 2,1
id: String (0.0)
office_name: String (0.0)
distance_m: Real (0.0)
counter_count: Integer (0.0)
candidate: Integer(Boolean) (1.0)
`

func TestLayers(t *testing.T) {
	got := Layers(sample)
	want := []Layer{{
		Name: "offices", Geometry: "Point", FeatureCount: 2,
		Fields: map[string]string{"id": "String", "office_name": "String", "distance_m": "Real",
			"counter_count": "Integer", "candidate": "Integer(Boolean)"},
		FieldOrder: []string{"id", "office_name", "distance_m", "counter_count", "candidate"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Layers =\n%+v\nwant\n%+v", got, want)
	}
}

func TestInfo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.geojson")
	const doc = `{"type":"FeatureCollection","name":"pts","features":[
{"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[130.7,32.8]}}
]}
`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	ls := Layers(Info(t, path))
	if len(ls) != 1 || ls[0].Name != "pts" || ls[0].FeatureCount != 1 || ls[0].Fields["n"] != "Integer" {
		t.Errorf("Layers(Info) = %+v", ls)
	}
}

// recorder is a testing.TB that records Fatal and Skipf instead of
// stopping the test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                          {}
func (r *recorder) Fatal(args ...any)                { r.fatal = fmt.Sprint(args...) }
func (r *recorder) Skipf(format string, args ...any) { r.skip = fmt.Sprintf(format, args...) }

func TestRequireOgrinfoMissing(t *testing.T) {
	tests := []struct {
		name      string
		ci        string
		wantFatal string
		wantSkip  string
	}{
		{name: "CI fails", ci: "true", wantFatal: "ogrinfo missing in CI: .ci/run must apt-get install gdal-bin"},
		{name: "local skips naming the package", ci: "", wantSkip: "SKIPPING GDAL CHECK in package github.com/kumamoto-gis/catchment/internal/ogrtest:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", t.TempDir())
			t.Setenv("CI", tt.ci)
			r := &recorder{TB: t}
			if got := RequireOgrinfo(r); got != "" {
				t.Errorf("RequireOgrinfo = %q with an empty PATH", got)
			}
			if r.fatal != tt.wantFatal {
				t.Errorf("Fatal(%q), want %q", r.fatal, tt.wantFatal)
			}
			if !strings.HasPrefix(r.skip, tt.wantSkip) || (tt.wantSkip == "") != (r.skip == "") {
				t.Errorf("Skipf(%q), want prefix %q", r.skip, tt.wantSkip)
			}
		})
	}
}

func TestSQL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.geojson")
	const doc = `{"type":"FeatureCollection","name":"bands","features":[
{"type":"Feature","properties":{"id":"a","n":1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"id":null,"n":2},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	rows := SQL(t, path, "SELECT id, n, ST_IsValid(geometry) AS valid FROM bands ORDER BY n")
	want := []map[string]string{{"id": "a", "n": "1", "valid": "1"}, {"n": "2", "valid": "0"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("SQL = %v, want %v", rows, want)
	}
}
