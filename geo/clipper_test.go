package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"
)

// square is the counter-clockwise square [x0, x1] × [y0, y1] (reversed:
// clockwise, for a hole).
func square(x0, y0, x1, y1 float64, reversed bool) orb.Ring {
	r := orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	if reversed {
		r.Reverse()
	}
	return r
}

// clipperBoundary is a fixed polygon with the cases a national boundary
// has: a large polygon with a hole holding an island, a coast that zigzags
// in and out, small islands, and two islands touching at a corner.
func clipperBoundary() orb.MultiPolygon {
	var coast orb.Ring
	for k := 0; k <= 60; k++ { // the east coast zigzags
		y := float64(k) * 100
		x := 5000.0
		if k%2 == 1 {
			x = 5300
		}
		coast = append(coast, orb.Point{x, y})
	}
	main := append(orb.Ring{{0, 0}}, coast...)
	main = append(main, orb.Point{0, 6000}, orb.Point{0, 0})
	return orb.MultiPolygon{
		{main, square(2000, 2000, 3000, 3000, true)},                                  // mainland with a lake
		{square(2400, 2400, 2600, 2600, false)},                                       // an island in the lake
		{square(6000, 1000, 6200, 1200, false)},                                       // islands at sea
		{square(6200, 1200, 6400, 1400, false)},                                       // touching the previous one at a corner
		{square(7000, 4000, 7050, 4050, false)},                                       // a tiny one
		{square(6500, 5000, 7500, 5800, false), square(6900, 5300, 7100, 5500, true)}, // with a lake
	}
}

// TestClipperAgreesWithOverlay checks Clipper.Intersect against the general
// overlay of the whole fixed polygon (Intersect), cell by cell, for Voronoi
// cells of random sites and for operands placed on the hard cases: inside,
// outside, around an island, sharing an edge or a vertex with the boundary.
func TestClipperAgreesWithOverlay(t *testing.T) {
	boundary := clipperBoundary()
	c, err := NewClipper(boundary)
	if err != nil {
		t.Fatal(err)
	}
	operands := []orb.MultiPolygon{
		{{square(500, 500, 1000, 1000, false)}},                                         // inside
		{{square(8000, 100, 9000, 900, false)}},                                         // at sea
		{{square(2100, 2100, 2900, 2900, false)}},                                       // in the lake, around the island
		{{square(2450, 2450, 2550, 2550, false)}},                                       // inside the island
		{{square(1000, 2000, 2000, 3000, false)}},                                       // sharing the lake's west edge
		{{square(3000, 3000, 3500, 3500, false)}},                                       // touching the lake at a corner
		{{square(5900, 900, 6300, 1300, false)}},                                        // around the touching corner
		{{square(6950, 3950, 7100, 4100, false)}},                                       // around the tiny island
		{{square(6400, 4900, 7600, 5900, false), square(6800, 5200, 7200, 5600, true)}}, // with a hole
		{{square(4900, 0, 5400, 6000, false)}},                                          // along the zigzag coast
		{{square(-1000, -1000, 10000, 7000, false)}},                                    // around everything
		{{{{0, 0}, {1000, 0}, {0, 1000}, {0, 0}}}},                                      // sharing a corner and two edges
	}
	rng := rand.New(rand.NewPCG(17, 17))
	sites := make([]orb.Point, 300)
	for i := range sites {
		sites[i] = orb.Point{-500 + rng.Float64()*9000, -500 + rng.Float64()*7000}
	}
	cells, err := VoronoiCells(sites, orb.Bound{Min: orb.Point{-1000, -1000}, Max: orb.Point{9000, 7000}})
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range cells {
		operands = append(operands, orb.MultiPolygon{cell})
	}
	fast := 0
	var sum float64
	for i, a := range operands {
		want, err := Intersect(a, boundary)
		if err != nil {
			t.Fatalf("operand %d: overlay: %v", i, err)
		}
		got, err := c.Intersect(a)
		if err != nil {
			t.Fatalf("operand %d: clipper: %v", i, err)
		}
		checkClipOrientation(t, got)
		if len(got) > 0 {
			if _, err := toGeom(got); err != nil {
				t.Errorf("operand %d: result invalid: %v", i, err)
			}
		}
		scale := planar.Area(a)
		if d := math.Abs(planar.Area(got) - planar.Area(want)); d > 1e-9*scale {
			t.Errorf("operand %d: area %v, overlay %v", i, planar.Area(got), planar.Area(want))
		}
		if len(got) > 0 || len(want) > 0 {
			if d := symmetricDifferenceArea(t, got, want); d > 1e-9*scale {
				t.Errorf("operand %d: results differ by %v of area", i, d)
			}
		}
		if len(got) != len(want) {
			t.Errorf("operand %d: %d parts, overlay %d", i, len(got), len(want))
		}
		near := []int{}
		b := a.Bound()
		c.polyTree.Search(b.Min, b.Max, func(_, _ [2]float64, k int) bool { near = append(near, k); return true })
		if _, ok := c.whole(a, near); ok || len(near) == 0 {
			fast++
		}
		if i >= 12 {
			sum += planar.Area(got)
		}
	}
	// The cells partition their box, so their parts partition the boundary.
	if want := planar.Area(boundary); math.Abs(sum-want) > 1e-9*want {
		t.Errorf("clipped cells cover %v, boundary is %v", sum, want)
	}
	// Most cells lie wholly at sea or wholly on land: no overlay for them.
	if fast < len(operands)/2 {
		t.Errorf("%d of %d operands answered without an overlay, want most", fast, len(operands))
	}
	t.Logf("%d of %d operands answered without an overlay", fast, len(operands))
}

// TestClipperWholeDecisions pins which operands skip the overlay.
func TestClipperWholeDecisions(t *testing.T) {
	c, err := NewClipper(clipperBoundary())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		a     orb.MultiPolygon
		whole bool
		parts int
	}{
		{"inside", orb.MultiPolygon{{square(500, 500, 1000, 1000, false)}}, true, 1},
		{"at sea", orb.MultiPolygon{{square(8000, 100, 9000, 900, false)}}, true, 0},
		{"inside the island", orb.MultiPolygon{{square(2450, 2450, 2550, 2550, false)}}, true, 1},
		{"around the island", orb.MultiPolygon{{square(2100, 2100, 2900, 2900, false)}}, false, 1},
		{"sharing an edge", orb.MultiPolygon{{square(1000, 2000, 2000, 3000, false)}}, false, 1},
		{"touching at a corner", orb.MultiPolygon{{square(3000, 3000, 3500, 3500, false)}}, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var near []int
			b := tc.a.Bound()
			c.polyTree.Search(b.Min, b.Max, func(_, _ [2]float64, k int) bool { near = append(near, k); return true })
			_, ok := c.whole(tc.a, near)
			if ok != tc.whole {
				t.Errorf("without overlay: %v, want %v", ok, tc.whole)
			}
			got, err := c.Intersect(tc.a)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.parts {
				t.Errorf("%d parts, want %d", len(got), tc.parts)
			}
		})
	}
}

// TestClipperRealWards clips random Voronoi cells with the five Kumamoto
// wards dissolved into the city, against the overlay of the whole city.
func TestClipperRealWards(t *testing.T) {
	_, wards := kumamotoWards(t)
	city, err := Union(wards)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClipper(city)
	if err != nil {
		t.Fatal(err)
	}
	b := city.Bound().Pad(0.02)
	rng := rand.New(rand.NewPCG(5, 5))
	sites := make([]orb.Point, 120)
	for i := range sites {
		sites[i] = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
	}
	cells, err := VoronoiCells(sites, b)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for i, cell := range cells {
		a := orb.MultiPolygon{cell}
		want, err := Intersect(a, city)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Intersect(a)
		if err != nil {
			t.Fatal(err)
		}
		if d := symmetricDifferenceArea(t, got, want); d > 1e-9*planar.Area(a) {
			t.Errorf("cell %d: results differ by %v (cell area %v)", i, d, planar.Area(a))
		}
		sum += planar.Area(got)
	}
	if want := planar.Area(city); math.Abs(sum-want) > 1e-9*want {
		t.Errorf("clipped cells cover %v, city is %v", sum, want)
	}
}

// symmetricDifferenceArea is the planar area of the parts of a and b that
// are not common to both.
func symmetricDifferenceArea(t *testing.T, a, b orb.MultiPolygon) float64 {
	t.Helper()
	ga, err := toGeomOrEmpty(a)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := toGeomOrEmpty(b)
	if err != nil {
		t.Fatal(err)
	}
	d, err := geom.SymmetricDifference(ga, gb)
	if err != nil {
		t.Fatal(err)
	}
	return planar.Area(fromGeom(d))
}

func toGeomOrEmpty(mp orb.MultiPolygon) (geom.Geometry, error) {
	if len(mp) == 0 {
		return geom.MultiPolygon{}.AsGeometry(), nil
	}
	return toGeom(mp)
}

func BenchmarkClipperVoronoiCells(b *testing.B) {
	boundary := clipperBoundary()
	rng := rand.New(rand.NewPCG(3, 3))
	sites := make([]orb.Point, 300)
	for i := range sites {
		sites[i] = orb.Point{-500 + rng.Float64()*9000, -500 + rng.Float64()*7000}
	}
	cells, err := VoronoiCells(sites, orb.Bound{Min: orb.Point{-1000, -1000}, Max: orb.Point{9000, 7000}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := NewClipper(boundary)
		if err != nil {
			b.Fatal(err)
		}
		for _, cell := range cells {
			if _, err := c.Intersect(orb.MultiPolygon{cell}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestClipPolygonToBox checks the box cut against the general overlay for
// random boxes over polygons with holes, zigzags, islands and real ward
// outlines: same area, valid parts, nothing doubled back.
func TestClipPolygonToBox(t *testing.T) {
	checkBoxCuts(t, clipperBoundary())
}

// TestClipPolygonToBoxWards does the same for the five Kumamoto wards.
func TestClipPolygonToBoxWards(t *testing.T) {
	_, wards := kumamotoWards(t)
	var polys orb.MultiPolygon
	for _, w := range wards {
		polys = append(polys, w...)
	}
	checkBoxCuts(t, polys)
}

func checkBoxCuts(t *testing.T, polys orb.MultiPolygon) {
	rng := rand.New(rand.NewPCG(11, 11))
	for pi, p := range polys {
		p = orientedCopy(p)
		b := p.Bound()
		w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
		for k := 0; k < 60; k++ {
			x0, y0 := b.Min[0]-0.2*w+rng.Float64()*1.4*w, b.Min[1]-0.2*h+rng.Float64()*1.4*h
			sz := (0.02 + rng.Float64()*0.8) * math.Max(w, h)
			bound := orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x0 + sz*(0.5+rng.Float64()), y0 + sz*(0.5+rng.Float64())}}
			box := clipBox(bound, allEdges(p))
			got := orb.MultiPolygon(clipPolygonToBox(p, box, nil, nil))
			want, err := Intersect(orb.MultiPolygon{p}, orb.MultiPolygon{{box.ToRing()}})
			if err != nil {
				t.Fatal(err)
			}
			scale := planar.Area(p)
			if len(got) > 0 {
				if _, err := toGeom(got); err != nil {
					t.Errorf("polygon %d box %d: cut is invalid: %v", pi, k, err)
					continue
				}
			}
			if d := symmetricDifferenceArea(t, got, want); d > 1e-9*scale {
				t.Errorf("polygon %d box %d: cut differs from the overlay by %v (polygon area %v)", pi, k, d, scale)
			}
		}
	}
}
