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
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/paulmach/orb"
)

// bruteIndex is an independent implementation of the indices, written from
// the issue's formulas over the full district × office cost matrix (no
// pairs, no index): the reference the library is checked against.
type bruteIndex struct {
	access   []float64 // per district
	reached  []int     // offices in range, per district
	demand   []float64 // Σ_i W_ij P_i, per office
	ratio    []float64 // R_j (FCA only)
	supplied float64   // supply of offices some demand reaches
}

// bruteCase is one method and decay with its parameters, in metres.
type bruteCase struct {
	name    string
	opt     AccessOptions
	fca     bool
	inRange func(d float64) bool
	w       func(d float64) float64
}

// bruteCases lists every method and decay, in both supply modes.
func bruteCases(d0 float64) []bruteCase {
	e := math.Exp(-0.5)
	within := func(d float64) bool { return d <= d0 }
	anyCost := func(float64) bool { return true }
	step := func(steps [][2]float64) func(d float64) float64 {
		return func(d float64) float64 {
			for _, s := range steps {
				if d <= s[0] {
					return s[1]
				}
			}
			return 0
		}
	}
	gravity := func(beta, scale, min float64) func(d float64) float64 {
		return func(d float64) float64 { return 1 / math.Pow(math.Max(d, min)/scale, beta) }
	}
	var out []bruteCase
	for _, supply := range []SupplyField{SupplyCounterCount, SupplyNone} {
		cs := []bruteCase{
			{name: "2sfca", opt: AccessOptions{Method: Access2SFCA, Catchment: d0}, fca: true, inRange: within,
				w: func(float64) float64 { return 1 }},
			{name: "e2sfca-step-default", opt: AccessOptions{Method: AccessE2SFCA, Catchment: d0}, fca: true, inRange: within,
				w: step([][2]float64{{d0 / 3, 1}, {2 * d0 / 3, 0.68}, {d0, 0.22}})},
			{name: "e2sfca-step-custom", opt: AccessOptions{Method: AccessE2SFCA, Decay: DecayStep, Catchment: d0,
				Steps: []WeightStep{{1000, 1}, {1500, 0.5}, {2600, 0.1}}}, fca: true, inRange: within,
				w: step([][2]float64{{1000, 1}, {1500, 0.5}, {2600, 0.1}})},
			{name: "e2sfca-gaussian", opt: AccessOptions{Method: AccessE2SFCA, Decay: DecayGaussian, Catchment: d0}, fca: true, inRange: within,
				w: func(d float64) float64 { return (math.Exp(-0.5*(d/d0)*(d/d0)) - e) / (1 - e) }},
			{name: "e2sfca-pysal-gaussian", opt: AccessOptions{Method: AccessE2SFCA, Decay: DecayPySALGaussian, Catchment: d0, Sigma: 1100}, fca: true, inRange: within,
				w: func(d float64) float64 { return math.Exp(-d * d / (2 * 1100 * 1100)) }},
			{name: "e2sfca-pysal-gaussian-default-sigma", opt: AccessOptions{Method: AccessE2SFCA, Decay: DecayPySALGaussian, Catchment: d0}, fca: true, inRange: within,
				w: func(d float64) float64 { return math.Exp(-d * d / (2 * (d0 / 2) * (d0 / 2))) }},
			{name: "gravity", opt: AccessOptions{Method: AccessGravity, Beta: 1, Scale: 1000, Min: 100}, inRange: anyCost,
				w: gravity(1, 1000, 100)},
			{name: "gravity-beta2-cut", opt: AccessOptions{Method: AccessGravity, Beta: 2, Scale: 500, Min: 50, Catchment: d0}, inRange: within,
				w: gravity(2, 500, 50)},
			{name: "gravity2sfca", opt: AccessOptions{Method: AccessGravity2SFCA, Beta: 1.5, Scale: 1000, Min: 100}, fca: true, inRange: anyCost,
				w: gravity(1.5, 1000, 100)},
			{name: "gravity2sfca-cut", opt: AccessOptions{Method: AccessGravity2SFCA, Beta: 1, Scale: 1000, Min: 200, Catchment: d0}, fca: true, inRange: within,
				w: gravity(1, 1000, 200)},
		}
		for _, c := range cs {
			c.name += "/" + string(supply)
			c.opt.Supply = supply
			out = append(out, c)
		}
	}
	return out
}

// brute computes an index over the cost matrix cost[i][j] (NaN: not
// reachable).
func brute(c bruteCase, cost [][]float64, pop, supply []float64) bruteIndex {
	n, m := len(cost), len(supply)
	b := bruteIndex{access: make([]float64, n), reached: make([]int, n), demand: make([]float64, m), ratio: make([]float64, m)}
	W := make([][]float64, n)
	in := make([][]bool, n)
	for i := range n {
		W[i], in[i] = make([]float64, m), make([]bool, m)
		for j := range m {
			d := cost[i][j]
			if !math.IsNaN(d) && c.inRange(d) {
				in[i][j] = true
				W[i][j] = c.w(d)
			}
		}
	}
	for j := range m {
		for i := range n {
			b.demand[j] += W[i][j] * pop[i]
		}
		if b.demand[j] > 0 {
			b.ratio[j] = supply[j] / b.demand[j]
			b.supplied += supply[j]
		}
	}
	for i := range n {
		for j := range m {
			if !in[i][j] {
				continue
			}
			b.reached[i]++
			if c.fca {
				b.access[i] += W[i][j] * b.ratio[j]
			} else {
				b.access[i] += W[i][j] * supply[j]
			}
		}
	}
	return b
}

// closeRel reports whether a and b agree within rel relative to the larger.
func closeRel(a, b, rel float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

// accessFixture is 400 tiny districts (some with no residents) and 30
// offices with counter counts, in a 0.5° box around Kumamoto.
func accessFixture(seed uint64) ([]data.District, []data.Office) {
	r := rand.New(rand.NewPCG(seed, 14))
	ds, _ := fixture.PointDistricts(r, 400)
	for i := 0; i < len(ds); i += 37 {
		zero := 0.0
		ds[i].Population = &zero
	}
	offices := randomOffices(r, 30)
	for j := range offices {
		v := float64(1000 + r.IntN(50000))
		offices[j].CounterCount = &v
	}
	return ds, offices
}

// distanceMatrix is the full matrix of geodesic distances, brute force.
func distanceMatrix(points []orb.Point, offices []data.Office) [][]float64 {
	out := make([][]float64, len(points))
	for i, p := range points {
		out[i] = make([]float64, len(offices))
		for j, o := range offices {
			out[i][j] = geo.Distance(p, o.Location)
		}
	}
	return out
}

func supplies(offices []data.Office, f SupplyField) []float64 {
	out := make([]float64, len(offices))
	for j, o := range offices {
		out[j] = 1
		if f == SupplyCounterCount {
			out[j] = *o.CounterCount
		}
	}
	return out
}

func pops(ds []data.District) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = d.Pop()
	}
	return out
}

// checkAgainst compares an index with the brute force, district by district
// and office by office, within 1e-9 relative, and checks the invariant.
func checkAgainst(t *testing.T, name string, a Accessibility, b bruteIndex, fca bool) {
	t.Helper()
	const rel = 1e-9
	zero := 0
	for i, d := range a.Districts {
		if !closeRel(d.Access, b.access[i], rel) {
			t.Errorf("%s: district %s: access %.17g, brute force %.17g", name, d.District.ID, d.Access, b.access[i])
		}
		if d.OfficesReached != b.reached[i] {
			t.Errorf("%s: district %s: %d offices reached, brute force %d", name, d.District.ID, d.OfficesReached, b.reached[i])
		}
		if d.OfficesReached == 0 {
			zero++
			if d.Access != 0 || d.Note == "" {
				t.Errorf("%s: district %s reaches no office: access %g, note %q", name, d.District.ID, d.Access, d.Note)
			}
		}
	}
	if zero != a.NoAccess {
		t.Errorf("%s: NoAccess %d, want %d", name, a.NoAccess, zero)
	}
	for j, o := range a.Offices {
		if !closeRel(o.WeightedDemand, b.demand[j], rel) {
			t.Errorf("%s: office %s: weighted demand %.17g, brute force %.17g", name, o.Office.ID, o.WeightedDemand, b.demand[j])
		}
		if fca && !closeRel(o.Ratio, b.ratio[j], rel) {
			t.Errorf("%s: office %s: ratio %.17g, brute force %.17g", name, o.Office.ID, o.Ratio, b.ratio[j])
		}
		if !fca && !math.IsNaN(o.Ratio) {
			t.Errorf("%s: office %s: gravity ratio %g, want NaN", name, o.Office.ID, o.Ratio)
		}
	}
	var sum, pop float64
	for _, d := range a.Districts {
		sum += d.Population * d.Access
		pop += d.Population
	}
	if !closeRel(a.Mean, sum/pop, rel) {
		t.Errorf("%s: mean %g, want %g", name, a.Mean, sum/pop)
	}
	for _, d := range a.Districts {
		if !closeRel(d.Norm, d.Access/(sum/pop), rel) {
			t.Errorf("%s: district %s: norm %g, want %g", name, d.District.ID, d.Norm, d.Access/(sum/pop))
		}
	}
	if fca {
		// Σ_i P_i·A_i is the supply that reaches any demand.
		if !closeRel(sum, b.supplied, rel) || !closeRel(a.SupplyReached, b.supplied, rel) {
			t.Errorf("%s: Σ P·A = %.17g, supply reached %.17g, brute force supply reached %.17g", name, sum, a.SupplyReached, b.supplied)
		}
	}
}

func TestAccessAgainstBruteForce(t *testing.T) {
	ds, offices := accessFixture(1)
	s := studyOf(t, ds, offices)
	cost := distanceMatrix(s.Points(), offices)
	const d0 = 2600.0 // some districts reach no office, a few reach several
	for _, c := range bruteCases(d0) {
		a, err := s.Access(c.opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		b := brute(c, cost, pops(ds), supplies(offices, c.opt.Supply))
		checkAgainst(t, c.name, a, b, c.fca)
		if a.NoAccess == 0 && c.opt.Catchment > 0 {
			t.Errorf("%s: every district reaches an office: the fixture should leave some out", c.name)
		}
	}
}

// TestAccessInvariantKumamoto checks Σ P·A = supply reached on the embedded
// Kumamoto data for every FCA variant.
func TestAccessInvariantKumamoto(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStudy(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cost := distanceMatrix(s.Points(), ds.Offices)
	for _, c := range bruteCases(5000) {
		a, err := s.Access(c.opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkAgainst(t, "kumamoto "+c.name, a, brute(c, cost, pops(s.Districts()), supplies(ds.Offices, c.opt.Supply)), c.fca)
	}
}

// TestAccessExactGeodesicEdge puts a district 5,000.04 m due east of an
// office: outside a 5 km catchment on the ellipsoid, although a spherical
// formula puts it 10 m inside. One 4,999.96 m away is inside.
func TestAccessExactGeodesicEdge(t *testing.T) {
	office := orb.Point{130.7, 32.8}
	for _, tc := range []struct {
		dist   float64
		inside bool
	}{{5000.04, false}, {4999.96, true}} {
		p := geo.Destination(office, 90, tc.dist)
		if got := geo.Distance(office, p); math.Abs(got-tc.dist) > 1e-6 {
			t.Fatalf("destination at %.2f m is %.9f m away", tc.dist, got)
		}
		if h := haversine(office, p); tc.dist > 5000 && h >= 5000 {
			t.Fatalf("the spherical distance of the outside pair is %.2f m: the test no longer tells the ellipsoid from the sphere", h)
		}
		pop := 1000.0
		h := 0.00001
		ds := []data.District{{ID: "d", Name: "edge", Population: &pop,
			Geometry: orb.MultiPolygon{fixture.Square(p[0]-h, p[1]-h, p[0]+h, p[1]+h)}}}
		// Far districts keep the study's demand positive either way.
		far := orb.Point{131.2, 33.2}
		ds = append(ds, data.District{ID: "far", Name: "far", Population: &pop,
			Geometry: orb.MultiPolygon{fixture.Square(far[0]-h, far[1]-h, far[0]+h, far[1]+h)}})
		s := studyOf(t, ds, []data.Office{{ID: "o", Name: "o", Kind: data.Branch, Location: office}})
		s.points[0] = p // exactly there, not at the square's centroid
		for _, opt := range []AccessOptions{
			{Method: Access2SFCA, Catchment: 5000, Supply: SupplyNone},
			{Method: AccessE2SFCA, Decay: DecayStep, Catchment: 5000, Supply: SupplyNone},
			{Method: AccessE2SFCA, Decay: DecayPySALGaussian, Catchment: 5000, Supply: SupplyNone},
		} {
			a, err := s.Access(opt)
			if err != nil {
				t.Fatal(err)
			}
			d := a.Districts[0]
			if got := d.OfficesReached == 1; got != tc.inside {
				t.Errorf("%s at %.2f m: in range %v, want %v (access %g, note %q)", opt.Method, tc.dist, got, tc.inside, d.Access, d.Note)
			}
			if !tc.inside && (d.Access != 0 || d.Note != "no open office within 5 km") {
				t.Errorf("%s at %.2f m: access %g, note %q", opt.Method, tc.dist, d.Access, d.Note)
			}
			if tc.inside && opt.Method == Access2SFCA && d.Access != 1.0/1000 {
				t.Errorf("2sfca at %.2f m: access %g, want 1/1000", tc.dist, d.Access)
			}
		}
	}
}

// haversine is the great-circle distance on a sphere of the mean radius,
// the formula the edge test guards against.
func haversine(a, b orb.Point) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dlat, dlon := (b[1]-a[1])*rad, (b[0]-a[0])*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

func TestAccessBadOptions(t *testing.T) {
	ds, offices := accessFixture(2)
	s := studyOf(t, ds, offices)
	nan := math.NaN()
	for _, tc := range []struct {
		opt  AccessOptions
		want string
	}{
		{AccessOptions{Method: Access2SFCA}, "catchment 0"},
		{AccessOptions{Method: Access2SFCA, Catchment: -5}, "catchment -5"},
		{AccessOptions{Method: Access2SFCA, Catchment: nan}, "catchment NaN"},
		{AccessOptions{Method: AccessE2SFCA, Catchment: math.Inf(1)}, "catchment +Inf"},
		{AccessOptions{Method: AccessGravity, Beta: 0, Scale: 1000}, "beta 0"},
		{AccessOptions{Method: AccessGravity, Beta: -1, Scale: 1000}, "beta -1"},
		{AccessOptions{Method: AccessGravity2SFCA, Beta: nan, Scale: 1000}, "beta NaN"},
		{AccessOptions{Method: AccessGravity, Beta: 1, Scale: 0}, "scale 0"},
		{AccessOptions{Method: AccessGravity, Beta: 1, Scale: 1, Min: -1}, "min -1"},
		{AccessOptions{Method: AccessGravity, Beta: 1, Scale: 1, Catchment: -1}, "catchment -1"},
		{AccessOptions{Method: AccessE2SFCA, Decay: DecayPySALGaussian, Catchment: 5000, Sigma: -2}, "sigma -2"},
		{AccessOptions{Method: AccessE2SFCA, Catchment: 5000, Steps: []WeightStep{}}, "steps: none"},
		{AccessOptions{Method: AccessE2SFCA, Catchment: 5000, Steps: []WeightStep{{2000, 1}, {1000, 0.5}}}, "must ascend"},
		{AccessOptions{Method: AccessE2SFCA, Catchment: 5000, Steps: []WeightStep{{2000, -1}}}, "weight -1"},
		{AccessOptions{Method: AccessE2SFCA, Catchment: 5000, Steps: []WeightStep{{6000, 1}}}, "beyond the catchment"},
		{AccessOptions{Method: AccessE2SFCA, Catchment: 5000, Steps: []WeightStep{{nan, 1}}}, "limit NaN"},
		{AccessOptions{Method: AccessE2SFCA, Decay: "linear", Catchment: 5000}, `decay "linear"`},
		{AccessOptions{Method: Access2SFCA, Decay: DecayStep, Catchment: 5000}, "only e2sfca takes a decay"},
		{AccessOptions{Method: "3sfca", Catchment: 5000}, `method "3sfca"`},
		{AccessOptions{Method: Access2SFCA, Catchment: 5000, Supply: "staff"}, `supply field "staff"`},
		{AccessOptions{Method: Access2SFCA, Catchment: 5000, CornerShare: 2}, "corner share 2"},
	} {
		_, err := s.Access(tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one saying %q", tc.opt, err, tc.want)
		}
	}
	// A missing supply field names the office and the field.
	offices[3].CounterCount = nil
	s = studyOf(t, ds, offices)
	_, err := s.Access(AccessOptions{Method: Access2SFCA, Catchment: 5000})
	if err == nil || !strings.Contains(err.Error(), "("+offices[3].ID+") has no counter_count") {
		t.Errorf("office without counter_count: %v", err)
	}
	if _, err := s.Access(AccessOptions{Method: Access2SFCA, Catchment: 5000, Supply: SupplyNone}); err != nil {
		t.Errorf("supply none needs no counter_count: %v", err)
	}
	// A missing population names the district.
	ds[5].Population = nil
	s = studyOf(t, ds, offices)
	_, err = s.Access(AccessOptions{Method: Access2SFCA, Catchment: 5000, Supply: SupplyNone})
	if err == nil || !strings.Contains(err.Error(), "("+ds[5].ID+") has no population") {
		t.Errorf("district without population: %v", err)
	}
	// Gravity with no minimum cost and a district on an office.
	ds2, offices2 := accessFixture(3)
	s = studyOf(t, ds2, offices2)
	s.points[0] = offices2[0].Location
	_, err = s.Access(AccessOptions{Method: AccessGravity, Beta: 1, Scale: 1000, Supply: SupplyNone})
	if err == nil || !strings.Contains(err.Error(), "infinite") {
		t.Errorf("gravity at cost 0 with min 0: %v", err)
	}
}

func TestAccessCompareAgainstBruteForce(t *testing.T) {
	ds, offices := accessFixture(4)
	s := studyOf(t, ds, offices)
	cost := distanceMatrix(s.Points(), offices)
	newOffice := data.Office{ID: "new", Name: "new office", Kind: data.Branch, Location: orb.Point{130.70, 32.80}}
	v := 20000.0
	newOffice.CounterCount = &v
	for _, c := range bruteCases(3000) {
		base, err := s.Access(c.opt)
		if err != nil {
			t.Fatal(err)
		}
		// Close offices 2 and 7, make 5 a corner keeping 40 %, open one.
		opt := c.opt
		opt.CornerShare = 0.4
		ch := Change{Name: "plan", Close: []string{offices[2].ID, offices[7].ID}, Downgrade: []string{offices[5].ID}, Open: []data.Office{newOffice}}
		cmp, err := s.AccessCompare(ch, opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i := range base.Districts {
			if cmp.Before.Districts[i].Access != base.Districts[i].Access {
				t.Fatalf("%s: the comparison's baseline differs from Access at district %d", c.name, i)
			}
		}
		sup := supplies(offices, c.opt.Supply)
		after := make([][]float64, len(cost))
		for i := range cost {
			after[i] = append(append([]float64(nil), cost[i]...), geo.Distance(s.Points()[i], newOffice.Location))
			after[i][2], after[i][7] = math.NaN(), math.NaN()
		}
		sup = append(sup, 1)
		if c.opt.Supply == SupplyCounterCount {
			sup[len(sup)-1] = v
		}
		sup[5] *= 0.4
		b := brute(c, after, pops(ds), sup)
		checkAgainst(t, c.name+" after", cmp.After, b, c.fca)
		var lost int
		for i, d := range cmp.Districts {
			if d.Before != cmp.Before.Districts[i].Access || d.After != cmp.After.Districts[i].Access {
				t.Fatalf("%s: district change %d does not carry the indices", c.name, i)
			}
			if d.After < d.Before {
				lost++
			}
			if want := d.After / base.Mean; !closeRel(d.NormAfter, want, 1e-12) {
				t.Errorf("%s: norm after %g, want %g (baseline mean)", c.name, d.NormAfter, want)
			}
		}
		if lost != cmp.Summary.Lost || lost == 0 {
			t.Errorf("%s: %d districts lost access, summary says %d", c.name, lost, cmp.Summary.Lost)
		}
		if st := cmp.Status; st[2] != StatusClosed || st[5] != StatusCorner || st[len(st)-1] != StatusNew {
			t.Errorf("%s: statuses %v", c.name, st)
		}
	}
}

func TestAccessCompareErrors(t *testing.T) {
	ds, offices := accessFixture(5)
	s := studyOf(t, ds, offices)
	opt := AccessOptions{Method: Access2SFCA, Catchment: 3000}
	_, err := s.AccessCompare(Change{Close: []string{"nosuch"}}, opt)
	var unknown *UnknownOfficeError
	if !errors.As(err, &unknown) {
		t.Errorf("unknown id: %v", err)
	}
	all := make([]string, len(offices))
	for j, o := range offices {
		all[j] = o.ID
	}
	if _, err := s.AccessCompare(Change{Close: all}, opt); err == nil || !strings.Contains(err.Error(), "no office with full counter service") {
		t.Errorf("closing every office: %v", err)
	}
	// A new office without counter_count, under supply counter_count.
	_, err = s.AccessCompare(Change{Open: []data.Office{{ID: "n1", Name: "new", Location: orb.Point{130.7, 32.8}}}}, opt)
	if err == nil || !strings.Contains(err.Error(), "(n1) has no counter_count") {
		t.Errorf("new office without counter_count: %v", err)
	}
	sc := Scenario{Source: "plan.yaml", Stages: []Stage{{Name: "one", Close: []string{offices[0].ID}}, {Name: "two", Close: []string{offices[1].ID}}}}
	stages, err := s.AccessRun(sc, opt)
	if err != nil || len(stages) != 2 || len(stages[1].Change.Close) != 2 {
		t.Fatalf("scenario: %v (%d stages)", err, len(stages))
	}
}

// TestAccessCostMatrixMatchesGeodesic measures the same pairs through a
// cost matrix of geodesic distances: the index is the same under any
// metric.
func TestAccessCostMatrixMatchesGeodesic(t *testing.T) {
	ds, offices := accessFixture(6)
	geo0 := studyOf(t, ds, offices)
	cost := distanceMatrix(geo0.Points(), offices)
	table := &data.CostTable{Source: "geodesic.csv"}
	for i, d := range ds {
		for j, o := range offices {
			table.Rows = append(table.Rows, data.CostRow{Origin: d.ID, Dest: o.ID, Cost: cost[i][j], DistanceM: cost[i][j]})
		}
	}
	mat := studyOf(t, ds, offices, Options{Metric: NewCostMatrix(table)})
	for _, c := range bruteCases(2600) {
		a, err := geo0.Access(c.opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := mat.Access(c.opt)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a.Districts {
			if !closeRel(a.Districts[i].Access, b.Districts[i].Access, 1e-12) {
				t.Fatalf("%s: district %d: geodesic %g, matrix %g", c.name, i, a.Districts[i].Access, b.Districts[i].Access)
			}
		}
		if b.Metric != "matrix" {
			t.Errorf("metric %q", b.Metric)
		}
	}
}

func ExampleStudy_Access() {
	ds, _, _ := data.Default()
	s, _ := NewStudy(ds, Options{})
	a, err := s.Access(AccessOptions{Method: AccessE2SFCA, Decay: DecayGaussian, Catchment: 5000, Supply: SupplyNone})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Options.Describe(a.Quantity))
	fmt.Printf("%d districts, %d with no office within 5 km\n", len(a.Districts), a.NoAccess)
	// Output:
	// E2SFCA, Gaussian decay (Dai 2010) to 0 at 5 km; supply none (1 per office)
	// 90 districts, 2 with no office within 5 km
}
