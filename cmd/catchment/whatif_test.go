package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// whatifFixture is a file under testdata/whatif.
func whatifFixture(name string) string { return filepath.Join("..", "..", "testdata", "whatif", name) }

func TestWhatIfEachCandidateOnDefault(t *testing.T) {
	code, out, stderr := runCLI(t, "candidates", "--format", "json")
	if code != 0 {
		t.Fatalf("candidates: exit %d: %s", code, stderr)
	}
	var cands []map[string]any
	if err := json.Unmarshal([]byte(out), &cands); err != nil || len(cands) == 0 {
		t.Fatalf("candidates: %v (%d rows)", err, len(cands))
	}
	for _, c := range cands {
		id := c["office_id"].(string)
		code, out, stderr := runCLI(t, "whatif", "--close", id, "--format", "json")
		if code != 0 {
			t.Fatalf("whatif --close %s: exit %d: %s", id, code, stderr)
		}
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
			t.Fatalf("whatif --close %s: %v (%d rows)", id, err, len(rows))
		}
		r := rows[0]
		if r["closed"] != id || r["full_offices_after"].(float64) != r["full_offices_before"].(float64)-1 {
			t.Errorf("whatif --close %s: %v", id, r)
		}
		if moved := r["moved_population"].(float64); moved < 0 || moved > r["population"].(float64) {
			t.Errorf("whatif --close %s: moved population %g", id, moved)
		}
		if r["counter_rule"] == "" {
			t.Errorf("whatif --close %s: no counter rule", id)
		}
	}
}

func TestWhatIfErrorsWriteNothing(t *testing.T) {
	for _, args := range [][]string{
		{"--close", "nosuch"},
		{"--scenario", whatifFixture("bad_close_all.json")},
		{"--scenario", whatifFixture("bad_unknown_id.yaml")},
		{"--scenario", whatifFixture("bad_syntax.json")},
		{"--scenario", whatifFixture("bad_syntax.yaml")},
		{"--scenario", whatifFixture("bad_key.yaml")},
		{"--scenario", whatifFixture("missing.yaml")},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		file := filepath.Join(t.TempDir(), "whatif.csv")
		for _, target := range [][]string{{"--out", dir}, {"-o", file, "--format", "csv"}} {
			code, _, stderr := runCLI(t, append(append([]string{"whatif"}, args...), target...)...)
			if code != 1 || !strings.Contains(stderr, "catchment whatif: ") {
				t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("%v: %s was created", args, dir)
			}
			if _, err := os.Stat(file); err == nil {
				t.Errorf("%v: %s was written", args, file)
			}
		}
	}
}

func TestWhatIfScenarioWritesEveryFile(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI(t, "whatif", "--scenario", whatifFixture("staged.yaml"), "--each", "--out", dir, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"whatif_summary.csv", "whatif_districts.csv", "whatif_offices.csv", "whatif.geojson", "whatif_offices.geojson", "whatif_each.csv", "whatif.md"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v (%d bytes)", f, err, len(b))
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "whatif.md"))
	for _, want := range []string{"## What if: example staged plan", "2026 service corners", "2028 closures", "Counter load:", "least impact first"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("whatif.md lacks %q", want)
		}
	}
}

func TestWhatIfUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"whatif"},
		{"whatif", "--close", "oe", "--scenario", "x.yaml"},
		{"whatif", "--close", "oe", "--table", "nosuch"},
		{"whatif", "--each", "--format", "geojson"},
		{"whatif", "--close", "oe", "--stage", "2"},
		{"whatif", "--close", "oe", "--certificate-share", "2"},
		{"whatif", "--close", "oe", "--maps"},
	} {
		if code, _, _ := runCLI(t, args...); code == 0 {
			t.Errorf("%v: exit 0, want an error", args)
		}
	}
}

func TestWhatIfRoadMetricChuo(t *testing.T) {
	requireShared(t, chuoDrive)
	for _, metric := range []string{"road", "time"} {
		code, out, stderr := runCLI(t, "whatif", "--close", "oe", "--metric", metric, "--network", chuoDrive,
			"--table", "districts", "--all", "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", metric, code, stderr)
		}
		if !strings.Contains(stderr, "(nishi)") || !strings.Contains(stderr, "not routed") {
			t.Errorf("%s: warnings do not name the offices and districts outside the network:\n%.600s", metric, stderr)
		}
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatal(err)
		}
		routed, unrouted, moved := 0, 0, 0
		for _, r := range rows {
			if r["metric"] != metric {
				t.Fatalf("%s: row metric %v", metric, r["metric"])
			}
			if r["distance_after_m"] == nil {
				unrouted++
				if !strings.Contains(r["note"].(string), "outside network coverage") || r["office_after_id"] != nil {
					t.Errorf("%s: unrouted row %v", metric, r)
				}
				continue
			}
			routed++
			if r["time_after_s"] == nil {
				t.Errorf("%s: routed row without time: %v", metric, r)
			}
			if r["office_after_id"] == "oe" {
				t.Errorf("%s: district %v still goes to the closed office", metric, r["district_id"])
			}
			if r["moved"] == true {
				moved++
			}
		}
		if routed == 0 || unrouted == 0 || moved == 0 {
			t.Errorf("%s: %d routed, %d unrouted, %d moved districts", metric, routed, unrouted, moved)
		}
		code, out, stderr = runCLI(t, "whatif", "--close", "oe", "--metric", metric, "--network", chuoDrive, "--format", "json", "--quiet")
		if code != 0 || stderr != "" {
			t.Fatalf("%s summary: exit %d: %s", metric, code, stderr)
		}
		var sum []map[string]any
		if err := json.Unmarshal([]byte(out), &sum); err != nil || len(sum) != 1 {
			t.Fatalf("%s summary: %v", metric, err)
		}
		if sum[0]["unrouted_after"].(float64) != float64(unrouted) || sum[0]["districts"].(float64) != float64(len(rows)) {
			t.Errorf("%s summary: unrouted %v of %v districts, table %d of %d", metric, sum[0]["unrouted_after"], sum[0]["districts"], unrouted, len(rows))
		}
	}
}

func TestWhatIfMetricFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"whatif", "--close", "oe", "--metric", "road"}, "needs --network"},
		{[]string{"whatif", "--close", "oe", "--metric", "time", "--network", "../../testdata/cli/nope.osm.pbf"}, "nope.osm.pbf"},
		{[]string{"whatif", "--close", "oe", "--network", "x.json"}, "only with --metric road or time"},
		{[]string{"whatif", "--close", "oe", "--metric", "time", "--network", "../../testdata/network/small.json", "--max-snap-m", "-1"}, "--max-snap-m"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 1 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, stderr, tc.msg)
		}
	}
}

func TestWhatIfNoOfficeOnNetwork(t *testing.T) {
	// The embedded Kumamoto offices are kilometres from the small hand-made network.
	code, _, stderr := runCLI(t, "whatif", "--close", "oe", "--metric", "road", "--network", "../../testdata/network/small.json", "--quiet")
	if code != 1 || !strings.Contains(stderr, "none of the 19 offices is within 500 m of the road network") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}
