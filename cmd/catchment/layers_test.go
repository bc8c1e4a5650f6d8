package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCommandsReadOnlyTheirLayers gives --data folders in which every layer
// a command does not use is unreadable (not JSON, not CSV): the command
// still works, so it never opened them. The population layer is read only
// where the output carries the districts' population.
func TestCommandsReadOnlyTheirLayers(t *testing.T) {
	layers := map[string]string{
		"offices":    "offices.csv",
		"districts":  "districts.geojson",
		"stores":     "stores.geojson",
		"posts":      "posts.geojson",
		"boundary":   "boundary.geojson",
		"population": "population.geojson",
	}
	// folder writes the embedded default's layers, and garbage for the
	// layers in broken, to a new folder.
	folder := func(t *testing.T, broken ...string) string {
		dir := t.TempDir()
		for layer, name := range layers {
			text := []byte("this file is unreadable \x01")
			if !slices.Contains(broken, layer) {
				if layer == "population" {
					text = []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"population":100},"geometry":{"type":"Point","coordinates":[130.7,32.8]}}]}`)
				} else {
					var err error
					if text, err = os.ReadFile(filepath.Join("../../data/kumamoto", name)); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	for _, tc := range []struct {
		args   []string
		broken []string // layers the command must not read
		want   string   // in its output
	}{
		{[]string{"gaps", "--format", "csv"}, []string{"offices", "boundary", "population"}, "district_id,district_name,stores,posts,gap,post_fallback"},
		{[]string{"gaps", "--format", "json"}, []string{"offices", "boundary", "population"}, `"post_fallback"`},
		{[]string{"nearest", "--format", "csv"}, []string{"districts", "stores", "posts", "boundary", "population"}, "office_id,office_name,nearest_id"},
		{[]string{"candidates"}, []string{"districts", "stores", "posts", "boundary", "population"}, "office_id"},
		{[]string{"assign", "--format", "csv"}, []string{"stores", "posts", "boundary"}, "district_id,district_name,office_id"},
		{[]string{"catchments", "--format", "csv"}, []string{"stores", "posts"}, "office_id,office_name,office_kind"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			dir := folder(t, tc.broken...)
			code, out, stderr := runCLI(t, append(tc.args, "--data", dir, "--quiet")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	// The gap layer carries the districts' population: there the folder's
	// population layer is read, and a broken one is an error naming it.
	dir := folder(t, "offices", "boundary", "population")
	code, _, stderr := runCLI(t, "gaps", "--data", dir, "--format", "geojson")
	if code == 0 || !strings.Contains(stderr, "population.geojson") {
		t.Errorf("gaps --format geojson with a broken population layer: exit %d, %q; want an error naming population.geojson", code, stderr)
	}
}
