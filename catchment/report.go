package catchment

import (
	"fmt"

	"github.com/kumamoto-gis/catchment/data"
)

// Report is every analysis of a study's report, computed before anything
// is written.
type Report struct {
	// MaxKm is the distance rule of the candidates.
	MaxKm float64
	// Nearest pairs every branch office with its nearest ward office;
	// Candidates are those within MaxKm, nearest first.
	Nearest, Candidates []NearestRow
	// Straight is Nearest by straight line on the ellipsoid when the
	// study's metric is another (a road network, a cost matrix), to set
	// beside it; nil under the geodesic metric.
	Straight []NearestRow
	// Assignment assigns every district to its nearest office.
	Assignment Assignment
	// Gaps is the certificate coverage per district; nil when the study
	// has no stores.
	Gaps []GapRow
	// Dissolved and Voronoi are the catchments of the open offices.
	Dissolved, Voronoi []Catchment
	// Each ranks the branch offices by the impact of closing each alone,
	// with distances on the ellipsoid whatever the study's metric; nil
	// when the study has no branch office or fewer than two offices.
	Each []Impact
	// Skipped says which analyses could not run on this study and why
	// (no branch or no ward office), in the order of the report.
	Skipped []string
}

// Report runs the analyses of the report: nearest ward office and
// candidates under maxKm, the assignment, gaps, dissolved and Voronoi
// catchments, and the ranking of closing each branch office alone.
func (s *Study) Report(maxKm float64) (Report, error) {
	return s.ReportPhases(maxKm, nil)
}

// ReportPhases is Report, calling done (when not nil) with the name of each
// analysis as it finishes: "nearest", "assign", "gaps", "dissolve",
// "voronoi", "straight-line nearest" and "closing each branch office", the
// ones the study runs, in that order. A caller shows with it where the time
// goes.
func (s *Study) ReportPhases(maxKm float64, done func(phase string)) (Report, error) {
	if done == nil {
		done = func(string) {}
	}
	r := Report{MaxKm: maxKm}
	if err := checkKm(maxKm); err != nil {
		return r, fmt.Errorf("report: %w", err)
	}
	var err error
	kinds := map[data.OfficeKind]int{}
	for _, o := range s.offices {
		kinds[o.Kind]++
	}
	pairs := kinds[data.Branch] > 0 && kinds[data.Ward] > 0
	switch {
	case pairs:
		if r.Nearest, err = s.Nearest(data.Branch, data.Ward); err != nil {
			return r, err
		}
		r.Candidates = Candidates(r.Nearest, maxKm)
		done("nearest")
	case kinds[data.Branch] == 0:
		r.Skipped = append(r.Skipped, "the nearest ward office of each branch office and the distance rule's candidates: the study has no branch office")
	default:
		r.Skipped = append(r.Skipped, "the nearest ward office of each branch office and the distance rule's candidates: the study has no ward office")
	}
	if r.Assignment, err = s.Assign(); err != nil {
		return r, err
	}
	done("assign")
	if len(s.ds.Stores) > 0 {
		if r.Gaps, err = s.Gaps(); err != nil {
			return r, err
		}
		done("gaps")
	}
	if r.Dissolved, err = s.Catchments(Dissolve); err != nil {
		return r, err
	}
	done("dissolve")
	if r.Voronoi, err = s.Catchments(Voronoi); err != nil {
		return r, err
	}
	done("voronoi")
	straight := s
	if s.metric != (Geodesic{}) {
		if straight, err = NewStudy(s.ds, Options{Population: s.opt.Population, WithinM: s.opt.WithinM, ExtraCertificatePoints: s.opt.ExtraCertificatePoints}); err != nil {
			return r, err
		}
		if pairs {
			if r.Straight, err = straight.Nearest(data.Branch, data.Ward); err != nil {
				return r, err
			}
			done("straight-line nearest")
		}
	}
	switch {
	case kinds[data.Branch] == 0:
		r.Skipped = append(r.Skipped, "the ranking of closing each branch office alone: the study has no branch office")
		return r, nil
	case len(s.offices) < 2:
		r.Skipped = append(r.Skipped, "the ranking of closing each branch office alone: closing the only office leaves none")
		return r, nil
	}
	w, err := straight.WhatIf()
	if err != nil {
		return r, fmt.Errorf("closing each branch office: %w", err)
	}
	r.Each, err = w.Each(data.Branch, CompareOptions{MaxKm: maxKm, Coverage: r.Gaps})
	if err == nil {
		done("closing each branch office")
	}
	return r, err
}
