package service

import (
	"math"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
)

// bruteHours scans the week minute by minute: a minute counts when some
// active point within limit metres (geodesic, every pair) is open then.
// It also finds the nearest point open at `at` by trying every point.
func bruteHours(h *Hours, st *HoursState, from func(i int) [2]float64, n int, at data.WeekTime) (hours []float64, nearest []int) {
	hours, nearest = make([]float64, n), make([]int, n)
	for o := 0; o < n; o++ {
		var near []int
		best, bestD := -1, math.Inf(1)
		for i, p := range h.Points {
			if !st.Active[i] {
				continue
			}
			d := geo.Distance(from(o), p.Location)
			if d <= h.Limit {
				near = append(near, i)
			}
			if st.Hours[i].OpenAt(at) && d < bestD {
				best, bestD = i, d
			}
		}
		minutes := 0
		for day := 0; day < 7; day++ {
			for m := 0; m < 1440; m++ {
				for _, i := range near {
					if st.Hours[i].OpenAt(data.WeekTime{Day: day, Minute: m}) {
						minutes++
						break
					}
				}
			}
		}
		hours[o], nearest[o] = float64(minutes)/60, best
	}
	return hours, nearest
}

// TestHoursBruteForce checks the hours a week within the limit and the
// nearest point open at a given time against a minute-by-minute scan of
// the week, on the embedded study, today and after closing offices and
// downgrading one, with hours that overlap partly: a ward office open on
// Saturday mornings, post offices open 9:00–17:00, corners closing at noon.
func TestHoursBruteForce(t *testing.T) {
	s, m, gaps := kumamoto(t)
	sat := data.WeekHours{}
	for d := 0; d < 5; d++ {
		sat[d] = []data.Interval{{Open: 510, Close: 1035}}
	}
	sat[5] = []data.Interval{{Open: 540, Close: 720}}
	m.Counter.OfficeHours = map[string]data.WeekHours{"chuo": sat}
	m.Corner.Hours = data.WeekHours{}
	for d := 0; d < 5; d++ {
		m.Corner.Hours[d] = []data.Interval{{Open: 480, Close: 720}}
	}
	m.Post.GapDistrictsOnly = false // every post office
	w, err := s.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.Compare(catchment.Change{Close: []string{"chuo", "oe", "akitsu"}, Downgrade: []string{"tobu", "koda"}}, catchment.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		limit float64
		at    data.WeekTime
	}{{2000, data.WeekTime{Day: 5, Minute: 600}}, {800, data.WeekTime{Day: 2, Minute: 1000}}, {5000, data.WeekTime{Day: 0, Minute: 500}}} {
		h, err := HoursAccess(s, m, HoursOptions{Limit: tc.limit, At: tc.at, Comparison: &c, Gaps: gaps})
		if err != nil {
			t.Fatal(err)
		}
		pts := s.Points()
		for _, st := range []*HoursState{&h.Before, h.After} {
			hours, nearest := bruteHours(h, st, func(i int) [2]float64 { return pts[i] }, len(pts), tc.at)
			distinct := map[float64]bool{}
			for i, dh := range st.Districts {
				distinct[dh.HoursPerWeek] = true
				if math.Abs(dh.HoursPerWeek-hours[i]) > 1e-9 {
					t.Errorf("limit %g, %s, district %s: %g hours a week, brute force %g", tc.limit, st.Name, dh.District.ID, dh.HoursPerWeek, hours[i])
				}
				if dh.Nearest != nearest[i] {
					t.Errorf("limit %g, %s, district %s: nearest open at %v is %d, brute force %d", tc.limit, st.Name, dh.District.ID, tc.at, dh.Nearest, nearest[i])
				}
			}
			if tc.limit == 2000 && len(distinct) < 3 {
				t.Errorf("%s: only %d distinct hour values: the case exercises too little", st.Name, len(distinct))
			}
		}
	}
}

// TestHoursPlanFigures: a district with only a counter within reach gets
// the plan's 43.75 hours, one with a store 115.5, and on a Saturday the
// nearest open point is always a store.
func TestHoursPlanFigures(t *testing.T) {
	s, m, gaps := kumamoto(t)
	h, err := HoursAccess(s, m, HoursOptions{Limit: 2000, At: data.WeekTime{Day: 5, Minute: 600}, Gaps: gaps})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[float64]int{}
	for _, dh := range h.Before.Districts {
		seen[dh.HoursPerWeek]++
		switch {
		case dh.Within[ChannelStore] > 0 && dh.HoursPerWeek != 115.5:
			t.Errorf("%s has a store within 2 km but %g hours", dh.District.ID, dh.HoursPerWeek)
		case dh.Within[ChannelStore] == 0 && dh.Within[ChannelCounter] > 0 && dh.HoursPerWeek != 43.75:
			t.Errorf("%s has only counters (and posts) within 2 km but %g hours", dh.District.ID, dh.HoursPerWeek)
		}
		if dh.Nearest >= 0 && h.Points[dh.Nearest].Channel != ChannelStore {
			t.Errorf("%s: nearest open on Saturday is a %s", dh.District.ID, h.Points[dh.Nearest].Channel)
		}
	}
	if seen[115.5] == 0 || seen[43.75]+seen[40]+seen[0] == 0 {
		t.Errorf("hours seen: %v", seen)
	}
	if h.ChannelsHours[ChannelCounter] != 43.75 || h.ChannelsHours[ChannelStore] != 115.5 {
		t.Errorf("channel hours %v", h.ChannelsHours)
	}
}

func TestUnionHours(t *testing.T) {
	a, b, c := data.WeekHours{}, data.WeekHours{}, data.WeekHours{}
	a[0] = []data.Interval{{Open: 0, Close: 60}, {Open: 120, Close: 180}}
	b[0] = []data.Interval{{Open: 30, Close: 150}}
	c[0] = []data.Interval{{Open: 10, Close: 20}}
	c[6] = []data.Interval{{Open: 0, Close: 1440}}
	uniq := []data.WeekHours{a, b, c}
	for _, tc := range []struct {
		ids  []int
		want float64
	}{{nil, 0}, {[]int{0}, 2}, {[]int{1}, 2}, {[]int{0, 1}, 3}, {[]int{0, 2}, 2 + 24}, {[]int{0, 1, 2, 1}, 3 + 24}} {
		if got := unionHours(uniq, tc.ids); got != tc.want {
			t.Errorf("union %v = %g, want %g", tc.ids, got, tc.want)
		}
	}
}

func TestHoursOptionErrors(t *testing.T) {
	s, m, _ := kumamoto(t)
	for _, opt := range []HoursOptions{{Limit: 0}, {Limit: math.NaN()}, {Limit: math.Inf(1)}, {Limit: 10, At: data.WeekTime{Day: 7}}} {
		if _, err := HoursAccess(s, m, opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
}
