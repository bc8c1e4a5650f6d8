package draw

import (
	"image/color"
	"math"
	"sort"
)

// placedLabel is a label drawn on a map: its text, the box it covers
// (halo included) and the point it names.
type placedLabel struct {
	Text   string
	Box    box
	Anchor px
	Leader bool // drawn away from its point, with a leader line
}

// labelPlacer keeps the boxes already taken on a map, in a grid of cells,
// so that a new label can be tested against nearby boxes only.
type labelPlacer struct {
	bounds box
	cell   float64
	grid   map[[2]int][]box
}

func newLabelPlacer(bounds box) *labelPlacer {
	return &labelPlacer{bounds: bounds, cell: 48, grid: map[[2]int][]box{}}
}

func (l *labelPlacer) cells(b box, f func(k [2]int)) {
	for i := int(math.Floor(b.X0 / l.cell)); i <= int(math.Floor(b.X1/l.cell)); i++ {
		for j := int(math.Floor(b.Y0 / l.cell)); j <= int(math.Floor(b.Y1/l.cell)); j++ {
			f([2]int{i, j})
		}
	}
}

// block marks b as taken.
func (l *labelPlacer) block(b box) {
	l.cells(b, func(k [2]int) { l.grid[k] = append(l.grid[k], b) })
}

// free reports whether b lies inside the bounds and overlaps nothing taken.
func (l *labelPlacer) free(b box) bool {
	if !b.inside(l.bounds) {
		return false
	}
	ok := true
	l.cells(b, func(k [2]int) {
		if !ok {
			return
		}
		for _, o := range l.grid[k] {
			if b.overlaps(o) {
				ok = false
				return
			}
		}
	})
	return ok
}

// placeLabel finds a free place for text near anchor, a symbol of radius
// r: first the eight places touching the symbol, then further out with a
// leader line. It draws the label and returns where it went; false when
// there is no room.
func placeLabel(p *painter, pl *labelPlacer, text string, size float64, bold bool, anchor px, r float64, col color.Color) (placedLabel, bool) {
	w, asc, desc := p.measure(text, size, bold)
	h := asc + desc
	halo := pt(1.3, p.dpi)
	gap := halo + pt(1.2, p.dpi) // clear of the symbol's blocked box
	// Unit directions in order of cartographic preference: right, upper
	// right, left, lower right, above, below, upper left, lower left.
	dirs := [][2]float64{{1, 0}, {1, -1}, {-1, 0}, {1, 1}, {0, -1}, {0, 1}, {-1, -1}, {-1, 1}}
	for step, extra := range []float64{0, 1.3 * h, 2.6 * h, 4 * h} {
		d := r + gap + extra
		for _, dir := range dirs {
			// Box corner so the box touches the circle of radius d in direction dir.
			var x, y float64
			switch dir[0] {
			case 1:
				x = anchor.X + d*dirScale(dir)
			case -1:
				x = anchor.X - d*dirScale(dir) - w
			default:
				x = anchor.X - w/2
			}
			switch dir[1] {
			case 1:
				y = anchor.Y + d*dirScale(dir)
			case -1:
				y = anchor.Y - d*dirScale(dir) - h
			default:
				y = anchor.Y - h/2
			}
			b := box{x - halo, y - halo, x + w + halo, y + h + halo}
			if !pl.free(b) {
				continue
			}
			leader := step > 0
			if leader {
				// The leader line runs from the symbol's edge to the box.
				lx, ly := clampTo(anchor, b)
				if !leaderClear(pl, anchor, px{lx, ly}, r) {
					continue
				}
				p.dc.SetColor(colMuted)
				p.dc.SetLineWidth(pt(0.6, p.dpi))
				ux, uy := lx-anchor.X, ly-anchor.Y
				n := math.Hypot(ux, uy)
				p.dc.DrawLine(anchor.X+ux/n*r, anchor.Y+uy/n*r, lx, ly)
				p.dc.Stroke()
			}
			pl.block(b)
			p.haloText(text, x, y+asc, size, bold, col)
			return placedLabel{Text: text, Box: b, Anchor: anchor, Leader: leader}, true
		}
	}
	return placedLabel{}, false
}

// dirScale shortens diagonal offsets so all candidates sit on a circle.
func dirScale(dir [2]float64) float64 {
	if dir[0] != 0 && dir[1] != 0 {
		return math.Sqrt(0.5)
	}
	return 1
}

// clampTo is the point of b nearest to p.
func clampTo(p px, b box) (float64, float64) {
	return math.Max(b.X0, math.Min(b.X1, p.X)), math.Max(b.Y0, math.Min(b.Y1, p.Y))
}

// leaderClear reports whether a leader line from a (outside the symbol of
// radius r) to b crosses no taken box: sampled every few pixels.
func leaderClear(pl *labelPlacer, a, b px, r float64) bool {
	n := math.Hypot(b.X-a.X, b.Y-a.Y)
	if n <= r {
		return true
	}
	for t := r + 2; t < n-1; t += 3 {
		x, y := a.X+(b.X-a.X)*t/n, a.Y+(b.Y-a.Y)*t/n
		if !pl.free(box{x - 0.5, y - 0.5, x + 0.5, y + 0.5}) {
			return false
		}
	}
	return true
}

// placeCentred puts a label centred on anchor if that place is free (for
// district names), and draws it.
func placeCentred(p *painter, pl *labelPlacer, text string, size float64, anchor px, col color.Color) (placedLabel, bool) {
	w, asc, desc := p.measure(text, size, false)
	h := asc + desc
	halo := pt(1.3, p.dpi)
	x, y := anchor.X-w/2, anchor.Y-h/2
	b := box{x - halo, y - halo, x + w + halo, y + h + halo}
	if !pl.free(b) {
		return placedLabel{}, false
	}
	pl.block(b)
	p.haloText(text, x, y+asc, size, false, col)
	return placedLabel{Text: text, Box: b, Anchor: anchor}, true
}

// labelPoint is a point inside the district's largest polygon for its
// label: the centroid when inside, else the middle of the widest span of
// the horizontal line through the centroid.
func labelPoint(sd screenDistrict) (px, bool) {
	best, bestA := -1, 0.0
	for i, poly := range sd.polys {
		if a := math.Abs(ringArea(poly[0])); a > bestA {
			best, bestA = i, a
		}
	}
	if best < 0 {
		return px{}, false
	}
	poly := sd.polys[best]
	c := ringCentroid(poly[0])
	if polyContains(poly, c) {
		return c, true
	}
	// Crossings of the line y = c.Y with every ring.
	var xs []float64
	for _, r := range poly {
		for i := range r {
			a, b := r[i], r[(i+1)%len(r)]
			if (a.Y > c.Y) != (b.Y > c.Y) {
				xs = append(xs, a.X+(c.Y-a.Y)*(b.X-a.X)/(b.Y-a.Y))
			}
		}
	}
	sort.Float64s(xs)
	bw := -1.0
	var out px
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > bw {
			bw, out = w, px{(xs[i] + xs[i+1]) / 2, c.Y}
		}
	}
	return out, bw > 0
}

func ringArea(r []px) float64 {
	var a float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		a += p.X*q.Y - q.X*p.Y
	}
	return a / 2
}

func ringCentroid(r []px) px {
	var a, cx, cy float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		c := p.X*q.Y - q.X*p.Y
		a += c
		cx += (p.X + q.X) * c
		cy += (p.Y + q.Y) * c
	}
	if a == 0 {
		return r[0]
	}
	return px{cx / (3 * a), cy / (3 * a)}
}

// polyContains is the even-odd test over all rings of a polygon.
func polyContains(poly [][]px, p px) bool {
	in := false
	for _, r := range poly {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a.Y > p.Y) != (b.Y > p.Y) && p.X < a.X+(p.Y-a.Y)*(b.X-a.X)/(b.Y-a.Y) {
				in = !in
			}
		}
	}
	return in
}
