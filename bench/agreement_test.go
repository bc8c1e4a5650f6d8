// Package bench holds the comparison harness (compare.py, see README.md)
// and this small agreement check, which runs it at city scale.
package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

// TestAgreementCity runs compare.py on the synthetic city against
// GeoPandas (QGIS off) and checks that the store counts agree exactly and
// that nearest offices differ only at near ties. It skips, saying so, when
// Debian's python3-geopandas is not installed.
func TestAgreementCity(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import geopandas, scipy").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI: /usr/bin/python3 cannot import geopandas and scipy: .ci/run must apt-get install python3-geopandas python3-rtree python3-scipy")
		}
		t.Skip("SKIPPED: /usr/bin/python3 cannot import geopandas and scipy (apt-get install python3-geopandas python3-rtree python3-scipy); the agreement check did not run")
	}
	spec, _ := synthetic.SpecFor(synthetic.City)
	g, err := synthetic.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := g.WriteDir(filepath.Join(dir, "data"), nil); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "compare.py", "--data", filepath.Join(dir, "data"), "--work", filepath.Join(dir, "work"), "--runs", "1", "--no-qgis")
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("compare.py: %v\n%s", err, out)
	}
	count := regexp.MustCompile(`\| count \| geopandas \|.*\| (\d+)/(\d+) same count \((\d+) differ\)`).FindSubmatch(out)
	if count == nil || string(count[3]) != "0" {
		t.Errorf("store counts disagree with GeoPandas:\n%s", out)
	}
	near := regexp.MustCompile(`\| nearest \| geopandas \|.*\| (\d+)/(\d+) same office \((\d+) differ\)(; their office at most ([0-9.]+) % farther)?`).FindSubmatch(out)
	if near == nil {
		t.Fatalf("no nearest row for GeoPandas:\n%s", out)
	}
	same, _ := strconv.Atoi(string(near[1]))
	all, _ := strconv.Atoi(string(near[2]))
	if all == 0 || float64(same) < 0.99*float64(all) {
		t.Errorf("nearest offices: only %d of %d agree with GeoPandas:\n%s", same, all, out)
	}
	if len(near[5]) > 0 {
		if worst, _ := strconv.ParseFloat(string(near[5]), 64); worst > 1 {
			t.Errorf("a nearest office differs by more than a near tie (%.2f %%):\n%s", worst, out)
		}
	}
}
