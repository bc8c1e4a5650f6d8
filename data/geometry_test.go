package data

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// randomRing returns a closed ring of n vertices on a small integer grid,
// so that touching and collinear cases are frequent.
func randomRing(r *rand.Rand, n int) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	for range n {
		ring = append(ring, orb.Point{float64(r.IntN(6)), float64(r.IntN(6))})
	}
	return append(ring, ring[0])
}

// bruteSimple reports whether a closed ring is simple, by testing every pair
// of edges: only consecutive edges may meet, and only at their shared vertex.
func bruteSimple(ring orb.Ring) bool {
	n := len(ring) - 1
	for i := range n {
		if ring[i] == ring[i+1] {
			return false // zero-length edge: treat as not simple
		}
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			a, b, c, d := ring[i], ring[i+1], ring[j], ring[j+1]
			adjacent := j == i+1 || (i == 0 && j == n-1)
			if !adjacent {
				if segmentsMeet(a, b, c, d) {
					return false
				}
				continue
			}
			// Adjacent edges share one vertex; they must not overlap.
			shared, p, q := b, a, d
			if j != i+1 {
				shared, p, q = a, b, c
			}
			if cross(shared, p, q) == 0 && (q[0]-shared[0])*(p[0]-shared[0])+(q[1]-shared[1])*(p[1]-shared[1]) > 0 {
				return false
			}
		}
	}
	return true
}

func segmentsMeet(a, b, c, d orb.Point) bool {
	d1, d2, d3, d4 := cross(c, d, a), cross(c, d, b), cross(a, b, c), cross(a, b, d)
	if (d1 > 0 && d2 < 0 || d1 < 0 && d2 > 0) && (d3 > 0 && d4 < 0 || d3 < 0 && d4 > 0) {
		return true
	}
	return d1 == 0 && onSegment(c, d, a) || d2 == 0 && onSegment(c, d, b) ||
		d3 == 0 && onSegment(a, b, c) || d4 == 0 && onSegment(a, b, d)
}

// TestValidityAgainstBruteForce checks that a ring with non-zero area passes
// the validity check exactly when the brute-force test finds it simple.
func TestValidityAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	checked := 0
	for range 5000 {
		ring := randomRing(r, 3+r.IntN(5))
		if !bruteSimpleDistinct(ring) || ringArea(ring) == 0 {
			continue
		}
		checked++
		want := bruteSimple(ring)
		got := toGeom(orb.MultiPolygon{{ring}}).Validate() == nil
		if got != want {
			t.Fatalf("ring %v: valid=%v, brute force simple=%v", ring, got, want)
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d rings checked", checked)
	}
}

// bruteSimpleDistinct reports whether consecutive vertices differ, which
// simplefeatures and the brute force treat differently.
func bruteSimpleDistinct(ring orb.Ring) bool {
	for i := 1; i < len(ring); i++ {
		if ring[i] == ring[i-1] {
			return false
		}
	}
	return true
}

// winding is the winding number of ring around q (q not on the ring).
func winding(ring orb.Ring, q orb.Point) int {
	w := 0
	for i := 0; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		if a[1] <= q[1] {
			if b[1] > q[1] && cross(a, b, q) > 0 {
				w++
			}
		} else if b[1] <= q[1] && cross(a, b, q) < 0 {
			w--
		}
	}
	return w
}

// TestRepairAgainstWinding checks repaired rings against brute force: when
// the loops of a ring do not overlap, a point is inside the repaired polygon
// exactly when the original ring winds around it. (Loops that overlap by less
// than repairTolerance are accepted too; there the rules may differ.)
func TestRepairAgainstWinding(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	repaired := 0
	for range 3000 {
		ring := randomRing(r, 4+r.IntN(5))
		if toGeom(orb.MultiPolygon{{ring}}).Validate() == nil {
			continue
		}
		fixed, note, problem := checkValidity(orb.MultiPolygon{{ring}})
		if problem != "" {
			continue
		}
		if note == "" {
			t.Fatalf("ring %v repaired without a note", ring)
		}
		g := toGeom(fixed)
		if err := g.Validate(); err != nil {
			t.Fatalf("ring %v: repaired %v is invalid: %v", ring, fixed, err)
		}
		sum := 0.0
		for _, l := range splitLoops(ring) {
			sum += ringArea(l)
		}
		if d := g.Area() - sum; d > 1e-9*sum || d < -repairTolerance*sum {
			t.Fatalf("ring %v: repaired area %v, loops sum to %v", ring, g.Area(), sum)
		} else if d < -1e-9*sum {
			continue // overlapping loops, accepted within tolerance
		}
		repaired++
		// Probe points at irrational-looking offsets, which in practice never
		// lie on an edge between grid points.
		for x := 0.2137; x < 6; x += 0.5 {
			for y := 0.3119; y < 6; y += 0.5 {
				q := orb.Point{x, y}
				pt := geom.XY{X: x, Y: y}.AsPoint().AsGeometry()
				inside := geom.Intersects(g.AsGeometry(), pt)
				if want := winding(ring, q) != 0; inside != want {
					t.Fatalf("ring %v repaired to %v: point %v inside=%v, winding says %v", ring, fixed, q, inside, want)
				}
			}
		}
	}
	if repaired < 100 {
		t.Fatalf("only %d rings repaired", repaired)
	}
	t.Logf("%d random invalid rings repaired and checked", repaired)
}

func TestSplitLoops(t *testing.T) {
	for _, c := range []struct {
		name  string
		ring  orb.Ring
		loops int
		area  float64
	}{
		{"bow-tie", orb.Ring{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}, 2, 2},
		{"spike", orb.Ring{{0, 0}, {4, 0}, {4, 4}, {2, 4}, {2, 6}, {2, 4}, {0, 4}, {0, 0}}, 1, 16},
		{"duplicate vertex", orb.Ring{{0, 0}, {4, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, 1, 16},
		{"figure eight touching", orb.Ring{{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}, {0, 1}, {0, 0}}, 2, 2},
		{"pretzel", orb.Ring{{0, 0}, {4, 0}, {4, 3}, {1, 3}, {1, 1}, {3, 1}, {3, 4}, {0, 4}, {0, 0}}, 2, 19},
		{"collinear back-track", orb.Ring{{0, 0}, {4, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}, 1, 4},
	} {
		loops := splitLoops(c.ring)
		sum := 0.0
		for _, l := range loops {
			sum += ringArea(l)
			if toGeom(orb.MultiPolygon{{l}}).Validate() != nil {
				t.Errorf("%s: loop %v is not simple", c.name, l)
			}
		}
		if len(loops) != c.loops || sum != c.area {
			t.Errorf("%s: %d loops of area %v, want %d of %v: %v", c.name, len(loops), sum, c.loops, c.area, loops)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		x, y float64
		want coordProblem
	}{
		{130.7, 32.8, coordOK},
		{-180, -90, coordOK},
		{32.8, 130.7, coordSwapped},
		{-20000, -30000, coordProjected},
		{500000, 3600000, coordProjected},
		{190, 32, coordOutOfRange},
		{130, 95, coordOutOfRange},
		{nan(), 32, coordNotFinite},
	} {
		if got := classify(c.x, c.y); got != c.want {
			t.Errorf("classify(%v, %v) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

func nan() float64 { z := 0.0; return z / z }

// TestRepairNoteArea: the repair note compares the repaired area with the
// rings' area as written, worked by hand for an asymmetric bow-tie (lobes
// 1/3 and 4/3, shoelace area |4/3 − 1/3| = 1, repaired 5/3: 66.7 %).
// Before, the note always said "area changed by 0.00%".
func TestRepairNoteArea(t *testing.T) {
	const k = 0.01
	p := func(x, y float64) orb.Point { return orb.Point{130.7 + k*x, 32.8 + k*y} }
	ring := orb.Ring{p(0, 0), p(2, 2), p(2, 0), p(0, 1), p(0, 0)}
	fixed, note, problem := checkValidity(orb.MultiPolygon{{ring}})
	if problem != "" {
		t.Fatal(problem)
	}
	if len(fixed) != 2 {
		t.Errorf("%d polygons, want the 2 lobes", len(fixed))
	}
	if !strings.Contains(note, "repaired into 2 polygons") || !strings.Contains(note, "differs by 66.7%") {
		t.Errorf("note %q", note)
	}
}
