package service

import (
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/data"
)

// PlanCheck reproduces the plan's unit costs from the model's inputs, step
// by step, at the reference year's volumes:
//
//	fixed          = staff × cost per staff × certificate share
//	counter        = fixed / counter certificates + variable cost
//	not reorganised = fixed / (counter certificates × linkage factor) + variable cost
//	store          = store fixed cost / (demand × plan's store share) + commission
//
// "Not reorganised" is the staff kept while linkage cuts the volume;
// VolumeForPlan solves for the volume that gives the plan's figure.
type PlanCheck struct {
	ReferenceYear int
	// Certificates are the counter certificates of the reference year
	// (every office's, recorded or projected), Demand every certificate.
	Certificates, Demand float64
	// Staff groups today's counter staff by office kind (and office, for
	// the model's own figures of an office).
	Staff                          []StaffGroup
	StaffTotal, CostPerStaff       float64
	CertificateShare, VariableCost float64
	// Fixed = StaffTotal × CostPerStaff × CertificateShare, yen a year.
	Fixed   float64
	Counter float64
	// LinkageFactor is what linkage leaves of volume; NotReorganised the
	// counter cost at Certificates × LinkageFactor with the same staff.
	LinkageFactor, NotReorganised float64
	// VolumeForPlan = Fixed / (plan's not-reorganised cost − variable
	// cost): the counter volume that gives the plan's figure, and
	// RatioForPlan its ratio to Certificates.
	VolumeForPlan, RatioForPlan float64
	// The store: Demand × StoreShare certificates, the yearly fixed cost
	// and the commission per certificate.
	StoreShare, StoreCertificates, StoreFixed, StoreCommission float64
	Store                                                      float64
}

// StaffGroup is the staff of some offices: Offices of them with Each staff.
type StaffGroup struct {
	// Kind is "ward" or "branch"; ID names an office with its own figure.
	Kind, ID string
	Offices  int
	Each     data.Figure
}

// PlanTolerance is how far (yen) a reproduced figure may be from the
// plan's: the plan gives its unit costs as "about", to 10 yen.
const PlanTolerance = 5.0

// Reproduced reports whether each figure rounds to the plan's.
func (c PlanCheck) Reproduced(m *data.ServiceModel) (counter, notReorganised, store bool) {
	ok := func(got float64, plan data.Figure) bool { return math.Abs(got-plan.Value) < PlanTolerance }
	pf := m.PlanFigures
	return ok(c.Counter, pf.CounterCost), ok(c.NotReorganised, pf.CounterCostNotReorganised), ok(c.Store, pf.StoreCost)
}

// checkPlan computes the PlanCheck of the model on the projection.
func checkPlan(m *data.ServiceModel, p *Projection) (PlanCheck, error) {
	c := PlanCheck{ReferenceYear: m.ReferenceYear, CostPerStaff: m.Staff.CostPerYear.Value,
		CertificateShare: m.CertificateShare.Value, VariableCost: m.Counter.VariableCost.Value,
		LinkageFactor: m.Linkage.Factor.Value, StoreShare: m.PlanFigures.StoreShare.Value,
		StoreFixed: m.Store.FixedCostPerYear.Value, StoreCommission: m.Store.CostPerCertificate.Value}
	byKind := map[string]int{}
	for _, op := range p.Offices {
		o := op.Office
		if f, own := m.Staff.Offices[o.ID]; own {
			c.Staff = append(c.Staff, StaffGroup{Kind: string(o.Kind), ID: o.ID, Offices: 1, Each: f})
		} else {
			byKind[string(o.Kind)]++
		}
		c.StaffTotal += m.StaffOf(o.ID, string(o.Kind))
		c.Certificates += op.At(m.ReferenceYear).Certificates
	}
	var groups []StaffGroup
	for _, k := range []string{string(data.Ward), string(data.Branch)} {
		if byKind[k] > 0 {
			groups = append(groups, StaffGroup{Kind: k, Offices: byKind[k], Each: m.Staff.PerKind[k]})
		}
	}
	c.Staff = append(groups, c.Staff...)
	if c.Certificates <= 0 {
		return c, fmt.Errorf("service: no counter certificates in the reference year %d: the plan's unit costs cannot be reproduced", m.ReferenceYear)
	}
	sh := p.SharesAt(m.ReferenceYear)
	c.Demand = c.Certificates
	if left := sh.Counter(); left > 0 {
		c.Demand = c.Certificates / left
	}
	c.Fixed = c.StaffTotal * c.CostPerStaff * c.CertificateShare
	c.Counter = c.Fixed/c.Certificates + c.VariableCost
	c.NotReorganised = math.NaN()
	if c.LinkageFactor > 0 {
		c.NotReorganised = c.Fixed/(c.Certificates*c.LinkageFactor) + c.VariableCost
	}
	c.VolumeForPlan, c.RatioForPlan = math.NaN(), math.NaN()
	if d := m.PlanFigures.CounterCostNotReorganised.Value - c.VariableCost; d > 0 {
		c.VolumeForPlan = c.Fixed / d
		c.RatioForPlan = c.VolumeForPlan / c.Certificates
	}
	c.StoreCertificates = c.Demand * c.StoreShare
	c.Store = c.StoreFixed/c.StoreCertificates + c.StoreCommission
	return c, nil
}
