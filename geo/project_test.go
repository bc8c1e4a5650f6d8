package geo

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

// TestPlaneRectangularPROJ compares Forward and Inverse with PROJ's cs2cs
// (EPSG:6668 to EPSG:6669+zone-1; testdata/geo/planerect.ref, see README).
func TestPlaneRectangularPROJ(t *testing.T) {
	_, rows := readTable(t, "planerect.ref")
	const tolM = 1e-3
	worst := 0.0
	for i, r := range rows {
		zone, lat, lon, x, y := int(r[0]), r[1], r[2], r[3], r[4]
		tm, err := JapanPlaneRectangular(zone)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		got := tm.Forward(orb.Point{lon, lat})
		e := math.Hypot(got[0]-y, got[1]-x)
		worst = math.Max(worst, e)
		if e > tolM {
			t.Errorf("line %d zone %d (%v, %v): Forward = E %.6f N %.6f, cs2cs E %.6f N %.6f (%.3g m off)",
				i+1, zone, lat, lon, got[0], got[1], y, x, e)
		}
		back := tm.Inverse(orb.Point{y, x})
		if d := Distance(back, orb.Point{lon, lat}); d > tolM {
			t.Errorf("line %d zone %d: Inverse(E %.6f N %.6f) = %v, %.3g m from (%v, %v)", i+1, zone, y, x, back, d, lat, lon)
		}
	}
	t.Logf("%d cs2cs points, worst Forward error %.3g m", len(rows), worst)
}

func TestTransverseMercatorRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for zone := 1; zone <= 19; zone++ {
		tm, err := JapanPlaneRectangular(zone)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 500; i++ {
			// up to about 900 km from the central meridian
			p := orb.Point{tm.Lon0 + rng.Float64()*18 - 9, tm.Lat0 + rng.Float64()*16 - 8}
			q := tm.Inverse(tm.Forward(p))
			if d := Distance(p, q); d > 1e-6 {
				t.Fatalf("zone %d: %v → %v → %v, %.3g m off", zone, p, tm.Forward(p), q, d)
			}
		}
	}
}

// TestTransverseMercatorScale checks the projection against geodesic
// distances: scale k0 on the central meridian, and at easting x the
// standard TM scale k0·(1 + x²/2R²) to first order.
func TestTransverseMercatorScale(t *testing.T) {
	tm := LocalProjection(orb.Bound{Min: orb.Point{130.5, 32.6}, Max: orb.Point{130.9, 33.0}})
	if o := tm.Forward(orb.Point{130.7, 32.8}); math.Hypot(o[0], o[1]) > 1e-6 {
		t.Errorf("origin projects to %v, want {0, 0}", o)
	}
	tests := []struct {
		name string
		a, b orb.Point
		tol  float64 // relative
	}{
		{"meridian 1 km", orb.Point{130.7, 32.8}, orb.Point{130.7, 32.809}, 1e-8},
		{"east-west at centre", orb.Point{130.695, 32.8}, orb.Point{130.705, 32.8}, 1e-8},
		{"30 km east", orb.Point{131.02, 32.8}, orb.Point{131.03, 32.8}, 1e-8},
		{"100 km east, diagonal", orb.Point{131.77, 32.8}, orb.Point{131.78, 32.81}, 1e-7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pa, pb := tm.Forward(tc.a), tm.Forward(tc.b)
			planar := math.Hypot(pb[0]-pa[0], pb[1]-pa[1])
			geod := Distance(tc.a, tc.b)
			x := (pa[0] + pb[0]) / 2
			want := geod * (1 + x*x/(2*6371000.0*6371000.0))
			if math.Abs(planar-want)/want > tc.tol {
				t.Errorf("planar %.6f m, geodesic %.6f m, expected scale gives %.6f m", planar, geod, want)
			}
		})
	}
}

func TestJapanPlaneRectangular(t *testing.T) {
	tests := []struct {
		zone     int
		lat, lon float64
		wantErr  bool
	}{
		{1, 33, 129.5, false},
		{2, 33, 131, false},
		{9, 36, 139 + 50.0/60, false},
		{19, 26, 154, false},
		{0, 0, 0, true},
		{20, 0, 0, true},
	}
	for _, tc := range tests {
		tm, err := JapanPlaneRectangular(tc.zone)
		if (err != nil) != tc.wantErr {
			t.Errorf("zone %d: err = %v, want error %v", tc.zone, err, tc.wantErr)
			continue
		}
		if err == nil && (tm.Lat0 != tc.lat || tm.Lon0 != tc.lon || tm.K0 != 0.9999 || tm.FalseEasting != 0 || tm.FalseNorthing != 0) {
			t.Errorf("zone %d = %+v", tc.zone, tm)
		}
	}
}

func TestPlaneRectangularZoneForEPSG(t *testing.T) {
	tests := []struct {
		code, zone int
		ok         bool
	}{
		{6669, 1, true}, {6670, 2, true}, {6687, 19, true},
		{2443, 1, true}, {2444, 2, true}, {2461, 19, true},
		{6668, 0, false}, {6688, 0, false}, {2442, 0, false}, {2462, 0, false},
		{4326, 0, false}, {3857, 0, false},
	}
	for _, tc := range tests {
		zone, ok := PlaneRectangularZoneForEPSG(tc.code)
		if zone != tc.zone || ok != tc.ok {
			t.Errorf("PlaneRectangularZoneForEPSG(%d) = %d, %v; want %d, %v", tc.code, zone, ok, tc.zone, tc.ok)
		}
	}
}
