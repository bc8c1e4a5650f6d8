package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// PointGrid answers nearest-point queries like PointIndex.Nearest, with the
// same exact geodesic answers and tie rule (the lower index), but faster for
// many queries against a few thousand points: the points are bucketed in a
// lon/lat grid of about two points per cell, and a query visits the cells in
// rings around it, skipping any cell, and stopping at the first ring, whose
// lower bound of the geodesic distance exceeds the best distance found.
// It does not wrap around the antimeridian: NewPointGrid returns nil when the
// points span more than 180° of longitude or come within 5° of a pole, and
// callers then use a PointIndex. Queries may run concurrently.
type PointGrid struct {
	points   []orb.Point
	min, max orb.Point // extent of the grid
	nx, ny   int
	dx, dy   float64 // cell size, degrees
	start    []int32 // cell c holds order[start[c]:start[c+1]]
	order    []int32
}

// NewPointGrid indexes pts, or returns nil when they are empty or do not suit
// a grid (see PointGrid).
func NewPointGrid(pts []orb.Point) *PointGrid {
	if len(pts) == 0 {
		return nil
	}
	b := orb.MultiPoint(pts).Bound()
	if b.Max[0]-b.Min[0] > 180 || b.Max[1] > 85 || b.Min[1] < -85 {
		return nil
	}
	for _, p := range pts {
		if !isFinite(p[0]) || !isFinite(p[1]) {
			return nil
		}
	}
	g := &PointGrid{points: append([]orb.Point(nil), pts...), min: b.Min, max: b.Max}
	w, h := math.Max(b.Max[0]-b.Min[0], 1e-9), math.Max(b.Max[1]-b.Min[1], 1e-9)
	cells := math.Max(1, float64(len(pts))/2)
	side := math.Sqrt(w * h / cells)
	g.nx = max(1, min(4096, int(math.Ceil(w/side))))
	g.ny = max(1, min(4096, int(math.Ceil(h/side))))
	g.dx, g.dy = w/float64(g.nx), h/float64(g.ny)
	count := make([]int32, g.nx*g.ny+1)
	cellOf := make([]int32, len(pts))
	for i, p := range pts {
		c := g.cell(p)
		cellOf[i] = int32(c)
		count[c+1]++
	}
	for c := 1; c < len(count); c++ {
		count[c] += count[c-1]
	}
	g.start = count
	g.order = make([]int32, len(pts))
	fill := append([]int32(nil), count[:len(count)-1]...)
	for i, c := range cellOf {
		g.order[fill[c]] = int32(i)
		fill[c]++
	}
	return g
}

func (g *PointGrid) col(lon float64) int {
	return max(0, min(g.nx-1, int((lon-g.min[0])/g.dx)))
}

func (g *PointGrid) row(lat float64) int {
	return max(0, min(g.ny-1, int((lat-g.min[1])/g.dy)))
}

func (g *PointGrid) cell(p orb.Point) int { return g.row(p[1])*g.nx + g.col(p[0]) }

// box is the lon/lat box of cells [c0, c1] × [r0, r1].
func (g *PointGrid) box(c0, r0, c1, r1 int) (lo, hi [2]float64) {
	return [2]float64{g.min[0] + float64(c0)*g.dx, g.min[1] + float64(r0)*g.dy},
		[2]float64{g.min[0] + float64(c1+1)*g.dx, g.min[1] + float64(r1+1)*g.dy}
}

// Nearest returns the point nearest to q and its geodesic distance in
// metres; ties go to the lower index.
func (g *PointGrid) Nearest(q orb.Point) Neighbor {
	best := Neighbor{Index: -1, Distance: math.Inf(1)}
	f := newBoundFrom(q)
	qc, qr := g.col(q[0]), g.row(q[1])
	// Candidates of one ring, refined with the exact distance in order of
	// their lower bound so that few exact distances are computed.
	type cand struct {
		lb float64
		i  int32
	}
	var buf [64]cand
	cands := buf[:0]
	visit := func(c, r int) {
		k := r*g.nx + c
		s, e := g.start[k], g.start[k+1]
		if s == e {
			return
		}
		lo, hi := g.box(c, r, c, r)
		if f.lowerBound(lo, hi) > best.Distance {
			return
		}
		for _, i := range g.order[s:e] {
			p := g.points[i]
			if lb := f.lowerBound(p, p); lb <= best.Distance {
				cands = append(cands, cand{lb, i})
			}
		}
	}
	refine := func() {
		for a := 1; a < len(cands); a++ { // insertion sort: rings are small
			for b := a; b > 0 && cands[b].lb < cands[b-1].lb; b-- {
				cands[b], cands[b-1] = cands[b-1], cands[b]
			}
		}
		for _, c := range cands {
			if c.lb > best.Distance {
				break
			}
			d := Distance(q, g.points[c.i])
			if d < best.Distance || (d == best.Distance && int(c.i) < best.Index) {
				best = Neighbor{Index: int(c.i), Distance: d}
			}
		}
		cands = cands[:0]
	}
	for ring := 0; ; ring++ {
		c0, c1, r0, r1 := qc-ring, qc+ring, qr-ring, qr+ring
		for c := max(c0, 0); c <= min(c1, g.nx-1); c++ {
			if r0 >= 0 {
				visit(c, r0)
			}
			if r1 < g.ny && r1 != r0 {
				visit(c, r1)
			}
		}
		for r := max(r0+1, 0); r <= min(r1-1, g.ny-1); r++ {
			if c0 >= 0 {
				visit(c0, r)
			}
			if c1 < g.nx && c1 != c0 {
				visit(c1, r)
			}
		}
		refine()
		if c0 <= 0 && r0 <= 0 && c1 >= g.nx-1 && r1 >= g.ny-1 {
			return best
		}
		// Every cell beyond this ring lies in one of four strips; stop when
		// none can hold a nearer point.
		if g.beyond(&f, c0, r0, c1, r1) > best.Distance {
			return best
		}
	}
}

// beyond is a lower bound of the distance from the query to any cell
// outside the block [c0, c1] × [r0, r1].
func (g *PointGrid) beyond(f *boundFrom, c0, r0, c1, r1 int) float64 {
	lb := math.Inf(1)
	strip := func(a0, b0, a1, b1 int) {
		a0, b0 = max(a0, 0), max(b0, 0)
		a1, b1 = min(a1, g.nx-1), min(b1, g.ny-1)
		if a0 > a1 || b0 > b1 {
			return
		}
		lo, hi := g.box(a0, b0, a1, b1)
		lb = math.Min(lb, f.lowerBound(lo, hi))
	}
	strip(0, 0, c0-1, g.ny-1)      // west
	strip(c1+1, 0, g.nx-1, g.ny-1) // east
	strip(c0, 0, c1, r0-1)         // south
	strip(c0, r1+1, c1, g.ny-1)    // north
	return lb
}
