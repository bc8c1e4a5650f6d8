package locate

import (
	"math"
	"slices"
)

// core is the problem every model is solved as: choose p of m sites to
// open so as to minimise Σ_i min(fb[i], min over open j of cost(i, j)).
// Costs are weighted (demand weight × metric cost). fb[i] is the cost of
// demand i when no listed site is open: a kept office, an extra point, a
// penalty for being left unserved, or (in a truncated problem) a lower
// bound on every site left out of its list. A p-median is a core with
// distances; a maximal covering problem is a core with cost 0 for every
// site within reach and fb[i] = weight (the uncovered population).
type core struct {
	n, m, p int
	// Each demand's list: entries start[i] … start[i+1]-1, ascending by
	// cost, every cost < fb[i].
	start []int32
	site  []int32
	cost  []float64
	fb    []float64
	// The reverse lists: per site, the demands that list it and the cost.
	rstart []int32
	rdem   []int32
	rcost  []float64
	// offset is a cost every solution pays: demands settled by a
	// reduction.
	offset float64
	// integral is true when every cost and fallback is a whole number, so
	// that a solution better than an incumbent is at least 1 better.
	integral bool
}

// entry is one (site, weighted cost) pair of a demand's list.
type entry struct {
	site int32
	cost float64
}

// newCore builds a core from per-demand lists (any order) and fallbacks.
// Entries not below the fallback are dropped.
func newCore(m, p int, lists [][]entry, fb []float64) *core {
	c := &core{n: len(lists), m: m, p: p, fb: fb, start: make([]int32, len(lists)+1)}
	total := 0
	for i, l := range lists {
		slices.SortFunc(l, func(a, b entry) int {
			if a.cost != b.cost {
				if a.cost < b.cost {
					return -1
				}
				return 1
			}
			return int(a.site - b.site)
		})
		k := 0
		for k < len(l) && l[k].cost < fb[i] {
			k++
		}
		lists[i] = l[:k]
		total += k
	}
	c.site = make([]int32, 0, total)
	c.cost = make([]float64, 0, total)
	for i, l := range lists {
		c.start[i] = int32(len(c.site))
		for _, e := range l {
			c.site = append(c.site, e.site)
			c.cost = append(c.cost, e.cost)
		}
	}
	c.start[len(lists)] = int32(len(c.site))
	c.reverse()
	c.integral = true
	for _, v := range c.cost {
		if !whole(v) {
			c.integral = false
			break
		}
	}
	for _, v := range fb {
		if !whole(v) {
			c.integral = false
			break
		}
	}
	return c
}

// whole reports whether v is a whole number small enough to add exactly.
func whole(v float64) bool { return v == math.Trunc(v) && math.Abs(v) < 1<<50 }

// reverse builds the per-site lists.
func (c *core) reverse() {
	count := make([]int32, c.m+1)
	for _, j := range c.site {
		count[j+1]++
	}
	for j := 1; j <= c.m; j++ {
		count[j] += count[j-1]
	}
	c.rstart = slices.Clone(count)
	c.rdem = make([]int32, len(c.site))
	c.rcost = make([]float64, len(c.site))
	for i := 0; i < c.n; i++ {
		for k := c.start[i]; k < c.start[i+1]; k++ {
			j := c.site[k]
			at := count[j]
			count[j]++
			c.rdem[at] = int32(i)
			c.rcost[at] = c.cost[k]
		}
	}
}

// eval is the objective of the open sites.
func (c *core) eval(open []bool) float64 {
	total := c.offset
	for i := 0; i < c.n; i++ {
		total += c.best(i, open)
	}
	return total
}

// best is demand i's cost under the open sites.
func (c *core) best(i int, open []bool) float64 {
	for k := c.start[i]; k < c.start[i+1]; k++ {
		if open[c.site[k]] {
			return c.cost[k]
		}
	}
	return c.fb[i]
}

// better reports whether a bound or value v improves on the incumbent ub
// by more than rounding: by at least 1 when the data are integral.
func (c *core) better(v, ub float64) bool {
	if math.IsInf(ub, 1) {
		return true
	}
	if c.integral {
		return v <= ub-1+1e-7
	}
	return v < ub-tolerance(ub)
}

// tolerance is the rounding allowance of a bound against value ub: a
// relative 1e-9.
func tolerance(ub float64) float64 { return 1e-9 * math.Max(1, math.Abs(ub)) }

// prunes reports whether a lower bound lb shows that nothing below the
// incumbent ub can be found.
func (c *core) prunes(lb, ub float64) bool { return !c.better(lb, ub) }

// roundBound tightens a lower bound of integral data to a whole number.
func (c *core) roundBound(lb float64) float64 {
	if c.integral {
		return math.Ceil(lb - 1e-7)
	}
	return lb
}

// reduce returns the core of the branch that status describes: sites it
// forces open are folded into the fallbacks, closed sites are dropped,
// and demands left with no site become part of the offset. sites maps the
// new core's sites to c's, demands its demands to c's.
func (c *core) reduce(status []int8) (r *core, sites, demands []int32) {
	newOf := make([]int32, c.m)
	forced := 0
	for j, st := range status {
		newOf[j] = -1
		switch st {
		case 0:
			newOf[j] = int32(len(sites))
			sites = append(sites, int32(j))
		case 1:
			forced++
		}
	}
	r = &core{m: len(sites), p: c.p - forced, offset: c.offset, integral: c.integral}
	r.start = append(r.start, 0)
	for i := 0; i < c.n; i++ {
		f := c.fb[i]
		for k := c.start[i]; k < c.start[i+1]; k++ {
			if status[c.site[k]] == 1 {
				f = c.cost[k]
				break
			}
		}
		from := len(r.site)
		for k := c.start[i]; k < c.start[i+1] && c.cost[k] < f; k++ {
			if j := newOf[c.site[k]]; j >= 0 {
				r.site = append(r.site, j)
				r.cost = append(r.cost, c.cost[k])
			}
		}
		if len(r.site) == from {
			r.offset += f
			continue
		}
		r.fb = append(r.fb, f)
		r.start = append(r.start, int32(len(r.site)))
		demands = append(demands, int32(i))
	}
	r.n = len(r.fb)
	r.reverse()
	return r, sites, demands
}
