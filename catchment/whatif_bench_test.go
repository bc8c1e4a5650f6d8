package catchment

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/paulmach/orb"
)

// bench100k is 100,000 tiny square districts with precomputed points and
// 1,000 offices over a 0.5° box around Kumamoto.
func bench100k(b *testing.B) (*WhatIf, []data.Office, []data.District, []orb.Point) {
	b.Helper()
	r := rand.New(rand.NewPCG(100, 1000))
	offices := randomOffices(r, 1000)
	ds, pts := pointDistricts(r, 100_000)
	w, err := NewWhatIf(ds, offices, pts)
	if err != nil {
		b.Fatal(err)
	}
	return w, offices, ds, pts
}

// BenchmarkCloseOne100k closes one office (a different one each time) and
// reassigns its districts incrementally: the full-service and certificate
// assignments of 100,000 districts.
func BenchmarkCloseOne100k(b *testing.B) {
	w, offices, _, _ := bench100k(b)
	b.ResetTimer()
	for i := range b.N {
		if _, err := w.Apply(Change{Close: []string{offices[i%len(offices)].ID}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareCloseOne100k is BenchmarkCloseOne100k plus the
// per-district, per-office and summary comparison with the baseline.
func BenchmarkCompareCloseOne100k(b *testing.B) {
	w, offices, _, _ := bench100k(b)
	b.ResetTimer()
	for i := range b.N {
		if _, err := w.Compare(Change{Close: []string{offices[i%len(offices)].ID}}, CompareOptions{MaxKm: 5, CertificateShare: 0.3}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenOne100k opens a new office, which re-queries the districts
// within reach of it.
func BenchmarkOpenOne100k(b *testing.B) {
	w, _, _, _ := bench100k(b)
	r := rand.New(rand.NewPCG(5, 6))
	w.Apply(Change{Open: []data.Office{{ID: "warm", Location: orb.Point{130.7, 32.8}}}}) // builds the district index
	b.ResetTimer()
	for i := range b.N {
		loc := orb.Point{130.45 + 0.5*r.Float64(), 32.55 + 0.5*r.Float64()}
		if _, err := w.Apply(Change{Open: []data.Office{{ID: fmt.Sprint("new", i), Location: loc}}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssignClosed100k is the full recompute that the incremental
// path avoids, for comparison.
func BenchmarkAssignClosed100k(b *testing.B) {
	_, offices, ds, pts := bench100k(b)
	b.ResetTimer()
	for i := range b.N {
		if _, err := Assign(ds, offices, pts, map[string]bool{offices[i%len(offices)].ID: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoadCompareChuo closes 大江 under the travel-time metric on the
// real 中央区 drive network: two multi-source searches (full service and
// certificates) and the comparison, for the embedded default districts.
func BenchmarkRoadCompareChuo(b *testing.B) {
	g := chuoGraph(b)
	ds, _, err := data.Default()
	if err != nil {
		b.Fatal(err)
	}
	w, _, err := NewWhatIfBy(ds.Districts, ds.Offices, nil, Road{Graph: g, By: network.Time})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := w.Compare(Change{Close: []string{"oe"}}, CompareOptions{MaxKm: 5}); err != nil {
			b.Fatal(err)
		}
	}
}
