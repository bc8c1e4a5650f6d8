package catchment

import (
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// DistrictPopulation is what a population layer says about one district.
type DistrictPopulation struct {
	// Population is the sum of the cells whose point lies in the district.
	Population float64
	// Cells is the number of those cells.
	Cells int
	// Point is the district's population-weighted representative point: the
	// population-weighted mean of its cells' points when that lies inside
	// the district, else the populated cell point nearest to that mean; a
	// district without population keeps geo.RepresentativePoint.
	Point orb.Point
	// Weighted is false when Point fell back to geo.RepresentativePoint.
	Weighted bool
}

// PopulationSummary is how the cells of a population layer fell on the districts.
type PopulationSummary struct {
	Total     float64 // population of all cells
	Outside   float64 // population of cells in no district
	CellsOut  int     // cells in no district
	Districts []DistrictPopulation
}

// WeightDistricts places every cell, by its point, in the district that
// contains it (the boundary rule of geo.Contains: one district per cell)
// and sums population and weighted positions per district. It runs on every
// core and is linear in cells (one point-in-polygon query each).
func WeightDistricts(districts []data.District, cells []data.PopulationCell) (PopulationSummary, error) {
	polys := make([]orb.MultiPolygon, len(districts))
	for i, d := range districts {
		polys[i] = d.Geometry
	}
	ix := geo.NewPolygonIndex(polys)
	in := make([]int32, len(cells))
	const chunk = 8192
	_ = parallelFor((len(cells)+chunk-1)/chunk, func(c int) error {
		for k := c * chunk; k < min((c+1)*chunk, len(cells)); k++ {
			in[k] = int32(ix.Locate(cells[k].Point))
		}
		return nil
	})
	s := PopulationSummary{Districts: make([]DistrictPopulation, len(districts))}
	sx := make([]float64, len(districts))
	sy := make([]float64, len(districts))
	for k, c := range cells {
		if c.Population < 0 || math.IsNaN(c.Population) || math.IsInf(c.Population, 0) {
			return PopulationSummary{}, fmt.Errorf("population cell %s: population %v is not a count ≥ 0", c.ID, c.Population)
		}
		s.Total += c.Population
		d := in[k]
		if d < 0 {
			s.Outside += c.Population
			s.CellsOut++
			continue
		}
		dp := &s.Districts[d]
		dp.Population += c.Population
		dp.Cells++
		sx[d] += c.Population * c.Point[0]
		sy[d] += c.Population * c.Point[1]
	}
	// The cells of each district, for the fallback below (counting sort).
	start := make([]int32, len(districts)+1)
	for _, d := range in {
		if d >= 0 {
			start[d+1]++
		}
	}
	for d := 1; d < len(start); d++ {
		start[d] += start[d-1]
	}
	byDistrict := make([]int32, start[len(districts)])
	fill := append([]int32(nil), start[:len(districts)]...)
	for k, d := range in {
		if d >= 0 {
			byDistrict[fill[d]] = int32(k)
			fill[d]++
		}
	}
	for d := range s.Districts {
		dp := &s.Districts[d]
		if dp.Population > 0 {
			m := orb.Point{sx[d] / dp.Population, sy[d] / dp.Population}
			if geo.Contains(districts[d].Geometry, m) {
				dp.Point, dp.Weighted = m, true
				continue
			}
			// A C-shaped or split district: the populated cell nearest to the mean.
			best, bestD := -1, math.Inf(1)
			for _, k := range byDistrict[start[d]:start[d+1]] {
				if cells[k].Population <= 0 {
					continue
				}
				if dd := geo.Distance(m, cells[k].Point); dd < bestD {
					best, bestD = int(k), dd
				}
			}
			if best >= 0 {
				dp.Point, dp.Weighted = cells[best].Point, true
				continue
			}
		}
		dp.Point = geo.RepresentativePoint(districts[d].Geometry)
	}
	return s, nil
}

// Points returns the districts' population-weighted points, one per
// district.
func (s PopulationSummary) Points() []orb.Point {
	pts := make([]orb.Point, len(s.Districts))
	for i, d := range s.Districts {
		pts[i] = d.Point
	}
	return pts
}

// WithPopulation returns a copy of districts whose Population is the
// population counted from the cells, so that Assign, Gaps and the what-if
// tables weigh districts by the population layer.
func (s PopulationSummary) WithPopulation(districts []data.District) []data.District {
	out := make([]data.District, len(districts))
	copy(out, districts)
	for i := range out {
		p := s.Districts[i].Population
		out[i].Population = &p
	}
	return out
}

// GapPopulation is the population living in gap districts (no convenience
// store), and in those a post office could cover, by the population layer.
func (s PopulationSummary) GapPopulation(gaps []GapRow) (gap, postFallback float64) {
	for _, g := range gaps {
		if g.Index < 0 || g.Index >= len(s.Districts) {
			continue
		}
		if g.Gap {
			gap += s.Districts[g.Index].Population
		}
		if g.PostFallback() {
			postFallback += s.Districts[g.Index].Population
		}
	}
	return gap, postFallback
}
