package catchment

import (
	"errors"
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/paulmach/orb"
)

// Reach is how one point reaches its nearest open facility.
type Reach struct {
	Facility  int     // index into the facilities, -1 when none can be reached
	DistanceM float64 // metres along the metric's path; NaN when not reached
	TimeS     float64 // travel time in seconds; NaN when the metric has none
	Note      string  // why the point was not reached, or how it was
}

// Issue is a point or facility a metric could not use, such as an office
// farther from the road network than the snapping limit.
type Issue struct {
	Point    int     // index of the point, or -1
	Facility int     // index of the facility, or -1
	SnapM    float64 // distance to the network, metres
	Message  string
}

// Measure finds the nearest open facility of every point under one metric:
// the straight line on the ellipsoid, or a road network.
type Measure interface {
	// Metric names the metric: "geodesic", "road" or "time".
	Metric() string
	// Nearest returns one Reach per point, and the points and facilities it
	// could not use. open (nil: all) says which facilities may be chosen.
	Nearest(points, facilities []orb.Point, open []bool) ([]Reach, []Issue, error)
}

// Geodesic measures straight-line distances on the WGS84 ellipsoid.
type Geodesic struct{}

// Metric is "geodesic".
func (Geodesic) Metric() string { return "geodesic" }

// Nearest uses a geodesic point index over the open facilities.
func (Geodesic) Nearest(points, facilities []orb.Point, open []bool) ([]Reach, []Issue, error) {
	idx, pts := openFacilities(facilities, open)
	if len(idx) == 0 {
		return nil, nil, fmt.Errorf("no open facility (%d facilities, all closed)", len(facilities))
	}
	ix := geo.NewPointIndex(pts)
	out := make([]Reach, len(points))
	for i, p := range points {
		n := ix.Nearest(p)
		out[i] = Reach{Facility: idx[n.Index], DistanceM: n.Distance, TimeS: math.NaN()}
	}
	return out, nil, nil
}

// Road measures along a road network: route length (Metric network.Road)
// or travel time (network.Time). Points farther than MaxSnapM from any road
// are not routed: their Reach has Facility -1 and a Note.
type Road struct {
	Graph    *network.Graph
	By       network.Metric // network.Road or network.Time
	MaxSnapM float64        // 0: network.DefaultMaxSnapM
}

// Metric is "road" or "time".
func (r Road) Metric() string { return string(r.By) }

// Nearest runs one multi-source search from the open facilities.
func (r Road) Nearest(points, facilities []orb.Point, open []bool) ([]Reach, []Issue, error) {
	routes, warns, err := r.Graph.NearestFacility(points, facilities, open, r.By, r.MaxSnapM)
	if err != nil && !errors.Is(err, network.ErrNothingRoutable) {
		return nil, nil, err
	}
	var msgs []Issue
	for _, w := range warns {
		msgs = append(msgs, Issue{Point: w.Point, Facility: w.Facility, SnapM: w.SnapM, Message: w.Message})
	}
	if err != nil {
		return nil, msgs, err
	}
	out := make([]Reach, len(routes))
	for i, rt := range routes {
		out[i] = Reach{Facility: rt.Facility, DistanceM: rt.DistanceM, TimeS: rt.TimeS, Note: rt.Note}
		if r.By == network.Road {
			out[i].TimeS = rt.TimeS
		}
	}
	return out, msgs, nil
}

// describe turns issues into sentences that name the offices and districts
// (pointName and facilityName give the names of indexes).
func describe(issues []Issue, maxSnapM float64, pointName, facilityName func(i int) string) []string {
	var out []string
	for _, is := range issues {
		switch {
		case is.Point >= 0 && !math.IsNaN(is.SnapM) && is.SnapM > 0:
			out = append(out, fmt.Sprintf("%s is %.0f m from the road network (limit %.0f m): outside its coverage, not routed", pointName(is.Point), is.SnapM, maxSnapM))
		case is.Facility >= 0 && !math.IsNaN(is.SnapM) && is.SnapM > 0:
			out = append(out, fmt.Sprintf("%s is %.0f m from the road network (limit %.0f m): outside its coverage, skipped as a destination", facilityName(is.Facility), is.SnapM, maxSnapM))
		default:
			out = append(out, is.Message)
		}
	}
	return out
}

// snapLimit is the snapping limit of m, for messages.
func snapLimit(m Measure) float64 {
	if r, ok := m.(Road); ok {
		if r.MaxSnapM > 0 {
			return r.MaxSnapM
		}
		return network.DefaultMaxSnapM
	}
	return 0
}

// openFacilities returns the indexes and positions of the facilities that
// open (nil: all) allows.
func openFacilities(facilities []orb.Point, open []bool) (idx []int, pts []orb.Point) {
	for i, f := range facilities {
		if open == nil || open[i] {
			idx = append(idx, i)
			pts = append(pts, f)
		}
	}
	return idx, pts
}
