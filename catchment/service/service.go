// Package service is the certificate service model of a study: how many
// certificates each channel (counters, service corners, convenience stores,
// post offices) issues per fiscal year, what they cost, the counter work of
// each office after a reorganisation shifts the load, the staff that work
// needs, the forecast of each office's counter work, and the opening hours
// residents can reach. The model's figures come from a data.ServiceModel;
// nothing here prints.
package service

import (
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

// Options are the inputs of Analyse besides the study and the model.
type Options struct {
	// Counts is the counter series: yearly work per office. Recorded rows
	// are used; projected rows are replaced by the model's projection.
	Counts []data.CounterCount
	// Comparison is the network compared with today's (from
	// WhatIf.Compare: closures, service corners, new offices); nil is
	// today's network, in which every office keeps full counter service.
	Comparison *catchment.Comparison
	// Gaps is the study's certificate coverage per district (Study.Gaps):
	// the post channel reaches the districts it says have a post office.
	// nil: the post channel takes nothing.
	Gaps []catchment.GapRow
}

// Analysis is the certificate service model applied to a study and a
// network, per fiscal year.
type Analysis struct {
	Model      *data.ServiceModel
	Projection *Projection
	// Change is the network analysed ("" name: today's network).
	Change catchment.Change
	// Offices are the offices of the network (the study's, then a
	// scenario's new ones), with their counter work after the load shift
	// and their staff.
	Offices []OfficeService
	// Years are the city's certificates and costs per fiscal year.
	Years []YearService
	// Plan reproduces the plan's unit costs from the model's inputs.
	Plan PlanCheck
	// Forecast lists each office's projected counter work per staff member
	// in the target year, flagged below the model's threshold.
	Forecast []ForecastRow
	// ResidentsPerOfficeBefore and After are the population per office
	// with full counter service, today and in the network analysed.
	ResidentsPerOfficeBefore, ResidentsPerOfficeAfter float64
	// StaffToday is today's counter staff of every office (the model's
	// figures), the staff the "not reorganised" costs keep.
	StaffToday float64
	// Notes say what the analysis had to assume or leave out.
	Notes []string
}

// OfficeService is one office of the network analysed.
type OfficeService struct {
	Office *data.Office
	Index  int // index into the network's offices (study offices first)
	Status catchment.OfficeStatus
	// PopulationBefore and PopulationAfter are the residents it serves with
	// full counter service today and in the network analysed.
	PopulationBefore, PopulationAfter float64
	// StaffToday is its counter staff today (the model's figure; 0 for a
	// new office).
	StaffToday float64
	// Years are its counter work per fiscal year after the load shift.
	Years []OfficeLoadYear
}

// OfficeLoadYear is one office's counter work in one year after the load
// shift, and the staff it needs.
type OfficeLoadYear struct {
	Year int
	// Own is the office's own counter work (its projection); Work what it
	// handles after closed offices and corners shed theirs (CounterRule:
	// Comparison's ShedTo fractions), Certificates the part that is
	// certificates. A service corner keeps only its certificates.
	Own, Work, Certificates float64
	// StaffNeeded is ⌈Work / workload per staff⌉, at least the model's
	// minimum for its status; 0 for a closed office.
	StaffNeeded float64
}

// YearService is the city's certificate service in one fiscal year.
type YearService struct {
	Year     int
	Recorded bool // every office's work that year is recorded
	Shares   YearShares
	// Demand is every certificate residents get (after linkage); Counter,
	// Corner, Store and Post how many each channel issues.
	Demand, Counter, Corner, Store, Post float64
	// Work is the counter work of every office (certificates and other
	// transactions).
	Work float64
	// NotReorganised is today's network with today's staff; Reorganised
	// the network analysed with the staff its work needs.
	NotReorganised, Reorganised CounterCost
	// StoreCost and PostCost are the channels' costs.
	StoreCost, PostCost ChannelCost
	// TotalNotReorganised and TotalReorganised are every channel's cost,
	// yen; the per-certificate figures divide them by Demand.
	TotalNotReorganised, TotalReorganised             float64
	PerCertificateNotReorganised, PerCertificateReorg float64
}

// CounterCost is what counters (and corners) cost in one year.
type CounterCost struct {
	// Staff is the counter staff paid; Fixed their cost that certificates
	// bear (staff × cost per staff × certificate share; a corner's staff
	// wholly), yen.
	Staff, Fixed float64
	// Variable is the cost that falls with volume, yen; Total = Fixed +
	// Variable.
	Variable, Total float64
	// PerCertificate = Total / certificates at counters and corners (NaN
	// when there are none).
	PerCertificate float64
}

// ChannelCost is what a store or post channel costs in one year.
type ChannelCost struct {
	Fixed, Variable, Total float64
	// PerCertificate = Total / its certificates (NaN when it issues none).
	PerCertificate float64
}

// ForecastRow is one office's projected counter work in the target year,
// in today's network: the plan's condition on the distance rule looks at
// each office's own trend.
type ForecastRow struct {
	Office *data.Office
	Index  int
	// Status is the office's status in the network analysed.
	Status catchment.OfficeStatus
	Fit    Fit
	// Recorded is the office's work in the last recorded year; Work its
	// own projected work in the target year; WorkAfter what it handles
	// then in the network analysed (after the load shift; 0 when closed).
	Recorded, Work, WorkAfter float64
	// Staff is its staff today; PerStaff = Work / Staff.
	Staff, PerStaff float64
	// Below is true when PerStaff falls below the model's threshold.
	Below bool
	Note  string
}

// Analyse applies the model to the study and the network of
// opt.Comparison (today's network when nil).
func Analyse(s *catchment.Study, m *data.ServiceModel, opt Options) (*Analysis, error) {
	if m == nil {
		return nil, fmt.Errorf("service: no model")
	}
	offices := s.Offices()
	cover, note := PostCoverage(s.Districts(), opt.Gaps, m.Post.GapDistrictsOnly)
	p, err := Project(offices, opt.Counts, m, cover)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Model: m, Projection: p}
	if note != "" {
		a.Notes = append(a.Notes, note)
	}
	if p.Ignored > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("the counts' %d projected rows are replaced by the model's projection", p.Ignored))
	}
	for _, op := range p.Offices {
		if op.Note != "" {
			a.Notes = append(a.Notes, fmt.Sprintf("%s (%s): %s", op.Office.Name, op.Office.ID, op.Note))
		}
	}
	// The network: today's, or the comparison's.
	var changes []catchment.OfficeChange
	if c := opt.Comparison; c != nil {
		a.Change = c.Outcome.Change
		changes = c.Offices
		a.ResidentsPerOfficeBefore, a.ResidentsPerOfficeAfter = c.Summary.ResidentsPerOfficeBefore, c.Summary.ResidentsPerOfficeAfter
	} else {
		asg, err := s.Assign()
		if err != nil {
			return nil, err
		}
		for i, ol := range asg.Offices {
			changes = append(changes, catchment.OfficeChange{Office: &offices[i], Index: i, Status: catchment.StatusOpen,
				PopulationBefore: ol.Population, PopulationAfter: ol.Population})
		}
		a.ResidentsPerOfficeBefore = asg.ResidentsPerOffice()
		a.ResidentsPerOfficeAfter = a.ResidentsPerOfficeBefore
	}
	if len(changes) < len(offices) {
		return nil, fmt.Errorf("service: the comparison has %d offices, the study %d", len(changes), len(offices))
	}
	years := p.Years()
	a.Offices = make([]OfficeService, len(changes))
	for i, oc := range changes {
		of := OfficeService{Office: oc.Office, Index: i, Status: oc.Status, PopulationBefore: oc.PopulationBefore, PopulationAfter: oc.PopulationAfter}
		if i < len(offices) {
			of.StaffToday = m.StaffOf(oc.Office.ID, string(oc.Office.Kind))
			a.StaffToday += of.StaffToday
		}
		of.Years = make([]OfficeLoadYear, len(years))
		for k, y := range years {
			of.Years[k].Year = y
		}
		a.Offices[i] = of
	}
	// The load shift, year by year, by the what-if's fractions.
	for k := range years {
		for x, oc := range changes {
			if x >= len(offices) {
				continue // a new office has no work of its own
			}
			own := p.Offices[x].Years
			if len(own) == 0 {
				continue
			}
			work, cert := own[k].Work, own[k].Certificates
			a.Offices[x].Years[k].Own = work
			switch oc.Status {
			case catchment.StatusClosed:
				for _, ls := range oc.ShedTo {
					a.Offices[ls.Index].Years[k].Work += work * ls.Fraction
					a.Offices[ls.Index].Years[k].Certificates += cert * ls.Fraction
				}
			case catchment.StatusCorner:
				a.Offices[x].Years[k].Work += cert
				a.Offices[x].Years[k].Certificates += cert
				for _, ls := range oc.ShedTo {
					a.Offices[ls.Index].Years[k].Work += (work - cert) * ls.Fraction
				}
			default:
				a.Offices[x].Years[k].Work += work
				a.Offices[x].Years[k].Certificates += cert
			}
		}
	}
	w := m.Staff.WorkloadPerStaff.Value
	for i := range a.Offices {
		of := &a.Offices[i]
		for k := range of.Years {
			of.Years[k].StaffNeeded = StaffNeeded(of.Years[k].Work, w, minimum(m, of.Status))
			if of.Status == catchment.StatusClosed {
				of.Years[k].StaffNeeded = 0
			}
		}
	}
	a.Years = a.yearly(years)
	a.Plan, err = checkPlan(m, p)
	if err != nil {
		return nil, err
	}
	a.Forecast = a.forecast()
	return a, nil
}

// minimum is the least staff of an office of status st.
func minimum(m *data.ServiceModel, st catchment.OfficeStatus) float64 {
	if st == catchment.StatusCorner {
		return m.Staff.MinimumCorner.Value
	}
	return m.Staff.MinimumFull.Value
}

// StaffNeeded is the staff a counter work needs: ⌈work / perStaff⌉, at
// least least.
func StaffNeeded(work, perStaff, least float64) float64 {
	return math.Max(least, math.Ceil(work/perStaff-1e-9))
}

// PostCoverage is the share of the population that lives in districts a
// post office serves for certificates: the gap districts with a post office
// (gapOnly: the plan's proposal) or every district with one. It is 0, with
// a note, when gaps is nil.
func PostCoverage(districts []data.District, gaps []catchment.GapRow, gapOnly bool) (float64, string) {
	if gaps == nil {
		return 0, "no store or post office layer: the post channel takes nothing"
	}
	var total, served float64
	for _, g := range gaps {
		pop := districts[g.Index].Pop()
		total += pop
		if (gapOnly && g.PostFallback()) || (!gapOnly && g.Posts > 0) {
			served += pop
		}
	}
	if total == 0 {
		return 0, "no district has a population: the post channel takes nothing"
	}
	return served / total, ""
}

// yearly sums the offices' work into the city's channels and costs.
func (a *Analysis) yearly(years []int) []YearService {
	m, p := a.Model, a.Projection
	cs := m.CertificateShare.Value
	perStaff := m.Staff.CostPerYear.Value
	out := make([]YearService, len(years))
	for k, y := range years {
		ys := YearService{Year: y, Shares: p.SharesAt(y), Recorded: true}
		for _, op := range p.Offices {
			if len(op.Years) == 0 {
				continue
			}
			oy := op.Years[k]
			ys.Recorded = ys.Recorded && oy.Recorded
			ys.Work += oy.Work
			ys.Counter += oy.Certificates
		}
		// Counter certificates are what is left to counters: the demand
		// is them over the counter share.
		if left := ys.Shares.Counter(); left > 0 {
			ys.Demand = ys.Counter / left
		} else {
			ys.Demand = ys.Counter
		}
		ys.Store = ys.Demand * ys.Shares.Store
		ys.Post = ys.Demand * ys.Shares.Post
		// Today's network, today's staff.
		nr := CounterCost{Staff: a.StaffToday}
		nr.Fixed = a.StaffToday * perStaff * cs
		nr.Variable = ys.Counter * m.Counter.VariableCost.Value
		nr.Total = nr.Fixed + nr.Variable
		nr.PerCertificate = perCert(nr.Total, ys.Counter)
		// The network analysed, with the staff its work needs.
		var re CounterCost
		var full, corner float64
		for _, of := range a.Offices {
			l := of.Years[k]
			switch of.Status {
			case catchment.StatusClosed:
			case catchment.StatusCorner:
				re.Staff += l.StaffNeeded
				re.Fixed += l.StaffNeeded * perStaff
				corner += l.Certificates
			default:
				re.Staff += l.StaffNeeded
				re.Fixed += l.StaffNeeded * perStaff * cs
				full += l.Certificates
			}
		}
		ys.Corner = corner
		ys.Counter -= corner
		re.Variable = full*m.Counter.VariableCost.Value + corner*m.Corner.VariableCost.Value
		re.Total = re.Fixed + re.Variable
		re.PerCertificate = perCert(re.Total, full+corner)
		ys.NotReorganised, ys.Reorganised = nr, re
		ys.StoreCost = channelCost(y >= m.Store.FromYear, m.Store.FixedCostPerYear.Value, m.Store.CostPerCertificate.Value, ys.Store)
		ys.PostCost = channelCost(y >= m.Post.FromYear, m.Post.FixedCostPerYear.Value, m.Post.CostPerCertificate.Value, ys.Post)
		other := ys.StoreCost.Total + ys.PostCost.Total
		ys.TotalNotReorganised = nr.Total + other
		ys.TotalReorganised = re.Total + other
		ys.PerCertificateNotReorganised = perCert(ys.TotalNotReorganised, ys.Demand)
		ys.PerCertificateReorg = perCert(ys.TotalReorganised, ys.Demand)
		out[k] = ys
	}
	return out
}

// channelCost is a store or post channel's cost in a year: its fixed cost
// once it runs, and its cost per certificate.
func channelCost(running bool, fixed, per, certificates float64) ChannelCost {
	if !running {
		return ChannelCost{PerCertificate: math.NaN()}
	}
	c := ChannelCost{Fixed: fixed, Variable: per * certificates}
	c.Total = c.Fixed + c.Variable
	c.PerCertificate = perCert(c.Total, certificates)
	return c
}

func perCert(total, n float64) float64 {
	if n <= 0 {
		return math.NaN()
	}
	return total / n
}

// forecast is each study office's own work per staff member in the target
// year.
func (a *Analysis) forecast() []ForecastRow {
	m, p := a.Model, a.Projection
	k := m.Forecast.TargetYear - p.FirstYear
	var out []ForecastRow
	for i, op := range p.Offices {
		if len(op.Years) == 0 {
			continue
		}
		of := a.Offices[i]
		r := ForecastRow{Office: of.Office, Index: i, Status: of.Status, Fit: op.Fit, Note: op.Note,
			Recorded: op.At(p.LastRecorded).Work, Work: op.Years[k].Work, WorkAfter: of.Years[k].Work, Staff: of.StaffToday}
		r.PerStaff = perCert(r.Work, r.Staff)
		r.Below = r.PerStaff < m.Forecast.ThresholdPerStaff.Value
		out = append(out, r)
	}
	return out
}
