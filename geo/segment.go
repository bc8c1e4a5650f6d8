package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// DistanceToPolygon is 0 when p lies in mp (under the rule of Contains) and
// otherwise the geodesic distance in metres from p to the nearest point of
// mp's boundary, holes included; +Inf when mp has no edges. Edges are
// straight in lon/lat, as drawn. A cheap equirectangular pass picks the
// edges in contention; on each, the nearest point is found in a transverse
// Mercator projection centred on p (refined by one Newton step for the
// edge's curvature there) and measured with Distance. Against a sampled
// geodesic search the error is under a micrometre for district-sized
// edges and for edges of 15 km alike.
func DistanceToPolygon(mp orb.MultiPolygon, p orb.Point) float64 {
	if Contains(mp, p) {
		return 0
	}
	// Pass 1: equirectangular metres around p, with the ellipsoid's radii of
	// curvature at p's latitude.
	phi := p[1] * math.Pi / 180
	e2 := Flattening * (2 - Flattening)
	w := math.Sqrt(1 - e2*math.Sin(phi)*math.Sin(phi))
	ky := SemiMajorAxis * (1 - e2) / (w * w * w) * math.Pi / 180
	kx := SemiMajorAxis / w * math.Cos(phi) * math.Pi / 180
	local := func(q orb.Point) (float64, float64) {
		return remainder360(q[0]-p[0]) * kx, (q[1] - p[1]) * ky
	}
	approx := math.Inf(1)
	eachEdge(mp, func(a, b orb.Point) {
		ax, ay := local(a)
		bx, by := local(b)
		approx = math.Min(approx, segmentDistanceToOrigin(ax, ay, bx, by))
	})
	if math.IsInf(approx, 1) {
		return approx
	}
	// Equirectangular distances err by about tan(lat)·d/R relative; keep
	// every edge that could be the nearest one.
	t := math.Min(math.Abs(p[1]), 89) * math.Pi / 180
	limit := approx*(1+4*(1+math.Tan(t))*approx/SemiMajorAxis+1e-3) + 1
	// Pass 2: transverse Mercator centred on p, then the exact geodesic.
	tm := TransverseMercator{Lat0: p[1], Lon0: p[0], K0: 1}
	best := math.Inf(1)
	eachEdge(mp, func(a, b orb.Point) {
		ax, ay := local(a)
		bx, by := local(b)
		if segmentDistanceToOrigin(ax, ay, bx, by) > limit {
			return
		}
		A, B := tm.Forward(a), tm.Forward(b)
		s := closestParam(A[0], A[1], B[0], B[1])
		if s > 0 && s < 1 {
			s = refineParam(tm, a, b, s)
		}
		best = math.Min(best, Distance(p, lerp(a, b, s)))
	})
	return best
}

// lerp is the point at s along the edge from a to b, straight in lon/lat.
func lerp(a, b orb.Point, s float64) orb.Point {
	return orb.Point{a[0] + s*(b[0]-a[0]), a[1] + s*(b[1]-a[1])}
}

// refineParam improves s, the parameter along the lon/lat edge a–b of the
// point nearest to tm's origin, by one Newton step: the edge, straight in
// lon/lat, is slightly curved in the projection, so the chord's answer is
// replaced by the foot of the perpendicular on the edge's tangent at s.
func refineParam(tm TransverseMercator, a, b orb.Point, s float64) float64 {
	const h = 1e-4
	q := tm.Forward(lerp(a, b, s))
	q2 := tm.Forward(lerp(a, b, s+h))
	tx, ty := (q2[0]-q[0])/h, (q2[1]-q[1])/h
	l2 := tx*tx + ty*ty
	if l2 == 0 {
		return s
	}
	return math.Max(0, math.Min(1, s-(q[0]*tx+q[1]*ty)/l2))
}

// eachEdge calls fn for every edge of every ring of mp.
func eachEdge(mp orb.MultiPolygon, fn func(a, b orb.Point)) {
	for _, poly := range mp {
		for _, r := range poly {
			if len(r) < 2 {
				continue
			}
			prev := r[len(r)-1]
			for _, cur := range r {
				if prev != cur {
					fn(prev, cur)
				}
				prev = cur
			}
		}
	}
}

// closestParam returns s in [0, 1] such that A + s(B-A) is the point of
// segment AB nearest to the origin.
func closestParam(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return 0
	}
	s := -(ax*dx + ay*dy) / l2
	if s <= 0 {
		return 0
	}
	if s >= 1 {
		return 1
	}
	return s
}

// segmentDistanceToOrigin is the planar distance from the origin to AB.
func segmentDistanceToOrigin(ax, ay, bx, by float64) float64 {
	s := closestParam(ax, ay, bx, by)
	return math.Hypot(ax+s*(bx-ax), ay+s*(by-ay))
}
