package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Point-in-polygon rule used by Contains and PolygonIndex.
//
// Edges are straight lines in lon/lat, as drawn by GeoJSON viewers and QGIS.
// A point is inside a polygon when a ray from it towards +x (east) crosses
// the polygon's rings (outer ring and holes together) an odd number of times.
// Crossings are half-open: an edge counts only when one end is strictly north
// of the point and the other is level with it or south, and only when the
// point lies strictly west of the edge. The result is as if every point were
// nudged an infinitesimal step east and a far smaller step north: a point on
// a boundary belongs to the polygon just east of it (just north of it on an
// east–west edge, just north-east at a vertex).
//
// Each edge's test is evaluated with its ends in a fixed order (southern end
// first), so two polygons that share an edge with the same vertices give
// opposite answers for every point on it, even where rounding moves the
// point off the exact line: such a point belongs to exactly one of them.

// crosses reports whether the ray east of p crosses the edge a–b under the
// half-open rule.
func crosses(a, b, p orb.Point) bool {
	if (a[1] > p[1]) == (b[1] > p[1]) {
		return false
	}
	if a[1] > b[1] {
		a, b = b, a
	}
	if p[0] < a[0] && p[0] < b[0] {
		return true
	}
	if p[0] > a[0] && p[0] > b[0] {
		return false
	}
	// p strictly left of the upward edge a→b
	return (b[0]-a[0])*(p[1]-a[1])-(b[1]-a[1])*(p[0]-a[0]) > 0
}

// ringCrossings is the parity of the crossings of the ray east of p with
// ring r, which may be closed (last point equal to the first) or not.
func ringCrossings(r orb.Ring, p orb.Point) bool {
	n := len(r)
	if n < 3 {
		return false
	}
	odd := false
	prev := r[n-1]
	for _, cur := range r {
		if crosses(prev, cur, p) {
			odd = !odd
		}
		prev = cur
	}
	return odd
}

// outsideBound reports whether no edge inside the bound [min, max] can count
// as a crossing for p, so the ring contributes an even number.
func outsideBound(min, max [2]float64, p orb.Point) bool {
	return p[1] < min[1] || p[1] >= max[1] || p[0] < min[0] || p[0] > max[0]
}

// polygonContains applies the crossing rule to one polygon with holes.
func polygonContains(poly orb.Polygon, p orb.Point) bool {
	odd := false
	for _, r := range poly {
		if ringCrossings(r, p) {
			odd = !odd
		}
	}
	return odd
}

// Contains reports whether p lies in mp, holes excluded. Points on a boundary
// follow the half-open rule described at the top of polygon.go: a point on
// the boundary belongs to the polygon east of it (north of it on an east–west
// edge), so a point on an edge shared by two adjacent polygons with the same
// vertices belongs to exactly one of them. Holes are assumed to lie inside
// their outer ring, as in valid GeoJSON; p is in mp when it is in any part.
func Contains(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		b := poly[0].Bound()
		if outsideBound(b.Min, b.Max, p) {
			continue
		}
		if polygonContains(poly, p) {
			return true
		}
	}
	return false
}

// chunkEdges is the number of edges of a long ring grouped under one
// precomputed box, so a query skips the groups it cannot cross.
const chunkEdges = 32

// edgeChunk bounds edges [start, end) of an indexed ring: edge i runs from
// point i to point i+1.
type edgeChunk struct {
	minY, maxY, maxX float64
	start, end       int32
}

// indexedRing is a closed ring with its bound and, when long, the bounds of
// its chunks of edges.
type indexedRing struct {
	pts      []orb.Point // closed: last point equals the first
	min, max [2]float64
	chunks   []edgeChunk
}

func newIndexedRing(r orb.Ring) indexedRing {
	pts := []orb.Point(r)
	if len(pts) > 0 && pts[0] != pts[len(pts)-1] {
		pts = append(append(make([]orb.Point, 0, len(pts)+1), pts...), pts[0])
	}
	b := orb.MultiPoint(pts).Bound()
	ir := indexedRing{pts: pts, min: b.Min, max: b.Max}
	if len(pts)-1 > 2*chunkEdges {
		for s := 0; s < len(pts)-1; s += chunkEdges {
			e := s + chunkEdges
			if e > len(pts)-1 {
				e = len(pts) - 1
			}
			c := edgeChunk{minY: math.Inf(1), maxY: math.Inf(-1), maxX: math.Inf(-1), start: int32(s), end: int32(e)}
			for _, q := range pts[s : e+1] {
				c.minY = math.Min(c.minY, q[1])
				c.maxY = math.Max(c.maxY, q[1])
				c.maxX = math.Max(c.maxX, q[0])
			}
			ir.chunks = append(ir.chunks, c)
		}
	}
	return ir
}

// odd is the parity of crossings of the ray east of p with the ring.
func (r *indexedRing) odd(p orb.Point) bool {
	if len(r.pts) < 4 || outsideBound(r.min, r.max, p) {
		return false
	}
	odd := false
	if r.chunks == nil {
		for i := 1; i < len(r.pts); i++ {
			if crosses(r.pts[i-1], r.pts[i], p) {
				odd = !odd
			}
		}
		return odd
	}
	for _, c := range r.chunks {
		// No edge of the chunk straddles p's latitude, or all lie west of p.
		if c.minY > p[1] || c.maxY <= p[1] || c.maxX < p[0] {
			continue
		}
		for i := c.start + 1; i <= c.end; i++ {
			if crosses(r.pts[i-1], r.pts[i], p) {
				odd = !odd
			}
		}
	}
	return odd
}

// indexedPart is one polygon (outer ring and holes) of an indexed
// MultiPolygon.
type indexedPart struct {
	owner int32 // index of the MultiPolygon
	first bool  // first indexed part of its MultiPolygon
	rings []indexedRing
}

func (pt *indexedPart) contains(p orb.Point) bool {
	if outsideBound(pt.rings[0].min, pt.rings[0].max, p) {
		return false
	}
	odd := false
	for i := range pt.rings {
		if pt.rings[i].odd(p) {
			odd = !odd
		}
	}
	return odd
}

// PolygonIndex answers point-in-polygon queries over many MultiPolygons
// with holes, such as school districts. An R-tree over the bounding box of
// every part selects candidates, and each ring's bound is precomputed.
// Queries do not allocate and may run concurrently.
type PolygonIndex struct {
	tree  rtree.RTreeG[int32] // part bounds → index into parts
	parts []indexedPart
	n     int
}

// NewPolygonIndex indexes polys; query answers refer to positions in polys.
// Empty polygons and rings with fewer than three points are kept as
// positions but never contain anything.
func NewPolygonIndex(polys []orb.MultiPolygon) *PolygonIndex {
	ix := &PolygonIndex{n: len(polys)}
	for i, mp := range polys {
		first := true
		for _, poly := range mp {
			if len(poly) == 0 || len(poly[0]) == 0 {
				continue
			}
			part := indexedPart{owner: int32(i), first: first}
			for _, r := range poly {
				part.rings = append(part.rings, newIndexedRing(r))
			}
			first = false
			k := int32(len(ix.parts))
			ix.parts = append(ix.parts, part)
			ix.tree.Insert(part.rings[0].min, part.rings[0].max, k)
		}
	}
	return ix
}

// Len is the number of polygons given to NewPolygonIndex.
func (ix *PolygonIndex) Len() int { return ix.n }

// Locate returns the lowest index of a polygon containing p, or -1. The
// boundary rule is that of Contains.
func (ix *PolygonIndex) Locate(p orb.Point) int {
	best := -1
	ix.Containing(p, func(i int) bool {
		if best < 0 || i < best {
			best = i
		}
		return true
	})
	return best
}

// Containing calls fn, in no particular order, with the index of every
// polygon containing p (each once), until fn returns false. The boundary
// rule is that of Contains.
func (ix *PolygonIndex) Containing(p orb.Point, fn func(i int) bool) {
	ix.tree.Search(p, p, func(_, _ [2]float64, k int32) bool {
		part := &ix.parts[k]
		if !part.contains(p) {
			return true
		}
		// A MultiPolygon whose parts overlap is reported by its first part
		// containing p only.
		if !part.first {
			for j := k - 1; j >= 0 && ix.parts[j].owner == part.owner; j-- {
				if ix.parts[j].contains(p) {
					return true
				}
			}
		}
		return fn(int(part.owner))
	})
}

// Intersecting calls fn, in no particular order, with the index of every
// polygon one of whose parts has a bounding box that meets b (boundaries
// included), each once, until fn returns false. It is the candidate set for
// any polygon–box test.
func (ix *PolygonIndex) Intersecting(b orb.Bound, fn func(i int) bool) {
	ix.tree.Search(b.Min, b.Max, func(_, _ [2]float64, k int32) bool {
		part := &ix.parts[k]
		if !part.first {
			for j := k - 1; j >= 0 && ix.parts[j].owner == part.owner; j-- {
				r := &ix.parts[j].rings[0]
				if boxesMeet(r.min, r.max, b) {
					return true
				}
			}
		}
		return fn(int(part.owner))
	})
}

func boxesMeet(min, max [2]float64, b orb.Bound) bool {
	return min[0] <= b.Max[0] && max[0] >= b.Min[0] && min[1] <= b.Max[1] && max[1] >= b.Min[1]
}
