package network

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// sharedData is the project's shared data folder, relative to this package.
const sharedData = "../../shared/data"

const (
	chuoDrive = "osm_overpass_roads_drive_kumamoto_chuo_2023-01-05.json"
	chuoWalk  = "osm_overpass_roads_all_kumamoto_chuo_2023-01-04.json"
)

// sharedFile returns the path of a shared data file, skipping the test
// loudly when the shared folder is absent.
func sharedFile(tb testing.TB, name string) string {
	tb.Helper()
	if _, err := os.Stat(sharedData); err != nil {
		tb.Skipf("SKIPPING: shared data folder %s is absent (%v); the real-network tests did not run", sharedData, err)
	}
	return filepath.Join(sharedData, name)
}

type office struct {
	name   string
	pos    orb.Point
	cityKm float64 // the city's published road km to the ward office; 0 for ward offices
}

// Ward offices and branch offices in or near the 中央区 network's box
// (lat 32.7544–32.8562, lon 130.6540–130.7862), as given in issue 7.
var (
	chuoWardOffices = []office{
		{"中央区役所 chuo", orb.Point{130.7079, 32.8031}, 0},
		{"東区役所 higashi", orb.Point{130.7625, 32.7815}, 0},
		{"西区役所 nishi (just outside the box)", orb.Point{130.64761, 32.77685}, 0},
	}
	chuoBranchOffices = []office{
		{"大江 oe", orb.Point{130.72509, 32.79886}, 2.5},
		{"秋津 akitsu", orb.Point{130.77330, 32.77116}, 1.5},
		{"東部 tobu", orb.Point{130.7810, 32.7990}, 2.4},
		{"花園 hanazono", orb.Point{130.69486, 32.81758}, 2.9},
		{"幸田 koda", orb.Point{130.71225, 32.76668}, 4.8},
		{"清水 shimizu", orb.Point{130.72164, 32.84134}, 5.6},
		{"龍田 tatsuda", orb.Point{130.76441, 32.84413}, 8.0},
		{"託麻 takuma", orb.Point{130.77915, 32.82791}, 7.2},
		{"南部 nanbu (just outside the box)", orb.Point{130.68626, 32.74824}, 4.4},
		{"飽田 akita", orb.Point{130.65354, 32.75444}, 4.2},
	}
)

func positions(os []office) []orb.Point {
	out := make([]orb.Point, len(os))
	for i, o := range os {
		out[i] = o.pos
	}
	return out
}

func TestChuoNetworkStats(t *testing.T) {
	for _, tc := range []struct {
		file    string
		profile Profile
	}{{chuoDrive, Car}, {chuoWalk, Walk}} {
		path := sharedFile(t, tc.file)
		start := time.Now()
		g, st, err := Load(path, tc.profile)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %s: loaded in %v: %v", tc.profile, tc.file, time.Since(start), st)
		if st.Nodes < 15000 || st.DroppedNodes > st.Nodes/10 {
			t.Errorf("%s: %d nodes kept, %d dropped: not a city network", tc.profile, st.Nodes, st.DroppedNodes)
		}
		if g.NodeCount() != st.Nodes {
			t.Errorf("graph has %d nodes, stats say %d", g.NodeCount(), st.Nodes)
		}
	}
}

// TestChuoBranchOfficeRoadKm routes every branch office the shared car
// network covers to its nearest ward office and logs the road km beside the
// city's published km. Only sane properties are asserted.
func TestChuoBranchOfficeRoadKm(t *testing.T) {
	g, _, err := Load(sharedFile(t, chuoDrive), Car)
	if err != nil {
		t.Fatal(err)
	}
	routes, snaps, err := g.NearestFacility(positions(chuoBranchOffices), positions(chuoWardOffices), nil, Road, DefaultMaxSnapM)
	if err != nil {
		t.Fatal(err)
	}
	for j, s := range snaps {
		if !s.OK {
			t.Logf("ward office %d is %.0f m from the network", j, s.DistanceM)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-36s %-10s %8s %8s %8s %6s %7s\n", "branch office", "nearest", "city km", "road km", "line km", "ratio", "snap m")
	routed := 0
	for i, r := range routes {
		o := chuoBranchOffices[i]
		if r.Facility < 0 {
			fmt.Fprintf(&b, "%-36s %-10s %8.1f %8s %8s %6s %7.0f  %s\n", o.name, "-", o.cityKm, "-", "-", "-", r.SnapM, r.Note)
			continue
		}
		routed++
		ward := strings.Fields(chuoWardOffices[r.Facility].name)[1]
		ratio := r.DistanceM / r.GeodesicM
		fmt.Fprintf(&b, "%-36s %-10s %8.1f %8.2f %8.2f %6.2f %7.0f\n", o.name, ward, o.cityKm, r.DistanceM/1000, r.GeodesicM/1000, ratio, r.SnapM)
		if r.DistanceM < r.GeodesicM-geodesicTolerance(r.GeodesicM) {
			t.Errorf("%s: road %.1f m shorter than the straight line %.1f m", o.name, r.DistanceM, r.GeodesicM)
		}
		if ratio < 1.0 || ratio > 2.5 {
			t.Errorf("%s: road/straight ratio %.2f outside 1.0–2.5", o.name, ratio)
		}
		if r.SnapM > DefaultMaxSnapM {
			t.Errorf("%s: routed with snap %.0f m", o.name, r.SnapM)
		}
	}
	t.Log(b.String())
	// The shared network is clipped to 中央区 and a small buffer, not to its
	// bounding box: only the branch offices in or at the edge of 中央区 are
	// covered; the rest must be reported, not routed.
	for i, mustRoute := range []bool{true, false, false, true} {
		if got := routes[i].Facility >= 0; got != mustRoute {
			t.Errorf("%s: routed %v, want %v", chuoBranchOffices[i].name, got, mustRoute)
		}
	}
	if routed < 2 {
		t.Errorf("only %d branch offices routed", routed)
	}
}

// TestChuoRealRoadsNeverShorter samples pairs of points over the real
// network: the road distance is never shorter than the geodesic.
func TestChuoRealRoadsNeverShorter(t *testing.T) {
	g, _, err := Load(sharedFile(t, chuoWalk), Walk)
	if err != nil {
		t.Fatal(err)
	}
	b := g.Bound()
	var pts []orb.Point
	for i := 0; i < 40; i++ {
		for j := 0; j < 40; j++ {
			pts = append(pts, orb.Point{
				b.Min[0] + (float64(i)+0.5)/40*(b.Max[0]-b.Min[0]),
				b.Min[1] + (float64(j)+0.5)/40*(b.Max[1]-b.Min[1]),
			})
		}
	}
	facs := append(positions(chuoWardOffices), positions(chuoBranchOffices)...)
	for _, m := range []Metric{Road, Time} {
		routes, _, err := g.NearestFacility(pts, facs, nil, m, 300)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i, r := range routes {
			if r.Facility < 0 {
				continue
			}
			n++
			if r.DistanceM < r.GeodesicM-geodesicTolerance(r.GeodesicM) {
				t.Fatalf("%s point %d: road %.6f m < geodesic %.6f m", m, i, r.DistanceM, r.GeodesicM)
			}
			if want := r.DistanceM / walkSpeedMS; math.Abs(r.TimeS-want) > 1e-6*want {
				t.Fatalf("%s point %d: walking time %.3f s for %.3f m", m, i, r.TimeS, r.DistanceM)
			}
			if d := geo.Distance(pts[i], facs[r.Facility]); d != r.GeodesicM {
				t.Fatalf("point %d: geodesic %v, want %v", i, r.GeodesicM, d)
			}
		}
		if n < len(pts)/3 {
			t.Errorf("%s: only %d of %d grid points routed", m, n, len(pts))
		}
	}
}

func BenchmarkChuoLoadAndAnswer(b *testing.B) {
	path := sharedFile(b, chuoDrive)
	facs := positions(chuoWardOffices)
	pts := positions(chuoBranchOffices)
	b.ReportAllocs()
	for b.Loop() {
		g, _, err := Load(path, Car)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := g.NearestFacility(pts, facs, nil, Time, 0); err != nil {
			b.Fatal(err)
		}
	}
}
