package catchment

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// Place is a point a metric measures from or to: a district's
// representative point, an office, a store.
type Place struct {
	// ID identifies the place, as in its layer; a cost matrix is keyed by it.
	ID string
	// Kind says what the place is, in the singular: "office", "district".
	Kind string
	// Label names the place in warnings, e.g. "office 大江出張所 (oe)".
	Label string
	// Location is the place's position, longitude/latitude on WGS84.
	Location orb.Point
}

// Quantity is what a metric's costs are.
type Quantity string

// Quantities.
const (
	// Distance costs are metres.
	Distance Quantity = "distance"
	// Time costs are seconds.
	Time Quantity = "time"
)

// Reach is how one origin reaches one destination under a metric.
type Reach struct {
	// To is the index of the destination; -1 when none is reached.
	To int
	// Cost is what the metric ranks by: Reach.DistanceM for a Distance
	// metric, Reach.TimeS for a Time metric; +Inf when not reached.
	Cost float64
	// DistanceM is the length of the way, metres; NaN when unknown.
	DistanceM float64
	// TimeS is the travel time, seconds; NaN when the metric has none.
	TimeS float64
	// Note says why the origin was not reached; empty when it was.
	Note string
}

// Reached reports whether a destination was reached.
func (r Reach) Reached() bool { return r.To >= 0 }

// unreached is the Reach of an origin that reaches nothing, for note.
func unreached(note string) Reach {
	return Reach{To: -1, Cost: math.Inf(1), DistanceM: math.NaN(), TimeS: math.NaN(), Note: note}
}

// Metric measures how far places are from one another: the straight line
// on the ellipsoid (Geodesic), a road network (package catchment/road), or
// a table of costs (CostMatrix). A Study uses one metric for every analysis.
type Metric interface {
	// Name names the metric in outputs, e.g. "geodesic", "road", "time".
	Name() string
	// Quantity is what the metric's costs are: Distance or Time.
	Quantity() Quantity
	// Measure prepares the costs from origins to destinations. It fails
	// when nothing can be measured; places it cannot use (too far from a
	// road, missing from a matrix) are left unreached with a warning.
	Measure(origins, destinations []Place) (Costs, error)
}

// Costs answers a metric's questions about fixed origins and destinations.
// Its methods may be called from several goroutines at once.
type Costs interface {
	// Nearest returns the nearest destination of every origin in which
	// (nil: every origin, in order), among the destinations open allows
	// (nil: all); one Reach per origin asked about. Ties go to the lower
	// destination index.
	Nearest(which []int, open []bool) ([]Reach, error)
	// Within calls fn, origin by origin in ascending order, for every
	// destination whose cost from the origin is at most limit (+Inf: every
	// reachable destination). fn returning false stops the walk.
	Within(limit float64, fn func(origin int, r Reach) bool) error
	// Warnings name the places the metric could not use.
	Warnings() []data.Warning
}

// Geodesic measures straight-line distances on the WGS84 ellipsoid
// (Karney's method: exact to a few nanometres).
type Geodesic struct{}

// Name is "geodesic".
func (Geodesic) Name() string { return "geodesic" }

// Quantity is Distance.
func (Geodesic) Quantity() Quantity { return Distance }

// Measure indexes the destinations.
func (Geodesic) Measure(origins, destinations []Place) (Costs, error) {
	c := &geodesicCosts{origins: make([]orb.Point, len(origins)), dests: make([]orb.Point, len(destinations))}
	for i, p := range origins {
		c.origins[i] = p.Location
	}
	for j, p := range destinations {
		c.dests[j] = p.Location
	}
	if len(destinations) > 0 {
		c.index = geo.NewPointIndex(c.dests)
	}
	return c, nil
}

// geodesicCosts are geodesic distances from origins to indexed destinations.
type geodesicCosts struct {
	origins, dests []orb.Point
	index          *geo.PointIndex // all destinations; nil when there are none
}

// gridMin is the number of origins from which Nearest builds a grid over
// the open destinations and splits the origins between cores.
const gridMin = 4096

func (c *geodesicCosts) Nearest(which []int, open []bool) ([]Reach, error) {
	if open != nil && len(open) != len(c.dests) {
		return nil, fmt.Errorf("geodesic: %d open flags for %d destinations", len(open), len(c.dests))
	}
	if open != nil && !slices.Contains(open, true) || len(c.dests) == 0 {
		return nil, fmt.Errorf("%w (%d destinations, none open)", ErrNoOpenOffice, len(c.dests))
	}
	n := len(c.origins)
	if which != nil {
		n = len(which)
	}
	origin := func(k int) orb.Point {
		if which != nil {
			return c.origins[which[k]]
		}
		return c.origins[k]
	}
	out := make([]Reach, n)
	found := func(j int, d float64) Reach {
		return Reach{To: j, Cost: d, DistanceM: d, TimeS: math.NaN()}
	}
	if n >= gridMin {
		// A grid over the open destinations gives the same exact answers
		// and tie rule as the point index, several times faster.
		idx, pts := openPoints(c.dests, open)
		if grid := geo.NewPointGrid(pts); grid != nil {
			chunks := 4 * runtime.GOMAXPROCS(0)
			size := (n + chunks - 1) / chunks
			_ = parallelFor(chunks, func(ch int) error {
				for k := ch * size; k < min((ch+1)*size, n); k++ {
					nb := grid.Nearest(origin(k))
					out[k] = found(idx[nb.Index], nb.Distance)
				}
				return nil
			})
			return out, nil
		}
	}
	if open == nil {
		for k := range out {
			nb := c.index.Nearest(origin(k))
			out[k] = found(nb.Index, nb.Distance)
		}
		return out, nil
	}
	isOpen := func(j int) bool { return open[j] }
	for k := range out {
		nb := c.index.NearestFunc(origin(k), isOpen)
		out[k] = found(nb.Index, nb.Distance)
	}
	return out, nil
}

func (c *geodesicCosts) Within(limit float64, fn func(origin int, r Reach) bool) error {
	if c.index == nil {
		return nil
	}
	if math.IsNaN(limit) || limit < 0 {
		return fmt.Errorf("geodesic: limit %g m is not a distance ≥ 0", limit)
	}
	if !math.IsInf(limit, 1) && len(c.dests) <= boxScanMost && len(c.dests) < len(c.origins) {
		return c.withinByDestination(limit, fn)
	}
	var buf []geo.Neighbor
	for i, p := range c.origins {
		buf = buf[:0]
		if math.IsInf(limit, 1) {
			for j, d := range c.dests {
				buf = append(buf, geo.Neighbor{Index: j, Distance: geo.Distance(p, d)})
			}
		} else {
			c.index.Within(p, limit, func(nb geo.Neighbor) bool {
				buf = append(buf, nb)
				return true
			})
		}
		sortNeighbors(buf)
		for _, nb := range buf {
			if !fn(i, Reach{To: nb.Index, Cost: nb.Distance, DistanceM: nb.Distance, TimeS: math.NaN()}) {
				return nil
			}
		}
	}
	return nil
}

// boxScanMost is the number of destinations up to which Within scans the
// origins around each destination rather than querying per origin: the
// what-if measures its new offices this way.
const boxScanMost = 32

// withinByDestination is Within for few destinations: every origin is
// checked against a box around each destination (four comparisons), and
// measured only inside it.
func (c *geodesicCosts) withinByDestination(limit float64, fn func(origin int, r Reach) bool) error {
	type pair struct {
		o, d int
		m    float64
	}
	var pairs []pair
	for j, q := range c.dests {
		lo, hi := geo.BoxAround(q, limit)
		for i, p := range c.origins {
			if p[1] < lo[1] || p[1] > hi[1] || !lonIn(p[0], lo[0], hi[0]) {
				continue
			}
			if m := geo.Distance(p, q); m <= limit {
				pairs = append(pairs, pair{i, j, m})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Or(cmp.Compare(a.o, b.o), cmp.Compare(a.d, b.d)) })
	for _, p := range pairs {
		if !fn(p.o, Reach{To: p.d, Cost: p.m, DistanceM: p.m, TimeS: math.NaN()}) {
			return nil
		}
	}
	return nil
}

// lonIn reports whether longitude x lies in [lo, hi], a range that may
// reach beyond ±180°.
func lonIn(x, lo, hi float64) bool {
	return (x >= lo && x <= hi) || (x+360 >= lo && x+360 <= hi) || (x-360 >= lo && x-360 <= hi)
}

func (c *geodesicCosts) Warnings() []data.Warning { return nil }

// sortNeighbors orders neighbours by destination index, so that Within
// walks every metric's pairs in the same order.
func sortNeighbors(nbs []geo.Neighbor) {
	slices.SortFunc(nbs, func(a, b geo.Neighbor) int { return cmp.Compare(a.Index, b.Index) })
}

// openPoints returns the indexes and positions of the points open (nil:
// all) allows.
func openPoints(pts []orb.Point, open []bool) (idx []int, out []orb.Point) {
	for i, p := range pts {
		if open == nil || open[i] {
			idx = append(idx, i)
			out = append(out, p)
		}
	}
	return idx, out
}
