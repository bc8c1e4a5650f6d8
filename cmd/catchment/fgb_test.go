package main

import (
	"path/filepath"
	"testing"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// TestGapsFromFlatGeobuf runs gaps on the Kumamoto layers converted to
// FlatGeobuf (districts in EPSG:6670, points in EPSG:4326, without the
// spatial index so that the rows keep the GeoJSON's order) and checks that
// it prints what the GeoJSON run prints.
func TestGapsFromFlatGeobuf(t *testing.T) {
	ogrtest.RequireOgr2ogr(t)
	dir := t.TempDir()
	src := filepath.Join("..", "..", "data", "kumamoto")
	fgb := func(layer, srs string) string {
		out := filepath.Join(dir, layer+".fgb")
		ogrtest.Convert(t, "-f", "FlatGeobuf", "-t_srs", srs, "-lco", "SPATIAL_INDEX=NO", out, filepath.Join(src, layer+".geojson"))
		return out
	}
	code, want, errs := runCLI(t, "gaps", "--districts", filepath.Join(src, "districts.geojson"), "--stores", filepath.Join(src, "stores.geojson"), "--posts", filepath.Join(src, "posts.geojson"))
	if code != 0 {
		t.Fatalf("GeoJSON run: exit %d: %s", code, errs)
	}
	code, got, errs := runCLI(t, "gaps", "--districts", fgb("districts", "EPSG:6670"), "--stores", fgb("stores", "EPSG:4326"), "--posts", fgb("posts", "EPSG:4326"))
	if code != 0 {
		t.Fatalf("FlatGeobuf run: exit %d: %s", code, errs)
	}
	if got != want {
		t.Errorf("FlatGeobuf run prints\n%s\nthe GeoJSON run\n%s", got, want)
	}
}
