package locate

import (
	"fmt"
	"math"
	"slices"

	"github.com/kumamoto-gis/catchment/catchment"
)

// pair is one free site and its (unweighted) cost from a demand.
type pair struct {
	free int32
	cost float64
}

// denseMost is the number of demand–site pairs up to which a p-median
// keeps every site below each demand's fixed cost (a variable for tests).
var denseMost = 2_000_000

// nearLists collects, per demand point, the free sites whose cost is
// below limit[i] (at most limit[i] when inclusive), ascending by cost. With
// most > 0 a list keeps at most the `most` nearest; cut[i] is then the
// cost of the nearest site it left out (+Inf when it left none out). The
// metric is asked within a radius that grows, and only the demand points
// not yet settled are measured again.
func (in *instance) nearLists(limit []float64, inclusive bool, most int) (lists [][]pair, cut []float64, err error) {
	n := len(in.p.Demand)
	lists = make([][]pair, n)
	cut = make([]float64, n)
	for i := range cut {
		cut[i] = math.Inf(1)
	}
	within := func(c, lim float64) bool {
		if inclusive {
			return c <= lim
		}
		return c < lim
	}
	maxLimit := 0.0
	for _, l := range limit {
		maxLimit = math.Max(maxLimit, l)
	}
	radius := maxLimit
	if most > 0 {
		radius, err = in.firstRadius(most)
		if err != nil {
			return nil, nil, err
		}
		radius = math.Min(radius, maxLimit)
	}
	pending := make([]int, n)
	for i := range pending {
		pending[i] = i
	}
	costs := in.costs
	for round := 0; len(pending) > 0; round++ {
		if err := in.ctx.Err(); err != nil {
			return nil, nil, err
		}
		if round > 0 {
			places := make([]catchment.Place, len(pending))
			for k, i := range pending {
				places[k] = in.p.Demand[i]
			}
			if costs, err = in.p.Metric.Measure(places, in.p.Sites); err != nil {
				return nil, nil, fmt.Errorf("measure demand to sites: %w", err)
			}
		}
		r := radius
		err := costs.Within(r, func(o int, rc catchment.Reach) bool {
			i := pending[o]
			f := in.freeOf[rc.To]
			if f < 0 || !within(rc.Cost, limit[i]) {
				return true
			}
			lists[i] = append(lists[i], pair{int32(f), rc.Cost})
			if most > 0 && len(lists[i]) > 4*(most+1) {
				lists[i] = trimPairs(lists[i], most+1)
			}
			return true
		})
		if err != nil {
			return nil, nil, fmt.Errorf("costs within %g: %w", r, err)
		}
		var next []int
		for _, i := range pending {
			l := sortPairs(lists[i])
			settled := math.IsInf(r, 1) || r >= limit[i]
			if most > 0 && len(l) > most {
				cut[i] = l[most].cost
				l = l[:most]
				settled = true
			}
			lists[i] = l
			if !settled {
				lists[i] = lists[i][:0] // measured again, farther
				next = append(next, i)
			}
		}
		pending = next
		if radius >= maxLimit {
			break
		}
		radius *= 4
		if radius >= maxLimit || round >= 4 {
			radius = maxLimit
		}
	}
	return lists, cut, nil
}

// firstRadius guesses a radius within which most demand points have about
// `most` free sites: from the median cost to the nearest free site, as if
// sites were spread evenly on a plane.
func (in *instance) firstRadius(most int) (float64, error) {
	if len(in.free) == 0 {
		return 0, nil
	}
	freeMask := make([]bool, len(in.p.Sites))
	for _, j := range in.free {
		freeMask[j] = true
	}
	rs, err := in.costs.Nearest(nil, freeMask)
	if err != nil {
		return 0, fmt.Errorf("nearest free site: %w", err)
	}
	var d []float64
	for _, r := range rs {
		if r.Reached() {
			d = append(d, r.Cost)
		}
	}
	if len(d) == 0 {
		return math.Inf(1), nil
	}
	slices.Sort(d)
	med := d[len(d)/2]
	k := float64(most)
	if most <= 0 {
		k = 64
	}
	r := 1.5 * math.Sqrt(k+1) * med
	if r <= 0 {
		r = d[len(d)-1]
	}
	if r <= 0 {
		r = 1
	}
	return r, nil
}

func sortPairs(l []pair) []pair {
	slices.SortFunc(l, func(a, b pair) int {
		if a.cost != b.cost {
			if a.cost < b.cost {
				return -1
			}
			return 1
		}
		return int(a.free - b.free)
	})
	return l
}

// trimPairs keeps the k cheapest pairs.
func trimPairs(l []pair, k int) []pair {
	sortPairs(l)
	return l[:k]
}
