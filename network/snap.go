package network

import (
	"math"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// DefaultMaxSnapM is the farthest, in metres, a point may lie from the
// network and still be routed.
const DefaultMaxSnapM = 500

// Snap is where a point joins the network: the nearest point on any
// segment, not the nearest node.
type Snap struct {
	// Segment is the segment joined, or -1 when the graph is empty.
	Segment int32
	// Frac is the position along the segment from its U end (0) to its V end (1).
	Frac float64
	// Point is the joining point on the segment.
	Point orb.Point
	// DistanceM is the geodesic distance in metres from the point to Point.
	DistanceM float64
	// OK is false when DistanceM exceeds the maximum snap distance: the
	// point is outside the network's coverage and must not be routed.
	OK bool
}

// Snap finds where p joins the network. The answer is exact up to the
// straightness of segments in longitude and latitude (nanometres on road
// pieces). OK is false when the nearest point is farther than maxSnapM
// metres (maxSnapM <= 0 means DefaultMaxSnapM).
func (g *Graph) Snap(p orb.Point, maxSnapM float64) Snap {
	if maxSnapM <= 0 {
		maxSnapM = DefaultMaxSnapM
	}
	best := Snap{Segment: -1, DistanceM: inf}
	if len(g.segU) == 0 {
		return best
	}
	tree := g.segmentIndex()
	kx, ky := metresPerDegree(p[1])
	tree.Nearby(
		func(min, max [2]float64, _ int32, _ bool) float64 {
			return boxLowerBound(p, min, max)
		},
		func(_, _ [2]float64, s int32, lb float64) bool {
			if lb > best.DistanceM {
				return false
			}
			a, b := g.coords[g.segU[s]], g.coords[g.segV[s]]
			f := atNode(closestFraction(p, a, b, kx, ky), a, b, kx, ky)
			q := orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])}
			d := geo.Distance(p, q)
			if d < best.DistanceM || (d == best.DistanceM && s < best.Segment) {
				best = Snap{Segment: s, Frac: f, Point: q, DistanceM: d}
			}
			return true
		},
	)
	best.OK = best.DistanceM <= maxSnapM
	return best
}

// segmentIndex returns the R-tree of segment bounding boxes, building it on
// first use.
func (g *Graph) segmentIndex() *rtree.RTreeG[int32] {
	g.indexOnce.Do(func() {
		var t rtree.RTreeG[int32]
		for s := range g.segU {
			a, b := g.coords[g.segU[s]], g.coords[g.segV[s]]
			t.Insert([2]float64{math.Min(a[0], b[0]), math.Min(a[1], b[1])},
				[2]float64{math.Max(a[0], b[0]), math.Max(a[1], b[1])}, int32(s))
		}
		g.index = &t
	})
	return g.index
}

// nodeSnapM is how close, in metres, a snapped point must be to a segment's
// end to count as at that node: far below any survey's accuracy, far above
// floating-point noise. Without it a point 1e-14° off a node would join a
// one-way segment just after the node and drive round the block.
const nodeSnapM = 1e-6

// atNode returns the fraction f along a→b, or exactly 0 or 1 when it lies
// within nodeSnapM of an end.
func atNode(f float64, a, b orb.Point, kx, ky float64) float64 {
	l := math.Hypot((b[0]-a[0])*kx, (b[1]-a[1])*ky)
	switch {
	case f*l <= nodeSnapM:
		return 0
	case (1-f)*l <= nodeSnapM:
		return 1
	}
	return f
}

// closestFraction is the fraction along a→b of the point nearest to p, in a
// local plane scaled by kx, ky metres per degree.
func closestFraction(p, a, b orb.Point, kx, ky float64) float64 {
	dx, dy := (b[0]-a[0])*kx, (b[1]-a[1])*ky
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return 0
	}
	f := ((p[0]-a[0])*kx*dx + (p[1]-a[1])*ky*dy) / l2
	return math.Max(0, math.Min(1, f))
}

// WGS84 constants for the local plane.
const (
	semiMajor = 6378137.0
	flat      = 1 / 298.257223563
	ecc2      = flat * (2 - flat)
)

// metresPerDegree gives the lengths in metres of one degree of longitude and
// of latitude at latitude lat (the ellipsoid's radii of curvature there).
func metresPerDegree(lat float64) (kx, ky float64) {
	phi := lat * math.Pi / 180
	s := math.Sin(phi)
	w := 1 - ecc2*s*s
	n := semiMajor / math.Sqrt(w)                    // prime vertical radius
	m := semiMajor * (1 - ecc2) / (w * math.Sqrt(w)) // meridian radius
	return n * math.Cos(phi) * math.Pi / 180, m * math.Pi / 180
}

// minMeridianRadius is the smallest meridian radius of curvature of WGS84.
const minMeridianRadius = semiMajor * (1 - ecc2)

// boxLowerBound is a lower bound, in metres, of the geodesic distance from q
// to any point of the box [min, max] (the same bound as geo's point index).
func boxLowerBound(q orb.Point, min, max [2]float64) float64 {
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
	lat := math.Min(90, math.Max(math.Abs(q[1]), math.Max(math.Abs(min[1]), math.Abs(max[1])))+0.5)
	return 0.97 * minMeridianRadius * math.Pi / 180 * math.Hypot(dlat, dlon*math.Cos(lat*math.Pi/180))
}
