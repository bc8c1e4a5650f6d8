package catchment

import (
	"fmt"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// DistrictAssignment is one district and the open office that serves it.
type DistrictAssignment struct {
	District *data.District
	// Office is the office that serves the district; nil when the metric
	// reaches no open office from it.
	Office *data.Office
	// Index is the district's index in the study; OfficeIndex the office's
	// (-1 when Office is nil).
	Index, OfficeIndex int
	// Point is the district's representative point, where distance is
	// measured from.
	Point     orb.Point
	DistanceM float64 // distance from Point to the office, metres; NaN when unreached or unknown
	TimeS     float64 // travel time in seconds; NaN unless the metric has times
	Note      string  // why the district was not reached
}

// Reached reports whether an office serves the district.
func (d DistrictAssignment) Reached() bool { return d.Office != nil }

// OfficeLoad is what one office serves.
type OfficeLoad struct {
	Office     *data.Office
	Index      int // the office's index in the study (or in Outcome.Offices)
	Open       bool
	Districts  int
	Population float64
}

// Assignment is every district assigned to its nearest open office.
type Assignment struct {
	Districts []DistrictAssignment // one per district, in input order
	Offices   []OfficeLoad         // one per office, in input order
	// OpenOffices is the number of offices not closed.
	OpenOffices int
	// Population is the total population of the districts.
	Population float64
	// Unreached counts districts that the metric could not route.
	Unreached int
	// Metric names the metric the distances are measured under.
	Metric string
}

// ResidentsPerOffice is the population divided by the number of open offices.
func (a Assignment) ResidentsPerOffice() float64 {
	if a.OpenOffices == 0 {
		return 0
	}
	return a.Population / float64(a.OpenOffices)
}

// RepresentativePoints returns each district's representative point (the
// area centroid, or a point on its surface when the centroid falls
// outside; a district given as a point is at that point).
func RepresentativePoints(districts []data.District) []orb.Point {
	pts := make([]orb.Point, len(districts))
	for i, d := range districts {
		if d.Point != nil {
			pts[i] = *d.Point
			continue
		}
		pts[i] = geo.RepresentativePoint(d.Geometry)
	}
	return pts
}

// Assign assigns every district to the nearest open office of any kind
// under the study's metric, measured from the district's representative
// point; the offices whose ids are in closed take no district. A district
// the metric cannot route (beyond a road network, missing from a cost
// matrix) keeps no office and a Note and is counted in Unreached; the
// study's warnings say which. The assignment with every office open is
// computed once.
func (s *Study) Assign(closed ...string) (Assignment, error) {
	if len(closed) == 0 {
		s.assignOnce.Do(func() { s.assign, s.baseReach, s.assignErr = s.assignOpen(nil) })
		return s.assign, s.assignErr
	}
	open, err := s.openOffices(closed)
	if err != nil {
		return Assignment{}, fmt.Errorf("assign: %w", err)
	}
	a, _, err := s.assignOpen(open)
	return a, err
}

// assignOpen assigns every district to its nearest office among those
// open (nil: all) allows, and returns the metric's answers too.
func (s *Study) assignOpen(open []bool) (Assignment, []Reach, error) {
	n := 0
	for i := range s.offices {
		if open == nil || open[i] {
			n++
		}
	}
	if n == 0 {
		return Assignment{}, nil, fmt.Errorf("assign: %w (%d offices, all closed)", ErrNoOpenOffice, len(s.offices))
	}
	c, err := s.baseCosts()
	if err != nil {
		return Assignment{}, nil, fmt.Errorf("assign: %w", err)
	}
	reach, err := c.Nearest(nil, open)
	if err != nil {
		return Assignment{}, nil, fmt.Errorf("assign: %w", err)
	}
	a := assignmentOf(s.districts, s.offices, s.points, reach, s.metric.Name())
	a.tally(s.districts, s.offices, func(i int) bool { return open == nil || open[i] })
	return a, reach, nil
}

// assignmentOf builds the district rows of an assignment from reaches
// (one per district, To indexing offices); tally fills the totals.
func assignmentOf(districts []data.District, offices []data.Office, points []orb.Point, reach []Reach, metric string) Assignment {
	a := Assignment{Districts: make([]DistrictAssignment, len(districts)), Metric: metric}
	for i := range districts {
		a.Districts[i] = districtRow(districts, offices, points, i, reach[i])
	}
	return a
}

// districtRow is district i reaching r (r.To indexing offices).
func districtRow(districts []data.District, offices []data.Office, points []orb.Point, i int, r Reach) DistrictAssignment {
	da := DistrictAssignment{District: &districts[i], Index: i, OfficeIndex: r.To, Point: points[i],
		DistanceM: r.DistanceM, TimeS: r.TimeS, Note: r.Note}
	if r.To >= 0 {
		da.Office = &offices[r.To]
	}
	return da
}

// tally fills an assignment's office loads, open office count, population
// and unreached count from its districts; open says which offices are open.
func (a *Assignment) tally(districts []data.District, offices []data.Office, open func(i int) bool) {
	a.Offices = make([]OfficeLoad, len(offices))
	a.OpenOffices, a.Population, a.Unreached = 0, 0, 0
	for i := range a.Offices {
		a.Offices[i] = OfficeLoad{Office: &offices[i], Index: i, Open: open(i)}
		if a.Offices[i].Open {
			a.OpenOffices++
		}
	}
	for i, da := range a.Districts {
		pop := districts[i].Pop()
		a.Population += pop
		if da.OfficeIndex < 0 {
			a.Unreached++
			continue
		}
		a.Offices[da.OfficeIndex].Districts++
		a.Offices[da.OfficeIndex].Population += pop
	}
}
