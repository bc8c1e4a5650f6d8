package catchment

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/paulmach/orb"
)

// bruteMetric is a metric written the way a user would plug one in: every
// pair measured, geodesically, by brute force. It shares no code with
// Geodesic but geo.Distance.
type bruteMetric struct{}

func (bruteMetric) Name() string       { return "brute" }
func (bruteMetric) Quantity() Quantity { return Distance }
func (bruteMetric) Measure(origins, dests []Place) (Costs, error) {
	c := &bruteCosts{d: make([][]float64, len(origins))}
	for i, o := range origins {
		c.d[i] = make([]float64, len(dests))
		for j, d := range dests {
			c.d[i][j] = geo.Distance(o.Location, d.Location)
		}
	}
	return c, nil
}

type bruteCosts struct{ d [][]float64 }

func (c *bruteCosts) Nearest(which []int, open []bool) ([]Reach, error) {
	if which == nil {
		for i := range c.d {
			which = append(which, i)
		}
	}
	out := make([]Reach, len(which))
	for k, i := range which {
		out[k] = Reach{To: -1, Cost: math.Inf(1), DistanceM: math.NaN(), TimeS: math.NaN(), Note: "nothing open"}
		for j, d := range c.d[i] {
			if (open == nil || open[j]) && d < out[k].Cost {
				out[k] = Reach{To: j, Cost: d, DistanceM: d, TimeS: math.NaN()}
			}
		}
	}
	return out, nil
}

func (c *bruteCosts) Within(limit float64, fn func(int, Reach) bool) error {
	for i, row := range c.d {
		for j, d := range row {
			if d <= limit && !fn(i, Reach{To: j, Cost: d, DistanceM: d, TimeS: math.NaN()}) {
				return nil
			}
		}
	}
	return nil
}

func (c *bruteCosts) Warnings() []data.Warning { return nil }

// geodesicMatrix writes, as a cost-matrix CSV, the geodesic distance from
// every origin to every destination.
func geodesicMatrix(origins, dests []Place) []byte {
	var b bytes.Buffer
	b.WriteString("origin,dest,distance_m\n")
	for _, o := range origins {
		for _, d := range dests {
			fmt.Fprintf(&b, "%s,%s,%s\n", o.ID, d.ID, fmt.Sprint(geo.Distance(o.Location, d.Location)))
		}
	}
	return b.Bytes()
}

// matrixFor reads geodesicMatrix back as a metric.
func matrixFor(t testing.TB, origins, dests []Place) *CostMatrix {
	t.Helper()
	tab, _, err := data.ReadCostMatrix(geodesicMatrix(origins, dests), "geodesic.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	return NewCostMatrix(tab)
}

// sameAssignment compares two assignments district by district.
func sameAssignment(t *testing.T, what string, got, want Assignment) {
	t.Helper()
	for i := range want.Districts {
		g, w := got.Districts[i], want.Districts[i]
		if g.OfficeIndex != w.OfficeIndex || math.Abs(g.DistanceM-w.DistanceM) > 1e-6 {
			t.Fatalf("%s: district %d: office %d at %.6f m, geodesic %d at %.6f m", what, i, g.OfficeIndex, g.DistanceM, w.OfficeIndex, w.DistanceM)
		}
	}
	for j := range want.Offices {
		if got.Offices[j].Districts != want.Offices[j].Districts || got.Offices[j].Population != want.Offices[j].Population {
			t.Fatalf("%s: office %d loads %+v, geodesic %+v", what, j, got.Offices[j], want.Offices[j])
		}
	}
}

// sameSummary compares what-if summaries to the metres.
func sameSummary(t *testing.T, what string, got, want Summary) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		name := g.Type().Field(i).Name
		if name == "Metric" {
			continue
		}
		a, b := g.Field(i), w.Field(i)
		if a.Kind() == reflect.Float64 {
			if x, y := a.Float(), b.Float(); math.Abs(x-y) > 1e-6*max(1, math.Abs(y)) && !(math.IsNaN(x) && math.IsNaN(y)) {
				t.Fatalf("%s: %s %v, geodesic %v", what, name, x, y)
			}
			continue
		}
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			t.Fatalf("%s: %s %v, geodesic %v", what, name, a.Interface(), b.Interface())
		}
	}
}

// TestPluggedMetricsAgreeWithGeodesic runs assign, a what-if with a
// closure, a downgrade and a new office, and the ranking of every closure
// under a user's metric type and under a cost matrix of geodesic costs,
// and checks both against the built-in geodesic metric.
func TestPluggedMetricsAgreeWithGeodesic(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	offices := randomOffices(r, 14)
	districts, _ := fixture.PointDistricts(r, 400)
	newOffice := data.Office{ID: "new", Name: "new office", Kind: data.Branch, Location: orb.Point{130.7, 32.8}}
	base := studyOf(t, districts, offices)
	all := append(officePlaces(offices), officePlaces([]data.Office{newOffice})...)
	// The matrix holds district → office and office → office costs.
	origins := append(base.districtPlaces(), officePlaces(offices)...)
	metrics := []Metric{bruteMetric{}, matrixFor(t, origins, all)}
	change := Change{Name: "mixed", Close: []string{offices[1].ID, offices[5].ID}, Downgrade: []string{offices[2].ID}, Open: []data.Office{newOffice}}
	opt := CompareOptions{MaxKm: 5, CertificateShare: 0.3}

	wantA, err := base.Assign()
	if err != nil {
		t.Fatal(err)
	}
	wantN, err := base.Nearest(data.Branch, data.Ward)
	if err != nil {
		t.Fatal(err)
	}
	ww, err := base.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	wantC, err := ww.Compare(change, opt)
	if err != nil {
		t.Fatal(err)
	}
	wantE, err := ww.Each("", opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range metrics {
		s := studyOf(t, districts, offices, Options{Metric: m})
		got, err := s.Assign()
		if err != nil {
			t.Fatal(err)
		}
		sameAssignment(t, m.Name()+" assign", got, wantA)
		if got.Metric != m.Name() {
			t.Errorf("metric %q", got.Metric)
		}
		closed, err := s.Assign(offices[3].ID)
		if err != nil {
			t.Fatal(err)
		}
		wantClosed, _ := base.Assign(offices[3].ID)
		sameAssignment(t, m.Name()+" assign without "+offices[3].ID, closed, wantClosed)
		rows, err := s.Nearest(data.Branch, data.Ward)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			if rows[i].Nearest.ID != wantN[i].Nearest.ID || math.Abs(rows[i].DistanceM-wantN[i].DistanceM) > 1e-6 {
				t.Fatalf("%s nearest %s: %s, geodesic %s", m.Name(), rows[i].Office.ID, rows[i].Nearest.ID, wantN[i].Nearest.ID)
			}
		}
		w, err := s.WhatIf()
		if err != nil {
			t.Fatal(err)
		}
		c, err := w.Compare(change, opt)
		if err != nil {
			t.Fatal(err)
		}
		sameAssignment(t, m.Name()+" what-if full", c.Outcome.Full, wantC.Outcome.Full)
		sameAssignment(t, m.Name()+" what-if cert", c.Outcome.Cert, wantC.Outcome.Cert)
		sameSummary(t, m.Name()+" what-if", c.Summary, wantC.Summary)
		each, err := w.Each("", opt)
		if err != nil {
			t.Fatal(err)
		}
		for k := range each {
			if each[k].Office.ID != wantE[k].Office.ID {
				t.Fatalf("%s each: rank %d is %s, geodesic %s", m.Name(), k+1, each[k].Office.ID, wantE[k].Office.ID)
			}
			sameSummary(t, m.Name()+" each "+each[k].Office.ID, each[k].Summary, wantE[k].Summary)
		}
	}
}

// TestWithinAgrees checks every metric's Within against brute force.
func TestWithinAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	offices := randomOffices(r, 30)
	districts, _ := fixture.PointDistricts(r, 200)
	s := studyOf(t, districts, offices)
	origins, dests := s.districtPlaces(), officePlaces(offices)
	for _, m := range []Metric{Geodesic{}, bruteMetric{}, matrixFor(t, origins, dests)} {
		c, err := m.Measure(origins, dests)
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []float64{0, 3000, 12000, math.Inf(1)} {
			type pair struct {
				o, d int
			}
			var got []pair
			if err := c.Within(limit, func(o int, r Reach) bool {
				if r.Cost > limit || math.Abs(r.DistanceM-geo.Distance(origins[o].Location, dests[r.To].Location)) > 1e-6 {
					t.Fatalf("%s: pair %d→%d cost %v beyond %v or wrong", m.Name(), o, r.To, r.Cost, limit)
				}
				got = append(got, pair{o, r.To})
				return true
			}); err != nil {
				t.Fatal(err)
			}
			var want []pair
			for o := range origins {
				for d := range dests {
					if geo.Distance(origins[o].Location, dests[d].Location) <= limit {
						want = append(want, pair{o, d})
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s within %v: %d pairs, want %d", m.Name(), limit, len(got), len(want))
			}
		}
		if err := c.Within(math.NaN(), func(int, Reach) bool { return true }); m.Name() != "brute" && err == nil {
			t.Errorf("%s: NaN limit accepted", m.Name())
		}
	}
}

func TestCostMatrixMissingPairs(t *testing.T) {
	offices := []data.Office{{ID: "a", Name: "A", Location: orb.Point{130.6, 32.8}}, {ID: "b", Name: "B", Location: orb.Point{130.8, 32.8}}}
	districts := gridDistricts(2) // d0..d3
	csv := "origin,dest,time_min\nd0,a,10\nd0,b,5\nd1,a,7\nd2,b,8\nd3,zz,1\n"
	tab, _, err := data.ReadCostMatrix([]byte(csv), "times.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	m := NewCostMatrix(tab)
	if m.Quantity() != Time {
		t.Fatalf("quantity %s", m.Quantity())
	}
	s := studyOf(t, districts, offices, Options{Metric: m})
	a, err := s.Assign()
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		office string
		s      float64
	}{{"b", 300}, {"a", 420}, {"b", 480}, {"", math.NaN()}}
	for i, w := range want {
		da := a.Districts[i]
		id := ""
		if da.Office != nil {
			id = da.Office.ID
		}
		if id != w.office || !(da.TimeS == w.s || math.IsNaN(w.s) && math.IsNaN(da.TimeS)) || !math.IsNaN(da.DistanceM) {
			t.Errorf("district %d: %q at %v s (%v m), want %q at %v s", i, id, da.TimeS, da.DistanceM, w.office, w.s)
		}
	}
	if a.Unreached != 1 || a.Districts[3].Note == "" {
		t.Errorf("unreached %d, note %q", a.Unreached, a.Districts[3].Note)
	}
	ws := warningText(s.Warnings())
	if !strings.Contains(ws, "district 3 (d3)") {
		t.Errorf("warnings %q: want d3 named", ws)
	}
	// Closing b moves d0 to a; d2 has no cost to a.
	w, err := s.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.Compare(Change{Close: []string{"b"}}, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Districts[0].After.ID != "a" || c.Districts[0].AfterS != 600 || c.Districts[2].After != nil || c.Summary.UnroutedAfter != 2 {
		t.Errorf("close b: %+v %+v, unrouted %d", c.Districts[0], c.Districts[2], c.Summary.UnroutedAfter)
	}
	if c.Summary.WeightedTimeChangeS != 300 {
		t.Errorf("time change %v, want 300 s", c.Summary.WeightedTimeChangeS)
	}
	// A new office the matrix does not know serves nobody, with a warning.
	out, err := w.Apply(Change{Open: []data.Office{{ID: "n", Name: "N", Location: orb.Point{130.7, 32.8}}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Full.Offices[2].Districts != 0 || len(out.Warnings) == 0 {
		t.Errorf("unknown new office: loads %+v, warnings %v", out.Full.Offices, out.Warnings)
	}
	// Ids that match nothing: an error that says so.
	none, _, _ := data.ReadCostMatrix([]byte("from,to,distance_km\nx,y,1\n"), "ids.csv", "")
	_, err = studyOf(t, districts, offices, Options{Metric: NewCostMatrix(none)}).Assign()
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "its ids must be those of the districts and offices") {
		t.Errorf("no matching ids: %v", err)
	}
}

func TestReadCostMatrixErrors(t *testing.T) {
	for _, tc := range []struct {
		name, csv, unit, want string
	}{
		{"no unit", "origin,dest,cost\na,b,1\n", "", "give --cost-unit"},
		{"unit conflict", "origin,dest,time_s\na,b,1\n", "km", "says its unit is s but --cost-unit says km"},
		{"bad unit", "origin,dest,cost\na,b,1\n", "miles", "want m, km, s, min or h"},
		{"no origin", "o_id,dest,cost_m\na,b,1\n", "", "no origin or destination column"},
		{"no cost", "origin,dest,x\na,b,1\n", "", "no cost column"},
		{"negative", "origin,dest,distance_m\na,b,-1\n", "", "line 2: field distance_m: negative cost"},
		{"nan", "origin,dest,distance_m\na,b,NaN\n", "", "line 2: field distance_m: \"NaN\" is not a finite number"},
		{"text", "origin,dest,distance_m\na,b,far\n", "", "is not a number"},
		{"empty id", "origin,dest,distance_m\n,b,1\n", "", "line 2: fields origin/dest: empty id"},
		{"duplicate", "origin,dest,distance_m\na,b,1\na,b,2\n", "", "line 3: fields origin/dest: the pair a → b is given twice (also on line 2)"},
		{"empty", "", "", "the file is empty"},
		{"header only", "origin,dest,distance_m\n", "", "no rows"},
		{"two time columns", "origin,dest,time_s,time_min\na,b,1,2\n", "", "2 cost columns"},
		{"ragged", "origin,dest,distance_m\na,b\n", "", "different number of columns"},
		{"binary", "origin,dest,distance_m\n\xff\xfe\x00\x01", "", "neither UTF-8 nor Shift_JIS"},
	} {
		_, _, err := data.ReadCostMatrix([]byte(tc.csv), "m.csv", tc.unit)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.want)
		}
	}
	tab, _, err := data.ReadCostMatrix([]byte("\ufeffFrom,To,Duration,distance_m\nd1,a,90,1500\nd2,a,60,\n"), "osrm.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	if !tab.Time || !tab.HasDistance || tab.Rows[0].Cost != 90 || tab.Rows[0].DistanceM != 1500 || !math.IsNaN(tab.Rows[1].DistanceM) {
		t.Errorf("table %+v", tab)
	}
	tab, _, err = data.ReadCostMatrix([]byte("origin,dest,cost\nd1,a,2.5\n"), "km.csv", "km")
	if err != nil || tab.Time || tab.Rows[0].Cost != 2500 || tab.Rows[0].DistanceM != 2500 {
		t.Errorf("km table %+v %v", tab, err)
	}
}

// warningText joins warnings for a check.
func warningText(ws []data.Warning) string {
	var s []string
	for _, w := range ws {
		s = append(s, w.String())
	}
	slices.SortFunc(s, cmp.Compare)
	return strings.Join(s, "\n")
}
