// Package road measures along a road network (package network) for a
// catchment.Study: route metres or travel time from districts and offices
// snapped to the nearest road, and service areas (isochrones). Places
// farther from the network than the snapping limit are not routed and are
// named in warnings.
package road

import (
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/network"
)

// Metric measures along a road network.
type Metric struct {
	Graph *network.Graph
	// By is network.Road (route metres) or network.Time (travel seconds;
	// distances are then the length of the fastest route).
	By network.Metric
	// MaxSnapM is the farthest a place may lie from a road and still be
	// routed; 0 means network.DefaultMaxSnapM.
	MaxSnapM float64
	// Source names the network (its file) in warnings; may be empty.
	Source string
}

// Name is "road" or "time".
func (m Metric) Name() string { return string(m.By) }

// Quantity is catchment.Time for the time metric, else catchment.Distance.
func (m Metric) Quantity() catchment.Quantity {
	if m.By == network.Time {
		return catchment.Time
	}
	return catchment.Distance
}

// maxSnap is the snapping limit in metres.
func (m Metric) maxSnap() float64 {
	if m.MaxSnapM > 0 {
		return m.MaxSnapM
	}
	return network.DefaultMaxSnapM
}

// check says what is wrong with the metric's settings.
func (m Metric) check() error {
	if m.Graph == nil {
		return fmt.Errorf("the %s metric needs a road network", m.By)
	}
	if m.By != network.Road && m.By != network.Time {
		return fmt.Errorf("unknown road metric %q (want road or time)", m.By)
	}
	if math.IsNaN(m.MaxSnapM) || m.MaxSnapM < 0 || math.IsInf(m.MaxSnapM, 0) {
		return fmt.Errorf("snapping limit %g m is not a distance ≥ 0", m.MaxSnapM)
	}
	return nil
}

// mostNamed is how many places a warning names one by one; beyond it, one
// warning lists them.
const mostNamed = 12

// Measure snaps the origins and destinations to the network. It fails when
// no destination is within the snapping limit.
func (m Metric) Measure(origins, destinations []catchment.Place) (catchment.Costs, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	limit := m.maxSnap()
	c := &costs{m: m, limit: limit, origins: m.snap(origins), dests: m.snap(destinations)}
	onNetwork := 0
	var farDests []int
	for j, s := range c.dests {
		if s.OK {
			onNetwork++
		} else {
			farDests = append(farDests, j)
		}
	}
	var farOrigins []int
	for i, s := range c.origins {
		if !s.OK {
			farOrigins = append(farOrigins, i)
		}
	}
	if onNetwork == 0 && len(destinations) > 0 {
		return nil, fmt.Errorf("%w: none of the %d %s is within %.0f m of the road network (%s)",
			catchment.ErrUnreachable, len(destinations), plural(destinations), limit, farList(destinations, c.dests, farDests))
	}
	c.warnings = append(c.warnings, m.offNetwork(destinations, c.dests, farDests, "skipped as a destination")...)
	c.warnings = append(c.warnings, m.offNetwork(origins, c.origins, farOrigins, "not routed")...)
	return c, nil
}

// snap joins places to the network, on every core for many places.
func (m Metric) snap(ps []catchment.Place) []network.Snap {
	out := make([]network.Snap, len(ps))
	limit := m.maxSnap()
	for i, p := range ps {
		out[i] = m.Graph.Snap(p.Location, limit)
	}
	return out
}

// offNetwork words the warnings about places far from the network: one
// each for a few, one for all of many.
func (m Metric) offNetwork(ps []catchment.Place, snaps []network.Snap, far []int, what string) []data.Warning {
	limit := m.maxSnap()
	if len(far) <= mostNamed {
		var out []data.Warning
		for _, i := range far {
			out = append(out, data.Warning{File: m.Source, Feature: name(ps[i]),
				Message: fmt.Sprintf("%.0f m from the road network (limit %.0f m): outside its coverage, %s", snaps[i].DistanceM, limit, what)})
		}
		return out
	}
	return []data.Warning{{File: m.Source,
		Message: fmt.Sprintf("%d of %d %s are more than %.0f m from the road network: outside its coverage, %s: %s", len(far), len(ps), plural(ps), limit, what, farList(ps, snaps, far))}}
}

// plural names places of one kind in the plural ("offices"), else "places".
func plural(ps []catchment.Place) string {
	kind := ""
	for i, p := range ps {
		if i > 0 && p.Kind != kind {
			return "places"
		}
		kind = p.Kind
	}
	if kind == "" {
		return "places"
	}
	return kind + "s"
}

// farList names the places far from the network with their distances,
// the first mostNamed of them.
func farList(ps []catchment.Place, snaps []network.Snap, far []int) string {
	names := make([]string, 0, mostNamed+1)
	for _, i := range far[:min(len(far), mostNamed)] {
		names = append(names, fmt.Sprintf("%s %.0f m", name(ps[i]), snaps[i].DistanceM))
	}
	if len(far) > mostNamed {
		names = append(names, fmt.Sprintf("… (%d more)", len(far)-mostNamed))
	}
	return joinComma(names)
}

func name(p catchment.Place) string {
	if p.Label != "" {
		return p.Label
	}
	return p.ID
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// costs are the snapped places of one Measure.
type costs struct {
	m              Metric
	limit          float64
	origins, dests []network.Snap
	warnings       []data.Warning
}

func (c *costs) Warnings() []data.Warning { return c.warnings }

// sources are the destinations' snaps with the closed ones left out.
func (c *costs) sources(open []bool) ([]network.Snap, bool) {
	src := make([]network.Snap, len(c.dests))
	any := false
	for j, s := range c.dests {
		if (open == nil || open[j]) && s.OK {
			src[j] = s
			any = true
		} else {
			src[j] = network.Snap{Segment: -1}
		}
	}
	return src, any
}

// Nearest runs one multi-source search from the open destinations over the
// reversed network and reads every origin's nearest off it.
func (c *costs) Nearest(which []int, open []bool) ([]catchment.Reach, error) {
	if open != nil && len(open) != len(c.dests) {
		return nil, fmt.Errorf("road: %d open flags for %d destinations", len(open), len(c.dests))
	}
	n := len(c.origins)
	if which != nil {
		n = len(which)
	}
	out := make([]catchment.Reach, n)
	src, any := c.sources(open)
	var res network.SourceResult
	if any {
		res = c.m.Graph.MultiSource(src, c.m.By)
	}
	for k := range out {
		i := k
		if which != nil {
			i = which[k]
		}
		out[k] = c.reach(res, c.origins[i], any)
	}
	return out, nil
}

// reach reads one origin's way to its nearest source off a search.
func (c *costs) reach(res network.SourceResult, p network.Snap, any bool) catchment.Reach {
	r := catchment.Reach{To: -1, Cost: math.Inf(1), DistanceM: math.NaN(), TimeS: math.NaN()}
	switch {
	case !p.OK:
		r.Note = fmt.Sprintf("outside network coverage: %.0f m from the nearest road (max %.0f m)", p.DistanceM, c.limit)
	case !any:
		r.Note = "no open office within the road network's coverage"
	default:
		src, cost, other := c.m.Graph.Reach(res, p)
		if src < 0 {
			r.Note = "no open office reachable on the road network"
			break
		}
		r.To, r.Cost = src, cost
		if c.m.By == network.Time {
			r.TimeS, r.DistanceM = cost, other
		} else {
			r.DistanceM, r.TimeS = cost, other
		}
	}
	return r
}

// Within runs one search per destination and reports, origin by origin,
// the destinations reached within limit.
func (c *costs) Within(limit float64, fn func(origin int, r catchment.Reach) bool) error {
	if math.IsNaN(limit) || limit < 0 {
		return fmt.Errorf("road: limit %g is not a cost ≥ 0", limit)
	}
	per := make([][]catchment.Reach, len(c.origins))
	for j, s := range c.dests {
		if !s.OK {
			continue
		}
		src := []network.Snap{s}
		res := c.m.Graph.MultiSource(src, c.m.By)
		for i, p := range c.origins {
			r := c.reach(res, p, true)
			if r.Reached() && r.Cost <= limit {
				r.To = j
				per[i] = append(per[i], r)
			}
		}
	}
	for i, rs := range per {
		for _, r := range rs {
			if !fn(i, r) {
				return nil
			}
		}
	}
	return nil
}

// Areas draws the destinations' service areas (network.Graph.Isochrones)
// from one multi-source search.
func (m Metric) Areas(destinations []catchment.Place, opt catchment.AreaOptions) ([]catchment.Area, []int, error) {
	if err := m.check(); err != nil {
		return nil, nil, err
	}
	snaps := m.snap(destinations)
	var skipped []int
	for j, s := range snaps {
		if !s.OK {
			skipped = append(skipped, j)
		}
	}
	if len(skipped) == len(destinations) {
		return nil, skipped, fmt.Errorf("%w: none of the %d %s is within %.0f m of the road network", catchment.ErrUnreachable, len(destinations), plural(destinations), m.maxSnap())
	}
	res := m.Graph.MultiSource(snaps, m.By)
	bands, err := m.Graph.Isochrones(res, len(destinations), network.IsochroneOptions{Limits: opt.Limits, BufferM: opt.BufferM, CellM: opt.CellM})
	if err != nil {
		return nil, skipped, err
	}
	off := map[int]bool{}
	for _, j := range skipped {
		off[j] = true
	}
	var out []catchment.Area
	for _, b := range bands {
		if b.Facility >= 0 && off[b.Facility] {
			continue
		}
		out = append(out, catchment.Area{To: b.Facility, Limit: b.Limit, Geometry: b.Area})
	}
	return out, skipped, nil
}
