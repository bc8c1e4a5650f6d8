package catchment

import (
	"errors"
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/data"
)

// AccessComparison is an accessibility index with every office open
// (Before) and after a change (After). Closed offices supply nothing; a
// service corner keeps AccessOptions.CornerShare of its supply; new
// offices supply as the options' supply field says.
type AccessComparison struct {
	Change Change
	// Offices are the baseline offices followed by the new ones, Status
	// their state after the change; After.Offices follow the same order.
	Offices       []data.Office
	Status        []OfficeStatus
	Before, After Accessibility
	Districts     []DistrictAccessChange // one per district, in input order
	Summary       AccessChangeSummary
	// Warnings name the new offices the metric could not use.
	Warnings []data.Warning
}

// DistrictAccessChange is one district's access before and after a change.
type DistrictAccessChange struct {
	District   *data.District
	Index      int
	Population float64
	// Before and After are A_i.
	Before, After float64
	// NormBefore and NormAfter are both divided by the baseline's
	// population-weighted mean, so that they compare.
	NormBefore, NormAfter       float64
	OfficesBefore, OfficesAfter int
	// NoteAfter says why no office is in range after the change.
	NoteAfter string
}

// Delta is the change of access, After − Before.
func (d DistrictAccessChange) Delta() float64 { return d.After - d.Before }

// NormDelta is the change in units of the baseline mean.
func (d DistrictAccessChange) NormDelta() float64 { return d.NormAfter - d.NormBefore }

// AccessChangeSummary sums up a comparison.
type AccessChangeSummary struct {
	Districts  int
	Population float64
	// MeanBefore and MeanAfter are the population-weighted means of A.
	MeanBefore, MeanAfter float64
	// Lost and Gained count the districts whose access fell or rose, with
	// their residents.
	Lost, Gained                     int
	LostPopulation, GainedPopulation float64
	// NoAccessBefore and NoAccessAfter count the districts with no office
	// in range, with their residents.
	NoAccessBefore, NoAccessAfter                     int
	NoAccessPopulationBefore, NoAccessPopulationAfter float64
	// SupplyBefore and SupplyAfter are the supplies that reach demand.
	SupplyBefore, SupplyAfter float64
}

// AccessCompare computes the index with every office open and after the
// change ch, under the study's metric; only the new offices are measured
// anew. Errors are those of WhatIf.Apply (unknown or repeated ids, no
// office left) and of Access; a new office needs a supply like the others.
func (s *Study) AccessCompare(ch Change, opt AccessOptions) (AccessComparison, error) {
	m, err := s.newAccessModel(opt)
	if err != nil {
		return AccessComparison{}, err
	}
	before, err := m.baseline()
	if err != nil {
		return AccessComparison{}, err
	}
	return m.compare(before, ch)
}

// AccessRun compares every stage of a scenario, cumulative, with every
// office open. Nothing is returned unless every stage is valid.
func (s *Study) AccessRun(sc Scenario, opt AccessOptions) ([]AccessComparison, error) {
	changes, err := sc.Changes(s.offices)
	if err != nil {
		return nil, err
	}
	m, err := s.newAccessModel(opt)
	if err != nil {
		return nil, err
	}
	before, err := m.baseline()
	if err != nil {
		return nil, err
	}
	out := make([]AccessComparison, 0, len(changes))
	for i, ch := range changes {
		c, err := m.compare(before, ch)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", sc.Source, stageLabel(i, sc.Stages[i].Name), err)
		}
		out = append(out, c)
	}
	return out, nil
}

// baseline is the index with every office open.
func (m *accessModel) baseline() (Accessibility, error) {
	status := make([]OfficeStatus, len(m.s.offices))
	for j := range status {
		status[j] = StatusOpen
	}
	return m.evaluate(m.pairs, m.s.offices, status, m.supply)
}

// compare evaluates ch against the baseline before.
func (m *accessModel) compare(before Accessibility, ch Change) (AccessComparison, error) {
	offices, status, err := resolveChange(m.s.offices, ch)
	if err != nil {
		return AccessComparison{}, err
	}
	c := AccessComparison{Change: ch, Offices: offices, Status: status, Before: before}
	pairs, supply := m.pairs, m.supply
	if len(ch.Open) > 0 {
		add, err := OfficeSupply(ch.Open, m.opt.Supply)
		if err != nil {
			return AccessComparison{}, fmt.Errorf("access %s: new office: %w", ch.label(), err)
		}
		supply = append(append([]float64(nil), m.supply...), add...)
		fresh, err := m.s.metric.Measure(m.s.districtPlaces(), officePlaces(ch.Open))
		switch {
		case errors.Is(err, ErrUnreachable):
			c.Warnings = append(c.Warnings, data.Warning{Message: fmt.Sprintf("access %s: the new offices reach no district: %v", ch.label(), err)})
		case err != nil:
			return AccessComparison{}, fmt.Errorf("access %s: new offices: %w", ch.label(), err)
		default:
			for _, wn := range fresh.Warnings() {
				if !m.s.warned(wn) {
					wn.Message = fmt.Sprintf("access %s: %s", ch.label(), wn.Message)
					c.Warnings = append(c.Warnings, wn)
				}
			}
			q, err := collectPairs(fresh, len(m.pop), m.opt.limit(), len(m.s.offices))
			if err != nil {
				return AccessComparison{}, fmt.Errorf("access %s: new offices: %w", ch.label(), err)
			}
			pairs = pairs.merge(q)
		}
	}
	if c.After, err = m.evaluate(pairs, offices, status, supply); err != nil {
		return AccessComparison{}, err
	}
	c.Districts = make([]DistrictAccessChange, len(m.pop))
	sum := AccessChangeSummary{Districts: len(m.pop), Population: before.Population, MeanBefore: before.Mean, MeanAfter: c.After.Mean,
		NoAccessBefore: before.NoAccess, NoAccessAfter: c.After.NoAccess,
		NoAccessPopulationBefore: before.NoAccessPopulation, NoAccessPopulationAfter: c.After.NoAccessPopulation,
		SupplyBefore: before.SupplyReached, SupplyAfter: c.After.SupplyReached}
	for i := range c.Districts {
		b, a := before.Districts[i], c.After.Districts[i]
		d := DistrictAccessChange{District: b.District, Index: i, Population: b.Population,
			Before: b.Access, After: a.Access, NormBefore: math.NaN(), NormAfter: math.NaN(),
			OfficesBefore: b.OfficesReached, OfficesAfter: a.OfficesReached, NoteAfter: a.Note}
		if before.Mean > 0 {
			d.NormBefore, d.NormAfter = b.Access/before.Mean, a.Access/before.Mean
		}
		switch {
		case d.After < d.Before:
			sum.Lost++
			sum.LostPopulation += d.Population
		case d.After > d.Before:
			sum.Gained++
			sum.GainedPopulation += d.Population
		}
		c.Districts[i] = d
	}
	c.Summary = sum
	return c, nil
}

// resolveChange checks a change against the offices and returns the
// offices (baseline, then new) with their statuses. The checks are those
// of WhatIf.Apply.
func resolveChange(base []data.Office, ch Change) ([]data.Office, []OfficeStatus, error) {
	n := len(base)
	offices := base
	if len(ch.Open) > 0 {
		offices = append(append(make([]data.Office, 0, n+len(ch.Open)), base...), ch.Open...)
	}
	ids := make(map[string]int, len(offices))
	for i, o := range offices {
		if _, dup := ids[o.ID]; dup {
			return nil, nil, fmt.Errorf("access %s: new office id %q is already used", ch.label(), o.ID)
		}
		ids[o.ID] = i
	}
	status := make([]OfficeStatus, len(offices))
	for i := range status {
		status[i] = StatusOpen
		if i >= n {
			status[i] = StatusNew
		}
	}
	set := func(what string, list []string, st OfficeStatus) error {
		for _, id := range list {
			i, ok := ids[id]
			if !ok {
				return fmt.Errorf("access %s: %s: %w", ch.label(), what, &UnknownOfficeError{ID: id, Known: officeIDs(base, ch.Open)})
			}
			if status[i] == StatusClosed || status[i] == StatusCorner {
				return fmt.Errorf("access %s: %s: office %q is named twice", ch.label(), what, id)
			}
			status[i] = st
		}
		return nil
	}
	if err := set("close", ch.Close, StatusClosed); err != nil {
		return nil, nil, err
	}
	if err := set("downgrade", ch.Downgrade, StatusCorner); err != nil {
		return nil, nil, err
	}
	full := 0
	for _, st := range status {
		if st.fullService() {
			full++
		}
	}
	if full == 0 {
		return nil, nil, fmt.Errorf("access %s: no office with full counter service is left (every office is closed or a service corner)", ch.label())
	}
	return offices, status, nil
}
