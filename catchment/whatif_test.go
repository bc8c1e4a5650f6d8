package catchment

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/paulmach/orb"
)

// whatifFixture is a file under testdata/whatif.
func whatifFixture(name string) string { return filepath.Join("..", "testdata", "whatif", name) }

// bruteNearest is the nearest office i with ok(i), ties to the lower index.
func bruteNearest(p orb.Point, offices []data.Office, ok func(i int) bool) (int, float64) {
	best, bestD := -1, math.Inf(1)
	for i, o := range offices {
		if !ok(i) {
			continue
		}
		if d := geo.Distance(p, o.Location); d < bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}

// checkAssignment compares an assignment with brute force over the offices
// whose status passes keep.
func checkAssignment(t *testing.T, what string, a Assignment, pts []orb.Point, ds []data.District, out Outcome, keep func(OfficeStatus) bool) {
	t.Helper()
	served := make([]int, len(out.Offices))
	for i, da := range a.Districts {
		best, bestD := bruteNearest(pts[i], out.Offices, func(j int) bool { return keep(out.Status[j]) })
		if da.OfficeIndex != best || (best >= 0 && da.Office != &out.Offices[best]) || math.Abs(da.DistanceM-bestD) > 1e-6 {
			t.Fatalf("%s: district %d: office %d at %.3f m, brute force %d at %.3f m", what, i, da.OfficeIndex, da.DistanceM, best, bestD)
		}
		served[best]++
	}
	open := 0
	for j, ol := range a.Offices {
		if ol.Districts != served[j] {
			t.Errorf("%s: office %d serves %d districts, want %d", what, j, ol.Districts, served[j])
		}
		if ol.Open != keep(out.Status[j]) {
			t.Errorf("%s: office %d open=%v, status %s", what, j, ol.Open, out.Status[j])
		}
		if ol.Open {
			open++
		}
	}
	if a.OpenOffices != open {
		t.Errorf("%s: %d open offices, want %d", what, a.OpenOffices, open)
	}
}

func TestWhatIfMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 30 {
		offices := randomOffices(r, 2+trial*3)
		ds, _ := fixture.PointDistricts(r, 300)
		s := studyOf(t, ds, offices)
		w, err := s.WhatIf()
		if err != nil {
			t.Fatal(err)
		}
		pts := s.Points()
		var ch Change
		for i, o := range offices {
			switch r.IntN(5) {
			case 0:
				ch.Close = append(ch.Close, o.ID)
			case 1:
				ch.Downgrade = append(ch.Downgrade, o.ID)
			case 2:
				if i == 0 {
					// keep office 0 open
					continue
				}
			}
		}
		if len(ch.Close)+len(ch.Downgrade) == len(offices) {
			if len(ch.Close) > 0 {
				ch.Close = ch.Close[1:]
			}
			if len(ch.Close)+len(ch.Downgrade) == len(offices) {
				ch.Downgrade = ch.Downgrade[1:]
			}
		}
		if trial%3 == 0 {
			for k := range 1 + trial%4 {
				ch.Open = append(ch.Open, data.Office{ID: fmt.Sprintf("new%d", k), Kind: data.Branch,
					Location: orb.Point{130.45 + 0.5*r.Float64(), 32.55 + 0.5*r.Float64()}})
			}
			if trial%2 == 0 {
				// a new office at the very place of a baseline one: ties go to the baseline office
				ch.Open = append(ch.Open, data.Office{ID: "twin", Location: offices[0].Location})
			}
		}
		out, err := w.Apply(ch)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		checkAssignment(t, fmt.Sprintf("trial %d full", trial), out.Full, pts, ds, out, OfficeStatus.fullService)
		checkAssignment(t, fmt.Sprintf("trial %d cert", trial), out.Cert, pts, ds, out, OfficeStatus.certificates)

		// With closures only, the full-service assignment is Assign's.
		if len(ch.Open) == 0 && len(ch.Downgrade) == 0 {
			a, err := s.Assign(ch.Close...)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a.Districts, out.Full.Districts) {
				t.Errorf("trial %d: Apply differs from Assign with the same closures", trial)
			}
		}
	}
}

func TestCloseOneMovesExactlyItsDistricts(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	offices := randomOffices(r, 25)
	ds, _ := fixture.PointDistricts(r, 2000)
	w := whatIfOf(t, ds, offices)
	pts := w.points
	base := w.Baseline()
	for x, o := range offices {
		c, err := w.Compare(Change{Close: []string{o.ID}}, CompareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var moved []int32
		for i, d := range c.Districts {
			if d.Moved() {
				moved = append(moved, int32(i))
				// the next nearest office: brute force without x
				best, bestD := bruteNearest(pts[i], offices, func(j int) bool { return j != x })
				if d.AfterIndex != best || d.After != &c.Outcome.Offices[best] || math.Abs(d.AfterM-bestD) > 1e-6 {
					t.Fatalf("close %s: district %d goes to %d at %.1f m, want %d at %.1f m", o.ID, i, d.AfterIndex, d.AfterM, best, bestD)
				}
				if d.DeltaM() < 0 {
					t.Errorf("close %s: district %d gets nearer (%.1f m) by a closure", o.ID, i, d.DeltaM())
				}
			} else if d.AfterIndex != base.Districts[i].OfficeIndex || d.After.ID != base.Districts[i].Office.ID || d.AfterM != base.Districts[i].DistanceM {
				t.Fatalf("close %s: unmoved district %d changed", o.ID, i)
			}
		}
		if !reflect.DeepEqual(moved, w.Served(x)) {
			t.Fatalf("close %s: moved %d districts, served %d", o.ID, len(moved), len(w.Served(x)))
		}
		var pop float64
		for _, d := range w.Served(x) {
			pop += ds[d].Pop()
		}
		if c.Summary.MovedDistricts != len(moved) || c.Summary.MovedPopulation != pop {
			t.Errorf("close %s: summary moved %d/%g, want %d/%g", o.ID, c.Summary.MovedDistricts, c.Summary.MovedPopulation, len(moved), pop)
		}
	}
}

func TestApplyErrors(t *testing.T) {
	offices := []data.Office{
		{ID: "a", Location: orb.Point{130.7, 32.8}},
		{ID: "b", Location: orb.Point{130.8, 32.8}},
	}
	ds, _ := fixture.PointDistricts(rand.New(rand.NewPCG(1, 1)), 10)
	w := whatIfOf(t, ds, offices)
	for _, tc := range []struct {
		name string
		ch   Change
		want string
	}{
		{"unknown", Change{Close: []string{"zz"}}, `unknown office id "zz"`},
		{"twice", Change{Close: []string{"a"}, Downgrade: []string{"a"}}, "named twice"},
		{"all closed", Change{Close: []string{"a", "b"}}, "closes every office"},
		{"no full service", Change{Close: []string{"a"}, Downgrade: []string{"b"}}, "no office with full counter service"},
		{"id taken", Change{Open: []data.Office{{ID: "a"}}}, `"a" is already used`},
		{"new id twice", Change{Open: []data.Office{{ID: "n"}, {ID: "n"}}}, `"n" is already used`},
	} {
		_, err := w.Apply(tc.ch)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := w.Compare(Change{Close: []string{"a"}}, CompareOptions{CertificateShare: 1.5}); err == nil {
		t.Error("certificate share 1.5: want an error")
	}
	// A new office may replace every baseline office.
	out, err := w.Apply(Change{Close: []string{"a", "b"}, Open: []data.Office{{ID: "n", Location: orb.Point{130.75, 32.8}}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Full.Offices[2].Districts != len(ds) {
		t.Errorf("the only open office serves %d of %d districts", out.Full.Offices[2].Districts, len(ds))
	}
}

// lineStudy is three offices on a parallel and districts beside them, with
// known populations, for figures checked by hand.
func lineStudy(t *testing.T) *WhatIf {
	t.Helper()
	c1, c2 := 1000.0, 300.0
	offices := []data.Office{
		{ID: "w", Kind: data.Ward, Location: orb.Point{130.60, 32.8}, CounterCount: &c1},
		{ID: "b", Kind: data.Branch, Location: orb.Point{130.70, 32.8}, CounterCount: &c2},
		{ID: "e", Kind: data.Branch, Location: orb.Point{130.80, 32.8}}, // counter_count unknown
	}
	pop := func(v float64) *float64 { return &v }
	// b serves three districts: two nearer w (west), one nearer e (east).
	ds := []data.District{
		{ID: "w1", Population: pop(500)},
		{ID: "b1", Population: pop(100)}, // 130.68: next nearest w
		{ID: "b2", Population: pop(100)}, // 130.66: next nearest w
		{ID: "b3", Population: pop(200)}, // 130.73: next nearest e
		{ID: "e1", Population: pop(50)},
	}
	pts := []orb.Point{{130.60, 32.81}, {130.68, 32.8}, {130.66, 32.8}, {130.73, 32.8}, {130.80, 32.81}}
	for i := range ds {
		ds[i].Geometry = orb.MultiPolygon{square(pts[i][0]-1e-4, pts[i][1]-1e-4, pts[i][0]+1e-4, pts[i][1]+1e-4)}
	}
	return whatIfOf(t, ds, offices)
}

func TestCounterLoadShift(t *testing.T) {
	w := lineStudy(t)
	for _, tc := range []struct {
		name        string
		ch          Change
		share       float64
		wantIn      []float64 // shifted in, per office
		wantOut     []float64
		wantUnknown []string
	}{
		// b closes: 300 shared by population moved: w takes 200 of 400, e 200 of 400.
		{"close b", Change{Close: []string{"b"}}, 0, []float64{150, 0, 150}, []float64{0, 300, 0}, nil},
		// b becomes a corner keeping 40 %: 180 shed the same way.
		{"corner b", Change{Downgrade: []string{"b"}}, 0.4, []float64{90, 0, 90}, []float64{0, 180, 0}, nil},
		// e closes: its count is unknown, nothing shifts, and it is listed.
		{"close e", Change{Close: []string{"e"}}, 0, []float64{0, 0, 0}, []float64{0, 0, 0}, []string{"e"}},
	} {
		c, err := w.Compare(tc.ch, CompareOptions{CertificateShare: tc.share})
		if err != nil {
			t.Fatal(err)
		}
		var in, out []float64
		for _, o := range c.Offices {
			in = append(in, o.CounterShiftedIn)
			out = append(out, o.CounterShiftedOut)
		}
		if !approxEqual(in, tc.wantIn) || !approxEqual(out, tc.wantOut) {
			t.Errorf("%s: shifted in %v out %v, want in %v out %v", tc.name, in, out, tc.wantIn, tc.wantOut)
		}
		if !reflect.DeepEqual(c.Summary.CounterUnknown, tc.wantUnknown) {
			t.Errorf("%s: counter unknown %v, want %v", tc.name, c.Summary.CounterUnknown, tc.wantUnknown)
		}
		// Load is conserved: what known offices had is what they have after,
		// plus what offices of unknown count took over.
		var before, after float64
		for _, o := range c.Offices {
			if o.CounterBefore != nil {
				before += *o.CounterBefore
				after += *o.CounterAfter
			} else {
				after += o.CounterShiftedIn
			}
		}
		if math.Abs(before-after) > 1e-9 {
			t.Errorf("%s: counter load %g before, %g after", tc.name, before, after)
		}
	}
}

// TestShedTo checks where a closed office's load goes, worked by hand on
// lineStudy, whether or not its counter_count is known.
func TestShedTo(t *testing.T) {
	w := lineStudy(t)
	type share struct {
		id string
		f  float64
	}
	for _, tc := range []struct {
		name string
		ch   Change
		want map[string][]share // per shedding office
	}{
		// b's 400 residents: 200 to w (b1, b2), 200 to e (b3).
		{"close b", Change{Close: []string{"b"}}, map[string][]share{"b": {{"w", 0.5}, {"e", 0.5}}}},
		{"corner b", Change{Downgrade: []string{"b"}}, map[string][]share{"b": {{"w", 0.5}, {"e", 0.5}}}},
		// e's counter_count is unknown: its districts still say where its load would go.
		{"close e", Change{Close: []string{"e"}}, map[string][]share{"e": {{"b", 1}}}},
		// w and b close: everything goes to e.
		{"close w, b", Change{Close: []string{"w", "b"}}, map[string][]share{"w": {{"e", 1}}, "b": {{"e", 1}}}},
	} {
		c, err := w.Compare(tc.ch, CompareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range c.Offices {
			want := tc.want[o.Office.ID]
			var got []share
			sum := 0.0
			for _, ls := range o.ShedTo {
				got = append(got, share{ls.Office.ID, ls.Fraction})
				sum += ls.Fraction
				if c.Offices[ls.Index].Office != ls.Office {
					t.Errorf("%s: share of %s points to office %d, not its index", tc.name, o.Office.ID, ls.Index)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%s: %s sheds to %v, want %v", tc.name, o.Office.ID, got, want)
				continue
			}
			for i := range got {
				if got[i].id != want[i].id || math.Abs(got[i].f-want[i].f) > 1e-12 {
					t.Errorf("%s: %s sheds to %v, want %v", tc.name, o.Office.ID, got, want)
				}
			}
			if len(got) > 0 && math.Abs(sum-1) > 1e-12 {
				t.Errorf("%s: %s's fractions sum to %g", tc.name, o.Office.ID, sum)
			}
		}
	}
}

func approxEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

func TestSummaryFigures(t *testing.T) {
	w := lineStudy(t)
	c, err := w.Compare(Change{Close: []string{"b"}}, CompareOptions{MaxKm: 5,
		Coverage: []GapRow{{Index: 0}, {Index: 1, Posts: 1}, {Index: 2}, {Index: 3, Stores: 2}, {Index: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	s := c.Summary
	d := func(i int) float64 { return c.Districts[i].DeltaM() }
	deltas := []float64{d(1), d(2), d(3)}
	sort.Float64s(deltas)
	wantWeighted := (100*d(1) + 100*d(2) + 200*d(3)) / 400
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"moved districts", float64(s.MovedDistricts), 3},
		{"moved population", s.MovedPopulation, 400},
		{"mean", s.MeanChangeM, (deltas[0] + deltas[1] + deltas[2]) / 3},
		{"median", s.MedianChangeM, deltas[1]},
		{"p90", s.P90ChangeM, deltas[2]},
		{"max", s.MaxChangeM, deltas[2]},
		{"weighted", s.WeightedChangeM, wantWeighted},
		{"person-km", s.AddedPersonKm, wantWeighted * 400 / 1000},
		{"offices before", float64(s.FullOfficesBefore), 3},
		{"offices after", float64(s.FullOfficesAfter), 2},
		{"residents per office before", s.ResidentsPerOfficeBefore, 950.0 / 3},
		{"residents per office after", s.ResidentsPerOfficeAfter, 950.0 / 2},
		{"moved with a store or post office", float64(s.MovedWithCertPoint), 2},
		{"their population", s.MovedPopulationWithCertPoint, 300},
		{"cert moved", float64(s.CertMovedDistricts), 3},
		{"counter shifted", s.CounterShifted, 300},
	} {
		if math.Abs(tc.got-tc.want) > 1e-9 {
			t.Errorf("%s = %g, want %g", tc.name, tc.got, tc.want)
		}
	}
	// b1 (130.68) and b2 (130.66) move to w: 7.5 km and 5.6 km, beyond 5 km;
	// b3 (130.73) moves to e: 6.6 km.
	if s.BeyondBefore != 0 || s.BeyondAfter != 3 || s.NewlyBeyond != 3 || s.BeyondPopulationAfter != 400 {
		t.Errorf("beyond 5 km: before %d, after %d, newly %d, population %g; want 0, 3, 3, 400",
			s.BeyondBefore, s.BeyondAfter, s.NewlyBeyond, s.BeyondPopulationAfter)
	}
	// As a service corner b still issues certificates to its districts.
	c, err = w.Compare(Change{Downgrade: []string{"b"}}, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Summary.MovedDistricts != 3 || c.Summary.MovedCertKept != 3 || c.Summary.CertMovedDistricts != 0 {
		t.Errorf("corner b: moved %d, cert kept %d, cert moved %d; want 3, 3, 0",
			c.Summary.MovedDistricts, c.Summary.MovedCertKept, c.Summary.CertMovedDistricts)
	}
	if c.Summary.CoverageKnown || c.Districts[1].CertPoint != nil {
		t.Error("coverage not given but reported as known")
	}
}

func TestMedianPercentile(t *testing.T) {
	for _, tc := range []struct {
		v           []float64
		median, p90 float64
	}{
		{nil, 0, 0},
		{[]float64{5}, 5, 5},
		{[]float64{1, 3}, 2, 3},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5.5, 9},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 6, 10},
	} {
		if m, p := median(tc.v), percentile(tc.v, 90); m != tc.median || p != tc.p90 {
			t.Errorf("%v: median %g p90 %g, want %g %g", tc.v, m, p, tc.median, tc.p90)
		}
	}
}

func TestEachRanksLeastImpactFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	offices := randomOffices(r, 12)
	ds, _ := fixture.PointDistricts(r, 800)
	w := whatIfOf(t, ds, offices)
	imp, err := w.Each(data.Branch, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	branches := 0
	for _, o := range offices {
		if o.Kind == data.Branch {
			branches++
		}
	}
	if len(imp) != branches {
		t.Fatalf("%d impacts for %d branch offices", len(imp), branches)
	}
	for i, im := range imp {
		if im.Office.Kind != data.Branch || im.Office != &w.offices[im.Index] {
			t.Errorf("impact %d is a %s office", i, im.Office.Kind)
		}
		if i > 0 && imp[i-1].Summary.AddedPersonKm > im.Summary.AddedPersonKm {
			t.Errorf("impact %d: %g person-km after %g", i, im.Summary.AddedPersonKm, imp[i-1].Summary.AddedPersonKm)
		}
		c, err := w.Compare(Change{Close: []string{im.Office.ID}}, CompareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c.Summary, im.Summary) {
			t.Errorf("impact of %s differs from closing it alone", im.Office.ID)
		}
		var taken float64
		for _, sh := range im.TakenBy {
			taken += sh.Population
		}
		if math.Abs(taken-im.Summary.MovedPopulation) > 1e-6 {
			t.Errorf("%s: taken by others %g, moved %g", im.Office.ID, taken, im.Summary.MovedPopulation)
		}
	}
	if _, err := w.Each("nosuch", CompareOptions{}); err == nil {
		t.Error("each of an unknown kind: want an error")
	}
}

// kumamotoOffices is the embedded office list, or a skip.
func kumamotoDataset(t *testing.T) *data.Dataset {
	t.Helper()
	ds, _, err := data.Default()
	if err != nil {
		t.Fatalf("embedded default: %v", err)
	}
	return ds
}

func TestScenarioFilesYAMLAndJSONAgree(t *testing.T) {
	y, err := LoadScenario(whatifFixture("staged.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := LoadScenario(whatifFixture("staged.json"))
	if err != nil {
		t.Fatal(err)
	}
	y.Source, j.Source = "", ""
	for i := range y.Stages {
		for k := range y.Stages[i].Open {
			y.Stages[i].Open[k].Source, j.Stages[i].Open[k].Source = "", ""
		}
	}
	if !reflect.DeepEqual(y, j) {
		t.Fatalf("YAML and JSON scenarios differ:\n%+v\n%+v", y, j)
	}
	if y.Name != "example staged plan" || len(y.Stages) != 2 || *y.Options.MaxKm != 5 || *y.Options.CertificateShare != 0.4 || y.Options.WithinM != nil {
		t.Errorf("unexpected scenario %+v", y)
	}
	o := y.Stages[1].Open[0]
	if o.ID != "tobu_new" || o.Name != "新東部出張所" || o.Kind != data.Branch || o.Location != (orb.Point{130.790, 32.805}) {
		t.Errorf("unexpected new office %+v", o)
	}
}

func TestScenarioStagesApplyInOrder(t *testing.T) {
	ds := kumamotoDataset(t)
	s, err := LoadScenario(whatifFixture("staged.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	changes, err := s.Changes(ds.Offices)
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Name: "2026 service corners", Downgrade: []string{"oe", "akitsu"}},
		{Name: "2028 closures", Close: []string{"oe", "akitsu", "tobu"}, Open: s.Stages[1].Open},
	}
	if !reflect.DeepEqual(changes, want) {
		t.Fatalf("changes\n%+v\nwant\n%+v", changes, want)
	}
	if len(ds.Districts) == 0 {
		return
	}
	w := whatIfOf(t, ds.Districts, ds.Offices)
	stages, err := w.Run(s, CompareOptions{MaxKm: 5, CertificateShare: 0.4})
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 2 || stages[0].Stage != 1 || stages[1].Stage != 2 {
		t.Fatalf("got %d stages", len(stages))
	}
	st1, st2 := stages[0].Outcome, stages[1].Outcome
	idx := map[string]int{}
	for i, o := range st2.Offices {
		idx[o.ID] = i
	}
	for _, tc := range []struct {
		id         string
		s1, s2     OfficeStatus
		stage1Only bool
	}{
		{"oe", StatusCorner, StatusClosed, false},
		{"akitsu", StatusCorner, StatusClosed, false},
		{"tobu", StatusOpen, StatusClosed, false},
		{"chuo", StatusOpen, StatusOpen, false},
		{"tobu_new", "", StatusNew, true},
	} {
		i := idx[tc.id]
		if !tc.stage1Only && st1.Status[i] != tc.s1 {
			t.Errorf("stage 1: %s is %s, want %s", tc.id, st1.Status[i], tc.s1)
		}
		if st2.Status[i] != tc.s2 {
			t.Errorf("stage 2: %s is %s, want %s", tc.id, st2.Status[i], tc.s2)
		}
	}
	if len(st1.Offices) != len(ds.Offices) || len(st2.Offices) != len(ds.Offices)+1 {
		t.Errorf("stage offices: %d and %d", len(st1.Offices), len(st2.Offices))
	}
	// Stage 1 only downgrades: certificate offices are the baseline's.
	if stages[0].Summary.CertMovedDistricts != 0 {
		t.Errorf("stage 1 moves the certificate office of %d districts", stages[0].Summary.CertMovedDistricts)
	}
}

func TestScenarioErrors(t *testing.T) {
	offices := []data.Office{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	for _, tc := range []struct {
		name, format, text string
		want               []string
	}{
		{"unknown id", "yaml", "stages:\n  - close: [a]\n  - name: later\n    close: [zz]\n", []string{"s.yaml", `stage 2 ("later")`, "close[0]", `unknown office id "zz"`, "known ids: a, b, c"}},
		{"close all", "json", `{"stages":[{"close":["a","b"]},{"close":["c"]}]}`, []string{"stage 2", "closes every office"}},
		{"no full service", "yaml", "stages:\n  - close: [a, b]\n    downgrade: [c]\n", []string{"no office with full counter service"}},
		{"closed twice", "yaml", "stages:\n  - close: [a]\n  - close: [a]\n", []string{"stage 2", `"a" was already closed in stage 1`}},
		{"downgrade after close", "yaml", "stages:\n  - close: [a]\n  - downgrade: [a]\n", []string{"already closed"}},
		{"corner twice", "yaml", "stages:\n  - downgrade: [a]\n  - downgrade: [a]\n", []string{"already a service corner since stage 1"}},
		{"named twice in a stage", "yaml", "stages:\n  - downgrade: [a]\n    close: [a]\n", []string{"named twice"}},
		{"empty stage", "yaml", "stages:\n  - name: nothing\n", []string{`stage 1 ("nothing")`, "nothing"}},
		{"no stages", "yaml", "name: x\n", []string{"no stages"}},
		{"empty file", "yaml", "", []string{"empty scenario file"}},
		{"empty json", "json", "", []string{"empty scenario file"}},
		{"reused id", "yaml", "stages:\n  - open: [{id: a, lat: 32.8, lon: 130.7}]\n", []string{"open[0].id", `"a" is already used`}},
		{"no position", "yaml", "stages:\n  - open: [{id: n, lat: 32.8}]\n", []string{"open[0].lat/lon", "needs lat and lon"}},
		{"bad position", "yaml", "stages:\n  - open: [{id: n, lat: 130.7, lon: 32.8}]\n", []string{"are not degrees"}},
		{"bad kind", "yaml", "stages:\n  - open: [{id: n, kind: shop, lat: 32.8, lon: 130.7}]\n", []string{`kind "shop"`}},
		{"misspelt key", "yaml", "stages:\n  - closed: [a]\n", []string{"invalid YAML", "line 2", "closed"}},
		{"misspelt json key", "json", `{"stages":[{"closed":["a"]}]}`, []string{"invalid JSON", "closed"}},
		{"yaml syntax", "yaml", "stages:\n  - close: [a\n  - close: [b]\n", []string{"invalid YAML", "line"}},
		{"json syntax", "json", "{\"stages\": [\n {\"close\": [\"a\",]}\n]}", []string{"invalid JSON at line 2"}},
		{"json type", "json", `{"stages": [{"close": "a"}]}`, []string{"invalid JSON at line 1", "close"}},
		{"bad share", "yaml", "options: {certificate_share: 2}\nstages:\n  - close: [a]\n", []string{"certificate_share", "between 0 and 1"}},
		{"bad max km", "yaml", "options: {max_km: -1}\nstages:\n  - close: [a]\n", []string{"max_km"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseScenario(strings.NewReader(tc.text), "s."+tc.format, tc.format)
			if err == nil {
				_, err = s.Changes(offices)
			}
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestScenarioFixtureErrors(t *testing.T) {
	ds := kumamotoDataset(t)
	for _, tc := range []struct{ file, want string }{
		{"bad_unknown_id.yaml", `unknown office id "nosuch"`},
		{"bad_close_all.json", "closes every office"},
		{"bad_syntax.json", "invalid JSON at line 3"},
		{"bad_syntax.yaml", "invalid YAML"},
		{"bad_key.yaml", "line 3: unknown key closed"},
		{"missing.yaml", "no such file"},
		{"../render/nothing.txt", "unknown scenario format"},
	} {
		s, err := LoadScenario(whatifFixture(tc.file))
		if err == nil {
			_, err = s.Changes(ds.Offices)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.file, err, tc.want)
		}
		if err != nil && !strings.Contains(err.Error(), whatifFixture(tc.file)) {
			t.Errorf("%s: error %q does not name the file", tc.file, err)
		}
	}
}

// TestParseScenarioHostile: tabs, NUL bytes and oversized input get a
// clear error, and no input panics (FuzzParseScenario).
func TestParseScenarioHostile(t *testing.T) {
	for _, tc := range []struct{ in, format, want string }{
		{"stages:\n\t- close: [oe]\n", "yaml", "line 2 is indented with a tab"},
		{"stages:\x00", "yaml", "a NUL byte at byte 7"},
		{"{\"stages\": [{\"close\": [\"oe\"]}]}\x00", "json", "a NUL byte"},
		{strings.Repeat(" ", maxScenarioBytes+1), "yaml", "more than 64 MiB"},
	} {
		_, err := ParseScenario(strings.NewReader(tc.in), "s", tc.format)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.40q: %v, want %q", tc.in, err, tc.want)
		}
	}
}

// FuzzParseScenario feeds the scenario reader arbitrary YAML and JSON:
// it returns a scenario or an error, never panics, and a scenario it
// returns names its offices by the ids given.
func FuzzParseScenario(f *testing.F) {
	for _, s := range []string{
		"stages:\n  - close: [oe]\n",
		"name: x\nstages:\n  - close: [oe, akitsu]\n    downgrade: [tobu]\n  - open:\n      - {id: n1, name: N, kind: branch, lat: 32.8, lon: 130.7}\n",
		"options: {max_km: 4, certificate_share: 0.5}\nstages: [{close: [oe]}]\n",
		`{"stages": [{"close": ["oe"]}]}`,
		"stages:\n  - open:\n      - {id: n1, lat: .nan, lon: 130}\n",
		"stages: &a [*a]\n",
		"- - - - - -",
	} {
		f.Add(s)
	}
	ds, _, err := data.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, format := range []string{"yaml", "json"} {
			s, err := ParseScenario(strings.NewReader(in), "fuzz", format)
			if err != nil {
				continue
			}
			s.Changes(ds.Offices) // must not panic either
		}
	})
}

func TestParseIDList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"oe", []string{"oe"}, false},
		{" oe , akitsu", []string{"oe", "akitsu"}, false},
		{"oe,,akitsu", nil, true},
		{"oe,", nil, true},
	} {
		got, err := ParseIDList(tc.in)
		if (err != nil) != tc.err || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseIDList(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestKumamotoCandidatesClose closes, one at a time, each branch office
// within 5 km of a ward office in the embedded default and checks that the
// figures are plausible.
func TestKumamotoCandidatesClose(t *testing.T) {
	ds := kumamotoDataset(t)
	if len(ds.Districts) == 0 {
		t.Skip("the embedded default has no districts layer")
	}
	study, err := NewStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := study.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	gaps, err := study.Gaps()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := study.Nearest(data.Branch, data.Ward)
	if err != nil {
		t.Fatal(err)
	}
	cands := Candidates(rows, DefaultMaxKm)
	if len(cands) == 0 {
		t.Fatal("no 5 km candidates in the embedded default")
	}
	for _, cand := range cands {
		c, err := w.Compare(Change{Close: []string{cand.Office.ID}}, CompareOptions{MaxKm: DefaultMaxKm, Coverage: gaps})
		if err != nil {
			t.Fatal(err)
		}
		s := c.Summary
		t.Logf("close %-9s moves %3d districts, %7.0f residents, +%5.0f m weighted (max +%5.0f m), beyond 5 km %d→%d, with store/post %d",
			cand.Office.ID, s.MovedDistricts, s.MovedPopulation, s.WeightedChangeM, s.MaxChangeM, s.BeyondBefore, s.BeyondAfter, s.MovedWithCertPoint)
		if s.FullOfficesAfter != len(ds.Offices)-1 {
			t.Errorf("close %s: %d offices left", cand.Office.ID, s.FullOfficesAfter)
		}
		if s.MovedDistricts > 0 {
			// A closed office's residents travel farther, but not beyond the
			// city: under 30 km to another office.
			if s.MeanChangeM <= 0 || s.MaxChangeM > 30000 || s.MedianChangeM > s.MaxChangeM || s.P90ChangeM > s.MaxChangeM {
				t.Errorf("close %s: implausible distance change %+v", cand.Office.ID, s)
			}
			if s.MovedPopulation <= 0 || s.MovedPopulation > s.Population {
				t.Errorf("close %s: moved population %g of %g", cand.Office.ID, s.MovedPopulation, s.Population)
			}
		}
		if s.WeightedDistanceAfterM < s.WeightedDistanceBeforeM {
			t.Errorf("close %s: mean distance falls from %g to %g", cand.Office.ID, s.WeightedDistanceBeforeM, s.WeightedDistanceAfterM)
		}
		if cand.Office.CounterCount != nil && s.CounterShifted != *cand.Office.CounterCount && s.MovedDistricts > 0 {
			t.Errorf("close %s: shifted %g, counter_count %g", cand.Office.ID, s.CounterShifted, *cand.Office.CounterCount)
		}
	}
}

// The golden files of this package are rewritten with: go test ./catchment/ -update
// The flag is registered here unless another test file of the package
// already did (package variables are initialised before init runs).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/whatif")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// summaryText lists every field of the summaries, floats to 0.1.
func summaryText(stages []StageComparison) []byte {
	var b strings.Builder
	for _, st := range stages {
		fmt.Fprintf(&b, "stage %d: %s\n", st.Stage, st.Outcome.Change.Name)
		v := reflect.ValueOf(st.Summary)
		for i := range v.NumField() {
			f := v.Field(i)
			var s string
			switch f.Kind() {
			case reflect.Float64:
				s = fmt.Sprintf("%.1f", f.Float())
			default:
				s = fmt.Sprint(f.Interface())
			}
			fmt.Fprintf(&b, "  %s: %s\n", v.Type().Field(i).Name, s)
		}
		for _, o := range st.Offices {
			if o.Status == StatusOpen && o.CounterShiftedIn == 0 {
				continue
			}
			after := "?"
			if o.CounterAfter != nil {
				after = fmt.Sprintf("%.1f", *o.CounterAfter)
			}
			fmt.Fprintf(&b, "  office %s %s: districts %d→%d, population %.0f→%.0f, counter in %.1f out %.1f after %s\n",
				o.Office.ID, o.Status, o.DistrictsBefore, o.DistrictsAfter, o.PopulationBefore, o.PopulationAfter,
				o.CounterShiftedIn, o.CounterShiftedOut, after)
		}
	}
	return []byte(b.String())
}

func TestStagedScenarioGolden(t *testing.T) {
	ds := kumamotoDataset(t)
	if len(ds.Districts) == 0 {
		t.Skip("the embedded default has no districts layer")
	}
	s, err := LoadScenario(whatifFixture("staged.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	study, err := NewStudy(ds, Options{})
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
	stages, err := w.Run(s, CompareOptions{MaxKm: *s.Options.MaxKm, CertificateShare: *s.Options.CertificateShare, Coverage: gaps})
	if err != nil {
		t.Fatal(err)
	}
	got := summaryText(stages)
	path := whatifFixture("staged.summary.golden")
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./catchment/ -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("summary differs from %s (run go test ./catchment/ -update if intended)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
