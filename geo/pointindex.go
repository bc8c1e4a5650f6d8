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
// answers are exact, not the nearest in degrees.
//
// Longitudes are not wrapped across the antimeridian.
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

// lowerBound is a lower bound, in metres, of the geodesic distance from q to
// any point of the box [min, max].
func lowerBound(q orb.Point, min, max [2]float64) float64 {
	var dlon, dlat float64
	if q[0] < min[0] {
		dlon = min[0] - q[0]
	} else if q[0] > max[0] {
		dlon = q[0] - max[0]
	}
	if q[1] < min[1] {
		dlat = min[1] - q[1]
	} else if q[1] > max[1] {
		dlat = q[1] - max[1]
	}
	if dlon == 0 && dlat == 0 {
		return 0
	}
	// The most poleward latitude the shortest path may reach, widened by the
	// bulge; the parallel is shortest there.
	lat := math.Max(math.Abs(q[1]), math.Max(math.Abs(min[1]), math.Abs(max[1]))) + 0.5
	if lat > 90 {
		lat = 90
	}
	dlonM := dlon * math.Cos(lat*math.Pi/180)
	return lowerBoundSlack * minMeridianRadius * math.Pi / 180 * math.Hypot(dlat, dlonM)
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
	ix.tree.Search(min, max, func(_, _ [2]float64, i int32) bool {
		d := Distance(q, ix.points[i])
		if d <= radius {
			return fn(Neighbor{Index: int(i), Distance: d})
		}
		return true
	})
}

// nearby visits indexed points in increasing order of a lower bound of their
// geodesic distance to q, until visit returns false.
func (ix *PointIndex) nearby(q orb.Point, visit func(i int, lb float64) bool) {
	ix.tree.Nearby(
		func(min, max [2]float64, _ int32, _ bool) float64 {
			return lowerBound(q, min, max)
		},
		func(_, _ [2]float64, i int32, lb float64) bool {
			return visit(int(i), lb)
		},
	)
}

// BoxAround returns a lon/lat box that contains every point within radius
// metres of q (it is a little larger than needed).
func BoxAround(q orb.Point, radius float64) (min, max [2]float64) {
	dlat := radius / (minMeridianRadius * math.Pi / 180) / lowerBoundSlack
	lat := math.Min(89.9, math.Abs(q[1])+dlat)
	dlon := dlat / math.Cos(lat*math.Pi/180)
	if dlon > 180 {
		dlon = 180
	}
	return [2]float64{q[0] - dlon, q[1] - dlat}, [2]float64{q[0] + dlon, q[1] + dlat}
}
