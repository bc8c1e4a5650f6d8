package catchment

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/paulmach/orb"
)

// japanPoints draws n points over Japan's extent, half of them clustered
// around 40 towns, deterministically.
func japanPoints(n int, seed uint64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, 7))
	towns := make([]orb.Point, 40)
	for i := range towns {
		towns[i] = orb.Point{129.5 + 16*rng.Float64(), 31 + 13*rng.Float64()}
	}
	pts := make([]orb.Point, n)
	for i := range pts {
		if i%2 == 0 {
			t := towns[rng.IntN(len(towns))]
			pts[i] = orb.Point{t[0] + 0.1*rng.NormFloat64(), t[1] + 0.1*rng.NormFloat64()}
		} else {
			pts[i] = orb.Point{129.5 + 16*rng.Float64(), 31 + 13*rng.Float64()}
		}
	}
	return pts
}

func scaleOffices(n int) []data.Office {
	locs := japanPoints(n, 1)
	offices := make([]data.Office, n)
	for i, p := range locs {
		offices[i] = data.Office{ID: fmt.Sprintf("o%d", i), Name: "o", Kind: data.Branch, Location: p}
	}
	return offices
}

// places turns points into places.
func places(pts []orb.Point) []Place {
	ps := make([]Place, len(pts))
	for i, p := range pts {
		ps[i] = Place{ID: fmt.Sprint(i), Location: p}
	}
	return ps
}

// TestGeodesicGridMatchesIndex checks the parallel grid used for many
// origins against one point-index query per origin.
func TestGeodesicGridMatchesIndex(t *testing.T) {
	offices := scaleOffices(300)
	pts := japanPoints(20000, 2)
	open := make([]bool, len(offices))
	for i := range open {
		open[i] = i%7 != 0
	}
	c, err := Geodesic{}.Measure(places(pts), officePlaces(offices))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Nearest(nil, open) // ≥ gridMin origins: the grid
	if err != nil {
		t.Fatal(err)
	}
	which := make([]int, 0, len(pts))
	for i := range pts {
		which = append(which, i)
	}
	for start := 0; start < len(pts); start += gridMin - 1 {
		part := which[start:min(start+gridMin-1, len(pts))] // < gridMin: the index
		want, err := c.Nearest(part, open)
		if err != nil {
			t.Fatal(err)
		}
		for k, i := range part {
			if got[i].To != want[k].To || got[i].DistanceM != want[k].DistanceM {
				t.Fatalf("point %d: grid %+v, index %+v", i, got[i], want[k])
			}
		}
	}
}

// BenchmarkAssignNation measures the nearest of 1,700 offices from 1 M
// points, the target (< 1 s on 2 cores).
func BenchmarkAssignNation(b *testing.B) {
	offices := scaleOffices(1700)
	pts := japanPoints(1_000_000, 3)
	c, err := Geodesic{}.Measure(places(pts), officePlaces(offices))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Nearest(nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
