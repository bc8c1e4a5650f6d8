package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
	"github.com/kumamoto-gis/catchment/internal/pgtest"
	"github.com/kumamoto-gis/catchment/render/vector"
	pgwrite "github.com/kumamoto-gis/catchment/render/vector/postgis"
)

func TestMain(m *testing.M) {
	// The tests of killed and concurrent runs start this binary as the CLI.
	if os.Getenv("CATCHMENT_TEST_AS_CLI") == "1" {
		os.Exit(asCLI())
	}
	os.Exit(pgtest.Main(m))
}

// gdalPG is the GDAL form of a test database URL.
func gdalPG(t *testing.T, db string) string {
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("PG:host=127.0.0.1 port=%s dbname=%s user=postgres", u.Port(), strings.TrimPrefix(u.Path, "/"))
}

// embeddedLayers are the embedded Kumamoto layers as database tables.
func embeddedLayers(t *testing.T) []pgwrite.Layer {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	opt := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	var offices, districts, stores, posts, boundary []vector.Feature
	for _, o := range ds.Offices {
		offices = append(offices, vector.Feature{Geometry: o.Location, Properties: []vector.Property{
			{"id", o.ID}, {"name", o.Name}, {"name_en", o.NameEn}, {"kind", string(o.Kind)}, {"ward", o.Ward},
			{"counter_count", opt(o.CounterCount)}, {"published_km", opt(o.PublishedKm)}, {"source", o.Source}}})
	}
	for _, d := range ds.Districts {
		districts = append(districts, vector.Feature{Geometry: d.Geometry, Properties: []vector.Property{
			{"id", d.ID}, {"name", d.Name}, {"name_en", d.NameEn}, {"population", opt(d.Population)}}})
	}
	for _, s := range ds.Stores {
		stores = append(stores, vector.Feature{Geometry: s.Location, Properties: []vector.Property{{"id", s.ID}, {"name", s.Name}}})
	}
	for _, s := range ds.Posts {
		posts = append(posts, vector.Feature{Geometry: s.Location, Properties: []vector.Property{{"id", s.ID}, {"name", s.Name}}})
	}
	boundary = append(boundary, vector.Feature{Geometry: ds.Boundary})
	return []pgwrite.Layer{{Name: "offices", Features: offices}, {Name: "districts", Features: districts},
		{Name: "stores", Features: stores}, {Name: "posts", Features: posts}, {Name: "boundary", Features: boundary}}
}

// TestReportFromAndToPostGIS runs report from PostGIS sources written by
// our writer and, independently, by GDAL's ogr2ogr, compares the answers
// with the run from files, then writes the report's layers back and reads
// them with ogrinfo.
func TestReportFromAndToPostGIS(t *testing.T) {
	db := pgtest.Start(t)
	ogrinfo := ogrtest.RequireOgrinfo(t)
	ogrtest.RequireOgr2ogr(t)
	if err := pgwrite.Write(context.Background(), db, embeddedLayers(t), pgwrite.Options{Schema: "ours"}); err != nil {
		t.Fatal(err)
	}
	pg := gdalPG(t, db)
	for layer, file := range map[string]string{
		"offices": "../../data/kumamoto/offices.csv", "districts": "../../data/kumamoto/districts.geojson",
		"stores": "../../data/kumamoto/stores.geojson", "posts": "../../data/kumamoto/posts.geojson", "boundary": "../../data/kumamoto/boundary.geojson",
	} {
		args := []string{"--config", "PG_USE_COPY", "YES", "-f", "PostgreSQL", pg, file, "-nln", "gdal." + layer, "-lco", "SCHEMA=gdal", "-lco", "GEOMETRY_NAME=geom"}
		if layer == "offices" {
			args = append(args, "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "KEEP_GEOM_COLUMNS=NO", "-a_srs", "EPSG:4326")
		}
		if layer == "offices" || layer == "districts" {
			// ogr2ogr would read every column as text; keep the counts numeric.
			args = append(args, "-oo", "AUTODETECT_TYPE=YES")
		}
		if err := exec.Command("psql", db, "-qc", "CREATE SCHEMA IF NOT EXISTS gdal").Run(); err != nil {
			t.Fatal(err)
		}
		ogrtest.Convert(t, args...)
	}
	fromFiles := t.TempDir()
	if code, _, stderr := runCLI(t, "report", "--no-maps", "--quiet", "--out", fromFiles); code != 0 {
		t.Fatal(stderr)
	}
	compared := []string{"nearest.csv", "candidates.csv", "districts.geojson", "catchments.geojson", "catchments_voronoi.geojson", "offices.geojson", "gaps.geojson"}
	for _, schema := range []string{"ours", "gdal"} {
		out := t.TempDir()
		args := []string{"report", "--no-maps", "--quiet", "--out", out}
		for _, l := range data.Layers {
			args = append(args, "--"+string(l), pg, "--layer", string(l)+"="+schema+"."+string(l))
		}
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%s: %s", schema, stderr)
		}
		for _, f := range compared {
			want, _ := os.ReadFile(filepath.Join(fromFiles, f))
			got, err := os.ReadFile(filepath.Join(out, f))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %s differs from the run from files (%v)", schema, f, err)
			}
		}
		md, _ := os.ReadFile(filepath.Join(out, "report.md"))
		if !strings.Contains(string(md), "- offices: `PG:host=127.0.0.1") {
			t.Errorf("%s: report.md does not name the database source", schema)
		}
	}

	// Write the report back into the database; read it with GDAL.
	out := t.TempDir()
	code, _, stderr := runCLI(t, "report", "--no-maps", "--out", out, "--format", "postgis", "--pg-out", pg, "--schema", "results")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, name := range []string{"districts", "catchments", "catchments_voronoi", "offices", "gaps"} {
		if !strings.Contains(stderr, "wrote results."+name) {
			t.Errorf("stderr does not report results.%s: %s", name, stderr)
		}
		info, err := exec.Command(ogrinfo, "-so", pg, "results."+name).CombinedOutput()
		if err != nil || !strings.Contains(string(info), "EPSG\",4326") || !strings.Contains(string(info), "Feature Count:") {
			t.Errorf("ogrinfo results.%s: %v\n%s", name, err, info)
		}
	}
	info, _ := exec.Command(ogrinfo, "-so", pg, "results.districts").CombinedOutput()
	for _, w := range []string{"Feature Count: 90", "population: Integer", "distance_m: Real", "gap: Integer(Boolean)", "office_id: String"} {
		if !strings.Contains(string(info), w) {
			t.Errorf("results.districts lacks %q:\n%s", w, info)
		}
	}
	if md, _ := os.ReadFile(filepath.Join(out, "report.md")); !strings.Contains(string(md), "`results.whatif_each`") {
		t.Error("report.md does not list the database tables")
	}

	// Again without --overwrite: refused, and no file written either.
	again := filepath.Join(t.TempDir(), "again")
	code, _, stderr = runCLI(t, "report", "--no-maps", "--out", again, "--format", "postgis", "--pg-out", pg, "--schema", "results")
	if code != 1 || !strings.Contains(stderr, "already exist: give --overwrite") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(again); !os.IsNotExist(err) {
		t.Errorf("the refused run wrote %s", again)
	}
	if code, _, stderr := runCLI(t, "report", "--no-maps", "--quiet", "--out", again, "--format", "postgis", "--pg-out", pg, "--schema", "results", "--overwrite"); code != 0 {
		t.Errorf("--overwrite: %s", stderr)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--format", "postgis"}, "needs --pg-out"},
		{[]string{"--pg-out", pg}, "go with --format postgis"},
	} {
		code, _, stderr := runCLI(t, append([]string{"report", "--no-maps", "--out", t.TempDir()}, tc.args...)...)
		if code != 1 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d: %s", tc.args, code, stderr)
		}
	}
}
