package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPopulationLayerWeightsDistricts loads three populated points over the
// embedded default: districts take their population from the points, and a
// point in no district is reported and left out.
func TestPopulationLayerWeightsDistricts(t *testing.T) {
	code, out, stderr := runCLI(t, "assign", "--population", "../../testdata/population/three.csv", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "1 cells (population 7 of 407) lie in no district") {
		t.Errorf("no warning about the point outside every district:\n%s", stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	var total float64
	populated := 0
	for _, r := range rows {
		p, _ := r["population"].(float64)
		total += p
		if p > 0 {
			populated++
		}
	}
	if total != 400 || populated < 2 || populated > 3 {
		t.Errorf("districts hold %g people in %d districts; want 400 in 2–3", total, populated)
	}
}

func TestPopulationNeedsDistricts(t *testing.T) {
	code, _, stderr := runCLI(t, "assign", "--offices", "../../data/kumamoto/offices.csv", "--population", "../../testdata/population/three.csv")
	if code != 1 || !strings.Contains(stderr, "needs a districts layer") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}
