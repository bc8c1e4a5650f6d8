package network

import (
	"errors"
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// SourceResult is the outcome of one multi-source search: for every node,
// its nearest source and the cost of travelling from the node to it.
type SourceResult struct {
	// Metric is what Cost measures: Road (metres) or Time (seconds).
	Metric Metric
	// Source is, per node, the index in the sources slice of the nearest
	// source, or -1 when no source can be reached from the node.
	Source []int32
	// Cost is, per node, the cost to its nearest source (+Inf if none),
	// including the source's walk from the network.
	Cost []float64
	// Other is, per node, the other measure of the same route: seconds when
	// Metric is Road, metres when it is Time.
	Other []float64

	sources []Snap
	bySeg   map[int32][]int32 // segment → sources snapped on it
}

// other is the metric Other measures.
func (m Metric) other() Metric {
	if m == Time {
		return Road
	}
	return Time
}

// MultiSource runs one Dijkstra search from all sources at once over the
// reversed graph, giving every node the source nearest to travel to under m
// (Road or Time) and its cost. Each source joins the network where it is
// snapped, splitting its segment; sources whose snap is not OK are left out.
// Closing an office is a rerun with that office's snap left out or marked
// not OK.
func (g *Graph) MultiSource(sources []Snap, m Metric) SourceResult {
	if m != Time {
		m = Road
	}
	n := len(g.coords)
	r := SourceResult{
		Metric:  m,
		Source:  make([]int32, n),
		Cost:    make([]float64, n),
		Other:   make([]float64, n),
		sources: sources,
		bySeg:   map[int32][]int32{},
	}
	for i := range r.Cost {
		r.Cost[i] = inf
		r.Source[i] = -1
	}
	h := newHeap(n)
	om := m.other()
	seed := func(node int32, cost, other float64, src int32) {
		if cost < r.Cost[node] {
			r.Cost[node], r.Other[node], r.Source[node] = cost, other, src
			h.push(node, cost)
		}
	}
	for i, s := range sources {
		if !s.OK || s.Segment < 0 || int(s.Segment) >= len(g.segU) {
			continue
		}
		r.bySeg[s.Segment] = append(r.bySeg[s.Segment], int32(i))
		c0, o0 := snapCost(s.DistanceM, m), snapCost(s.DistanceM, om)
		if e := g.segFwd[s.Segment]; e >= 0 { // U travels f of U→V
			seed(g.segU[s.Segment], c0+s.Frac*g.costOf(e, m), o0+s.Frac*g.costOf(e, om), int32(i))
		}
		if e := g.segBack[s.Segment]; e >= 0 { // V travels 1-f of V→U
			seed(g.segV[s.Segment], c0+(1-s.Frac)*g.costOf(e, m), o0+(1-s.Frac)*g.costOf(e, om), int32(i))
		}
		// A source snapped onto a node is at that node whatever the
		// segment's direction.
		if s.Frac == 0 {
			seed(g.segU[s.Segment], c0, o0, int32(i))
		} else if s.Frac == 1 {
			seed(g.segV[s.Segment], c0, o0, int32(i))
		}
	}
	w, wo := g.lengthM, g.timeS
	if m == Time {
		w, wo = g.timeS, g.lengthM
	}
	for h.len() > 0 {
		u, cu := h.pop()
		for k := g.inStart[u]; k < g.inStart[u+1]; k++ {
			e := g.inEdge[k]
			t := g.inTail[k]
			if c := cu + w[e]; c < r.Cost[t] {
				r.Cost[t] = c
				r.Other[t] = r.Other[u] + wo[e]
				r.Source[t] = r.Source[u]
				h.push(t, c)
			}
		}
	}
	return r
}

// Reach is the best way from a snapped point to the nearest source of r:
// the source index (-1 if none can be reached), the cost under r.Metric and
// the other measure, both including the point's own walk to the network. A
// point on the same segment as a source may go straight to it.
func (g *Graph) Reach(r SourceResult, p Snap) (source int, cost, other float64) {
	source, cost, other = -1, inf, inf
	if !p.OK || p.Segment < 0 || int(p.Segment) >= len(g.segU) {
		return source, cost, other
	}
	m, om := r.Metric, r.Metric.other()
	s := p.Segment
	try := func(src int32, c, o float64) {
		if src >= 0 && (c < cost || (c == cost && int(src) < source)) {
			source, cost, other = int(src), c, o
		}
	}
	fwd, back := g.segFwd[s], g.segBack[s]
	if fwd >= 0 { // toward V
		v := g.segV[s]
		try(r.Source[v], (1-p.Frac)*g.costOf(fwd, m)+r.Cost[v], (1-p.Frac)*g.costOf(fwd, om)+r.Other[v])
	}
	if back >= 0 { // toward U
		u := g.segU[s]
		try(r.Source[u], p.Frac*g.costOf(back, m)+r.Cost[u], p.Frac*g.costOf(back, om)+r.Other[u])
	}
	if p.Frac == 0 { // on node U, whatever the segment's direction
		u := g.segU[s]
		try(r.Source[u], r.Cost[u], r.Other[u])
	} else if p.Frac == 1 {
		v := g.segV[s]
		try(r.Source[v], r.Cost[v], r.Other[v])
	}
	for _, i := range r.bySeg[s] {
		src := r.sources[i]
		c0, o0 := snapCost(src.DistanceM, m), snapCost(src.DistanceM, om)
		if src.Frac >= p.Frac && fwd >= 0 {
			d := src.Frac - p.Frac
			try(i, d*g.costOf(fwd, m)+c0, d*g.costOf(fwd, om)+o0)
		}
		if src.Frac <= p.Frac && back >= 0 {
			d := p.Frac - src.Frac
			try(i, d*g.costOf(back, m)+c0, d*g.costOf(back, om)+o0)
		}
	}
	if source >= 0 {
		cost += snapCost(p.DistanceM, m)
		other += snapCost(p.DistanceM, om)
	}
	return source, cost, other
}

// Route is a point's trip to its nearest open facility.
type Route struct {
	// Facility is the index of the nearest open facility, or -1 when the
	// point cannot be routed.
	Facility int
	// DistanceM is the route length in metres, including the walks between
	// the point, the facility and the network; NaN when not routed.
	DistanceM float64
	// TimeS is the travel time in seconds, the walks at WalkSpeedKmh; NaN
	// when not routed or when the metric is Geodesic.
	TimeS float64
	// GeodesicM is the straight-line distance to Facility; NaN when none.
	GeodesicM float64
	// SnapM is how far the point is from the network (NaN for Geodesic).
	SnapM float64
	// FacilitySnapM is how far the facility is from the network.
	FacilitySnapM float64
	// Note says why the point was not routed; empty when it was.
	Note string
}

// ErrNothingRoutable is returned when no open facility or no point lies
// within the network's coverage.
var ErrNothingRoutable = errors.New("network: nothing can be routed")

// NearestFacility gives every point its nearest open facility under metric m.
// open may be nil (all open). For Road and Time, points and facilities join
// the network by Snap; one farther than maxSnapM (<= 0: DefaultMaxSnapM) is
// outside coverage: a point keeps its row with Facility -1, NaN distances and
// a Note, and a facility is skipped as a target (its snap, returned with the
// others', is not OK). It fails only when nothing can be routed. For
// Geodesic the network is not used (g may be nil) and no snaps are returned.
func (g *Graph) NearestFacility(points, facilities []orb.Point, open []bool, m Metric, maxSnapM float64) ([]Route, []Snap, error) {
	if maxSnapM <= 0 {
		maxSnapM = DefaultMaxSnapM
	}
	if open != nil && len(open) != len(facilities) {
		return nil, nil, fmt.Errorf("network: %d open flags for %d facilities", len(open), len(facilities))
	}
	isOpen := func(i int) bool { return open == nil || open[i] }
	nan := math.NaN()
	routes := make([]Route, len(points))
	if m == Geodesic {
		any := false
		for i, p := range points {
			rt := Route{Facility: -1, DistanceM: nan, TimeS: nan, GeodesicM: nan, SnapM: nan, FacilitySnapM: nan}
			for j, f := range facilities {
				if !isOpen(j) {
					continue
				}
				if d := geo.Distance(p, f); rt.Facility < 0 || d < rt.GeodesicM {
					rt.Facility, rt.GeodesicM, rt.DistanceM = j, d, d
				}
			}
			if rt.Facility < 0 {
				rt.Note = "no open facility"
			} else {
				any = true
			}
			routes[i] = rt
		}
		if !any {
			return routes, nil, fmt.Errorf("%w: no open facility", ErrNothingRoutable)
		}
		return routes, nil, nil
	}
	if m != Road && m != Time {
		return nil, nil, fmt.Errorf("network: unknown metric %q", m)
	}
	fsnaps := make([]Snap, len(facilities))
	sources := make([]Snap, len(facilities))
	nOpen := 0
	for j, f := range facilities {
		s := g.Snap(f, maxSnapM)
		fsnaps[j] = s
		sources[j] = Snap{Segment: -1}
		if !isOpen(j) || !s.OK {
			continue
		}
		sources[j] = s
		nOpen++
	}
	if nOpen == 0 {
		return nil, fsnaps, fmt.Errorf("%w: no open facility within %.0f m of the road network", ErrNothingRoutable, maxSnapM)
	}
	res := g.MultiSource(sources, m)
	routed := 0
	for i, p := range points {
		s := g.Snap(p, maxSnapM)
		rt := Route{Facility: -1, DistanceM: nan, TimeS: nan, GeodesicM: nan, SnapM: s.DistanceM, FacilitySnapM: nan}
		switch {
		case !s.OK:
			rt.Note = fmt.Sprintf("outside network coverage: %.0f m from the nearest road (max %.0f m)", s.DistanceM, maxSnapM)
		default:
			src, c, o := g.Reach(res, s)
			if src < 0 {
				rt.Note = "no open facility reachable"
				break
			}
			routed++
			rt.Facility = src
			rt.FacilitySnapM = fsnaps[src].DistanceM
			rt.GeodesicM = geo.Distance(p, facilities[src])
			if m == Time {
				rt.TimeS, rt.DistanceM = c, o
			} else {
				rt.DistanceM, rt.TimeS = c, o
			}
		}
		routes[i] = rt
	}
	if routed == 0 && len(points) > 0 {
		return routes, fsnaps, fmt.Errorf("%w: none of %d points is within %.0f m of the road network and reaches an open facility", ErrNothingRoutable, len(points), maxSnapM)
	}
	return routes, fsnaps, nil
}

// minHeap is a binary min-heap of nodes keyed by cost, with decrease-key.
type minHeap struct {
	items []heapItem
	pos   []int32 // per node: index in items, or -1
}

type heapItem struct {
	key  float64
	node int32
}

func newHeap(n int) *minHeap {
	h := &minHeap{items: make([]heapItem, 0, 1024), pos: make([]int32, n)}
	for i := range h.pos {
		h.pos[i] = -1
	}
	return h
}

func (h *minHeap) len() int { return len(h.items) }

// push inserts node or lowers its key.
func (h *minHeap) push(node int32, key float64) {
	i := h.pos[node]
	if i < 0 {
		i = int32(len(h.items))
		h.items = append(h.items, heapItem{key, node})
	} else {
		h.items[i].key = key
	}
	h.up(i)
}

func (h *minHeap) pop() (int32, float64) {
	top := h.items[0]
	h.pos[top.node] = -1
	last := len(h.items) - 1
	if last > 0 {
		h.items[0] = h.items[last]
		h.items = h.items[:last]
		h.down(0)
	} else {
		h.items = h.items[:0]
	}
	return top.node, top.key
}

func (h *minHeap) up(i int32) {
	it := h.items[i]
	for i > 0 {
		p := (i - 1) / 2
		if h.items[p].key <= it.key {
			break
		}
		h.items[i] = h.items[p]
		h.pos[h.items[i].node] = i
		i = p
	}
	h.items[i] = it
	h.pos[it.node] = i
}

func (h *minHeap) down(i int32) {
	n := int32(len(h.items))
	it := h.items[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h.items[c+1].key < h.items[c].key {
			c++
		}
		if h.items[c].key >= it.key {
			break
		}
		h.items[i] = h.items[c]
		h.pos[h.items[i].node] = i
		i = c
	}
	h.items[i] = it
	h.pos[it.node] = i
}
