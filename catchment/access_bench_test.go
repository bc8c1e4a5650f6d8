package catchment

import (
	"testing"

	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

// BenchmarkAccessNation times the accessibility indices on the synthetic
// nation (18,976 population-weighted districts, 1,700 offices) from a
// fresh study: measuring the pairs within the catchment and both steps.
// The study (population weighting) is built outside the timer. Run with
// -benchtime=3x: setting up the nation takes seconds.
func BenchmarkAccessNation(b *testing.B) {
	ds, cells := loadScale(b, synthetic.Nation)
	for _, bc := range []struct {
		name string
		opt  AccessOptions
	}{
		{"e2sfca-step-10km", AccessOptions{Method: AccessE2SFCA, Catchment: 10000, Supply: SupplyNone}},
		{"e2sfca-gaussian-10km", AccessOptions{Method: AccessE2SFCA, Decay: DecayGaussian, Catchment: 10000, Supply: SupplyNone}},
		{"2sfca-10km", AccessOptions{Method: Access2SFCA, Catchment: 10000, Supply: SupplyNone}},
		{"gravity2sfca-cut-30km", AccessOptions{Method: AccessGravity2SFCA, Beta: 1, Scale: 1000, Min: 100, Catchment: 30000, Supply: SupplyNone}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var pairs int
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s, err := NewStudy(ds, Options{Population: cells})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				a, err := s.Access(bc.opt)
				if err != nil {
					b.Fatal(err)
				}
				pairs = 0
				for _, d := range a.Districts {
					pairs += d.OfficesReached
				}
			}
			b.ReportMetric(float64(pairs), "pairs")
		})
	}
}

// BenchmarkAccessCompareNation times a what-if on the nation: closing one
// office and comparing every district, pairs already measured.
func BenchmarkAccessCompareNation(b *testing.B) {
	ds, cells := loadScale(b, synthetic.Nation)
	s, err := NewStudy(ds, Options{Population: cells})
	if err != nil {
		b.Fatal(err)
	}
	opt := AccessOptions{Method: AccessE2SFCA, Catchment: 10000, Supply: SupplyNone}
	m, err := s.newAccessModel(opt)
	if err != nil {
		b.Fatal(err)
	}
	before, err := m.baseline()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.compare(before, Change{Close: []string{ds.Offices[i%len(ds.Offices)].ID}}); err != nil {
			b.Fatal(err)
		}
	}
}
