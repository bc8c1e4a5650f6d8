package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/road"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/paulmach/orb"
)

// whatIfGolden compares got with testdata/whatif/name, or rewrites it with -update.
func whatIfGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "whatif", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./render/ -update if intended)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// stagedOnDefault runs testdata/whatif/staged.yaml on the embedded default.
func stagedOnDefault(t *testing.T) (*data.Dataset, []catchment.StageComparison, []catchment.Impact) {
	t.Helper()
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := catchment.LoadScenario(filepath.Join("..", "testdata", "whatif", "staged.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	study, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	gaps, err := study.Gaps()
	if err != nil {
		t.Fatal(err)
	}
	w, err := study.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	opt := catchment.CompareOptions{MaxKm: 5, CertificateShare: 0.4, Coverage: gaps}
	stages, err := w.Run(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	each, err := w.Each(data.Branch, opt)
	if err != nil {
		t.Fatal(err)
	}
	return ds, stages, each
}

func TestWhatIfTablesGolden(t *testing.T) {
	_, stages, each := stagedOnDefault(t)
	last := stages[len(stages)-1].Comparison
	for _, tc := range []struct {
		name string
		t    vector.Table
	}{
		{"summary.csv.golden", WhatIfSummaryTable(stages)},
		{"districts.csv.golden", WhatIfDistrictTable(last, true)},
		{"offices.csv.golden", WhatIfOfficeTable(last)},
		{"each.csv.golden", WhatIfEachTable(each)},
	} {
		var b bytes.Buffer
		if err := tc.t.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		whatIfGolden(t, tc.name, b.Bytes())
	}
	var b bytes.Buffer
	if err := WriteWhatIfMarkdown(&b, WhatIfReport{Scenario: "example staged plan", Stages: stages, Each: each}); err != nil {
		t.Fatal(err)
	}
	whatIfGolden(t, "whatif.md.golden", b.Bytes())
}

func TestWhatIfFeatures(t *testing.T) {
	ds, stages, _ := stagedOnDefault(t)
	last := stages[len(stages)-1].Comparison
	fs := WhatIfFeatures(last)
	if len(fs) != len(ds.Districts) {
		t.Fatalf("%d features for %d districts", len(fs), len(ds.Districts))
	}
	var b bytes.Buffer
	if err := vector.WriteGeoJSON(&b, "whatif", fs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"moved":true`) || !strings.Contains(b.String(), `"office_after_id":"tobu_new"`) {
		t.Error("whatif.geojson lacks moved districts or the new office")
	}
	ofs := WhatIfOfficeFeatures(last)
	if len(ofs) != len(ds.Offices)+1 {
		t.Errorf("%d office features, want %d", len(ofs), len(ds.Offices)+1)
	}
	if err := vector.WriteGeoJSON(&b, "whatif_offices", ofs); err != nil {
		t.Fatal(err)
	}
	before, after := WhatIfMaps(ds, last, nil, "test")
	if len(before.Offices) != len(ds.Offices) || len(after.Offices) != len(ds.Offices)+1 {
		t.Errorf("map offices: %d before, %d after", len(before.Offices), len(after.Offices))
	}
	closed := 0
	for _, o := range after.Offices {
		if o.Closed {
			closed++
		}
	}
	if closed != 3 {
		t.Errorf("%d closed offices on the after map, want 3", closed)
	}
}

// roadWhatIf is a what-if on a straight hand-made road (lon 130.60–130.80
// at lat 32.8) with one district off the network.
func roadWhatIf(t *testing.T, by network.Metric) ([]data.District, catchment.Comparison) {
	t.Helper()
	g := fixture.RoadLine(t)
	offices := []data.Office{
		{ID: "w", Name: "west", Kind: data.Ward, Location: orb.Point{130.60, 32.8}},
		{ID: "m", Name: "middle", Kind: data.Branch, Location: orb.Point{130.70, 32.8}},
	}
	pts := []orb.Point{{130.62, 32.8}, {130.69, 32.8}, {130.70, 32.95}}
	ds := make([]data.District, len(pts))
	for i, p := range pts {
		pop := 100.0
		ds[i] = data.District{ID: fmt.Sprintf("d%d", i), Name: fmt.Sprintf("district %d", i), Population: &pop,
			Geometry: orb.MultiPolygon{{{{p[0] - 1e-4, p[1] - 1e-4}, {p[0] + 1e-4, p[1] - 1e-4}, {p[0] + 1e-4, p[1] + 1e-4}, {p[0] - 1e-4, p[1] + 1e-4}, {p[0] - 1e-4, p[1] - 1e-4}}}}}
	}
	study, err := catchment.NewStudy(&data.Dataset{Offices: offices, Districts: ds}, catchment.Options{Metric: road.Metric{Graph: g, By: by}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := study.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.Compare(catchment.Change{Name: "close middle", Close: []string{"m"}}, catchment.CompareOptions{MaxKm: 5})
	if err != nil {
		t.Fatal(err)
	}
	return ds, c
}

func TestWhatIfTablesUnderRoadMetric(t *testing.T) {
	_, c := roadWhatIf(t, network.Time)
	dt := WhatIfDistrictTable(c, false)
	col := func(t vector.Table, name string) int {
		for i, c := range t.Columns {
			if c == name {
				return i
			}
		}
		return -1
	}
	for _, name := range []string{"metric", "time_before_s", "time_after_s", "change_s", "cert_time_s", "note"} {
		if col(dt, name) < 0 {
			t.Errorf("district table lacks %s under the time metric: %v", name, dt.Columns)
		}
	}
	off := dt.Rows[2] // the district off the network
	for _, name := range []string{"office_before_id", "office_after_id", "distance_after_m", "change_m", "time_after_s", "beyond_max_km"} {
		if v := off[col(dt, name)]; v != nil {
			t.Errorf("unrouted district: %s = %v, want null", name, v)
		}
	}
	if note := off[col(dt, "note")].(string); !strings.Contains(note, "outside network coverage") {
		t.Errorf("unrouted district note %q", note)
	}
	if v := dt.Rows[1][col(dt, "time_after_s")]; v == nil {
		t.Error("routed district has no time")
	}
	st := []catchment.StageComparison{{Stage: 1, Comparison: c}}
	sum := WhatIfSummaryTable(st)
	if i := col(sum, "unrouted_after"); i < 0 || sum.Rows[0][i] != 1 {
		t.Errorf("summary unrouted_after: %v", sum.Columns)
	}
	var csv bytes.Buffer
	if err := dt.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(csv.String(), "NaN") {
		t.Errorf("NaN in CSV:\n%s", csv.String())
	}
	var md bytes.Buffer
	if err := WriteWhatIfMarkdown(&md, WhatIfReport{Scenario: "road", Stages: st}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"by travel time", "districts not routed", "mean travel time"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(md.String(), "NaN") || strings.Contains(md.String(), "geodesically") {
		t.Errorf("markdown under the time metric:\n%s", md.String())
	}
	// The geodesic tables keep their columns.
	_, geo, _ := stagedOnDefault(t)
	if g := WhatIfDistrictTable(geo[0].Comparison, true); col(g, "note") >= 0 || col(WhatIfSummaryTable(geo), "metric") >= 0 {
		t.Error("geodesic what-if tables gained road columns")
	}
}
