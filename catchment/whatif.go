package catchment

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/paulmach/orb"
)

// OfficeStatus is what an office does in a what-if scenario.
type OfficeStatus string

// Office statuses.
const (
	// StatusOpen is an office of the baseline that keeps full counter service.
	StatusOpen OfficeStatus = "open"
	// StatusCorner is a service corner (証明書発行のみ): certificates only.
	StatusCorner OfficeStatus = "corner"
	// StatusClosed is an office whose counter is closed.
	StatusClosed OfficeStatus = "closed"
	// StatusNew is an office the scenario opens, with full counter service.
	StatusNew OfficeStatus = "new"
)

// fullService reports whether an office of status s gives full counter service.
func (s OfficeStatus) fullService() bool { return s == StatusOpen || s == StatusNew }

// certificates reports whether an office of status s issues certificates.
func (s OfficeStatus) certificates() bool { return s != StatusClosed }

// WhatIf evaluates scenarios against a baseline in which every office is
// open. Under the geodesic metric it keeps, per office, the districts the
// office serves in the baseline (a reverse index), so that a scenario
// re-queries only the districts of the offices it closes or downgrades,
// plus, for each new office, the districts within reach of it. Under a road
// metric every scenario reruns one multi-source search from its open
// offices over the network (the districts' and offices' snaps are kept).
// A WhatIf is safe for concurrent use.
type WhatIf struct {
	districts []data.District
	offices   []data.Office
	points    []orb.Point
	ids       map[string]int
	officeIx  *geo.PointIndex // baseline offices
	base      Assignment
	served    [][]int32 // office → its baseline districts, ascending
	maxBaseM  float64   // largest baseline distance

	districtOnce sync.Once
	districtIx   *geo.PointIndex // district points, built on first use

	road *roadWhatIf // nil under the geodesic metric
}

// roadWhatIf is the state of a what-if under a road metric.
type roadWhatIf struct {
	m       Road
	points  []network.Snap // per district
	offices []network.Snap // per baseline office
}

// NewWhatIf assigns every district to its geodesically nearest office (the
// baseline) and indexes the result. points, when given, hold each
// district's representative point; nil computes them.
func NewWhatIf(districts []data.District, offices []data.Office, points []orb.Point) (*WhatIf, error) {
	w, _, err := NewWhatIfBy(districts, offices, points, Geodesic{})
	return w, err
}

// NewWhatIfBy is NewWhatIf under metric m: Geodesic (or nil), or a Road
// measure, under which the baseline and every scenario are routed on the
// network. Districts or offices farther from the network than the snapping
// limit are not routed; the warnings name them. A district that is not
// routed keeps Office -1 and a Note, is counted in the totals and left out
// of every distance figure.
func NewWhatIfBy(districts []data.District, offices []data.Office, points []orb.Point, m Measure) (*WhatIf, []string, error) {
	if len(offices) == 0 {
		return nil, nil, fmt.Errorf("what-if: no offices")
	}
	if points == nil {
		points = RepresentativePoints(districts)
	}
	if len(points) != len(districts) {
		return nil, nil, fmt.Errorf("what-if: %d points for %d districts", len(points), len(districts))
	}
	w := &WhatIf{districts: districts, offices: offices, points: points,
		ids: make(map[string]int, len(offices)), served: make([][]int32, len(offices))}
	for i, o := range offices {
		if _, dup := w.ids[o.ID]; dup {
			return nil, nil, fmt.Errorf("what-if: office id %q appears twice", o.ID)
		}
		w.ids[o.ID] = i
	}
	var warns []string
	switch r := m.(type) {
	case nil, Geodesic:
		base, err := Assign(districts, offices, points, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("what-if baseline: %w", err)
		}
		w.base = base
		locs := make([]orb.Point, len(offices))
		for i, o := range offices {
			locs[i] = o.Location
		}
		w.officeIx = geo.NewPointIndex(locs)
	case Road:
		if r.Graph == nil {
			return nil, nil, fmt.Errorf("what-if: the %s metric needs a road network", r.By)
		}
		if r.By != network.Road && r.By != network.Time {
			return nil, nil, fmt.Errorf("what-if: unknown road metric %q (want road or time)", r.By)
		}
		if r.MaxSnapM <= 0 {
			r.MaxSnapM = network.DefaultMaxSnapM
		}
		rw := &roadWhatIf{m: r, points: make([]network.Snap, len(points)), offices: make([]network.Snap, len(offices))}
		for i, p := range points {
			rw.points[i] = r.Graph.Snap(p, r.MaxSnapM)
			if !rw.points[i].OK {
				warns = append(warns, fmt.Sprintf("district %s (%s) is %.0f m from the road network (limit %.0f m): outside its coverage, not routed",
					districts[i].Name, districts[i].ID, rw.points[i].DistanceM, r.MaxSnapM))
			}
		}
		for i, o := range offices {
			rw.offices[i] = r.Graph.Snap(o.Location, r.MaxSnapM)
			if !rw.offices[i].OK {
				warns = append(warns, fmt.Sprintf("%s is %.0f m from the road network (limit %.0f m): outside its coverage, skipped as a destination",
					officeLabel(o), rw.offices[i].DistanceM, r.MaxSnapM))
			}
		}
		onNetwork := 0
		for _, s := range rw.offices {
			if s.OK {
				onNetwork++
			}
		}
		if onNetwork == 0 {
			return nil, warns, fmt.Errorf("what-if: %w: none of the %d offices is within %.0f m of the road network", network.ErrNothingRoutable, len(offices), r.MaxSnapM)
		}
		w.road = rw
		status := make([]OfficeStatus, len(offices))
		for i := range status {
			status[i] = StatusOpen
		}
		w.base = w.routeAll(offices, rw.offices, status, OfficeStatus.fullService)
	default:
		return nil, nil, fmt.Errorf("what-if: metric %q is not supported (want geodesic, road or time)", m.Metric())
	}
	for _, da := range w.base.Districts {
		if da.Office < 0 {
			continue
		}
		w.served[da.Office] = append(w.served[da.Office], int32(da.District))
		w.maxBaseM = max(w.maxBaseM, da.DistanceM)
	}
	return w, warns, nil
}

// Metric is how the what-if measures distances: "geodesic", "road" or "time".
func (w *WhatIf) Metric() string {
	if w.road != nil {
		return w.road.m.Metric()
	}
	return "geodesic"
}

// routeAll assigns every district to its nearest office whose status keep
// accepts, by one multi-source search on the road network from those
// offices (snaps holds one snap per office). Districts outside the
// network's coverage, or with no kept office on it, get Office -1 and a Note.
func (w *WhatIf) routeAll(offices []data.Office, snaps []network.Snap, status []OfficeStatus, keep func(OfficeStatus) bool) Assignment {
	r := w.road.m
	g := r.Graph
	sources := make([]network.Snap, len(offices))
	any := false
	for i := range offices {
		if keep(status[i]) && snaps[i].OK {
			sources[i] = snaps[i]
			any = true
		} else {
			sources[i] = network.Snap{Segment: -1}
		}
	}
	a := Assignment{Districts: make([]DistrictAssignment, len(w.districts)), Metric: r.Metric()}
	var res network.SourceResult
	if any {
		res = g.MultiSource(sources, r.By)
	}
	nan := math.NaN()
	for i, p := range w.road.points {
		da := DistrictAssignment{District: i, Office: -1, Point: w.points[i], DistanceM: nan, TimeS: nan}
		switch {
		case !p.OK:
			da.Note = fmt.Sprintf("outside network coverage: %.0f m from the nearest road (max %.0f m)", p.DistanceM, r.MaxSnapM)
		case !any:
			da.Note = "no open office within the road network's coverage"
		default:
			src, c, o := g.Reach(res, p)
			if src < 0 {
				da.Note = "no open office reachable on the road network"
				break
			}
			da.Office = src
			if r.By == network.Time {
				da.TimeS, da.DistanceM = c, o
			} else {
				da.DistanceM, da.TimeS = c, o
			}
		}
		a.Districts[i] = da
	}
	w.tally(&a, status, keep)
	return a
}

// tally fills an assignment's office loads, open office count, population
// and unreached count from its districts.
func (w *WhatIf) tally(a *Assignment, status []OfficeStatus, keep func(OfficeStatus) bool) {
	a.Offices = make([]OfficeLoad, len(status))
	a.OpenOffices, a.Population, a.Unreached = 0, 0, 0
	for i := range a.Offices {
		a.Offices[i] = OfficeLoad{Office: i, Open: keep(status[i])}
		if a.Offices[i].Open {
			a.OpenOffices++
		}
	}
	for i, da := range a.Districts {
		pop := w.districts[i].Pop()
		a.Population += pop
		if da.Office < 0 {
			a.Unreached++
			continue
		}
		a.Offices[da.Office].Districts++
		a.Offices[da.Office].Population += pop
	}
}

// Baseline is the assignment with every office open.
func (w *WhatIf) Baseline() Assignment { return w.base }

// Offices are the baseline offices.
func (w *WhatIf) Offices() []data.Office { return w.offices }

// Districts are the districts, in input order.
func (w *WhatIf) Districts() []data.District { return w.districts }

// Points are the districts' representative points, where distances are measured from.
func (w *WhatIf) Points() []orb.Point { return w.points }

// Served returns the indexes of the districts office i serves in the
// baseline, ascending. The slice must not be modified.
func (w *WhatIf) Served(i int) []int32 { return w.served[i] }

// Outcome is the state of every district under a Change.
type Outcome struct {
	Change Change
	// Offices are the baseline offices followed by the new ones; every
	// office index below refers to this slice.
	Offices []data.Office
	Status  []OfficeStatus // one per office
	// Full assigns every district to its nearest office with full counter
	// service (open or new). Its OpenOffices counts those offices.
	Full Assignment
	// Cert assigns every district to its nearest office that issues
	// certificates (any office not closed, service corners included).
	Cert Assignment
	// Warnings name the new offices a road metric could not route (too far
	// from the network); the baseline's warnings come from NewWhatIfBy.
	Warnings []string
}

// Apply evaluates a change. Only the districts of closed or downgraded
// offices are re-queried, plus those within reach of a new office. Errors:
// an unknown or repeated id, a new office whose id is taken, or no office
// left with full counter service.
func (w *WhatIf) Apply(ch Change) (Outcome, error) {
	n := len(w.offices)
	out := Outcome{Change: ch, Offices: w.offices}
	if len(ch.Open) > 0 {
		out.Offices = make([]data.Office, 0, n+len(ch.Open))
		out.Offices = append(out.Offices, w.offices...)
		out.Offices = append(out.Offices, ch.Open...)
	}
	index := func(id string) (int, bool) {
		if i, ok := w.ids[id]; ok {
			return i, true
		}
		for j, o := range ch.Open {
			if o.ID == id {
				return n + j, true
			}
		}
		return 0, false
	}
	out.Status = make([]OfficeStatus, len(out.Offices))
	for i := range out.Status {
		out.Status[i] = StatusOpen
		if i >= n {
			out.Status[i] = StatusNew
		}
	}
	for j, o := range ch.Open {
		if i, ok := index(o.ID); !ok || i != n+j {
			return Outcome{}, fmt.Errorf("what-if %s: new office id %q is already used", ch.label(), o.ID)
		}
	}
	set := func(what string, ids []string, s OfficeStatus) error {
		for _, id := range ids {
			i, ok := index(id)
			if !ok {
				return fmt.Errorf("what-if %s: %s: unknown office id %q (known ids: %s)", ch.label(), what, id, knownIDs(w.offices, ch.Open))
			}
			if out.Status[i] == StatusClosed || out.Status[i] == StatusCorner {
				return fmt.Errorf("what-if %s: %s: office %q is named twice", ch.label(), what, id)
			}
			out.Status[i] = s
		}
		return nil
	}
	if err := set("close", ch.Close, StatusClosed); err != nil {
		return Outcome{}, err
	}
	if err := set("downgrade", ch.Downgrade, StatusCorner); err != nil {
		return Outcome{}, err
	}
	full, certs := 0, 0
	for _, s := range out.Status {
		if s.fullService() {
			full++
		}
		if s.certificates() {
			certs++
		}
	}
	if certs == 0 {
		return Outcome{}, fmt.Errorf("what-if %s: closes every office (%d): at least one must stay open", ch.label(), len(out.Status))
	}
	if full == 0 {
		return Outcome{}, fmt.Errorf("what-if %s: no office with full counter service is left (every office is closed or a service corner)", ch.label())
	}
	if w.road != nil {
		snaps := w.road.offices
		if len(ch.Open) > 0 {
			r := w.road.m
			snaps = append(append(make([]network.Snap, 0, len(out.Offices)), w.road.offices...), make([]network.Snap, len(ch.Open))...)
			for j, o := range ch.Open {
				s := r.Graph.Snap(o.Location, r.MaxSnapM)
				snaps[n+j] = s
				if !s.OK {
					out.Warnings = append(out.Warnings, fmt.Sprintf("what-if %s: new %s is %.0f m from the road network (limit %.0f m): outside its coverage, serves no district",
						ch.label(), officeLabel(o), s.DistanceM, r.MaxSnapM))
				}
			}
		}
		out.Full = w.routeAll(out.Offices, snaps, out.Status, OfficeStatus.fullService)
		out.Cert = w.routeAll(out.Offices, snaps, out.Status, OfficeStatus.certificates)
		return out, nil
	}
	out.Full = w.reassign(out.Offices, out.Status, OfficeStatus.fullService)
	out.Cert = w.reassign(out.Offices, out.Status, OfficeStatus.certificates)
	return out, nil
}

// label names a change in errors.
func (ch Change) label() string {
	if ch.Name == "" {
		return "change"
	}
	return fmt.Sprintf("%q", ch.Name)
}

// reassign starts from the baseline and moves the districts of the offices
// that keep rejects to the nearest kept office, then lets each kept new
// office take the districts nearer to it than to their office. Ties go to
// the lower office index, as in Assign.
func (w *WhatIf) reassign(offices []data.Office, status []OfficeStatus, keep func(OfficeStatus) bool) Assignment {
	n := len(w.offices)
	a := Assignment{
		Districts: make([]DistrictAssignment, len(w.base.Districts)),
		Metric:    w.base.Metric,
	}
	copy(a.Districts, w.base.Districts)
	var fresh []int // kept new offices
	for i := n; i < len(offices); i++ {
		if keep(status[i]) {
			fresh = append(fresh, i)
		}
	}
	keepBase := func(i int) bool { return keep(status[i]) }
	maxM := w.maxBaseM
	anyBase := false
	for i := range n {
		if keep(status[i]) {
			anyBase = true
			break
		}
	}
	for oi := range n {
		if keep(status[oi]) {
			continue
		}
		for _, d := range w.served[oi] {
			p := w.points[d]
			best := geo.Neighbor{Index: -1, Distance: math.Inf(1)}
			if anyBase {
				best = w.officeIx.NearestFunc(p, keepBase)
			}
			for _, j := range fresh {
				if dist := geo.Distance(p, offices[j].Location); dist < best.Distance {
					best = geo.Neighbor{Index: j, Distance: dist}
				}
			}
			a.Districts[d].Office, a.Districts[d].DistanceM = best.Index, best.Distance
			maxM = max(maxM, best.Distance)
		}
	}
	if len(fresh) > 0 && len(w.districts) > 0 {
		w.districtOnce.Do(func() { w.districtIx = geo.NewPointIndex(w.points) })
		for _, j := range fresh {
			w.districtIx.Within(offices[j].Location, maxM, func(nb geo.Neighbor) bool {
				da := &a.Districts[nb.Index]
				if nb.Distance < da.DistanceM {
					da.Office, da.DistanceM = j, nb.Distance
				}
				return true
			})
		}
	}
	w.tally(&a, status, keep)
	return a
}

// CompareOptions are the settings of a comparison.
type CompareOptions struct {
	// MaxKm counts the districts farther than this from full counter
	// service; 0 counts none.
	MaxKm float64
	// CertificateShare is the fraction (0..1) of a service corner's
	// counter_count that stays with it (certificates); the rest is shifted.
	CertificateShare float64
	// Coverage, when given (one row per district, as from Gaps), tells
	// which districts have a convenience store or a post office that can
	// issue certificates.
	Coverage []GapRow
}

// CounterRule says how counter load is shifted, for outputs to quote.
const CounterRule = "A closed office's counter_count is shared out to the offices that take over its districts for full counter service, in proportion to the population each takes (by number of districts when the population is unknown; to the nearest office with full service when it served no district). A service corner keeps certificate_share of its counter_count and sheds the rest the same way. Offices whose counter_count is unknown shift nothing."

// DistrictChange is one district before (baseline) and after a change.
// Under a road metric an office index is -1 and its distance and time NaN
// when the district is not routed (Note says why).
type DistrictChange struct {
	District  int     // index into the districts
	Before    int     // full-service office in the baseline
	BeforeM   float64 // distance to it, metres
	After     int     // full-service office after the change
	AfterM    float64
	Cert      int     // nearest office issuing certificates after the change
	CertM     float64 // distance to it, metres
	CertPoint *bool   // a store or post office in the district (nil: coverage not given)
	// BeforeS, AfterS and CertS are the travel times in seconds to the
	// same offices; NaN unless the metric is road or time.
	BeforeS, AfterS, CertS float64
	// Note says why the district is not routed, before or after.
	Note string
}

// Moved reports whether the district's full-service office changed.
func (d DistrictChange) Moved() bool { return d.Before != d.After }

// Routed reports whether the district reaches full counter service both
// before and after the change (always true under the geodesic metric).
func (d DistrictChange) Routed() bool { return d.Before >= 0 && d.After >= 0 }

// DeltaM is the change of distance to full counter service, metres (NaN
// when the district is not routed before or after).
func (d DistrictChange) DeltaM() float64 { return d.AfterM - d.BeforeM }

// DeltaS is the change of travel time to full counter service, seconds
// (NaN unless the metric has times and the district is routed).
func (d DistrictChange) DeltaS() float64 { return d.AfterS - d.BeforeS }

// CertMoved reports whether the district's certificate office changed.
func (d DistrictChange) CertMoved() bool { return d.Before != d.Cert }

// OfficeChange is what one office serves before and after a change.
type OfficeChange struct {
	Office           int // index into Outcome.Offices
	Status           OfficeStatus
	DistrictsBefore  int
	PopulationBefore float64
	DistrictsAfter   int // districts it serves with full counter service
	PopulationAfter  float64
	// CertDistrictsAfter counts the districts for which it is the nearest
	// office issuing certificates.
	CertDistrictsAfter  int
	CertPopulationAfter float64
	// CounterBefore is the office's counter_count (nil: unknown; 0 for a
	// new office).
	CounterBefore *float64
	// CounterShiftedIn is the counter load it takes over (CounterRule).
	CounterShiftedIn float64
	// CounterShiftedOut is the counter load it sheds.
	CounterShiftedOut float64
	// CounterAfter = CounterBefore − out + in; nil when CounterBefore is unknown.
	CounterAfter *float64
}

// Summary is the key figures of a change.
type Summary struct {
	Districts  int
	Population float64
	// MovedDistricts and MovedPopulation count the districts whose
	// full-service office changes (the affected residents).
	MovedDistricts  int
	MovedPopulation float64
	// Distance change of the moved districts, metres: unweighted mean,
	// median, 90th percentile (nearest rank) and maximum, and the
	// population-weighted mean. 0 when nothing moves.
	MeanChangeM, MedianChangeM, P90ChangeM, MaxChangeM float64
	WeightedChangeM                                    float64
	// AddedPersonKm is Σ population × distance change over the moved
	// districts, in km: the extra travel of one visit by every resident.
	AddedPersonKm float64
	// Population-weighted mean distance to full counter service over every
	// district, metres.
	WeightedDistanceBeforeM, WeightedDistanceAfterM float64
	// Offices with full counter service, and residents per such office.
	FullOfficesBefore, FullOfficesAfter               int
	ResidentsPerOfficeBefore, ResidentsPerOfficeAfter float64
	// CertOfficesAfter counts the offices issuing certificates (open, new
	// and service corners).
	CertOfficesAfter int
	// MaxKm and the districts (and population) farther than it from full
	// counter service; NewlyBeyond counts those that were within it before.
	MaxKm                                         float64
	BeyondBefore, BeyondAfter                     int
	BeyondPopulationBefore, BeyondPopulationAfter float64
	NewlyBeyond                                   int
	// CertMovedDistricts and CertMovedPopulation count the districts whose
	// nearest office issuing certificates changes.
	CertMovedDistricts  int
	CertMovedPopulation float64
	// MovedCertKept counts the moved districts whose certificate office is
	// still their old office (it became a service corner).
	MovedCertKept int
	// CoverageKnown is true when store/post coverage was given; then
	// MovedWithCertPoint counts the moved districts that have a store or a
	// post office for certificates, and MovedPopulationWithCertPoint their
	// population.
	CoverageKnown                bool
	MovedWithCertPoint           int
	MovedPopulationWithCertPoint float64
	// CounterShifted is the counter load moved between offices (CounterRule).
	CounterShifted float64
	// CounterUnknown lists the closed or downgraded offices whose
	// counter_count is unknown, so whose load is not counted.
	CounterUnknown []string
	// Metric is how distances are measured: "geodesic", "road" (route
	// metres) or "time" (the fastest route; distances are its length).
	Metric string
	// UnroutedBefore and UnroutedAfter count the districts a road metric
	// could not route to full counter service (outside the network's
	// coverage), with their population. They count in Districts and
	// Population but in no distance or time figure; the weighted means are
	// over the routed population.
	UnroutedBefore, UnroutedAfter                     int
	UnroutedPopulationBefore, UnroutedPopulationAfter float64
	// Travel times under the road and time metrics (0 under geodesic):
	// population-weighted mean time to full counter service before and
	// after, and the population-weighted mean and the largest change of
	// time of the moved districts, seconds.
	WeightedTimeBeforeS, WeightedTimeAfterS float64
	WeightedTimeChangeS, MaxTimeChangeS     float64
}

// Comparison is a change compared with the baseline.
type Comparison struct {
	Outcome   Outcome
	Districts []DistrictChange // one per district, in input order
	Offices   []OfficeChange   // one per office of Outcome.Offices
	Summary   Summary
}

// Compare applies the change and compares it with the baseline.
func (w *WhatIf) Compare(ch Change, opt CompareOptions) (Comparison, error) {
	if opt.CertificateShare < 0 || opt.CertificateShare > 1 || math.IsNaN(opt.CertificateShare) {
		return Comparison{}, fmt.Errorf("what-if: certificate share %g is not between 0 and 1", opt.CertificateShare)
	}
	if opt.MaxKm < 0 || math.IsNaN(opt.MaxKm) {
		return Comparison{}, fmt.Errorf("what-if: negative distance threshold %g km", opt.MaxKm)
	}
	if opt.Coverage != nil && len(opt.Coverage) != len(w.districts) {
		return Comparison{}, fmt.Errorf("what-if: coverage has %d rows for %d districts", len(opt.Coverage), len(w.districts))
	}
	out, err := w.Apply(ch)
	if err != nil {
		return Comparison{}, err
	}
	c := Comparison{Outcome: out, Districts: make([]DistrictChange, len(w.districts))}
	var cover []bool
	if opt.Coverage != nil {
		cover = make([]bool, len(w.districts))
		for _, g := range opt.Coverage {
			cover[g.District] = g.Stores > 0 || g.Posts > 0
		}
	}
	for i := range c.Districts {
		b, f, ct := w.base.Districts[i], out.Full.Districts[i], out.Cert.Districts[i]
		dc := DistrictChange{District: i, Before: b.Office, BeforeM: b.DistanceM,
			After: f.Office, AfterM: f.DistanceM, Cert: ct.Office, CertM: ct.DistanceM,
			BeforeS: b.TimeS, AfterS: f.TimeS, CertS: ct.TimeS, Note: f.Note}
		if dc.Note == "" {
			dc.Note = b.Note
		}
		if cover != nil {
			dc.CertPoint = &cover[i]
		}
		c.Districts[i] = dc
	}
	c.Offices = w.officeChanges(out, opt.CertificateShare, c.Districts)
	c.Summary = w.summarise(out, c.Districts, c.Offices, opt)
	return c, nil
}

// officeChanges fills the per-office figures and shifts counter load by
// CounterRule.
func (w *WhatIf) officeChanges(out Outcome, share float64, ds []DistrictChange) []OfficeChange {
	n := len(w.offices)
	oc := make([]OfficeChange, len(out.Offices))
	for i := range oc {
		o := OfficeChange{Office: i, Status: out.Status[i],
			DistrictsAfter: out.Full.Offices[i].Districts, PopulationAfter: out.Full.Offices[i].Population,
			CertDistrictsAfter: out.Cert.Offices[i].Districts, CertPopulationAfter: out.Cert.Offices[i].Population}
		if i < n {
			o.DistrictsBefore, o.PopulationBefore = w.base.Offices[i].Districts, w.base.Offices[i].Population
			o.CounterBefore = out.Offices[i].CounterCount
		} else {
			zero := 0.0
			o.CounterBefore = &zero
		}
		oc[i] = o
	}
	for x := range n {
		s := out.Status[x]
		if s.fullService() || oc[x].CounterBefore == nil {
			continue
		}
		shed := *oc[x].CounterBefore
		if s == StatusCorner {
			shed *= 1 - share
		}
		if shed == 0 {
			continue
		}
		oc[x].CounterShiftedOut = shed
		takers := map[int]float64{}
		var total, count float64
		for _, d := range w.served[x] {
			if ds[d].After < 0 {
				continue // not routed after: takes no load
			}
			takers[ds[d].After] += w.districts[d].Pop()
			total += w.districts[d].Pop()
			count++
		}
		switch {
		case total > 0:
			for y, pop := range takers {
				oc[y].CounterShiftedIn += shed * pop / total
			}
		case count > 0:
			clear(takers)
			for _, d := range w.served[x] {
				if ds[d].After >= 0 {
					takers[ds[d].After]++
				}
			}
			for y, k := range takers {
				oc[y].CounterShiftedIn += shed * k / count
			}
		default:
			y := nearestFull(out, x)
			oc[y].CounterShiftedIn += shed
		}
	}
	for i := range oc {
		if oc[i].CounterBefore != nil {
			v := *oc[i].CounterBefore - oc[i].CounterShiftedOut + oc[i].CounterShiftedIn
			oc[i].CounterAfter = &v
		}
	}
	return oc
}

// nearestFull is the office with full counter service nearest to office x
// (brute force: used only for offices that serve no district).
func nearestFull(out Outcome, x int) int {
	best, bestD := -1, math.Inf(1)
	for i, o := range out.Offices {
		if i == x || !out.Status[i].fullService() {
			continue
		}
		if d := geo.Distance(out.Offices[x].Location, o.Location); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// summarise computes the key figures. Districts not routed before (or
// after) are left out of the before (after) distance figures and of the
// changes.
func (w *WhatIf) summarise(out Outcome, ds []DistrictChange, oc []OfficeChange, opt CompareOptions) Summary {
	s := Summary{Districts: len(ds), Population: w.base.Population, MaxKm: opt.MaxKm,
		FullOfficesBefore: len(w.offices), FullOfficesAfter: out.Full.OpenOffices,
		CertOfficesAfter: out.Cert.OpenOffices, CoverageKnown: opt.Coverage != nil, Metric: w.Metric()}
	if s.FullOfficesBefore > 0 {
		s.ResidentsPerOfficeBefore = s.Population / float64(s.FullOfficesBefore)
	}
	if s.FullOfficesAfter > 0 {
		s.ResidentsPerOfficeAfter = s.Population / float64(s.FullOfficesAfter)
	}
	timed := w.road != nil
	limit := opt.MaxKm * 1000
	var deltas []float64
	var sumBefore, sumAfter, sumDelta, weighted, popBefore, popAfter float64
	var sumBeforeS, sumAfterS, weightedS, movedRoutedPop float64
	for _, d := range ds {
		pop := w.districts[d.District].Pop()
		if d.Before < 0 {
			s.UnroutedBefore++
			s.UnroutedPopulationBefore += pop
		} else {
			sumBefore += pop * d.BeforeM
			sumBeforeS += pop * d.BeforeS
			popBefore += pop
		}
		if d.After < 0 {
			s.UnroutedAfter++
			s.UnroutedPopulationAfter += pop
		} else {
			sumAfter += pop * d.AfterM
			sumAfterS += pop * d.AfterS
			popAfter += pop
		}
		if limit > 0 && d.Routed() {
			if d.BeforeM > limit {
				s.BeyondBefore++
				s.BeyondPopulationBefore += pop
			}
			if d.AfterM > limit {
				s.BeyondAfter++
				s.BeyondPopulationAfter += pop
				if d.BeforeM <= limit {
					s.NewlyBeyond++
				}
			}
		}
		if d.CertMoved() {
			s.CertMovedDistricts++
			s.CertMovedPopulation += pop
		}
		if !d.Moved() {
			continue
		}
		s.MovedDistricts++
		s.MovedPopulation += pop
		if !d.CertMoved() {
			s.MovedCertKept++
		}
		if d.CertPoint != nil && *d.CertPoint {
			s.MovedWithCertPoint++
			s.MovedPopulationWithCertPoint += pop
		}
		if !d.Routed() {
			continue
		}
		deltas = append(deltas, d.DeltaM())
		sumDelta += d.DeltaM()
		weighted += pop * d.DeltaM()
		movedRoutedPop += pop
		if timed {
			weightedS += pop * d.DeltaS()
			if len(deltas) == 1 || d.DeltaS() > s.MaxTimeChangeS {
				s.MaxTimeChangeS = d.DeltaS()
			}
		}
	}
	if popBefore > 0 {
		s.WeightedDistanceBeforeM = sumBefore / popBefore
	}
	if popAfter > 0 {
		s.WeightedDistanceAfterM = sumAfter / popAfter
	}
	if timed {
		if popBefore > 0 {
			s.WeightedTimeBeforeS = sumBeforeS / popBefore
		}
		if popAfter > 0 {
			s.WeightedTimeAfterS = sumAfterS / popAfter
		}
		if movedRoutedPop > 0 {
			s.WeightedTimeChangeS = weightedS / movedRoutedPop
		}
	}
	if len(deltas) > 0 {
		sort.Float64s(deltas)
		s.MeanChangeM = sumDelta / float64(len(deltas))
		s.MedianChangeM = median(deltas)
		s.P90ChangeM = percentile(deltas, 90)
		s.MaxChangeM = deltas[len(deltas)-1]
		if movedRoutedPop > 0 {
			s.WeightedChangeM = weighted / movedRoutedPop
		}
		s.AddedPersonKm = weighted / 1000
	}
	for _, o := range oc {
		s.CounterShifted += o.CounterShiftedOut
		if !o.Status.fullService() && o.CounterBefore == nil {
			s.CounterUnknown = append(s.CounterUnknown, out.Offices[o.Office].ID)
		}
	}
	return s
}

// median is the middle of sorted values (the mean of the two middle ones
// for an even count); 0 for none.
func median(sorted []float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	default:
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
}

// percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of sorted
// values: the smallest value with at least p % of the values at or below
// it; 0 for none.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(p / 100 * float64(len(sorted))))
	k = min(max(k, 1), len(sorted))
	return sorted[k-1]
}

// Impact is the effect of closing one office alone.
type Impact struct {
	Office  int // index into the offices
	Summary Summary
	// TakenBy are the offices that take over its districts, most
	// population first, with the population each takes.
	TakenBy []Share
	// CounterShifted is its counter_count (nil: unknown).
	CounterShifted *float64
}

// Share is a part of a closed office's districts taken by another office.
type Share struct {
	Office     int
	Districts  int
	Population float64
}

// Each closes, one at a time, every office of the given kind ("" for all)
// and ranks them from least to most impact: by added person-km (population
// × added distance), then by population affected, then by id.
func (w *WhatIf) Each(kind data.OfficeKind, opt CompareOptions) ([]Impact, error) {
	var which []int
	for i, o := range w.offices {
		if kind == "" || o.Kind == kind {
			which = append(which, i)
		}
	}
	out := make([]Impact, len(which))
	impact := func(k int) error {
		im, err := w.closeAlone(which[k], opt)
		out[k] = im
		return err
	}
	if w.road == nil {
		// Comparisons only read w, so offices are closed on every core.
		if err := parallelFor(len(which), impact); err != nil {
			return nil, err
		}
	} else {
		// The road network builds its snapping index lazily: one at a time.
		for k := range which {
			if err := impact(k); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("what-if each: no office of kind %q", kind)
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a].Summary, out[b].Summary
		if x.AddedPersonKm != y.AddedPersonKm {
			return x.AddedPersonKm < y.AddedPersonKm
		}
		if x.MovedPopulation != y.MovedPopulation {
			return x.MovedPopulation < y.MovedPopulation
		}
		return w.offices[out[a].Office].ID < w.offices[out[b].Office].ID
	})
	return out, nil
}

// StageComparison is one stage of a scenario compared with the baseline.
type StageComparison struct {
	Stage int // 1-based
	Comparison
}

// Run applies the scenario's stages in order and compares each, cumulative,
// with the baseline. Nothing is returned unless every stage is valid.
func (w *WhatIf) Run(s Scenario, opt CompareOptions) ([]StageComparison, error) {
	changes, err := s.Changes(w.offices)
	if err != nil {
		return nil, err
	}
	out := make([]StageComparison, 0, len(changes))
	for i, ch := range changes {
		c, err := w.Compare(ch, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", s.Source, stageLabel(i, s.Stages[i].Name), err)
		}
		out = append(out, StageComparison{Stage: i + 1, Comparison: c})
	}
	return out, nil
}

// ParseIDList splits a comma-separated list of office ids ("oe,akitsu"),
// trimming spaces; an empty item is an error.
func ParseIDList(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var ids []string
	for i, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("item %d of %q is empty", i+1, s)
		}
		ids = append(ids, f)
	}
	return ids, nil
}

// closeAlone is the impact of closing office i alone.
func (w *WhatIf) closeAlone(i int, opt CompareOptions) (Impact, error) {
	o := w.offices[i]
	c, err := w.Compare(Change{Name: "close " + o.ID, Close: []string{o.ID}}, opt)
	if err != nil {
		return Impact{}, err
	}
	im := Impact{Office: i, Summary: c.Summary, CounterShifted: o.CounterCount}
	by := map[int]*Share{}
	for _, d := range w.served[i] {
		y := c.Districts[d].After
		if y < 0 {
			continue // not routed after the closure
		}
		if by[y] == nil {
			by[y] = &Share{Office: y}
		}
		by[y].Districts++
		by[y].Population += w.districts[d].Pop()
	}
	for _, sh := range by {
		im.TakenBy = append(im.TakenBy, *sh)
	}
	sort.Slice(im.TakenBy, func(a, b int) bool {
		x, y := im.TakenBy[a], im.TakenBy[b]
		if x.Population != y.Population {
			return x.Population > y.Population
		}
		if x.Districts != y.Districts {
			return x.Districts > y.Districts
		}
		return x.Office < y.Office
	})
	return im, nil
}
