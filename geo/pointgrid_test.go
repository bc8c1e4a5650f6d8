package geo

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestPointGridMatchesPointIndex checks PointGrid.Nearest against
// PointIndex.Nearest (itself checked against brute force) on clustered,
// uniform, duplicated and far-away query points.
func TestPointGridMatchesPointIndex(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		lon     [2]float64
		lat     [2]float64
		cluster bool
	}{
		{"one point", 1, [2]float64{130, 131}, [2]float64{32, 33}, false},
		{"city", 20, [2]float64{130.6, 130.8}, [2]float64{32.7, 32.9}, false},
		{"japan uniform", 1700, [2]float64{129, 146}, [2]float64{30, 46}, false},
		{"japan clustered", 1700, [2]float64{129, 146}, [2]float64{30, 46}, true},
		{"line of points", 50, [2]float64{130, 140}, [2]float64{35, 35}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.n), 9))
			gen := func() orb.Point {
				p := orb.Point{tc.lon[0] + rng.Float64()*(tc.lon[1]-tc.lon[0]), tc.lat[0] + rng.Float64()*(tc.lat[1]-tc.lat[0])}
				if tc.cluster && rng.IntN(2) == 0 {
					p = orb.Point{135 + 0.05*rng.NormFloat64(), 35 + 0.05*rng.NormFloat64()}
				}
				return p
			}
			pts := make([]orb.Point, tc.n)
			for i := range pts {
				pts[i] = gen()
			}
			if tc.n > 3 {
				pts[3] = pts[1] // a duplicate: the tie goes to index 1
			}
			g := NewPointGrid(pts)
			if g == nil {
				t.Fatal("NewPointGrid returned nil")
			}
			ix := NewPointIndex(pts)
			queries := []orb.Point{pts[0], {100, 10}, {170, 60}, {135, 35}}
			for k := 0; k < 3000; k++ {
				q := gen()
				q[0] += rng.NormFloat64()
				q[1] += rng.NormFloat64()
				queries = append(queries, q)
			}
			if tc.n > 3 {
				queries = append(queries, pts[1])
			}
			for _, q := range queries {
				got, want := g.Nearest(q), ix.Nearest(q)
				if got != want {
					t.Fatalf("query %v: grid %+v, index %+v", q, got, want)
				}
			}
		})
	}
}

func TestPointGridUnsuitable(t *testing.T) {
	for _, pts := range [][]orb.Point{
		nil,
		{{-179, 10}, {179, 10}},
		{{0, 88}, {10, 80}},
	} {
		if g := NewPointGrid(pts); g != nil {
			t.Errorf("NewPointGrid(%v) = grid, want nil", pts)
		}
	}
}

func BenchmarkPointGridNearest(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	pts := make([]orb.Point, 1700)
	for i := range pts {
		pts[i] = orb.Point{129 + 17*rng.Float64(), 30 + 16*rng.Float64()}
	}
	g := NewPointGrid(pts)
	ix := NewPointIndex(pts)
	qs := make([]orb.Point, 4096)
	for i := range qs {
		qs[i] = orb.Point{129 + 17*rng.Float64(), 30 + 16*rng.Float64()}
	}
	b.Run("grid", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			g.Nearest(qs[i%len(qs)])
		}
	})
	b.Run("rtree", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ix.Nearest(qs[i%len(qs)])
		}
	})
}
