package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/geodesic"
)

// Area is the geodesic area of mp in square metres on the WGS84 ellipsoid:
// each ring is bounded by geodesics between its vertices (Karney's algorithm
// via tidwall/geodesic), holes are subtracted, and ring orientation does not
// matter. Parts are assumed not to overlap.
func Area(mp orb.MultiPolygon) float64 {
	total := 0.0
	for _, poly := range mp {
		for i, r := range poly {
			a := ringArea(r)
			if i == 0 {
				total += a
			} else {
				total -= a
			}
		}
	}
	return total
}

// ringArea is the unsigned geodesic area enclosed by r, closed or not.
func ringArea(r orb.Ring) float64 {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	if n < 3 {
		return 0
	}
	pg := geodesic.WGS84.PolygonInit(false)
	for _, p := range r[:n] {
		pg.AddPoint(p[1], p[0])
	}
	var area float64
	pg.Compute(false, true, &area, nil)
	return math.Abs(area)
}
