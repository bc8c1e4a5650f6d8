package catchment

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
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
// open, under the study's metric. It keeps, per office, the districts the
// office serves in the baseline (a reverse index), so that a change
// re-measures only the districts of the offices it closes or downgrades,
// plus, for the offices it opens, every district against the new offices
// alone. Any Metric works the same way. A WhatIf is safe for concurrent use.
type WhatIf struct {
	study     *Study
	districts []data.District
	offices   []data.Office
	points    []orb.Point
	ids       map[string]int
	metric    Metric
	costs     Costs   // districts → baseline offices
	places    []Place // districts as places, for new offices
	base      Assignment
	baseReach []Reach
	served    [][]int32 // office → its baseline districts, ascending
	timed     bool      // the metric gives travel times
}

// newWhatIf assigns every district of the study to its nearest office
// (the baseline) and indexes the result. Districts the metric cannot route
// keep no office and a Note, are counted in the totals and left out of
// every distance figure.
func newWhatIf(s *Study) (*WhatIf, error) {
	if len(s.offices) == 0 {
		return nil, fmt.Errorf("what-if: no offices")
	}
	w := &WhatIf{study: s, districts: s.districts, offices: s.offices, points: s.points, metric: s.metric,
		ids: officeIndex(s.offices), served: make([][]int32, len(s.offices))}
	base, err := s.Assign()
	if err != nil {
		return nil, fmt.Errorf("what-if baseline: %w", err)
	}
	if w.costs, err = s.baseCosts(); err != nil {
		return nil, fmt.Errorf("what-if baseline: %w", err)
	}
	w.base, w.baseReach = base, s.baseReach
	w.places = s.districtPlaces()
	for _, da := range w.base.Districts {
		if !math.IsNaN(da.TimeS) {
			w.timed = true
		}
		if da.OfficeIndex < 0 {
			continue
		}
		w.served[da.OfficeIndex] = append(w.served[da.OfficeIndex], int32(da.Index))
	}
	return w, nil
}

// Metric names the metric the what-if measures under.
func (w *WhatIf) Metric() string { return w.metric.Name() }

// Baseline is the assignment with every office open.
func (w *WhatIf) Baseline() Assignment { return w.base }

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
	// Warnings name the new offices the metric could not use (too far
	// from a road network, missing from a cost matrix); the baseline's are
	// among the study's warnings.
	Warnings []data.Warning
}

// Apply evaluates a change. Only the districts of closed or downgraded
// offices are re-measured, plus every district against the new offices.
// Errors: an unknown (UnknownOfficeError) or repeated id, a new office
// whose id is taken, or no office left with full counter service.
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
				return fmt.Errorf("what-if %s: %s: %w", ch.label(), what, &UnknownOfficeError{ID: id, Known: officeIDs(w.offices, ch.Open)})
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
	var fresh Costs
	if len(ch.Open) > 0 {
		c, err := w.metric.Measure(w.places, officePlaces(ch.Open))
		switch {
		case errors.Is(err, ErrUnreachable):
			// No new office can be reached: they serve no district.
			out.Warnings = append(out.Warnings, data.Warning{Message: fmt.Sprintf("what-if %s: the new offices serve no district: %v", ch.label(), err)})
		case err != nil:
			return Outcome{}, fmt.Errorf("what-if %s: new offices: %w", ch.label(), err)
		default:
			fresh = c
			for _, wn := range c.Warnings() {
				if w.study.warned(wn) {
					continue // about a district, known from the baseline
				}
				wn.Message = fmt.Sprintf("what-if %s: %s", ch.label(), wn.Message)
				out.Warnings = append(out.Warnings, wn)
			}
		}
	}
	var err error
	if out.Full, err = w.reassign(out, fresh, OfficeStatus.fullService); err != nil {
		return Outcome{}, fmt.Errorf("what-if %s: %w", ch.label(), err)
	}
	if out.Cert, err = w.reassign(out, fresh, OfficeStatus.certificates); err != nil {
		return Outcome{}, fmt.Errorf("what-if %s: %w", ch.label(), err)
	}
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
// that keep rejects to the nearest kept baseline office, then lets each
// kept new office (costs in fresh) take the districts nearer to it than to
// their office. Ties go to the baseline office, then to the lower index.
func (w *WhatIf) reassign(out Outcome, fresh Costs, keep func(OfficeStatus) bool) (Assignment, error) {
	n := len(w.offices)
	reach := append([]Reach(nil), w.baseReach...)
	open := make([]bool, n)
	anyBase := false
	var affected []int
	for i := range n {
		open[i] = keep(out.Status[i])
		anyBase = anyBase || open[i]
		if !open[i] {
			for _, d := range w.served[i] {
				affected = append(affected, int(d))
			}
		}
	}
	if len(affected) > 0 {
		if anyBase {
			rs, err := w.costs.Nearest(affected, open)
			if err != nil {
				return Assignment{}, err
			}
			for k, d := range affected {
				reach[d] = rs[k]
			}
		} else {
			for _, d := range affected {
				reach[d] = unreached("no open office")
			}
		}
	}
	if fresh != nil {
		openNew := make([]bool, len(out.Offices)-n)
		anyNew := false
		for j := range openNew {
			openNew[j] = keep(out.Status[n+j])
			anyNew = anyNew || openNew[j]
		}
		if anyNew {
			rs, err := fresh.Nearest(nil, openNew)
			if err != nil {
				return Assignment{}, err
			}
			for d, r := range rs {
				if r.Reached() && r.Cost < reach[d].Cost {
					r.To += n
					reach[d] = r
				}
			}
		}
	}
	a := assignmentOf(w.districts, out.Offices, w.points, reach, w.base.Metric)
	a.tally(w.districts, out.Offices, func(i int) bool { return keep(out.Status[i]) })
	return a, nil
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
// An office is nil (its index -1, its distance and time NaN) when the
// metric does not route the district to one (Note says why).
type DistrictChange struct {
	District *data.District
	Index    int // the district's index in the study
	// Before is the full-service office in the baseline, After the one
	// after the change, Cert the nearest office issuing certificates after
	// the change; all point into Outcome.Offices.
	Before, After, Cert                *data.Office
	BeforeIndex, AfterIndex, CertIndex int     // indexes into Outcome.Offices
	BeforeM, AfterM, CertM             float64 // distances to them, metres
	CertPoint                          *bool   // a store, post office or extra certificate point serves the district (nil: coverage not given)
	// BeforeS, AfterS and CertS are the travel times in seconds to the
	// same offices; NaN unless the metric has times.
	BeforeS, AfterS, CertS float64
	// Note says why the district is not routed, before or after.
	Note string
}

// Moved reports whether the district's full-service office changed.
func (d DistrictChange) Moved() bool { return d.BeforeIndex != d.AfterIndex }

// Routed reports whether the district reaches full counter service both
// before and after the change (always true under the geodesic metric).
func (d DistrictChange) Routed() bool { return d.BeforeIndex >= 0 && d.AfterIndex >= 0 }

// DeltaM is the change of distance to full counter service, metres (NaN
// when the district is not routed before or after).
func (d DistrictChange) DeltaM() float64 { return d.AfterM - d.BeforeM }

// DeltaS is the change of travel time to full counter service, seconds
// (NaN unless the metric has times and the district is routed).
func (d DistrictChange) DeltaS() float64 { return d.AfterS - d.BeforeS }

// CertMoved reports whether the district's certificate office changed.
func (d DistrictChange) CertMoved() bool { return d.BeforeIndex != d.CertIndex }

// OfficeChange is what one office serves before and after a change.
type OfficeChange struct {
	Office           *data.Office
	Index            int // index into Outcome.Offices
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
	// Metric names the metric distances are measured under, e.g.
	// "geodesic", "road" (route metres) or "time" (the fastest route;
	// distances are its length).
	Metric string
	// UnroutedBefore and UnroutedAfter count the districts the metric
	// could not route to full counter service (outside a road network's
	// coverage, missing from a cost matrix), with their population. They count in Districts and
	// Population but in no distance or time figure; the weighted means are
	// over the routed population.
	UnroutedBefore, UnroutedAfter                     int
	UnroutedPopulationBefore, UnroutedPopulationAfter float64
	// Travel times, when the metric has them (0 under geodesic):
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
			cover[g.Index] = g.Covered()
		}
	}
	at := func(i int) *data.Office {
		if i < 0 {
			return nil
		}
		return &out.Offices[i]
	}
	for i := range c.Districts {
		b, f, ct := w.base.Districts[i], out.Full.Districts[i], out.Cert.Districts[i]
		dc := DistrictChange{District: &w.districts[i], Index: i,
			Before: at(b.OfficeIndex), After: at(f.OfficeIndex), Cert: at(ct.OfficeIndex),
			BeforeIndex: b.OfficeIndex, AfterIndex: f.OfficeIndex, CertIndex: ct.OfficeIndex,
			BeforeM: b.DistanceM, AfterM: f.DistanceM, CertM: ct.DistanceM,
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
		o := OfficeChange{Office: &out.Offices[i], Index: i, Status: out.Status[i],
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
			if ds[d].AfterIndex < 0 {
				continue // not routed after: takes no load
			}
			takers[ds[d].AfterIndex] += w.districts[d].Pop()
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
				if ds[d].AfterIndex >= 0 {
					takers[ds[d].AfterIndex]++
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
	timed := w.timed
	limit := opt.MaxKm * 1000
	var deltas []float64
	var sumBefore, sumAfter, sumDelta, weighted, popBefore, popAfter float64
	var sumBeforeS, sumAfterS, weightedS, movedRoutedPop float64
	for _, d := range ds {
		pop := w.districts[d.Index].Pop()
		if d.BeforeIndex < 0 {
			s.UnroutedBefore++
			s.UnroutedPopulationBefore += pop
		} else {
			sumBefore += pop * d.BeforeM
			sumBeforeS += pop * d.BeforeS
			popBefore += pop
		}
		if d.AfterIndex < 0 {
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
			s.CounterUnknown = append(s.CounterUnknown, o.Office.ID)
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
	Office  *data.Office
	Index   int // the office's index in the study
	Summary Summary
	// TakenBy are the offices that take over its districts, most
	// population first, with the population each takes.
	TakenBy []Share
	// CounterShifted is its counter_count (nil: unknown).
	CounterShifted *float64
}

// Share is a part of a closed office's districts taken by another office.
type Share struct {
	Office     *data.Office
	Index      int // the office's index in the study
	Districts  int
	Population float64
}

// Each closes, one at a time, every office of the given kind ("" for all)
// and ranks them from least to most impact: by added person-km (population
// × added distance; person-hours when the metric gives times but no
// distances), then by population affected, then by id. Offices are closed
// on every core.
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
	// Comparisons only read w, and Costs are safe for concurrent use.
	if err := parallelFor(len(which), impact); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("what-if each: %w", &NoOfficeOfKindError{Kind: kind})
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a].Summary, out[b].Summary
		if kx, ky := x.impactKey(), y.impactKey(); kx != ky {
			return kx < ky
		}
		if x.MovedPopulation != y.MovedPopulation {
			return x.MovedPopulation < y.MovedPopulation
		}
		return out[a].Office.ID < out[b].Office.ID
	})
	return out, nil
}

// impactKey is what Each ranks by: added person-km, or added person-hours
// when the distances are unknown (a cost matrix of times only).
func (s Summary) impactKey() float64 {
	if math.IsNaN(s.AddedPersonKm) {
		return s.WeightedTimeChangeS * s.MovedPopulation / 3600
	}
	return s.AddedPersonKm
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
	im := Impact{Office: &w.offices[i], Index: i, Summary: c.Summary, CounterShifted: o.CounterCount}
	by := map[int]*Share{}
	for _, d := range w.served[i] {
		y := c.Districts[d].AfterIndex
		if y < 0 {
			continue // not routed after the closure
		}
		if by[y] == nil {
			by[y] = &Share{Office: &w.offices[y], Index: y}
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
		return x.Index < y.Index
	})
	return im, nil
}
