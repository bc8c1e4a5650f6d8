package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
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
	gaps, err := catchment.Gaps(ds.Districts, ds.Stores, ds.Posts, 0)
	if err != nil {
		t.Fatal(err)
	}
	w, err := catchment.NewWhatIf(ds.Districts, ds.Offices, nil)
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
	ds, stages, each := stagedOnDefault(t)
	last := stages[len(stages)-1].Comparison
	for _, tc := range []struct {
		name string
		t    Table
	}{
		{"summary.csv.golden", WhatIfSummaryTable(stages)},
		{"districts.csv.golden", WhatIfDistrictTable(ds.Districts, last, true)},
		{"offices.csv.golden", WhatIfOfficeTable(last)},
		{"each.csv.golden", WhatIfEachTable(ds.Offices, each)},
	} {
		var b bytes.Buffer
		if err := tc.t.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		whatIfGolden(t, tc.name, b.Bytes())
	}
	var b bytes.Buffer
	if err := WriteWhatIfMarkdown(&b, WhatIfReport{Scenario: "example staged plan", Districts: ds.Districts, Stages: stages, Offices: ds.Offices, Each: each}); err != nil {
		t.Fatal(err)
	}
	whatIfGolden(t, "whatif.md.golden", b.Bytes())
}

func TestWhatIfFeatures(t *testing.T) {
	ds, stages, _ := stagedOnDefault(t)
	last := stages[len(stages)-1].Comparison
	fs := WhatIfFeatures(ds.Districts, last)
	if len(fs) != len(ds.Districts) {
		t.Fatalf("%d features for %d districts", len(fs), len(ds.Districts))
	}
	var b bytes.Buffer
	if err := WriteGeoJSON(&b, "whatif", fs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"moved":true`) || !strings.Contains(b.String(), `"office_after_id":"tobu_new"`) {
		t.Error("whatif.geojson lacks moved districts or the new office")
	}
	ofs := WhatIfOfficeFeatures(last)
	if len(ofs) != len(ds.Offices)+1 {
		t.Errorf("%d office features, want %d", len(ofs), len(ds.Offices)+1)
	}
	if err := WriteGeoJSON(&b, "whatif_offices", ofs); err != nil {
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
