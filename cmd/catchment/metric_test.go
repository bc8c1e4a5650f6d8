package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
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
