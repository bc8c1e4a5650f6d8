package vector

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// formatFeatures are test layers: polygons mixing Polygon and MultiPolygon
// (written all multi), points, nulls, Japanese text and each value type.
func formatFeatures() map[string][]Feature {
	sq := func(x, y float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + 0.01, y}, {x + 0.01, y + 0.01}, {x, y + 0.01}, {x, y}}}
	}
	return map[string][]Feature{
		"districts": {
			{ID: "d1", Geometry: sq(130.70, 32.80), Properties: []Property{{"district_id", "d1"}, {"district_name", "一新校区"}, {"population", 1500.0}, {"distance_m", 1234.5}, {"stores", 2}, {"gap", false}}},
			{ID: "d2", Geometry: orb.MultiPolygon{sq(130.71, 32.80), sq(130.73, 32.80)}, Properties: []Property{{"district_id", "d2"}, {"district_name", "五福校区"}, {"population", nil}, {"distance_m", 5400.0}, {"stores", 0}, {"gap", true}}},
		},
		"offices": {
			{ID: "chuo", Geometry: orb.Point{130.7079, 32.8031}, Properties: []Property{{"office_id", "chuo"}, {"office_name", "中央区役所"}, {"kind", "ward"}, {"candidate", true}}},
			{ID: "b1", Geometry: orb.Point{130.75, 32.79}, Properties: []Property{{"office_id", "b1"}, {"office_name", "出張所"}, {"kind", "branch"}, {"candidate", false}}},
		},
	}
}

func TestWriteCSVWKT(t *testing.T) {
	fs := formatFeatures()
	var buf bytes.Buffer
	if err := WriteCSVWKT(&buf, fs["districts"]); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "WKT,id,district_id,district_name,population") ||
		!strings.HasPrefix(lines[1], `"MULTIPOLYGON(((130.7 32.8,130.71 32.8,`) || !strings.Contains(lines[2], ",d2,d2,五福校区,,5400,0,true") {
		t.Fatalf("unexpected CSV:\n%s", buf.String())
	}
	ogrtest.RequireOgrinfo(t)
	path := filepath.Join(t.TempDir(), "districts.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ls := ogrtest.Layers(ogrtest.Info(t, path))
	if len(ls) != 1 || ls[0].FeatureCount != 2 {
		t.Fatalf("ogrinfo: %+v", ls)
	}
	out, err := exec.Command("ogrinfo", "-ro", "-q", "-al", path).CombinedOutput()
	if err != nil || strings.Count(string(out), "MULTIPOLYGON (((130.7 32.8,") != 1 || !strings.Contains(string(out), "MULTIPOLYGON (((130.71 32.8") {
		t.Errorf("ogrinfo does not read the WKT geometry: %v\n%s", err, out)
	}
}
