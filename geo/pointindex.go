package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// minMeridianRadius is the smallest radius of curvature of the WGS84
// ellipsoid, a(1-e²), at the equator along a meridian. One degree of arc on
// any path covers at least this many metres times π/180.
const minMeridianRadius = SemiMajorAxis * (1 - (2*Flattening - Flattening*Flattening))

// lowerBoundSlack absorbs the poleward bulge of long geodesics (under 0.2° for
// 1,000 km at mid-latitudes) so that the bound stays below the true distance.
const lowerBoundSlack = 0.97

// Neighbor is one answer of a nearest-point query: the index of a point as
// given to NewPointIndex and its geodesic distance in metres.
type Neighbor struct {
	Index    int
	Distance float64
}

// PointIndex answers nearest-point queries under geodesic distance on the
// WGS84 ellipsoid. The R-tree orders candidates by a lower bound of the
// geodesic distance and each candidate is refined with the exact geodesic, so
// answers are exact, not the nearest in degrees. Queries are right across
// the antimeridian and near the poles.
type PointIndex struct {
	tree   rtree.RTreeG[int32]
	points []orb.Point
}

// NewPointIndex indexes pts; query answers refer to positions in pts.
func NewPointIndex(pts []orb.Point) *PointIndex {
	ix := &PointIndex{points: append([]orb.Point(nil), pts...)}
	for i, p := range ix.points {
		ix.tree.Insert(p, p, int32(i))
	}
	return ix
}

// Len is the number of indexed points.
func (ix *PointIndex) Len() int { return len(ix.points) }

// Point returns the indexed point i.
func (ix *PointIndex) Point(i int) orb.Point { return ix.points[i] }

// boundFrom holds what lowerBound needs about a query point, computed once
// per query.
type boundFrom struct {
	q      orb.Point
	absLat float64 // |latitude of q|
	cosLat float64 // cos(latitude of q)
}

func newBoundFrom(q orb.Point) boundFrom {
	return boundFrom{q: q, absLat: math.Abs(q[1]), cosLat: math.Cos(q[1] * math.Pi / 180)}
}

// cosAtLeast is a lower bound of cos(lat) for lat ≥ |q's latitude|, in
// degrees: cos falls by at most its argument's change in radians.
func (f *boundFrom) cosAtLeast(lat float64) float64 {
	if c := f.cosLat - (lat-f.absLat)*math.Pi/180; c > 0 {
		return c
	}
	return 0
}

// lowerBound is a lower bound, in metres, of the geodesic distance from q to
// any point of the box [min, max]. It is monotone (a smaller box never gets a
// smaller bound), as the R-tree's ordered search requires.
//
// In geodetic coordinates the ellipsoid's metric, M²dφ² + N²cos²φ dλ², is at
// least minMeridianRadius²(dφ² + cos²φ dλ²). A path that stays within
// |lat| ≤ L is thus at least minMeridianRadius·hypot(Δφ, Δλ·cos L) long
// (the flat bound), and one that leaves that band after starting and ending
// within |lat| ≤ maxLat climbs and descends L−maxLat twice (the detour
// bound). The smaller of the two holds for every path; the band is widened
// until the flat bound is the smaller, which keeps the bound tight for
// geodesics of any length. Δλ is taken the short way round the globe, and
// cos L is replaced by a cheap lower bound of it.
func (f *boundFrom) lowerBound(min, max [2]float64) float64 {
	q := f.q
	var dlat float64
	if q[1] < min[1] {
		dlat = min[1] - q[1]
	} else if q[1] > max[1] {
		dlat = q[1] - max[1]
	}
	dlon := lonGap(q[0], min[0], max[0])
	const perDegree = lowerBoundSlack * minMeridianRadius * math.Pi / 180
	if dlon == 0 {
		return perDegree * dlat
	}
	maxLat := f.absLat
	if a := abs(min[1]); a > maxLat {
		maxLat = a
	}
	if a := abs(max[1]); a > maxLat {
		maxLat = a
	}
	best := 0.0
	for _, widen := range [...]float64{0.5, 5, 30, 90} {
		lat := maxLat + widen
		detour := 2 * perDegree * widen
		if lat >= 90 {
			lat, detour = 90, math.Inf(1)
		}
		c := dlon * f.cosAtLeast(lat)
		flat := perDegree * math.Sqrt(dlat*dlat+c*c)
		if flat <= detour {
			// wider bands only lower the flat bound
			if flat > best {
				best = flat
			}
			return best
		}
		if detour > best {
			best = detour
		}
	}
	return best
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// lonGap is the angle in degrees, the short way round, from longitude x to
// the nearest longitude of [lo, hi].
func lonGap(x, lo, hi float64) float64 {
	var g float64
	if x < lo {
		g = lo - x
		if x+360-hi < g { // the other way round
			g = x + 360 - hi
		}
	} else if x > hi {
		g = x - hi
		if lo+360-x < g { // the other way round
			g = lo + 360 - x
		}
	}
	if g < 0 {
		return 0
	}
	return g
}

// Nearest returns the indexed point nearest to q and its distance in metres,
// or Index -1 when the index is empty. Ties go to the lower index.
func (ix *PointIndex) Nearest(q orb.Point) Neighbor {
	best := Neighbor{Index: -1, Distance: math.Inf(1)}
	ix.nearby(q, func(i int, lb float64) bool {
		if lb > best.Distance {
			return false
		}
		d := Distance(q, ix.points[i])
		if d < best.Distance || (d == best.Distance && i < best.Index) {
			best = Neighbor{Index: i, Distance: d}
		}
		return true
	})
	return best
}

// NearestFunc is Nearest restricted to the points for which keep returns true
// (for example, the offices still open).
func (ix *PointIndex) NearestFunc(q orb.Point, keep func(i int) bool) Neighbor {
	best := Neighbor{Index: -1, Distance: math.Inf(1)}
	ix.nearby(q, func(i int, lb float64) bool {
		if lb > best.Distance {
			return false
		}
		if !keep(i) {
			return true
		}
		d := Distance(q, ix.points[i])
		if d < best.Distance || (d == best.Distance && i < best.Index) {
			best = Neighbor{Index: i, Distance: d}
		}
		return true
	})
	return best
}

// KNearest appends to dst the k indexed points nearest to q, nearest first,
// and returns it. Fewer are returned when the index holds fewer than k.
func (ix *PointIndex) KNearest(q orb.Point, k int, dst []Neighbor) []Neighbor {
	if k <= 0 {
		return dst
	}
	start := len(dst)
	ix.nearby(q, func(i int, lb float64) bool {
		found := dst[start:]
		if len(found) == k && lb > found[k-1].Distance {
			return false
		}
		d := Distance(q, ix.points[i])
		n := Neighbor{Index: i, Distance: d}
		// insert in order (k is small)
		pos := len(found)
		for pos > 0 && less(n, found[pos-1]) {
			pos--
		}
		if len(found) < k {
			dst = append(dst, Neighbor{})
			found = dst[start:]
		} else if pos == k {
			return true
		}
		copy(found[pos+1:], found[pos:len(found)-1])
		found[pos] = n
		return true
	})
	return dst
}

func less(a, b Neighbor) bool {
	return a.Distance < b.Distance || (a.Distance == b.Distance && a.Index < b.Index)
}

// Within calls fn for every indexed point within radius metres of q, in no
// particular order, until fn returns false.
func (ix *PointIndex) Within(q orb.Point, radius float64, fn func(n Neighbor) bool) {
	min, max := BoxAround(q, radius)
	more := true
	visit := func(_, _ [2]float64, i int32) bool {
		d := Distance(q, ix.points[i])
		if d <= radius {
			more = fn(Neighbor{Index: int(i), Distance: d})
		}
		return more
	}
	ix.tree.Search(min, max, visit)
	// The part of the box beyond the antimeridian, without what the first
	// search already covered.
	if more && min[0] < -180 {
		ix.tree.Search([2]float64{math.Max(min[0]+360, max[0]), min[1]}, [2]float64{180, max[1]},
			func(lo, hi [2]float64, i int32) bool {
				if ix.points[i][0] <= max[0] {
					return true
				}
				return visit(lo, hi, i)
			})
	}
	if more && max[0] > 180 {
		ix.tree.Search([2]float64{-180, min[1]}, [2]float64{math.Min(max[0]-360, min[0]), max[1]},
			func(lo, hi [2]float64, i int32) bool {
				if ix.points[i][0] >= min[0] {
					return true
				}
				return visit(lo, hi, i)
			})
	}
}

// nearby visits indexed points in increasing order of a lower bound of their
// geodesic distance to q, until visit returns false.
func (ix *PointIndex) nearby(q orb.Point, visit func(i int, lb float64) bool) {
	f := newBoundFrom(q)
	ix.tree.Nearby(
		func(min, max [2]float64, _ int32, _ bool) float64 {
			return f.lowerBound(min, max)
		},
		func(_, _ [2]float64, i int32, lb float64) bool {
			return visit(int(i), lb)
		},
	)
}

// BoxAround returns a lon/lat box that contains every point within radius
// metres of q (it is a little larger than needed). Near the antimeridian the
// box extends beyond ±180°; near a pole it spans all longitudes.
func BoxAround(q orb.Point, radius float64) (min, max [2]float64) {
	dlat := radius / (minMeridianRadius * math.Pi / 180) / lowerBoundSlack
	lat := math.Abs(q[1]) + dlat
	dlon := 180.0
	if lat < 90 {
		dlon = math.Min(180, dlat/math.Cos(lat*math.Pi/180))
	}
	return [2]float64{q[0] - dlon, q[1] - dlat}, [2]float64{q[0] + dlon, q[1] + dlat}
}

// InBound calls fn for every indexed point inside b until fn returns false.
func (ix *PointIndex) InBound(b orb.Bound, fn func(i int) bool) {
	ix.tree.Search(b.Min, b.Max, func(_, _ [2]float64, i int32) bool {
		return fn(int(i))
	})
}
