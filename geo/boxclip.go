package geo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// clipBox is bound padded by about 1 % of its size and moved, if need be,
// so that no vertex of the polygons' edges lies on its sides and no edge
// passes through one of its corners: every place where a ring meets the
// box's outline is then a proper crossing of one side. edgesNear calls fn
// with (at least) every edge whose box meets the given side of a box.
func clipBox(bound orb.Bound, edgesNear func(side orb.Bound, fn func(u, v orb.Point) bool)) orb.Bound {
	pad := 0.01*math.Max(bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]) + 1e-9
	for try := 0; ; try++ {
		box := bound.Pad(pad)
		if try == 20 || boxInGeneralPosition(box, edgesNear) {
			return box
		}
		pad *= 1.0137
	}
}

// boxInGeneralPosition reports whether no edge has an end on a side of box
// or passes through a corner.
func boxInGeneralPosition(box orb.Bound, edgesNear func(side orb.Bound, fn func(u, v orb.Point) bool)) bool {
	corners := box.ToRing()[:4] // counter-clockwise from the lower left
	ok := true
	check := func(u, v orb.Point) bool {
		for _, p := range [2]orb.Point{u, v} {
			if p[0] == box.Min[0] || p[0] == box.Max[0] || p[1] == box.Min[1] || p[1] == box.Max[1] {
				ok = false
				return false
			}
		}
		for _, c := range corners {
			if orient(u, v, c) == 0 && math.Min(u[0], v[0]) <= c[0] && c[0] <= math.Max(u[0], v[0]) &&
				math.Min(u[1], v[1]) <= c[1] && c[1] <= math.Max(u[1], v[1]) {
				ok = false
				return false
			}
		}
		return true
	}
	for k := range corners {
		side := orb.Bound{Min: corners[k], Max: corners[k]}.Extend(corners[(k+1)%4])
		if edgesNear(side, check); !ok {
			return false
		}
	}
	return true
}

// allEdges is an edgesNear for clipBox that visits every edge of polys.
func allEdges(polys ...orb.Polygon) func(side orb.Bound, fn func(u, v orb.Point) bool) {
	return func(_ orb.Bound, fn func(u, v orb.Point) bool) {
		for _, p := range polys {
			for _, r := range p {
				for i := 1; i < len(r); i++ {
					if !fn(r[i-1], r[i]) {
						return
					}
				}
			}
		}
	}
}

// boxChain is the part of a ring inside the box between where it enters
// the box and where it leaves; in and out are the positions of those two
// points along the box's outline (see perimeterPosition).
type boxChain struct {
	pts     []orb.Point
	in, out float64
	used    bool
}

// clipPolygonToBox returns p ∩ box as valid polygons. p's exterior ring is
// counter-clockwise and its holes clockwise (the area on the left of every
// ring), its rings closed; box is in general position (clipBox). The parts
// of rings inside the box are joined along the box's outline, walking it
// counter-clockwise from where a part leaves to where the next one enters,
// as in Weiler–Atherton clipping; no edge is doubled back on itself.
//
// edges, when not nil, lists for each ring the edges (i: from point i to
// i+1) whose boxes meet box, in order; the others cannot add to the cut.
// bounds, when not nil, holds the rings' bounds.
func clipPolygonToBox(p orb.Polygon, box orb.Bound, edges [][]int32, bounds []orb.Bound) []orb.Polygon {
	var chains []*boxChain
	var inner []orb.Ring // rings wholly inside the box
	exteriorInside := false
	for i, r := range p {
		var rb orb.Bound
		if bounds != nil {
			rb = bounds[i]
		} else {
			rb = r.Bound()
		}
		switch {
		case !box.Intersects(rb):
			continue
		case box.Contains(rb.Min) && box.Contains(rb.Max):
			inner = append(inner, r)
			exteriorInside = exteriorInside || i == 0
			continue
		}
		if edges == nil {
			chains = append(chains, ringChains(r, box, nil)...)
		} else if i < len(edges) && len(edges[i]) > 0 {
			chains = append(chains, ringChains(r, box, edges[i])...)
		}
	}
	if len(chains) == 0 {
		// No ring crosses the outline: the box is inside p's area, or p's
		// rings inside the box are all there is.
		if exteriorInside {
			return []orb.Polygon{p} // the exterior is inside the box, and so are its holes
		}
		if !polygonContains(p, box.Min) {
			return nil
		}
		return []orb.Polygon{append(orb.Polygon{box.ToRing()}, inner...)}
	}
	// Entries in order along the outline, to find the next one after an exit.
	byIn := make([]*boxChain, len(chains))
	copy(byIn, chains)
	sort.Slice(byIn, func(i, j int) bool { return byIn[i].in < byIn[j].in })
	perimeter := 2 * ((box.Max[0] - box.Min[0]) + (box.Max[1] - box.Min[1]))
	var out []orb.Polygon
	for _, start := range byIn {
		if start.used {
			continue
		}
		var ring orb.Ring
		c := start
		for {
			c.used = true
			ring = append(ring, c.pts...)
			// The next entry counter-clockwise after c's exit.
			k := sort.Search(len(byIn), func(i int) bool { return byIn[i].in > c.out })
			if k == len(byIn) {
				k = 0
			}
			next := byIn[k]
			ring = append(ring, cornersBetween(box, c.out, next.in, perimeter)...)
			if next == start {
				break
			}
			if next.used { // cannot happen for a valid polygon in a box in general position
				break
			}
			c = next
		}
		ring = append(ring, ring[0])
		out = append(out, orb.Polygon{ring})
	}
	// Holes wholly inside the box go to the part whose exterior holds them.
	for _, h := range inner {
		k := holder(out, h)
		out[k] = append(out[k], h)
	}
	return out
}

// holder is the index of the part of out whose exterior holds the ring h,
// which lies inside one of them and may touch it at a point.
func holder(out []orb.Polygon, h orb.Ring) int {
	for _, v := range h {
		found := -1
		for i := range out {
			if ringCrossings(out[i][0], v) {
				if found >= 0 { // v is where two parts touch: try another vertex
					found = -2
					break
				}
				found = i
			}
		}
		if found >= 0 {
			return found
		}
	}
	return 0
}

// perimeterPosition is how far along box's outline p lies, walking
// counter-clockwise from the lower-left corner; p is on the outline.
func perimeterPosition(box orb.Bound, p orb.Point, side int) float64 {
	w, h := box.Max[0]-box.Min[0], box.Max[1]-box.Min[1]
	switch side {
	case sideBottom:
		return p[0] - box.Min[0]
	case sideRight:
		return w + p[1] - box.Min[1]
	case sideTop:
		return w + h + box.Max[0] - p[0]
	}
	return 2*w + h + box.Max[1] - p[1]
}

// cornersBetween lists the box's corners passed walking its outline
// counter-clockwise from position from to position to.
func cornersBetween(box orb.Bound, from, to, perimeter float64) []orb.Point {
	w, h := box.Max[0]-box.Min[0], box.Max[1]-box.Min[1]
	corners := [4]struct {
		at float64
		p  orb.Point
	}{{0, box.Min}, {w, orb.Point{box.Max[0], box.Min[1]}}, {w + h, box.Max}, {2*w + h, orb.Point{box.Min[0], box.Max[1]}}}
	if to < from {
		to += perimeter
	}
	var out []orb.Point
	for lap := 0.0; lap <= perimeter; lap += perimeter {
		for _, c := range corners {
			if at := c.at + lap; at > from && at < to {
				out = append(out, c.p)
			}
		}
	}
	return out
}

const (
	sideBottom = iota
	sideRight
	sideTop
	sideLeft
)

// ringChains cuts the closed ring r, which crosses box's outline, into the
// parts inside the box. edges lists the edges to walk, in order; nil walks
// them all.
func ringChains(r orb.Ring, box orb.Bound, edges []int32) []*boxChain {
	inside := func(p orb.Point) bool {
		return p[0] > box.Min[0] && p[0] < box.Max[0] && p[1] > box.Min[1] && p[1] < box.Max[1]
	}
	var chains []*boxChain
	var cur *boxChain
	var head *boxChain // the open chain the ring starts in, when r[0] is inside
	if inside(r[0]) {
		cur = &boxChain{pts: []orb.Point{r[0]}}
		head = cur
	}
	n := len(r) - 1
	if edges != nil {
		n = len(edges)
	}
	for k := 0; k < n; k++ {
		i := k
		if edges != nil {
			i = int(edges[k])
		}
		u, v := r[i], r[i+1]
		uin, vin := inside(u), inside(v)
		switch {
		case uin && vin:
			cur.pts = append(cur.pts, v)
		case uin:
			x, side := leaveBox(u, v, box)
			cur.pts = append(cur.pts, x)
			cur.out = perimeterPosition(box, x, side)
			if cur != head {
				chains = append(chains, cur)
			}
			cur = nil
		case vin:
			x, side := leaveBox(v, u, box)
			cur = &boxChain{pts: []orb.Point{x, v}, in: perimeterPosition(box, x, side)}
		default:
			if x, sx, y, sy, ok := passBox(u, v, box); ok {
				chains = append(chains, &boxChain{pts: []orb.Point{x, y}, in: perimeterPosition(box, x, sx), out: perimeterPosition(box, y, sy)})
			}
		}
	}
	if head != nil {
		// The ring closes inside the box: the last open chain runs on into
		// the first. The closing point r[len-1] equals r[0], so it is
		// dropped from the join.
		if cur == head {
			return chains // never left the box: cannot happen for a crossing ring
		}
		cur.pts = append(cur.pts, head.pts[1:]...)
		cur.out = head.out
		chains = append(chains, cur)
	}
	return chains
}

// leaveBox is where the segment from u (inside box) to v (outside) crosses
// the outline, and the side it crosses.
func leaveBox(u, v orb.Point, box orb.Bound) (orb.Point, int) {
	t, side := 1.0, -1
	if v[0] < box.Min[0] {
		if s := (box.Min[0] - u[0]) / (v[0] - u[0]); s < t {
			t, side = s, sideLeft
		}
	}
	if v[0] > box.Max[0] {
		if s := (box.Max[0] - u[0]) / (v[0] - u[0]); s < t {
			t, side = s, sideRight
		}
	}
	if v[1] < box.Min[1] {
		if s := (box.Min[1] - u[1]) / (v[1] - u[1]); s < t {
			t, side = s, sideBottom
		}
	}
	if v[1] > box.Max[1] {
		if s := (box.Max[1] - u[1]) / (v[1] - u[1]); s < t {
			t, side = s, sideTop
		}
	}
	return pointOnSide(u, v, t, side, box), side
}

// pointOnSide is u + t(v−u), put exactly on the side it lies on and kept
// within the box's extent along that side.
func pointOnSide(u, v orb.Point, t float64, side int, box orb.Bound) orb.Point {
	p := orb.Point{u[0] + t*(v[0]-u[0]), u[1] + t*(v[1]-u[1])}
	switch side {
	case sideLeft:
		p[0] = box.Min[0]
	case sideRight:
		p[0] = box.Max[0]
	case sideBottom:
		p[1] = box.Min[1]
	case sideTop:
		p[1] = box.Max[1]
	}
	p[0] = math.Min(math.Max(p[0], box.Min[0]), box.Max[0])
	p[1] = math.Min(math.Max(p[1], box.Min[1]), box.Max[1])
	return p
}

// passBox is where the segment u–v, both ends outside box, enters and
// leaves it (Liang–Barsky); ok is false when it misses the box.
func passBox(u, v orb.Point, box orb.Bound) (in orb.Point, inSide int, out orb.Point, outSide int, ok bool) {
	t0, t1 := 0.0, 1.0
	inSide, outSide = -1, -1
	d := [2]float64{v[0] - u[0], v[1] - u[1]}
	for axis := 0; axis < 2; axis++ {
		lo, hi := box.Min[axis], box.Max[axis]
		loSide, hiSide := sideLeft, sideRight
		if axis == 1 {
			loSide, hiSide = sideBottom, sideTop
		}
		if d[axis] == 0 {
			if u[axis] <= lo || u[axis] >= hi {
				return orb.Point{}, 0, orb.Point{}, 0, false
			}
			continue
		}
		a, b := (lo-u[axis])/d[axis], (hi-u[axis])/d[axis]
		aSide, bSide := loSide, hiSide
		if a > b {
			a, b = b, a
			aSide, bSide = bSide, aSide
		}
		if a > t0 {
			t0, inSide = a, aSide
		}
		if b < t1 {
			t1, outSide = b, bSide
		}
	}
	if t0 >= t1 || inSide < 0 || outSide < 0 {
		return orb.Point{}, 0, orb.Point{}, 0, false
	}
	return pointOnSide(u, v, t0, inSide, box), inSide, pointOnSide(u, v, t1, outSide, box), outSide, true
}
