// Package catchment holds the analyses of a study: the nearest office of
// another kind, the reorganisation candidates of the distance rule, the
// assignment of districts to offices, coverage gaps, catchment polygons,
// service areas, what-if comparisons and accessibility indices (2SFCA,
// enhanced 2SFCA, gravity). A Study owns the data, the metric
// (geodesic, a road network, a cost matrix: anything that implements
// Metric) and the indexes, and offers the analyses as methods. Nothing
// here prints.
package catchment

import (
	"fmt"
	"sort"

	"github.com/kumamoto-gis/catchment/data"
)

// DefaultMaxKm is the Kumamoto plan's rule: a branch office whose nearest
// ward office is within 5 km is a candidate for reorganisation.
const DefaultMaxKm = 5.0

// NearestRow is one office and the nearest office of the other kind.
type NearestRow struct {
	Office data.Office
	// Nearest is the nearest office; its ID is empty when none was reached.
	Nearest   data.Office
	DistanceM float64 // metres under the metric (geodesic: on WGS84); NaN when unreached or unknown
	TimeS     float64 // travel time in seconds; NaN unless the metric has times
	Note      string  // why the office was not reached
}

// Reached reports whether a nearest office was found.
func (r NearestRow) Reached() bool { return r.Nearest.ID != "" }

// Nearest pairs every office of kind from with the nearest office of kind
// to under the study's metric, in input order. An office the metric cannot
// route keeps its row with no nearest office and a Note.
func (s *Study) Nearest(from, to data.OfficeKind) ([]NearestRow, error) {
	var targets, sources []int
	for i, o := range s.offices {
		if o.Kind == to {
			targets = append(targets, i)
		}
		if o.Kind == from {
			sources = append(sources, i)
		}
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("nearest: %w", &NoOfficeOfKindError{Kind: to, Open: true})
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("nearest: %w", &NoOfficeOfKindError{Kind: from})
	}
	pick := func(idx []int) []data.Office {
		out := make([]data.Office, len(idx))
		for k, i := range idx {
			out[k] = s.offices[i]
		}
		return out
	}
	src, dst := pick(sources), pick(targets)
	c, err := s.measure(officePlaces(src), officePlaces(dst))
	if err != nil {
		return nil, fmt.Errorf("nearest: %w", err)
	}
	reach, err := c.Nearest(nil, nil)
	if err != nil {
		return nil, fmt.Errorf("nearest: %w", err)
	}
	rows := make([]NearestRow, len(src))
	for k, o := range src {
		r := reach[k]
		rows[k] = NearestRow{Office: o, DistanceM: r.DistanceM, TimeS: r.TimeS, Note: r.Note}
		if r.Reached() {
			rows[k].Nearest = dst[r.To]
		}
	}
	return rows, nil
}

// Candidates are the branch offices whose nearest ward office is within
// maxKm under the study's metric, nearest first: the plan's rule for
// offices to reorganise.
func (s *Study) Candidates(maxKm float64) ([]NearestRow, error) {
	if err := checkKm(maxKm); err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	rows, err := s.Nearest(data.Branch, data.Ward)
	if err != nil {
		return nil, err
	}
	return Candidates(rows, maxKm), nil
}

// Candidates returns the rows whose distance is within maxKm, nearest first.
func Candidates(rows []NearestRow, maxKm float64) []NearestRow {
	var out []NearestRow
	for _, r := range rows {
		if r.Reached() && r.DistanceM <= maxKm*1000 {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DistanceM < out[j].DistanceM })
	return out
}

// checkKm refuses a distance threshold that is not a finite number of
// kilometres ≥ 0: NaN compares false with every distance and would give an
// empty answer without an error.
func checkKm(km float64) error {
	if !(km >= 0 && km <= 20037.5) {
		return fmt.Errorf("distance threshold %g km: want a finite number from 0 to 20037.5 (half the equator)", km)
	}
	return nil
}
