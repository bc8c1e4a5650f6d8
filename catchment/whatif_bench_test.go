package catchment

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/paulmach/orb"
)

// bench100k is 100,000 tiny square districts with precomputed points and
// 1,000 offices over a 0.5° box around Kumamoto.
func bench100k(b *testing.B) (*WhatIf, []data.Office, []data.District, []orb.Point) {
	b.Helper()
	r := rand.New(rand.NewPCG(100, 1000))
	offices := randomOffices(r, 1000)
	ds, _ := fixture.PointDistricts(r, 100_000)
	w := whatIfOf(b, ds, offices)
	return w, offices, ds, w.points
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

// BenchmarkOpenOne100k opens a new office, which measures every district
// against it.
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
	_, offices, ds, _ := bench100k(b)
	s := studyOf(b, ds, offices)
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Assign(offices[i%len(offices)].ID); err != nil {
			b.Fatal(err)
		}
	}
}
