package catchment

import (
	"fmt"
	"math"

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
// destination To (-1: any destination) is the nearest and is reached
// within Limit.
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
	// Districts are the districts whose way from their representative
	// point to their nearest office, this one, is within the limit (for
	// the union, to any office); Population is theirs.
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
// counts in each band the districts whose way to their nearest office is
// within the band's limit. Districts are measured from the study's
// representative points (population-weighted with a population layer),
// exactly as Assign measures them, so a district counts in the bands of
// the office it is assigned to. The metric must be an AreaMetric.
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
	out := ServiceAreas{Metric: s.metric.Name(), Quantity: s.metric.Quantity(), Limits: opt.Limits}
	for _, i := range skipped {
		out.Skipped = append(out.Skipped, &s.offices[i])
	}
	var a Assignment
	if len(s.districts) > 0 {
		if a, err = s.Assign(); err != nil {
			return ServiceAreas{}, fmt.Errorf("service areas: %w", err)
		}
	}
	for _, ar := range areas {
		sa := ServiceArea{Index: ar.To, Limit: ar.Limit, Geometry: ar.Geometry, AreaM2: geo.Area(ar.Geometry)}
		if ar.To >= 0 {
			sa.Office = &s.offices[ar.To]
		}
		for _, da := range a.Districts {
			if da.OfficeIndex < 0 || (ar.To >= 0 && da.OfficeIndex != ar.To) {
				continue
			}
			c := da.DistanceM
			if out.Quantity == Time {
				c = da.TimeS
			}
			if c <= ar.Limit {
				sa.Districts = append(sa.Districts, da.District)
				sa.Population += da.District.Pop()
			}
		}
		out.Areas = append(out.Areas, sa)
	}
	return out, nil
}
