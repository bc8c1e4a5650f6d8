package catchment

import (
	"fmt"
	"math"
	"runtime"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// DistrictAssignment is one district and the open office that serves it.
type DistrictAssignment struct {
	District  int       // index into the districts
	Office    int       // index into the offices; -1 when no office can be reached
	Point     orb.Point // the district's representative point, where distance is measured from
	DistanceM float64   // distance from Point to the office under the metric, metres; NaN when unreached
	TimeS     float64   // travel time in seconds; NaN unless the metric has times
	Note      string    // why the district was not reached
}

// OfficeLoad is what one office serves.
type OfficeLoad struct {
	Office     int // index into the offices
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
	// Metric is the distance metric: "geodesic", "road" or "time".
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
// area centroid, or a point on its surface when the centroid falls outside).
func RepresentativePoints(districts []data.District) []orb.Point {
	pts := make([]orb.Point, len(districts))
	for i, d := range districts {
		pts[i] = geo.RepresentativePoint(d.Geometry)
	}
	return pts
}

// Assign assigns every district to the nearest open office of any kind,
// measured geodesically from the district's representative point (points,
// when given, must hold one per district; nil computes them). Offices whose
// id is in closed take no districts.
func Assign(districts []data.District, offices []data.Office, points []orb.Point, closed map[string]bool) (Assignment, error) {
	a, _, err := AssignBy(districts, offices, points, closed, Geodesic{})
	return a, err
}

// AssignBy is Assign under any metric. A district that the metric cannot
// route (for example, beyond the road network) keeps Office -1 and a Note,
// and is counted in Unreached; the warnings say which.
func AssignBy(districts []data.District, offices []data.Office, points []orb.Point, closed map[string]bool, m Measure) (Assignment, []string, error) {
	if points == nil {
		points = RepresentativePoints(districts)
	}
	if len(points) != len(districts) {
		return Assignment{}, nil, fmt.Errorf("assign: %d points for %d districts", len(points), len(districts))
	}
	a := Assignment{Offices: make([]OfficeLoad, len(offices)), Districts: make([]DistrictAssignment, len(districts)), Metric: m.Metric()}
	open := make([]bool, len(offices))
	locs := make([]orb.Point, len(offices))
	for i, o := range offices {
		open[i] = !closed[o.ID]
		locs[i] = o.Location
		a.Offices[i] = OfficeLoad{Office: i, Open: open[i]}
		if open[i] {
			a.OpenOffices++
		}
	}
	if a.OpenOffices == 0 {
		return Assignment{}, nil, fmt.Errorf("assign: no open office (%d offices, all closed)", len(offices))
	}
	reach, issues, err := nearestParallel(m, points, locs, open)
	warns := describe(issues, snapLimit(m),
		func(i int) string { return fmt.Sprintf("district %s (%s)", districts[i].Name, districts[i].ID) },
		func(i int) string { return officeLabel(offices[i]) })
	if err != nil {
		return Assignment{}, warns, fmt.Errorf("assign: %w", err)
	}
	for i, d := range districts {
		r := reach[i]
		a.Districts[i] = DistrictAssignment{District: i, Office: r.Facility, Point: points[i], DistanceM: r.DistanceM, TimeS: r.TimeS, Note: r.Note}
		a.Population += d.Pop()
		if r.Facility < 0 {
			a.Unreached++
			continue
		}
		a.Offices[r.Facility].Districts++
		a.Offices[r.Facility].Population += d.Pop()
	}
	return a, warns, nil
}

// parallelMin is the number of points below which nearestParallel does not
// split the work.
const parallelMin = 4096

// nearestParallel is m.Nearest. For the Geodesic metric with many points it
// uses a geo.PointGrid over the open facilities (the same exact answers and
// tie rule as geo.PointIndex, several times faster) and one chunk of points
// per core; other metrics, such as road networks with their own
// multi-source search, run whole.
func nearestParallel(m Measure, points, facilities []orb.Point, open []bool) ([]Reach, []Issue, error) {
	if _, ok := m.(Geodesic); !ok || len(points) < parallelMin {
		return m.Nearest(points, facilities, open)
	}
	idx, pts := openFacilities(facilities, open)
	grid := geo.NewPointGrid(pts)
	if grid == nil {
		return m.Nearest(points, facilities, open)
	}
	chunks := 4 * runtime.GOMAXPROCS(0)
	size := (len(points) + chunks - 1) / chunks
	out := make([]Reach, len(points))
	_ = parallelFor(chunks, func(c int) error {
		for i := c * size; i < min((c+1)*size, len(points)); i++ {
			n := grid.Nearest(points[i])
			out[i] = Reach{Facility: idx[n.Index], DistanceM: n.Distance, TimeS: math.NaN()}
		}
		return nil
	})
	return out, nil, nil
}
