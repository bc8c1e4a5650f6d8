package network

import (
	"fmt"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// ServiceArea is one band of a facility (or of all, Facility -1) with what
// it holds.
type ServiceArea struct {
	Band
	// AreaM2 is the band's geodesic area on WGS84, square metres.
	AreaM2 float64
	// Points are the indexes of the points (for example districts'
	// representative points) whose route to their nearest facility, this
	// one, is within the limit; ascending.
	Points []int
	// Weight is the sum of those points' weights (for example population).
	Weight float64
}

// ServiceAreas is the result of Graph.ServiceAreas.
type ServiceAreas struct {
	// Metric is Road (limits in metres) or Time (seconds).
	Metric Metric
	// Limits are the band limits, ascending.
	Limits []float64
	// Areas are the bands of every routed facility in index order, limits
	// ascending, then those of the union (Facility -1). Facilities outside
	// the network's coverage have no bands.
	Areas []ServiceArea
	// Skipped are the indexes of the facilities farther than the snapping
	// limit from the network, which were left out.
	Skipped []int
	// Routes is, per point, its trip to the nearest routed facility.
	Routes []Route
}

// ServiceAreas draws nested service areas of the facilities (Isochrones)
// and counts, in each band, the points whose route to their nearest
// facility is within the band's limit, with their weights (nil: 1 each).
// Points and bands agree: both come from the same multi-source search, so
// a point counts in the bands of the facility it is routed to. Facilities
// and points farther than maxSnapM (<= 0: DefaultMaxSnapM) from the network
// are left out with Warnings; it fails when no facility is on the network.
func (g *Graph) ServiceAreas(facilities, points []orb.Point, weights []float64, m Metric, maxSnapM float64, opt IsochroneOptions) (ServiceAreas, []Warning, error) {
	if m != Road && m != Time {
		return ServiceAreas{}, nil, fmt.Errorf("network: service areas need the road or time metric, not %q", m)
	}
	if weights != nil && len(weights) != len(points) {
		return ServiceAreas{}, nil, fmt.Errorf("network: %d weights for %d points", len(weights), len(points))
	}
	if maxSnapM <= 0 {
		maxSnapM = DefaultMaxSnapM
	}
	out := ServiceAreas{Metric: m, Limits: opt.Limits}
	var warns []Warning
	snaps := make([]Snap, len(facilities))
	routed := 0
	for i, f := range facilities {
		snaps[i] = g.Snap(f, maxSnapM)
		if !snaps[i].OK {
			out.Skipped = append(out.Skipped, i)
			warns = append(warns, Warning{Point: -1, Facility: i, SnapM: snaps[i].DistanceM,
				Message: fmt.Sprintf("facility %d is %.0f m from the road network (max %.0f m): outside its coverage, no service area", i, snaps[i].DistanceM, maxSnapM)})
			continue
		}
		routed++
	}
	if routed == 0 {
		return out, warns, fmt.Errorf("%w: none of %d facilities is within %.0f m of the road network", ErrNothingRoutable, len(facilities), maxSnapM)
	}
	res := g.MultiSource(snaps, m)
	bands, err := g.Isochrones(res, len(facilities), opt)
	if err != nil {
		return out, warns, err
	}
	routes, pwarns, err := g.NearestFacility(points, facilities, nil, m, maxSnapM)
	if err != nil && len(points) > 0 {
		// Facilities are routable, so only the points can be at fault:
		// keep the bands, count nothing in them.
		routes = make([]Route, len(points))
		for i := range routes {
			routes[i] = Route{Facility: -1}
		}
	}
	for _, w := range pwarns {
		if w.Point >= 0 {
			warns = append(warns, w)
		}
	}
	out.Routes = routes
	totals := BandTotals(routes, weights, opt.Limits, m, len(facilities))
	skipped := map[int]bool{}
	for _, i := range out.Skipped {
		skipped[i] = true
	}
	for k, b := range bands {
		if b.Facility >= 0 && skipped[b.Facility] {
			continue
		}
		t := totals[k] // same order: facilities, then the union; limits ascending
		if t.Facility != b.Facility || t.Limit != b.Limit {
			return out, warns, fmt.Errorf("network: service areas: band %d is facility %d limit %g, total facility %d limit %g", k, b.Facility, b.Limit, t.Facility, t.Limit)
		}
		out.Areas = append(out.Areas, ServiceArea{Band: b, AreaM2: geo.Area(b.Area), Points: t.Points, Weight: t.Weight})
	}
	return out, warns, nil
}
