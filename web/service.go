package web

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/service"
	"github.com/kumamoto-gis/catchment/data"
)

// Service is the certificate service model the page runs on every
// scenario, as `catchment whatif` does on the stage it shows.
type Service struct {
	// Model is the checked model, with the command line's overrides.
	Model *data.ServiceModel
	// HoursMetric measures the opening hours and HoursLimit (in its
	// quantity: metres or seconds) bounds the points that count; the
	// CLI's choice: the study's distance metric, else geodesic.
	HoursMetric catchment.Metric
	HoursLimit  float64
}

// serviceJSON is the service model's figures for a scenario: the few a
// planner needs in a meeting. Years are fiscal years; yen per
// certificate is null when a channel issues none.
type serviceJSON struct {
	Model  string `json:"model"`
	Source string `json:"source"`
	// Demo is true while the counter counts are the DEMO series.
	Demo          bool   `json:"demo"`
	Counts        string `json:"counts"`
	ReferenceYear int    `json:"reference_year"`
	Year          int    `json:"year"`
	// StaffToday is today's counter staff; StaffNeeded the staff the
	// scenario's counter work needs in Year.
	StaffToday  float64 `json:"staff_today"`
	StaffNeeded float64 `json:"staff_needed"`
	// StaffNeededAllOpen and YenReorganisedAllOpen are the same with
	// every office open: what the scenario changes.
	StaffNeededAllOpen    float64  `json:"staff_needed_all_open"`
	YenReorganisedAllOpen *float64 `json:"yen_reorganised_all_open"`
	// Counter cost per certificate: at ReferenceYear's volumes, and in
	// Year with today's staff (not reorganised) and after the scenario
	// staffed to its work (reorganised); a store's in Year.
	YenReference      *float64 `json:"yen_reference"`
	YenNotReorganised *float64 `json:"yen_not_reorganised"`
	YenReorganised    *float64 `json:"yen_reorganised"`
	YenStore          *float64 `json:"yen_store"`
	// Certificates in Year by channel.
	Certificates map[string]float64 `json:"certificates"`
	// Opening hours: At is the moment of the week asked about, WithinKm
	// the distance (or WithinMin the time) within which a point counts.
	At        string   `json:"at"`
	WithinKm  *float64 `json:"within_km,omitempty"`
	WithinMin *float64 `json:"within_min,omitempty"`
	// NoneOpen: districts (and residents) with no certificate point open
	// at At within the limit; NoHours: with no point within the limit at
	// any hour; before and after the scenario.
	NoneOpen hoursCount `json:"none_open"`
	NoHours  hoursCount `json:"no_hours"`
	// NearestOpenKm is the population-weighted mean distance to the
	// nearest point open at At, before and after.
	NearestOpenKm [2]*float64 `json:"nearest_open_km"`
	// ChangedDistricts (and ChangedPopulation) are the districts whose
	// hours or nearest open point change.
	ChangedDistricts  int      `json:"changed_districts"`
	ChangedPopulation float64  `json:"changed_population"`
	Notes             []string `json:"notes"`
}

// hoursCount is a count of districts and residents before and after.
type hoursCount struct {
	DistrictsBefore  int     `json:"districts_before"`
	DistrictsAfter   int     `json:"districts_after"`
	PopulationBefore float64 `json:"population_before"`
	PopulationAfter  float64 `json:"population_after"`
}

// serviceStatus says whether the page can show the service model, and
// when not, what is missing.
func (s *Server) serviceStatus() map[string]any {
	if s.opt.Service == nil {
		missing := s.opt.ServiceMissing
		if missing == "" {
			missing = "no certificate service model"
		}
		return map[string]any{"available": false, "missing": missing}
	}
	return map[string]any{"available": true, "model": s.opt.Service.Model.Name}
}

// handleService runs the certificate service model on a scenario: the
// same service.Analyse and service.HoursAccess calls `catchment whatif`
// makes, so the figures equal its service output.
func (s *Server) handleService(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	if s.opt.Service == nil {
		st := s.serviceStatus()
		writeError(w, http.StatusConflict, "model", "%s", st["missing"])
		return
	}
	c, ok := s.compare(w, req)
	if !ok {
		return
	}
	out, err := s.serviceFigures(&c)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "", "service model: %v", err)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Compute-Ms", strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 1, 64))
	w.Write(b)
}

// serviceFigures applies the model to a comparison.
func (s *Server) serviceFigures(c *catchment.Comparison) (serviceJSON, error) {
	sv := s.opt.Service
	m := sv.Model
	ds := s.study.Dataset()
	a, err := service.Analyse(s.study, m, service.Options{Counts: ds.Counts, Comparison: c, Gaps: s.gaps})
	if err != nil {
		return serviceJSON{}, err
	}
	h, err := service.HoursAccess(s.study, m, service.HoursOptions{Metric: sv.HoursMetric, Limit: sv.HoursLimit, At: m.Access.At, Comparison: c, Gaps: s.gaps})
	if err != nil {
		return serviceJSON{}, err
	}
	base, err := s.serviceBaseline()
	if err != nil {
		return serviceJSON{}, err
	}
	if len(a.Years) == 0 || len(base.Years) != len(a.Years) {
		return serviceJSON{}, errNoYears
	}
	all := base.Years[len(base.Years)-1]
	ref, last := a.Years[0], a.Years[len(a.Years)-1]
	for _, y := range a.Years {
		if y.Year == m.ReferenceYear {
			ref = y
		}
	}
	out := serviceJSON{
		Model: m.Name, Source: m.Source, Demo: ds.Synthetic[data.LayerCounts], Counts: ds.Sources[data.LayerCounts],
		ReferenceYear: ref.Year, Year: last.Year,
		StaffToday: last.NotReorganised.Staff, StaffNeeded: last.Reorganised.Staff,
		StaffNeededAllOpen: all.Reorganised.Staff, YenReorganisedAllOpen: yen(all.Reorganised.PerCertificate),
		YenReference: yen(ref.NotReorganised.PerCertificate), YenNotReorganised: yen(last.NotReorganised.PerCertificate),
		YenReorganised: yen(last.Reorganised.PerCertificate), YenStore: yen(last.StoreCost.PerCertificate),
		Certificates: map[string]float64{
			"counter": math.Round(last.Counter), "corner": math.Round(last.Corner), "store": math.Round(last.Store),
			"post": math.Round(last.Post), "total": math.Round(last.Demand),
		},
		At:    h.At.String(),
		Notes: append(append([]string{}, a.Notes...), h.Notes...),
	}
	if h.Quantity == catchment.Time {
		v := h.Limit / 60
		out.WithinMin = &v
	} else {
		v := h.Limit / 1000
		out.WithinKm = &v
	}
	after := &h.Before
	if h.After != nil {
		after = h.After
	}
	for k, st := range []*service.HoursState{&h.Before, after} {
		var sum, pop float64
		for _, d := range st.Districts {
			if d.Nearest < 0 || d.Cost > h.Limit {
				if k == 0 {
					out.NoneOpen.DistrictsBefore++
					out.NoneOpen.PopulationBefore += d.Population
				} else {
					out.NoneOpen.DistrictsAfter++
					out.NoneOpen.PopulationAfter += d.Population
				}
			}
			if d.HoursPerWeek == 0 {
				if k == 0 {
					out.NoHours.DistrictsBefore++
					out.NoHours.PopulationBefore += d.Population
				} else {
					out.NoHours.DistrictsAfter++
					out.NoHours.PopulationAfter += d.Population
				}
			}
			if d.Nearest >= 0 {
				sum += d.Population * d.DistanceM
				pop += d.Population
			}
		}
		if pop > 0 {
			v := math.Round(sum/pop) / 1000
			out.NearestOpenKm[k] = &v
		}
	}
	out.ChangedDistricts, out.ChangedPopulation = h.Changed()
	return out, nil
}

// serviceBaseline is the model on today's network (computed once).
func (s *Server) serviceBaseline() (*service.Analysis, error) {
	s.serviceOnce.Do(func() {
		ds := s.study.Dataset()
		s.serviceBase, s.serviceErr = service.Analyse(s.study, s.opt.Service.Model, service.Options{Counts: ds.Counts, Gaps: s.gaps})
	})
	return s.serviceBase, s.serviceErr
}

// yen rounds a cost per certificate to 0.1 yen; nil when NaN.
func yen(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r := math.Round(v*10) / 10
	return &r
}
