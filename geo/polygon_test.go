package geo

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/paulmach/orb"
)

// Vertices of the exact tests are multiples of 1/snapUnit degree and probes
// (edge midpoints included) multiples of 1/gridUnit, so every product in the
// crossing test is exact in float64 and points on edges and vertices are
// really on them.
const (
	snapUnit = 512
	gridUnit = 2 * snapUnit
)

// toGrid converts a grid coordinate to integer units, failing if it is off
// the grid.
func toGrid(t testing.TB, p orb.Point) [2]int64 {
	x, y := p[0]*gridUnit, p[1]*gridUnit
	if x != math.Round(x) || y != math.Round(y) {
		t.Fatalf("%v is not on the 1/%d degree grid", p, gridUnit)
	}
	return [2]int64{int64(x), int64(y)}
}

// bruteContains is the reference even–odd rule in exact integer arithmetic,
// written independently of crosses: an edge counts when exactly one end is
// strictly north of p and the edge meets p's parallel strictly east of p.
// mp contains p when any part has an odd count over its rings.
func bruteContains(t testing.TB, mp orb.MultiPolygon, p orb.Point) bool {
	P := toGrid(t, p)
	for _, poly := range mp {
		odd := false
		for _, r := range poly {
			for i := range r {
				a, b := toGrid(t, r[(i+len(r)-1)%len(r)]), toGrid(t, r[i])
				if (a[1] > P[1]) == (b[1] > P[1]) {
					continue
				}
				// crossing x = a.x + (P.y-a.y)(b.x-a.x)/(b.y-a.y) > P.x,
				// multiplied through by b.y-a.y.
				dy := b[1] - a[1]
				lhs := (P[0] - a[0]) * dy
				rhs := (P[1] - a[1]) * (b[0] - a[0])
				if (dy > 0 && lhs < rhs) || (dy < 0 && lhs > rhs) {
					odd = !odd
				}
			}
		}
		if odd {
			return true
		}
	}
	return false
}

// snap rounds v to the 1/512 degree grid of vertices.
func snap(v float64) float64 { return math.Round(v*snapUnit) / snapUnit }

// gridStar returns a star-shaped ring of n vertices around c with radii in
// [rmin, rmax] degrees, snapped to the grid, closed or not, in random
// orientation. With even, the angles are spread evenly (gaps within 0.5–1.5
// of 2π/n), so for n ≥ 6 the disc of radius 0.35·rmin around c is inside.
func gridStar(rng *rand.Rand, c orb.Point, n int, rmin, rmax float64, even bool) orb.Ring {
	angles := make([]float64, n)
	for i := range angles {
		if even {
			angles[i] = (float64(i) + rng.Float64()*0.5) * 2 * math.Pi / float64(n)
		} else {
			angles[i] = rng.Float64() * 2 * math.Pi
		}
	}
	sort.Float64s(angles)
	r := make(orb.Ring, 0, n+1)
	for _, a := range angles {
		rad := rmin + rng.Float64()*(rmax-rmin)
		r = append(r, orb.Point{snap(c[0] + rad*math.Cos(a)), snap(c[1] + rad*math.Sin(a))})
	}
	if rng.Intn(2) == 0 {
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
	}
	if rng.Intn(4) != 0 { // most rings closed, some not
		r = append(r, r[0])
	}
	return r
}

// randomGridMultiPolygon returns 1–3 parts (which may overlap), each a star,
// some with up to two star holes inside the outer ring.
func randomGridMultiPolygon(rng *rand.Rand, area orb.Bound) orb.MultiPolygon {
	var mp orb.MultiPolygon
	for parts := 1 + rng.Intn(3); parts > 0; parts-- {
		c := orb.Point{snap(area.Min[0] + rng.Float64()*(area.Max[0]-area.Min[0])),
			snap(area.Min[1] + rng.Float64()*(area.Max[1]-area.Min[1]))}
		rmax := 0.02 + rng.Float64()*0.1
		n := 3 + rng.Intn(40)
		if rng.Intn(5) == 0 {
			n = 100 + rng.Intn(400) // long rings use the chunked path
		}
		holes := n >= 6 && rng.Intn(3) != 0
		poly := orb.Polygon{gridStar(rng, c, n, rmax/2, rmax, holes)}
		for h := rng.Intn(3); holes && h > 0; h-- {
			// within 0.2·rmax of c, inside the outer ring
			hc := orb.Point{snap(c[0] + (rng.Float64()-0.5)*rmax/10), snap(c[1] + (rng.Float64()-0.5)*rmax/10)}
			poly = append(poly, gridStar(rng, hc, 3+rng.Intn(12), rmax/16, rmax/8, false))
		}
		mp = append(mp, poly)
	}
	return mp
}

// gridProbes returns points to test against mp: n random grid points in its
// bound (many on edges), and about n vertices and edge midpoints.
func gridProbes(rng *rand.Rand, mp orb.MultiPolygon, n int) []orb.Point {
	b := mp.Bound().Pad(2.0 / gridUnit)
	var pts []orb.Point
	for i := 0; i < n; i++ {
		pts = append(pts, orb.Point{snap(b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0])),
			snap(b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1]))})
	}
	vertices := 0
	for _, poly := range mp {
		for _, r := range poly {
			vertices += len(r)
		}
	}
	for _, poly := range mp {
		for _, r := range poly {
			for i := range r {
				if rng.Intn(vertices) >= n/2 {
					continue
				}
				a, c := r[(i+len(r)-1)%len(r)], r[i]
				pts = append(pts, c, orb.Point{(a[0] + c[0]) / 2, (a[1] + c[1]) / 2})
			}
		}
	}
	return pts
}

// TestContainsBruteForce compares Contains, and the PolygonIndex over the
// same polygons, with the exact reference rule on random grid polygons with
// holes and several parts, probing vertices, edges and random points.
func TestContainsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	area := orb.Bound{Min: orb.Point{130.5, 32.6}, Max: orb.Point{130.9, 33.0}}
	n := 80
	if testing.Short() {
		n = 25
	}
	polys := make([]orb.MultiPolygon, n)
	for i := range polys {
		polys[i] = randomGridMultiPolygon(rng, area)
	}
	ix := NewPolygonIndex(polys)
	if ix.Len() != len(polys) {
		t.Fatalf("Len = %d, want %d", ix.Len(), len(polys))
	}
	inside, onEdge := 0, 0
	for i, mp := range polys {
		for _, p := range gridProbes(rng, mp, 150) {
			want := bruteContains(t, mp, p)
			if got := Contains(mp, p); got != want {
				t.Fatalf("polygon %d: Contains(%v) = %v, brute force %v", i, p, got, want)
			}
			if want {
				inside++
			}
			// The index must agree with brute force over all polygons.
			wantLocate, wantSet := -1, map[int]bool{}
			for j, other := range polys {
				if bruteContains(t, other, p) {
					wantSet[j] = true
					if wantLocate < 0 {
						wantLocate = j
					}
				}
			}
			if got := ix.Locate(p); got != wantLocate {
				t.Fatalf("Locate(%v) = %d, brute force %d", p, got, wantLocate)
			}
			gotSet := map[int]bool{}
			ix.Containing(p, func(j int) bool {
				if gotSet[j] {
					t.Fatalf("Containing(%v) reported %d twice", p, j)
				}
				gotSet[j] = true
				return true
			})
			if len(gotSet) != len(wantSet) {
				t.Fatalf("Containing(%v) = %v, brute force %v", p, gotSet, wantSet)
			}
			for j := range wantSet {
				if !gotSet[j] {
					t.Fatalf("Containing(%v) = %v, brute force %v", p, gotSet, wantSet)
				}
			}
			if len(wantSet) > 1 {
				onEdge++
			}
		}
	}
	if inside == 0 {
		t.Fatal("no probe was inside: the test is vacuous")
	}
	t.Logf("%d probes inside their polygon, %d in several overlapping polygons", inside, onEdge)
}

// TestContainsBoundaryRule pins the documented rule on two unit squares side
// by side and two stacked: a boundary point belongs to the polygon east of it
// (north of it on an east–west edge).
func TestContainsBoundaryRule(t *testing.T) {
	sq := func(x, y float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}}
	}
	west, east, north := sq(0, 0), sq(1, 0), sq(0, 1)
	tests := []struct {
		name              string
		p                 orb.Point
		west, east, north bool
	}{
		{"interior", orb.Point{0.5, 0.5}, true, false, false},
		{"shared vertical edge", orb.Point{1, 0.5}, false, true, false},
		{"shared horizontal edge", orb.Point{0.5, 1}, false, false, true},
		{"west outer edge", orb.Point{0, 0.5}, true, false, false},
		{"east outer edge", orb.Point{2, 0.5}, false, false, false},
		{"south outer edge", orb.Point{0.5, 0}, true, false, false},
		{"south-west corner", orb.Point{0, 0}, true, false, false},
		{"shared corner", orb.Point{1, 1}, false, false, false},
		{"outside", orb.Point{-0.5, 0.5}, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []struct {
				name string
				mp   orb.MultiPolygon
				want bool
			}{{"west", west, tc.west}, {"east", east, tc.east}, {"north", north, tc.north}} {
				if got := Contains(c.mp, tc.p); got != c.want {
					t.Errorf("Contains(%s, %v) = %v, want %v", c.name, tc.p, got, c.want)
				}
			}
		})
	}
}

// jitteredGrid partitions the box at origin into nx×ny cells of step
// degrees whose corners are jittered and whose edges carry perEdge extra
// jittered vertices; neighbours share every vertex exactly. Cell (i, j) is
// at index j*nx+i. Rings have random orientation and closure.
func jitteredGrid(rng *rand.Rand, origin orb.Point, nx, ny int, step float64, perEdge int) []orb.MultiPolygon {
	j := func(s float64) float64 { return (rng.Float64()*2 - 1) * s * step }
	corner := make([][]orb.Point, nx+1)
	for i := range corner {
		corner[i] = make([]orb.Point, ny+1)
		for k := range corner[i] {
			corner[i][k] = orb.Point{origin[0] + float64(i)*step + j(0.2), origin[1] + float64(k)*step + j(0.2)}
		}
	}
	// interior vertices of the edge from a to b, jittered across the edge
	edge := func(a, b orb.Point) []orb.Point {
		var pts []orb.Point
		for m := 1; m <= perEdge; m++ {
			f := float64(m) / float64(perEdge+1)
			dx, dy := b[0]-a[0], b[1]-a[1]
			off := j(0.05)
			pts = append(pts, orb.Point{a[0] + f*dx - off*dy/step, a[1] + f*dy + off*dx/step})
		}
		return pts
	}
	hEdge := map[[2]int][]orb.Point{} // from corner (i,k) to (i+1,k)
	vEdge := map[[2]int][]orb.Point{} // from corner (i,k) to (i,k+1)
	for i := 0; i <= nx; i++ {
		for k := 0; k <= ny; k++ {
			if i < nx {
				hEdge[[2]int{i, k}] = edge(corner[i][k], corner[i+1][k])
			}
			if k < ny {
				vEdge[[2]int{i, k}] = edge(corner[i][k], corner[i][k+1])
			}
		}
	}
	reversed := func(pts []orb.Point) []orb.Point {
		out := make([]orb.Point, len(pts))
		for i, p := range pts {
			out[len(pts)-1-i] = p
		}
		return out
	}
	cells := make([]orb.MultiPolygon, 0, nx*ny)
	for k := 0; k < ny; k++ {
		for i := 0; i < nx; i++ {
			var r orb.Ring
			r = append(r, corner[i][k])
			r = append(r, hEdge[[2]int{i, k}]...)
			r = append(r, corner[i+1][k])
			r = append(r, vEdge[[2]int{i + 1, k}]...)
			r = append(r, corner[i+1][k+1])
			r = append(r, reversed(hEdge[[2]int{i, k + 1}])...)
			r = append(r, corner[i][k+1])
			r = append(r, reversed(vEdge[[2]int{i, k}])...)
			if rng.Intn(2) == 0 {
				r = orb.Ring(reversed(r))
			}
			if rng.Intn(4) != 0 {
				r = append(r, r[0])
			}
			cells = append(cells, orb.MultiPolygon{{r}})
		}
	}
	return cells
}

// TestSharedEdgesBelongToOne checks the partition property: every point in
// the interior of a jittered grid of districts (with an enclave filling a
// hole) lies in exactly one district, including points on shared vertices,
// on shared edges (up to rounding) and very near them.
func TestSharedEdgesBelongToOne(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	const nx, ny, step = 12, 10, 0.01
	origin := orb.Point{130.6, 32.7}
	cells := jitteredGrid(rng, origin, nx, ny, step, 6)
	// Cut a hole in cell 25 and fill it with an enclave with the same
	// vertices in the opposite order.
	c := cells[25][0][0].Bound().Center()
	hole := orb.Ring{}
	for a := 0.0; a < 2*math.Pi; a += 2 * math.Pi / 9 {
		hole = append(hole, orb.Point{c[0] + 0.002*math.Cos(a) + rng.Float64()*1e-4, c[1] + 0.002*math.Sin(a)})
	}
	hole = append(hole, hole[0])
	cells[25] = orb.MultiPolygon{{cells[25][0][0], hole}}
	enclave := make(orb.Ring, len(hole))
	for i, p := range hole {
		enclave[len(hole)-1-i] = p
	}
	cells = append(cells, orb.MultiPolygon{{enclave}})
	ix := NewPolygonIndex(cells)

	// The interior of the partition: away from its outer boundary.
	inner := orb.Bound{Min: orb.Point{origin[0] + 0.5*step, origin[1] + 0.5*step},
		Max: orb.Point{origin[0] + (nx-0.5)*step, origin[1] + (ny-0.5)*step}}
	var probes []orb.Point
	for _, mp := range cells {
		for _, r := range mp[0] {
			for i := 1; i < len(r); i++ {
				a, b := r[i-1], r[i]
				probes = append(probes, a, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
				for m := 0; m < 5; m++ {
					f := rng.Float64()
					probes = append(probes, orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])})
				}
				// just off the vertex by one ulp in each direction
				probes = append(probes,
					orb.Point{math.Nextafter(a[0], 200), a[1]}, orb.Point{math.Nextafter(a[0], 0), a[1]},
					orb.Point{a[0], math.Nextafter(a[1], 90)}, orb.Point{a[0], math.Nextafter(a[1], 0)})
			}
		}
	}
	for i := 0; i < 20000; i++ {
		probes = append(probes, orb.Point{inner.Min[0] + rng.Float64()*(inner.Max[0]-inner.Min[0]),
			inner.Min[1] + rng.Float64()*(inner.Max[1]-inner.Min[1])})
	}
	checked := 0
	for _, p := range probes {
		if !inner.Contains(p) {
			continue
		}
		checked++
		var owners []int
		for i, mp := range cells {
			if Contains(mp, p) {
				owners = append(owners, i)
			}
		}
		if len(owners) != 1 {
			t.Fatalf("%v lies in %d districts %v, want exactly 1", p, len(owners), owners)
		}
		if got := ix.Locate(p); got != owners[0] {
			t.Fatalf("Locate(%v) = %d, want %d", p, got, owners[0])
		}
		n := 0
		ix.Containing(p, func(int) bool { n++; return true })
		if n != 1 {
			t.Fatalf("Containing(%v) reported %d districts", p, n)
		}
	}
	if checked < 20000 {
		t.Fatalf("only %d probes checked", checked)
	}
	t.Logf("%d probes each in exactly one of %d districts", checked, len(cells))
}

func TestPolygonIndexOverlappingParts(t *testing.T) {
	sq := func(x, y, s float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}}
	}
	polys := []orb.MultiPolygon{
		{sq(0, 0, 2), sq(1, 1, 2)}, // parts overlap in [1,2]²
		{sq(5, 5, 1)},
		{},                           // empty
		{sq(1.5, 1.5, 1)},            // overlaps polygon 0
		{sq(10, 0, 1), sq(0, 10, 1)}, // far-apart islands
	}
	ix := NewPolygonIndex(polys)
	tests := []struct {
		p      orb.Point
		want   []int
		locate int
	}{
		{orb.Point{1.7, 1.7}, []int{0, 3}, 0},
		{orb.Point{2.4, 2.4}, []int{0, 3}, 0},
		{orb.Point{2.5, 2.5}, []int{0}, 0}, // north-east corner of 3
		{orb.Point{0.5, 0.5}, []int{0}, 0},
		{orb.Point{5.5, 5.5}, []int{1}, 1},
		{orb.Point{0.5, 10.5}, []int{4}, 4},
		{orb.Point{5, 0.5}, nil, -1},
	}
	for _, tc := range tests {
		var got []int
		ix.Containing(tc.p, func(i int) bool { got = append(got, i); return true })
		sort.Ints(got)
		if len(got) != len(tc.want) || (len(got) > 0 && !equalInts(got, tc.want)) {
			t.Errorf("Containing(%v) = %v, want %v", tc.p, got, tc.want)
		}
		if l := ix.Locate(tc.p); l != tc.locate {
			t.Errorf("Locate(%v) = %d, want %d", tc.p, l, tc.locate)
		}
	}
	// Stopping early.
	n := 0
	ix.Containing(orb.Point{1.7, 1.7}, func(int) bool { n++; return false })
	if n != 1 {
		t.Errorf("Containing kept calling after false: %d calls", n)
	}
	// Intersecting: the box between the islands meets neither island.
	var got []int
	ix.Intersecting(orb.Bound{Min: orb.Point{3.5, 3.5}, Max: orb.Point{9, 9}}, func(i int) bool { got = append(got, i); return true })
	sort.Ints(got)
	if !equalInts(got, []int{1}) {
		t.Errorf("Intersecting = %v, want [1]", got)
	}
	got = got[:0]
	ix.Intersecting(orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{11, 11}}, func(i int) bool { got = append(got, i); return true })
	sort.Ints(got)
	if !equalInts(got, []int{0, 1, 3, 4}) {
		t.Errorf("Intersecting everything = %v, want [0 1 3 4]", got)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestIntersectingBruteForce compares Intersecting with a loop over the
// parts' bounding boxes.
func TestIntersectingBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	area := orb.Bound{Min: orb.Point{130.5, 32.6}, Max: orb.Point{130.9, 33.0}}
	polys := make([]orb.MultiPolygon, 300)
	for i := range polys {
		polys[i] = randomGridMultiPolygon(rng, area)
	}
	ix := NewPolygonIndex(polys)
	for q := 0; q < 2000; q++ {
		c := orb.Point{130.4 + rng.Float64()*0.6, 32.5 + rng.Float64()*0.6}
		b := orb.Bound{Min: c, Max: orb.Point{c[0] + rng.Float64()*0.1, c[1] + rng.Float64()*0.1}}
		want := map[int]bool{}
		for i, mp := range polys {
			for _, poly := range mp {
				if poly[0].Bound().Intersects(b) {
					want[i] = true
				}
			}
		}
		got := map[int]bool{}
		ix.Intersecting(b, func(i int) bool {
			if got[i] {
				t.Fatalf("box %v: %d reported twice", b, i)
			}
			got[i] = true
			return true
		})
		if len(got) != len(want) {
			t.Fatalf("box %v: Intersecting = %d polygons, brute force %d", b, len(got), len(want))
		}
		for i := range want {
			if !got[i] {
				t.Fatalf("box %v: Intersecting missed %d", b, i)
			}
		}
	}
}

// TestPolygonIndexNoAlloc checks that queries do not allocate.
func TestPolygonIndexNoAlloc(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	ix := NewPolygonIndex(jitteredGrid(rng, orb.Point{130.6, 32.7}, 20, 20, 0.01, 7))
	p := orb.Point{130.65, 32.75}
	b := orb.Bound{Min: p, Max: orb.Point{130.7, 32.8}}
	count := 0
	fn := func(int) bool { count++; return true }
	if a := testing.AllocsPerRun(200, func() { ix.Locate(p) }); a != 0 {
		t.Errorf("Locate allocates %.1f times per query", a)
	}
	if a := testing.AllocsPerRun(200, func() { ix.Containing(p, fn) }); a != 0 {
		t.Errorf("Containing allocates %.1f times per query", a)
	}
	if a := testing.AllocsPerRun(200, func() { ix.Intersecting(b, fn) }); a != 0 {
		t.Errorf("Intersecting allocates %.1f times per query", a)
	}
	if count == 0 {
		t.Error("queries found nothing")
	}
}
