package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/cli")

// runCLI runs the command line and returns exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// golden compares got with testdata/cli/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "cli", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/catchment -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update after checking):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestNearestJSONOnDefault(t *testing.T) {
	code, out, stderr := runCLI(t, "nearest", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(rows) != 14 {
		t.Fatalf("%d rows, want the 14 branch offices", len(rows))
	}
	for _, r := range rows {
		for _, k := range []string{"office_id", "office_name", "nearest_id", "nearest_name", "distance_m"} {
			if _, ok := r[k]; !ok {
				t.Errorf("row %v lacks key %s", r["office_id"], k)
			}
		}
		if _, ok := r["distance_m"].(float64); !ok {
			t.Errorf("%v: distance_m is %T, want a number", r["office_id"], r["distance_m"])
		}
	}
	golden(t, "nearest.json", out)
}

func TestCandidatesOnDefault(t *testing.T) {
	code, out, stderr := runCLI(t, "candidates", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "candidates.csv", out)
	code, out, _ = runCLI(t, "candidates", "--max-km", "3", "--format", "json")
	if code != 0 {
		t.Fatal(code)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r["distance_m"].(float64) > 3000 || r["max_km"].(float64) != 3 {
			t.Errorf("row %v beyond --max-km 3", r)
		}
	}
}

func TestTablesOnDefault(t *testing.T) {
	for _, tc := range []struct {
		args []string
		keys []string
	}{
		{[]string{"assign", "--format", "json"}, []string{"district_id", "district_name", "office_id", "office_name", "distance_m", "population"}},
		{[]string{"gaps", "--format", "json"}, []string{"district_id", "district_name", "stores", "posts", "gap"}},
		{[]string{"catchments", "--format", "json"}, []string{"office_id", "office_name", "districts", "population", "area_km2"}},
		{[]string{"catchments", "--method", "voronoi", "--format", "json"}, []string{"office_id", "area_km2"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, stderr := runCLI(t, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rows []map[string]any
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if len(rows) == 0 {
				t.Fatal("no rows")
			}
			for _, k := range tc.keys {
				if _, ok := rows[0][k]; !ok {
					t.Errorf("lacks key %s: %v", k, rows[0])
				}
			}
		})
	}
}

func TestTextTableOnDefault(t *testing.T) {
	code, out, stderr := runCLI(t, "nearest")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "nearest.txt", out)
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"nearest", "--format", "xml"}, 1, `--format "xml"`},
		{[]string{"nearest", "--format", "geojson"}, 1, `--format "geojson"`},
		{[]string{"candidates", "--max-km", "-1"}, 1, "--max-km -1: want a distance in km"},
		{[]string{"assign", "--offices", "../../testdata/cli/does-not-exist.csv"}, 1, "does-not-exist.csv"},
		{[]string{"nearest", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"nearest", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"catchments", "--method", "hex"}, 1, `--method "hex"`},
		{[]string{"nearest", "--field", "offices.name=X"}, 1, "need input files"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, c := range commands() {
		code, _, stderr := runCLI(t, c.name, "-h")
		if code != 0 || !strings.Contains(stderr, "Example:") || !strings.Contains(stderr, "catchment "+c.name) {
			t.Errorf("%s -h: exit %d, %q", c.name, code, stderr)
		}
	}
}

func TestOutputFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nearest.csv")
	if err := os.WriteFile(path, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	// a failing command leaves the existing file alone
	code, _, _ := runCLI(t, "assign", "--offices", "../../testdata/cli/does-not-exist.csv", "-o", path)
	if code == 0 {
		t.Fatal("want failure")
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Fatalf("file changed to %q", b)
	}
	code, _, stderr := runCLI(t, "nearest", "--format", "csv", "-o", path)
	if code != 0 {
		t.Fatal(stderr)
	}
	b, _ := os.ReadFile(path)
	// A CSV file starts with a byte-order mark, for Excel.
	if !strings.HasPrefix(string(b), "\ufeffoffice_id,office_name,nearest_id") {
		t.Fatalf("unexpected file: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temp files left behind: %v", entries)
	}
}
