package draw

import (
	"math"
	"sort"
)

// Catchment borders are found in pixel space, so that they work for
// districts that share vertices exactly (a tessellation) and for districts
// whose borders only nearly meet (independently simplified polygons): each
// border piece is a catchment border unless a district of the same office
// lies along it within a pixel or so.

// piece is a short stretch of a district border in pixels.
type piece struct {
	a, b     px
	district int
}

// borderResult is the outcome of the border analysis.
type borderResult struct {
	// thick are polylines along catchment borders.
	thick [][]px
	// adjacent[i] lists the offices whose catchments touch office i's.
	adjacent [][]int
}

// catchmentBorders splits every district border into pieces of at most
// maxLen pixels, finds for each piece the districts lying along it within
// eps pixels, and returns the pieces that separate different offices (or
// border nothing) as polylines, with the offices' adjacency.
func catchmentBorders(dists []screenDistrict, office []int, nOffices int, eps, maxLen float64) borderResult {
	cell := math.Max(4*eps, 8)
	var pieces []piece
	type ringRef struct{ start, end int } // pieces of one ring, in order
	var rings []ringRef
	for di, sd := range dists {
		for _, poly := range sd.polys {
			for _, r := range poly {
				start := len(pieces)
				for i := range r {
					a, b := r[i], r[(i+1)%len(r)]
					n := int(math.Ceil(math.Hypot(b.X-a.X, b.Y-a.Y) / maxLen))
					if n < 1 {
						n = 1
					}
					for k := 0; k < n; k++ {
						t0, t1 := float64(k)/float64(n), float64(k+1)/float64(n)
						pieces = append(pieces, piece{
							a:        px{a.X + (b.X-a.X)*t0, a.Y + (b.Y-a.Y)*t0},
							b:        px{a.X + (b.X-a.X)*t1, a.Y + (b.Y-a.Y)*t1},
							district: di,
						})
					}
				}
				rings = append(rings, ringRef{start, len(pieces)})
			}
		}
	}
	grid := newPieceGrid(pieces, cell, eps)
	adj := make([]map[int]bool, nOffices)
	isThick := make([]bool, len(pieces))
	for i, p := range pieces {
		mid := px{(p.a.X + p.b.X) / 2, (p.a.Y + p.b.Y) / 2}
		oi := office[p.district]
		same := false
		for _, j := range grid.at(mid) {
			q := pieces[j]
			if q.district == p.district {
				continue
			}
			// Only a neighbour that can change the answer is measured:
			// a second same-office one, a district of no office beside
			// another office's, or a pair of offices already known to
			// touch, cannot.
			oj := office[q.district]
			switch {
			case oj == oi:
				if !same && segDist(mid, q.a, q.b) <= eps {
					same = true
				}
			case oi < 0 || oj < 0 || adj[oi] != nil && adj[oi][oj]:
			case segDist(mid, q.a, q.b) <= eps:
				if adj[oi] == nil {
					adj[oi] = map[int]bool{}
				}
				if adj[oj] == nil {
					adj[oj] = map[int]bool{}
				}
				adj[oi][oj], adj[oj][oi] = true, true
			}
		}
		// A piece along a same-office neighbour is inside the catchment;
		// a piece that borders nothing is the catchment's outer edge.
		isThick[i] = !same
	}
	var res borderResult
	for _, rr := range rings {
		n := rr.end - rr.start
		// Start at a thin piece so that a thick run is not cut at the
		// ring's closing vertex.
		first := 0
		for k := 0; k < n; k++ {
			if !isThick[rr.start+k] {
				first = k
				break
			}
		}
		var cur []px
		for k := 0; k < n; k++ {
			i := rr.start + (first+k)%n
			if !isThick[i] {
				if len(cur) > 1 {
					res.thick = append(res.thick, cur)
				}
				cur = nil
				continue
			}
			if cur == nil {
				cur = append(cur, pieces[i].a)
			}
			cur = append(cur, pieces[i].b)
		}
		if len(cur) > 1 {
			res.thick = append(res.thick, cur)
		}
	}
	res.adjacent = make([][]int, nOffices)
	for i, a := range adj {
		for j := range a {
			res.adjacent[i] = append(res.adjacent[i], j)
		}
		sort.Ints(res.adjacent[i])
	}
	return res
}

// segDist is the distance from p to the segment ab.
func segDist(p, a, b px) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l2))
	}
	return math.Hypot(p.X-(a.X+t*dx), p.Y-(a.Y+t*dy))
}

// ColourOffices gives each office a palette index so that offices whose
// catchments touch get different colours, spreading use over the palette:
// offices with most neighbours choose first, each taking the least-used
// colour that no neighbour has. adjacent[i] lists the offices whose
// catchments touch office i's; the result is a palette index per office.
func ColourOffices(adjacent [][]int, nColours int) []int {
	n := len(adjacent)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(adjacent[order[a]]) > len(adjacent[order[b]]) })
	col := make([]int, n)
	for i := range col {
		col[i] = -1
	}
	used := make([]int, nColours)
	for _, i := range order {
		taken := make([]bool, nColours)
		for _, j := range adjacent[i] {
			if col[j] >= 0 {
				taken[col[j]] = true
			}
		}
		best := -1
		for c := 0; c < nColours; c++ {
			if !taken[c] && (best < 0 || used[c] < used[best]) {
				best = c
			}
		}
		if best < 0 { // more neighbours than colours: least used
			best = 0
			for c := 1; c < nColours; c++ {
				if used[c] < used[best] {
					best = c
				}
			}
		}
		col[i] = best
		used[best]++
	}
	return col
}

// pieceGrid lists, for each square cell of a grid over the pieces, the
// pieces whose boxes grown by eps meet it, as one array indexed by cell.
type pieceGrid struct {
	cell         float64
	gx0, gy0     int // the first cell's column and row
	cols, rows   int
	start, items []int32 // cell k's pieces are items[start[k]:start[k+1]]
}

func newPieceGrid(pieces []piece, cell, eps float64) pieceGrid {
	g := pieceGrid{cell: cell}
	if len(pieces) == 0 {
		return g
	}
	span := func(p piece) (gx0, gy0, gx1, gy1 int) {
		x0, x1 := math.Min(p.a.X, p.b.X)-eps, math.Max(p.a.X, p.b.X)+eps
		y0, y1 := math.Min(p.a.Y, p.b.Y)-eps, math.Max(p.a.Y, p.b.Y)+eps
		return int(math.Floor(x0 / cell)), int(math.Floor(y0 / cell)), int(math.Floor(x1 / cell)), int(math.Floor(y1 / cell))
	}
	gx0, gy0, gx1, gy1 := span(pieces[0])
	for _, p := range pieces[1:] {
		a, b, c, d := span(p)
		gx0, gy0, gx1, gy1 = min(gx0, a), min(gy0, b), max(gx1, c), max(gy1, d)
	}
	g.gx0, g.gy0, g.cols, g.rows = gx0, gy0, gx1-gx0+1, gy1-gy0+1
	g.start = make([]int32, g.cols*g.rows+1)
	for _, p := range pieces {
		a, b, c, d := span(p)
		for gx := a; gx <= c; gx++ {
			for gy := b; gy <= d; gy++ {
				g.start[(gy-gy0)*g.cols+gx-gx0+1]++
			}
		}
	}
	for k := 1; k < len(g.start); k++ {
		g.start[k] += g.start[k-1]
	}
	g.items = make([]int32, g.start[len(g.start)-1])
	fill := append([]int32(nil), g.start[:len(g.start)-1]...)
	for i, p := range pieces {
		a, b, c, d := span(p)
		for gx := a; gx <= c; gx++ {
			for gy := b; gy <= d; gy++ {
				k := (gy-gy0)*g.cols + gx - gx0
				g.items[fill[k]] = int32(i)
				fill[k]++
			}
		}
	}
	return g
}

// at lists the pieces that may lie within eps of p.
func (g pieceGrid) at(p px) []int32 {
	gx, gy := int(math.Floor(p.X/g.cell))-g.gx0, int(math.Floor(p.Y/g.cell))-g.gy0
	if gx < 0 || gy < 0 || gx >= g.cols || gy >= g.rows {
		return nil
	}
	k := gy*g.cols + gx
	return g.items[g.start[k]:g.start[k+1]]
}
