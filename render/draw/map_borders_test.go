package draw

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/geo"
)

// square is a pixel-space district covering [x, x+s]×[y, y+s], with its
// vertices shifted by off (to mimic borders that only nearly meet).
func square(x, y, s, off float64) screenDistrict {
	r := []px{{x + off, y}, {x + s, y + off}, {x + s - off, y + s}, {x, y + s - off}}
	return screenDistrict{polys: [][][]px{{r}}, bound: box{x, y, x + s, y + s}}
}

func TestCatchmentBorders(t *testing.T) {
	// 2×2 squares of 100 px: left column office 0, right column office 1.
	for _, off := range []float64{0, 0.4} {
		ds := []screenDistrict{square(0, 0, 100, off), square(0, 100, 100, off), square(100, 0, 100, off), square(100, 100, 100, off)}
		br := catchmentBorders(ds, []int{0, 0, 1, 1}, 2, 1.5, 6)
		length := 0.0
		for _, line := range br.thick {
			for k := 1; k < len(line); k++ {
				a, b := line[k-1], line[k]
				length += math.Hypot(b.X-a.X, b.Y-a.Y)
				// No thick piece runs along the horizontal border y = 100
				// inside a catchment.
				if math.Abs(a.Y-100) < 1 && math.Abs(b.Y-100) < 1 {
					t.Errorf("offset %g: thick piece %v–%v along an inner border", off, a, b)
				}
			}
		}
		// Outer edge 800 px, counted once; the middle border 200 px, counted from both sides.
		if math.Abs(length-1200) > 30 {
			t.Errorf("offset %g: thick length %.0f px, want about 1200", off, length)
		}
		if len(br.adjacent[0]) != 1 || br.adjacent[0][0] != 1 || len(br.adjacent[1]) != 1 {
			t.Errorf("offset %g: adjacency %v, want 0–1", off, br.adjacent)
		}
	}
}

// TestColourOfficesNeighboursDiffer is a property test: on random planar
// grids of catchments, no two adjacent offices share a colour.
func TestColourOfficesNeighboursDiffer(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 50; trial++ {
		n := 3 + r.IntN(20)
		ds, office := []screenDistrict{}, []int{}
		for i := 0; i < 8; i++ {
			for j := 0; j < 8; j++ {
				ds = append(ds, square(float64(i)*20, float64(j)*20, 20, 0))
				office = append(office, r.IntN(n))
			}
		}
		br := catchmentBorders(ds, office, n, 1, 5)
		cols := ColourOffices(br.adjacent, len(qualitative))
		for i, nb := range br.adjacent {
			for _, j := range nb {
				if len(br.adjacent[i]) < len(qualitative) && cols[i] == cols[j] {
					t.Fatalf("trial %d: adjacent offices %d and %d share colour %d", trial, i, j, cols[i])
				}
			}
		}
	}
}

func TestClassifyDistances(t *testing.T) {
	breaks := []float64{0, 1, 2, 3, 5, 8}
	tests := []struct {
		m    float64
		want int
	}{{0, 0}, {999.9, 0}, {1000, 1}, {2999, 2}, {4999, 3}, {5000, 4}, {7999, 4}, {8000, 5}, {1e6, 5}, {-1, -1}, {math.NaN(), -1}}
	ds := make([]MapDistrict, len(tests))
	for i, tc := range tests {
		ds[i].DistanceM = tc.m
	}
	classes, idx, err := ClassifyDistances(breaks, ds)
	if err != nil {
		t.Fatal(err)
	}
	count := make([]int, len(breaks))
	for i, tc := range tests {
		if idx[i] != tc.want {
			t.Errorf("%g m: class %d, want %d", tc.m, idx[i], tc.want)
		}
		if tc.want >= 0 {
			count[tc.want]++
		}
	}
	for i, c := range classes {
		if c.Districts != count[i] {
			t.Errorf("class %s: %d districts, want %d", c.Label(), c.Districts, count[i])
		}
	}
	if classes[5].Label() != "8 km +" || classes[1].Label() != "1–2 km" {
		t.Errorf("labels %q, %q", classes[1].Label(), classes[5].Label())
	}
	for _, bad := range [][]float64{{0, 2, 1}, {0, 0}, {0, math.NaN()}, {0, math.Inf(1)}} {
		if _, _, err := ClassifyDistances(bad, ds); err == nil {
			t.Errorf("breaks %v: no error", bad)
		}
	}
}

func TestRenderMapErrors(t *testing.T) {
	md := kumamotoMapData(t, false)
	bad := md
	bad.Districts = append([]MapDistrict(nil), md.Districts...)
	bad.Districts[3].Office = len(md.Offices)
	for name, f := range map[string]func() error{
		"kind":         func() error { _, _, err := RenderMap("roads", md, MapOptions{NoFont: true}); return err },
		"empty":        func() error { _, _, err := RenderMap(MapGaps, MapData{}, MapOptions{NoFont: true}); return err },
		"office index": func() error { _, _, err := RenderMap(MapCatchments, bad, MapOptions{NoFont: true}); return err },
		"breaks": func() error {
			_, _, err := RenderMap(MapDistance, md, MapOptions{NoFont: true, Breaks: []float64{0, 3, 2}})
			return err
		},
		"width": func() error { _, _, err := RenderMap(MapGaps, md, MapOptions{NoFont: true, Width: 10}); return err },
		"dpi NaN": func() error {
			_, _, err := RenderMap(MapGaps, md, MapOptions{NoFont: true, DPI: math.NaN()})
			return err
		},
		"dpi Inf": func() error {
			_, _, err := RenderMap(MapGaps, md, MapOptions{NoFont: true, DPI: math.Inf(1)})
			return err
		},
		"lon/lat": func() error {
			_, _, err := RenderMap(MapGaps, MapData{Offices: []MapOffice{{Location: orb.Point{500000, 3600000}}}}, MapOptions{NoFont: true})
			return err
		},
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestScaleBar checks the map scale against geodesic distances: for pairs
// of offices, pixel distance / pixels-per-km matches geo.Distance within 0.5%.
func TestScaleBar(t *testing.T) {
	md := kumamotoMapData(t, false)
	m := sceneFor(t, MapCatchments, md, MapOptions{Width: 1600, Fonts: LatinFonts()})
	perKm := m.pxPerKm()
	for i := range md.Offices {
		for j := i + 1; j < len(md.Offices); j++ {
			a, b := md.Offices[i].Location, md.Offices[j].Location
			pa, pb := m.toPx(a), m.toPx(b)
			km := math.Hypot(pb.X-pa.X, pb.Y-pa.Y) / perKm
			want := geo.Distance(a, b) / 1000
			if math.Abs(km-want) > 0.005*want+0.01 {
				t.Errorf("%s–%s: %.3f km on the map, %.3f km geodesic", md.Offices[i].ID, md.Offices[j].ID, km, want)
			}
		}
	}
	for _, tc := range []struct{ max, want float64 }{{7.3, 5}, {3, 2}, {1.2, 1}, {0.7, 0.5}, {45, 20}} {
		if got := niceScale(tc.max); got != tc.want {
			t.Errorf("niceScale(%g) = %g, want %g", tc.max, got, tc.want)
		}
	}
}

// TestRender20000Layout renders the large grid once and checks its labels.
func TestRender20000Layout(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	md := gridMapData(t, 142, 1)
	_, lay, _, err := renderMap(MapCatchments, md, MapOptions{NoFont: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range lay.Labels {
		for _, o := range lay.Labels[:i] {
			if l.Box.overlaps(o.Box) {
				t.Errorf("labels %q and %q overlap", l.Text, o.Text)
			}
		}
	}
}
