package data

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
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
		if per[o.ID] != 10 {
			t.Errorf("office %s has %d years of demo counts, want 10", o.ID, per[o.ID])
		}
	}
	if !ds.Synthetic[LayerCounts] {
		t.Error("the demo counts must be marked synthetic")
	}
	// the last year equals the office's counter_count
	for _, c := range ds.Counts {
		if c.Year != 2024 {
			continue
		}
		for _, o := range ds.Offices {
			if o.ID == c.OfficeID && (o.CounterCount == nil || *o.CounterCount != c.Count) {
				t.Errorf("%s: 2024 count %g differs from counter_count", o.ID, c.Count)
			}
		}
	}
}
