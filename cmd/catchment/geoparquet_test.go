package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/internal/geoparquetwrite"
)

// toGeoParquet converts the GeoJSON file src into dir/name.parquet.
func toGeoParquet(t *testing.T, src, dir, name string) string {
	t.Helper()
	text, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := geoparquetwrite.FromGeoJSON(text, geoparquetwrite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name+".parquet")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGapsGeoParquet runs gaps on GeoParquet copies of the real N03 wards
// and P30 post offices, by flag and through --data, and expects the output
// of the GeoJSON run byte for byte.
func TestGapsGeoParquet(t *testing.T) {
	const shared = "../../../shared/data/"
	wards, posts := shared+"kumamoto_wards_N03-21_simplified1pct_smartnews.geojson", shared+"ksj_P30-13_post_offices_kumamoto_city.geojson"
	stores := shared + "osm2014_convenience_kumamoto_city_tabachain.geojson"
	requireShared(t, posts)
	dir := t.TempDir()
	pqWards, pqPosts, pqStores := toGeoParquet(t, wards, dir, "districts"), toGeoParquet(t, posts, dir, "posts"), toGeoParquet(t, stores, dir, "stores")
	args := func(d, p, s string) []string {
		return []string{"gaps", "--districts", d, "--posts", p, "--stores", s, "--preset", "ksj", "--within-m", "500", "--format", "json", "--quiet"}
	}
	code, want, stderr := runCLI(t, args(wards, posts, stores)...)
	if code != 0 {
		t.Fatalf("GeoJSON run: exit %d: %s", code, stderr)
	}
	if !strings.Contains(want, "district_id") {
		t.Fatalf("the GeoJSON run wrote no districts: %s", want)
	}
	for name, a := range map[string][]string{
		"flags":  args(pqWards, pqPosts, pqStores),
		"--data": {"gaps", "--data", dir, "--preset", "ksj", "--within-m", "500", "--format", "json", "--quiet"},
	} {
		code, got, stderr := runCLI(t, a...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		if got != want {
			t.Errorf("%s: the GeoParquet output differs from the GeoJSON one:\n%s\nwant\n%s", name, got, want)
		}
	}
	// Plain Parquet is refused with advice, naming the file.
	text, _ := os.ReadFile(posts)
	b, err := geoparquetwrite.FromGeoJSON(text, geoparquetwrite.Options{NoGeo: true})
	if err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(t.TempDir(), "plain.parquet")
	if err := os.WriteFile(plain, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, args(wards, plain, stores)...)
	if code == 0 || !strings.Contains(stderr, "plain.parquet") || !strings.Contains(stderr, "ogr2ogr -f Parquet") {
		t.Errorf("plain Parquet: exit %d, stderr %q; want a refusal naming the file with ogr2ogr advice", code, stderr)
	}
}
