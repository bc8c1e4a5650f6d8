package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// runIsochrones runs the isochrones command as run does (it works before
// the command is registered in main.go) and returns exit code, stdout and
// stderr.
func runIsochrones(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := isochronesCommand()
	err := c.run(&env{stdout: &out, stderr: &errb}, args)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0, out.String(), errb.String()
	case errors.Is(err, errUsage):
		return 2, out.String(), errb.String()
	}
	fmt.Fprintf(&errb, "catchment isochrones: %v\n", err)
	return 1, out.String(), errb.String()
}

// smallNetwork is the hand-made network of the network package's tests.
const smallNetwork = "../../testdata/network/small.json"

// writeSmallOffices writes two offices on the small network and one far
// from it, and three districts, as GeoJSON files in a temp folder.
func writeSmallLayers(t *testing.T) (offices, districts string) {
	t.Helper()
	dir := t.TempDir()
	offices = filepath.Join(dir, "offices.geojson")
	districts = filepath.Join(dir, "districts.geojson")
	of := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"street","name":"street office","kind":"ward"},"geometry":{"type":"Point","coordinates":[130.7015,32.8]}},
{"type":"Feature","properties":{"id":"foot","name":"footway office","kind":"branch"},"geometry":{"type":"Point","coordinates":[130.7,32.801]}},
{"type":"Feature","properties":{"id":"far","name":"far office","kind":"branch"},"geometry":{"type":"Point","coordinates":[130.75,32.85]}}]}`
	sq := func(x, y float64) string {
		const h = 0.0001
		return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]}`, x-h, y-h, x+h, y+h)
	}
	df := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a","name":"near","population":100},"geometry":` + sq(130.701, 32.8) + `},
{"type":"Feature","properties":{"id":"b","name":"middle","population":200},"geometry":` + sq(130.7015, 32.801) + `},
{"type":"Feature","properties":{"id":"c","name":"off the network","population":400},"geometry":` + sq(130.70, 32.81) + `}]}`
	for p, s := range map[string]string{offices: of, districts: df} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return offices, districts
}

func TestIsochronesSmallNetwork(t *testing.T) {
	offices, districts := writeSmallLayers(t)
	code, out, stderr := runIsochrones(t, "--offices", offices, "--districts", districts, "--network", smallNetwork,
		"--profile", "walk", "--minutes", "1,2,5", "--cell-m", "10", "--buffer-m", "20", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "office far office (far): 7052 m from the road network") || !strings.Contains(stderr, "district off the network (c): 998 m from the road network") {
		t.Errorf("warnings do not name the far office and the district off the network:\n%s", stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 9 { // 2 offices on the network + union, × 3 limits
		t.Fatalf("%d rows, want 9:\n%s", len(rows), out)
	}
	for k, r := range rows {
		if r["office_id"] == "far" {
			t.Errorf("row for the office off the network: %v", r)
		}
		if k%3 > 0 {
			prev := rows[k-1]
			if r["office_id"] != prev["office_id"] || r["population"].(float64) < prev["population"].(float64) || r["area_km2"].(float64) < prev["area_km2"].(float64) {
				t.Errorf("row %d not monotone after row %d: %v, %v", k, k-1, r, prev)
			}
		}
	}
	last := rows[8]
	if last["scope"] != "union" || last["office_id"] != nil || last["minutes"].(float64) != 5 || last["population"].(float64) != 300 || last["district_ids"] != "a b" {
		t.Errorf("union 5 min row %v: want districts a and b, 300 residents", last)
	}
}

// TestIsochronesWithPopulation is the regression test of a bug: isochrones
// measured districts from their centroids while assign measured them from
// their population-weighted points, so with --population a district whose
// people live by the road but whose centroid lies far from it was routed
// by assign and counted in no band.
func TestIsochronesWithPopulation(t *testing.T) {
	offices, _ := writeSmallLayers(t)
	dir := t.TempDir()
	districts := filepath.Join(dir, "districts.geojson")
	// A tall district: its centroid is about 2 km north of the network,
	// its one populated cell by the street.
	df := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"tall","name":"tall","population":0},
"geometry":{"type":"Polygon","coordinates":[[[130.7005,32.7995],[130.7025,32.7995],[130.7025,32.84],[130.7005,32.84],[130.7005,32.7995]]]}}]}`
	cells := filepath.Join(dir, "population.csv")
	for p, s := range map[string]string{districts: df, cells: "id,population,lat,lon\nc1,500,32.8002,130.7012\n"} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"--offices", offices, "--districts", districts, "--network", smallNetwork,
		"--profile", "walk", "--minutes", "5", "--cell-m", "10", "--buffer-m", "20", "--format", "csv"}
	union := func(extra ...string) string {
		t.Helper()
		code, out, stderr := runIsochrones(t, append(args, extra...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		return lines[len(lines)-1] // the union's 5-minute band
	}
	if got := union("--population", cells); !strings.HasSuffix(got, ",1,500,tall") {
		t.Errorf("with the population layer the 5-minute band should hold the district and its 500 people: %s", got)
	}
	if got := union(); !strings.HasSuffix(got, ",0,0,") {
		t.Errorf("without it the centroid is off the network and counts in no band: %s", got)
	}
}

func TestIsochronesErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--minutes", "10,20"}, 1, "need --network"},
		{[]string{"--network", smallNetwork, "--minutes", "20,10"}, 1, "must ascend"},
		{[]string{"--network", smallNetwork, "--minutes", "10,,30"}, 1, "item 2 is empty"},
		{[]string{"--network", smallNetwork, "--minutes", "ten"}, 1, "not a number"},
		{[]string{"--network", smallNetwork, "--minutes", "0,10"}, 1, "must be above 0"},
		{[]string{"--network", smallNetwork, "--minutes", "-5"}, 1, "must be above 0"},
		{[]string{"--network", smallNetwork, "--km", "1,2"}, 1, "--km goes with --metric road"},
		{[]string{"--network", smallNetwork, "--metric", "road", "--minutes", "10"}, 1, "--minutes goes with --metric time"},
		{[]string{"--network", smallNetwork, "--metric", "geodesic"}, 1, "no service areas"},
		{[]string{"--network", smallNetwork, "--cell-m", "0"}, 1, "--cell-m"},
		{[]string{"--network", "../../testdata/cli/nope.osm.pbf"}, 1, "nope.osm.pbf"},
		{[]string{"--network", smallNetwork, "--format", "png"}, 1, "--format"},
		{[]string{"--network", smallNetwork, "--out", "x", "-o", "y"}, 1, "not both"},
		// The embedded Kumamoto offices are kilometres from the small network.
		{[]string{"--network", smallNetwork, "--max-snap-m", "50"}, 1, "nothing can be reached: none of the 19 offices is within 50 m"},
		{[]string{"stray"}, 2, ""},
	} {
		code, _, stderr := runIsochrones(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
}

// TestIsochronesChuo runs the command on the real 中央区 drive network with
// the embedded offices and districts, writes every file, opens the GeoJSON
// with ogrinfo and checks the bands are nested and their population grows.
func TestIsochronesChuo(t *testing.T) {
	requireShared(t, chuoDrive)
	dir := t.TempDir()
	code, _, stderr := runIsochrones(t, "--network", chuoDrive, "--minutes", "5,10,15", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, id := range []string{"(nishi)", "(minami)", "(kita)"} {
		if !strings.Contains(stderr, id) {
			t.Errorf("no warning names the office %s outside the 中央区 network:\n%s", id, stderr)
		}
	}
	for _, f := range []string{"isochrones.geojson", "isochrones.csv", "isochrones.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	path := filepath.Join(dir, "isochrones.geojson")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		office  string
		minutes float64
	}
	areas := map[key]orb.MultiPolygon{}
	pop := map[key]float64{}
	var offices []string
	for _, f := range fc.Features {
		id, _ := f.Properties["office_id"].(string)
		if id == "" {
			id = "all"
		}
		k := key{id, f.Properties["minutes"].(float64)}
		mp, ok := f.Geometry.(orb.MultiPolygon)
		if !ok {
			if p, isPoly := f.Geometry.(orb.Polygon); isPoly {
				mp = orb.MultiPolygon{p}
			}
		}
		areas[k], pop[k] = mp, f.Properties["population"].(float64)
		if k.minutes == 5 {
			offices = append(offices, id)
		}
	}
	if len(offices) < 3 || offices[len(offices)-1] != "all" {
		t.Fatalf("offices with bands: %v; want several and the union last", offices)
	}
	if pop[key{"all", 15}] <= 0 {
		t.Errorf("nobody within 15 min of any office")
	}
	for _, o := range offices {
		for _, pair := range [][2]float64{{5, 10}, {10, 15}} {
			small, big := key{o, pair[0]}, key{o, pair[1]}
			if pop[small] > pop[big] {
				t.Errorf("%s: population %v within %v min > %v within %v min", o, pop[small], pair[0], pop[big], pair[1])
			}
			// Sampled points of the smaller band lie in the bigger one.
			bd := areas[big].Bound()
			rng := rand.New(rand.NewPCG(1, 2))
			for range 3000 {
				q := orb.Point{bd.Min[0] + rng.Float64()*(bd.Max[0]-bd.Min[0]), bd.Min[1] + rng.Float64()*(bd.Max[1]-bd.Min[1])}
				if planar.MultiPolygonContains(areas[small], q) && !planar.MultiPolygonContains(areas[big], q) {
					t.Fatalf("%s: point %v inside the %v min band but outside the %v min band", o, q, pair[0], pair[1])
				}
			}
		}
	}
	layers := ogrtest.Layers(ogrtest.Info(t, path))
	if len(layers) != 1 || layers[0].FeatureCount != len(fc.Features) || !strings.Contains(layers[0].Geometry, "Polygon") {
		t.Fatalf("ogrinfo: %+v", layers)
	}
	for field, typ := range map[string]string{"office_id": "String", "minutes": "Integer", "area_km2": "Real", "districts": "Integer", "population": "Integer"} {
		if got := layers[0].Fields[field]; !strings.HasPrefix(got, typ) {
			t.Errorf("ogrinfo field %s: %q, want %s", field, got, typ)
		}
	}
}
