// Package locate chooses which sites to open: the classic location models
// p-median (least total weighted cost), p-center (least largest cost),
// maximal covering (MCLP: most weight within a service limit with K
// sites) and set covering (LSCP: fewest sites covering every demand).
//
// A Problem is demand points with weights, candidate sites, the sites kept
// open whatever the model decides, and extra points that are always open
// and count in no K (certificate points: stores, post offices). Costs come
// from any catchment.Metric (geodesic, road, travel time, a cost matrix)
// through catchment.Costs, so the models run under every metric alike;
// costs are in the metric's Quantity (metres or seconds).
//
// Every model is solved as one core problem, a p-median with a fallback
// cost per demand (kept sites and extra points are folded into it; a
// covering model is a p-median with costs 0 and 1), by three methods
// together: the fast interchange local search (Teitz–Bart with Whitaker's
// bookkeeping, several starts) for solutions, the Lagrangian relaxation
// of the assignment constraints with subgradient optimisation for lower
// bounds, and branch and bound over the sites (enumeration when there are
// few subsets) for a proof of optimality. A Solution says whether it is
// proven optimal, and otherwise gives the bounds and the gap, when the
// time limit ends the search first. Large p-medians keep only each
// demand's nearest sites; the dropped sites still bound the costs from
// below, so the bounds stay proofs.
package locate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
)

// Model names a location model.
type Model string

// Models.
const (
	// PMedian minimises Σ weight × cost to the nearest open site.
	PMedian Model = "pmedian"
	// PCenter minimises the largest cost to the nearest open site
	// (unweighted).
	PCenter Model = "pcenter"
	// MCLP maximises the weight within the service limit of an open site
	// with K sites.
	MCLP Model = "mclp"
	// LSCP finds the fewest sites that put every demand within the
	// service limit of one (demand no site can cover is left out).
	LSCP Model = "lscp"
)

// Models lists the models.
var Models = []Model{PMedian, PCenter, MCLP, LSCP}

// ParseModel checks a model name.
func ParseModel(s string) (Model, error) {
	for _, m := range Models {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown model %q: want pmedian, pcenter, mclp or lscp", s)
}

// Covering reports whether the model needs a service limit.
func (m Model) Covering() bool { return m == MCLP || m == LSCP }

// Problem is a location problem.
type Problem struct {
	// Metric measures the costs from Demand to Sites and Extra.
	Metric catchment.Metric
	// Demand are the points to serve; Weights their weights (nil: 1
	// each).
	Demand  []catchment.Place
	Weights []float64
	// Sites are the candidate sites; Kept the indexes of those open in
	// every solution (they count in K).
	Sites []catchment.Place
	Kept  []int
	// Extra are points always open that count in no K, such as
	// convenience stores and post offices that issue certificates.
	Extra []catchment.Place
	// Costs, when not nil, are the metric's costs from Demand to Sites
	// measured already (a study's); Solve measures them otherwise.
	Costs catchment.Costs
}

// Options set what to solve and for how long.
type Options struct {
	Model Model
	// K is the number of open sites, kept ones included (not LSCP).
	K int
	// Service is the service limit of MCLP and LSCP, in the metric's
	// Quantity (metres or seconds). A p-median or p-center may be given
	// one too: the solution then says which demand is within it.
	Service float64
	// TimeLimit bounds the search (0: one minute); the best solution
	// found and the bounds are returned when it ends the search.
	TimeLimit time.Duration
	// Starts is the number of random starts of the local search besides
	// the greedy one and those from the relaxation (0: 4).
	Starts int
	// Seed seeds the random starts.
	Seed uint64
	// MaxList is the number of nearest sites a p-median keeps per demand
	// when the problem is large (0: 48); the rest bound the costs from
	// below. Problems of up to 2,000,000 demand–site pairs keep all.
	MaxList int
}

// DefaultTimeLimit is the time limit of a solve when none is given.
const DefaultTimeLimit = time.Minute

// Served is how one demand point is served in a solution.
type Served struct {
	// Site is the way to the nearest open site (To: its index; -1 when
	// none is reached).
	Site catchment.Reach
	// Extra is the way to the nearest extra point (To -1 when there are
	// none or none is reached).
	Extra catchment.Reach
	// Covered is true when the demand is served within the service limit
	// (when one is set), or at all.
	Covered bool
}

// Cost is the cost to the nearer of the open site and the extra point
// (+Inf when neither is reached).
func (s Served) Cost() float64 { return math.Min(s.Site.Cost, s.Extra.Cost) }

// By is the way to the nearer of the two (the site on a tie).
func (s Served) By() catchment.Reach {
	if s.Extra.Reached() && s.Extra.Cost < s.Site.Cost {
		return s.Extra
	}
	return s.Site
}

// ByExtra reports whether an extra point is nearer than every open site.
func (s Served) ByExtra() bool { return s.Extra.Reached() && s.Extra.Cost < s.Site.Cost }

// Reached reports whether an open site or an extra point serves the demand.
func (s Served) Reached() bool { return s.Site.Reached() || s.Extra.Reached() }

// Solution is the plan a model chose, with its proof or its gap.
type Solution struct {
	Model Model
	// K is the number of open sites (kept ones included).
	K int
	// Open are the indexes of the open sites, ascending.
	Open []int
	// Objective is the plan's value: weighted cost (p-median), the
	// largest cost (p-center), the weight covered (MCLP) or the number of
	// open sites (LSCP).
	Objective float64
	// LowerBound ≤ the optimum ≤ UpperBound. One of them is Objective:
	// UpperBound for the minimising models, LowerBound for MCLP.
	LowerBound, UpperBound float64
	// Gap is (UpperBound − LowerBound) / UpperBound (0 when both are 0).
	Gap float64
	// Optimal is true only when the plan is proven optimal.
	Optimal bool
	// Service is the service limit (NaN when none was given).
	Service float64
	// Demand says how each demand point is served, in order.
	Demand []Served
	// Uncovered are the demand points the plan leaves unserved (no open
	// site or extra point reaches them) or beyond the service limit when
	// one is set, ascending. For LSCP they are those no site or extra
	// point can cover at all.
	Uncovered []int
	// Unreachable are the demand points that no site or extra point can
	// serve (p-median, p-center) or cover (MCLP, LSCP) whatever is open.
	Unreachable []int
	// TotalWeight and CoveredWeight sum the weights of all demand points
	// and of the covered ones.
	TotalWeight, CoveredWeight float64
	// Nodes counts the branch-and-bound nodes (or subsets enumerated).
	Nodes int
	// Elapsed is the time the solve took.
	Elapsed time.Duration
	// Truncated is true when a p-median kept only each demand's nearest
	// sites.
	Truncated bool
}

// ErrInfeasible is returned (wrapped) when no plan meets the model's
// requirement: a p-center whose K sites cannot reach every demand point.
var ErrInfeasible = errors.New("no plan is feasible")

// Solve solves the problem under the model of opt.
func Solve(ctx context.Context, p *Problem, opt Options) (*Solution, error) {
	start := time.Now()
	if opt.TimeLimit <= 0 {
		opt.TimeLimit = DefaultTimeLimit
	}
	if opt.Starts == 0 {
		opt.Starts = 4
	}
	if opt.MaxList <= 0 {
		opt.MaxList = 48
	}
	if err := p.check(opt); err != nil {
		return nil, err
	}
	in, err := prepare(p, opt)
	if err != nil {
		return nil, err
	}
	in.deadline = start.Add(opt.TimeLimit)
	in.ctx = ctx
	var sol *Solution
	switch opt.Model {
	case PMedian:
		sol, err = in.pmedian()
	case MCLP:
		sol, err = in.mclp()
	case LSCP:
		sol, err = in.lscp()
	case PCenter:
		sol, err = in.pcenter()
	}
	if err != nil {
		return nil, err
	}
	sol.Model = opt.Model
	sol.Elapsed = time.Since(start)
	sol.Service = math.NaN()
	if opt.Service > 0 {
		sol.Service = opt.Service
	}
	return sol, nil
}

// check validates the problem and options.
func (p *Problem) check(opt Options) error {
	if p.Metric == nil {
		return fmt.Errorf("locate: no metric")
	}
	if len(p.Sites) == 0 {
		return fmt.Errorf("locate: no candidate sites")
	}
	if len(p.Demand) == 0 {
		return fmt.Errorf("locate: no demand points")
	}
	if p.Weights != nil && len(p.Weights) != len(p.Demand) {
		return fmt.Errorf("locate: %d weights for %d demand points", len(p.Weights), len(p.Demand))
	}
	for i, w := range p.Weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("locate: demand %s: weight %g is not a finite number ≥ 0", placeName(p.Demand[i]), w)
		}
	}
	seen := map[int]bool{}
	for _, k := range p.Kept {
		if k < 0 || k >= len(p.Sites) {
			return fmt.Errorf("locate: kept site %d: there are %d sites", k, len(p.Sites))
		}
		if seen[k] {
			return fmt.Errorf("locate: site %s is kept twice", placeName(p.Sites[k]))
		}
		seen[k] = true
	}
	if _, err := ParseModel(string(opt.Model)); err != nil {
		return err
	}
	if opt.Model != LSCP {
		switch {
		case opt.K < 1:
			return fmt.Errorf("locate: K = %d: at least one site must open", opt.K)
		case opt.K > len(p.Sites):
			return fmt.Errorf("locate: K = %d is more than the %d candidate sites", opt.K, len(p.Sites))
		case opt.K < len(p.Kept):
			return fmt.Errorf("locate: K = %d is fewer than the %d kept sites, which count in K", opt.K, len(p.Kept))
		}
	}
	if (opt.Model.Covering() || opt.Service != 0) && !(opt.Service > 0 && !math.IsInf(opt.Service, 0)) {
		return fmt.Errorf("locate: the service limit %g is not a positive finite number", opt.Service)
	}
	return nil
}

func placeName(p catchment.Place) string {
	if p.Label != "" {
		return p.Label
	}
	return p.ID
}

// instance is a problem being solved: costs measured, the kept sites and
// extra points folded into each demand's fixed cost.
type instance struct {
	p        *Problem
	opt      Options
	ctx      context.Context
	deadline time.Time
	costs    catchment.Costs // demand → sites
	extra    catchment.Costs // demand → extra points; nil when none
	weight   []float64
	kept     []bool
	free     []int // free site index → site index
	freeOf   []int // site index → free index (-1 when kept)
	// fixed is each demand's cost to its nearest kept site or extra
	// point (+Inf when none).
	fixed []float64
}

func prepare(p *Problem, opt Options) (*instance, error) {
	in := &instance{p: p, opt: opt, costs: p.Costs, kept: make([]bool, len(p.Sites)), freeOf: make([]int, len(p.Sites))}
	var err error
	if in.costs == nil {
		if in.costs, err = p.Metric.Measure(p.Demand, p.Sites); err != nil {
			return nil, fmt.Errorf("measure demand to sites: %w", err)
		}
	}
	if len(p.Extra) > 0 {
		in.extra, err = p.Metric.Measure(p.Demand, p.Extra)
		if err != nil && !errors.Is(err, catchment.ErrUnreachable) {
			return nil, fmt.Errorf("measure demand to extra points: %w", err)
		}
		if err != nil {
			in.extra = nil // no extra point reaches any demand
		}
	}
	in.weight = make([]float64, len(p.Demand))
	for i := range in.weight {
		in.weight[i] = 1
		if p.Weights != nil {
			in.weight[i] = p.Weights[i]
		}
	}
	for _, k := range p.Kept {
		in.kept[k] = true
	}
	for j := range p.Sites {
		in.freeOf[j] = -1
		if !in.kept[j] {
			in.freeOf[j] = len(in.free)
			in.free = append(in.free, j)
		}
	}
	in.fixed = make([]float64, len(p.Demand))
	for i := range in.fixed {
		in.fixed[i] = math.Inf(1)
	}
	if len(p.Kept) > 0 {
		rs, err := in.costs.Nearest(nil, in.kept)
		if err != nil {
			return nil, fmt.Errorf("nearest kept site: %w", err)
		}
		for i, r := range rs {
			if r.Reached() {
				in.fixed[i] = r.Cost
			}
		}
	}
	if in.extra != nil {
		rs, err := in.extra.Nearest(nil, nil)
		if err != nil {
			return nil, fmt.Errorf("nearest extra point: %w", err)
		}
		for i, r := range rs {
			if r.Reached() && r.Cost < in.fixed[i] {
				in.fixed[i] = r.Cost
			}
		}
	}
	return in, nil
}

// serve assigns every demand point to its nearest open site or extra
// point, and fills the solution's plan, coverage and weights.
func (in *instance) serve(sol *Solution, open []bool, limit float64) error {
	rs, err := in.costs.Nearest(nil, open)
	if err != nil {
		return fmt.Errorf("assign demand: %w", err)
	}
	var xs []catchment.Reach
	if in.extra != nil {
		if xs, err = in.extra.Nearest(nil, nil); err != nil {
			return fmt.Errorf("assign demand to extra points: %w", err)
		}
	}
	sol.Open = sol.Open[:0]
	for j, o := range open {
		if o {
			sol.Open = append(sol.Open, j)
		}
	}
	sol.K = len(sol.Open)
	sol.Demand = make([]Served, len(rs))
	sol.Uncovered = sol.Uncovered[:0]
	sol.TotalWeight, sol.CoveredWeight = 0, 0
	none := catchment.Reach{To: -1, Cost: math.Inf(1), DistanceM: math.NaN(), TimeS: math.NaN()}
	for i, r := range rs {
		s := Served{Site: r, Extra: none}
		if xs != nil {
			s.Extra = xs[i]
		}
		s.Covered = s.Reached() && s.Cost() <= limit
		sol.Demand[i] = s
		sol.TotalWeight += in.weight[i]
		if s.Covered {
			sol.CoveredWeight += in.weight[i]
		} else {
			sol.Uncovered = append(sol.Uncovered, i)
		}
	}
	return nil
}

// openSites turns a core solution (over free sites) into open flags over
// all sites, kept ones included.
func (in *instance) openSites(freeOpen []bool) []bool {
	open := slices.Clone(in.kept)
	for f, o := range freeOpen {
		if o {
			open[in.free[f]] = true
		}
	}
	return open
}

// coreOptions are the options of one core solve.
func (in *instance) coreOptions() coreOptions {
	return coreOptions{deadline: in.deadline, starts: in.opt.Starts, seed: in.opt.Seed,
		stopBelow: math.Inf(-1), cutoff: math.Inf(1)}
}

// setGap fills Gap from the bounds.
func (sol *Solution) setGap() {
	switch {
	case sol.UpperBound == sol.LowerBound:
		sol.Gap = 0
	case sol.UpperBound == 0 || math.IsInf(sol.UpperBound, 0):
		sol.Gap = math.Inf(1)
	default:
		sol.Gap = (sol.UpperBound - sol.LowerBound) / math.Abs(sol.UpperBound)
	}
	if sol.Gap < 0 {
		sol.Gap = 0
	}
}
