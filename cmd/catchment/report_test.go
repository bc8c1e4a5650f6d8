package main

import (
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
		"![", "map_catchments.png", "chart_trend.png", "Closing one office alone"} {
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
