package network

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/paulmach/orb"
)

const fixtures = "../testdata/network"

// smallGraph loads the hand-made fixture network.
func smallGraph(t testing.TB, p Profile) (*Graph, Stats) {
	t.Helper()
	g, st, err := Load(filepath.Join(fixtures, "small.json"), p)
	if err != nil {
		t.Fatal(err)
	}
	return g, st
}

// pt returns the position of the small fixture's OSM node id.
func smallNode(id int64) orb.Point {
	return map[int64]orb.Point{
		1: {130.700, 32.800}, 2: {130.701, 32.800}, 3: {130.702, 32.800},
		4: {130.702, 32.801}, 5: {130.701, 32.801}, 6: {130.700, 32.801},
	}[id]
}

// along is the point at fraction f from OSM node a to node b.
func along(a, b int64, f float64) orb.Point {
	p, q := smallNode(a), smallNode(b)
	return orb.Point{p[0] + f*(q[0]-p[0]), p[1] + f*(q[1]-p[1])}
}

// L is the geodesic length between two fixture nodes.
func L(a, b int64) float64 { return geo.Distance(smallNode(a), smallNode(b)) }

func TestLoadFormatsAndStats(t *testing.T) {
	tests := []struct {
		file    string
		profile Profile
		want    Stats
	}{
		{"small.json", Car, Stats{Ways: 8, KeptWays: 5, MissingNodeRefs: 1, Nodes: 5, Edges: 7, Segments: 5, Components: 3, DroppedNodes: 3, DroppedEdges: 3}},
		{"small.osm", Car, Stats{Ways: 8, KeptWays: 5, MissingNodeRefs: 1, Nodes: 5, Edges: 7, Segments: 5, Components: 3, DroppedNodes: 3, DroppedEdges: 3}},
		{"small.osm.pbf", Car, Stats{Ways: 8, KeptWays: 5, MissingNodeRefs: 1, Nodes: 5, Edges: 7, Segments: 5, Components: 3, DroppedNodes: 3, DroppedEdges: 3}},
		{"small.json", Walk, Stats{Ways: 8, KeptWays: 6, MissingNodeRefs: 1, Nodes: 7, Edges: 16, Segments: 8, Components: 2, DroppedNodes: 2, DroppedEdges: 2}},
		{"small.osm.pbf", Walk, Stats{Ways: 8, KeptWays: 6, MissingNodeRefs: 1, Nodes: 7, Edges: 16, Segments: 8, Components: 2, DroppedNodes: 2, DroppedEdges: 2}},
	}
	var ref map[Profile]*Graph = map[Profile]*Graph{}
	for _, tc := range tests {
		t.Run(tc.file+"/"+string(tc.profile), func(t *testing.T) {
			g, st, err := Load(filepath.Join(fixtures, tc.file), tc.profile)
			if err != nil {
				t.Fatal(err)
			}
			if st.DroppedLengthM <= 0 {
				t.Errorf("DroppedLengthM = %v, want > 0", st.DroppedLengthM)
			}
			st.DroppedLengthM = 0
			if st != tc.want {
				t.Errorf("stats\n got %+v\nwant %+v", st, tc.want)
			}
			if g.NodeCount() != st.Nodes || g.EdgeCount() != st.Edges || g.SegmentCount() != st.Segments {
				t.Errorf("graph counts %d/%d/%d differ from stats", g.NodeCount(), g.EdgeCount(), g.SegmentCount())
			}
			if r := ref[tc.profile]; r == nil {
				ref[tc.profile] = g
			} else if !sameGraph(r, g) {
				t.Errorf("%s builds a different graph from the first format", tc.file)
			}
		})
	}
}

// sameGraph compares node positions, OSM ids and edges.
func sameGraph(a, b *Graph) bool {
	if a.NodeCount() != b.NodeCount() || a.EdgeCount() != b.EdgeCount() {
		return false
	}
	type key struct{ u, v int64 }
	edges := func(g *Graph) map[key]float64 {
		m := map[key]float64{}
		for e := int32(0); int(e) < g.EdgeCount(); e++ {
			u, v, l, _ := g.Edge(e)
			m[key{g.OSMID(u), g.OSMID(v)}] = l
		}
		return m
	}
	ea, eb := edges(a), edges(b)
	for k, l := range ea {
		if lb, ok := eb[k]; !ok || math.Abs(lb-l) > 1e-6 {
			return false
		}
	}
	return len(ea) == len(eb)
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, want string
	}{
		{"unknown extension", write("roads.csv", "x"), "unknown road network format"},
		{"missing file", filepath.Join(dir, "nope.json"), "no such file"},
		{"bad JSON", write("bad.json", "{"), "bad.json"},
		{"node without lat", write("nolat.json", `{"elements":[{"type":"node","id":7,"lon":130}]}`), "element 0 (node 7): missing field lat"},
		{"no roads", write("empty.json", `{"elements":[]}`), "no road segments"},
		{"one one-way piece", write("oneway.json", `{"elements":[{"type":"node","id":1,"lat":32.8,"lon":130.7},{"type":"node","id":2,"lat":32.8,"lon":130.701},{"type":"way","id":3,"nodes":[1,2],"tags":{"highway":"primary","oneway":"yes"}}]}`), "no two nodes reach each other"},
		{"bad XML", write("bad.osm", "<osm><node id="), "bad.osm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Load(tc.path, Car)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
	if _, _, err := Load(filepath.Join(fixtures, "small.json"), Profile("bike")); err == nil {
		t.Error("unknown profile accepted")
	}
}

func TestProfileRules(t *testing.T) {
	tests := []struct {
		p     Profile
		tags  map[string]string
		ok    bool
		dir   int
		speed float64
	}{
		{Car, map[string]string{"highway": "residential"}, true, 0, 30},
		{Car, map[string]string{"highway": "primary", "maxspeed": "60"}, true, 0, 60},
		{Car, map[string]string{"highway": "primary", "maxspeed": "JP:urban"}, true, 0, 50},
		{Car, map[string]string{"highway": "primary", "maxspeed": "30 mph"}, true, 0, 30 * 1.609344},
		{Car, map[string]string{"highway": "secondary", "oneway": "yes"}, true, 1, 40},
		{Car, map[string]string{"highway": "secondary", "oneway": "-1"}, true, -1, 40},
		{Car, map[string]string{"highway": "tertiary", "junction": "roundabout"}, true, 1, 40},
		{Car, map[string]string{"highway": "motorway"}, true, 1, 80},
		{Car, map[string]string{"highway": "motorway", "oneway": "no"}, true, 0, 80},
		{Car, map[string]string{"highway": "residential", "oneway": "reversible"}, false, 0, 0},
		{Car, map[string]string{"highway": "footway"}, false, 0, 0},
		{Car, map[string]string{"highway": "residential", "access": "private"}, false, 0, 0},
		{Car, map[string]string{"highway": "residential", "access": "no", "motor_vehicle": "yes"}, true, 0, 30},
		{Car, map[string]string{"highway": "service", "service": "parking_aisle"}, false, 0, 0},
		{Car, map[string]string{"highway": "bus_stop"}, false, 0, 0},
		{Walk, map[string]string{"highway": "footway"}, true, 0, WalkSpeedKmh},
		{Walk, map[string]string{"highway": "primary", "oneway": "yes"}, true, 0, WalkSpeedKmh},
		{Walk, map[string]string{"highway": "motorway"}, false, 0, 0},
		{Walk, map[string]string{"highway": "path", "foot": "no"}, false, 0, 0},
		{Walk, map[string]string{"highway": "service", "access": "private", "foot": "yes"}, true, 0, WalkSpeedKmh},
		{Walk, map[string]string{"highway": "pedestrian", "area": "yes"}, false, 0, 0},
	}
	for _, tc := range tests {
		r, ok := tc.p.rule(func(k string) string { return tc.tags[k] })
		if ok != tc.ok || (ok && (r.dir != tc.dir || math.Abs(r.speedKmh-tc.speed) > 1e-9)) {
			t.Errorf("%s %v: got %+v ok=%v, want dir %d speed %v ok=%v", tc.p, tc.tags, r, ok, tc.dir, tc.speed, tc.ok)
		}
	}
}

func TestSnapSplitsEdges(t *testing.T) {
	g, _ := smallGraph(t, Car)
	tests := []struct {
		name     string
		p        orb.Point
		wantAt   orb.Point
		wantDist float64
		ok       bool
	}{
		{"on a segment", along(2, 3, 0.5), along(2, 3, 0.5), 0, true},
		{"beside a segment, not its nodes", orb.Point{130.7015, 32.8004}, along(2, 3, 0.5), geo.Distance(orb.Point{130.7015, 32.8004}, along(2, 3, 0.5)), true},
		{"beyond the end", orb.Point{130.6990, 32.8000}, smallNode(1), L(1, 1) + geo.Distance(orb.Point{130.6990, 32.8}, smallNode(1)), true},
		{"far away", orb.Point{130.72, 32.82}, smallNode(4), geo.Distance(orb.Point{130.72, 32.82}, smallNode(4)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := g.Snap(tc.p, 500)
			if s.OK != tc.ok {
				t.Errorf("OK = %v, want %v (distance %.1f m)", s.OK, tc.ok, s.DistanceM)
			}
			if d := geo.Distance(s.Point, tc.wantAt); d > 1e-3 {
				t.Errorf("snapped to %v, %.4f m from %v", s.Point, d, tc.wantAt)
			}
			if math.Abs(s.DistanceM-tc.wantDist) > 1e-3 {
				t.Errorf("distance %.4f m, want %.4f", s.DistanceM, tc.wantDist)
			}
		})
	}
}

// geodesicTolerance is how much shorter than the geodesic a road route may
// come out through rounding: a piece of a segment is costed as a fraction of
// the segment's geodesic length, which differs from the geodesic between the
// piece's ends by far less than a micrometre on road-sized segments.
func geodesicTolerance(d float64) float64 { return 1e-6 + 1e-9*d }

// TestHandRoutes checks routes on the fixture against sums of geodesic edge
// lengths: two-way street 1-2-3, one-way loop 3→4→5→2 at 40 km/h.
func TestHandRoutes(t *testing.T) {
	g, _ := smallGraph(t, Car)
	v40, v30 := 40/3.6, 30/3.6
	tests := []struct {
		name         string
		point, fac   orb.Point
		wantM, wantS float64
	}{
		{"down the one-way then the street", along(4, 5, 0.5), along(2, 3, 0.5),
			0.5*L(4, 5) + L(5, 2) + 0.5*L(2, 3), 0.5*L(4, 5)/v40 + L(5, 2)/v40 + 0.5*L(2, 3)/v30},
		{"back up the loop, one-way forbids the short way", along(2, 3, 0.5), along(4, 5, 0.5),
			0.5*L(2, 3) + L(3, 4) + 0.5*L(4, 5), 0.5*L(2, 3)/v30 + L(3, 4)/v40 + 0.5*L(4, 5)/v40},
		{"same two-way segment", along(2, 3, 0.25), along(2, 3, 0.75), 0.5 * L(2, 3), 0.5 * L(2, 3) / v30},
		{"same one-way segment, ahead", along(4, 5, 0.25), along(4, 5, 0.75), 0.5 * L(4, 5), 0.5 * L(4, 5) / v40},
		{"same one-way segment, behind: round the loop", along(4, 5, 0.9), along(4, 5, 0.75),
			0.1*L(4, 5) + L(5, 2) + L(2, 3) + L(3, 4) + 0.75*L(4, 5),
			(0.1*L(4, 5)+L(5, 2)+L(3, 4)+0.75*L(4, 5))/v40 + L(2, 3)/v30},
	}
	for _, tc := range tests {
		for _, m := range []Metric{Road, Time} {
			t.Run(tc.name+"/"+string(m), func(t *testing.T) {
				routes, _, err := g.NearestFacility([]orb.Point{tc.point}, []orb.Point{tc.fac}, nil, m, 0)
				if err != nil || routes[0].Facility != 0 {
					t.Fatal(err, routes)
				}
				r := routes[0]
				if r.Facility != 0 || math.Abs(r.DistanceM-tc.wantM) > 1e-6 || math.Abs(r.TimeS-tc.wantS) > 1e-6 {
					t.Errorf("got facility %d, %.6f m, %.6f s; want 0, %.6f m, %.6f s", r.Facility, r.DistanceM, r.TimeS, tc.wantM, tc.wantS)
				}
				if r.DistanceM < r.GeodesicM-geodesicTolerance(r.GeodesicM) {
					t.Errorf("road %.9f m shorter than geodesic %.9f m", r.DistanceM, r.GeodesicM)
				}
			})
		}
	}
}

func TestSnapLegsAreWalked(t *testing.T) {
	g, _ := smallGraph(t, Car)
	p := orb.Point{130.7015, 32.8004} // ~44 m north of the middle of 2-3
	f := orb.Point{130.7005, 32.7998} // ~22 m south of the middle of 1-2
	sp, sf := g.Snap(p, 0), g.Snap(f, 0)
	routes, _, err := g.NearestFacility([]orb.Point{p}, []orb.Point{f}, nil, Time, 0)
	if err != nil {
		t.Fatal(err)
	}
	road := L(1, 2) // from the middle of 2-3 to the middle of 1-2 is one segment length
	wantM := sp.DistanceM + road + sf.DistanceM
	wantS := (sp.DistanceM+sf.DistanceM)/walkSpeedMS + road/(30/3.6)
	r := routes[0]
	if math.Abs(r.DistanceM-wantM) > 1e-3 || math.Abs(r.TimeS-wantS) > 1e-3 {
		t.Errorf("got %.3f m %.3f s, want %.3f m %.3f s", r.DistanceM, r.TimeS, wantM, wantS)
	}
	if math.Abs(r.SnapM-sp.DistanceM) > 1e-9 || math.Abs(r.FacilitySnapM-sf.DistanceM) > 1e-9 {
		t.Errorf("snap distances %v %v, want %v %v", r.SnapM, r.FacilitySnapM, sp.DistanceM, sf.DistanceM)
	}
}

func TestOutsideCoverage(t *testing.T) {
	g, _ := smallGraph(t, Car)
	far := orb.Point{130.72, 32.82} // about 2.7 km from the network
	points := []orb.Point{along(2, 3, 0.5), far, along(4, 5, 0.5)}
	facilities := []orb.Point{far, along(1, 2, 0.5)}

	routes, snaps, err := g.NearestFacility(points, facilities, nil, Road, 500)
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) != len(points) {
		t.Fatalf("%d rows for %d points: every point keeps its row", len(routes), len(points))
	}
	if r := routes[1]; r.Facility != -1 || !math.IsNaN(r.DistanceM) || !math.IsNaN(r.TimeS) || !strings.Contains(r.Note, "outside network coverage") || r.SnapM < 2000 {
		t.Errorf("far point: %+v", r)
	}
	for _, i := range []int{0, 2} {
		if routes[i].Facility != 1 || math.IsNaN(routes[i].DistanceM) {
			t.Errorf("point %d: %+v, want routed to facility 1 (facility 0 is outside coverage)", i, routes[i])
		}
	}
	if len(snaps) != 2 || snaps[0].OK || snaps[0].DistanceM < 2000 || !snaps[1].OK {
		t.Errorf("facility snaps %+v: want facility 0 outside coverage, facility 1 on the network", snaps)
	}

	// A larger max-snap brings the far point in.
	routes, snaps, err = g.NearestFacility(points, facilities, nil, Road, 5000)
	if err != nil || !snaps[0].OK || routes[1].Facility < 0 {
		t.Errorf("max-snap 5 km: %v %+v %+v", err, snaps, routes[1])
	}

	// Nothing routable: fails.
	if _, _, err := g.NearestFacility(points, []orb.Point{far}, nil, Road, 500); !errors.Is(err, ErrNothingRoutable) {
		t.Errorf("only facility outside coverage: err %v", err)
	}
	if _, _, err := g.NearestFacility([]orb.Point{far}, facilities, nil, Road, 500); !errors.Is(err, ErrNothingRoutable) {
		t.Errorf("only point outside coverage: err %v", err)
	}
}

func TestClosures(t *testing.T) {
	g, _ := smallGraph(t, Car)
	points := []orb.Point{along(1, 2, 0.2), along(3, 4, 0.5)}
	facilities := []orb.Point{smallNode(1), smallNode(4)}
	routes, _, err := g.NearestFacility(points, facilities, nil, Road, 0)
	if err != nil {
		t.Fatal(err)
	}
	if routes[0].Facility != 0 || routes[1].Facility != 1 {
		t.Fatalf("all open: %+v", routes)
	}
	routes, _, err = g.NearestFacility(points, facilities, []bool{true, false}, Road, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := 0.5*L(3, 4) + L(4, 5) + L(5, 2) + L(2, 1) // round the one-way loop
	if routes[1].Facility != 0 || math.Abs(routes[1].DistanceM-want) > 1e-6 {
		t.Errorf("office 1 closed: %+v, want facility 0 at %.3f m", routes[1], want)
	}
	if _, _, err := g.NearestFacility(points, facilities, []bool{false, false}, Road, 0); !errors.Is(err, ErrNothingRoutable) {
		t.Errorf("all closed: err %v", err)
	}
	if _, _, err := g.NearestFacility(points, facilities, []bool{true}, Road, 0); err == nil {
		t.Error("wrong open length accepted")
	}
}

func TestGeodesicMetric(t *testing.T) {
	points := []orb.Point{{130.70, 32.80}, {130.80, 32.80}}
	facilities := []orb.Point{{130.71, 32.80}, {130.79, 32.81}}
	var g *Graph // the network is not needed
	routes, _, err := g.NearestFacility(points, facilities, nil, Geodesic, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{0, 1} {
		if routes[i].Facility != want || routes[i].DistanceM != geo.Distance(points[i], facilities[want]) {
			t.Errorf("point %d: %+v", i, routes[i])
		}
	}
}

func TestWalkUsesFootways(t *testing.T) {
	g, _ := smallGraph(t, Walk)
	// From the middle of footway 5-6 to node 1: 0.5·L(5,6) + L(6,1), both ways.
	routes, _, err := g.NearestFacility([]orb.Point{along(5, 6, 0.5)}, []orb.Point{smallNode(1)}, nil, Time, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantM := 0.5*L(5, 6) + L(6, 1)
	if r := routes[0]; math.Abs(r.DistanceM-wantM) > 1e-6 || math.Abs(r.TimeS-wantM/walkSpeedMS) > 1e-6 {
		t.Errorf("got %+v, want %.9f m %.9f s at walking speed", r, wantM, wantM/walkSpeedMS)
	}
}

func TestOverpassScanner(t *testing.T) {
	doc := `` + "\ufeff" + `{"version":0.6,"osm3s":{"copyright":"x","n":[1,2,{"a":null}]},"elements":[
	 {"type":"node","id":1,"lat":32.8,"lon":130.7,"tags":{"name":"\u718a\u672c","x":[true,false]}},
	 {"id":2,"lon":130.701,"type":"node","lat":32.8e0},
	 {"type":"relation","id":9,"members":[{"type":"way","ref":5}]},
	 {"type":"way","id":5,"tags":{"hi\u0067hway":"resid\u0065ntial"},"nodes":[1,2]}
	]}`
	g, st, err := ReadOverpassJSON(strings.NewReader(doc), Car)
	if err != nil {
		t.Fatal(err)
	}
	if st.Ways != 1 || st.KeptWays != 1 || g.EdgeCount() != 2 {
		t.Errorf("stats %+v: want the escaped highway tag read", st)
	}
	for _, bad := range []string{
		`{"elements":[{"type":"node","id":1,"lat":32.8,"lon":}]}`,
		`{"elements":[{"type":"node","id":1,"lat":32.8,"lon":130.7}`,
		`{"elements":[{"type":"way","id":1,"nodes":[1,"x"]}]}`,
		`{"elements":[{"type":"node","id":1,"lat":95,"lon":130.7}]}`,
		`{"nothing":[]}`,
		`{"elements":[{"type":"node","id":1,"lat":32.8,"lon":130.7,"tags":{"a":"unterminated}}]}`,
	} {
		if _, _, err := ReadOverpassJSON(strings.NewReader(bad), Car); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
