package geo

import (
	"errors"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// ErrNotCoverage is returned by CoverageUnion when its input is not a clean
// polygonal coverage: polygons overlap, or neighbours do not share the
// vertices of their common border exactly. Union handles such input.
var ErrNotCoverage = errors.New("not a clean polygonal coverage")

// CoverageUnion is the union of valid polygons that form a coverage:
// interiors do not overlap and neighbours share identical vertices along
// their common borders (what GEOS's CoverageUnion takes). The union is then
// the set of edges not shared by two of the polygons, chained into rings:
// no overlay is needed. Rings are split where they meet at a vertex, so the
// result is OGC-valid: closed rings, exteriors counter-clockwise, holes
// clockwise. When the edges left over do not make valid polygons (the
// input is not a clean coverage), it returns ErrNotCoverage and nothing
// else; the result is then never a wrong answer, and Union gives the right
// one. Invalid input polygons are the caller's to reject.
func CoverageUnion(polys []orb.MultiPolygon) (orb.MultiPolygon, error) {
	var c coverage
	c.id = make(map[orb.Point]int32)
	c.edge = make(map[uint64]int32)
	for _, mp := range polys {
		for _, p := range mp {
			for ri, r := range p {
				if !c.addRing(r, ri == 0) {
					return nil, ErrNotCoverage
				}
			}
		}
	}
	var alive []int32
	for i, e := range c.edges {
		if e.alive {
			alive = append(alive, int32(i))
		}
	}
	if len(alive) == 0 {
		return nil, nil
	}
	if c.anyIntersection(alive) {
		return nil, ErrNotCoverage
	}
	loops, ok := c.loops(alive)
	if !ok {
		return nil, ErrNotCoverage
	}
	rings := make([]orb.Ring, len(loops))
	for i, l := range loops {
		r := make(orb.Ring, len(l)+1)
		for k, v := range l {
			r[k] = c.pts[v]
		}
		r[len(l)] = r[0]
		rings[i] = r
	}
	out, ok := assemble(rings)
	if !ok {
		return nil, ErrNotCoverage
	}
	return out, nil
}

type coverEdge struct {
	from, to int32
	alive    bool  // not cancelled by its reverse
	used     bool  // already chained into a loop
	seen     int8  // 1: once; 2: with its reverse
	nextOut  int32 // next edge out of from, or -1
	nextIn   int32 // next edge into to, or -1
}

type coverage struct {
	pts   []orb.Point
	id    map[orb.Point]int32
	edges []coverEdge
	edge  map[uint64]int32 // unordered pair of vertex ids → edges index
}

func (c *coverage) vertex(p orb.Point) int32 {
	if i, ok := c.id[p]; ok {
		return i
	}
	i := int32(len(c.pts))
	c.pts = append(c.pts, p)
	c.id[p] = i
	return i
}

// addRing adds the edges of a ring oriented with the interior on the left
// (exterior counter-clockwise, holes clockwise). An edge met once stays; an
// edge met again in the opposite direction is an inner border and is
// cancelled; any other repeat means the input is no coverage (false).
func (c *coverage) addRing(r orb.Ring, exterior bool) bool {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	if n < 3 {
		return false
	}
	a := signedArea(r[:n])
	if a == 0 || math.IsNaN(a) {
		return false
	}
	reverse := (a < 0) == exterior
	for k := 0; k < n; k++ {
		p, q := r[k], r[(k+1)%n]
		if reverse {
			p, q = r[(n-k)%n], r[n-k-1]
		}
		if p == q {
			continue
		}
		a, b := c.vertex(p), c.vertex(q)
		lo, hi := a, b
		if lo > hi {
			lo, hi = hi, lo
		}
		key := uint64(lo)<<32 | uint64(uint32(hi))
		if i, ok := c.edge[key]; ok {
			e := &c.edges[i]
			if e.seen != 1 || e.from != b || e.to != a {
				return false
			}
			e.seen, e.alive = 2, false
			continue
		}
		c.edge[key] = int32(len(c.edges))
		c.edges = append(c.edges, coverEdge{from: a, to: b, alive: true, seen: 1, nextOut: -1, nextIn: -1})
	}
	return true
}

// signedArea is the planar shoelace area of an open ring (positive when
// counter-clockwise), taken about its first point to keep precision.
func signedArea(r []orb.Point) float64 {
	var s float64
	o := r[0]
	for k := 1; k+1 < len(r); k++ {
		s += (r[k][0]-o[0])*(r[k+1][1]-o[1]) - (r[k+1][0]-o[0])*(r[k][1]-o[1])
	}
	return s / 2
}

// orientErr bounds the rounding error of orient relative to the sum of the
// magnitudes of its two products (Shewchuk's bound is about 3.3e-16).
const orientErr = 1e-14

// orient is the sign of the turn a→b→p: +1 left, -1 right, 0 when too close
// to call.
func orient(a, b, p orb.Point) int {
	l := (b[0] - a[0]) * (p[1] - a[1])
	r := (b[1] - a[1]) * (p[0] - a[0])
	d := l - r
	if math.Abs(d) <= orientErr*(math.Abs(l)+math.Abs(r)) {
		return 0
	}
	if d > 0 {
		return 1
	}
	return -1
}

// anyIntersection reports whether two of the edges meet anywhere but at a
// common end point, or come too close to tell: a sweep along x over the
// edges' boxes.
func (c *coverage) anyIntersection(edges []int32) bool {
	type item struct {
		minX, maxX, minY, maxY float64
		e                      int32
	}
	items := make([]item, len(edges))
	for i, ei := range edges {
		e := c.edges[ei]
		a, b := c.pts[e.from], c.pts[e.to]
		items[i] = item{math.Min(a[0], b[0]), math.Max(a[0], b[0]), math.Min(a[1], b[1]), math.Max(a[1], b[1]), ei}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].minX < items[j].minX })
	var active []item
	for _, it := range items {
		k := 0
		for _, o := range active {
			if o.maxX >= it.minX {
				active[k] = o
				k++
			}
		}
		active = active[:k]
		for _, o := range active {
			if o.maxY < it.minY || it.maxY < o.minY {
				continue
			}
			if c.meet(c.edges[o.e], c.edges[it.e]) {
				return true
			}
		}
		active = append(active, it)
	}
	return false
}

// meet reports whether edges s and t, whose boxes overlap, meet other than
// at one common end point (or are too close to tell).
func (c *coverage) meet(s, t coverEdge) bool {
	a, b, p, q := c.pts[s.from], c.pts[s.to], c.pts[t.from], c.pts[t.to]
	// With a common end, they meet elsewhere only when collinear and
	// leaving it in the same direction.
	shared := func(o, x, y orb.Point) bool {
		dx, dy := x[0]-o[0], x[1]-o[1]
		ex, ey := y[0]-o[0], y[1]-o[1]
		return orient(o, x, y) == 0 && dx*ex+dy*ey > 0
	}
	switch {
	case s.from == t.from:
		return shared(a, b, q)
	case s.from == t.to:
		return shared(a, b, p)
	case s.to == t.from:
		return shared(b, a, q)
	case s.to == t.to:
		return shared(b, a, p)
	}
	o1, o2 := orient(a, b, p), orient(a, b, q)
	o3, o4 := orient(p, q, a), orient(p, q, b)
	return o1*o2 <= 0 && o3*o4 <= 0
}

// loops chains the edges into simple closed loops of vertex ids (first
// vertex not repeated). Around every vertex, edges in and out must
// alternate (the interior lies on one side of each edge, so a region would
// otherwise be covered twice or be a hole twice); false otherwise. At a
// vertex with several ways on, the walk takes the sharpest left turn, the
// edge out across the interior from the edge in, so loops never cross; a
// walk that comes back to a vertex it passed closes a loop there.
func (c *coverage) loops(edges []int32) ([][]int32, bool) {
	firstOut := make([]int32, len(c.pts))
	firstIn := make([]int32, len(c.pts))
	degree := make([]int32, len(c.pts)) // out minus in, then out
	for i := range firstOut {
		firstOut[i], firstIn[i] = -1, -1
	}
	for i := len(edges) - 1; i >= 0; i-- {
		ei := edges[i]
		e := &c.edges[ei]
		e.nextOut, firstOut[e.from] = firstOut[e.from], ei
		e.nextIn, firstIn[e.to] = firstIn[e.to], ei
		degree[e.from]++
		degree[e.to]--
	}
	for _, ei := range edges {
		if degree[c.edges[ei].from] != 0 {
			return nil, false // unbalanced: cannot happen for closed rings
		}
	}
	for _, ei := range edges {
		v := c.edges[ei].from
		if firstOut[v] != ei || c.edges[ei].nextOut < 0 {
			continue // each vertex once; one way on: nothing to check
		}
		if !c.alternates(v, firstOut[v], firstIn[v]) {
			return nil, false
		}
	}
	onPath := make([]int32, len(c.pts))
	for i := range onPath {
		onPath[i] = -1
	}
	var out [][]int32
	for _, e0 := range edges {
		if c.edges[e0].used {
			continue
		}
		start := c.edges[e0].from
		path := []int32{start}
		onPath[start] = 0
		cur := e0
		for {
			e := &c.edges[cur]
			e.used = true
			v := e.to
			if i := onPath[v]; i >= 0 {
				loop := append([]int32(nil), path[i:]...)
				out = append(out, loop)
				for _, u := range path[i+1:] {
					onPath[u] = -1
				}
				path = path[:i+1]
			} else {
				onPath[v] = int32(len(path))
				path = append(path, v)
			}
			next := c.leftmost(firstOut[v], e.from, v)
			if next < 0 {
				break
			}
			cur = next
		}
		if len(path) != 1 {
			return nil, false // unbalanced: cannot happen for closed rings
		}
		onPath[start] = -1
	}
	return out, true
}

// alternates reports whether, around vertex v, the edges out (list from
// out) and in (list from in) alternate.
func (c *coverage) alternates(v, out, in int32) bool {
	type way struct {
		angle float64
		out   bool
	}
	var ws []way
	pv := c.pts[v]
	for ei := out; ei >= 0; ei = c.edges[ei].nextOut {
		w := c.pts[c.edges[ei].to]
		ws = append(ws, way{math.Atan2(w[1]-pv[1], w[0]-pv[0]), true})
	}
	for ei := in; ei >= 0; ei = c.edges[ei].nextIn {
		w := c.pts[c.edges[ei].from]
		ws = append(ws, way{math.Atan2(w[1]-pv[1], w[0]-pv[0]), false})
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].angle < ws[j].angle })
	for i := range ws {
		if ws[i].out == ws[(i+1)%len(ws)].out {
			return false
		}
	}
	return true
}

// leftmost is the unused edge of the out-list starting at ei that turns
// most to the left coming from u into v, or -1.
func (c *coverage) leftmost(ei int32, u, v int32) int32 {
	best, bestTurn := int32(-1), math.Inf(-1)
	pu, pv := c.pts[u], c.pts[v]
	dx, dy := pv[0]-pu[0], pv[1]-pu[1]
	single := c.edges[ei].nextOut < 0
	for ; ei >= 0; ei = c.edges[ei].nextOut {
		e := c.edges[ei]
		if e.used {
			continue
		}
		if single {
			return ei
		}
		w := c.pts[e.to]
		ex, ey := w[0]-pv[0], w[1]-pv[1]
		turn := math.Atan2(dx*ey-dy*ex, dx*ex+dy*ey)
		if turn > bestTurn {
			best, bestTurn = ei, turn
		}
	}
	return best
}

// assemble turns closed simple rings that cross nowhere into polygons:
// counter-clockwise rings are exteriors, clockwise ones holes. It checks
// that the winding number just outside every exterior is 0 and just outside
// every hole 1, so the result is a valid polygon set with the same winding
// number everywhere as the rings, and puts each hole in the smallest
// exterior around it. false: the rings do not make valid polygons.
func assemble(rings []orb.Ring) (orb.MultiPolygon, bool) {
	type loop struct {
		ring  orb.Ring
		area  float64 // signed
		bound orb.Bound
		probe [2]orb.Point // two edge midpoints, never on another ring
	}
	ls := make([]loop, len(rings))
	for i, r := range rings {
		a := signedArea(r[:len(r)-1])
		if a == 0 || math.IsNaN(a) {
			return nil, false
		}
		n := len(r) - 1
		m := func(k int) orb.Point {
			return orb.Point{(r[k][0] + r[k+1][0]) / 2, (r[k][1] + r[k+1][1]) / 2}
		}
		ls[i] = loop{ring: r, area: a, bound: r.Bound(), probe: [2]orb.Point{m(0), m(n / 2)}}
	}
	if len(ls) == 1 {
		if ls[0].area < 0 {
			return nil, false
		}
		return orb.MultiPolygon{{ls[0].ring}}, true
	}
	// inside reports whether loop i lies inside loop j; -1: cannot tell.
	inside := func(i, j int) int {
		if !ls[j].bound.Contains(ls[i].bound.Min) || !ls[j].bound.Contains(ls[i].bound.Max) {
			return 0
		}
		a := ringCrossings(ls[j].ring, ls[i].probe[0])
		b := ringCrossings(ls[j].ring, ls[i].probe[1])
		if a != b {
			return -1
		}
		if a {
			return 1
		}
		return 0
	}
	parent := make([]int, len(ls))
	for i := range ls {
		winding, smallest := 0, -1
		for j := range ls {
			if j == i {
				continue
			}
			switch inside(i, j) {
			case -1:
				return nil, false
			case 1:
				if ls[j].area > 0 {
					winding++
					if smallest < 0 || ls[j].area < ls[smallest].area {
						smallest = j
					}
				} else {
					winding--
				}
			}
		}
		if ls[i].area > 0 && winding != 0 || ls[i].area < 0 && winding != 1 {
			return nil, false
		}
		parent[i] = smallest
	}
	var out orb.MultiPolygon
	poly := make([]int, len(ls))
	for i := range ls {
		if ls[i].area > 0 {
			poly[i] = len(out)
			out = append(out, orb.Polygon{ls[i].ring})
		}
	}
	for i := range ls {
		if ls[i].area < 0 {
			k := poly[parent[i]]
			out[k] = append(out[k], ls[i].ring)
		}
	}
	return out, true
}
