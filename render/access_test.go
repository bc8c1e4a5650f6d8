package render

import (
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

func accessStudy(t *testing.T) (*data.Dataset, *catchment.Study) {
	t.Helper()
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ds, s
}

func TestAccessMapClasses(t *testing.T) {
	ds, s := accessStudy(t)
	a, err := s.Access(catchment.AccessOptions{Method: catchment.AccessE2SFCA, Catchment: 5000})
	if err != nil {
		t.Fatal(err)
	}
	for _, normalize := range []bool{false, true} {
		md := AccessMapData(ds, a, normalize)
		if len(md.Values) != len(ds.Districts) || len(md.Classes) != 6 || md.Classes[0].Max != 0 {
			t.Fatalf("normalize %v: %d values, classes %+v", normalize, len(md.Values), md.Classes)
		}
		idx, counts := draw.ClassifyValues(md.Classes, md.Values)
		if counts[0] != a.NoAccess-a.Unrouted {
			t.Errorf("normalize %v: %d districts in the no-office class, %d have none", normalize, counts[0], a.NoAccess)
		}
		for i, d := range a.Districts {
			if idx[i] < 0 {
				t.Errorf("district %s has no class", d.District.ID)
			}
		}
		// Quintiles: the classes of districts with access hold 17–19 each.
		for k, n := range counts[1:] {
			if n < 15 || n > 20 {
				t.Errorf("normalize %v: quintile %d holds %d districts", normalize, k+1, n)
			}
		}
		if !strings.Contains(md.Summary.En, "2 districts (3,110 residents) with no office within 5 km") {
			t.Errorf("summary %q", md.Summary.En)
		}
	}
}

func TestAccessChangeMapAndMarkdown(t *testing.T) {
	ds, s := accessStudy(t)
	c, err := s.AccessCompare(catchment.Change{Name: "close three", Close: []string{"oe", "akitsu", "tobu"}},
		catchment.AccessOptions{Method: catchment.AccessE2SFCA, Catchment: 5000})
	if err != nil {
		t.Fatal(err)
	}
	md := AccessChangeMapData(ds, c, true)
	_, counts := draw.ClassifyValues(md.Classes, md.Values)
	lost, same := 0, 0
	for k, cl := range md.Classes {
		switch {
		case cl.Max < 0:
			lost += counts[k]
		case cl.Label.En == "No change":
			same += counts[k]
		}
	}
	if lost != c.Summary.Lost || same != len(ds.Districts)-c.Summary.Lost-c.Summary.Gained {
		t.Errorf("map: %d lost, %d unchanged; summary %+v", lost, same, c.Summary)
	}
	closed := 0
	for _, o := range md.Offices {
		if o.Closed {
			closed++
		}
	}
	if closed != 3 {
		t.Errorf("%d offices drawn closed, want 3", closed)
	}
	var b strings.Builder
	if err := WriteAccessMarkdown(&b, AccessSection{Comparison: c, Plan: "three offices", Lowest: 5}); err != nil {
		t.Fatal(err)
	}
	md2 := b.String()
	for _, want := range []string{"## Access to counter service (E2SFCA)", "| figure | every office open | after closing three offices |",
		"### The 5 districts with the lowest access, every office open", "### The 5 districts with the lowest access after closing three offices",
		"Closed offices (3): oe, akitsu, tobu"} {
		if !strings.Contains(md2, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md2)
		}
	}
	if rows := strings.Count(md2, "(synthetic) |"); rows != 10 {
		t.Errorf("%d district rows, want 5 + 5", rows)
	}
}

func TestSignificantRoundsOnlyFractions(t *testing.T) {
	tb := Significant(vector.Table{Columns: []string{"a", "b", "c"}, Rows: [][]any{{0.000123456, 12345.0, "x"}}}, 3)
	if tb.Rows[0][0] != 0.000123 || tb.Rows[0][1] != 12345.0 || tb.Rows[0][2] != "x" {
		t.Errorf("%v", tb.Rows[0])
	}
}
