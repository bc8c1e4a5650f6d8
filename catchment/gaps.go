package catchment

import (
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// GapRow is one district's certificate coverage.
type GapRow struct {
	District *data.District
	Index    int // the district's index in the study
	Stores   int // convenience stores counted for the district
	Posts    int // post offices counted for the district
	// Extra counts the study's extra certificate points for the district.
	Extra int
	// Gap is true when no convenience store serves the district.
	Gap bool
}

// PostFallback reports whether the district is a gap that a post office could cover.
func (g GapRow) PostFallback() bool { return g.Gap && g.Posts > 0 }

// Covered reports whether a store, a post office or an extra certificate
// point serves the district: residents can get certificates without an
// office.
func (g GapRow) Covered() bool { return g.Stores+g.Posts+g.Extra > 0 }

// countGaps counts, per district, the stores, post offices and extra
// points inside it (withinM = 0) or within withinM metres of it, and marks
// districts with no store as gaps. A point on a border shared by two
// districts counts for exactly one of them (the rule of geo.Contains); with
// withinM > 0 a point may count for several districts.
func countGaps(districts []data.District, stores, posts, extra []data.ServicePoint, withinM float64) ([]GapRow, error) {
	switch {
	case withinM < 0:
		return nil, fmt.Errorf("gaps: negative distance %g m", withinM)
	case math.IsNaN(withinM) || math.IsInf(withinM, 0):
		return nil, fmt.Errorf("gaps: distance %g m is not a finite number", withinM)
	}
	polys := make([]orb.MultiPolygon, len(districts))
	for i, d := range districts {
		polys[i] = d.Geometry
	}
	rows := make([]GapRow, len(districts))
	for i := range rows {
		rows[i].District, rows[i].Index = &districts[i], i
	}
	if withinM == 0 {
		ix := geo.NewPolygonIndex(polys)
		count := func(pts []data.ServicePoint, add func(r *GapRow)) {
			for _, p := range pts {
				ix.Containing(p.Location, func(i int) bool {
					add(&rows[i])
					return true
				})
			}
		}
		count(stores, func(r *GapRow) { r.Stores++ })
		count(posts, func(r *GapRow) { r.Posts++ })
		count(extra, func(r *GapRow) { r.Extra++ })
	} else {
		countNear := func(pts []data.ServicePoint, add func(r *GapRow)) {
			locs := make([]orb.Point, len(pts))
			for i, p := range pts {
				locs[i] = p.Location
			}
			ix := geo.NewPointIndex(locs)
			for i, poly := range polys {
				within(ix, poly, withinM, func(int) { add(&rows[i]) })
			}
		}
		countNear(stores, func(r *GapRow) { r.Stores++ })
		countNear(posts, func(r *GapRow) { r.Posts++ })
		countNear(extra, func(r *GapRow) { r.Extra++ })
	}
	for i := range rows {
		rows[i].Gap = rows[i].Stores == 0
	}
	return rows, nil
}

// within calls fn for every indexed point within dist metres of poly.
func within(ix *geo.PointIndex, poly orb.MultiPolygon, dist float64, fn func(i int)) {
	b := poly.Bound()
	lo, _ := geo.BoxAround(b.Min, dist)
	_, hi := geo.BoxAround(b.Max, dist)
	// BoxAround widens longitude by the latitude of its centre; take the
	// wider of the two corners' widenings.
	_, hi2 := geo.BoxAround(orb.Point{b.Max[0], b.Min[1]}, dist)
	lo2, _ := geo.BoxAround(orb.Point{b.Min[0], b.Max[1]}, dist)
	minLon := min(lo[0], lo2[0])
	maxLon := max(hi[0], hi2[0])
	box := orb.Bound{Min: orb.Point{minLon, lo[1]}, Max: orb.Point{maxLon, hi[1]}}
	ix.InBound(box, func(i int) bool {
		if geo.DistanceToPolygon(poly, ix.Point(i)) <= dist {
			fn(i)
		}
		return true
	})
}
