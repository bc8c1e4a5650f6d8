package network

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// IsochroneOptions sets how service areas are drawn.
type IsochroneOptions struct {
	// Limits are the band limits in the search's metric, ascending: seconds
	// for Time (600, 1200, 1800 for 10, 20, 30 minutes), metres for Road.
	Limits []float64
	// BufferM is how far from a reached road a place counts as served
	// (default 100 m: a short walk from the street to a door).
	BufferM float64
	// CellM is the raster cell size in metres (default 25 m); the polygons'
	// edges follow cell boundaries.
	CellM float64
	// MaxCells caps the raster size (default 50 million cells of 12 bytes)
	// so that a mistaken cell size fails instead of exhausting memory.
	MaxCells int
}

// Band is the service area of one facility (or of all, Facility -1) within
// one limit.
type Band struct {
	// Facility is the source index, or -1 for the union of all facilities.
	Facility int
	// Limit is the band's limit in Metric units.
	Limit float64
	// Metric is Road (metres) or Time (seconds).
	Metric Metric
	// Area is the served area, lon/lat; empty when nothing is reached.
	Area orb.MultiPolygon
}

// Isochrones draws nested service areas from a multi-source search. A place
// is served when a reached road point lies within BufferM of it; it costs
// what the cheapest such road point costs, and belongs to the facility that
// road point is nearest to (on a tie, the lower index). A facility's band of
// a limit holds the places that belong to it and cost at most the limit;
// the union's band (Facility -1) holds every place that costs at most the
// limit. So at each limit the facilities' bands partition the union's (no
// overlap, nothing left out), and each facility's bands are nested.
//
// Places are the cells of a raster of CellM cells in a local plane, judged
// at their centres; the cells of a band are traced into polygons with holes
// that are valid under the OGC rules (GEOS, QGIS), and neighbouring bands
// share their borders exactly. A raster keeps bands exactly nested (a cell
// reached within 10 min is reached within 20), keeps holes where no road
// reaches (parks, rivers, rail yards), runs in time linear in the network
// and needs no polygon-union library; an alpha or concave hull of reached
// nodes would bridge rivers and depend on a tuning radius. Band order in
// the result: facilities in index order, then the union, each with its
// limits ascending.
func (g *Graph) Isochrones(r SourceResult, nFacilities int, opt IsochroneOptions) ([]Band, error) {
	if len(opt.Limits) == 0 {
		return nil, fmt.Errorf("network: isochrones: no limits")
	}
	limits := append([]float64(nil), opt.Limits...)
	for i, l := range limits {
		if !(l > 0) || (i > 0 && l <= limits[i-1]) {
			return nil, fmt.Errorf("network: isochrones: limits must be positive and ascending, got %v", opt.Limits)
		}
	}
	if len(limits) > 250 {
		return nil, fmt.Errorf("network: isochrones: %d limits, at most 250", len(limits))
	}
	if opt.BufferM <= 0 {
		opt.BufferM = 100
	}
	if opt.CellM <= 0 {
		opt.CellM = 25
	}
	if opt.MaxCells <= 0 {
		opt.MaxCells = 50_000_000
	}
	if len(r.Cost) != len(g.coords) {
		return nil, fmt.Errorf("network: isochrones: search result has %d nodes, graph %d", len(r.Cost), len(g.coords))
	}
	m := r.Metric
	maxLimit := limits[len(limits)-1]

	// The reached pieces: a fraction interval of a segment, a source, and
	// the cost at the interval's reached end (where travel leaves it).
	type piece struct {
		seg        int32
		src        int32
		from, to   float64 // fractions reached at cost endCost
		endCost    float64 // cost at the end the piece is left by
		perFrac    float64 // cost of one whole segment along this direction
		towardHigh bool    // travel toward increasing fraction
	}
	var pieces []piece
	for s := range g.segU {
		s := int32(s)
		if e := g.segFwd[s]; e >= 0 { // leaving through V: reached for x ≥ 1-a
			if v := g.segV[s]; r.Cost[v] <= maxLimit {
				pieces = append(pieces, piece{seg: s, src: r.Source[v], from: 0, to: 1, endCost: r.Cost[v], perFrac: g.costOf(e, m), towardHigh: true})
			}
		}
		if e := g.segBack[s]; e >= 0 { // leaving through U: reached for x ≤ b
			if u := g.segU[s]; r.Cost[u] <= maxLimit {
				pieces = append(pieces, piece{seg: s, src: r.Source[u], from: 0, to: 1, endCost: r.Cost[u], perFrac: g.costOf(e, m), towardHigh: false})
			}
		}
		for _, i := range r.bySeg[s] { // straight to a source on the segment
			src := r.sources[i]
			c0 := snapCost(src.DistanceM, m)
			if c0 > maxLimit {
				continue
			}
			if e := g.segFwd[s]; e >= 0 {
				pieces = append(pieces, piece{seg: s, src: i, from: 0, to: src.Frac, endCost: c0, perFrac: g.costOf(e, m), towardHigh: true})
			}
			if e := g.segBack[s]; e >= 0 {
				pieces = append(pieces, piece{seg: s, src: i, from: src.Frac, to: 1, endCost: c0, perFrac: g.costOf(e, m), towardHigh: false})
			}
		}
	}
	// Local plane and raster extent around the reached nodes.
	var ext orb.Bound
	first := true
	for _, p := range pieces {
		for _, n := range [2]int32{g.segU[p.seg], g.segV[p.seg]} {
			c := g.coords[n]
			if first {
				ext, first = orb.Bound{Min: c, Max: c}, false
			} else {
				ext = ext.Extend(c)
			}
		}
	}
	var bands []Band
	if first { // nothing reached
		for f := -1; f < nFacilities; f++ {
			for _, l := range limits {
				bands = append(bands, Band{Facility: f, Limit: l, Metric: m})
			}
		}
		return orderBands(bands, nFacilities), nil
	}
	lat0 := (ext.Min[1] + ext.Max[1]) / 2
	kx, ky := metresPerDegree(lat0)
	pad := opt.BufferM + 2*opt.CellM
	x0 := -pad
	y0 := -pad
	w := int(math.Ceil(((ext.Max[0]-ext.Min[0])*kx+2*pad)/opt.CellM)) + 1
	h := int(math.Ceil(((ext.Max[1]-ext.Min[1])*ky+2*pad)/opt.CellM)) + 1
	if w*h > opt.MaxCells {
		return nil, fmt.Errorf("network: isochrones: raster of %d×%d cells exceeds %d; use a larger cell size", w, h, opt.MaxCells)
	}
	toXY := func(p orb.Point) (float64, float64) {
		return (p[0]-ext.Min[0])*kx - x0, (p[1]-ext.Min[1])*ky - y0
	}
	toLonLat := func(i, j int) orb.Point {
		return orb.Point{ext.Min[0] + (float64(i)*opt.CellM+x0)/kx, ext.Min[1] + (float64(j)*opt.CellM+y0)/ky}
	}

	// One raster: per cell, the cheapest cost of a reached road point
	// within BufferM of its centre and the facility reached from there.
	ras := costRaster{w: w, h: h, cell: opt.CellM, rad: opt.BufferM,
		cost: make([]float64, w*h), owner: make([]int32, w*h)}
	for k := range ras.cost {
		ras.cost[k], ras.owner[k] = math.Inf(1), -1
	}
	for _, p := range pieces {
		if int(p.src) >= nFacilities || p.src < 0 || p.endCost > maxLimit {
			continue
		}
		ax, ay := toXY(g.coords[g.segU[p.seg]])
		bx, by := toXY(g.coords[g.segV[p.seg]])
		ras.paint(ax, ay, bx, by, p.from, p.to, p.endCost, p.perFrac, p.towardHigh, maxLimit, p.src)
	}

	// Each facility's cells lie in a window of the raster: trace there.
	win := make([]cellWindow, nFacilities)
	for f := range win {
		win[f] = cellWindow{i0: w, j0: h, i1: -1, j1: -1}
	}
	all := cellWindow{i0: 0, j0: 0, i1: w - 1, j1: h - 1}
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			if f := ras.owner[j*w+i]; f >= 0 {
				win[f].extend(i, j)
			}
		}
	}
	for f := 0; f < nFacilities; f++ {
		for _, l := range limits {
			b := Band{Facility: f, Limit: l, Metric: m}
			if win[f].i1 >= 0 {
				f32 := int32(f)
				b.Area = traceCells(func(k int) bool { return ras.owner[k] == f32 && ras.cost[k] <= l }, w, win[f], toLonLat)
			}
			bands = append(bands, b)
		}
	}
	for _, l := range limits {
		area := traceCells(func(k int) bool { return ras.owner[k] >= 0 && ras.cost[k] <= l }, w, all, toLonLat)
		bands = append(bands, Band{Facility: -1, Limit: l, Metric: m, Area: area})
	}
	return bands, nil
}

// costRaster holds, per cell of a w×h grid of cell-metre cells, the
// cheapest cost of a reached road point within rad of the cell's centre
// and the facility reached from it (-1: none). Ties go to the lower
// facility index, so the result does not depend on painting order.
type costRaster struct {
	w, h      int
	cell, rad float64
	cost      []float64
	owner     []int32
}

// paint offers the cells near one reached piece of the segment
// (ax,ay)-(bx,by), in plane metres: the fractions from..to of it, left by
// the end toward higher fractions (towardHigh) or lower ones at cost
// endCost, perFrac being the cost of the whole segment. Cost grows
// linearly away from the end the piece is left by; only the part within
// limit is painted. A cell takes the piece's cheapest point within rad of
// its centre when that is cheaper than what it holds.
func (r *costRaster) paint(ax, ay, bx, by, from, to, endCost, perFrac float64, towardHigh bool, limit float64, src int32) {
	lo, hi := from, to
	if perFrac > 0 {
		span := (limit - endCost) / perFrac
		if towardHigh {
			lo = math.Max(from, to-span)
		} else {
			hi = math.Min(to, from+span)
		}
	}
	if lo > hi {
		return
	}
	dx, dy := bx-ax, by-ay
	px0, py0 := ax+lo*dx, ay+lo*dy
	px1, py1 := ax+hi*dx, ay+hi*dy
	rad, cell := r.rad, r.cell
	i0 := max(0, int((math.Min(px0, px1)-rad)/cell))
	i1 := min(r.w-1, int((math.Max(px0, px1)+rad)/cell))
	j0 := max(0, int((math.Min(py0, py1)-rad)/cell))
	j1 := min(r.h-1, int((math.Max(py0, py1)+rad)/cell))
	l2 := dx*dx + dy*dy
	r2 := rad * rad
	for j := j0; j <= j1; j++ {
		cy := (float64(j) + 0.5) * cell
		for i := i0; i <= i1; i++ {
			cx := (float64(i) + 0.5) * cell
			// The fractions x of the segment within rad of the centre:
			// |a + x·d − c|² ≤ rad², an interval around the projection t.
			var x float64
			if l2 == 0 {
				if ex, ey := ax-cx, ay-cy; ex*ex+ey*ey > r2 {
					continue
				}
				x = hi
				if !towardHigh {
					x = lo
				}
			} else {
				t := ((cx-ax)*dx + (cy-ay)*dy) / l2
				ex, ey := ax+t*dx-cx, ay+t*dy-cy
				d2 := ex*ex + ey*ey
				if d2 > r2 {
					continue
				}
				half := math.Sqrt((r2 - d2) / l2)
				x1, x2 := t-half, t+half
				if x2 < lo || x1 > hi {
					continue
				}
				// The cheapest point is the one nearest the end left by.
				if towardHigh {
					x = math.Min(x2, hi)
				} else {
					x = math.Max(x1, lo)
				}
			}
			c := endCost
			if towardHigh {
				c += (to - x) * perFrac
			} else {
				c += (x - from) * perFrac
			}
			if c > limit {
				c = limit // rounding at the cut; the piece was cut there
			}
			k := j*r.w + i
			if c < r.cost[k] || (c == r.cost[k] && src < r.owner[k]) {
				r.cost[k], r.owner[k] = c, src
			}
		}
	}
}

// cellWindow is an inclusive range of raster columns i0..i1 and rows
// j0..j1 (empty when i1 < i0).
type cellWindow struct{ i0, j0, i1, j1 int }

func (c *cellWindow) extend(i, j int) {
	c.i0, c.i1 = min(c.i0, i), max(c.i1, i)
	c.j0, c.j1 = min(c.j0, j), max(c.j1, j)
}

// orderBands sorts bands by facility (the union last), then limit.
func orderBands(b []Band, n int) []Band {
	key := func(f int) int {
		if f < 0 {
			return n
		}
		return f
	}
	sort.SliceStable(b, func(i, j int) bool {
		if key(b[i].Facility) != key(b[j].Facility) {
			return key(b[i].Facility) < key(b[j].Facility)
		}
		return b[i].Limit < b[j].Limit
	})
	return b
}

// traceCells outlines the cells of window win (of a raster w cells wide)
// for which in(j*w+i) holds, as polygons with holes; grid corners are
// mapped to lon/lat by at. Outer rings run counter-clockwise and holes
// clockwise (RFC 7946).
//
// The polygons are valid under the OGC simple features rules (GEOS, QGIS):
// cells that meet only at a corner belong to different polygons, or the
// ring passing that corner twice is split there into a shell and a hole
// that touch at the corner, so that no ring touches itself.
func traceCells(in func(k int) bool, w int, win cellWindow, at func(i, j int) orb.Point) orb.MultiPolygon {
	if win.i1 < win.i0 || win.j1 < win.j0 {
		return nil
	}
	ww, hh := win.i1-win.i0+1, win.j1-win.j0+1
	filled := func(x, y int) bool { // window coordinates
		return x >= 0 && y >= 0 && x < ww && y < hh && in((y+win.j0)*w+x+win.i0)
	}
	// Directed boundary edges with the filled cell on the left, by start
	// corner: every corner starts at most two (two at a saddle, where
	// filled cells meet only at the corner).
	type edge struct{ x0, y0, x1, y1 int32 }
	var edges []edge
	vw := ww + 1
	out := make([][2]int32, vw*(hh+1))
	for k := range out {
		out[k] = [2]int32{-1, -1}
	}
	add := func(x0, y0, x1, y1 int) {
		v := &out[y0*vw+x0]
		if v[0] < 0 {
			v[0] = int32(len(edges))
		} else {
			v[1] = int32(len(edges))
		}
		edges = append(edges, edge{int32(x0), int32(y0), int32(x1), int32(y1)})
	}
	for y := 0; y < hh; y++ {
		for x := 0; x < ww; x++ {
			if !filled(x, y) {
				continue
			}
			if !filled(x, y-1) {
				add(x, y, x+1, y)
			}
			if !filled(x+1, y) {
				add(x+1, y, x+1, y+1)
			}
			if !filled(x, y+1) {
				add(x+1, y+1, x, y+1)
			}
			if !filled(x-1, y) {
				add(x, y+1, x, y)
			}
		}
	}
	used := make([]bool, len(edges))
	type gridRing struct {
		pts    [][2]int32
		area2  int64 // twice the signed area
		probeX float64
		probeY float64 // the centre of the cell right of the first edge
	}
	var outers, holes []gridRing
	addRing := func(pts [][2]int32) {
		// Every edge is one cell long before the straight corners go.
		dx, dy := float64(pts[1][0]-pts[0][0]), float64(pts[1][1]-pts[0][1])
		rg := gridRing{probeX: float64(pts[0][0]) + dx/2 + dy/2, probeY: float64(pts[0][1]) + dy/2 - dx/2}
		rg.pts = dropCollinear(pts)
		for i := range rg.pts {
			p, q := rg.pts[i], rg.pts[(i+1)%len(rg.pts)]
			rg.area2 += int64(p[0])*int64(q[1]) - int64(q[0])*int64(p[1])
		}
		if rg.area2 > 0 {
			outers = append(outers, rg)
		} else {
			holes = append(holes, rg)
		}
	}
	for start := range edges {
		if used[start] {
			continue
		}
		var pts [][2]int32
		saddle := false
		e := int32(start)
		for !used[e] {
			used[e] = true
			ed := edges[e]
			pts = append(pts, [2]int32{ed.x0, ed.y0})
			cands := out[int(ed.y1)*vw+int(ed.x1)]
			next := cands[0]
			if cands[1] >= 0 {
				// A saddle corner: turn left, keeping the cells that meet
				// only here apart.
				saddle = true
				dx, dy := ed.x1-ed.x0, ed.y1-ed.y0
				for _, c := range cands {
					ce := edges[c]
					if dx*(ce.y1-ce.y0)-dy*(ce.x1-ce.x0) > 0 {
						next = c
					}
				}
			}
			e = next
		}
		if !saddle {
			addRing(pts)
			continue
		}
		for _, loop := range splitAtRepeats(pts) {
			addRing(loop)
		}
	}
	toRing := func(pts [][2]int32) orb.Ring {
		r := make(orb.Ring, 0, len(pts)+1)
		for _, p := range pts {
			r = append(r, at(int(p[0])+win.i0, int(p[1])+win.j0))
		}
		return append(r, r[0])
	}
	planes := make([]orb.Ring, len(outers))
	bounds := make([]orb.Bound, len(outers))
	mp := make(orb.MultiPolygon, len(outers))
	for i, o := range outers {
		pr := make(orb.Ring, 0, len(o.pts)+1)
		for _, p := range o.pts {
			pr = append(pr, orb.Point{float64(p[0]), float64(p[1])})
		}
		planes[i] = append(pr, pr[0])
		bounds[i] = planes[i].Bound()
		mp[i] = orb.Polygon{toRing(o.pts)}
	}
	for _, hr := range holes {
		probe := orb.Point{hr.probeX, hr.probeY}
		best := -1
		for i := range outers {
			if !bounds[i].Contains(probe) || !planar.RingContains(planes[i], probe) {
				continue
			}
			if best < 0 || outers[i].area2 < outers[best].area2 {
				best = i
			}
		}
		if best >= 0 {
			mp[best] = append(mp[best], toRing(hr.pts))
		}
	}
	return mp
}

// splitAtRepeats splits a closed ring (first point not repeated at the end)
// that passes some corners twice into loops that pass each corner once.
func splitAtRepeats(pts [][2]int32) [][][2]int32 {
	var loops [][][2]int32
	at := make(map[[2]int32]int, len(pts))
	stack := make([][2]int32, 0, len(pts))
	for _, p := range pts {
		if i, seen := at[p]; seen {
			loops = append(loops, append([][2]int32(nil), stack[i:]...))
			for _, q := range stack[i+1:] {
				delete(at, q)
			}
			stack = stack[:i+1]
			continue
		}
		at[p] = len(stack)
		stack = append(stack, p)
	}
	return append(loops, stack)
}

// dropCollinear removes the corners of a closed orthogonal ring where it
// goes straight on.
func dropCollinear(pts [][2]int32) [][2]int32 {
	n := len(pts)
	if n < 4 {
		return pts
	}
	out := pts[:0:0]
	for i := range pts {
		p, c, q := pts[(i+n-1)%n], pts[i], pts[(i+1)%n]
		if (p[0] == c[0] && c[0] == q[0]) || (p[1] == c[1] && c[1] == q[1]) {
			continue
		}
		out = append(out, c)
	}
	return out
}
