package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// angleDiff is the difference of two azimuths in degrees, in [0, 180].
func angleDiff(a, b float64) float64 {
	d := math.Abs(math.Mod(a-b, 360))
	return math.Min(d, 360-d)
}

// TestDistanceGeographicLib compares Distance, Inverse and Destination with
// GeographicLib's GeodSolve (testdata/geo/geodesic.ref, see its README).
func TestDistanceGeographicLib(t *testing.T) {
	_, rows := readTable(t, "geodesic.ref")
	const tolM = 1e-3 // 1 mm
	worst := 0.0
	for i, r := range rows {
		lat1, lon1, azi1, lat2, lon2, azi2, s12 := r[0], r[1], r[2], r[3], r[4], r[5], r[6]
		a, b := orb.Point{lon1, lat1}, orb.Point{lon2, lat2}
		d := Distance(a, b)
		worst = math.Max(worst, math.Abs(d-s12))
		if math.Abs(d-s12) > tolM {
			t.Errorf("line %d: Distance(%v, %v) = %.6f m, GeodSolve %.6f m", i+1, a, b, d, s12)
		}
		d2, z1, z2 := Inverse(a, b)
		if d2 != d {
			t.Errorf("line %d: Inverse distance %.9f differs from Distance %.9f", i+1, d2, d)
		}
		if s12 > 0 && (angleDiff(z1, azi1) > 1e-7 || angleDiff(z2, azi2) > 1e-7) {
			t.Errorf("line %d: azimuths %.10f %.10f, GeodSolve %.10f %.10f", i+1, z1, z2, azi1, azi2)
		}
		// Direct problem from the reference azimuth lands on the far point.
		if got := Destination(a, azi1, s12); Distance(got, b) > tolM {
			t.Errorf("line %d: Destination = %v, %.6f m from %v", i+1, got, Distance(got, b), b)
		}
	}
	t.Logf("%d GeodSolve lines, worst distance error %.3g m", len(rows), worst)
}

func TestDistanceSymmetricAndZero(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Point
	}{
		{"kumamoto", orb.Point{130.7079, 32.8031}, orb.Point{130.7417, 32.7898}},
		{"equator", orb.Point{0, 0}, orb.Point{1, 0}},
		{"pole", orb.Point{0, 90}, orb.Point{100, 89}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := Distance(tc.a, tc.a); d != 0 {
				t.Errorf("Distance to itself = %g", d)
			}
			if d1, d2 := Distance(tc.a, tc.b), Distance(tc.b, tc.a); math.Abs(d1-d2) > 1e-9 {
				t.Errorf("asymmetric: %.9f vs %.9f", d1, d2)
			}
		})
	}
}
