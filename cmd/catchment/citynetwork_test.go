package main

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
	"github.com/paulmach/orb"
)

// cityNetwork is the city-wide road-link layer of the shared data folder
// (国土交通省 通れる道マップ: probe-vehicle links, no class or one-way).
const cityNetwork = "../../../shared/data/mlit_probe_road_links_kumamoto_city_union_2026.geojson"

// nearestRow is one row of `nearest --format json`.
type nearestRow struct {
	OfficeID    string   `json:"office_id"`
	OfficeName  string   `json:"office_name"`
	NearestID   *string  `json:"nearest_id"`
	DistanceM   *float64 `json:"distance_m"`
	PublishedKm *float64 `json:"published_km"`
	Note        string   `json:"note"`
}

func runNearest(t *testing.T, args ...string) []nearestRow {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"nearest", "--format", "json", "--quiet"}, args...)...)
	if code != 0 {
		t.Fatalf("nearest %v: exit %d: %s", args, code, stderr)
	}
	var rows []nearestRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestCityDistanceTable reproduces the city's table: every branch office's
// nearest ward office by road on the city-wide network, beside the city's
// published road km and the straight line, with the 5 km rule under each.
// The road distances are checked against an independent Dijkstra over the
// same links.
func TestCityDistanceTable(t *testing.T) {
	requireShared(t, cityNetwork)
	road := runNearest(t, "--metric", "road", "--network", cityNetwork, "--profile", "car")
	straight := runNearest(t)
	if len(road) != 14 {
		t.Fatalf("%d rows, want the 14 branch offices", len(road))
	}
	oracle := newLinkOracle(t, cityNetwork)
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]orb.Point{}
	var wards []string
	for _, o := range ds.Offices {
		pos[o.ID] = o.Location
		if o.Kind == data.Ward {
			wards = append(wards, o.ID)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-8s %-9s %8s %8s %8s  %s\n", "branch", "nearest", "road km", "city km", "line km", "5 km rule: road / city / line")
	agreeRoad, agreeLine := 0, 0
	var sumDiff, maxDiff float64
	for i, r := range road {
		if r.DistanceM == nil || r.NearestID == nil {
			t.Fatalf("%s not routed: %s", r.OfficeID, r.Note)
		}
		// The independent check: the nearest ward office and its distance.
		wantID, wantM := "", math.Inf(1)
		var targets []orb.Point
		for _, w := range wards {
			targets = append(targets, pos[w])
		}
		for k, d := range oracle.routes(pos[r.OfficeID], targets) {
			if d < wantM {
				wantID, wantM = wards[k], d
			}
		}
		// The two join line ends differently within the 1 m tolerance (we
		// move an end onto the first node within 1 m; the oracle keeps every
		// position and joins groups transitively), so a route may differ by
		// up to a metre per junction: 0.15 % at these lengths.
		if *r.NearestID != wantID || math.Abs(*r.DistanceM-wantM) > 0.0015*wantM {
			t.Errorf("%s: %s at %.1f m; independent Dijkstra: %s at %.1f m", r.OfficeID, *r.NearestID, *r.DistanceM, wantID, wantM)
		}
		roadKm, cityKm, lineKm := *r.DistanceM/1000, *r.PublishedKm, *straight[i].DistanceM/1000
		rule := func(km float64) string {
			if km <= 5 {
				return "yes"
			}
			return "no"
		}
		if rule(roadKm) == rule(cityKm) {
			agreeRoad++
		}
		if rule(lineKm) == rule(cityKm) {
			agreeLine++
		}
		d := math.Abs(roadKm - cityKm)
		sumDiff += d
		maxDiff = max(maxDiff, d)
		fmt.Fprintf(&b, "%-8s %-9s %8.2f %8.2f %8.2f  %s / %s / %s\n", r.OfficeID, *r.NearestID, roadKm, cityKm, lineKm, rule(roadKm), rule(cityKm), rule(lineKm))
	}
	fmt.Fprintf(&b, "rule decisions agreeing with the city: road %d of 14, straight line %d of 14; |road − city| mean %.2f km, max %.2f km\n",
		agreeRoad, agreeLine, sumDiff/14, maxDiff)
	t.Log(b.String())
	// Regression figures (2026-12, the offices as corrected in 2026-12).
	if agreeRoad != 14 || agreeLine != 11 {
		t.Errorf("rule agreement: road %d, straight line %d; was 14 and 11", agreeRoad, agreeLine)
	}
}

// TestReportCityTable checks that a report on the city network sets the
// road, the city's and the straight-line km side by side.
func TestReportCityTable(t *testing.T) {
	requireShared(t, cityNetwork)
	out := t.TempDir()
	code, _, stderr := runCLI(t, "report", "--metric", "road", "--network", cityNetwork, "--no-maps", "--quiet", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"### Road, the city's km and the straight line",
		"| 清水総合出張所 | 5.09 | 5.60 | 4.43 | no / no / yes |",
		"the 5 km rule decides as the city does for 14 by road and 11 by straight line",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

// TestNetworkLayerFormatsAgree converts the city network with ogr2ogr into
// a Shapefile, a GeoPackage, CSV with WKT and FlatGeobuf, and checks that each gives
// the same answers as the GeoJSON.
func TestNetworkLayerFormatsAgree(t *testing.T) {
	requireShared(t, cityNetwork)
	ogrtest.RequireOgr2ogr(t)
	dir := t.TempDir()
	shp, gpkg, csv := filepath.Join(dir, "roads.shp"), filepath.Join(dir, "roads.gpkg"), filepath.Join(dir, "roads.csv")
	ogrtest.Convert(t, "-f", "ESRI Shapefile", shp, cityNetwork)
	ogrtest.Convert(t, "-f", "GPKG", gpkg, cityNetwork)
	ogrtest.Convert(t, "-f", "CSV", csv, cityNetwork, "-lco", "GEOMETRY=AS_WKT")
	// And once in JGD2011 plane rectangular zone II, as a city's GIS holds it.
	projected := filepath.Join(dir, "roads_6670.gpkg")
	ogrtest.Convert(t, "-f", "GPKG", "-t_srs", "EPSG:6670", projected, cityNetwork)
	// FlatGeobuf in zone II too, without the spatial index, which puts the
	// links in Hilbert order: the road graph built from them in that order
	// gives routes up to a metre apart (snapping ties), not the reader.
	fgb := filepath.Join(dir, "roads_6670.fgb")
	ogrtest.Convert(t, "-f", "FlatGeobuf", "-t_srs", "EPSG:6670", "-lco", "SPATIAL_INDEX=NO", fgb, cityNetwork)
	args := []string{"--metric", "time", "--profile", "car"}
	want := runNearest(t, append(args, "--network", cityNetwork)...)
	for _, f := range []string{shp, gpkg, csv, projected, fgb} {
		got := runNearest(t, append(args, "--network", f)...)
		for i := range want {
			w, g := want[i], got[i]
			if *w.NearestID != *g.NearestID || math.Abs(*w.DistanceM-*g.DistanceM) > 0.05 {
				t.Errorf("%s: %s → %s %.2f m; GeoJSON %s %.2f m", filepath.Base(f), g.OfficeID, *g.NearestID, *g.DistanceM, *w.NearestID, *w.DistanceM)
			}
		}
	}
}

// TestNetworkLayerFlags checks the line-layer flags and their errors.
func TestNetworkLayerFlags(t *testing.T) {
	dir := t.TempDir()
	roads := filepath.Join(dir, "roads.geojson")
	// A one-way street east, and a way back round by the north.
	if err := os.WriteFile(roads, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ow":"FT","cls":"一般国道"},"geometry":{"type":"LineString","coordinates":[[130.70,32.80],[130.72,32.80]]}},
{"type":"Feature","properties":{"ow":"","cls":""},"geometry":{"type":"LineString","coordinates":[[130.72,32.80],[130.72,32.81],[130.70,32.81],[130.70,32.80]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	offices := filepath.Join(dir, "offices.csv")
	if err := os.WriteFile(offices, []byte("id,name,kind,lat,lon\nw,West,ward,32.80,130.70\ne,East,branch,32.80,130.72\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--offices", offices, "--network", roads, "--metric", "road", "--from", "branch", "--to", "ward"}
	// Two-way by default: east to west along the street.
	rows := runNearest(t, base...)
	street := geo.Distance(orb.Point{130.70, 32.80}, orb.Point{130.72, 32.80})
	if math.Abs(*rows[0].DistanceM-street) > 0.1 {
		t.Errorf("two-way: %.1f m, want the street's %.1f m", *rows[0].DistanceM, street)
	}
	// One-way east: the branch office must go round by the north.
	rows = runNearest(t, append(base, "--field", "network.oneway=ow", "--field", "network.class=cls")...)
	if *rows[0].DistanceM < 2*street {
		t.Errorf("one-way: %.1f m, want the way round (> %.1f m)", *rows[0].DistanceM, 2*street)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--field", "network.oneway=nope"}, "names no property"},
		{[]string{"--field", "network.oneway=cls"}, `"一般国道" is not a oneway value`},
		{[]string{"--node-tolerance-m", "-1"}, "--node-tolerance-m -1: want a distance in metres"},
		{[]string{"--node-tolerance-m", "NaN"}, "--node-tolerance-m NaN"},
	} {
		code, _, stderr := runCLI(t, append(append([]string{"nearest"}, base...), tc.args...)...)
		if code != 1 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, stderr, tc.msg)
		}
	}
	code, _, stderr := runCLI(t, "nearest", "--network", "../../testdata/network/small.json", "--metric", "road", "--node-at-vertices")
	if code != 1 || !strings.Contains(stderr, "apply to a line layer") {
		t.Errorf("--node-at-vertices with OSM: exit %d, %q", code, stderr)
	}
}

// linkOracle is an independent shortest-path model of a line layer: ends
// within 1 m joined, every link two-way, the largest connected piece kept,
// points joined to the nearest point of any kept segment (brute force).
type linkOracle struct {
	pts   []orb.Point
	adj   [][]edge
	segs  [][2]int // kept segments, by node
	snaps map[orb.Point]snapped
}

type snapped struct {
	seg  [2]int
	f, d float64
}

type edge struct {
	to int
	m  float64
}

func newLinkOracle(t *testing.T, path string) *linkOracle {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string      `json:"type"`
				Coordinates [][]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	o := &linkOracle{}
	type end struct {
		p    orb.Point
		node int
	}
	var ends []*end
	for _, f := range fc.Features {
		if f.Geometry.Type != "LineString" {
			t.Fatalf("geometry %s", f.Geometry.Type)
		}
		cs := f.Geometry.Coordinates
		var line []int
		for k, c := range cs {
			p := orb.Point{c[0], c[1]}
			if k > 0 && p == o.pts[line[len(line)-1]] {
				continue
			}
			o.pts = append(o.pts, p)
			n := len(o.pts) - 1
			line = append(line, n)
			if k == 0 || k == len(cs)-1 {
				ends = append(ends, &end{p, n})
			}
		}
		for k := 1; k < len(line); k++ {
			o.segs = append(o.segs, [2]int{line[k-1], line[k]})
		}
	}
	// Join ends within 1 m: sweep by latitude.
	parent := make([]int, len(o.pts))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	sort.Slice(ends, func(i, j int) bool { return ends[i].p[1] < ends[j].p[1] })
	for i := range ends {
		for j := i + 1; j < len(ends) && ends[j].p[1]-ends[i].p[1] < 2e-5; j++ {
			if geo.Distance(ends[i].p, ends[j].p) <= 1 {
				parent[find(ends[j].node)] = find(ends[i].node)
			}
		}
	}
	o.adj = make([][]edge, len(o.pts))
	var kept [][2]int
	for _, s := range o.segs {
		u, v := find(s[0]), find(s[1])
		if u == v {
			continue
		}
		m := geo.Distance(o.pts[s[0]], o.pts[s[1]])
		o.adj[u] = append(o.adj[u], edge{v, m})
		o.adj[v] = append(o.adj[v], edge{u, m})
		kept = append(kept, [2]int{u, v})
	}
	// The largest connected piece.
	comp := make([]int, len(o.pts))
	for i := range comp {
		comp[i] = -1
	}
	size := map[int]int{}
	for s := range o.pts {
		if comp[s] >= 0 || len(o.adj[s]) == 0 {
			continue
		}
		stack := []int{s}
		comp[s] = s
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size[s]++
			for _, e := range o.adj[u] {
				if comp[e.to] < 0 {
					comp[e.to] = s
					stack = append(stack, e.to)
				}
			}
		}
	}
	best := -1
	for c, n := range size {
		if best < 0 || n > size[best] {
			best = c
		}
	}
	o.segs = o.segs[:0]
	for _, s := range kept {
		if comp[s[0]] == best {
			o.segs = append(o.segs, s)
		}
	}
	return o
}

// snap is the nearest point of any kept segment to p: the segment, the
// fraction along it and the geodesic distance.
func (o *linkOracle) snap(p orb.Point) ([2]int, float64, float64) {
	if s, ok := o.snaps[p]; ok {
		return s.seg, s.f, s.d
	}
	best, bf, bd := [2]int{}, 0.0, math.Inf(1)
	kx := 111320 * math.Cos(p[1]*math.Pi/180)
	ky := 110950.0
	for _, s := range o.segs {
		a, b := o.pts[s[0]], o.pts[s[1]]
		dx, dy := (b[0]-a[0])*kx, (b[1]-a[1])*ky
		f := 0.0
		if l2 := dx*dx + dy*dy; l2 > 0 {
			f = math.Max(0, math.Min(1, ((p[0]-a[0])*kx*dx+(p[1]-a[1])*ky*dy)/l2))
		}
		q := orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])}
		if d := geo.Distance(p, q); d < bd {
			best, bf, bd = s, f, d
		}
	}
	if o.snaps == nil {
		o.snaps = map[orb.Point]snapped{}
	}
	o.snaps[p] = snapped{best, bf, bd}
	return best, bf, bd
}

// routes are the road distances from p to each target: the walks to and
// from the network, the parts of their segments and Dijkstra between.
func (o *linkOracle) routes(p orb.Point, targets []orb.Point) []float64 {
	sp, fp, dp := o.snap(p)
	segLen := func(s [2]int) float64 { return geo.Distance(o.pts[s[0]], o.pts[s[1]]) }
	lp := segLen(sp)
	dist := make([]float64, len(o.pts))
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	h := &pq{}
	push := func(n int, d float64) {
		if d < dist[n] {
			dist[n] = d
			heap.Push(h, item{n, d})
		}
	}
	push(sp[0], fp*lp)
	push(sp[1], (1-fp)*lp)
	for h.Len() > 0 {
		it := heap.Pop(h).(item)
		if it.d > dist[it.n] {
			continue
		}
		for _, e := range o.adj[it.n] {
			push(e.to, it.d+e.m)
		}
	}
	out := make([]float64, len(targets))
	for k, q := range targets {
		sq, fq, dq := o.snap(q)
		lq := segLen(sq)
		if sq == sp {
			out[k] = dp + math.Abs(fp-fq)*lp + dq
			continue
		}
		out[k] = dp + math.Min(dist[sq[0]]+fq*lq, dist[sq[1]]+(1-fq)*lq) + dq
	}
	return out
}

type item struct {
	n int
	d float64
}

type pq []item

func (h pq) Len() int           { return len(h) }
func (h pq) Less(i, j int) bool { return h[i].d < h[j].d }
func (h pq) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pq) Push(x any)        { *h = append(*h, x.(item)) }
func (h *pq) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// TestGapsRealPostOffices runs gaps as a user with real data would: the
// city's wards (国土数値情報 N03, through --preset ksj) and its 138 real post
// offices (国土数値情報 P30), inside and within 500 m, checked against a
// brute-force count.
func TestGapsRealPostOffices(t *testing.T) {
	const dir = "../../../shared/data/"
	wards, posts := dir+"kumamoto_wards_N03-21_simplified1pct_smartnews.geojson", dir+"ksj_P30-13_post_offices_kumamoto_city.geojson"
	stores := dir + "osm2014_convenience_kumamoto_city_tabachain.geojson"
	requireShared(t, posts)
	ds, _, err := data.Load(data.Paths{data.LayerDistricts: wards, data.LayerPosts: posts}, data.Options{Preset: data.PresetKSJ})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Posts) != 138 || len(ds.Districts) != 5 {
		t.Fatalf("%d posts in %d wards; want 138 in 5", len(ds.Posts), len(ds.Districts))
	}
	for _, withinM := range []float64{0, 500} {
		code, out, stderr := runCLI(t, "gaps", "--districts", wards, "--preset", "ksj", "--stores", stores, "--posts", posts,
			"--within-m", fmt.Sprint(withinM), "--format", "json", "--quiet")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var rows []struct {
			ID    string `json:"district_id"`
			Name  string `json:"district_name"`
			Posts int    `json:"posts"`
		}
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatal(err)
		}
		total := 0
		for i, r := range rows {
			want := 0
			for _, p := range ds.Posts {
				if geo.Contains(ds.Districts[i].Geometry, p.Location) || (withinM > 0 && edgeDistance(ds.Districts[i].Geometry, p.Location) <= withinM) {
					want++
				}
			}
			if r.Posts != want {
				t.Errorf("within %g m: %s has %d post offices, brute force %d", withinM, r.Name, r.Posts, want)
			}
			total += r.Posts
		}
		// Inside: each post office in exactly one ward (SOURCES.md: 中央 39,
		// 東 27, 西 23, 南 26, 北 23); within 500 m, those near a border count twice.
		if withinM == 0 && total != 138 {
			t.Errorf("inside: %d post offices counted, want 138", total)
		}
		if withinM > 0 && total <= 138 {
			t.Errorf("within 500 m: %d, want more than the 138 inside", total)
		}
	}
}

// edgeDistance is the distance in metres from p to the nearest edge of mp,
// measured in a local plane: an independent stand-in for the library's
// geodesic point–polygon distance, good to a fraction of a metre at 500 m.
func edgeDistance(mp orb.MultiPolygon, p orb.Point) float64 {
	kx := 111320 * math.Cos(p[1]*math.Pi/180)
	const ky = 110950.0
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for k := 0; k+1 < len(ring); k++ {
				ax, ay := (ring[k][0]-p[0])*kx, (ring[k][1]-p[1])*ky
				bx, by := (ring[k+1][0]-p[0])*kx, (ring[k+1][1]-p[1])*ky
				dx, dy := bx-ax, by-ay
				f := 0.0
				if l2 := dx*dx + dy*dy; l2 > 0 {
					f = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
				}
				best = math.Min(best, math.Hypot(ax+f*dx, ay+f*dy))
			}
		}
	}
	return best
}
