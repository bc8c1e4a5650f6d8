package catchment

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// randomOffices places n offices in a box around Kumamoto, alternating kinds.
func randomOffices(r *rand.Rand, n int) []data.Office {
	offices := make([]data.Office, n)
	for i := range offices {
		kind := data.Branch
		if i%4 == 0 {
			kind = data.Ward
		}
		offices[i] = data.Office{
			ID: fmt.Sprintf("o%d", i), Name: fmt.Sprintf("office %d", i), Kind: kind,
			Location: orb.Point{130.5 + 0.4*r.Float64(), 32.6 + 0.4*r.Float64()},
		}
	}
	return offices
}

// gridDistricts covers [130.5,130.9]×[32.6,33.0] with n×n square districts;
// every third one has a square hole, and every fifth is a MultiPolygon of two
// halves.
func gridDistricts(n int) []data.District {
	var ds []data.District
	step := 0.4 / float64(n)
	for i := range n {
		for j := range n {
			x0, y0 := 130.5+float64(i)*step, 32.6+float64(j)*step
			x1, y1 := x0+step, y0+step
			k := len(ds)
			var mp orb.MultiPolygon
			switch {
			case k%5 == 0:
				xm := (x0 + x1) / 2
				mp = orb.MultiPolygon{square(x0, y0, xm, y1), square(xm, y0, x1, y1)}
			case k%3 == 0:
				h := step / 4
				outer := square(x0, y0, x1, y1)
				hole := square(x0+h, y0+h, x1-h, y1-h)[0]
				hole.Reverse()
				mp = orb.MultiPolygon{{outer[0], hole}}
			default:
				mp = orb.MultiPolygon{square(x0, y0, x1, y1)}
			}
			pop := float64(100 + k)
			ds = append(ds, data.District{ID: fmt.Sprintf("d%d", k), Name: fmt.Sprintf("district %d", k), Population: &pop, Geometry: mp})
		}
	}
	return ds
}

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

func TestNearestOfficesMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		offices := randomOffices(r, 5+trial*7)
		rows, err := studyOf(t, nil, offices).Nearest(data.Branch, data.Ward)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			best, bestD := "", math.Inf(1)
			for _, o := range offices {
				if o.Kind != data.Ward {
					continue
				}
				if d := geo.Distance(row.Office.Location, o.Location); d < bestD {
					best, bestD = o.ID, d
				}
			}
			if row.Nearest.ID != best || math.Abs(row.DistanceM-bestD) > 1e-6 {
				t.Fatalf("trial %d: %s: nearest %s at %.3f m, brute force %s at %.3f m", trial, row.Office.ID, row.Nearest.ID, row.DistanceM, best, bestD)
			}
		}
	}
}

func TestCandidates(t *testing.T) {
	mk := func(id string, m float64) NearestRow {
		return NearestRow{Office: data.Office{ID: id}, Nearest: data.Office{ID: "w"}, DistanceM: m}
	}
	rows := []NearestRow{mk("a", 5200), mk("b", 1200), mk("c", 5000), mk("d", 4999.9), mk("e", 5000.1)}
	got := Candidates(rows, 5)
	want := []string{"b", "d", "c"}
	if len(got) != len(want) {
		t.Fatalf("got %d candidates, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Office.ID != w {
			t.Errorf("candidate %d = %s, want %s", i, got[i].Office.ID, w)
		}
	}
}

func TestNearestOfficesErrors(t *testing.T) {
	offices := []data.Office{{ID: "a", Kind: data.Branch}}
	_, err := studyOf(t, nil, offices).Nearest(data.Branch, data.Ward)
	var kind *NoOfficeOfKindError
	if !errors.As(err, &kind) || kind.Kind != data.Ward || !errors.Is(err, ErrNoOpenOffice) {
		t.Errorf("no ward office: err %v, want a NoOfficeOfKindError for ward", err)
	}
	_, err = studyOf(t, nil, []data.Office{{ID: "w", Kind: data.Ward}}).Nearest(data.Branch, data.Ward)
	if !errors.As(err, &kind) || kind.Kind != data.Branch || errors.Is(err, ErrNoOpenOffice) {
		t.Errorf("no branch office: err %v", err)
	}
}

func TestAssignMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	districts := gridDistricts(12)
	for trial := range 10 {
		offices := randomOffices(r, 3+trial*9)
		closed := map[string]bool{}
		var ids []string
		for i := range offices {
			if i > 0 && r.IntN(4) == 0 {
				closed[offices[i].ID] = true
				ids = append(ids, offices[i].ID)
			}
		}
		a, err := studyOf(t, districts, offices).Assign(ids...)
		if err != nil {
			t.Fatal(err)
		}
		var pop float64
		served := make([]int, len(offices))
		for i, da := range a.Districts {
			p := geo.RepresentativePoint(districts[i].Geometry)
			best, bestD := -1, math.Inf(1)
			for oi, o := range offices {
				if closed[o.ID] {
					continue
				}
				if d := geo.Distance(p, o.Location); d < bestD {
					best, bestD = oi, d
				}
			}
			if da.OfficeIndex != best || da.Office != &offices[best] || da.District.ID != districts[i].ID || math.Abs(da.DistanceM-bestD) > 1e-6 {
				t.Fatalf("trial %d district %d: office %d at %.3f, brute force %d at %.3f", trial, i, da.OfficeIndex, da.DistanceM, best, bestD)
			}
			served[best]++
			pop += districts[i].Pop()
		}
		for oi, ol := range a.Offices {
			if ol.Districts != served[oi] {
				t.Errorf("office %d serves %d districts, want %d", oi, ol.Districts, served[oi])
			}
			if ol.Open == closed[offices[oi].ID] {
				t.Errorf("office %d open=%v but closed=%v", oi, ol.Open, closed[offices[oi].ID])
			}
		}
		if a.Population != pop {
			t.Errorf("population %g, want %g", a.Population, pop)
		}
	}
}

func TestAssignAllClosed(t *testing.T) {
	offices := []data.Office{{ID: "a"}, {ID: "b"}}
	s := studyOf(t, gridDistricts(2), offices)
	if _, err := s.Assign("a", "b"); !errors.Is(err, ErrNoOpenOffice) {
		t.Fatalf("all offices closed: err %v, want ErrNoOpenOffice", err)
	}
	var unknown *UnknownOfficeError
	if _, err := s.Assign("zz"); !errors.As(err, &unknown) || unknown.ID != "zz" {
		t.Fatalf("unknown office: err %v, want an UnknownOfficeError", err)
	}
}

func randomPoints(r *rand.Rand, n int) []data.ServicePoint {
	pts := make([]data.ServicePoint, n)
	for i := range pts {
		pts[i] = data.ServicePoint{ID: fmt.Sprint(i), Location: orb.Point{130.45 + 0.5*r.Float64(), 32.55 + 0.5*r.Float64()}}
	}
	return pts
}

func TestGapsMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	districts := gridDistricts(10)
	stores := randomPoints(r, 150)
	posts := randomPoints(r, 40)
	// points exactly on shared borders and vertices
	for i := 1; i < 10; i++ {
		x := 130.5 + 0.04*float64(i)
		stores = append(stores, data.ServicePoint{ID: fmt.Sprint("edge", i), Location: orb.Point{x, 32.62}})
		stores = append(stores, data.ServicePoint{ID: fmt.Sprint("vertex", i), Location: orb.Point{x, 32.64}})
	}
	for _, withinM := range []float64{0, 300} {
		rows, err := countGaps(districts, stores, posts, nil, withinM)
		if err != nil {
			t.Fatal(err)
		}
		inside := func(d data.District, p orb.Point) bool {
			if withinM == 0 {
				return geo.Contains(d.Geometry, p)
			}
			return geo.DistanceToPolygon(d.Geometry, p) <= withinM
		}
		total := 0
		for i, d := range districts {
			var s, p int
			for _, pt := range stores {
				if inside(d, pt.Location) {
					s++
				}
			}
			for _, pt := range posts {
				if inside(d, pt.Location) {
					p++
				}
			}
			g := rows[i]
			if g.Stores != s || g.Posts != p || g.Gap != (s == 0) || g.PostFallback() != (s == 0 && p > 0) {
				t.Fatalf("within %g m, district %s: got stores=%d posts=%d gap=%v, brute force %d %d", withinM, d.ID, g.Stores, g.Posts, g.Gap, s, p)
			}
			total += s
		}
		if withinM == 0 {
			// every store inside the grid is counted exactly once, border points included
			var inGrid int
			for _, s := range stores {
				if s.Location[0] > 130.5 && s.Location[0] < 130.9 && s.Location[1] > 32.6 && s.Location[1] < 33.0 && !inHole(districts, s.Location) {
					inGrid++
				}
			}
			if total != inGrid {
				t.Errorf("stores counted %d times, %d stores lie in the grid", total, inGrid)
			}
		}
	}
}

// inHole reports whether p lies strictly inside a hole of one of the districts.
func inHole(ds []data.District, p orb.Point) bool {
	for _, d := range ds {
		for _, poly := range d.Geometry {
			for _, h := range poly[1:] {
				b := h.Bound()
				if p[0] > b.Min[0] && p[0] < b.Max[0] && p[1] > b.Min[1] && p[1] < b.Max[1] {
					return true
				}
			}
		}
	}
	return false
}

func TestGapsNegativeDistance(t *testing.T) {
	for _, d := range []float64{-1, math.NaN(), math.Inf(1)} {
		s := studyOf(t, gridDistricts(2), nil, Options{WithinM: d})
		if _, err := s.Gaps(); err == nil {
			t.Fatalf("want an error for distance %g", d)
		}
	}
}

func TestDissolveCatchments(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	districts := gridDistricts(8)
	offices := randomOffices(r, 9)
	s := studyOf(t, districts, offices)
	a, err := s.Assign()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.Catchments(Dissolve)
	if err != nil {
		t.Fatal(err)
	}
	var total, sum float64
	for _, d := range districts {
		total += geo.Area(d.Geometry)
	}
	for _, c := range cs {
		sum += c.AreaKm2 * 1e6
		var want float64
		for _, da := range a.Districts {
			if da.Office == c.Office {
				want += geo.Area(da.District.Geometry)
			}
		}
		// The union drops vertices on straight runs of shared edges; a
		// geodesic edge between the remaining vertices bulges slightly, so
		// areas agree to about 1e-5, not exactly.
		if math.Abs(c.AreaKm2*1e6-want) > 1e-5*want {
			t.Errorf("office %s: catchment area %.0f m², districts %.0f m²", c.Office.ID, c.AreaKm2*1e6, want)
		}
		if c.Population != a.Offices[c.Index].Population || c.Office != a.Offices[c.Index].Office {
			t.Errorf("office %s population %g, want %g", c.Office.ID, c.Population, a.Offices[c.Index].Population)
		}
	}
	if math.Abs(sum-total) > 1e-5*total {
		t.Errorf("catchments cover %.0f m², districts %.0f m²", sum, total)
	}
}

func TestVoronoiCatchments(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	districts := gridDistricts(6)
	boundary := orb.MultiPolygon{square(130.5, 32.6, 130.9, 33.0)}
	offices := randomOffices(r, 12)
	closed := map[string]bool{offices[3].ID: true}
	a, err := studyOf(t, districts, offices).Assign(offices[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := voronoiCatchments(districts, offices, boundary, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != len(offices)-1 {
		t.Fatalf("%d cells for %d open offices", len(cs), len(offices)-1)
	}
	var sum float64
	for _, c := range cs {
		if closed[c.Office.ID] {
			t.Errorf("closed office %s has a cell", c.Office.ID)
		}
		if !geo.Contains(c.Geometry, c.Office.Location) {
			t.Errorf("office %s lies outside its own cell", c.Office.ID)
		}
		sum += c.AreaKm2
	}
	want := geo.Area(boundary) / 1e6
	if math.Abs(sum-want) > 1e-4*want {
		t.Errorf("cells cover %.3f km², boundary %.3f km²", sum, want)
	}
	// random points fall in the cell of their geodesically nearest open office,
	// except within a few metres of a cell border
	for range 2000 {
		p := orb.Point{130.5 + 0.4*r.Float64(), 32.6 + 0.4*r.Float64()}
		best, second := math.Inf(1), math.Inf(1)
		bi := -1
		for i, o := range offices {
			if closed[o.ID] {
				continue
			}
			d := geo.Distance(p, o.Location)
			if d < best {
				best, second, bi = d, best, i
			} else if d < second {
				second = d
			}
		}
		if second-best < 5 {
			continue
		}
		for _, c := range cs {
			if geo.Contains(c.Geometry, p) && c.Index != bi {
				t.Fatalf("point %v in the cell of office %d, nearest is %d (%.1f m vs %.1f m)", p, c.Index, bi, best, second)
			}
		}
	}
}

// TestThresholdsRefuseNonFinite: a NaN or infinite distance threshold is an
// error, not an empty answer (NaN compares false with every distance).
func TestThresholdsRefuseNonFinite(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	for _, km := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), -1, 1e308} {
		if _, err := s.Candidates(km); err == nil {
			t.Errorf("Candidates(%g): no error", km)
		}
		if _, err := s.Report(km); err == nil {
			t.Errorf("Report(%g): no error", km)
		}
		if _, err := w.Compare(Change{Close: []string{"oe"}}, CompareOptions{MaxKm: km}); err == nil || !strings.Contains(err.Error(), "distance threshold") {
			t.Errorf("Compare with MaxKm %g: %v", km, err)
		}
	}
	if _, err := s.Candidates(5); err != nil {
		t.Error(err)
	}
}

// TestNoPopulation: districts without population are said to be so, and
// closures are ranked by the distance added over the districts that move,
// not all tied at 0 person-km (before, the ranking followed office ids).
func TestNoPopulation(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	bare := *ds
	bare.Districts = append([]data.District(nil), ds.Districts...)
	for i := range bare.Districts {
		bare.Districts[i].Population = nil
	}
	s, err := NewStudy(&bare, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.HasPopulation() {
		t.Error("HasPopulation with no population")
	}
	warned := false
	for _, w := range s.Warnings() {
		warned = warned || strings.Contains(w.Message, "no district has a population")
	}
	if !warned {
		t.Errorf("no warning: %v", s.Warnings())
	}
	w, err := s.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	imps, err := w.Each(data.Branch, CompareOptions{MaxKm: DefaultMaxKm})
	if err != nil {
		t.Fatal(err)
	}
	prev := -1.0
	for _, im := range imps {
		dk := im.Summary.MeanChangeM * float64(im.Summary.MovedDistricts)
		if im.Summary.AddedPersonKm != 0 {
			t.Errorf("%s: %g person-km without population", im.Office.ID, im.Summary.AddedPersonKm)
		}
		if dk < prev {
			t.Errorf("%s ranked after an office with more district-km (%g < %g)", im.Office.ID, dk, prev)
		}
		prev = dk
	}
	full, _ := NewStudy(ds, Options{})
	if !full.HasPopulation() {
		t.Error("the embedded districts have population")
	}
}

// TestFarNewOffice: a scenario that opens an office far outside the study
// area (a slip of the pen, here 福岡市, ~90 km away) is warned of, naming
// the office; one inside the city is not.
func TestFarNewOffice(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		at       orb.Point
		wantWarn bool
	}{
		{"in the city", orb.Point{130.70, 32.78}, false},
		{"just beyond the city edge", orb.Point{130.55, 32.75}, false},
		{"Fukuoka", orb.Point{130.40, 33.59}, true},
		{"lat/lon swapped then clipped to sea", orb.Point{132.80, 30.70}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := w.Apply(Change{Name: "open", Open: []data.Office{{ID: "n1", Name: "新", Kind: data.Branch, Location: tc.at}}})
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, wn := range out.Warnings {
				if strings.Contains(wn.Message, "far outside the study area") {
					warned = true
					if wn.Feature != "new office n1" {
						t.Errorf("warning does not name the office: %v", wn)
					}
				}
			}
			if warned != tc.wantWarn {
				t.Errorf("warned = %v, want %v (%v)", warned, tc.wantWarn, out.Warnings)
			}
		})
	}
}

// TestReportPhases: the phases are named in order as they finish, and the
// report is the one Report gives.
func TestReportPhases(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	r, err := s.ReportPhases(5, func(p string) { got = append(got, p) })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"nearest", "assign", "gaps", "dissolve", "voronoi", "closing each branch office"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("phases %q, want %q", got, want)
	}
	plain, err := s.Report(5)
	if err != nil {
		t.Fatal(err)
	}
	// The figures hold NaN (times under the geodesic metric), which
	// DeepEqual never finds equal: compare them printed.
	key := func(r Report) string {
		var b strings.Builder
		for _, im := range r.Each {
			fmt.Fprintf(&b, "%s %+v\n", im.Office.ID, im.Summary)
		}
		for _, c := range append(r.Dissolved, r.Voronoi...) {
			fmt.Fprintf(&b, "%s %v %v\n", c.Office.ID, c.AreaKm2, c.Population)
		}
		for _, d := range r.Assignment.Districts {
			fmt.Fprintf(&b, "%v\n", d.DistanceM)
		}
		return b.String()
	}
	if len(r.Each) == 0 || key(r) != key(plain) || len(r.Gaps) != len(plain.Gaps) || len(r.Nearest) != len(plain.Nearest) {
		t.Error("ReportPhases and Report differ")
	}
}
