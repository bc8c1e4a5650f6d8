package network

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// grid1M is a 1000×1000 road grid with 100 m spacing (about 2 million
// segments), 20% one-way.
var grid1M = gridSpec{nx: 1000, ny: 1000, stepDeg: 0.001, onewayFrac: 0.2}

func BenchmarkBuildGrid1M(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		rng := rand.New(rand.NewPCG(1, 1))
		b.StartTimer()
		bl := gridBuilder(grid1M, rng)
		if _, _, err := bl.Build(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMultiSourceGrid1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	g, _ := buildGrid(b, grid1M, rng)
	var snaps []Snap
	for i := 0; i < 19; i++ { // the city's 19 offices
		snaps = append(snaps, g.Snap(randomPoint(grid1M, rng, 0), 0))
	}
	b.ResetTimer()
	for b.Loop() {
		r := g.MultiSource(snaps, Time)
		if r.Source[0] < 0 {
			b.Fatal("node 0 unreached")
		}
	}
}

func BenchmarkSnapGrid1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	g, _ := buildGrid(b, grid1M, rng)
	g.Snap(orb.Point{130.5, 32.5}, 0) // builds the index
	b.ResetTimer()
	for b.Loop() {
		g.Snap(randomPoint(grid1M, rng, 0), 0)
	}
}

// BenchmarkSegmentIndexGrid1M measures building the snapping index, which
// the first Snap on a graph pays.
func BenchmarkSegmentIndexGrid1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	g, _ := buildGrid(b, grid1M, rng)
	b.ResetTimer()
	for b.Loop() {
		fresh := &Graph{coords: g.coords, segU: g.segU, segV: g.segV}
		fresh.segmentIndex()
	}
}

// BenchmarkIsochronesChuo draws the 5/10/15-minute service areas of the
// offices in or near 中央区 on its real drive network (car) and on its
// all-roads network (walk, 10/20/30 minutes); the search is not timed.
func BenchmarkIsochronesChuo(b *testing.B) {
	for _, tc := range []struct {
		name    string
		file    string
		profile Profile
		limits  []float64
	}{
		{"car", chuoDrive, Car, []float64{300, 600, 900}},
		{"walk", chuoWalk, Walk, []float64{600, 1200, 1800}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			g, _, err := Load(sharedFile(b, tc.file), tc.profile)
			if err != nil {
				b.Fatal(err)
			}
			facs := append(positions(chuoWardOffices), positions(chuoBranchOffices)...)
			snaps := make([]Snap, len(facs))
			for i, f := range facs {
				snaps[i] = g.Snap(f, 0)
			}
			res := g.MultiSource(snaps, Time)
			b.ResetTimer()
			for b.Loop() {
				if _, err := g.Isochrones(res, len(facs), IsochroneOptions{Limits: tc.limits}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
