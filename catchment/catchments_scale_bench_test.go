package catchment

import (
	"path/filepath"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

// loadScale generates a synthetic study area, writes it and loads it back
// as the CLI does, with its population layer.
func loadScale(b testing.TB, s synthetic.Scale) (*data.Dataset, []data.PopulationCell) {
	b.Helper()
	spec, err := synthetic.SpecFor(s)
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
	cells, _, err := data.LoadPopulation(filepath.Join(dir, synthetic.PopulationFile), data.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return ds, cells
}

// BenchmarkScale times the report's analyses on the synthetic prefecture
// and nation (19,000 districts, 1,700 offices, 394,000 cells); run with
// -benchtime=1x: the nation takes seconds to set up.
func BenchmarkScale(b *testing.B) {
	for _, s := range []synthetic.Scale{synthetic.Prefecture, synthetic.Nation} {
		b.Run(string(s), func(b *testing.B) {
			ds, cells := loadScale(b, s)
			study := func() *Study {
				st, err := NewStudy(ds, Options{})
				if err != nil {
					b.Fatal(err)
				}
				return st
			}
			warm := study()
			if _, err := warm.Assign(); err != nil {
				b.Fatal(err)
			}
			cellPlaces := make([]Place, len(cells))
			for i, c := range cells {
				cellPlaces[i] = Place{ID: c.ID, Location: c.Point}
			}
			steps := []struct {
				name string
				run  func() error
			}{
				{"assign", func() error { _, err := study().Assign(); return err }},
				{"gaps", func() error { _, err := study().Gaps(); return err }},
				{"dissolve", func() error { _, err := warm.Catchments(Dissolve); return err }},
				{"voronoi", func() error { _, err := warm.Catchments(Voronoi); return err }},
				{"whatif-each", func() error {
					w, err := warm.WhatIf()
					if err != nil {
						return err
					}
					_, err = w.Each(data.Branch, CompareOptions{MaxKm: 5})
					return err
				}},
				{"weight-districts", func() error { _, err := WeightDistricts(ds.Districts, cells); return err }},
				{"cells-nearest", func() error {
					c, err := Geodesic{}.Measure(cellPlaces, officePlaces(ds.Offices))
					if err != nil {
						return err
					}
					_, err = c.Nearest(nil, nil)
					return err
				}},
			}
			for _, st := range steps {
				b.Run(st.name, func(b *testing.B) {
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						if err := st.run(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
