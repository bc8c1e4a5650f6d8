package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
)

const chuoDrive = "../../../shared/data/osm_overpass_roads_drive_kumamoto_chuo_2023-01-05.json"

func requireShared(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("SKIPPED: %s is absent (../shared/data is there in CI and for developers): %v", path, err)
	}
}

func TestNearestByRoad(t *testing.T) {
	requireShared(t, chuoDrive)
	code, out, stderr := runCLI(t, "nearest", "--metric", "road", "--network", chuoDrive, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	_, geoOut, _ := runCLI(t, "nearest", "--format", "json")
	var geoRows []map[string]any
	if err := json.Unmarshal([]byte(geoOut), &geoRows); err != nil {
		t.Fatal(err)
	}
	byID := map[string]map[string]any{}
	for _, r := range geoRows {
		byID[r["office_id"].(string)] = r
	}
	routed := 0
	for _, r := range rows {
		id := r["office_id"].(string)
		if r["metric"] != "road" {
			t.Errorf("%s: metric %v", id, r["metric"])
		}
		d, ok := r["distance_m"].(float64)
		if !ok {
			// outside the 中央区 extract: null distance, a note, and a warning naming it
			if r["distance_m"] != nil || !strings.Contains(r["note"].(string), "outside network coverage") {
				t.Errorf("%s: unrouted row %v", id, r)
			}
			if !strings.Contains(stderr, "("+id+")") {
				t.Errorf("no warning names %s:\n%s", id, stderr)
			}
			continue
		}
		routed++
		g := byID[id]["distance_m"].(float64)
		if r["nearest_id"] == byID[id]["nearest_id"] && d < g-0.5 {
			t.Errorf("%s: road %.1f m shorter than the straight line %.1f m", id, d, g)
		}
	}
	// 大江 and 花園 lie inside the 中央区 network together with 中央区役所
	if routed < 2 {
		t.Errorf("%d offices routed, want at least 2 (oe, hanazono)", routed)
	}
}

func TestMetricFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"nearest", "--metric", "road"}, "needs --network"},
		{[]string{"nearest", "--metric", "bus"}, "--metric"},
		{[]string{"nearest", "--network", "x.json"}, "only with --metric road or time"},
		{[]string{"assign", "--metric", "road", "--network", "../../testdata/cli/nope.osm.pbf"}, "nope.osm.pbf"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 1 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, stderr, tc.msg)
		}
	}
}

// writeGeodesicMatrix writes the geodesic distance from every district's
// representative point, and every office, to every office of the embedded
// default as a cost-matrix CSV, and returns its path.
func writeGeodesicMatrix(t *testing.T) string {
	t.Helper()
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("from,to,distance_km\n")
	for i, d := range s.Districts() {
		for _, o := range ds.Offices {
			fmt.Fprintf(&b, "%s,%s,%s\n", d.ID, o.ID, strconv.FormatFloat(geo.Distance(s.Points()[i], o.Location)/1000, 'g', -1, 64))
		}
	}
	for _, a := range ds.Offices {
		for _, o := range ds.Offices {
			fmt.Fprintf(&b, "%s,%s,%s\n", a.ID, o.ID, strconv.FormatFloat(geo.Distance(a.Location, o.Location)/1000, 'g', -1, 64))
		}
	}
	path := filepath.Join(t.TempDir(), "matrix.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCostMatrixFlag runs assign, candidates and what-if --each with a
// cost matrix of geodesic distances and checks that they give the
// geodesic answers.
func TestCostMatrixFlag(t *testing.T) {
	matrix := writeGeodesicMatrix(t)
	column := func(csvText, name string) []string {
		t.Helper()
		rows, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		k := slices.Index(rows[0], name)
		if k < 0 {
			t.Fatalf("no column %s in %v", name, rows[0])
		}
		var out []string
		for _, r := range rows[1:] {
			out = append(out, r[k])
		}
		return out
	}
	for _, tc := range []struct {
		args    []string
		columns []string
	}{
		{[]string{"assign", "--format", "csv"}, []string{"district_id", "office_id", "distance_m", "population"}},
		{[]string{"candidates", "--format", "csv"}, []string{"office_id", "nearest_id", "distance_m"}},
		{[]string{"whatif", "--each", "--format", "csv"}, []string{"rank", "office_id", "moved_population", "weighted_change_m", "added_person_km", "taken_by"}},
	} {
		code, geoOut, stderr := runCLI(t, tc.args...)
		if code != 0 {
			t.Fatalf("%v: %s", tc.args, stderr)
		}
		code, matOut, stderr := runCLI(t, append(tc.args, "--cost-matrix", matrix)...)
		if code != 0 {
			t.Fatalf("%v --cost-matrix: %s", tc.args, stderr)
		}
		if !strings.Contains(stderr, "cost matrix") || !strings.Contains(stderr, "distances, loaded in") {
			t.Errorf("%v: stderr %q does not report the matrix", tc.args, stderr)
		}
		for _, c := range tc.columns {
			if g, m := column(geoOut, c), column(matOut, c); !slices.Equal(g, m) {
				t.Errorf("%v: column %s differs under the matrix:\n%v\n%v", tc.args, c, g, m)
			}
		}
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"assign", "--cost-matrix", matrix, "--metric", "road"}, "either --cost-matrix or --metric"},
		{[]string{"assign", "--cost-unit", "km"}, "--cost-unit goes with --cost-matrix"},
		{[]string{"assign", "--cost-matrix", "../../testdata/cli/nope.csv"}, "nope.csv"},
		{[]string{"assign", "--cost-matrix", matrix, "--cost-unit", "s"}, "says its unit is km but --cost-unit says s"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 1 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, stderr, tc.msg)
		}
	}
}

// TestRoadWarningsOnce: a report under the road metric warns of each office
// and district off the network once (before: each branch office twice, as
// an origin and among the destinations, and the districts' line twice).
func TestRoadWarningsOnce(t *testing.T) {
	requireShared(t, chuoDrive)
	code, _, stderr := runCLI(t, "report", "--no-maps", "--metric", "road", "--network", chuoDrive, "--out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := map[string]int{}
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "warning: ") {
			lines[l]++
		}
	}
	for l, n := range lines {
		if n > 1 {
			t.Errorf("printed %d times: %s", n, l)
		}
	}
	// Offices as offices; the service model's certificate places (counters,
	// stores, post offices) are another layer and warned of apart.
	for _, office := range []string{"office 龍田出張所 (tatsuda)", "office 飽田総合出張所 (akita)", "office 南区役所 (minami)", "office 北区役所 (kita)"} {
		n := 0
		for l := range lines {
			if strings.Contains(l, "from the road network") && strings.Contains(l, office) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s named in %d road-network warnings, want 1:\n%s", office, n, stderr)
		}
	}
}
