package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestAreaPlanimeter compares Area with GeographicLib's Planimeter
// (testdata/geo/area.ref, see README).
func TestAreaPlanimeter(t *testing.T) {
	words, rows := readTable(t, "area.ref")
	ref := map[string]float64{}
	for i, w := range words {
		ref[w[0]] = rows[i][3]
	}
	hole := reverseRing(box(130.68, 32.78, 130.75, 32.84))
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		want float64
	}{
		{"1°×1° cell at 32N 130E", orb.MultiPolygon{{box(130, 32, 131, 33)}}, ref["cell_32N_130E"]},
		{"clockwise cell", orb.MultiPolygon{{reverseRing(box(130, 32, 131, 33))}}, ref["cell_32N_130E"]},
		{"1°×1° cell at the equator", orb.MultiPolygon{{box(0, 0, 1, 1)}}, ref["cell_0N_0E"]},
		{"1°×1° cell at 60N", orb.MultiPolygon{{box(10, 60, 11, 61)}}, ref["cell_60N_10E"]},
		{"kumamoto box with hole", orb.MultiPolygon{{box(130.60, 32.70, 130.85, 32.92), hole}},
			ref["kumamoto_outer"] - ref["kumamoto_hole"]},
		{"two parts", orb.MultiPolygon{{box(130, 32, 131, 33)}, {box(0, 0, 1, 1)}},
			ref["cell_32N_130E"] + ref["cell_0N_0E"]},
		{"empty", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == 0 && tc.name != "empty" {
				t.Fatal("reference value missing from area.ref")
			}
			got := Area(tc.mp)
			// Planimeter prints areas to 0.1 m².
			if math.Abs(got-tc.want) > 0.1+1e-12*tc.want {
				t.Errorf("Area = %.3f m², Planimeter %.1f m²", got, tc.want)
			}
		})
	}
}

// TestAreaUnclosedRing checks that closing the ring does not change the area.
func TestAreaUnclosedRing(t *testing.T) {
	closed := box(130.6, 32.7, 130.8, 32.9)
	open := closed[:len(closed)-1]
	if a, b := Area(orb.MultiPolygon{{closed}}), Area(orb.MultiPolygon{{open}}); a != b || a <= 0 {
		t.Errorf("closed %.3f m², unclosed %.3f m²", a, b)
	}
}
