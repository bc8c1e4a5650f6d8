// Package catchment holds the analyses of a study: the nearest office of
// another kind, the reorganisation candidates of the distance rule, the
// assignment of districts to offices, coverage gaps and catchment polygons.
// Every function takes values and returns values; nothing prints.
package catchment

import (
	"fmt"
	"sort"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/paulmach/orb"
)

// DefaultMaxKm is the Kumamoto plan's rule: a branch office whose nearest
// ward office is within 5 km is a candidate for reorganisation.
const DefaultMaxKm = 5.0

// NearestRow is one office and the nearest office of the other kind.
type NearestRow struct {
	Office data.Office
	// Nearest is the nearest office; its ID is empty when none was reached.
	Nearest   data.Office
	DistanceM float64 // metres under the metric (geodesic: on WGS84); NaN when unreached
	TimeS     float64 // travel time in seconds; NaN unless the metric has times
	Note      string  // why the office was not reached
}

// Reached reports whether a nearest office was found.
func (r NearestRow) Reached() bool { return r.Nearest.ID != "" }

// NearestOffices pairs every office of kind from with the geodesically
// nearest office of kind to, in input order. Offices in closed are ignored
// as targets.
func NearestOffices(offices []data.Office, from, to data.OfficeKind, closed map[string]bool) ([]NearestRow, error) {
	rows, _, err := NearestOfficesBy(offices, from, to, closed, Geodesic{})
	return rows, err
}

// NearestOfficesBy is NearestOffices under any metric; warnings name the
// offices it could not route.
func NearestOfficesBy(offices []data.Office, from, to data.OfficeKind, closed map[string]bool, m Measure) ([]NearestRow, []string, error) {
	var targets, sources []int
	var tpts, spts []orb.Point
	for i, o := range offices {
		if o.Kind == to && !closed[o.ID] {
			targets = append(targets, i)
			tpts = append(tpts, o.Location)
		}
		if o.Kind == from {
			sources = append(sources, i)
			spts = append(spts, o.Location)
		}
	}
	if len(targets) == 0 {
		return nil, nil, fmt.Errorf("nearest: no open office of kind %q", to)
	}
	if len(sources) == 0 {
		return nil, nil, fmt.Errorf("nearest: no office of kind %q", from)
	}
	reach, issues, err := m.Nearest(spts, tpts, nil)
	warns := describe(issues, snapLimit(m),
		func(k int) string { return officeLabel(offices[sources[k]]) },
		func(k int) string { return officeLabel(offices[targets[k]]) })
	if err != nil {
		return nil, warns, fmt.Errorf("nearest: %w", err)
	}
	rows := make([]NearestRow, len(sources))
	for k, i := range sources {
		r := reach[k]
		rows[k] = NearestRow{Office: offices[i], DistanceM: r.DistanceM, TimeS: r.TimeS, Note: r.Note}
		if r.Facility >= 0 {
			rows[k].Nearest = offices[targets[r.Facility]]
		}
	}
	return rows, warns, nil
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

// officeLabel names an office in messages: "大江出張所 (oe)".
func officeLabel(o data.Office) string {
	return fmt.Sprintf("office %s (%s)", o.Name, o.ID)
}
