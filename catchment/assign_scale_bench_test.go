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

// TestAssignParallelMatchesSerial checks the parallel split against one
// serial search over the same points.
func TestAssignParallelMatchesSerial(t *testing.T) {
	offices := scaleOffices(300)
	pts := japanPoints(20000, 2)
	locs := make([]orb.Point, len(offices))
	for i, o := range offices {
		locs[i] = o.Location
	}
	open := make([]bool, len(locs))
	for i := range open {
		open[i] = i%7 != 0
	}
	want, _, err := Geodesic{}.Nearest(pts, locs, open)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := nearestParallel(Geodesic{}, pts, locs, open)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d reaches, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Facility != want[i].Facility || got[i].DistanceM != want[i].DistanceM {
			t.Fatalf("point %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// BenchmarkAssignNation assigns 1 M points to 1,700 offices, the issue's
// target (< 1 s on 2 cores).
func BenchmarkAssignNation(b *testing.B) {
	offices := scaleOffices(1700)
	pts := japanPoints(1_000_000, 3)
	districts := make([]data.District, len(pts))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Assign(districts, offices, pts, nil); err != nil {
			b.Fatal(err)
		}
	}
}
