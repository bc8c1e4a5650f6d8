package catchment

import (
	"fmt"
	"strings"
	"sync"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/paulmach/orb"
)

// Options are the settings of a study.
type Options struct {
	// Metric measures every distance of the study; nil is Geodesic.
	Metric Metric
	// Population is a population layer (points or mesh cells). When given,
	// each district's population becomes the sum of the cells whose point
	// lies in it, and its representative point the population-weighted one
	// (see WeightDistricts); without it a district keeps its own
	// population and geo.RepresentativePoint.
	Population []data.PopulationCell
	// WithinM counts the stores, post offices and extra certificate points
	// within this many metres of a district as serving it (0: inside only).
	WithinM float64
	// ExtraCertificatePoints are places besides stores and post offices
	// that issue certificates (kiosks, post offices taking on the service):
	// Gaps counts them, and a district with one counts as covered for
	// certificates in what-if comparisons.
	ExtraCertificatePoints []data.ServicePoint
}

// Study is one analysis of a dataset under one metric. It owns the
// districts' representative points (population-weighted when a population
// layer is given), the indexes and the metric's prepared costs, and offers
// the analyses as methods; results carry the offices and districts they
// are about. A Study is safe for concurrent use.
type Study struct {
	ds        *data.Dataset
	offices   []data.Office
	districts []data.District
	points    []orb.Point
	metric    Metric
	opt       Options
	pop       *PopulationSummary

	mu       sync.Mutex
	warnings []data.Warning
	seen     map[string]bool // warnings already listed

	baseOnce sync.Once
	base     Costs // district points → offices
	baseErr  error

	assignOnce sync.Once
	assign     Assignment
	baseReach  []Reach // the metric's answers behind assign
	assignErr  error

	gapsOnce sync.Once
	gaps     []GapRow
	gapsErr  error

	whatIfOnce sync.Once
	whatIf     *WhatIf
	whatIfErr  error
}

// NewStudy prepares a study of ds. It weights the districts by the
// population layer, if any, and checks that office and district ids are
// unique; the metric is first used by the first analysis that needs it.
func NewStudy(ds *data.Dataset, opt Options) (*Study, error) {
	if ds == nil {
		return nil, fmt.Errorf("study: no dataset")
	}
	s := &Study{ds: ds, offices: ds.Offices, districts: ds.Districts, metric: opt.Metric, opt: opt, seen: map[string]bool{}}
	if s.metric == nil {
		s.metric = Geodesic{}
	}
	for _, l := range []struct {
		what string
		ids  func(yield func(string) bool)
	}{
		{"office", func(yield func(string) bool) {
			for _, o := range ds.Offices {
				if !yield(o.ID) {
					return
				}
			}
		}},
		{"district", func(yield func(string) bool) {
			for _, d := range ds.Districts {
				if !yield(d.ID) {
					return
				}
			}
		}},
	} {
		ids := map[string]bool{}
		for id := range l.ids {
			if ids[id] {
				return nil, fmt.Errorf("study: %s id %q appears twice", l.what, id)
			}
			ids[id] = true
		}
	}
	if len(opt.Population) > 0 && len(ds.Districts) > 0 {
		for _, d := range ds.Districts {
			if d.Point != nil {
				return nil, fmt.Errorf("%s: district %s is a point: a population layer needs district polygons to fall in", populationSource(ds), d.ID)
			}
		}
		ps, err := WeightDistricts(ds.Districts, opt.Population)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", populationSource(ds), err)
		}
		if ps.CellsOut > 0 {
			s.warn(data.Warning{File: populationSource(ds),
				Message: fmt.Sprintf("%d cells (population %.0f of %.0f) lie in no district and are left out", ps.CellsOut, ps.Outside, ps.Total)})
		}
		s.pop = &ps
		s.districts = ps.WithPopulation(ds.Districts)
		s.points = ps.Points()
	} else {
		s.points = RepresentativePoints(ds.Districts)
	}
	if len(s.districts) > 0 && !s.HasPopulation() {
		s.warn(data.Warning{File: ds.Sources[data.LayerDistricts], Field: "population",
			Message: "no district has a population: residents cannot be counted (figures of residents and person-km are 0, and closures are ranked by the distance added over the districts that move); add a population field (--field districts.population=NAME) or a population layer (--population)"})
	}
	return s, nil
}

// HasPopulation reports whether any district has a population (from its
// layer or the population layer): without one, residents cannot be
// counted.
func (s *Study) HasPopulation() bool {
	for _, d := range s.districts {
		if d.Population != nil {
			return true
		}
	}
	return false
}

// populationSource names the population layer in messages.
func populationSource(ds *data.Dataset) string {
	if p := ds.Sources[data.LayerPopulation]; p != "" {
		return p
	}
	return "population layer"
}

// Dataset is the dataset the study was made from, as loaded.
func (s *Study) Dataset() *data.Dataset { return s.ds }

// Offices are the study's offices, in input order. The slice must not be
// modified.
func (s *Study) Offices() []data.Office { return s.offices }

// Districts are the study's districts in input order, with their
// population from the population layer when one was given. The slice must
// not be modified.
func (s *Study) Districts() []data.District { return s.districts }

// Points are the districts' representative points, where every distance
// from a district is measured: population-weighted with a population
// layer, else geo.RepresentativePoint.
func (s *Study) Points() []orb.Point { return s.points }

// Population is how the population layer fell on the districts; nil when
// the study has none.
func (s *Study) Population() *PopulationSummary { return s.pop }

// Metric is the study's metric.
func (s *Study) Metric() Metric { return s.metric }

// Options are the options the study was made with.
func (s *Study) Options() Options { return s.opt }

// Warnings lists what the study could not use or had to change so far:
// population cells outside every district, offices and districts its
// metric could not reach. Analyses add to it as they run; each warning is
// listed once, and a warning about one place is left out when a warning
// about many from the same file names it (a road network's "15 of 19
// offices are more than 500 m from the road network: … office 龍田出張所
// (tatsuda) 2269 m …" covers that office's own line).
func (s *Study) Warnings() []data.Warning {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]data.Warning, 0, len(s.warnings))
	for _, w := range s.warnings {
		if !summarised(w, s.warnings) {
			out = append(out, w)
		}
	}
	return out
}

// summarised reports whether a warning about one place (its Feature) is
// named in a warning about many (no Feature) from the same file.
func summarised(w data.Warning, all []data.Warning) bool {
	if w.Feature == "" {
		return false
	}
	for _, v := range all {
		if v.Feature == "" && v.File == w.File && strings.Contains(v.Message, w.Feature+" ") {
			return true
		}
	}
	return false
}

// warned reports whether the study has listed w already.
func (s *Study) warned(w data.Warning) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[w.String()]
}

func (s *Study) warn(ws ...data.Warning) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range ws {
		k := w.String()
		if !s.seen[k] {
			s.seen[k] = true
			s.warnings = append(s.warnings, w)
		}
	}
}

// officeLabel names an office in messages: "office 大江出張所 (oe)".
func officeLabel(o data.Office) string {
	return fmt.Sprintf("office %s (%s)", o.Name, o.ID)
}

// districtLabel names a district in messages: "district 白川 (d12)".
func districtLabel(d data.District) string {
	return fmt.Sprintf("district %s (%s)", d.Name, d.ID)
}

// officePlaces are the offices as places to measure to or from.
func officePlaces(offices []data.Office) []Place {
	ps := make([]Place, len(offices))
	for i, o := range offices {
		ps[i] = Place{ID: o.ID, Kind: "office", Label: officeLabel(o), Location: o.Location}
	}
	return ps
}

// OfficePlaces are the study's offices as places to measure to, in input
// order.
func (s *Study) OfficePlaces() []Place { return officePlaces(s.offices) }

// DistrictPlaces are the study's districts as places to measure from: at
// their representative points (population-weighted with a population
// layer), in input order.
func (s *Study) DistrictPlaces() []Place { return s.districtPlaces() }

// ServicePlaces are service points (kind "store", "post office") as places
// to measure to.
func ServicePlaces(points []data.ServicePoint, kind string) []Place {
	ps := make([]Place, len(points))
	for i, p := range points {
		label := fmt.Sprintf("%s %s (%s)", kind, p.Name, p.ID)
		if p.Name == "" {
			label = fmt.Sprintf("%s %s", kind, p.ID)
		}
		ps[i] = Place{ID: p.ID, Kind: kind, Label: label, Location: p.Location}
	}
	return ps
}

// Costs are the metric's costs from every district (DistrictPlaces) to
// every office (OfficePlaces), measured once and shared by the analyses.
func (s *Study) Costs() (Costs, error) { return s.baseCosts() }

// districtPlaces are the districts at their representative points.
func (s *Study) districtPlaces() []Place {
	ps := make([]Place, len(s.districts))
	for i, d := range s.districts {
		ps[i] = Place{ID: d.ID, Kind: "district", Label: districtLabel(d), Location: s.points[i]}
	}
	return ps
}

// measure prepares the metric's costs and records its warnings.
func (s *Study) measure(origins, destinations []Place) (Costs, error) {
	c, err := s.metric.Measure(origins, destinations)
	if err != nil {
		return nil, err
	}
	s.warn(c.Warnings()...)
	return c, nil
}

// baseCosts are the costs from every district to every office, prepared once.
func (s *Study) baseCosts() (Costs, error) {
	s.baseOnce.Do(func() {
		if len(s.offices) == 0 {
			s.baseErr = fmt.Errorf("%w: the study has no offices", ErrNoOpenOffice)
			return
		}
		s.base, s.baseErr = s.measure(s.districtPlaces(), officePlaces(s.offices))
	})
	return s.base, s.baseErr
}

// officeIndex maps office ids to indexes into offices.
func officeIndex(offices []data.Office) map[string]int {
	ids := make(map[string]int, len(offices))
	for i, o := range offices {
		ids[o.ID] = i
	}
	return ids
}

// openOffices turns closed office ids into open flags, one per office.
func (s *Study) openOffices(closed []string) ([]bool, error) {
	open := make([]bool, len(s.offices))
	for i := range open {
		open[i] = true
	}
	if len(closed) == 0 {
		return open, nil
	}
	ids := officeIndex(s.offices)
	for _, id := range closed {
		i, ok := ids[id]
		if !ok {
			return nil, &UnknownOfficeError{ID: id, Known: officeIDs(s.offices, nil)}
		}
		open[i] = false
	}
	return open, nil
}

// Gaps counts, per district, the stores, post offices and extra
// certificate points inside it (Options.WithinM = 0) or within WithinM
// metres of it, and marks the districts with no store as gaps (see the
// function Gaps). It is computed once.
func (s *Study) Gaps() ([]GapRow, error) {
	s.gapsOnce.Do(func() {
		s.gaps, s.gapsErr = countGaps(s.districts, s.ds.Stores, s.ds.Posts, s.opt.ExtraCertificatePoints, s.opt.WithinM)
	})
	return s.gaps, s.gapsErr
}

// Catchments draws the area each open office serves: the union of the
// districts assigned to it (Dissolve), or its Voronoi cell clipped to the
// boundary (Voronoi; computed in a local projection, straight lines on
// the ellipsoid, whatever the metric).
func (s *Study) Catchments(m Method) ([]Catchment, error) {
	switch m {
	case Dissolve:
		if len(s.districts) == 0 {
			return nil, fmt.Errorf("dissolve catchments: the study has no districts")
		}
		a, err := s.Assign()
		if err != nil {
			return nil, err
		}
		return dissolveCatchments(s.districts, s.offices, a)
	case Voronoi:
		var a Assignment
		if len(s.districts) > 0 {
			var err error
			if a, err = s.Assign(); err != nil {
				return nil, err
			}
		}
		return voronoiCatchments(s.districts, s.offices, s.ds.Boundary, a)
	default:
		return nil, fmt.Errorf("unknown catchment method %q: want dissolve or voronoi", m)
	}
}

// WhatIf is the what-if engine of the study: the baseline (every office
// open) under the study's metric, against which changes are compared. It
// is built once.
func (s *Study) WhatIf() (*WhatIf, error) {
	s.whatIfOnce.Do(func() {
		s.whatIf, s.whatIfErr = newWhatIf(s)
	})
	return s.whatIf, s.whatIfErr
}
