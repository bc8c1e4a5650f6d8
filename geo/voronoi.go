package geo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/pzsz/voronoi"
	"github.com/tidwall/rtree"
)

// VoronoiCells returns the planar Voronoi cell of every site, clipped to the
// rectangle clip: cell i holds the part of clip that is nearer (in the plane)
// to sites[i] than to any other site. Sites and clip must be in projected
// coordinates (metres, e.g. from LocalProjection(b).Forward), not degrees:
// Voronoi cells in degrees are not the nearest-site regions on the ground.
//
// Each cell is a single convex ring, closed and counter-clockwise. A site
// outside clip may get an empty cell (nil). Two or more sites are needed, and
// no two sites may be equal.
//
// Fortune's sweep (pzsz/voronoi) does the work; on layouts it cannot handle,
// such as regular grids, each cell is cut out by half-planes instead.
func VoronoiCells(sites []orb.Point, clip orb.Bound) ([]orb.Polygon, error) {
	if len(sites) < 2 {
		return nil, fmt.Errorf("voronoi: need at least 2 sites, got %d", len(sites))
	}
	if !(clip.Max[0] > clip.Min[0] && clip.Max[1] > clip.Min[1]) {
		return nil, fmt.Errorf("voronoi: clip rectangle %v has no area", clip)
	}
	for i, p := range sites {
		if !isFinite(p[0]) || !isFinite(p[1]) {
			return nil, fmt.Errorf("voronoi: site %d has a non-finite coordinate %v", i, p)
		}
	}
	if err := checkDuplicateSites(sites); err != nil {
		return nil, err
	}

	if cells, ok := fortuneCells(sites, clip); ok {
		return cells, nil
	}
	return halfPlaneCells(sites, clip), nil
}

// fortuneCells computes the cells with pzsz/voronoi (Fortune's sweep). It
// reports false when the library fails, as it does on some degenerate
// layouts such as regular grids (it panics or leaves cells open), or when
// the cells it returns do not tile clip.
func fortuneCells(sites []orb.Point, clip orb.Bound) (cells []orb.Polygon, ok bool) {
	defer func() {
		if recover() != nil {
			cells, ok = nil, false
		}
	}()
	// The library compares coordinates with an absolute epsilon of 1e-9, so
	// work near the origin, where rounding errors stay far below it: shift
	// everything by the centre of the clip rectangle.
	centre := clip.Center()
	frame := clip
	for _, p := range sites {
		frame = frame.Extend(p)
	}
	// A margin keeps sites off the diagram's box, whose edges the library
	// treats specially; cells are clipped to the requested rectangle below.
	margin := math.Max(frame.Max[0]-frame.Min[0], frame.Max[1]-frame.Min[1])
	box := voronoi.NewBBox(
		frame.Min[0]-margin-centre[0], frame.Max[0]+margin-centre[0],
		frame.Min[1]-margin-centre[1], frame.Max[1]+margin-centre[1],
	)

	vs := make([]voronoi.Vertex, len(sites))
	siteOf := make(map[voronoi.Vertex]int, len(sites))
	for i, p := range sites {
		v := voronoi.Vertex{X: p[0] - centre[0], Y: p[1] - centre[1]}
		if _, dup := siteOf[v]; dup {
			return nil, false // distinct sites that coincide once shifted
		}
		siteOf[v] = i
		vs[i] = v
	}
	// ComputeDiagram sorts its argument in place; vs is our own copy.
	diagram := voronoi.ComputeDiagram(vs, box, true)

	cells = make([]orb.Polygon, len(sites))
	seen := make([]bool, len(sites))
	var total float64
	for _, c := range diagram.Cells {
		// The library's cells carry their site's coordinates, not its index.
		i, known := siteOf[c.Site]
		if !known || seen[i] {
			return nil, false
		}
		seen[i] = true
		ring := make(orb.Ring, 0, len(c.Halfedges)+1)
		for _, h := range c.Halfedges {
			v := h.GetStartpoint()
			ring = append(ring, orb.Point{v.X + centre[0], v.Y + centre[1]})
		}
		cells[i] = closeCell(clipRingToBound(ring, clip))
		if cells[i] != nil {
			total += planar.Area(cells[i])
		}
		if clip.Contains(sites[i]) && (cells[i] == nil || !planar.PolygonContains(cells[i], sites[i])) {
			return nil, false
		}
	}
	for i := range sites {
		if !seen[i] {
			return nil, false
		}
	}
	area := (clip.Max[0] - clip.Min[0]) * (clip.Max[1] - clip.Min[1])
	if math.Abs(total-area) > 1e-9*area {
		return nil, false
	}
	return cells, true
}

// halfPlaneCells computes each cell directly as the clip rectangle cut by
// the bisectors of the site and its neighbours, nearest first, until no
// farther site can cut it. Slower than Fortune's sweep but robust for any
// layout of distinct sites.
func halfPlaneCells(sites []orb.Point, clip orb.Bound) []orb.Polygon {
	var tree rtree.RTreeG[int]
	for i, p := range sites {
		tree.Insert(p, p, i)
	}
	rect := orb.Ring{clip.Min, {clip.Max[0], clip.Min[1]}, clip.Max, {clip.Min[0], clip.Max[1]}}
	cells := make([]orb.Polygon, len(sites))
	for i, s := range sites {
		ring := append(orb.Ring(nil), rect...)
		reach := cellReach(ring, s)
		tree.Nearby(
			rtree.BoxDist[float64, int](s, s, nil),
			func(_, _ [2]float64, j int, d2 float64) bool {
				if j == i {
					return true
				}
				// A site farther than twice the cell's reach cannot cut it.
				if math.Sqrt(d2) > 2*reach {
					return false
				}
				ring = cutByBisector(ring, s, sites[j])
				if len(ring) < 3 {
					return false
				}
				reach = cellReach(ring, s)
				return true
			})
		cells[i] = closeCell(ring)
	}
	return cells
}

// cellReach is the largest distance from site s to a vertex of ring.
func cellReach(ring orb.Ring, s orb.Point) float64 {
	var r float64
	for _, p := range ring {
		r = math.Max(r, math.Hypot(p[0]-s[0], p[1]-s[1]))
	}
	return r
}

// cutByBisector keeps the part of the convex open ring that is nearer to s
// than to t.
func cutByBisector(ring orb.Ring, s, t orb.Point) orb.Ring {
	nx, ny := t[0]-s[0], t[1]-s[1]
	mx, my := (s[0]+t[0])/2, (s[1]+t[1])/2
	side := func(p orb.Point) float64 { return (p[0]-mx)*nx + (p[1]-my)*ny }
	out := make(orb.Ring, 0, len(ring)+1)
	prev := ring[len(ring)-1]
	sp := side(prev)
	for _, cur := range ring {
		sc := side(cur)
		if (sc <= 0) != (sp <= 0) {
			u := sp / (sp - sc)
			out = append(out, orb.Point{prev[0] + u*(cur[0]-prev[0]), prev[1] + u*(cur[1]-prev[1])})
		}
		if sc <= 0 {
			out = append(out, cur)
		}
		prev, sp = cur, sc
	}
	return dropRepeatedPoints(out)
}

// closeCell turns an open convex ring into a closed counter-clockwise
// polygon, or nil when it has no area.
func closeCell(ring orb.Ring) orb.Polygon {
	if len(ring) < 3 {
		return nil
	}
	ring = append(ring[:len(ring):len(ring)], ring[0])
	switch ring.Orientation() {
	case orb.CW:
		ring.Reverse()
	case 0:
		return nil
	}
	return orb.Polygon{ring}
}

// checkDuplicateSites returns an error naming up to five pairs of equal sites.
func checkDuplicateSites(sites []orb.Point) error {
	first := make(map[orb.Point]int, len(sites))
	var errs []error
	for i, p := range sites {
		if j, ok := first[p]; ok {
			errs = append(errs, fmt.Errorf("sites %d and %d are both at %v", j, i, p))
			if len(errs) == 5 {
				break
			}
			continue
		}
		first[p] = i
	}
	if len(errs) > 0 {
		return fmt.Errorf("voronoi: duplicate sites: %w", errors.Join(errs...))
	}
	return nil
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// clipRingToBound clips a convex ring, given open (without the closing
// point), to the rectangle b (Sutherland–Hodgman). The result is open too.
func clipRingToBound(ring orb.Ring, b orb.Bound) orb.Ring {
	type edge struct {
		inside func(p orb.Point) bool
		cross  func(p, q orb.Point) orb.Point
	}
	atX := func(x float64) func(p, q orb.Point) orb.Point {
		return func(p, q orb.Point) orb.Point {
			t := (x - p[0]) / (q[0] - p[0])
			return orb.Point{x, p[1] + t*(q[1]-p[1])}
		}
	}
	atY := func(y float64) func(p, q orb.Point) orb.Point {
		return func(p, q orb.Point) orb.Point {
			t := (y - p[1]) / (q[1] - p[1])
			return orb.Point{p[0] + t*(q[0]-p[0]), y}
		}
	}
	edges := []edge{
		{func(p orb.Point) bool { return p[0] >= b.Min[0] }, atX(b.Min[0])},
		{func(p orb.Point) bool { return p[0] <= b.Max[0] }, atX(b.Max[0])},
		{func(p orb.Point) bool { return p[1] >= b.Min[1] }, atY(b.Min[1])},
		{func(p orb.Point) bool { return p[1] <= b.Max[1] }, atY(b.Max[1])},
	}
	out := ring
	for _, e := range edges {
		if len(out) == 0 {
			return nil
		}
		in := out
		out = make(orb.Ring, 0, len(in)+2)
		prev := in[len(in)-1]
		for _, cur := range in {
			switch {
			case e.inside(cur) && e.inside(prev):
				out = append(out, cur)
			case e.inside(cur):
				out = append(out, e.cross(prev, cur), cur)
			case e.inside(prev):
				out = append(out, e.cross(prev, cur))
			}
			prev = cur
		}
	}
	return dropRepeatedPoints(out)
}

// dropRepeatedPoints removes consecutive equal points of an open ring.
func dropRepeatedPoints(r orb.Ring) orb.Ring {
	out := r[:0:0]
	for i, p := range r {
		if i > 0 && p == out[len(out)-1] {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}
