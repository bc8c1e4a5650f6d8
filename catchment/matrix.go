package catchment

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/kumamoto-gis/catchment/data"
)

// ErrUnreachable is returned (wrapped) when a metric can measure nothing:
// no origin reaches any destination.
var ErrUnreachable = errors.New("nothing can be reached")

// CostMatrix is a metric given as a table of costs between places keyed
// by their ids (see data.LoadCostMatrix): travel times from OSRM or
// Valhalla, or distances from another tool. Origins are districts (or
// offices, for the nearest office of another kind), destinations offices.
// A pair missing from the table is not reachable.
type CostMatrix struct {
	source string
	time   bool
	rows   map[string][]matrixEntry // origin id → its rows
}

type matrixEntry struct {
	dest       string
	cost, dist float64
}

// NewCostMatrix makes a metric of a cost table.
func NewCostMatrix(t *data.CostTable) *CostMatrix {
	m := &CostMatrix{source: t.Source, time: t.Time, rows: map[string][]matrixEntry{}}
	for _, r := range t.Rows {
		m.rows[r.Origin] = append(m.rows[r.Origin], matrixEntry{dest: r.Dest, cost: r.Cost, dist: r.DistanceM})
	}
	return m
}

// Name is "matrix".
func (m *CostMatrix) Name() string { return "matrix" }

// Quantity is Time for a table of travel times, else Distance.
func (m *CostMatrix) Quantity() Quantity {
	if m.time {
		return Time
	}
	return Distance
}

// Measure looks up the cost of every origin–destination pair by id.
func (m *CostMatrix) Measure(origins, destinations []Place) (Costs, error) {
	dest := make(map[string]int, len(destinations))
	for j, d := range destinations {
		if _, dup := dest[d.ID]; !dup {
			dest[d.ID] = j
		}
	}
	c := &matrixCosts{time: m.time, rows: make([][]matrixCost, len(origins))}
	used := make([]bool, len(destinations))
	var lost []string
	any := false
	for i, o := range origins {
		for _, e := range m.rows[o.ID] {
			j, ok := dest[e.dest]
			if !ok {
				continue
			}
			used[j] = true
			c.rows[i] = append(c.rows[i], matrixCost{dest: j, cost: e.cost, dist: e.dist})
		}
		if len(c.rows[i]) == 0 {
			lost = append(lost, placeName(o))
			continue
		}
		any = true
		slices.SortFunc(c.rows[i], func(a, b matrixCost) int {
			return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.dest, b.dest))
		})
	}
	file := filepath.Base(m.source)
	if !any && len(origins) > 0 && len(destinations) > 0 {
		return nil, fmt.Errorf("%w: the cost matrix %s has no cost from any of the %d origins (%s) to any of the %d destinations (%s); its ids must be those of the districts and offices",
			ErrUnreachable, file, len(origins), listIDs(placeIDs(origins)), len(destinations), listIDs(placeIDs(destinations)))
	}
	if len(lost) > 0 {
		c.warnings = append(c.warnings, data.Warning{File: m.source,
			Message: fmt.Sprintf("no cost to any of the %d destinations from %s: not reached", len(destinations), nameList(lost))})
	}
	var unused []string
	for j, u := range used {
		if !u {
			unused = append(unused, placeName(destinations[j]))
		}
	}
	if len(unused) > 0 && any {
		c.warnings = append(c.warnings, data.Warning{File: m.source,
			Message: fmt.Sprintf("no cost from any origin to %s: never chosen", nameList(unused))})
	}
	return c, nil
}

// matrixCosts are the rows of a cost matrix for fixed places, each
// origin's sorted by cost, then destination index.
type matrixCosts struct {
	time     bool
	rows     [][]matrixCost
	warnings []data.Warning
}

type matrixCost struct {
	dest       int
	cost, dist float64
}

func (c *matrixCosts) reach(e matrixCost) Reach {
	r := Reach{To: e.dest, Cost: e.cost, DistanceM: e.dist, TimeS: math.NaN()}
	if c.time {
		r.TimeS = e.cost
	}
	return r
}

func (c *matrixCosts) Nearest(which []int, open []bool) ([]Reach, error) {
	n := len(c.rows)
	if which != nil {
		n = len(which)
	}
	out := make([]Reach, n)
	for k := range out {
		i := k
		if which != nil {
			i = which[k]
		}
		out[k] = unreached("the cost matrix has no cost to an open office")
		for _, e := range c.rows[i] {
			if open == nil || open[e.dest] {
				out[k] = c.reach(e)
				break
			}
		}
	}
	return out, nil
}

func (c *matrixCosts) Within(limit float64, fn func(origin int, r Reach) bool) error {
	if math.IsNaN(limit) || limit < 0 {
		return fmt.Errorf("cost matrix: limit %g is not a cost ≥ 0", limit)
	}
	var buf []matrixCost
	for i, row := range c.rows {
		buf = buf[:0]
		for _, e := range row {
			if e.cost > limit {
				break // sorted by cost
			}
			buf = append(buf, e)
		}
		slices.SortFunc(buf, func(a, b matrixCost) int { return cmp.Compare(a.dest, b.dest) })
		for _, e := range buf {
			if !fn(i, c.reach(e)) {
				return nil
			}
		}
	}
	return nil
}

func (c *matrixCosts) Warnings() []data.Warning { return c.warnings }

// placeName names a place in a warning: its label, else its id.
func placeName(p Place) string {
	if p.Label != "" {
		return p.Label
	}
	return p.ID
}

func placeIDs(ps []Place) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

// nameList lists names in a warning: all of up to 12, else the first 12
// and how many more.
func nameList(names []string) string {
	const most = 12
	if len(names) <= most {
		return joinAnd(names)
	}
	return joinAnd(append(append([]string(nil), names[:most]...), fmt.Sprintf("%d more", len(names)-most)))
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " and " + s[len(s)-1]
}
