package catchment

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// AreaOptions set how service areas are drawn.
type AreaOptions struct {
	// Limits are the band limits in the metric's Quantity, ascending:
	// seconds (600, 1200, 1800 for 10, 20, 30 minutes) or metres.
	Limits []float64
	// BufferM is how far from a reached road a place counts as served
	// (0: the metric's default).
	BufferM float64
	// CellM is the cell size of the areas' raster, metres (0: the
	// metric's default).
	CellM float64
}

// Area is one band drawn by an AreaMetric: the places from which
// destination To (-1: any destination) is the cheapest to reach and is
// reached within Limit. The destinations' areas of one limit partition
// the union's (To -1), and every polygon is valid under the OGC rules.
type Area struct {
	To       int
	Limit    float64
	Geometry orb.MultiPolygon
}

// AreaMetric is a metric that can draw service areas, such as a road
// network's. Study.ServiceAreas needs one.
type AreaMetric interface {
	Metric
	// Areas draws, for every destination it can use and for all together,
	// one Area per limit: destinations in index order, then the union,
	// limits ascending. skipped lists the destinations it cannot use.
	Areas(destinations []Place, opt AreaOptions) (areas []Area, skipped []int, err error)
}

// ServiceArea is one band of an office's service area, or of all offices
// together (Office nil), with the districts in it.
type ServiceArea struct {
	Office *data.Office
	Index  int // the office's index in the study; -1 for all offices
	// Limit is the band's limit in the metric's Quantity (seconds or metres).
	Limit    float64
	Geometry orb.MultiPolygon
	// AreaM2 is the band's geodesic area on WGS84, square metres.
	AreaM2 float64
	// Districts are the districts whose representative point
	// (Study.Points: population-weighted with a population layer, the
	// point every route is measured from) lies in Geometry, in input
	// order; a point exactly on a border counts in the polygon east of it
	// (north of it on an east–west border), so it counts in at most one
	// office's band of a limit, and the union's band holds exactly the
	// districts of the offices' bands. Population is theirs. Any
	// point-in-polygon test reproduces them from Geometry and the points.
	Districts  []*data.District
	Population float64
}

// ServiceAreas is every band of every office the metric can route.
type ServiceAreas struct {
	Metric   string
	Quantity Quantity
	Limits   []float64
	// Areas are the bands of every office in index order, limits
	// ascending, then those of all offices together.
	Areas []ServiceArea
	// Skipped are the offices the metric cannot use (too far from the
	// road network): they have no bands.
	Skipped []*data.Office
}

// ServiceAreas draws nested service areas (isochrones) of the offices and
// counts in each band the districts whose representative point lies in
// the band's polygon (see ServiceArea.Districts). The metric must be an
// AreaMetric.
func (s *Study) ServiceAreas(opt AreaOptions) (ServiceAreas, error) {
	am, ok := s.metric.(AreaMetric)
	if !ok {
		return ServiceAreas{}, fmt.Errorf("service areas: the %s metric draws none; measure along a road network (the road or time metric)", s.metric.Name())
	}
	if len(opt.Limits) == 0 {
		return ServiceAreas{}, fmt.Errorf("service areas: no limits")
	}
	for k, l := range opt.Limits {
		if !(l > 0) || math.IsInf(l, 0) || (k > 0 && l <= opt.Limits[k-1]) {
			return ServiceAreas{}, fmt.Errorf("service areas: limits %v must be positive and ascend", opt.Limits)
		}
	}
	areas, skipped, err := am.Areas(officePlaces(s.offices), opt)
	if err != nil {
		return ServiceAreas{}, fmt.Errorf("service areas: %w", err)
	}
	// Measuring the districts against the offices names those far from
	// the network in the study's warnings, as the other analyses do.
	if len(s.districts) > 0 {
		if _, err := s.baseCosts(); err != nil {
			return ServiceAreas{}, fmt.Errorf("service areas: %w", err)
		}
	}
	out := ServiceAreas{Metric: s.metric.Name(), Quantity: s.metric.Quantity(), Limits: opt.Limits}
	for _, i := range skipped {
		out.Skipped = append(out.Skipped, &s.offices[i])
	}
	byLon := newPointsByLon(s.points)
	for _, ar := range areas {
		sa := ServiceArea{Index: ar.To, Limit: ar.Limit, Geometry: ar.Geometry, AreaM2: geo.Area(ar.Geometry)}
		if ar.To >= 0 {
			sa.Office = &s.offices[ar.To]
		}
		for _, i := range byLon.within(ar.Geometry) {
			d := &s.districts[i]
			sa.Districts = append(sa.Districts, d)
			sa.Population += d.Pop()
		}
		out.Areas = append(out.Areas, sa)
	}
	return out, nil
}

// pointsByLon are points with their indexes sorted by longitude, to find
// those in a polygon's bounding box quickly.
type pointsByLon struct {
	pts   []orb.Point
	order []int // indexes into pts, by longitude
}

func newPointsByLon(pts []orb.Point) pointsByLon {
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return pts[order[a]][0] < pts[order[b]][0] })
	return pointsByLon{pts: pts, order: order}
}

// within returns, ascending, the indexes of the points inside mp, a point
// on a border counting as polygonHolds says.
func (p pointsByLon) within(mp orb.MultiPolygon) []int {
	var in []int
	for _, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		b := poly[0].Bound()
		k := sort.Search(len(p.order), func(k int) bool { return p.pts[p.order[k]][0] >= b.Min[0] })
		for ; k < len(p.order) && p.pts[p.order[k]][0] <= b.Max[0]; k++ {
			i := p.order[k]
			if q := p.pts[i]; q[1] >= b.Min[1] && q[1] <= b.Max[1] && polygonHolds(poly, q) {
				in = append(in, i)
			}
		}
	}
	slices.Sort(in)
	return slices.Compact(in)
}

// polygonHolds reports whether q lies in the polygon: a
// crossing-number test with half-open edges, so that a point on a border
// shared by two polygons lies in exactly one of them (the one east of it,
// or north of it on an east–west border). orb's planar.PolygonContains
// counts such a point in both.
func polygonHolds(poly orb.Polygon, q orb.Point) bool {
	if !ringHolds(poly[0], q) {
		return false
	}
	for _, hole := range poly[1:] {
		if ringHolds(hole, q) {
			return false
		}
	}
	return true
}

// ringHolds is the crossing-number test of q against a ring (closed or
// not): a ray from q toward +x crosses the edges that span q's latitude
// half-open (one end above q, the other at or below), strictly east of q.
func ringHolds(r orb.Ring, q orb.Point) bool {
	in := false
	for i := range r {
		a, b := r[(i+len(r)-1)%len(r)], r[i]
		if (a[1] > q[1]) == (b[1] > q[1]) {
			continue
		}
		if x := a[0] + (q[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]); q[0] < x {
			in = !in
		}
	}
	return in
}
