package data

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/internal/gendefault/synth"
)

func TestLoadCounts(t *testing.T) {
	offices := []Office{{ID: "oe"}, {ID: "chuo"}}
	dir := filepath.Join("..", "testdata", "counts")
	counts, _, err := LoadCounts(filepath.Join(dir, "japanese_bom.csv"), offices)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[0] != (CounterCount{OfficeID: "oe", Year: 2022, Count: 1200}) || counts[1] != (CounterCount{OfficeID: "oe", Year: 2023, Count: 1100}) {
		t.Errorf("a file without certificates and projected columns: got %+v", counts)
	}
	counts, _, err = LoadCounts(filepath.Join(dir, "projected.csv"), offices)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range counts {
		cert := "-"
		if c.Certificates != nil {
			cert = fmt.Sprint(*c.Certificates)
		}
		got = append(got, fmt.Sprintf("%s %d %g %s %v", c.OfficeID, c.Year, c.Count, cert, c.Projected))
	}
	if want := "chuo 2016 5000 - true|oe 2014 1000 800 false|oe 2015 990 792 false|oe 2016 900 700 true"; strings.Join(got, "|") != want {
		t.Errorf("projected.csv: got %q, want %q", strings.Join(got, "|"), want)
	}
	for _, tc := range []struct{ file, want string }{
		{"unknown_office.csv", `unknown_office.csv: line 3: field office_id: unknown office id "zz"`},
		{"duplicate_year.csv", "duplicate_year.csv: line 3: field year: office oe has a second row for 2023 (first on line 2)"},
		{"bad_year.csv", `bad_year.csv: line 2: field year: "twenty" is not a year`},
		{"negative.csv", `negative.csv: line 2: field count: "-4" is not a count`},
		{"no_count_column.csv", "no_count_column.csv: line 1: field year: no year column in the header \"office,fy\"; accepted names"},
		{"missing.csv", "missing.csv"},
		{"bad_projected.csv", `bad_projected.csv: line 2: field projected: "maybe" is not a yes/no value`},
		{"certificates_above_count.csv", `certificates_above_count.csv: line 2: field certificates: "1200" is not a certificate count from 0 to the row's count 1000`},
		{"recorded_after_projected.csv", "recorded_after_projected.csv: line 3: field projected: office oe: 2017 is recorded but 2016 before it is projected (line 2)"},
	} {
		_, _, err := LoadCounts(filepath.Join(dir, tc.file), offices)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.file, err, tc.want)
		}
	}
}

func TestDefaultCounts(t *testing.T) {
	ds, _, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, c := range ds.Counts {
		per[c.OfficeID]++
	}
	for _, o := range ds.Offices {
		if per[o.ID] != 8 {
			t.Errorf("office %s has %d years of demo counts, want 8 (fiscal 2012–2019)", o.ID, per[o.ID])
		}
	}
	if !ds.Synthetic[LayerCounts] {
		t.Error("the demo counts must be marked synthetic")
	}
	// counter_count is the last recorded year's count (fiscal 2014): the
	// scatter chart and the what-if's counter load use it.
	for _, c := range ds.Counts {
		if c.Year != 2014 {
			continue
		}
		for _, o := range ds.Offices {
			if o.ID == c.OfficeID && (o.CounterCount == nil || *o.CounterCount != c.Count) {
				t.Errorf("%s: fiscal 2014 count %g differs from counter_count", o.ID, c.Count)
			}
		}
	}
}

// TestCountsGeneratorGolden: the embedded series is what the generator
// writes from offices.csv's counter_count.
func TestCountsGeneratorGolden(t *testing.T) {
	ds, _, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var recorded []float64
	for _, o := range ds.Offices {
		ids = append(ids, o.ID)
		recorded = append(recorded, *o.CounterCount)
	}
	want, err := synth.Counts(ids, recorded)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("kumamoto", synth.CountsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("kumamoto/%s is not what the generator writes from offices.csv; regenerate with `go run ./internal/gendefault` from the module root", synth.CountsFile)
	}
}
