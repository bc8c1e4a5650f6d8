package locate

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// pmedian minimises Σ weight × cost. Each demand's fallback is its
// nearest kept site or extra point; a large problem keeps each demand's
// nearest sites and bounds the rest by the nearest one it left out.
func (in *instance) pmedian() (*Solution, error) {
	n, mFree := len(in.p.Demand), len(in.free)
	most := 0
	if n*mFree > denseMost {
		most = in.opt.MaxList
	}
	lists, cut, err := in.nearLists(in.fixed, false, most)
	if err != nil {
		return nil, err
	}
	sol := &Solution{}
	// A demand that reaches no free site and no kept site or extra point
	// cannot be served; one that reaches only some free sites is charged a
	// penalty above any plan's whole cost when none of them opens.
	penalty, wmin := 1.0, math.Inf(1)
	for i, l := range lists {
		if len(l) > 0 {
			penalty += in.weight[i] * l[len(l)-1].cost
		}
		if w := in.weight[i]; w > 0 {
			wmin = math.Min(wmin, w)
		}
	}
	if wmin < 1 {
		penalty /= wmin
	}
	var entries [][]entry
	var fb []float64
	truncated := false
	for i, l := range lists {
		if len(l) == 0 && math.IsInf(in.fixed[i], 1) && math.IsInf(cut[i], 1) {
			sol.Unreachable = append(sol.Unreachable, i)
			continue
		}
		w := in.weight[i]
		if w == 0 {
			continue
		}
		f := math.Min(in.fixed[i], cut[i])
		if !math.IsInf(cut[i], 1) {
			truncated = true
		}
		if math.IsInf(f, 1) {
			f = penalty
		}
		es := make([]entry, len(l))
		for k, pr := range l {
			es[k] = entry{pr.free, w * pr.cost}
		}
		entries = append(entries, es)
		fb = append(fb, w*f)
	}
	c := newCore(mFree, in.opt.K-len(in.p.Kept), entries, fb)
	res := solveCore(in.ctx, c, in.coreOptions())
	open := in.openSites(res.open)
	if err := in.serve(sol, open, in.limit()); err != nil {
		return nil, err
	}
	penalised := 0.0 // the penalties in the core's value
	unreachable := make([]bool, len(sol.Demand))
	for _, i := range sol.Unreachable {
		unreachable[i] = true
	}
	for i, s := range sol.Demand {
		switch {
		case s.Reached():
			sol.Objective += in.weight[i] * s.Cost()
		case !unreachable[i]:
			penalised += in.weight[i] * penalty
		}
	}
	sol.Truncated = truncated
	sol.Nodes = res.nodes
	sol.UpperBound = sol.Objective
	sol.LowerBound = math.Min(res.bound-penalised, sol.Objective)
	// The plan's true cost is the core's when no demand fell back on a
	// site its list left out.
	sol.Optimal = res.optimal && math.Abs(sol.Objective+penalised-res.value) <= tolerance(res.value)*10
	if sol.Optimal {
		sol.LowerBound = sol.Objective
	}
	sol.setGap()
	return sol, nil
}

// limit is the service limit a solution's coverage is judged by (+Inf:
// none).
func (in *instance) limit() float64 {
	if in.opt.Service > 0 {
		return in.opt.Service
	}
	return math.Inf(1)
}

// coverLists are the free sites within the service limit of every demand
// not already covered by a kept site or extra point.
func (in *instance) coverLists(limit float64) (lists [][]pair, coveredFixed []bool, err error) {
	lim := make([]float64, len(in.p.Demand))
	coveredFixed = make([]bool, len(lim))
	for i := range lim {
		lim[i] = limit
		if in.fixed[i] <= limit {
			coveredFixed[i] = true
			lim[i] = -1
		}
	}
	lists, _, err = in.nearLists(lim, true, 0)
	return lists, coveredFixed, err
}

// mclp maximises the weight covered: a core whose sites cost 0 for the
// demands they cover and whose fallback is the demand's weight.
func (in *instance) mclp() (*Solution, error) {
	lists, coveredFixed, err := in.coverLists(in.opt.Service)
	if err != nil {
		return nil, err
	}
	sol := &Solution{}
	var entries [][]entry
	var fb []float64
	lost := 0.0 // weight no plan can cover
	for i, l := range lists {
		if coveredFixed[i] {
			continue
		}
		if len(l) == 0 {
			sol.Unreachable = append(sol.Unreachable, i)
			lost += in.weight[i]
			continue
		}
		if in.weight[i] == 0 {
			continue
		}
		es := make([]entry, len(l))
		for k, pr := range l {
			es[k] = entry{pr.free, 0}
		}
		entries = append(entries, es)
		fb = append(fb, in.weight[i])
	}
	c := newCore(len(in.free), in.opt.K-len(in.p.Kept), entries, fb)
	res := solveCore(in.ctx, c, in.coreOptions())
	if err := in.serve(sol, in.openSites(res.open), in.opt.Service); err != nil {
		return nil, err
	}
	sol.Objective = sol.CoveredWeight
	sol.LowerBound = sol.Objective
	sol.UpperBound = math.Max(sol.TotalWeight-lost-res.bound, sol.Objective)
	sol.Optimal = res.optimal
	if sol.Optimal {
		sol.UpperBound = sol.Objective
	}
	sol.Nodes = res.nodes
	sol.setGap()
	return sol, nil
}

// coverCore is the core "leave as few demands uncovered as possible with
// p sites" over the demands no kept site or extra point covers within
// their limit; lists give each demand's free sites within reach.
func coverCore(m int, lists [][]pair) *core {
	entries := make([][]entry, len(lists))
	fb := make([]float64, len(lists))
	for i, l := range lists {
		entries[i] = make([]entry, len(l))
		for k, pr := range l {
			entries[i][k] = entry{pr.free, 0}
		}
		fb[i] = 1
	}
	return newCore(m, 0, entries, fb)
}

// decide asks whether p free sites can cover every demand of the core:
// covered (and the sites) when a plan is found, infeasible when proven
// impossible, neither when time ran out.
func (in *instance) decide(c *core, p int) (open []bool, infeasible bool, nodes int) {
	c.p = p
	opt := in.coreOptions()
	opt.stopBelow = 0
	opt.cutoff = 1
	res := solveCore(in.ctx, c, opt)
	if res.open != nil && res.value == 0 {
		return res.open, false, res.nodes
	}
	return nil, res.bound >= 1, res.nodes
}

// lscp finds the fewest sites covering every demand that some site or
// extra point can cover: a greedy cover first, then a binary search on
// the number of sites, each step a decision proven by branch and bound.
func (in *instance) lscp() (*Solution, error) {
	lists, coveredFixed, err := in.coverLists(in.opt.Service)
	if err != nil {
		return nil, err
	}
	sol := &Solution{}
	var rows [][]pair
	for i, l := range lists {
		if coveredFixed[i] {
			continue
		}
		if len(l) == 0 {
			sol.Unreachable = append(sol.Unreachable, i)
			continue
		}
		rows = append(rows, l)
	}
	c := coverCore(len(in.free), rows)
	best := make([]bool, c.m)
	lo, hi := 0, 0
	if len(rows) > 0 {
		s := newSwapper(c, best, nil)
		for s.obj > 0 && hi < c.m {
			s.greedy(hi + 1)
			hi++
		}
		best = prune(c, s.open)
		hi = count(best)
		lo = 1
	}
	for stopped := false; lo < hi && !stopped && !expired(in); {
		mid := (lo + hi) / 2
		open, infeasible, nodes := in.decide(c, mid)
		sol.Nodes += nodes
		switch {
		case open != nil:
			best = prune(c, open)
			hi = count(best)
		case infeasible:
			lo = mid + 1
		default:
			stopped = true // time ran out: lo stays a bound
		}
	}
	if err := in.serve(sol, in.openSites(best), in.opt.Service); err != nil {
		return nil, err
	}
	kept := len(in.p.Kept)
	sol.Objective = float64(kept + hi)
	sol.UpperBound = sol.Objective
	sol.LowerBound = float64(kept + lo)
	sol.Optimal = lo == hi
	sol.setGap()
	return sol, nil
}

func expired(in *instance) bool {
	return in.ctx.Err() != nil || !in.deadline.After(time.Now())
}

// prune closes, highest index first, the open sites a cover does not
// need.
func prune(c *core, open []bool) []bool {
	open = slices.Clone(open)
	for j := c.m - 1; j >= 0; j-- {
		if !open[j] {
			continue
		}
		open[j] = false
		if c.eval(open) > 0 {
			open[j] = true
		}
	}
	return open
}

func count(open []bool) int {
	k := 0
	for _, o := range open {
		if o {
			k++
		}
	}
	return k
}

// pcenter minimises the largest cost: a binary search over the distinct
// costs, each step asking whether K sites cover every demand within that
// radius (kept sites and extra points cover theirs whatever opens).
func (in *instance) pcenter() (*Solution, error) {
	lists, _, err := in.nearLists(in.fixed, false, 0)
	if err != nil {
		return nil, err
	}
	sol := &Solution{}
	var rows []int // reachable demands
	low := 0.0     // no plan does better than every demand's nearest
	var radii []float64
	for i, l := range lists {
		d := in.fixed[i]
		if len(l) > 0 {
			d = math.Min(d, l[0].cost)
		}
		if math.IsInf(d, 1) {
			sol.Unreachable = append(sol.Unreachable, i)
			continue
		}
		rows = append(rows, i)
		low = math.Max(low, d)
		for _, pr := range l {
			radii = append(radii, pr.cost)
		}
		radii = append(radii, in.fixed[i])
	}
	p := in.opt.K - len(in.p.Kept)
	// radius is the largest cost of a plan over free sites.
	radius := func(open []bool) float64 {
		r := 0.0
		for _, i := range rows {
			d := in.fixed[i]
			for _, pr := range lists[i] {
				if open[pr.free] {
					d = math.Min(d, pr.cost)
					break
				}
			}
			r = math.Max(r, d)
		}
		return r
	}
	slices.Sort(radii)
	radii = slices.Compact(radii)
	for len(radii) > 0 && math.IsInf(radii[len(radii)-1], 1) {
		radii = radii[:len(radii)-1]
	}
	lo, _ := slices.BinarySearch(radii, low)
	// A first plan: the p-median of the unweighted costs.
	var best []bool
	hi := len(radii)
	if len(rows) > 0 {
		var entries [][]entry
		var fb []float64
		for _, i := range rows {
			es := make([]entry, len(lists[i]))
			for k, pr := range lists[i] {
				es[k] = entry{pr.free, pr.cost}
			}
			f := in.fixed[i]
			if math.IsInf(f, 1) {
				f = 1e3 * math.Max(1, radii[len(radii)-1])
			}
			entries = append(entries, es)
			fb = append(fb, f)
		}
		c := newCore(len(in.free), p, entries, fb)
		s := newSwapper(c, make([]bool, c.m), nil)
		s.greedy(p)
		s.descend(in.deadline)
		best = s.open
		if r := radius(best); !math.IsInf(r, 1) {
			hi, _ = slices.BinarySearch(radii, r)
		}
	} else {
		best = make([]bool, len(in.free))
		hi, lo = 0, 0
	}
	// Decide radius by radius.
	decideAt := func(k int) (open []bool, infeasible bool) {
		r := radii[k]
		var rowsAt [][]pair
		for _, i := range rows {
			if in.fixed[i] <= r {
				continue
			}
			l := lists[i]
			e := 0
			for e < len(l) && l[e].cost <= r {
				e++
			}
			if e == 0 {
				return nil, true
			}
			rowsAt = append(rowsAt, l[:e])
		}
		if len(rowsAt) == 0 {
			return make([]bool, len(in.free)), false
		}
		open, infeasible, nodes := in.decide(coverCore(len(in.free), rowsAt), p)
		sol.Nodes += nodes
		return open, infeasible
	}
	if hi == len(radii) {
		// The first plan leaves a demand unreached: is any plan feasible?
		if len(radii) == 0 {
			return nil, fmt.Errorf("%w: no site reaches the demand", ErrInfeasible)
		}
		open, infeasible := decideAt(len(radii) - 1)
		switch {
		case open != nil:
			best = open
		case infeasible:
			return nil, fmt.Errorf("%w: %d sites cannot reach every demand point that a site can reach", ErrInfeasible, in.opt.K)
		default:
			return nil, fmt.Errorf("%w: no plan of %d sites reaching every demand point was found in the time limit", ErrInfeasible, in.opt.K)
		}
		r := radius(best)
		hi, _ = slices.BinarySearch(radii, r)
	}
	stopped := false
	for lo < hi && !stopped {
		if expired(in) {
			break
		}
		mid := (lo + hi) / 2
		open, infeasible := decideAt(mid)
		switch {
		case open != nil:
			// Fill up to p sites: more never hurts.
			open = fillTo(open, p)
			best = open
			hi, _ = slices.BinarySearch(radii, radius(best))
		case infeasible:
			lo = mid + 1
		default:
			stopped = true
		}
	}
	best = fillTo(best, p)
	if err := in.serve(sol, in.openSites(best), in.limit()); err != nil {
		return nil, err
	}
	for _, s := range sol.Demand {
		if s.Reached() {
			sol.Objective = math.Max(sol.Objective, s.Cost())
		}
	}
	sol.UpperBound = sol.Objective
	sol.LowerBound = sol.Objective
	if lo < len(radii) {
		sol.LowerBound = math.Min(radii[lo], sol.Objective)
	}
	sol.Optimal = lo >= hi
	sol.setGap()
	return sol, nil
}

// fillTo opens closed sites, lowest index first, until p are open.
func fillTo(open []bool, p int) []bool {
	open = slices.Clone(open)
	fill(open, p-count(open))
	return open
}
