package geo

import (
	"math"
	"math/rand"
	"sort"
	"testing"

	"github.com/paulmach/orb"
)

// bruteNeighbors returns every point with its geodesic distance to q, in the
// order of the PointIndex answers: nearest first, ties to the lower index.
func bruteNeighbors(pts []orb.Point, q orb.Point) []Neighbor {
	all := make([]Neighbor, len(pts))
	for i, p := range pts {
		all[i] = Neighbor{Index: i, Distance: Distance(q, p)}
	}
	sort.Slice(all, func(i, j int) bool { return less(all[i], all[j]) })
	return all
}

// randomPoints returns n points uniform in the box of half-widths dlon, dlat
// around c, plus a few duplicates to exercise ties.
func randomPoints(rng *rand.Rand, n int, c orb.Point, dlon, dlat float64) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = randomAround(rng, c, dlon, dlat)
	}
	for i := 0; i < n/100; i++ {
		pts[rng.Intn(n)] = pts[rng.Intn(n)]
	}
	return pts
}

// randomAround returns a point uniform in the box of half-widths dlon, dlat
// around c, its longitude reduced to [-180, 180).
func randomAround(rng *rand.Rand, c orb.Point, dlon, dlat float64) orb.Point {
	return orb.Point{remainder360(c[0] + (2*rng.Float64()-1)*dlon), c[1] + (2*rng.Float64()-1)*dlat}
}

// TestPointIndexBruteForce checks every query of PointIndex against a plain
// loop with Distance on random offices and demand points.
func TestPointIndexBruteForce(t *testing.T) {
	tests := []struct {
		name       string
		centre     orb.Point
		dlon, dlat float64 // half-widths of the office box, degrees
		offices    int
		queries    int
		qspread    float64 // queries spread this much wider than the offices
	}{
		// about 100 km square around Kumamoto
		{"kumamoto", orb.Point{130.7, 32.8}, 0.53, 0.45, 2000, 10000, 1.3},
		{"sparse kumamoto", orb.Point{130.7, 32.8}, 0.53, 0.45, 15, 2000, 2},
		{"hokkaido", orb.Point{142.5, 43.5}, 2, 1.5, 500, 2000, 1.5},
		{"equator", orb.Point{0, 0}, 1, 1, 500, 2000, 1.5},
		{"near pole", orb.Point{20, 80}, 10, 2, 300, 1000, 1.2},
		{"southern", orb.Point{-58, -34}, 0.5, 0.5, 300, 1000, 3},
		// long geodesics, whose poleward bulge the lower bound must allow for
		{"global sparse", orb.Point{0, 0}, 179, 80, 40, 3000, 1},
		{"japan sparse", orb.Point{137, 36}, 10, 10, 30, 3000, 1.5},
		{"antimeridian", orb.Point{180, -17}, 2, 2, 300, 2000, 1.5},
		{"bulge", orb.Point{0, 50}, 120, 35, 20, 3000, 1},
		{"polar cap", orb.Point{0, 88}, 180, 1.9, 300, 2000, 1},
	}
	if testing.Short() {
		for i := range tests {
			tests[i].queries /= 10
		}
	}
	for ti, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(100 + ti)))
			pts := randomPoints(rng, tc.offices, tc.centre, tc.dlon, tc.dlat)
			ix := NewPointIndex(pts)
			if ix.Len() != len(pts) {
				t.Fatalf("Len = %d, want %d", ix.Len(), len(pts))
			}
			var buf []Neighbor
			for qi := 0; qi < tc.queries; qi++ {
				q := randomAround(rng, tc.centre, tc.dlon*tc.qspread, tc.dlat*tc.qspread)
				if qi%10 == 0 { // exactly on an office
					q = pts[rng.Intn(len(pts))]
				}
				want := bruteNeighbors(pts, q)

				if got := ix.Nearest(q); got != want[0] {
					t.Fatalf("query %d %v: Nearest = %+v, brute force %+v", qi, q, got, want[0])
				}

				keep := func(i int) bool { return i%3 == 1 }
				var wantF Neighbor
				for _, n := range want {
					if keep(n.Index) {
						wantF = n
						break
					}
				}
				if got := ix.NearestFunc(q, keep); got != wantF {
					t.Fatalf("query %d %v: NearestFunc = %+v, brute force %+v", qi, q, got, wantF)
				}

				k := 1 + rng.Intn(12)
				buf = ix.KNearest(q, k, buf[:0])
				wantK := want[:min(k, len(want))]
				if len(buf) != len(wantK) {
					t.Fatalf("query %d: KNearest(k=%d) returned %d, want %d", qi, k, len(buf), len(wantK))
				}
				for j := range wantK {
					if buf[j] != wantK[j] {
						t.Fatalf("query %d %v: KNearest(k=%d)[%d] = %+v, brute force %+v", qi, q, k, j, buf[j], wantK[j])
					}
				}

				radius := want[min(len(want)-1, rng.Intn(20))].Distance
				switch rng.Intn(8) {
				case 0, 1:
					radius = rng.Float64() * 20000
				case 2:
					radius = rng.Float64() * 500000
				}
				got := map[int]float64{}
				ix.Within(q, radius, func(n Neighbor) bool {
					if _, dup := got[n.Index]; dup {
						t.Fatalf("query %d: Within reported %d twice", qi, n.Index)
					}
					got[n.Index] = n.Distance
					return true
				})
				wantN := 0
				for _, n := range want {
					if n.Distance > radius {
						break
					}
					wantN++
					if d, ok := got[n.Index]; !ok || d != n.Distance {
						t.Fatalf("query %d %v: Within(%.3f m) missed %+v (got %v, %v)", qi, q, radius, n, d, ok)
					}
				}
				if len(got) != wantN {
					t.Fatalf("query %d: Within(%.3f m) returned %d points, want %d", qi, radius, len(got), wantN)
				}
			}
		})
	}
}

func TestPointIndexEdgeCases(t *testing.T) {
	empty := NewPointIndex(nil)
	if n := empty.Nearest(orb.Point{130, 32}); n.Index != -1 || !math.IsInf(n.Distance, 1) {
		t.Errorf("empty Nearest = %+v", n)
	}
	if n := empty.KNearest(orb.Point{130, 32}, 3, nil); len(n) != 0 {
		t.Errorf("empty KNearest = %v", n)
	}
	ix := NewPointIndex([]orb.Point{{130.7, 32.8}, {130.8, 32.8}, {130.7, 32.8}})
	if n := ix.Nearest(orb.Point{130.7, 32.8}); n.Index != 0 || n.Distance != 0 {
		t.Errorf("tie Nearest = %+v, want index 0 at 0 m", n)
	}
	if n := ix.KNearest(orb.Point{130.7, 32.8}, 10, nil); len(n) != 3 || n[0].Index != 0 || n[1].Index != 2 || n[2].Index != 1 {
		t.Errorf("KNearest beyond Len = %+v", n)
	}
	if n := ix.NearestFunc(orb.Point{130.7, 32.8}, func(int) bool { return false }); n.Index != -1 {
		t.Errorf("NearestFunc keeping nothing = %+v", n)
	}
	if n := ix.KNearest(orb.Point{130.7, 32.8}, 0, nil); len(n) != 0 {
		t.Errorf("KNearest k=0 = %v", n)
	}
	// KNearest appends after existing content.
	prefix := []Neighbor{{Index: 99, Distance: -1}}
	if n := ix.KNearest(orb.Point{130.8, 32.8}, 1, prefix); len(n) != 2 || n[0].Index != 99 || n[1].Index != 1 {
		t.Errorf("KNearest append = %+v", n)
	}
}

// TestLowerBoundHolds checks the R-tree bound against the true geodesic
// distance to random points of random boxes, anywhere on the globe, and its
// monotonicity (a box inside another never gets a smaller bound).
func TestLowerBoundHolds(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	for i := 0; i < 200000; i++ {
		q := orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		w := []float64{0.01, 1, 30, 200}[i%4]
		lo := orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		hi := orb.Point{math.Min(180, lo[0]+rng.Float64()*w), math.Min(90, lo[1]+rng.Float64()*w/2)}
		x := orb.Point{lo[0] + rng.Float64()*(hi[0]-lo[0]), lo[1] + rng.Float64()*(hi[1]-lo[1])}
		f := newBoundFrom(q)
		lb := f.lowerBound(lo, hi)
		if d := Distance(q, x); lb > d {
			t.Fatalf("q %v, box %v–%v: bound %.3f m exceeds the distance %.3f m to %v", q, lo, hi, lb, d, x)
		}
		if pb := f.lowerBound(x, x); pb < lb {
			t.Fatalf("q %v: bound of point %v (%.3f m) below that of its box %v–%v (%.3f m)", q, x, pb, lo, hi, lb)
		}
	}
}

// TestBoxAroundHolds checks that points within the radius are in the box,
// the box taken modulo 360° in longitude.
func TestBoxAroundHolds(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for i := 0; i < 100000; i++ {
		q := orb.Point{rng.Float64()*360 - 180, rng.Float64()*178 - 89}
		radius := []float64{100, 5000, 100000, 2000000}[i%4]
		x := Destination(q, rng.Float64()*360, rng.Float64()*radius)
		min, max := BoxAround(q, radius)
		inLon := false
		for _, lon := range []float64{x[0] - 360, x[0], x[0] + 360} {
			if lon >= min[0] && lon <= max[0] {
				inLon = true
			}
		}
		if !inLon || x[1] < min[1] || x[1] > max[1] {
			t.Fatalf("q %v, radius %.0f m: %v (%.1f m away) is outside %v–%v", q, radius, x, Distance(q, x), min, max)
		}
	}
}
