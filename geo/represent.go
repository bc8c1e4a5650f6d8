package geo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// RepresentativePoint returns a point inside mp that stands for it, such as
// the label or demand point of a school district. It is the area centroid,
// computed in a local transverse Mercator projection, when that lies inside
// mp (under the rule of Contains). Otherwise (C shapes, big holes, scattered
// islands) it is the midpoint of the widest interior span of the parallel
// through the centroid, or failing that of the parallel, between two vertex
// latitudes of the largest part, that gives the widest span. A polygon with
// no interior (all points collinear) yields one of its vertices, and an
// empty mp the zero Point.
func RepresentativePoint(mp orb.MultiPolygon) orb.Point {
	largest, c, ok := projectedCentroid(mp)
	if largest < 0 {
		return orb.Point{}
	}
	if ok && Contains(mp, c) {
		return c
	}
	var xs []float64
	if ok {
		if q, w := widestSpan(mp, c[1], &xs); w > 0 && Contains(mp, q) {
			return q
		}
	}
	lats := vertexLatitudes(mp[largest])
	best, bestW := orb.Point{}, 0.0
	step := 1
	if len(lats) > 65 {
		step = len(lats) / 64
	}
	for i := 0; i+step < len(lats); i += step {
		y := (lats[i] + lats[i+step]) / 2
		q, w := widestSpan(mp, y, &xs)
		w *= math.Cos(y * math.Pi / 180)
		if w > bestW && Contains(mp, q) {
			best, bestW = q, w
		}
	}
	if bestW > 0 {
		return best
	}
	return mp[largest][0][0]
}

// projectedCentroid returns the index of the part with the largest area (or
// the first non-empty part, -1 if none) and the area centroid of mp computed
// in a local transverse Mercator projection. ok is false when mp has no area.
func projectedCentroid(mp orb.MultiPolygon) (largest int, c orb.Point, ok bool) {
	tm := LocalProjection(mp.Bound())
	largest = -1
	var sumA, sumX, sumY, bestA float64
	for i, poly := range mp {
		if len(poly) == 0 || len(poly[0]) == 0 {
			continue
		}
		if largest < 0 {
			largest = i
		}
		partA := 0.0
		for k, r := range poly {
			a, cx, cy := ringMoments(tm, r)
			if (a < 0) != (k > 0) { // outer rings add, holes subtract
				a, cx, cy = -a, -cx, -cy
			}
			partA += a
			sumA += a
			sumX += cx
			sumY += cy
		}
		if partA > bestA {
			largest, bestA = i, partA
		}
	}
	if !(sumA > 0) {
		return largest, orb.Point{}, false
	}
	return largest, tm.Inverse(orb.Point{sumX / (3 * sumA), sumY / (3 * sumA)}), true
}

// ringMoments returns the signed area of r in the plane of tm and its first
// moments times 3 (Σ (xi+xj)·cross / 2, likewise for y).
func ringMoments(tm TransverseMercator, r orb.Ring) (a, mx, my float64) {
	if len(r) < 3 {
		return 0, 0, 0
	}
	prev := tm.Forward(r[len(r)-1])
	for _, p := range r {
		cur := tm.Forward(p)
		cross := prev[0]*cur[1] - cur[0]*prev[1]
		a += cross
		mx += (prev[0] + cur[0]) * cross
		my += (prev[1] + cur[1]) * cross
		prev = cur
	}
	return a / 2, mx / 2, my / 2
}

// widestSpan returns the midpoint of the widest interior span of mp along
// the parallel at latitude y, and its width in degrees of longitude (0 when
// the parallel misses mp). xs is scratch space.
func widestSpan(mp orb.MultiPolygon, y float64, xs *[]float64) (orb.Point, float64) {
	*xs = (*xs)[:0]
	for _, poly := range mp {
		for _, r := range poly {
			if len(r) < 3 {
				continue
			}
			prev := r[len(r)-1]
			for _, cur := range r {
				a, b := prev, cur
				prev = cur
				if (a[1] > y) == (b[1] > y) {
					continue
				}
				if a[1] > b[1] {
					a, b = b, a
				}
				*xs = append(*xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	sort.Float64s(*xs)
	var best orb.Point
	bestW := 0.0
	for i := 0; i+1 < len(*xs); i += 2 {
		x0, x1 := (*xs)[i], (*xs)[i+1]
		if w := x1 - x0; w > bestW {
			best, bestW = orb.Point{(x0 + x1) / 2, y}, w
		}
	}
	return best, bestW
}

// vertexLatitudes returns the distinct latitudes of poly's vertices, sorted.
func vertexLatitudes(poly orb.Polygon) []float64 {
	var lats []float64
	for _, r := range poly {
		for _, p := range r {
			lats = append(lats, p[1])
		}
	}
	sort.Float64s(lats)
	out := lats[:0]
	for i, y := range lats {
		if i == 0 || y != lats[i-1] {
			out = append(out, y)
		}
	}
	return out
}
