package geo

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestVoronoiCellsErrors(t *testing.T) {
	clip := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{100, 100}}
	tests := []struct {
		name  string
		sites []orb.Point
		clip  orb.Bound
		want  string // substring of the error
	}{
		{"no sites", nil, clip, "at least 2 sites, got 0"},
		{"one site", []orb.Point{{1, 1}}, clip, "at least 2 sites, got 1"},
		{"duplicate", []orb.Point{{1, 1}, {5, 5}, {1, 1}}, clip, "sites 0 and 2 are both at [1 1]"},
		{"flat clip", []orb.Point{{1, 1}, {5, 5}}, orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 0}}, "no area"},
		{"NaN site", []orb.Point{{1, 1}, {math.NaN(), 5}}, clip, "site 1 has a non-finite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := VoronoiCells(tt.sites, tt.clip)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("VoronoiCells error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestVoronoiCellsTwoSites(t *testing.T) {
	clip := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 4}}
	cells, err := VoronoiCells([]orb.Point{{8, 1}, {2, 3}}, clip)
	if err != nil {
		t.Fatal(err)
	}
	// The bisector is the line x = 5 + (y-2)/3, through (14/3, 0) and (16/3, 4).
	wantLeft := 4 * 5.0
	if a := planar.Area(cells[1]); math.Abs(a-wantLeft) > 1e-9 {
		t.Errorf("area of cell 1 = %v, want %v", a, wantLeft)
	}
	if a := planar.Area(cells[0]); math.Abs(a-(40-wantLeft)) > 1e-9 {
		t.Errorf("area of cell 0 = %v, want %v", a, 40-wantLeft)
	}
	for i, c := range cells {
		if c[0].Orientation() != orb.CCW {
			t.Errorf("cell %d is not counter-clockwise", i)
		}
		if c[0][0] != c[0][len(c[0])-1] {
			t.Errorf("cell %d ring is not closed", i)
		}
	}
}

// voronoiCase is a site layout for the property tests.
type voronoiCase struct {
	name  string
	sites []orb.Point
	clip  orb.Bound
}

func voronoiCases() []voronoiCase {
	rng := rand.New(rand.NewPCG(7, 11))
	// Projected coordinates as a UTM-like grid gives them: large offsets.
	origin := orb.Point{500000, 3630000}
	clip := orb.Bound{Min: origin, Max: orb.Point{origin[0] + 20000, origin[1] + 15000}}
	uniform := func(n int, b orb.Bound) []orb.Point {
		pts := make([]orb.Point, n)
		for i := range pts {
			pts[i] = orb.Point{
				b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]),
				b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1]),
			}
		}
		return pts
	}
	// A regular grid: many co-circular sites, the hard case for Fortune's sweep.
	var grid []orb.Point
	for i := range 8 {
		for j := range 6 {
			grid = append(grid, orb.Point{origin[0] + 1250 + 2500*float64(i), origin[1] + 1250 + 2500*float64(j)})
		}
	}
	wide := clip
	wide.Min = orb.Point{wide.Min[0] - 5000, wide.Min[1] - 5000}
	wide.Max = orb.Point{wide.Max[0] + 5000, wide.Max[1] + 5000}
	return []voronoiCase{
		{"2 sites", uniform(2, clip), clip},
		{"3 sites", uniform(3, clip), clip},
		{"collinear", []orb.Point{{origin[0] + 1000, origin[1] + 100}, {origin[0] + 5000, origin[1] + 100}, {origin[0] + 9000, origin[1] + 100}}, clip},
		{"30 sites", uniform(30, clip), clip},
		{"500 sites", uniform(500, clip), clip},
		{"grid", grid, clip},
		{"sites outside clip", uniform(60, wide), clip},
	}
}

// TestVoronoiCellsBruteForce checks the cells against the definition: every
// cell contains its site, a random point lies in the cell of its nearest
// site, and the cells tile the clip rectangle.
//
// VoronoiCells, its Fortune fast path and its half-plane fallback are each
// checked; the fast path may decline a layout but must not return wrong cells.
func TestVoronoiCellsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	impls := []struct {
		name  string
		cells func([]orb.Point, orb.Bound) ([]orb.Polygon, bool)
	}{
		{"VoronoiCells", func(s []orb.Point, b orb.Bound) ([]orb.Polygon, bool) {
			c, err := VoronoiCells(s, b)
			if err != nil {
				t.Fatal(err)
			}
			return c, true
		}},
		{"fortune", fortuneCells},
		{"halfplane", func(s []orb.Point, b orb.Bound) ([]orb.Polygon, bool) { return halfPlaneCells(s, b), true }},
	}
	for _, impl := range impls {
		for _, tc := range voronoiCases() {
			t.Run(impl.name+"/"+tc.name, func(t *testing.T) {
				cells, ok := impl.cells(tc.sites, tc.clip)
				if !ok {
					t.Logf("%s declined this layout", impl.name)
					return
				}
				checkVoronoiCells(t, rng, tc, cells)
			})
		}
	}
}

func checkVoronoiCells(t *testing.T, rng *rand.Rand, tc voronoiCase, cells []orb.Polygon) {
	t.Helper()
	{
		{
			if len(cells) != len(tc.sites) {
				t.Fatalf("got %d cells for %d sites", len(cells), len(tc.sites))
			}
			var sum float64
			for i, c := range cells {
				if len(c) == 0 {
					if tc.sites[i].X() >= tc.clip.Min[0] && tc.sites[i].X() <= tc.clip.Max[0] &&
						tc.sites[i].Y() >= tc.clip.Min[1] && tc.sites[i].Y() <= tc.clip.Max[1] {
						t.Errorf("site %d %v lies in clip but has no cell", i, tc.sites[i])
					}
					continue
				}
				if c[0].Orientation() != orb.CCW {
					t.Errorf("cell %d is not counter-clockwise", i)
				}
				if tc.clip.Contains(tc.sites[i]) && !planar.PolygonContains(c, tc.sites[i]) {
					t.Errorf("cell %d does not contain its site %v", i, tc.sites[i])
				}
				if !tc.clip.Pad(1e-6).Contains(c.Bound().Min) || !tc.clip.Pad(1e-6).Contains(c.Bound().Max) {
					t.Errorf("cell %d bound %v exceeds clip %v", i, c.Bound(), tc.clip)
				}
				sum += planar.Area(c)
			}
			clipArea := (tc.clip.Max[0] - tc.clip.Min[0]) * (tc.clip.Max[1] - tc.clip.Min[1])
			if math.Abs(sum-clipArea) > 1e-9*clipArea {
				t.Errorf("cells cover %v m², clip is %v m²", sum, clipArea)
			}

			for range 2000 {
				q := orb.Point{
					tc.clip.Min[0] + rng.Float64()*(tc.clip.Max[0]-tc.clip.Min[0]),
					tc.clip.Min[1] + rng.Float64()*(tc.clip.Max[1]-tc.clip.Min[1]),
				}
				best, second := -1, math.Inf(1)
				bestD := math.Inf(1)
				for i, s := range tc.sites {
					d := math.Hypot(q[0]-s[0], q[1]-s[1])
					if d < bestD {
						second, bestD, best = bestD, d, i
					} else if d < second {
						second = d
					}
				}
				if second-bestD < 1e-6 {
					continue // on a cell edge: either answer is right
				}
				if !planar.PolygonContains(cells[best], q) {
					t.Fatalf("point %v: nearest site is %d but its cell does not contain the point", q, best)
				}
			}
		}
	}
}

func BenchmarkVoronoiCells(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	clip := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{30000, 30000}}
	sites := make([]orb.Point, 1000)
	for i := range sites {
		sites[i] = orb.Point{rng.Float64() * 30000, rng.Float64() * 30000}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VoronoiCells(sites, clip); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVoronoiHalfPlane measures the fallback used when Fortune's sweep
// declines a layout.
func BenchmarkVoronoiHalfPlane(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	clip := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{30000, 30000}}
	sites := make([]orb.Point, 1000)
	for i := range sites {
		sites[i] = orb.Point{rng.Float64() * 30000, rng.Float64() * 30000}
	}
	b.ReportAllocs()
	for b.Loop() {
		halfPlaneCells(sites, clip)
	}
}
