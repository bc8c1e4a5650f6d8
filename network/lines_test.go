package network

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

// osmLines reads an Overpass JSON file as a line layer would carry it: one
// line per way the profile uses, with the direction and speed the profile
// gives the way.
func osmLines(t testing.TB, path string, p Profile) []Line {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Elements []struct {
			Type  string            `json:"type"`
			ID    int64             `json:"id"`
			Lat   float64           `json:"lat"`
			Lon   float64           `json:"lon"`
			Nodes []int64           `json:"nodes"`
			Tags  map[string]string `json:"tags"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	// OSM keeps apart distinct nodes at one position (a bridge over a
	// road); a line layer has only positions, so move such a twin by 1e-7°
	// (about 1 cm), out of the 1 mm joining tolerance used below.
	nodes := map[int64]orb.Point{}
	taken := map[orb.Point]bool{}
	for _, e := range doc.Elements {
		if e.Type == "node" {
			q := orb.Point{e.Lon, e.Lat}
			for taken[q] {
				q[0] += 1e-7
			}
			taken[q] = true
			nodes[e.ID] = q
		}
	}
	var lines []Line
	for _, e := range doc.Elements {
		if e.Type != "way" {
			continue
		}
		r, ok := p.rule(func(k string) string { return e.Tags[k] })
		if !ok {
			continue
		}
		// A way clipped at the extract's border: keep its pieces between
		// missing nodes, as the OSM reader does.
		var cur orb.LineString
		flush := func() {
			if len(cur) >= 2 {
				lines = append(lines, Line{Points: cur, Oneway: r.dir, SpeedKmh: r.speedKmh})
			}
			cur = nil
		}
		for _, id := range e.Nodes {
			q, ok := nodes[id]
			if !ok {
				flush()
				continue
			}
			cur = append(cur, q)
		}
		flush()
	}
	return lines
}

// TestFromLinesMatchesOSM builds the same roads twice, from OpenStreetMap
// and as a line layer joined at every vertex, and checks that every route
// agrees.
func TestFromLinesMatchesOSM(t *testing.T) {
	files := []string{filepath.Join(fixtures, "small.json")}
	if chuo := filepath.Join(sharedData, chuoDrive); fileExists(chuo) {
		files = append(files, chuo)
	} else {
		t.Logf("SKIPPING the 中央区 network (%s is absent): only the hand-made one is compared", chuo)
	}
	for _, file := range files {
		for _, p := range []Profile{Car, Walk} {
			osm, _, err := Load(file, p)
			if err != nil {
				t.Fatal(err)
			}
			lines := osmLines(t, file, p)
			g, st, err := FromLines(lines, p, LineOptions{NodeAtVertices: true, NodeToleranceM: 0.001})
			if err != nil {
				t.Fatal(err)
			}
			if g.NodeCount() != osm.NodeCount() || g.EdgeCount() != osm.EdgeCount() {
				t.Errorf("%s %s: lines give %d nodes %d edges, OSM %d %d (%s)", filepath.Base(file), p, g.NodeCount(), g.EdgeCount(), osm.NodeCount(), osm.EdgeCount(), st)
			}
			r := rand.New(rand.NewPCG(3, 4))
			bd := osm.Bound()
			rp := func() orb.Point {
				return orb.Point{bd.Min[0] + r.Float64()*(bd.Max[0]-bd.Min[0]), bd.Min[1] + r.Float64()*(bd.Max[1]-bd.Min[1])}
			}
			var pts, facs []orb.Point
			for range 300 {
				pts = append(pts, rp())
			}
			for range 5 {
				facs = append(facs, rp())
			}
			for _, m := range []Metric{Road, Time} {
				want, _, err := osm.NearestFacility(pts, facs, nil, m, 5000)
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := g.NearestFacility(pts, facs, nil, m, 5000)
				if err != nil {
					t.Fatal(err)
				}
				for i := range want {
					w, gt := want[i], got[i]
					// 5 cm and 5 ms: the twins moved by 1 cm.
					if w.Facility != gt.Facility || !closeAbs(w.DistanceM, gt.DistanceM, 0.05) || !closeAbs(w.TimeS, gt.TimeS, 0.005) {
						t.Fatalf("%s %s %s: point %d: lines %+v, OSM %+v", filepath.Base(file), p, m, i, gt, w)
					}
				}
			}
		}
	}
}

// closeAbs compares two route figures to an absolute tolerance; two NaNs agree.
func closeAbs(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// close compares two route figures to a relative tolerance; two NaNs agree.
func close(a, b, rel float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= rel*math.Max(1, math.Abs(b))
}

func TestFromLinesJoining(t *testing.T) {
	// Two lines that nearly meet (0.5 m apart at their ends), and a third
	// that crosses the first at one of its interior vertices.
	a := orb.Point{130.70, 32.80}
	b := orb.Point{130.71, 32.80}
	near := orb.Point{130.71 + 0.5/geo.Distance(orb.Point{130.70, 32.80}, orb.Point{130.71, 32.80})*0.01, 32.80}
	c := orb.Point{130.72, 32.80}
	mid := orb.Point{130.705, 32.80}
	lines := []Line{
		{Points: orb.LineString{a, mid, b}},
		{Points: orb.LineString{near, c}},
		{Points: orb.LineString{{130.705, 32.79}, mid, {130.705, 32.81}}},
	}
	for _, tc := range []struct {
		name      string
		opt       LineOptions
		nodes     int
		merged    int
		reachCros bool
	}{
		{"1 m", LineOptions{}, 5, 1, false}, // a, mid, b=near, c joined; the cross line's own 3 nodes dropped
		{"0.1 m", LineOptions{NodeToleranceM: 0.1}, 3, 0, false},
		{"at vertices", LineOptions{NodeAtVertices: true}, 6, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, st, err := FromLines(lines, Walk, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if st.Merged != tc.merged {
				t.Errorf("merged %d, want %d (%s)", st.Merged, tc.merged, st)
			}
			wantNodes := tc.nodes
			if tc.name == "1 m" {
				wantNodes = 4 // a, mid, b, c; the crossing line is its own component
			}
			if g.NodeCount() != wantNodes {
				t.Errorf("%d nodes, want %d (%s)", g.NodeCount(), wantNodes, st)
			}
			routes, _, err := g.NearestFacility([]orb.Point{{130.705, 32.809}}, []orb.Point{c}, nil, Road, 5000)
			if err != nil && tc.reachCros {
				t.Fatal(err)
			}
			reached := err == nil && routes[0].Facility == 0 && routes[0].SnapM < 10
			if reached != tc.reachCros {
				t.Errorf("the crossing line reaches c: %v, want %v", reached, tc.reachCros)
			}
		})
	}
}

func TestFromLinesOnewayAndSpeeds(t *testing.T) {
	w, m, e := orb.Point{130.70, 32.80}, orb.Point{130.71, 32.80}, orb.Point{130.72, 32.80}
	lines := []Line{
		{Points: orb.LineString{w, m}, Oneway: 1, Class: "一般国道"},         // 50 km/h, w→m only
		{Points: orb.LineString{e, m}, Oneway: -1, Class: "residential"}, // 30 km/h, m→e only
		{Points: orb.LineString{m, {130.71, 32.81}}},                     // back north, both ways, default speed
		{Points: orb.LineString{{130.71, 32.81}, {130.70, 32.81}, w}},    // and west, the same
		{Points: orb.LineString{e, {130.72, 32.81}, {130.71, 32.81}}, SpeedKmh: 20},
		{Points: orb.LineString{e, e}}, // too short
	}
	g, st, err := FromLines(lines, Car, LineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Used != 5 || st.Skipped != 1 || st.Oneway != 2 || st.DefaultSpeed != 2 {
		t.Errorf("stats %+v", st)
	}
	if !strings.Contains(st.String(), "2 at the default 30 km/h") {
		t.Errorf("summary %q", st)
	}
	// From w to e: along the one-way roads, 2 segments at 50 and 30 km/h.
	wm, me := geo.Distance(w, m), geo.Distance(m, e)
	routes, _, err := g.NearestFacility([]orb.Point{w}, []orb.Point{e}, nil, Time, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := wm/(50/3.6) + me/(30/3.6); !close(routes[0].TimeS, want, 1e-9) {
		t.Errorf("w→e %.3f s, want %.3f", routes[0].TimeS, want)
	}
	// From e to w the one-way roads cannot be used: round by the north.
	routes, _, err = g.NearestFacility([]orb.Point{e}, []orb.Point{w}, nil, Road, 0)
	if err != nil {
		t.Fatal(err)
	}
	if routes[0].DistanceM < 2*wm {
		t.Errorf("e→w %.1f m: took a one-way road against its direction", routes[0].DistanceM)
	}
	// Walkers ignore one-way and speeds.
	gw, _, err := FromLines(lines, Walk, LineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	routes, _, err = gw.NearestFacility([]orb.Point{e}, []orb.Point{w}, nil, Road, 0)
	if err != nil || !close(routes[0].DistanceM, wm+me, 1e-9) {
		t.Errorf("walk e→w: %+v %v, want %.1f m", routes, err, wm+me)
	}
	for _, bad := range []Line{{Points: orb.LineString{w, m}, Oneway: 2}, {Points: orb.LineString{w, m}, SpeedKmh: math.NaN()}, {Points: orb.LineString{w, m}, SpeedKmh: -5}} {
		if _, _, err := FromLines([]Line{bad}, Car, LineOptions{}); err == nil || !strings.Contains(err.Error(), "line 0") {
			t.Errorf("%+v: err %v", bad, err)
		}
	}
	if _, _, err := FromLines(lines, Car, LineOptions{NodeToleranceM: math.NaN()}); err == nil {
		t.Error("NaN tolerance accepted")
	}
	if _, _, err := FromLines([]Line{{Points: orb.LineString{w}}}, Car, LineOptions{}); err == nil {
		t.Error("no usable line: no error")
	}
}

// TestSnapNearNode is the regression test of a snapping bug found against
// pgRouting: a point 2e-14° off a node snapped a hair along a one-way
// segment leaving the node and was routed round the block.
func TestSnapNearNode(t *testing.T) {
	a, b, c, d := orb.Point{130.700, 32.800}, orb.Point{130.701, 32.800}, orb.Point{130.701, 32.801}, orb.Point{130.700, 32.801}
	e := orb.Point{130.699, 32.800}
	// A one-way loop a→b→c→d→a and a two-way spur from a west to e, where
	// the facility is. A point on the loop just after a must go round it.
	lines := []Line{
		{Points: orb.LineString{a, b}, Oneway: 1}, {Points: orb.LineString{b, c}, Oneway: 1},
		{Points: orb.LineString{c, d}, Oneway: 1}, {Points: orb.LineString{d, a}, Oneway: 1},
		{Points: orb.LineString{a, e}},
	}
	g, _, err := FromLines(lines, Car, LineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	exact, _, err := g.NearestFacility([]orb.Point{a}, []orb.Point{e}, nil, Road, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, off := range []float64{2e-14, -2e-14, 1e-12} {
		q := orb.Point{a[0] + off, a[1]}
		s := g.Snap(q, 0)
		if s.Frac != 0 && s.Frac != 1 {
			t.Errorf("offset %g: frac %v, want the node", off, s.Frac)
		}
		got, _, err := g.NearestFacility([]orb.Point{q}, []orb.Point{e}, nil, Road, 0)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got[0].DistanceM-exact[0].DistanceM) > 1e-6 {
			t.Errorf("offset %g: %.3f m, at the node %.3f m", off, got[0].DistanceM, exact[0].DistanceM)
		}
	}
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
