package catchment

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// box is the counter-clockwise ring of the square [x0,x1]×[y0,y1].
func box(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func TestPolygonHoldsBorders(t *testing.T) {
	// Four unit squares around (1,1), the lower-left one with a hole
	// [0.25,0.75]², meeting at shared edges and a shared corner.
	sw := orb.Polygon{box(0, 0, 1, 1), orb.Ring{{0.25, 0.25}, {0.25, 0.75}, {0.75, 0.75}, {0.75, 0.25}, {0.25, 0.25}}}
	se := orb.Polygon{box(1, 0, 2, 1)}
	nw := orb.Polygon{box(0, 1, 1, 2)}
	ne := orb.Polygon{box(1, 1, 2, 2)}
	names := []string{"sw", "se", "nw", "ne"}
	polys := []orb.Polygon{sw, se, nw, ne}
	for _, tc := range []struct {
		q    orb.Point
		want string // the one polygon holding q, "" for none
	}{
		{orb.Point{0.1, 0.1}, "sw"},
		{orb.Point{0.5, 0.5}, ""},    // in the hole
		{orb.Point{0.25, 0.5}, ""},   // on the hole's west edge: east of it is the hole
		{orb.Point{0.75, 0.5}, "sw"}, // on its east edge: east of it is sw
		{orb.Point{0.5, 0.75}, "sw"}, // on its north edge: north of it is sw
		{orb.Point{0.5, 0.25}, ""},   // on its south edge: north of it is the hole
		{orb.Point{1, 0.5}, "se"},    // on the sw|se border
		{orb.Point{0.5, 1}, "nw"},    // on the sw/nw border
		{orb.Point{1, 1}, "ne"},      // the shared corner
		{orb.Point{0, 0.5}, "sw"},    // on sw's west edge
		{orb.Point{2, 0.5}, ""},      // on se's east edge
		{orb.Point{1.5, 2}, ""},      // on ne's north edge
		{orb.Point{1.5, 0}, "se"},    // on se's south edge
		{orb.Point{3, 3}, ""},        // far away
		{orb.Point{0.999, 0.999}, "sw"},
	} {
		var got []string
		for k, p := range polys {
			if polygonHolds(p, tc.q) {
				got = append(got, names[k])
			}
		}
		want := []string{}
		if tc.want != "" {
			want = []string{tc.want}
		}
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%v is in %v, want %v", tc.q, got, want)
		}
	}
	// Away from borders the rule agrees with orb's point-in-polygon.
	rng := rand.New(rand.NewPCG(5, 6))
	mp := orb.MultiPolygon{sw, se, nw, {orb.Ring{{1, 1}, {2, 1.2}, {1.7, 2}, {1, 1}}}}
	for range 20000 {
		q := orb.Point{rng.Float64()*2.2 - 0.1, rng.Float64()*2.2 - 0.1}
		var holds bool
		for _, p := range mp {
			holds = holds || polygonHolds(p, q)
		}
		if holds != planar.MultiPolygonContains(mp, q) {
			t.Fatalf("%v: polygonHolds %v, planar.MultiPolygonContains %v", q, holds, !holds)
		}
	}
}

func TestPointsByLonWithin(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pts := make([]orb.Point, 500)
	for i := range pts {
		pts[i] = orb.Point{rng.Float64() * 10, rng.Float64() * 10}
	}
	idx := newPointsByLon(pts)
	mp := orb.MultiPolygon{{box(1, 1, 3, 4)}, {box(5, 5, 9, 6), box(6, 5.2, 7, 5.8)}, {box(3, 4, 4, 5)}}
	var want []int
	for i, q := range pts {
		if planar.MultiPolygonContains(mp, q) {
			want = append(want, i)
		}
	}
	if got := idx.within(mp); !slices.Equal(got, want) {
		t.Errorf("within: %v\nwant %v", got, want)
	}
	if got := idx.within(nil); len(got) != 0 {
		t.Errorf("within no polygon: %v", got)
	}
}
