package service

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
)

// Channel names a way of getting a certificate.
type Channel string

// Channels.
const (
	ChannelCounter Channel = "counter" // full counter service at an office
	ChannelCorner  Channel = "corner"  // a service corner (証明書発行のみ)
	ChannelStore   Channel = "store"   // a convenience store
	ChannelPost    Channel = "post"    // a post office
)

// Point is a place that issues certificates, with its opening hours.
type Point struct {
	Channel Channel
	ID      string
	Name    string
	// Office is the office of a counter or corner (nil for a store or post
	// office).
	Office   *data.Office
	Location orb.Point
	Hours    data.WeekHours
}

// HoursOptions set the opening-hours accessibility.
type HoursOptions struct {
	// Metric measures from the districts' representative points to the
	// certificate points; nil is catchment.Geodesic.
	Metric catchment.Metric
	// Limit is the cost within which a point counts as available, in the
	// metric's quantity (metres, or seconds for a time metric).
	Limit float64
	// At is the moment of the week asked about: the nearest point open
	// then.
	At data.WeekTime
	// Comparison is the network after a change (WhatIf.Compare); the
	// result then has After. nil: today's network only.
	Comparison *catchment.Comparison
	// Gaps is the study's coverage (Study.Gaps): with the model's
	// gap_districts, only post offices in its gap districts issue
	// certificates.
	Gaps []catchment.GapRow
}

// Hours is the opening-hours accessibility of every district, today and
// after a change.
type Hours struct {
	Limit    float64
	Quantity catchment.Quantity
	Metric   string
	At       data.WeekTime
	// Points are every certificate point of either network: offices (the
	// study's, then a scenario's new ones), stores, post offices.
	Points        []Point
	Before        HoursState
	After         *HoursState
	ChannelsHours map[Channel]float64 // the channels' hours a week
	Notes         []string
}

// HoursState is the accessibility of one network.
type HoursState struct {
	// Name names the network ("today" or the change's name).
	Name string
	// Active marks the points of Hours.Points that issue certificates in
	// this network; Channels say how (an office downgraded is a corner)
	// and Hours are their hours here.
	Active    []bool
	Channels  []Channel
	Hours     []data.WeekHours
	Districts []DistrictHours
}

// DistrictHours is one district's access to certificates by the hour.
type DistrictHours struct {
	District   *data.District
	Index      int
	Population float64
	// HoursPerWeek are the hours of the week in which some point within
	// the limit is open (the union of their hours).
	HoursPerWeek float64
	// Within counts the points within the limit, per channel.
	Within map[Channel]int
	// Nearest is the nearest point open at Hours.At (index into
	// Hours.Points; -1 when none is reached), Cost its cost in the
	// metric's quantity and DistanceM its distance.
	Nearest         int
	Cost, DistanceM float64
}

// HoursAccess measures, for every district, the certificate hours a week
// within the limit and the nearest point open at opt.At, for today's
// network and, with opt.Comparison, after the change. Points are the
// offices with counters (service corners with the corner hours), the
// stores, and the post offices the model lets issue certificates.
func HoursAccess(s *catchment.Study, m *data.ServiceModel, opt HoursOptions) (*Hours, error) {
	if m == nil {
		return nil, fmt.Errorf("service hours: no model")
	}
	if !(opt.Limit > 0) || math.IsInf(opt.Limit, 0) {
		return nil, fmt.Errorf("service hours: limit %g: want a positive finite cost", opt.Limit)
	}
	if opt.At.Day < 0 || opt.At.Day > 6 || opt.At.Minute < 0 || opt.At.Minute >= 1440 {
		return nil, fmt.Errorf("service hours: %v is not a moment of the week", opt.At)
	}
	metric := opt.Metric
	if metric == nil {
		metric = catchment.Geodesic{}
	}
	h := &Hours{Limit: opt.Limit, Quantity: metric.Quantity(), Metric: metric.Name(), At: opt.At,
		ChannelsHours: map[Channel]float64{ChannelCounter: m.Counter.Hours.Hours(), ChannelCorner: m.Corner.Hours.Hours(),
			ChannelStore: m.Store.Hours.Hours(), ChannelPost: m.Post.Hours.Hours()}}
	offices := s.Offices()
	if c := opt.Comparison; c != nil {
		offices = c.Outcome.Offices
	}
	ds := s.Dataset()
	h.Points = make([]Point, 0, len(offices)+len(ds.Stores)+len(ds.Posts))
	for i := range offices {
		o := &offices[i]
		h.Points = append(h.Points, Point{Channel: ChannelCounter, ID: o.ID, Name: o.Name, Office: o, Location: o.Location, Hours: m.CounterHours(o.ID)})
	}
	for i, p := range ds.Stores {
		h.Points = append(h.Points, Point{Channel: ChannelStore, ID: pointID("store", i, p.ID), Name: p.Name, Location: p.Location, Hours: m.Store.Hours})
	}
	posts, note := postPoints(s.Districts(), ds.Posts, opt.Gaps, m.Post.GapDistrictsOnly)
	if note != "" {
		h.Notes = append(h.Notes, note)
	}
	for _, i := range posts {
		p := ds.Posts[i]
		h.Points = append(h.Points, Point{Channel: ChannelPost, ID: pointID("post", i, p.ID), Name: p.Name, Location: p.Location, Hours: m.Post.Hours})
	}
	// The networks: today's (the study's offices, all counters) and the
	// change's.
	nStudy := len(s.Offices())
	h.Before = HoursState{Name: "today", Active: make([]bool, len(h.Points)), Channels: make([]Channel, len(h.Points)), Hours: make([]data.WeekHours, len(h.Points))}
	for i, p := range h.Points {
		h.Before.Active[i] = p.Channel != ChannelCounter || i < nStudy
		h.Before.Channels[i], h.Before.Hours[i] = p.Channel, p.Hours
	}
	before := &h.Before
	states := []*HoursState{before}
	if c := opt.Comparison; c != nil {
		after := HoursState{Name: c.Outcome.Change.Name, Active: append([]bool(nil), before.Active...),
			Channels: append([]Channel(nil), before.Channels...), Hours: append([]data.WeekHours(nil), before.Hours...)}
		for i, st := range c.Outcome.Status {
			switch st {
			case catchment.StatusClosed:
				after.Active[i] = false
			case catchment.StatusCorner:
				after.Active[i] = true
				after.Channels[i], after.Hours[i] = ChannelCorner, m.Corner.Hours
			default:
				after.Active[i] = true
			}
		}
		states = append(states, &after)
		h.After = &after
	}
	origins := make([]catchment.Place, len(s.Districts()))
	for i, d := range s.Districts() {
		origins[i] = catchment.Place{ID: d.ID, Kind: "district", Label: fmt.Sprintf("district %s (%s)", d.Name, d.ID), Location: s.Points()[i]}
	}
	dests := make([]catchment.Place, len(h.Points))
	for i, p := range h.Points {
		dests[i] = catchment.Place{ID: p.ID, Kind: string(p.Channel), Label: fmt.Sprintf("%s %s (%s)", p.Channel, p.Name, p.ID), Location: p.Location}
	}
	costs, err := metric.Measure(origins, dests)
	if err != nil {
		return nil, fmt.Errorf("service hours: %w", err)
	}
	for _, w := range costs.Warnings() {
		h.Notes = append(h.Notes, w.String())
	}
	// One walk over the pairs within the limit for every network: per
	// district, the hours ids of the active points and a count per channel.
	type reached struct {
		ids    []int
		uniq   []data.WeekHours
		within []idSet // per district, the ids of the hours reached
		counts []map[Channel]int
	}
	rs := make([]reached, len(states))
	for k, st := range states {
		rs[k].ids, rs[k].uniq = scheduleIDs(st.Hours)
		rs[k].within, rs[k].counts = make([]idSet, len(origins)), make([]map[Channel]int, len(origins))
	}
	err = costs.Within(opt.Limit, func(o int, r catchment.Reach) bool {
		for k, st := range states {
			if !st.Active[r.To] {
				continue
			}
			rk := &rs[k]
			rk.within[o] = rk.within[o].add(rk.ids[r.To])
			if rk.counts[o] == nil {
				rk.counts[o] = map[Channel]int{}
			}
			rk.counts[o][st.Channels[r.To]]++
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("service hours: %w", err)
	}
	for k, st := range states {
		uniq, within, counts := rs[k].uniq, rs[k].within, rs[k].counts
		open := make([]bool, len(h.Points))
		for i := range open {
			open[i] = st.Active[i] && st.Hours[i].OpenAt(opt.At)
		}
		var nearest []catchment.Reach
		if anyTrue(open) {
			if nearest, err = costs.Nearest(nil, open); err != nil {
				return nil, fmt.Errorf("service hours: %w", err)
			}
		}
		cache := map[string]float64{}
		st.Districts = make([]DistrictHours, len(origins))
		for o := range origins {
			d := &s.Districts()[o]
			dh := DistrictHours{District: d, Index: o, Population: d.Pop(), Within: counts[o], Nearest: -1, Cost: math.Inf(1), DistanceM: math.NaN()}
			if dh.Within == nil {
				dh.Within = map[Channel]int{}
			}
			key := within[o].key()
			v, ok := cache[key]
			if !ok {
				v = unionHours(uniq, within[o].ids())
				cache[key] = v
			}
			dh.HoursPerWeek = v
			if nearest != nil && nearest[o].Reached() {
				dh.Nearest, dh.Cost, dh.DistanceM = nearest[o].To, nearest[o].Cost, nearest[o].DistanceM
			}
			st.Districts[o] = dh
		}
	}
	return h, nil
}

// Changed counts the districts (and their residents) whose hours a week
// within the limit or nearest open point differ after the change; 0 when
// there is no change.
func (h *Hours) Changed() (districts int, population float64) {
	if h.After == nil {
		return 0, 0
	}
	for i, b := range h.Before.Districts {
		a := h.After.Districts[i]
		if a.HoursPerWeek != b.HoursPerWeek || a.Nearest != b.Nearest {
			districts++
			population += b.Population
		}
	}
	return districts, population
}

func anyTrue(v []bool) bool {
	for _, b := range v {
		if b {
			return true
		}
	}
	return false
}

// pointID is a point's id, or kind-N when its layer gives none.
func pointID(kind string, i int, id string) string {
	if id != "" {
		return id
	}
	return fmt.Sprintf("%s-%d", kind, i+1)
}

// postPoints are the indexes of the post offices that issue certificates:
// every one, or (gapOnly) those inside a district with no convenience store.
func postPoints(districts []data.District, posts []data.ServicePoint, gaps []catchment.GapRow, gapOnly bool) ([]int, string) {
	var out []int
	if !gapOnly {
		for i := range posts {
			out = append(out, i)
		}
		return out, ""
	}
	if gaps == nil {
		if len(posts) > 0 {
			return nil, "no store layer to find the districts without a store: no post office issues certificates"
		}
		return nil, ""
	}
	var polys []orb.MultiPolygon
	for _, g := range gaps {
		if g.Gap {
			polys = append(polys, districts[g.Index].Geometry)
		}
	}
	ix := geo.NewPolygonIndex(polys)
	for i, p := range posts {
		if ix.Locate(p.Location) >= 0 {
			out = append(out, i)
		}
	}
	return out, ""
}

// scheduleIDs numbers the distinct hours of hs: ids[i] is the number of
// hs[i], uniq the distinct hours (a handful: each channel's and the
// offices' own).
func scheduleIDs(hs []data.WeekHours) (ids []int, uniq []data.WeekHours) {
	ids = make([]int, len(hs))
	for i, w := range hs {
		id := -1
		for k := len(uniq) - 1; k >= 0 && id < 0; k-- {
			if sameHours(uniq[k], w) {
				id = k
			}
		}
		if id < 0 {
			id = len(uniq)
			uniq = append(uniq, w)
		}
		ids[i] = id
	}
	return ids, uniq
}

// sameHours reports whether a and b open at the same times.
func sameHours(a, b data.WeekHours) bool {
	for d := range a {
		if len(a[d]) != len(b[d]) {
			return false
		}
		for k := range a[d] {
			if a[d][k] != b[d][k] {
				return false
			}
		}
	}
	return true
}

// idSet is a set of small non-negative ids as a bit set.
type idSet []uint64

// add returns the set with id in it.
func (s idSet) add(id int) idSet {
	for len(s) <= id/64 {
		s = append(s, 0)
	}
	s[id/64] |= 1 << (id % 64)
	return s
}

// ids lists the set's ids, ascending.
func (s idSet) ids() []int {
	var out []int
	for w, bits := range s {
		for b := 0; b < 64; b++ {
			if bits&(1<<b) != 0 {
				out = append(out, w*64+b)
			}
		}
	}
	return out
}

// key names the set (trailing empty words do not count).
func (s idSet) key() string {
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	var b strings.Builder
	for _, w := range s {
		b.WriteString(strconv.FormatUint(w, 16))
		b.WriteByte('.')
	}
	return b.String()
}

// unionHours is the hours a week in which some schedule of the set ids is
// open.
func unionHours(uniq []data.WeekHours, ids []int) float64 {
	var total int
	for d := 0; d < 7; d++ {
		var ivs []data.Interval
		for _, id := range ids {
			ivs = append(ivs, uniq[id][d]...)
		}
		sort.Slice(ivs, func(a, b int) bool { return ivs[a].Open < ivs[b].Open })
		end := -1
		for _, iv := range ivs {
			switch {
			case iv.Open >= end:
				total += iv.Close - iv.Open
				end = iv.Close
			case iv.Close > end:
				total += iv.Close - end
				end = iv.Close
			}
		}
	}
	return float64(total) / 60
}
