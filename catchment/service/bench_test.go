package service

import (
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

// nation is the synthetic nation (18,976 districts, 1,700 offices, 56,000
// stores, 24,000 post offices; no population layer) with a made-up counter
// series of three recorded years per office, its study and gaps.
func nation(b *testing.B) (*catchment.Study, *data.ServiceModel, []catchment.GapRow) {
	b.Helper()
	spec, err := synthetic.SpecFor(synthetic.Nation)
	if err != nil {
		b.Fatal(err)
	}
	g, err := synthetic.Generate(spec)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if _, err := g.WriteDir(dir, nil); err != nil {
		b.Fatal(err)
	}
	ds, _, err := data.LoadDir(dir, data.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for i, o := range ds.Offices {
		for y := 2012; y <= 2014; y++ {
			count := float64(10000 + (i*7919+y*31)%40000)
			cert := count * 0.8
			ds.Counts = append(ds.Counts, data.CounterCount{OfficeID: o.ID, Year: y, Count: count, Certificates: &cert})
		}
	}
	m, err := data.DefaultServiceModel(nil)
	if err != nil {
		b.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		b.Fatal(err)
	}
	gaps, err := s.Gaps()
	if err != nil {
		b.Fatal(err)
	}
	return s, m, gaps
}

// closeOne closes the study's first branch office.
func closeOne(b *testing.B, s *catchment.Study, gaps []catchment.GapRow) *catchment.Comparison {
	b.Helper()
	w, err := s.WhatIf()
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range s.Offices() {
		if o.Kind == data.Branch {
			c, err := w.Compare(catchment.Change{Close: []string{o.ID}}, catchment.CompareOptions{Coverage: gaps})
			if err != nil {
				b.Fatal(err)
			}
			return &c
		}
	}
	b.Fatal("no branch office")
	return nil
}

// BenchmarkHours times the opening-hours accessibility (hours a week within
// 2 km and the nearest point open on Saturday at 10:00, today and after
// closing a branch office): Kumamoto (90 districts, 339 points) and the
// synthetic nation (18,976 districts, about 82,000 points; run with
// -benchtime=3x, its set-up takes seconds).
func BenchmarkHours(b *testing.B) {
	b.Run("kumamoto", func(b *testing.B) {
		s, m, gaps := kumamoto(b)
		c := closeOne(b, s, gaps)
		for b.Loop() {
			if _, err := HoursAccess(s, m, HoursOptions{Limit: 2000, At: m.Access.At, Comparison: c, Gaps: gaps}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nation", func(b *testing.B) {
		s, m, gaps := nation(b)
		c := closeOne(b, s, gaps)
		var points int
		for b.Loop() {
			h, err := HoursAccess(s, m, HoursOptions{Limit: 2000, At: m.Access.At, Comparison: c, Gaps: gaps})
			if err != nil {
				b.Fatal(err)
			}
			points = len(h.Points)
		}
		b.ReportMetric(float64(points), "points")
	})
}

// BenchmarkAnalyse times the yearly model (projection, load shift, staff,
// costs, plan check, forecast) on Kumamoto and the nation (1,700 offices,
// 2012–2019), a branch office closed.
func BenchmarkAnalyse(b *testing.B) {
	b.Run("kumamoto", func(b *testing.B) {
		s, m, gaps := kumamoto(b)
		c := closeOne(b, s, gaps)
		for b.Loop() {
			if _, err := Analyse(s, m, Options{Counts: s.Dataset().Counts, Comparison: c, Gaps: gaps}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nation", func(b *testing.B) {
		s, m, gaps := nation(b)
		c := closeOne(b, s, gaps)
		for b.Loop() {
			if _, err := Analyse(s, m, Options{Counts: s.Dataset().Counts, Comparison: c, Gaps: gaps}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
