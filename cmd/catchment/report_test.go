package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

func TestReportWritesEveryFile(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, "report", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"nearest.csv", "candidates.csv", "districts.geojson", "catchments.geojson",
		"catchments_voronoi.geojson", "offices.geojson", "gaps.geojson", "report.md",
		"map_catchments.png", "map_distance.png", "map_gaps.png", "chart_scatter.png", "chart_trend.png"} {
		st, err := os.Stat(filepath.Join(out, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	for _, want := range []string{"Synthetic demo layers", "Key figures", "大江出張所", "city's km", "Coverage gaps",
		"![", "map_catchments.png", "chart_trend.png", "Closing one office alone", "## Nearest ward office of each branch office", "If K offices were kept", "Certificate service", "Access to counter service"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

// TestReportGeoJSONOpensInGDAL proves that QGIS's reader (GDAL/OGR) opens
// every GeoJSON the report writes, with the intended layer names, geometry
// types and field types.
func TestReportGeoJSONOpensInGDAL(t *testing.T) {
	ogrtest.RequireOgrinfo(t)
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "report", "--out", out); code != 0 {
		t.Fatalf("report failed: %s", stderr)
	}
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"districts.geojson", []string{"Layer name: districts", "Geometry: Multi Polygon", "distance_m: Real", "office_id: String", "gap: Integer(Boolean)", "stores: Integer"}},
		{"catchments.geojson", []string{"Layer name: catchments", "Polygon", "area_km2: Real", "districts: Integer"}},
		{"catchments_voronoi.geojson", []string{"Layer name: catchments_voronoi", "Polygon"}},
		{"offices.geojson", []string{"Layer name: offices", "Geometry: Point", "Feature Count: 19", "candidate: Integer(Boolean)", "distance_m: Real"}},
		{"gaps.geojson", []string{"Layer name: gaps", "Polygon", "gap: Integer(Boolean)"}},
	} {
		info := ogrtest.Info(t, filepath.Join(out, tc.file))
		for _, w := range tc.want {
			if !strings.Contains(info, w) {
				t.Errorf("%s: ogrinfo output lacks %q:\n%s", tc.file, w, info)
			}
		}
		if strings.Contains(info, "ERROR") || strings.Contains(info, "Warning") {
			t.Errorf("%s: ogrinfo complained:\n%s", tc.file, info)
		}
	}
}

func TestReportOnBadInputWritesNothing(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, "report", "--data", "../../testdata/bad/dir_swapped", "--out", out)
	if code != 1 || !strings.Contains(stderr, "swapped") {
		t.Fatalf("exit %d, %q; want a swapped-coordinates error", code, stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a failed report wrote %d files", len(entries))
	}
}

func TestReportGeoPackage(t *testing.T) {
	ogrtest.RequireOgrinfo(t)
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "report", "--format", "gpkg", "--no-maps", "--out", out); code != 0 {
		t.Fatalf("report failed: %s", stderr)
	}
	info := ogrtest.Info(t, filepath.Join(out, "report.gpkg"))
	for _, w := range []string{"Layer name: districts", "Layer name: offices", "Layer name: gaps", "EPSG\",4326", "distance_m: Real", "gap: Integer(Boolean)"} {
		if !strings.Contains(info, w) {
			t.Errorf("ogrinfo output lacks %q", w)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "districts.geojson")); err == nil {
		t.Error("--format gpkg also wrote GeoJSON")
	}
}

func TestReportWritesQGISStyles(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "report", "--no-maps", "--out", out); code != 0 {
		t.Fatalf("report failed: %s", stderr)
	}
	for _, f := range []string{"districts.qml", "catchments.qml", "gaps.qml", "offices.qml"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil || !strings.Contains(string(b), "<qgis") {
			t.Errorf("%s: %v %.60q", f, err, b)
		}
	}
}

// TestReportRunsWhatCanRun: a study whose offices are all of one kind, or a
// single office, gets a report of what can run and says what it skipped
// (before: "no office of kind branch" and no report at all).
func TestReportRunsWhatCanRun(t *testing.T) {
	k := filepath.Join("..", "..", "data", "kumamoto")
	raw, err := os.ReadFile(filepath.Join(k, "offices.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	keep := func(kind string, most int) string {
		out := []string{lines[0]}
		for _, l := range lines[1:] {
			if strings.Contains(l, ","+kind+",") && len(out) <= most {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n") + "\n"
	}
	tests := []struct {
		name, offices string
		skipped       []string
		ranking       bool
	}{
		{"wards only", keep("ward", 99), []string{"no branch office"}, false},
		{"one office", keep("ward", 1), []string{"no branch office"}, false},
		{"branches only", keep("branch", 99), []string{"no ward office"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			offices := filepath.Join(dir, "offices.csv")
			if err := os.WriteFile(offices, []byte(tc.offices), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			code, _, stderr := runCLI(t, "report", "--no-maps", "--offices", offices,
				"--districts", filepath.Join(k, "districts.geojson"), "--stores", filepath.Join(k, "stores.geojson"),
				"--posts", filepath.Join(k, "posts.geojson"), "--boundary", filepath.Join(k, "boundary.geojson"), "--out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			md, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.skipped {
				if !strings.Contains(stderr, "skipped: ") || !strings.Contains(stderr, want) {
					t.Errorf("stderr does not say what was skipped (%q):\n%s", want, stderr)
				}
				if !strings.Contains(string(md), "Not run on this study") || !strings.Contains(string(md), want) {
					t.Errorf("report.md does not say what was skipped (%q)", want)
				}
			}
			for _, want := range []string{"What each office serves", "Coverage gaps"} {
				if !strings.Contains(string(md), want) {
					t.Errorf("report.md lacks %q", want)
				}
			}
			if got := strings.Contains(string(md), "Closing one office alone"); got != tc.ranking {
				t.Errorf("closure ranking in report.md = %v, want %v", got, tc.ranking)
			}
			if strings.Contains(string(md), "Nearest ward office of each branch office") {
				t.Error("report.md has a nearest-ward-office table with nothing to measure")
			}
		})
	}
}

// TestReportWithoutPopulation: a district layer with no population says the
// population is unknown instead of "population 0".
func TestReportWithoutPopulation(t *testing.T) {
	k := filepath.Join("..", "..", "data", "kumamoto")
	raw, err := os.ReadFile(filepath.Join(k, "districts.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	var fc map[string]any
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	for _, f := range fc["features"].([]any) {
		delete(f.(map[string]any)["properties"].(map[string]any), "population")
	}
	dir := t.TempDir()
	districts := filepath.Join(dir, "districts.geojson")
	b, _ := json.Marshal(fc)
	if err := os.WriteFile(districts, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "report", "--no-maps", "--offices", filepath.Join(k, "offices.csv"), "--districts", districts,
		"--stores", filepath.Join(k, "stores.geojson"), "--posts", filepath.Join(k, "posts.geojson"), "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "population") {
		t.Errorf("no warning about the missing population:\n%s", stderr)
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(md), "| population (sum of districts) | unknown") {
		t.Error("report.md does not say the population is unknown")
	}
	if strings.Contains(string(md), "residents per office | 0") {
		t.Error("report.md says 0 residents per office")
	}
}
