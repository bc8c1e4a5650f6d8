package draw

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// TestOfficeFills: up to 23 offices each gets its own colour; more reuse
// colours, but never on one of an office's six nearest; the result depends
// only on the locations.
func TestOfficeFills(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pts := func(n int) []orb.Point {
		out := make([]orb.Point, n)
		for i := range out {
			out[i] = orb.Point{130.5 + r.Float64()*0.4, 32.6 + r.Float64()*0.4}
		}
		return out
	}
	kumamoto := pts(19)
	a, b := OfficeFills(kumamoto), OfficeFills(kumamoto)
	seen := map[[3]uint8]bool{}
	for i, c := range a {
		if c != b[i] {
			t.Fatal("not deterministic")
		}
		k := [3]uint8{c.R, c.G, c.B}
		if seen[k] {
			t.Errorf("office %d repeats colour %v", i, c)
		}
		seen[k] = true
	}
	nation := pts(1700)
	start := time.Now()
	fills := OfficeFills(nation)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("1,700 offices took %v", d)
	}
	for i := range nation {
		// its nearest office never shares its colour
		best, bd := -1, 1e18
		for j := range nation {
			if j == i {
				continue
			}
			dx, dy := nation[j][0]-nation[i][0], nation[j][1]-nation[i][1]
			if d := dx*dx + dy*dy; d < bd {
				best, bd = j, d
			}
		}
		if fills[best] == fills[i] {
			t.Errorf("offices %d and %d, nearest neighbours, share %v", i, best, fills[i])
			break
		}
	}
}

// TestGapColourStandsApart: the gap fill is far (CIELAB ΔE > 30) from the
// distance classes' colours and from the office symbols, which QGIS users
// see in layers side by side.
func TestGapColourStandsApart(t *testing.T) {
	for _, c := range append(Sequential(6), colWard, colBranch, colStore, colPost) {
		if d := labDistance(toLab(colGap), toLab(c)); d < 30 {
			t.Errorf("gap colour %v is ΔE %.0f from %v", colGap, d, c)
		}
	}
}
