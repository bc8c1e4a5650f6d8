package render

import (
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
)

func TestTrendData(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	ss := TrendData(ds.Offices, ds.Counts)
	if len(ss) != len(ds.Offices) {
		t.Fatalf("%d series for %d offices", len(ss), len(ds.Offices))
	}
	wards := 0
	for i, s := range ss {
		o := ds.Offices[i]
		if s.Label != o.Name || s.Ward != (o.Kind == data.Ward) || s.Group != o.Ward {
			t.Errorf("series %d: %+v does not match office %s", i, s, o.ID)
		}
		if s.Ward {
			wards++
		}
		if len(s.Projected) != len(s.Years) {
			t.Fatalf("%s: %d projected flags for %d years", o.ID, len(s.Projected), len(s.Years))
		}
		for k, y := range s.Years {
			if s.Projected[k] != (y > 2014) {
				t.Errorf("%s %d: projected %v", o.ID, y, s.Projected[k])
			}
		}
	}
	if wards != 5 {
		t.Errorf("%d ward offices marked, want 5", wards)
	}
	// A file without projections gives series without flags.
	plain := []data.CounterCount{{OfficeID: "oe", Year: 2023, Count: 10}, {OfficeID: "oe", Year: 2022, Count: 12}}
	ss = TrendData(ds.Offices, plain)
	if len(ss) != 1 || ss[0].Projected != nil || ss[0].Years[0] != 2022 || ss[0].GroupEn != "Chuo Ward" {
		t.Errorf("got %+v", ss)
	}
}

func TestShortOfficeName(t *testing.T) {
	for in, want := range map[string]string{
		"幸田総合出張所": "幸田", "大江出張所": "大江", "中央区役所": "中央区", "出張所": "出張所",
		"Koda General Branch": "Koda", "Oe Branch": "Oe", "Chuo Ward Office": "Chuo", "Town Hall": "Town Hall",
	} {
		if got := shortOfficeName(in); got != want {
			t.Errorf("shortOfficeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSourceLineSaysDemoCounts(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	line := SourceLine(ds)
	if !strings.Contains(line, "counter counts: DEMO figures") || !strings.Contains(line, "SYNTHETIC demo layers") {
		t.Errorf("source line %q does not flag the demo layers and DEMO counter counts", line)
	}
	// The user's own counts beside the embedded offices (chart trend --counts).
	delete(ds.Synthetic, data.LayerCounts)
	ds.Sources[data.LayerCounts] = "counts.csv"
	line = SourceLine(ds)
	if strings.Contains(line, "DEMO") || !strings.Contains(line, "counts: user data") || !strings.HasPrefix(line, "offices: Kumamoto City offices") {
		t.Errorf("source line %q: want the embedded offices, the user's counts, no DEMO", line)
	}
}
