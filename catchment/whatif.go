package catchment

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

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
// plus, for the offices it opens, the districts within reach of them. Any
// Metric works the same way. A WhatIf is safe for concurrent use.
type WhatIf struct {
	study     *Study
	districts []data.District
	offices   []data.Office
	points    []orb.Point
	pop       []float64 // per district
	ids       map[string]int
	metric    Metric
	costs     Costs   // districts → baseline offices
	places    []Place // districts as places, for new offices
	base      Assignment
	baseState state
	served    [][]int32 // office → its baseline districts, ascending
	timed     bool      // the metric gives travel times
	// spare holds the arrays of private states that Each has finished
	// with (*state), so that a thousand closures do not each allocate
	// copies of the baseline.
	spare *sync.Pool
	// spareChanges holds *[]OfficeChange for Each's closures likewise.
	spareChanges *sync.Pool

	// reach is built on the first scenario that opens an office: an index
	// of the districts' points, and the farthest any baseline office lies
	// from its nearest district.
	reachOnce  sync.Once
	reachIndex *geo.PointIndex
	reachM     float64
}

// farOfficeM is how much farther than any baseline office a new office may
// lie from its nearest district before it is said to be outside the study
// area; farOfficeMinM is the least distance that is.
const (
	farOfficeM    = 5000
	farOfficeMinM = 10000
)

// farOffices warns of the change's new offices that lie far outside the
// study area: farther from every district than any baseline office is, by
// farOfficeM, and at least farOfficeMinM from the nearest district. Such an
// office is most often a typing slip or swapped coordinates.
func (w *WhatIf) farOffices(ch Change) []data.Warning {
	if len(ch.Open) == 0 || len(w.points) == 0 {
		return nil
	}
	w.reachOnce.Do(func() {
		w.reachIndex = geo.NewPointIndex(w.points)
		for _, o := range w.offices {
			w.reachM = max(w.reachM, w.reachIndex.Nearest(o.Location).Distance)
		}
	})
	limit := max(w.reachM+farOfficeM, farOfficeMinM)
	var out []data.Warning
	for _, o := range ch.Open {
		nb := w.reachIndex.Nearest(o.Location)
		if nb.Distance <= limit {
			continue
		}
		out = append(out, data.Warning{Feature: fmt.Sprintf("new office %s", o.ID), Field: "lat, lon",
			Message: fmt.Sprintf("what-if %s: the new office at lat %.5f, lon %.5f lies %.1f km from the nearest district (%s), far outside the study area (every existing office lies within %.1f km of a district); check its coordinates — latitude and longitude swapped?",
				ch.label(), o.Location.Lat(), o.Location.Lon(), nb.Distance/1000, w.districts[nb.Index].Name, w.reachM/1000)})
	}
	return out
}

// state is one assignment of the what-if in compact form, free of
// pointers so that scenarios (thousands of them for Each) cost the garbage
// collector little: per district its office (-1: none) and the metric's
// cost, distance and time; notes of the districts not reached.
type state struct {
	office           []int32
	cost, dist, time []float64
	note             map[int32]string
	// own is true when the arrays belong to this state alone; ownNotes
	// when the notes do.
	own, ownNotes bool
}

// private returns a copy of st that may be written.
func (st state) private() state {
	if st.own {
		return st
	}
	return state{office: slices.Clone(st.office), cost: slices.Clone(st.cost),
		dist: slices.Clone(st.dist), time: slices.Clone(st.time), note: st.note, own: true}
}

// privateBase returns a copy of the baseline state that may be written,
// in spare arrays when there are some.
func (w *WhatIf) privateBase() state {
	sp, ok := w.spare.Get().(*state)
	if !ok {
		return w.baseState.private()
	}
	b := w.baseState
	copy(sp.office, b.office)
	copy(sp.cost, b.cost)
	copy(sp.dist, b.dist)
	copy(sp.time, b.time)
	return state{office: sp.office, cost: sp.cost, dist: sp.dist, time: sp.time, note: b.note, own: true}
}

// recycle hands the arrays of st, which nothing refers to any longer, to
// privateBase. The baseline's shared arrays are never recycled.
func (w *WhatIf) recycle(st state) {
	if st.own && len(st.office) == len(w.baseState.office) {
		w.spare.Put(&state{office: st.office, cost: st.cost, dist: st.dist, time: st.time})
	}
}

// set records that district d reaches r (r.To an index into the outcome's
// offices). st must be private.
func (st *state) set(d int, r Reach) {
	st.office[d], st.cost[d], st.dist[d], st.time[d] = int32(r.To), r.Cost, r.DistanceM, r.TimeS
	if r.Note == st.note[int32(d)] {
		return
	}
	if !st.ownNotes {
		st.note, st.ownNotes = maps.Clone(st.note), true
		if st.note == nil {
			st.note = map[int32]string{}
		}
	}
	if r.Note == "" {
		delete(st.note, int32(d))
	} else {
		st.note[int32(d)] = r.Note
	}
}

// stateOf is the compact form of reaches, one per district.
func stateOf(reach []Reach) state {
	n := len(reach)
	st := state{office: make([]int32, n), cost: make([]float64, n), dist: make([]float64, n), time: make([]float64, n), own: true}
	for d, r := range reach {
		st.set(d, r)
	}
	st.own = false // shared by every outcome from now on
	st.ownNotes = false
	return st
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
		ids: officeIndex(s.offices), served: make([][]int32, len(s.offices)), pop: make([]float64, len(s.districts)), spare: &sync.Pool{}, spareChanges: &sync.Pool{}}
	base, err := s.Assign()
	if err != nil {
		return nil, fmt.Errorf("what-if baseline: %w", err)
	}
	if w.costs, err = s.baseCosts(); err != nil {
		return nil, fmt.Errorf("what-if baseline: %w", err)
	}
	w.base, w.baseState = base, stateOf(s.baseReach)
	w.places = s.districtPlaces()
	for i, d := range w.districts {
		w.pop[i] = d.Pop()
	}
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

// outcome is a change worked out in compact form.
type outcome struct {
	change     Change
	offices    []data.Office
	status     []OfficeStatus
	full, cert state
	warnings   []data.Warning
}

// Apply evaluates a change. Only the districts of closed or downgraded
// offices are re-measured, plus those within reach of the new offices.
// Errors: an unknown (UnknownOfficeError) or repeated id, a new office
// whose id is taken, or no office left with full counter service.
func (w *WhatIf) Apply(ch Change) (Outcome, error) {
	o, err := w.apply(ch)
	if err != nil {
		return Outcome{}, err
	}
	return w.publish(o), nil
}

// publish turns a compact outcome into an Outcome.
func (w *WhatIf) publish(o outcome) Outcome {
	return Outcome{Change: o.change, Offices: o.offices, Status: o.status, Warnings: o.warnings,
		Full: w.assignment(o, o.full, OfficeStatus.fullService),
		Cert: w.assignment(o, o.cert, OfficeStatus.certificates)}
}

// assignment is the Assignment of a compact state.
func (w *WhatIf) assignment(o outcome, st state, keep func(OfficeStatus) bool) Assignment {
	a := Assignment{Districts: make([]DistrictAssignment, len(w.districts)), Metric: w.base.Metric}
	for i := range a.Districts {
		k := int(st.office[i])
		da := DistrictAssignment{District: &w.districts[i], Index: i, OfficeIndex: k, Point: w.points[i],
			DistanceM: st.dist[i], TimeS: st.time[i], Note: st.note[int32(i)]}
		if k >= 0 {
			da.Office = &o.offices[k]
		}
		a.Districts[i] = da
	}
	a.tally(w.districts, o.offices, func(i int) bool { return keep(o.status[i]) })
	return a
}

// apply resolves a change into statuses and works out both assignments.
func (w *WhatIf) apply(ch Change) (outcome, error) {
	n := len(w.offices)
	out := outcome{change: ch, offices: w.offices}
	if len(ch.Open) > 0 {
		out.offices = make([]data.Office, 0, n+len(ch.Open))
		out.offices = append(out.offices, w.offices...)
		out.offices = append(out.offices, ch.Open...)
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
	out.status = make([]OfficeStatus, len(out.offices))
	for i := range out.status {
		out.status[i] = StatusOpen
		if i >= n {
			out.status[i] = StatusNew
		}
	}
	for j, o := range ch.Open {
		if i, ok := index(o.ID); !ok || i != n+j {
			return outcome{}, fmt.Errorf("what-if %s: new office id %q is already used", ch.label(), o.ID)
		}
	}
	set := func(what string, ids []string, s OfficeStatus) error {
		for _, id := range ids {
			i, ok := index(id)
			if !ok {
				return fmt.Errorf("what-if %s: %s: %w", ch.label(), what, &UnknownOfficeError{ID: id, Known: officeIDs(w.offices, ch.Open)})
			}
			if out.status[i] == StatusClosed || out.status[i] == StatusCorner {
				return fmt.Errorf("what-if %s: %s: office %q is named twice", ch.label(), what, id)
			}
			out.status[i] = s
		}
		return nil
	}
	if err := set("close", ch.Close, StatusClosed); err != nil {
		return outcome{}, err
	}
	if err := set("downgrade", ch.Downgrade, StatusCorner); err != nil {
		return outcome{}, err
	}
	full, certs := 0, 0
	for _, s := range out.status {
		if s.fullService() {
			full++
		}
		if s.certificates() {
			certs++
		}
	}
	if certs == 0 {
		return outcome{}, fmt.Errorf("what-if %s: closes every office (%d): at least one must stay open", ch.label(), len(out.status))
	}
	if full == 0 {
		return outcome{}, fmt.Errorf("what-if %s: no office with full counter service is left (every office is closed or a service corner)", ch.label())
	}
	var err error
	if out.full, err = w.closeOffices(out, OfficeStatus.fullService); err != nil {
		return outcome{}, fmt.Errorf("what-if %s: %w", ch.label(), err)
	}
	if out.cert, err = w.closeOffices(out, OfficeStatus.certificates); err != nil {
		return outcome{}, fmt.Errorf("what-if %s: %w", ch.label(), err)
	}
	if len(ch.Open) > 0 {
		if err := w.openOffices(&out); err != nil {
			return outcome{}, fmt.Errorf("what-if %s: new offices: %w", ch.label(), err)
		}
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

// closeOffices starts from the baseline and moves the districts of the
// baseline offices that keep rejects to the nearest kept baseline office.
func (w *WhatIf) closeOffices(out outcome, keep func(OfficeStatus) bool) (state, error) {
	n := len(w.offices)
	open := make([]bool, n)
	anyBase := false
	var affected []int
	for i := range n {
		open[i] = keep(out.status[i])
		anyBase = anyBase || open[i]
		if !open[i] {
			for _, d := range w.served[i] {
				affected = append(affected, int(d))
			}
		}
	}
	if len(affected) == 0 {
		return w.baseState, nil // unchanged: shared, never written
	}
	st := w.privateBase()
	if !anyBase {
		for _, d := range affected {
			st.set(d, unreached("no open office"))
		}
		return st, nil
	}
	rs, err := w.costs.Nearest(affected, open)
	if err != nil {
		return state{}, err
	}
	for k, d := range affected {
		st.set(d, rs[k])
	}
	return st, nil
}

// openOffices lets the change's kept new offices take, in both
// assignments, the districts nearer to them than to their office. Ties go
// to the baseline office, then to the lower index. Only the districts
// within the farthest current cost of a new office are measured, plus
// those not reached at all.
func (w *WhatIf) openOffices(out *outcome) error {
	n := len(w.offices)
	out.warnings = append(out.warnings, w.farOffices(out.change)...)
	fresh, err := w.metric.Measure(w.places, officePlaces(out.change.Open))
	switch {
	case errors.Is(err, ErrUnreachable):
		out.warnings = append(out.warnings, data.Warning{Message: fmt.Sprintf("what-if %s: the new offices serve no district: %v", out.change.label(), err)})
		return nil
	case err != nil:
		return err
	}
	for _, wn := range fresh.Warnings() {
		if w.study.warned(wn) {
			continue // about a district, known from the baseline
		}
		wn.Message = fmt.Sprintf("what-if %s: %s", out.change.label(), wn.Message)
		out.warnings = append(out.warnings, wn)
	}
	limit := 0.0
	for _, st := range []state{out.full, out.cert} {
		for _, c := range st.cost {
			if !math.IsInf(c, 1) {
				limit = max(limit, c)
			}
		}
	}
	type pair struct {
		d int
		r Reach
	}
	var near []pair
	if err := fresh.Within(limit, func(d int, r Reach) bool {
		near = append(near, pair{d, r})
		return true
	}); err != nil {
		return err
	}
	for _, k := range []struct {
		st   *state
		keep func(OfficeStatus) bool
	}{{&out.full, OfficeStatus.fullService}, {&out.cert, OfficeStatus.certificates}} {
		openNew := make([]bool, len(out.offices)-n)
		anyNew := false
		for j := range openNew {
			openNew[j] = k.keep(out.status[n+j])
			anyNew = anyNew || openNew[j]
		}
		if !anyNew {
			continue
		}
		write := func(d int, r Reach) {
			*k.st = k.st.private()
			r.To += n
			k.st.set(d, r)
		}
		var lost []int
		for d, c := range k.st.cost {
			if math.IsInf(c, 1) {
				lost = append(lost, d)
			}
		}
		if len(lost) > 0 {
			rs, err := fresh.Nearest(lost, openNew)
			if err != nil {
				return err
			}
			for i, d := range lost {
				if rs[i].Reached() {
					write(d, rs[i])
				}
			}
		}
		for _, p := range near {
			if openNew[p.r.To] && p.r.Cost < k.st.cost[p.d] {
				write(p.d, p.r)
			}
		}
	}
	return nil
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
	// ShedTo says, for a closed office or a service corner, which offices
	// with full counter service take the load it sheds and what fraction
	// each takes (CounterRule; the fractions sum to 1), whether or not its
	// counter_count is known, so that any year's volume can be shifted the
	// same way. Ascending by office index; nil for an office with full
	// service.
	ShedTo []LoadShare
}

// LoadShare is the fraction of a shed counter load that one office takes.
type LoadShare struct {
	Office   *data.Office
	Index    int // index into Outcome.Offices
	Fraction float64
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
	cover, err := w.coverage(opt)
	if err != nil {
		return Comparison{}, err
	}
	o, err := w.apply(ch)
	if err != nil {
		return Comparison{}, err
	}
	out := w.publish(o)
	c := Comparison{Outcome: out, Districts: make([]DistrictChange, len(w.districts))}
	at := func(i int32) *data.Office {
		if i < 0 {
			return nil
		}
		return &out.Offices[i]
	}
	b, f, ct := w.baseState, o.full, o.cert
	for i := range c.Districts {
		dc := DistrictChange{District: &w.districts[i], Index: i,
			Before: at(b.office[i]), After: at(f.office[i]), Cert: at(ct.office[i]),
			BeforeIndex: int(b.office[i]), AfterIndex: int(f.office[i]), CertIndex: int(ct.office[i]),
			BeforeM: b.dist[i], AfterM: f.dist[i], CertM: ct.dist[i],
			BeforeS: b.time[i], AfterS: f.time[i], CertS: ct.time[i], Note: f.note[int32(i)]}
		if dc.Note == "" {
			dc.Note = b.note[int32(i)]
		}
		if cover != nil {
			dc.CertPoint = &cover[i]
		}
		c.Districts[i] = dc
	}
	c.Offices = w.officeChanges(o, opt.CertificateShare, nil)
	c.Summary = w.summarise(o, cover, c.Offices, opt)
	return c, nil
}

// coverage checks the options and says, per district, whether a store,
// post office or extra certificate point serves it (nil: not given).
func (w *WhatIf) coverage(opt CompareOptions) ([]bool, error) {
	if opt.CertificateShare < 0 || opt.CertificateShare > 1 || math.IsNaN(opt.CertificateShare) {
		return nil, fmt.Errorf("what-if: certificate share %g is not between 0 and 1", opt.CertificateShare)
	}
	if err := checkKm(opt.MaxKm); err != nil {
		return nil, fmt.Errorf("what-if: %w", err)
	}
	if opt.Coverage == nil {
		return nil, nil
	}
	if len(opt.Coverage) != len(w.districts) {
		return nil, fmt.Errorf("what-if: coverage has %d rows for %d districts", len(opt.Coverage), len(w.districts))
	}
	cover := make([]bool, len(w.districts))
	for _, g := range opt.Coverage {
		cover[g.Index] = g.Covered()
	}
	return cover, nil
}

// loads counts, per office of the outcome, the districts and population a
// state gives it.
func (w *WhatIf) loads(o outcome, st state) (districts []int, population []float64) {
	districts, population = make([]int, len(o.offices)), make([]float64, len(o.offices))
	for d, k := range st.office {
		if k >= 0 {
			districts[k]++
			population[k] += w.pop[d]
		}
	}
	return districts, population
}

// officeChanges fills the per-office figures and shifts counter load by
// CounterRule, in into when it has room (every element is overwritten).
func (w *WhatIf) officeChanges(out outcome, share float64, into []OfficeChange) []OfficeChange {
	n := len(w.offices)
	fullD, fullP := w.loads(out, out.full)
	certD, certP := w.loads(out, out.cert)
	oc := into[:0]
	if cap(oc) < len(out.offices) {
		oc = make([]OfficeChange, len(out.offices))
	}
	oc = oc[:len(out.offices)]
	for i := range oc {
		o := OfficeChange{Office: &out.offices[i], Index: i, Status: out.status[i],
			DistrictsAfter: fullD[i], PopulationAfter: fullP[i],
			CertDistrictsAfter: certD[i], CertPopulationAfter: certP[i]}
		if i < n {
			o.DistrictsBefore, o.PopulationBefore = w.base.Offices[i].Districts, w.base.Offices[i].Population
			o.CounterBefore = out.offices[i].CounterCount
		} else {
			zero := 0.0
			o.CounterBefore = &zero
		}
		oc[i] = o
	}
	for x := range n {
		if out.status[x].fullService() {
			continue
		}
		oc[x].ShedTo = w.shedTo(out, x)
		if oc[x].CounterBefore == nil {
			continue
		}
		shed := *oc[x].CounterBefore
		if out.status[x] == StatusCorner {
			shed *= 1 - share
		}
		if shed == 0 {
			continue
		}
		oc[x].CounterShiftedOut = shed
		for _, ls := range oc[x].ShedTo {
			oc[ls.Index].CounterShiftedIn += shed * ls.Fraction
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

// shedTo is where office x's shed counter load goes (CounterRule): to the
// offices that take over its districts for full counter service, in
// proportion to the population each takes (by number of districts when the
// population is unknown), or to the nearest office with full service when
// it served no district that is routed after the change.
func (w *WhatIf) shedTo(out outcome, x int) []LoadShare {
	takers := map[int]float64{}
	var total float64
	for _, d := range w.served[x] {
		if y := int(out.full.office[d]); y >= 0 {
			takers[y] += w.pop[d]
			total += w.pop[d]
		}
	}
	if total == 0 { // no population known: count districts
		for y := range takers {
			takers[y] = 0
		}
		for _, d := range w.served[x] {
			if y := int(out.full.office[d]); y >= 0 {
				takers[y]++
				total++
			}
		}
	}
	if total == 0 {
		y := nearestFull(out, x)
		return []LoadShare{{Office: &out.offices[y], Index: y, Fraction: 1}}
	}
	shares := make([]LoadShare, 0, len(takers))
	for y, v := range takers {
		shares = append(shares, LoadShare{Office: &out.offices[y], Index: y, Fraction: v / total})
	}
	sort.Slice(shares, func(a, b int) bool { return shares[a].Index < shares[b].Index })
	return shares
}

// nearestFull is the office with full counter service nearest to office x
// on the ellipsoid (brute force: used only for offices that serve no
// district, so have no district to measure from).
func nearestFull(out outcome, x int) int {
	best, bestD := -1, math.Inf(1)
	for i, o := range out.offices {
		if i == x || !out.status[i].fullService() {
			continue
		}
		if d := geo.Distance(out.offices[x].Location, o.Location); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// summarise computes the key figures. Districts not routed before (or
// after) are left out of the before (after) distance figures and of the
// changes.
func (w *WhatIf) summarise(out outcome, cover []bool, oc []OfficeChange, opt CompareOptions) Summary {
	n := len(w.districts)
	fullOffices, certOffices := 0, 0
	for _, st := range out.status {
		if st.fullService() {
			fullOffices++
		}
		if st.certificates() {
			certOffices++
		}
	}
	s := Summary{Districts: n, Population: w.base.Population, MaxKm: opt.MaxKm,
		FullOfficesBefore: len(w.offices), FullOfficesAfter: fullOffices,
		CertOfficesAfter: certOffices, CoverageKnown: cover != nil, Metric: w.Metric()}
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
	b, f, c := w.baseState, out.full, out.cert
	for d := range n {
		pop := w.pop[d]
		before, after := b.office[d], f.office[d]
		beforeM, afterM := b.dist[d], f.dist[d]
		routed := before >= 0 && after >= 0
		certMoved := before != c.office[d]
		if before < 0 {
			s.UnroutedBefore++
			s.UnroutedPopulationBefore += pop
		} else {
			sumBefore += pop * beforeM
			sumBeforeS += pop * b.time[d]
			popBefore += pop
		}
		if after < 0 {
			s.UnroutedAfter++
			s.UnroutedPopulationAfter += pop
		} else {
			sumAfter += pop * afterM
			sumAfterS += pop * f.time[d]
			popAfter += pop
		}
		if limit > 0 && routed {
			if beforeM > limit {
				s.BeyondBefore++
				s.BeyondPopulationBefore += pop
			}
			if afterM > limit {
				s.BeyondAfter++
				s.BeyondPopulationAfter += pop
				if beforeM <= limit {
					s.NewlyBeyond++
				}
			}
		}
		if certMoved {
			s.CertMovedDistricts++
			s.CertMovedPopulation += pop
		}
		if before == after {
			continue
		}
		s.MovedDistricts++
		s.MovedPopulation += pop
		if !certMoved {
			s.MovedCertKept++
		}
		if cover != nil && cover[d] {
			s.MovedWithCertPoint++
			s.MovedPopulationWithCertPoint += pop
		}
		if !routed {
			continue
		}
		delta := afterM - beforeM
		deltas = append(deltas, delta)
		sumDelta += delta
		weighted += pop * delta
		movedRoutedPop += pop
		if timed {
			deltaS := f.time[d] - b.time[d]
			weightedS += pop * deltaS
			if len(deltas) == 1 || deltaS > s.MaxTimeChangeS {
				s.MaxTimeChangeS = deltaS
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
		// Without population every closure costs 0 person-km: rank by the
		// distance added over the districts that move (district-km).
		if dx, dy := x.MeanChangeM*float64(x.MovedDistricts), y.MeanChangeM*float64(y.MovedDistricts); dx != dy && !math.IsNaN(dx) && !math.IsNaN(dy) {
			return dx < dy
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
	cover, err := w.coverage(opt)
	if err != nil {
		return Impact{}, err
	}
	out, err := w.apply(Change{Name: "close " + o.ID, Close: []string{o.ID}})
	if err != nil {
		return Impact{}, err
	}
	ocs, _ := w.spareChanges.Get().(*[]OfficeChange)
	if ocs == nil {
		ocs = new([]OfficeChange)
	}
	*ocs = w.officeChanges(out, opt.CertificateShare, *ocs)
	summary := w.summarise(out, cover, *ocs, opt)
	w.spareChanges.Put(ocs) // summarise keeps nothing of them
	im := Impact{Office: &w.offices[i], Index: i, Summary: summary, CounterShifted: o.CounterCount}
	by := map[int]*Share{}
	for _, d := range w.served[i] {
		y := int(out.full.office[d])
		if y < 0 {
			continue // not routed after the closure
		}
		if by[y] == nil {
			by[y] = &Share{Office: &w.offices[y], Index: y}
		}
		by[y].Districts++
		by[y].Population += w.districts[d].Pop()
	}
	// Nothing of out is kept: its states' arrays serve the next closure.
	w.recycle(out.full)
	w.recycle(out.cert)
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
