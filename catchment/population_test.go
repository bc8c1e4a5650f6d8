package catchment

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

func popSquare(x0, y0, s float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}}}
}

func TestWeightDistricts(t *testing.T) {
	// d0 is a plain square; d1 is a U whose weighted mean falls in its gap;
	// d2 has no people.
	u := orb.MultiPolygon{{{{130.1, 32}, {130.13, 32}, {130.13, 32.03}, {130.12, 32.03}, {130.12, 32.01}, {130.11, 32.01}, {130.11, 32.03}, {130.1, 32.03}, {130.1, 32}}}}
	districts := []data.District{{ID: "d0", Geometry: popSquare(130, 32, 0.02)}, {ID: "d1", Geometry: u}, {ID: "d2", Geometry: popSquare(130.2, 32, 0.01)}}
	cells := []data.PopulationCell{
		{ID: "a", Population: 100, Point: orb.Point{130.005, 32.005}},
		{ID: "b", Population: 300, Point: orb.Point{130.015, 32.005}},
		{ID: "c", Population: 60, Point: orb.Point{130.105, 32.025}},
		{ID: "d", Population: 40, Point: orb.Point{130.125, 32.025}},
		{ID: "e", Population: 7, Point: orb.Point{131, 33}}, // outside every district
	}
	s, err := WeightDistricts(districts, cells)
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 507 || s.Outside != 7 || s.CellsOut != 1 {
		t.Errorf("total %v outside %v cells out %d, want 507, 7, 1", s.Total, s.Outside, s.CellsOut)
	}
	tests := []struct {
		d        int
		pop      float64
		point    orb.Point
		weighted bool
	}{
		{0, 400, orb.Point{130.0125, 32.005}, true},
		{1, 100, orb.Point{130.105, 32.025}, true}, // mean (130.113, 32.025) is in the gap: the nearest cell, c
		{2, 0, geo.RepresentativePoint(districts[2].Geometry), false},
	}
	for _, tc := range tests {
		got := s.Districts[tc.d]
		if got.Population != tc.pop || got.Weighted != tc.weighted || math.Abs(got.Point[0]-tc.point[0]) > 1e-9 || math.Abs(got.Point[1]-tc.point[1]) > 1e-9 {
			t.Errorf("district %d = %+v, want population %v point %v weighted %v", tc.d, got, tc.pop, tc.point, tc.weighted)
		}
	}
	ds := s.WithPopulation(districts)
	if ds[0].Pop() != 400 || districts[0].Population != nil {
		t.Errorf("WithPopulation: got %v, and the input changed to %v", ds[0].Pop(), districts[0].Population)
	}
	gap, post := s.GapPopulation([]GapRow{{District: 0, Gap: true, Posts: 1}, {District: 1, Gap: false}, {District: 2, Gap: true}})
	if gap != 400 || post != 400 {
		t.Errorf("GapPopulation = %v, %v; want 400, 400", gap, post)
	}
	if _, err := WeightDistricts(districts, []data.PopulationCell{{ID: "x", Population: math.NaN()}}); err == nil {
		t.Error("NaN population: no error")
	}
}

// TestAffectedPopulationBruteForce checks the cell-level counts against a
// brute-force nearest search.
func TestAffectedPopulationBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	offices := make([]data.Office, 40)
	for i := range offices {
		offices[i] = data.Office{ID: string(rune('A' + i)), Location: orb.Point{130 + rng.Float64(), 32 + rng.Float64()}}
	}
	cells := make([]data.PopulationCell, 6000) // above parallelMin: the grid path
	for i := range cells {
		cells[i] = data.PopulationCell{Population: float64(rng.IntN(100)), Point: orb.Point{129.9 + 1.2*rng.Float64(), 31.9 + 1.2*rng.Float64()}}
	}
	closed := map[string]bool{"A": true, "C": true, "K": true}
	got, err := AffectedPopulation(cells, offices, closed, 5000)
	if err != nil {
		t.Fatal(err)
	}
	nearest := func(p orb.Point, skip map[string]bool) (int, float64) {
		best, bd := -1, math.Inf(1)
		for i, o := range offices {
			if skip[o.ID] {
				continue
			}
			if d := geo.Distance(p, o.Location); d < bd {
				best, bd = i, d
			}
		}
		return best, bd
	}
	var want PopulationImpact
	for _, c := range cells {
		b, bd := nearest(c.Point, nil)
		a, ad := nearest(c.Point, closed)
		want.Total += c.Population
		if a != b {
			want.Affected += c.Population
			want.AffectedCell++
		}
		if ad > 5000 {
			want.BeyondAfter += c.Population
		}
		if bd > 5000 {
			want.BeyondBefore += c.Population
		}
	}
	if got.Total != want.Total || got.Affected != want.Affected || got.AffectedCell != want.AffectedCell || got.BeyondAfter != want.BeyondAfter || got.BeyondBefore != want.BeyondBefore {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got.Affected == 0 || got.MeanExtraM <= 0 || got.MeanAfterM < got.MeanBeforeM {
		t.Errorf("implausible impact %+v", got)
	}
	all := map[string]bool{}
	for _, o := range offices {
		all[o.ID] = true
	}
	if _, err := AffectedPopulation(cells, offices, all, 0); err == nil {
		t.Error("all offices closed: no error")
	}
}
