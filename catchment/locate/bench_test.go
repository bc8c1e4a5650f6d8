package locate

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

// nationStudy generates the synthetic nation (18,976 districts, 1,700
// offices, 394,049 population cells), writes and loads it as `catchment
// --data` does, and makes its study with population-weighted points.
func nationStudy(b *testing.B) *catchment.Study {
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
	cells, _, err := data.LoadPopulation(filepath.Join(dir, synthetic.PopulationFile), data.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{Population: cells})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Costs(); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkNationPMedian solves the p-median K = 850 on the synthetic
// nation, with the 425 ward offices kept and with none kept (60 s time
// limit). Run with -benchtime=1x: setting up the nation takes seconds.
// It reports the gap, whether the plan is proven optimal, and the seconds
// the solve took (also in ns/op).
func BenchmarkNationPMedian(b *testing.B) {
	s := nationStudy(b)
	for _, tc := range []struct {
		name string
		kind data.OfficeKind
	}{{"wards-kept", data.Ward}, {"none-kept", ""}} {
		b.Run(tc.name, func(b *testing.B) {
			p, err := FromStudy(s, StudyOptions{KeepKind: tc.kind})
			if err != nil {
				b.Fatal(err)
			}
			var sol *Solution
			for b.Loop() {
				if sol, err = Solve(b.Context(), p, Options{Model: PMedian, K: 850, TimeLimit: time.Minute}); err != nil {
					b.Fatal(err)
				}
			}
			optimal := 0.0
			if sol.Optimal {
				optimal = 1
			}
			b.ReportMetric(100*sol.Gap, "gap%")
			b.ReportMetric(optimal, "optimal")
			b.ReportMetric(float64(sol.Nodes), "nodes")
		})
	}
}

// BenchmarkORLib solves OR-Library instances from ../shared/data (the
// largest, and two with small p whose trees are deepest).
func BenchmarkORLib(b *testing.B) {
	for _, name := range []string{"pmed40", "pmed36", "pmed39"} {
		b.Run(name, func(b *testing.B) {
			p, in := orlibProblem(b, name)
			for _, model := range []Model{PMedian, PCenter} {
				b.Run(string(model), func(b *testing.B) {
					var sol *Solution
					for b.Loop() {
						sol = solve(b, p, Options{Model: model, K: in.P, TimeLimit: time.Minute})
					}
					if !sol.Optimal {
						b.Errorf("%s %s: not proven optimal (gap %g)", name, model, sol.Gap)
					}
					b.ReportMetric(float64(sol.Nodes), "nodes")
				})
			}
		})
	}
}
