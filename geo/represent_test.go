package geo

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

// box is a closed counter-clockwise rectangular ring.
func box(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func reverseRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func TestRepresentativePoint(t *testing.T) {
	// C shape opening east around Kumamoto: its centroid is in the gap.
	cShape := orb.MultiPolygon{{{
		{130.60, 32.70}, {130.80, 32.70}, {130.80, 32.73}, {130.63, 32.73},
		{130.63, 32.87}, {130.80, 32.87}, {130.80, 32.90}, {130.60, 32.90}, {130.60, 32.70},
	}}}
	// A square with a big hole whose centroid falls in the hole.
	bigHole := orb.MultiPolygon{{box(130.6, 32.7, 130.8, 32.9), reverseRing(box(130.61, 32.71, 130.79, 32.89))}}
	// Two islands of equal size far apart: the centroid is in the sea.
	islands := orb.MultiPolygon{{box(130.5, 32.5, 130.55, 32.55)}, {box(130.9, 32.9, 130.95, 32.95)}}
	// A ring (annulus) approximated by 64 sides with an off-centre hole.
	var outer, inner orb.Ring
	for i := 0; i <= 64; i++ {
		a := 2 * math.Pi * float64(i%64) / 64
		outer = append(outer, orb.Point{130.7 + 0.1*math.Cos(a), 32.8 + 0.08*math.Sin(a)})
		inner = append(inner, orb.Point{130.71 + 0.08*math.Cos(-a), 32.8 + 0.065*math.Sin(-a)})
	}
	annulus := orb.MultiPolygon{{outer, inner}}
	// A U shape whose centroid latitude crosses it only in thin arms.
	uShape := orb.MultiPolygon{{{
		{130.60, 32.70}, {130.80, 32.70}, {130.80, 32.90}, {130.79, 32.90},
		{130.79, 32.71}, {130.61, 32.71}, {130.61, 32.90}, {130.60, 32.90}, {130.60, 32.70},
	}}}
	// A convex polygon: the centroid itself.
	square := orb.MultiPolygon{{box(130.6, 32.7, 130.8, 32.9)}}
	tests := []struct {
		name       string
		mp         orb.MultiPolygon
		wantCentre bool // the centroid itself is expected
	}{
		{"square", square, true},
		{"C shape", cShape, false},
		{"big hole", bigHole, false},
		{"islands", islands, false},
		{"annulus", annulus, false},
		{"U shape", uShape, false},
		{"clockwise square", orb.MultiPolygon{{reverseRing(box(130.6, 32.7, 130.8, 32.9))}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := RepresentativePoint(tc.mp)
			if !Contains(tc.mp, p) {
				t.Fatalf("RepresentativePoint = %v is not inside", p)
			}
			if DistanceToPolygon(tc.mp, p) != 0 {
				t.Fatalf("DistanceToPolygon(%v) is not 0", p)
			}
			if tc.wantCentre {
				c := tc.mp.Bound().Center()
				if d := Distance(p, c); d > 30 {
					t.Errorf("RepresentativePoint = %v, %.1f m from the centroid %v", p, d, c)
				}
			}
		})
	}
	if p := RepresentativePoint(nil); p != (orb.Point{}) {
		t.Errorf("RepresentativePoint(nil) = %v", p)
	}
	line := orb.MultiPolygon{{{{130, 32}, {131, 33}, {130, 32}}}}
	if p := RepresentativePoint(line); p != (orb.Point{130, 32}) {
		t.Errorf("RepresentativePoint(degenerate) = %v, want its first vertex", p)
	}
}

// TestRepresentativePointRandom checks that the point is inside for random
// star polygons with holes and several parts, and for jittered districts.
func TestRepresentativePointRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	area := orb.Bound{Min: orb.Point{130.5, 32.6}, Max: orb.Point{130.9, 33.0}}
	polys := jitteredGrid(rng, area.Min, 10, 10, 0.01, 5)
	for i := 0; i < 300; i++ {
		mp := randomGridMultiPolygon(rng, area)
		// keep parts disjoint, as MultiPolygons are
		if len(mp) > 1 && mp[0][0].Bound().Intersects(mp[1][0].Bound()) {
			mp = mp[:1]
		}
		polys = append(polys, mp)
	}
	for i, mp := range polys {
		p := RepresentativePoint(mp)
		if !Contains(mp, p) {
			t.Fatalf("polygon %d: RepresentativePoint = %v is not inside %v", i, p, mp)
		}
	}
}
