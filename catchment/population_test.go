package catchment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
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
	gap, post := s.GapPopulation([]GapRow{{Index: 0, Gap: true, Posts: 1}, {Index: 1, Gap: false}, {Index: 2, Gap: true}})
	if gap != 400 || post != 400 {
		t.Errorf("GapPopulation = %v, %v; want 400, 400", gap, post)
	}
	if _, err := WeightDistricts(districts, []data.PopulationCell{{ID: "x", Population: math.NaN()}}); err == nil {
		t.Error("NaN population: no error")
	}
}

// TestStudyWithPopulation checks that a study weights its districts by a
// population layer: populations, representative points, the assignment
// measured from those points, and a warning about cells in no district.
func TestStudyWithPopulation(t *testing.T) {
	districts := gridDistricts(4)
	rng := rand.New(rand.NewPCG(5, 6))
	cells := make([]data.PopulationCell, 3000)
	for i := range cells {
		cells[i] = data.PopulationCell{ID: fmt.Sprint(i), Population: float64(rng.IntN(100)),
			Point: orb.Point{130.45 + 0.5*rng.Float64(), 32.55 + 0.5*rng.Float64()}}
	}
	offices := randomOffices(rng, 6)
	s := studyOf(t, districts, offices, Options{Population: cells})
	ps, err := WeightDistricts(districts, cells)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Points(), ps.Points()) || s.Population() == nil {
		t.Fatal("the study's points are not the population-weighted ones")
	}
	for i, d := range s.Districts() {
		if d.Pop() != ps.Districts[i].Population {
			t.Errorf("district %s: population %v, want %v", d.ID, d.Pop(), ps.Districts[i].Population)
		}
	}
	if districts[0].Population != nil && *districts[0].Population == s.Districts()[0].Pop() {
		t.Error("the input districts changed")
	}
	a, err := s.Assign()
	if err != nil {
		t.Fatal(err)
	}
	for i, da := range a.Districts {
		if da.Point != ps.Districts[i].Point {
			t.Fatalf("district %d measured from %v, want the weighted point %v", i, da.Point, ps.Districts[i].Point)
		}
		best, bestD := bruteNearest(da.Point, offices, func(int) bool { return true })
		if da.OfficeIndex != best || math.Abs(da.DistanceM-bestD) > 1e-6 {
			t.Fatalf("district %d: office %d at %.3f m, brute force %d at %.3f m", i, da.OfficeIndex, da.DistanceM, best, bestD)
		}
	}
	if a.Population != ps.Total-ps.Outside {
		t.Errorf("assigned population %v, want %v", a.Population, ps.Total-ps.Outside)
	}
	ws := s.Warnings()
	if ps.CellsOut == 0 || len(ws) != 1 || !strings.Contains(ws[0].Message, "lie in no district") {
		t.Errorf("warnings %v (%d cells outside)", ws, ps.CellsOut)
	}
}
