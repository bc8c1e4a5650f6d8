package geo

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

// bruteDistanceToPolygon measures the geodesic distance from p to every
// edge, straight in lon/lat, by sampling each edge at 17 points and then
// refining around the best sample by golden-section search. It ignores
// containment.
func bruteDistanceToPolygon(mp orb.MultiPolygon, p orb.Point) float64 {
	best := math.Inf(1)
	at := func(a, b orb.Point, s float64) float64 {
		return Distance(p, orb.Point{a[0] + s*(b[0]-a[0]), a[1] + s*(b[1]-a[1])})
	}
	for _, poly := range mp {
		for _, r := range poly {
			for i := range r {
				a, b := r[(i+len(r)-1)%len(r)], r[i]
				const n = 16
				bi, bd := 0, math.Inf(1)
				for k := 0; k <= n; k++ {
					if d := at(a, b, float64(k)/n); d < bd {
						bi, bd = k, d
					}
				}
				lo, hi := math.Max(0, float64(bi-1)/n), math.Min(1, float64(bi+1)/n)
				const g = 0.6180339887498949
				for it := 0; it < 50; it++ {
					m1, m2 := hi-g*(hi-lo), lo+g*(hi-lo)
					if at(a, b, m1) < at(a, b, m2) {
						hi = m2
					} else {
						lo = m1
					}
				}
				best = math.Min(best, math.Min(bd, at(a, b, (lo+hi)/2)))
			}
		}
	}
	return best
}

func TestDistanceToPolygon(t *testing.T) {
	sq := orb.MultiPolygon{{box(130.70, 32.80, 130.71, 32.81), reverseRing(box(130.703, 32.803, 130.707, 32.807))}}
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		p    orb.Point
		want float64 // metres; -1: compare with brute force only
	}{
		{"inside", sq, orb.Point{130.701, 32.801}, 0},
		{"on the west edge (inside by the rule)", sq, orb.Point{130.70, 32.805}, 0},
		{"due north of the top edge", sq, orb.Point{130.705, 32.82}, Distance(orb.Point{130.705, 32.82}, orb.Point{130.705, 32.81})},
		{"due south of a corner", sq, orb.Point{130.70, 32.79}, Distance(orb.Point{130.70, 32.79}, orb.Point{130.70, 32.80})},
		{"diagonal from a corner", sq, orb.Point{130.72, 32.82}, Distance(orb.Point{130.72, 32.82}, orb.Point{130.71, 32.81})},
		{"in the hole", sq, orb.Point{130.705, 32.8055}, -1},
		{"far away", sq, orb.Point{131.5, 33.5}, -1},
		{"empty", nil, orb.Point{130, 32}, math.Inf(1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DistanceToPolygon(tc.mp, tc.p)
			want := tc.want
			if want < 0 {
				want = bruteDistanceToPolygon(tc.mp, tc.p)
			}
			if math.IsInf(want, 1) {
				if !math.IsInf(got, 1) {
					t.Errorf("DistanceToPolygon = %v, want +Inf", got)
				}
				return
			}
			if math.Abs(got-want) > 1e-3 {
				t.Errorf("DistanceToPolygon = %.4f m, want %.4f m", got, want)
			}
		})
	}
}

// TestDistanceToPolygonBruteForce compares DistanceToPolygon with the
// sampled geodesic search on random districts and points up to 30 km away.
func TestDistanceToPolygonBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	area := orb.Bound{Min: orb.Point{130.5, 32.6}, Max: orb.Point{130.9, 33.0}}
	polys := jitteredGrid(rng, area.Min, 4, 4, 0.01, 5)
	n := 25
	if testing.Short() {
		n = 8
	}
	for i := 0; i < n; i++ {
		polys = append(polys, randomGridMultiPolygon(rng, area)[:1])
	}
	worst, worstLong := 0.0, 0.0
	for i, mp := range polys {
		b := mp.Bound()
		for k := 0; k < 15; k++ {
			spread := []float64{0.001, 0.01, 0.3}[k%3]
			p := orb.Point{b.Min[0] - spread + rng.Float64()*(b.Max[0]-b.Min[0]+2*spread),
				b.Min[1] - spread + rng.Float64()*(b.Max[1]-b.Min[1]+2*spread)}
			got := DistanceToPolygon(mp, p)
			if Contains(mp, p) {
				if got != 0 {
					t.Fatalf("polygon %d: %v is inside but DistanceToPolygon = %v", i, p, got)
				}
				continue
			}
			want := bruteDistanceToPolygon(mp, p)
			e := got - want
			// districts have edges under 2 km; the random stars up to 15 km
			if i < 16 {
				worst = math.Max(worst, math.Abs(e))
			} else {
				worstLong = math.Max(worstLong, math.Abs(e))
			}
			if e < -1e-6 || e > 1e-3 {
				t.Errorf("polygon %d, %v: DistanceToPolygon = %.4f m, brute force %.4f m", i, p, got, want)
			}
		}
	}
	t.Logf("worst error %.3g m on districts, %.3g m on polygons with long edges", worst, worstLong)
}
