package catchment

import (
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/data"
)

// Accessibility is an accessibility index of every district and office of
// a study (Study.Access), or of one state of a what-if (AccessComparison).
//
// The floating-catchment family (2sfca, e2sfca, gravity2sfca) uses the
// weights W in both steps, as PySAL access does:
//
//	R_j = S_j / Σ_i W_ij·P_i          (0 when no demand reaches office j)
//	A_i = Σ_j W_ij·R_j                (0 when no office is in range)
//
// and the gravity model A_i = Σ_j S_j·W_ij. P_i is the district's
// population, S_j the office's supply, W_ij the weight of the options at
// the metric's cost from the district's representative point to the
// office, counted for costs d ≤ the catchment.
type Accessibility struct {
	// Options are the options used, with their defaults filled in.
	Options AccessOptions
	// Metric names the metric the costs are measured under; Quantity is
	// what its costs are (the unit of the options' costs).
	Metric   string
	Quantity Quantity
	// Districts are one per district, in input order; Offices one per
	// office (baseline offices, then a what-if's new ones).
	Districts []DistrictAccess
	Offices   []OfficeAccess
	// Population is Σ P_i.
	Population float64
	// Mean is the population-weighted mean of A, Σ P_i·A_i / Σ P_i: the
	// divisor of DistrictAccess.Norm (PySAL's normalisation).
	Mean float64
	// SupplyReached is the supply of the offices that some demand reaches
	// (Σ_i W_ij·P_i > 0). For the FCA family Σ_i P_i·A_i equals it.
	SupplyReached float64
	// NoAccess counts the districts with no office in range, and
	// NoAccessPopulation their residents; Unrouted counts those of them
	// the metric does not route at all.
	NoAccess           int
	NoAccessPopulation float64
	Unrouted           int
}

// DistrictAccess is one district's accessibility.
type DistrictAccess struct {
	District *data.District
	Index    int // the district's index in the study
	// Population is P_i, the demand.
	Population float64
	// Access is A_i; 0 when no office is in range (PySAL gives NaN).
	Access float64
	// Norm is Access divided by the population-weighted mean; NaN when
	// the mean is 0.
	Norm float64
	// OfficesReached counts the offices in range: open, reachable and
	// within the catchment (every reachable one without a catchment).
	OfficesReached int
	// Unrouted is true when the metric routes the district to no office
	// at all (outside a road network, missing from a cost matrix): its
	// access is unknown rather than low, and counted as 0.
	Unrouted bool
	// Note says why no office is in range; empty when one is.
	Note string
}

// OfficeAccess is one office's side of an accessibility index.
type OfficeAccess struct {
	Office *data.Office
	Index  int // the office's index (in the study, or in a what-if's offices)
	// Status is the office's state; StatusOpen outside a what-if.
	Status OfficeStatus
	// Supply is S_j as counted: 0 for a closed office, the kept share for
	// a service corner.
	Supply float64
	// WeightedDemand is Σ_i W_ij·P_i over the districts in range.
	WeightedDemand float64
	// Ratio is R_j = Supply / WeightedDemand (0 when no demand reaches
	// the office); NaN for the gravity model, which has no ratio.
	Ratio float64
	// Districts counts the districts that have the office in range.
	Districts int
}

// accessPairs are the district–office pairs within an index's limit, by
// district (compressed rows): district i's pairs are office[start[i]:
// start[i+1]] with their costs.
type accessPairs struct {
	start  []int
	office []int32
	cost   []float64
}

// collectPairs reads the pairs of c within limit for n origins; office
// indexes are shifted by offset.
func collectPairs(c Costs, n int, limit float64, offset int) (accessPairs, error) {
	p := accessPairs{start: make([]int, n+1)}
	counts := make([]int, n)
	err := c.Within(limit, func(i int, r Reach) bool {
		counts[i]++
		p.office = append(p.office, int32(r.To+offset))
		p.cost = append(p.cost, r.Cost)
		return true
	})
	if err != nil {
		return accessPairs{}, err
	}
	for i, k := range counts {
		p.start[i+1] = p.start[i] + k
	}
	return p, nil
}

// merge returns the pairs of p followed, district by district, by those of q.
func (p accessPairs) merge(q accessPairs) accessPairs {
	n := len(p.start) - 1
	out := accessPairs{start: make([]int, n+1), office: make([]int32, 0, len(p.office)+len(q.office)), cost: make([]float64, 0, len(p.cost)+len(q.cost))}
	for i := range n {
		out.office = append(append(out.office, p.office[p.start[i]:p.start[i+1]]...), q.office[q.start[i]:q.start[i+1]]...)
		out.cost = append(append(out.cost, p.cost[p.start[i]:p.start[i+1]]...), q.cost[q.start[i]:q.start[i+1]]...)
		out.start[i+1] = len(out.office)
	}
	return out
}

// accessModel is an index prepared for a study: the resolved options, the
// demand, the baseline supply and the pairs of the baseline offices.
type accessModel struct {
	s      *Study
	opt    AccessOptions
	q      Quantity
	pop    []float64
	supply []float64 // baseline offices
	pairs  accessPairs
	weight func(float64) float64
}

// newAccessModel checks the options and the inputs and measures the pairs.
func (s *Study) newAccessModel(opt AccessOptions) (*accessModel, error) {
	opt, err := opt.resolve()
	if err != nil {
		return nil, err
	}
	if len(s.districts) == 0 {
		return nil, fmt.Errorf("access: the study has no districts")
	}
	if len(s.offices) == 0 {
		return nil, fmt.Errorf("access: %w: the study has no offices", ErrNoOpenOffice)
	}
	m := &accessModel{s: s, opt: opt, q: s.metric.Quantity(), pop: make([]float64, len(s.districts)), weight: opt.weight()}
	for i, d := range s.districts {
		if d.Population == nil {
			return nil, fmt.Errorf("access: %s has no population, the demand: give a population field or a population layer", districtLabel(d))
		}
		if p := *d.Population; !finite(p) || p < 0 {
			return nil, fmt.Errorf("access: %s: population %g is not a demand ≥ 0", districtLabel(d), p)
		}
		m.pop[i] = *d.Population
	}
	if m.supply, err = OfficeSupply(s.offices, opt.Supply); err != nil {
		return nil, err // names the office and the field
	}
	c, err := s.baseCosts()
	if err != nil {
		return nil, fmt.Errorf("access: %w", err)
	}
	if m.pairs, err = collectPairs(c, len(s.districts), opt.limit(), 0); err != nil {
		return nil, fmt.Errorf("access: %w", err)
	}
	return m, nil
}

// Access computes an accessibility index of every district and office
// under the study's metric (AccessOptions; see Accessibility for the
// formulas). Districts are measured from their representative points
// (population-weighted with a population layer) and weigh by their
// population; a district or office without one is an error.
func (s *Study) Access(opt AccessOptions) (Accessibility, error) {
	m, err := s.newAccessModel(opt)
	if err != nil {
		return Accessibility{}, err
	}
	status := make([]OfficeStatus, len(s.offices))
	for j := range status {
		status[j] = StatusOpen
	}
	return m.evaluate(m.pairs, s.offices, status, m.supply)
}

// evaluate computes the index over pairs for offices with their statuses
// and full supplies (before a corner's share is taken).
func (m *accessModel) evaluate(pairs accessPairs, offices []data.Office, status []OfficeStatus, supply []float64) (Accessibility, error) {
	opt := m.opt
	n := len(m.pop)
	a := Accessibility{Options: opt, Metric: m.s.metric.Name(), Quantity: m.q,
		Districts: make([]DistrictAccess, n), Offices: make([]OfficeAccess, len(offices))}
	active := make([]bool, len(offices))
	for j := range offices {
		o := OfficeAccess{Office: &offices[j], Index: j, Status: status[j], Ratio: math.NaN()}
		switch status[j] {
		case StatusOpen, StatusNew:
			o.Supply, active[j] = supply[j], true
		case StatusCorner:
			o.Supply, active[j] = opt.CornerShare*supply[j], opt.CornerShare > 0
		}
		a.Offices[j] = o
	}
	// Step 1: the demand that reaches each office. Weights are computed
	// in each step rather than kept: without a catchment there may be tens
	// of millions of pairs.
	for i := range n {
		for k := pairs.start[i]; k < pairs.start[i+1]; k++ {
			j := pairs.office[k]
			if !active[j] {
				continue
			}
			w := m.weight(pairs.cost[k])
			if math.IsInf(w, 0) {
				return Accessibility{}, fmt.Errorf("access: the gravity weight of %s at cost 0 is infinite: give a minimum cost > 0", officeLabel(offices[j]))
			}
			o := &a.Offices[j]
			o.WeightedDemand += w * m.pop[i]
			o.Districts++
		}
	}
	for j := range a.Offices {
		o := &a.Offices[j]
		if o.WeightedDemand > 0 {
			a.SupplyReached += o.Supply
		}
		if opt.Method.fca() {
			o.Ratio = 0
			if o.WeightedDemand > 0 {
				o.Ratio = o.Supply / o.WeightedDemand
			}
		}
	}
	// Step 2: each district's sum over the offices in range.
	var weighted float64
	for i := range n {
		d := DistrictAccess{District: &m.s.districts[i], Index: i, Population: m.pop[i]}
		for k := pairs.start[i]; k < pairs.start[i+1]; k++ {
			j := pairs.office[k]
			if !active[j] {
				continue
			}
			w, o := m.weight(pairs.cost[k]), &a.Offices[j]
			if opt.Method.fca() {
				d.Access += w * o.Ratio
			} else {
				d.Access += w * o.Supply
			}
			d.OfficesReached++
		}
		a.Population += d.Population
		weighted += d.Population * d.Access
		if d.OfficesReached == 0 {
			a.NoAccess++
			a.NoAccessPopulation += d.Population
		}
		a.Districts[i] = d
	}
	a.Mean = math.NaN()
	if a.Population > 0 {
		a.Mean = weighted / a.Population
	}
	for i := range a.Districts {
		d := &a.Districts[i]
		d.Norm = math.NaN()
		if a.Mean > 0 {
			d.Norm = d.Access / a.Mean
		}
	}
	if a.NoAccess > 0 {
		m.notes(&a)
	}
	return a, nil
}

// notes says why the districts with no office in range have none: the
// metric does not reach them at all (outside a road network, missing from
// a cost matrix), or no open office is within the catchment.
func (m *accessModel) notes(a *Accessibility) {
	var base Assignment
	if as, err := m.s.Assign(); err == nil {
		base = as
	}
	for i := range a.Districts {
		d := &a.Districts[i]
		if d.OfficesReached > 0 {
			continue
		}
		switch {
		case base.Districts != nil && !base.Districts[i].Reached():
			d.Note, d.Unrouted = base.Districts[i].Note, true
			a.Unrouted++
		case m.opt.Catchment > 0:
			d.Note = "no open office within " + costText(m.opt.Catchment, m.q)
		default:
			d.Note = "no open office reachable"
		}
	}
}
