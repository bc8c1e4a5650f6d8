package geo

import (
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

// kumamotoCentre is Kumamoto City Hall, roughly.
var kumamotoCentre = orb.Point{130.7079, 32.8031}

// BenchmarkNearest: 1,000 offices and 1,000,000 demand points in a 100 km
// square around Kumamoto; one op is one Nearest query (ns/op is ns per
// query). Run all demand points once with -benchtime=1000000x.
func BenchmarkNearest(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	ix := NewPointIndex(randomPoints(rng, 1000, kumamotoCentre, 0.53, 0.45))
	demand := randomPoints(rng, 1000000, kumamotoCentre, 0.53, 0.45)
	b.ResetTimer()
	sum := 0
	for i := 0; i < b.N; i++ {
		sum += ix.Nearest(demand[i%len(demand)]).Index
	}
	if sum < 0 {
		b.Fatal(sum)
	}
}

// BenchmarkKNearest5 is like BenchmarkNearest with the five nearest offices.
func BenchmarkKNearest5(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	ix := NewPointIndex(randomPoints(rng, 1000, kumamotoCentre, 0.53, 0.45))
	demand := randomPoints(rng, 100000, kumamotoCentre, 0.53, 0.45)
	buf := make([]Neighbor, 0, 5)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = ix.KNearest(demand[i%len(demand)], 5, buf[:0])
	}
}

// BenchmarkPointInPolygon: 1,000 districts of 32 vertices (a jittered
// 40×25 grid of 0.01° cells, like Voronoi cells) and 100,000 points; one
// op is one Locate.
func BenchmarkPointInPolygon(b *testing.B) {
	rng := rand.New(rand.NewSource(2))
	origin := orb.Point{130.5, 32.7}
	ix := NewPolygonIndex(jitteredGrid(rng, origin, 40, 25, 0.01, 7))
	pts := make([]orb.Point, 100000)
	for i := range pts {
		pts[i] = orb.Point{origin[0] + rng.Float64()*0.4, origin[1] + rng.Float64()*0.25}
	}
	b.ReportAllocs()
	b.ResetTimer()
	found := 0
	for i := 0; i < b.N; i++ {
		if ix.Locate(pts[i%len(pts)]) >= 0 {
			found++
		}
	}
	if b.N > 1000 && found == 0 {
		b.Fatal("no point located")
	}
}

// BenchmarkContainsLongRing: Contains on one ring of 4,000 vertices.
func BenchmarkContainsLongRing(b *testing.B) {
	rng := rand.New(rand.NewSource(3))
	mp := orb.MultiPolygon{{gridStar(rng, kumamotoCentre, 4000, 0.05, 0.06, true)}}
	ix := NewPolygonIndex([]orb.MultiPolygon{mp})
	p := orb.Point{kumamotoCentre[0] + 0.01, kumamotoCentre[1] + 0.02}
	b.Run("Contains", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Contains(mp, p)
		}
	})
	b.Run("PolygonIndex", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ix.Locate(p)
		}
	})
}

func BenchmarkDistance(b *testing.B) {
	p, q := kumamotoCentre, orb.Point{130.7417, 32.7898}
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += Distance(p, q)
	}
	if s < 0 {
		b.Fatal(s)
	}
}

func BenchmarkForward(b *testing.B) {
	tm, _ := JapanPlaneRectangular(2)
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += tm.Forward(kumamotoCentre)[0]
	}
	if s > 0 {
		b.Fatal(s)
	}
}

func BenchmarkInverse(b *testing.B) {
	tm, _ := JapanPlaneRectangular(2)
	xy := tm.Forward(kumamotoCentre)
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += tm.Inverse(xy)[0]
	}
	if s < 0 {
		b.Fatal(s)
	}
}

// BenchmarkDistanceToPolygon: a 32-vertex district from a point 2 km away.
func BenchmarkDistanceToPolygon(b *testing.B) {
	rng := rand.New(rand.NewSource(4))
	mp := jitteredGrid(rng, kumamotoCentre, 1, 1, 0.01, 7)[0]
	p := orb.Point{kumamotoCentre[0] - 0.02, kumamotoCentre[1] + 0.005}
	for i := 0; i < b.N; i++ {
		DistanceToPolygon(mp, p)
	}
}

func BenchmarkArea(b *testing.B) {
	rng := rand.New(rand.NewSource(5))
	mp := jitteredGrid(rng, kumamotoCentre, 1, 1, 0.01, 7)[0]
	for i := 0; i < b.N; i++ {
		Area(mp)
	}
}
