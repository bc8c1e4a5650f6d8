package locate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// instance of a random test: costs between random points on a plane.
type randomCase struct {
	cost, xcost [][]float64
	weights     []float64
	kept        []int
	k           int
	service     float64
}

// newRandomCase draws n demand points, m sites, e extra points and a kept
// set; integral rounds the costs (and weights) to whole numbers, sparse
// leaves some demand–site pairs out (unreachable).
func newRandomCase(r *rand.Rand, n, m, e int, integral, sparse bool) randomCase {
	pt := func() [2]float64 { return [2]float64{r.Float64() * 1000, r.Float64() * 1000} }
	dist := func(a, b [2]float64) float64 {
		d := math.Hypot(a[0]-b[0], a[1]-b[1])
		if integral {
			d = math.Round(d)
		}
		return d
	}
	sites := make([][2]float64, m)
	for j := range sites {
		sites[j] = pt()
	}
	extras := make([][2]float64, e)
	for x := range extras {
		extras[x] = pt()
	}
	var c randomCase
	for i := 0; i < n; i++ {
		p := pt()
		row := make([]float64, m)
		for j := range row {
			row[j] = dist(p, sites[j])
			if sparse && r.IntN(4) == 0 {
				row[j] = math.Inf(1)
			}
		}
		c.cost = append(c.cost, row)
		if e > 0 {
			xrow := make([]float64, e)
			for x := range xrow {
				xrow[x] = dist(p, extras[x])
			}
			c.xcost = append(c.xcost, xrow)
		}
		w := float64(r.IntN(30))
		if !integral {
			w = r.Float64() * 30
		}
		if r.IntN(8) == 0 {
			w = 0
		}
		c.weights = append(c.weights, w)
	}
	perm := r.Perm(m)
	c.kept = perm[:r.IntN(min(m, 3))]
	c.k = len(c.kept) + r.IntN(m-len(c.kept)+1)
	if c.k == 0 {
		c.k = 1
	}
	c.service = 150 + r.Float64()*350
	if integral {
		c.service = math.Round(c.service)
	}
	return c
}

// bruteForce is the model's optimum over every set of open sites (of size
// K with the kept ones; any size for LSCP, minimising the count). For a
// p-median it minimises first the weight left unserved, then the cost.
func bruteForce(c randomCase, model Model) (best float64, unserved float64) {
	n, m := len(c.cost), len(c.cost[0])
	nearest := func(i int, open []bool) float64 {
		d := math.Inf(1)
		for j, o := range open {
			if o {
				d = math.Min(d, c.cost[i][j])
			}
		}
		if len(c.xcost) > 0 {
			for _, v := range c.xcost[i] {
				d = math.Min(d, v)
			}
		}
		return d
	}
	// Demand no site or extra point can serve (or cover) is left out.
	all := make([]bool, m)
	for j := range all {
		all[j] = true
	}
	reachable := make([]bool, n)
	for i := range reachable {
		d := nearest(i, all)
		reachable[i] = !math.IsInf(d, 1) && (!model.Covering() || d <= c.service)
	}
	best, unserved = math.Inf(1), math.Inf(1)
	if model == MCLP {
		best = math.Inf(-1)
	}
	open := make([]bool, m)
	for mask := 0; mask < 1<<m; mask++ {
		size := 0
		for j := range open {
			open[j] = mask&(1<<j) != 0
			if open[j] {
				size++
			}
		}
		ok := true
		for _, k := range c.kept {
			ok = ok && open[k]
		}
		if !ok || (model != LSCP && size != c.k) {
			continue
		}
		switch model {
		case PMedian:
			cost, lost := 0.0, 0.0
			for i := 0; i < n; i++ {
				if !reachable[i] {
					continue
				}
				if d := nearest(i, open); math.IsInf(d, 1) {
					lost += c.weights[i]
				} else {
					cost += c.weights[i] * d
				}
			}
			if lost < unserved || (lost == unserved && cost < best) {
				best, unserved = cost, lost
			}
		case PCenter:
			r := 0.0
			for i := 0; i < n; i++ {
				if reachable[i] {
					r = math.Max(r, nearest(i, open))
				}
			}
			best = math.Min(best, r)
		case MCLP:
			w := 0.0
			for i := 0; i < n; i++ {
				if nearest(i, open) <= c.service {
					w += c.weights[i]
				}
			}
			best = math.Max(best, w)
		case LSCP:
			covers := true
			for i := 0; i < n && covers; i++ {
				covers = !reachable[i] || nearest(i, open) <= c.service
			}
			if covers {
				best = math.Min(best, float64(size))
			}
		}
	}
	return best, unserved
}

func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// TestModelsAgainstBruteForce solves random small cases of every model,
// with kept sites and extra points, integral and fractional costs, by
// enumeration and by branch and bound, and compares the optimum with
// brute force over every set of open sites.
func TestModelsAgainstBruteForce(t *testing.T) {
	defer func(w float64) { enumerateWork = w }(enumerateWork)
	r := rand.New(rand.NewPCG(1, 2))
	cases := 0
	rounds := 120
	if v, err := strconv.Atoi(os.Getenv("LOCATE_ROUNDS")); err == nil {
		rounds = v
	}
	for round := 0; round < rounds; round++ {
		n, m, e := 1+r.IntN(14), 1+r.IntN(9), r.IntN(3)
		integral := round%2 == 0
		sparse := round%5 == 4
		c := newRandomCase(r, n, m, e, integral, sparse)
		for _, model := range Models {
			for _, enumerate := range []bool{true, false} {
				enumerateWork = 0
				if enumerate {
					enumerateWork = 5e7
				}
				name := fmt.Sprintf("round %d %s n=%d m=%d e=%d kept=%v k=%d integral=%v sparse=%v enumerate=%v",
					round, model, n, m, e, c.kept, c.k, integral, sparse, enumerate)
				p := matrixProblem(t, c.cost, c.xcost, c.weights, c.kept)
				s, err := Solve(t.Context(), p, Options{Model: model, K: c.k, Service: c.service, TimeLimit: 10 * time.Second})
				want, lost := bruteForce(c, model)
				if model == PCenter && math.IsInf(want, 1) {
					if err == nil {
						t.Errorf("%s: solved %g, but no plan reaches every demand", name, s.Objective)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				cases++
				got := s.Objective
				if !near(got, want) {
					t.Errorf("%s: objective %g, brute force %g (open %v)", name, got, want, s.Open)
				}
				if !s.Optimal || !near(s.LowerBound, s.UpperBound) || s.Gap != 0 {
					t.Errorf("%s: not proven optimal: bounds %g–%g, gap %g", name, s.LowerBound, s.UpperBound, s.Gap)
				}
				if model != LSCP && s.K != c.k {
					t.Errorf("%s: %d sites open, want K = %d", name, s.K, c.k)
				}
				for _, k := range c.kept {
					if !slices.Contains(s.Open, k) {
						t.Errorf("%s: kept site %d is not open (%v)", name, k, s.Open)
					}
				}
				if model == PMedian {
					lostGot := 0.0
					for i, d := range s.Demand {
						if !d.Reached() && !slices.Contains(s.Unreachable, i) {
							lostGot += c.weights[i]
						}
					}
					if !near(lostGot, lost) {
						t.Errorf("%s: weight left unserved %g, brute force %g", name, lostGot, lost)
					}
				}
			}
		}
	}
	t.Logf("%d cases checked", cases)
}

// TestBranchAndBoundAgainstBruteForce does the same on larger cases,
// always by branch and bound, where the relaxation leaves gaps to close.
func TestBranchAndBoundAgainstBruteForce(t *testing.T) {
	defer func(w float64) { enumerateWork = w }(enumerateWork)
	enumerateWork = 0
	r := rand.New(rand.NewPCG(3, 4))
	rounds := 8
	if v, err := strconv.Atoi(os.Getenv("LOCATE_ROUNDS")); err == nil {
		rounds = v / 10
	}
	for round := 0; round < rounds; round++ {
		n, m, e := 30+r.IntN(50), 12+r.IntN(6), r.IntN(4)
		c := newRandomCase(r, n, m, e, round%2 == 0, false)
		// K about a third of the sites, where trees are deepest.
		c.k = max(len(c.kept), 1) + r.IntN(max(m/3, 1))
		for _, model := range Models {
			name := fmt.Sprintf("round %d %s n=%d m=%d e=%d kept=%v k=%d", round, model, n, m, e, c.kept, c.k)
			s := solve(t, matrixProblem(t, c.cost, c.xcost, c.weights, c.kept), Options{Model: model, K: c.k, Service: c.service, TimeLimit: 20 * time.Second})
			want, _ := bruteForce(c, model)
			if !near(s.Objective, want) || !s.Optimal {
				t.Errorf("%s: objective %g (optimal %v, bounds %g–%g), brute force %g", name, s.Objective, s.Optimal, s.LowerBound, s.UpperBound, want)
			}
		}
	}
}

// TestTruncatedListsKeepTheProof solves p-medians keeping only each
// demand's few nearest sites (as large problems do) and checks that the
// plan and its proof are those of the full problem: the sites left out
// bound the costs from below, so the bound stays a proof, and a plan whose
// demands all find an open site in their lists is priced exactly.
func TestTruncatedListsKeepTheProof(t *testing.T) {
	defer func(d int, w float64) { denseMost, enumerateWork = d, w }(denseMost, enumerateWork)
	r := rand.New(rand.NewPCG(5, 6))
	for round := 0; round < 6; round++ {
		c := newRandomCase(r, 150, 40, 0, round%2 == 0, false)
		for i := range c.weights {
			c.weights[i]++ // every demand counts
		}
		k := 4 + r.IntN(12)
		denseMost, enumerateWork = 1<<30, 0
		full := solve(t, matrixProblem(t, c.cost, nil, c.weights, nil), Options{Model: PMedian, K: k, TimeLimit: 20 * time.Second})
		denseMost = 0
		cut := solve(t, matrixProblem(t, c.cost, nil, c.weights, nil), Options{Model: PMedian, K: k, MaxList: 6, TimeLimit: 20 * time.Second})
		if !cut.Truncated {
			t.Fatalf("round %d: lists were not truncated", round)
		}
		if !near(cut.Objective, full.Objective) || !full.Optimal {
			t.Errorf("round %d K=%d: truncated %g (optimal %v), full %g (optimal %v)", round, k, cut.Objective, cut.Optimal, full.Objective, full.Optimal)
		}
		if cut.LowerBound > full.Objective*(1+1e-9) {
			t.Errorf("round %d: truncated bound %g above the optimum %g", round, cut.LowerBound, full.Objective)
		}
		t.Logf("round %d K=%d: optimal %v with 6 sites a demand (gap %g)", round, k, cut.Optimal, cut.Gap)
	}
}

// TestBranchAndBoundAgainstEnumeration compares, on cases too large for
// brute force over every subset size but small enough to enumerate the
// subsets of size K (300 demand points; 22 sites, K = 4 or 5 by default;
// with LOCATE_ROUNDS=n, n/10 rounds of 30 sites, K = 4 … 8), the branch
// and bound with enumeration.
func TestBranchAndBoundAgainstEnumeration(t *testing.T) {
	defer func(w float64) { enumerateWork = w }(enumerateWork)
	r := rand.New(rand.NewPCG(7, 8))
	rounds, m, ks := 2, 22, 2
	if v, err := strconv.Atoi(os.Getenv("LOCATE_ROUNDS")); err == nil {
		rounds, m, ks = v/10, 30, 5
	}
	for round := 0; round < rounds; round++ {
		c := newRandomCase(r, 300, m, r.IntN(3), round%2 == 0, false)
		c.kept = nil
		c.k = 4 + r.IntN(ks)
		for _, model := range []Model{PMedian, PCenter, MCLP} {
			p := matrixProblem(t, c.cost, c.xcost, c.weights, nil)
			opt := Options{Model: model, K: c.k, Service: c.service, TimeLimit: time.Minute}
			enumerateWork = 1e12
			want := solve(t, p, opt)
			enumerateWork = 0
			got := solve(t, p, opt)
			better := got.Objective < want.Objective
			if model == MCLP {
				better = got.Objective > want.Objective
			}
			if !want.Optimal && (better || near(got.Objective, want.Objective)) {
				continue // enumeration ran out of time; the plan is no worse
			}
			if !near(got.Objective, want.Objective) || !got.Optimal {
				t.Errorf("round %d %s K=%d: branch and bound %g (optimal %v, %d nodes), enumeration %g", round, model, c.k, got.Objective, got.Optimal, got.Nodes, want.Objective)
			}
		}
	}
}
