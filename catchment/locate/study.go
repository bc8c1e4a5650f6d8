package locate

import (
	"fmt"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

// StudyOptions say which offices a study's problem keeps open and which
// extra points it adds.
type StudyOptions struct {
	// Keep are the ids of offices open in every plan.
	Keep []string
	// KeepKind keeps every office of this kind open ("": none).
	KeepKind data.OfficeKind
	// Extra are points always open that count in no K: convenience
	// stores and post offices that issue certificates
	// (catchment.ServicePlaces).
	Extra []catchment.Place
}

// FromStudy is the location problem of a study: its districts, at their
// representative points (population-weighted with a population layer),
// are the demand, weighted by population (1 each when no district has a
// population); its offices are the candidate sites; the costs are the
// study's, under its metric.
func FromStudy(s *catchment.Study, opt StudyOptions) (*Problem, error) {
	offices := s.Offices()
	if len(offices) == 0 {
		return nil, fmt.Errorf("the study has no offices")
	}
	if len(s.Districts()) == 0 {
		return nil, fmt.Errorf("the study has no districts")
	}
	kept := make([]bool, len(offices))
	if opt.KeepKind != "" {
		found := false
		for j, o := range offices {
			if o.Kind == opt.KeepKind {
				kept[j], found = true, true
			}
		}
		if !found {
			return nil, fmt.Errorf("keep offices of kind %q: %w", opt.KeepKind, &catchment.NoOfficeOfKindError{Kind: opt.KeepKind})
		}
	}
	index := make(map[string]int, len(offices))
	known := make([]string, len(offices))
	for j, o := range offices {
		index[o.ID] = j
		known[j] = o.ID
	}
	for _, id := range opt.Keep {
		j, ok := index[id]
		if !ok {
			return nil, fmt.Errorf("keep: %w", &catchment.UnknownOfficeError{ID: id, Known: known})
		}
		kept[j] = true
	}
	p := &Problem{Metric: s.Metric(), Demand: s.DistrictPlaces(), Sites: s.OfficePlaces(), Extra: opt.Extra}
	for j, k := range kept {
		if k {
			p.Kept = append(p.Kept, j)
		}
	}
	p.Weights = make([]float64, len(p.Demand))
	any := false
	for i, d := range s.Districts() {
		if d.Population != nil {
			any = true
		}
		p.Weights[i] = d.Pop()
	}
	if !any {
		for i := range p.Weights {
			p.Weights[i] = 1
		}
	}
	var err error
	if p.Costs, err = s.Costs(); err != nil {
		return nil, err
	}
	return p, nil
}
