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
	// MaxCells caps the raster size (default 50 million cells) so that a
	// mistaken cell size fails instead of exhausting memory.
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

// Isochrones draws nested service areas from a multi-source search: for each
// facility and each limit, the places within BufferM of a road from which
// that facility is the nearest and is reached within the limit; and the same
// for all facilities together (Facility -1). Each facility's bands therefore
// partition the union the way its catchment does.
//
// The areas are the union of the reached road pieces (edges cut where the
// limit falls inside them) buffered by BufferM, computed on a raster of CellM
// cells in a local plane and traced into polygons with holes. A raster keeps
// bands exactly nested (a cell reached within 10 min is reached within 20),
// keeps holes where no road reaches (parks, rivers, rail yards), runs in time
// linear in the network and needs no polygon-union library; an alpha or
// concave hull of reached nodes would bridge rivers and depend on a tuning
// radius. Band order in the result: facilities in index order, then the
// union, each with its limits ascending.
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
	// reachedPart cuts a piece at a limit: the fraction interval within it.
	reachedPart := func(p piece, limit float64) (lo, hi float64, ok bool) {
		if p.endCost > limit {
			return 0, 0, false
		}
		span := 1.0
		if p.perFrac > 0 {
			span = (limit - p.endCost) / p.perFrac
		}
		if p.towardHigh {
			return math.Max(p.from, p.to-span), p.to, true
		}
		return p.from, math.Min(p.to, p.from+span), true
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

	// One raster per facility and one for the union: per cell, the first
	// band reaching it (255 for none).
	const none = 255
	newRaster := func() []uint8 {
		ras := make([]uint8, w*h)
		for i := range ras {
			ras[i] = none
		}
		return ras
	}
	rasters := map[int32][]uint8{}
	union := newRaster()
	rad := opt.BufferM
	for _, p := range pieces {
		ras := rasters[p.src]
		if ras == nil {
			ras = newRaster()
			rasters[p.src] = ras
		}
		ax, ay := toXY(g.coords[g.segU[p.seg]])
		bx, by := toXY(g.coords[g.segV[p.seg]])
		for k := len(limits) - 1; k >= 0; k-- {
			lo, hi, ok := reachedPart(p, limits[k])
			if !ok {
				break // smaller limits reach even less
			}
			paintSegment(ras, union, w, h, opt.CellM, ax+lo*(bx-ax), ay+lo*(by-ay), ax+hi*(bx-ax), ay+hi*(by-ay), rad, uint8(k))
		}
	}
	for f := 0; f < nFacilities; f++ {
		ras := rasters[int32(f)]
		for k, l := range limits {
			b := Band{Facility: f, Limit: l, Metric: m}
			if ras != nil {
				b.Area = traceCells(ras, w, h, uint8(k), toLonLat)
			}
			bands = append(bands, b)
		}
	}
	for k, l := range limits {
		bands = append(bands, Band{Facility: -1, Limit: l, Metric: m, Area: traceCells(union, w, h, uint8(k), toLonLat)})
	}
	return bands, nil
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

// paintSegment lowers to band every cell of ras and union whose centre lies
// within rad of the segment (ax,ay)-(bx,by), in plane metres.
func paintSegment(ras, union []uint8, w, h int, cell, ax, ay, bx, by, rad float64, band uint8) {
	i0 := max(0, int((math.Min(ax, bx)-rad)/cell))
	i1 := min(w-1, int((math.Max(ax, bx)+rad)/cell))
	j0 := max(0, int((math.Min(ay, by)-rad)/cell))
	j1 := min(h-1, int((math.Max(ay, by)+rad)/cell))
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	r2 := rad * rad
	for j := j0; j <= j1; j++ {
		cy := (float64(j) + 0.5) * cell
		for i := i0; i <= i1; i++ {
			cx := (float64(i) + 0.5) * cell
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((cx-ax)*dx+(cy-ay)*dy)/l2))
			}
			ex, ey := ax+t*dx-cx, ay+t*dy-cy
			if ex*ex+ey*ey <= r2 {
				k := j*w + i
				if band < ras[k] {
					ras[k] = band
				}
				if band < union[k] {
					union[k] = band
				}
			}
		}
	}
}

// traceCells outlines the cells whose value is at most band as polygons with
// holes; corners are mapped to lon/lat by at. Outer rings run
// counter-clockwise and holes clockwise (RFC 7946).
func traceCells(ras []uint8, w, h int, band uint8, at func(i, j int) orb.Point) orb.MultiPolygon {
	in := func(i, j int) bool {
		return i >= 0 && j >= 0 && i < w && j < h && ras[j*w+i] <= band
	}
	// Directed boundary edges with the filled cell on the left.
	type edge struct{ x0, y0, x1, y1 int32 }
	var edges []edge
	out := map[int64][]int32{} // start corner → edge ids
	key := func(x, y int32) int64 { return int64(y)*int64(w+1) + int64(x) }
	add := func(x0, y0, x1, y1 int) {
		out[key(int32(x0), int32(y0))] = append(out[key(int32(x0), int32(y0))], int32(len(edges)))
		edges = append(edges, edge{int32(x0), int32(y0), int32(x1), int32(y1)})
	}
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			if !in(i, j) {
				continue
			}
			if !in(i, j-1) {
				add(i, j, i+1, j)
			}
			if !in(i+1, j) {
				add(i+1, j, i+1, j+1)
			}
			if !in(i, j+1) {
				add(i+1, j+1, i, j+1)
			}
			if !in(i-1, j) {
				add(i, j+1, i, j)
			}
		}
	}
	used := make([]bool, len(edges))
	type gridRing struct {
		pts    [][2]int32
		area2  int64 // twice the signed area
		probeX float64
		probeY float64 // a point just to the right of the first edge
	}
	var outers, holes []gridRing
	for start := range edges {
		if used[start] {
			continue
		}
		var pts [][2]int32
		e := int32(start)
		for !used[e] {
			used[e] = true
			ed := edges[e]
			pts = append(pts, [2]int32{ed.x0, ed.y0})
			cands := out[key(ed.x1, ed.y1)]
			next := int32(-1)
			if len(cands) == 1 {
				next = cands[0]
			} else {
				// A saddle corner: turn left, keeping diagonal cells apart.
				dx, dy := ed.x1-ed.x0, ed.y1-ed.y0
				for _, c := range cands {
					ce := edges[c]
					if !used[c] && dx*(ce.y1-ce.y0)-dy*(ce.x1-ce.x0) > 0 {
						next = c
					}
				}
				if next < 0 {
					for _, c := range cands {
						if !used[c] {
							next = c
						}
					}
				}
			}
			if next < 0 {
				break
			}
			e = next
		}
		pts = dropCollinear(pts)
		var a2 int64
		for i := range pts {
			p, q := pts[i], pts[(i+1)%len(pts)]
			a2 += int64(p[0])*int64(q[1]) - int64(q[0])*int64(p[1])
		}
		ed := edges[start]
		dx, dy := float64(ed.x1-ed.x0), float64(ed.y1-ed.y0)
		rg := gridRing{pts: pts, area2: a2,
			probeX: float64(ed.x0) + dx/2 + dy/2, probeY: float64(ed.y0) + dy/2 - dx/2}
		if a2 > 0 {
			outers = append(outers, rg)
		} else {
			holes = append(holes, rg)
		}
	}
	toRing := func(pts [][2]int32) orb.Ring {
		r := make(orb.Ring, 0, len(pts)+1)
		for _, p := range pts {
			r = append(r, at(int(p[0]), int(p[1])))
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
