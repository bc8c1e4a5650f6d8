package catchment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/fixture"
	"github.com/paulmach/orb"
)

// pysalDir holds the inputs, cases and golden of the PySAL-formula test,
// written by its make_golden.py (rerun it to change them).
var pysalDir = filepath.Join("..", "testdata", "access", "pysal")

// pysalCase is one case of cases.json.
type pysalCase struct {
	Name       string       `json:"name"`
	Method     string       `json:"method"`
	Decay      string       `json:"decay"`
	CatchmentM float64      `json:"catchment_m"`
	SigmaM     float64      `json:"sigma_m"`
	Steps      [][2]float64 `json:"steps"`
	Beta       float64      `json:"beta"`
	ScaleM     float64      `json:"scale_m"`
	MinM       float64      `json:"min_m"`
	Supply     string       `json:"supply"`
}

func (c pysalCase) options() AccessOptions {
	o := AccessOptions{Method: AccessMethod(c.Method), Decay: Decay(c.Decay), Catchment: c.CatchmentM, Sigma: c.SigmaM,
		Beta: c.Beta, Scale: c.ScaleM, Min: c.MinM, Supply: SupplyField(c.Supply)}
	for _, s := range c.Steps {
		o.Steps = append(o.Steps, WeightStep{Limit: s[0], Weight: s[1]})
	}
	return o
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pysalDir, name))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows[1:]
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestAccessMatchesPySALFormulas runs every case of cases.json under the
// cost matrix costs.csv and compares each district with golden.csv, which
// make_golden.py computed with PySAL access's formulas in pandas.
func TestAccessMatchesPySALFormulas(t *testing.T) {
	var districts []data.District
	for i, r := range readCSV(t, "districts.csv") {
		pop := parseFloat(t, r[1])
		x := 130.6 + 0.01*float64(i) // positions do not matter under a cost matrix
		districts = append(districts, data.District{ID: r[0], Name: r[0], Population: &pop,
			Geometry: orb.MultiPolygon{fixture.Square(x, 32.8, x+0.005, 32.805)}})
	}
	var offices []data.Office
	for j, r := range readCSV(t, "offices.csv") {
		cc := parseFloat(t, r[1])
		offices = append(offices, data.Office{ID: r[0], Name: r[0], Kind: data.Branch, CounterCount: &cc,
			Location: orb.Point{130.6 + 0.01*float64(j), 32.9}})
	}
	table, _, err := data.LoadCostMatrix(filepath.Join(pysalDir, "costs.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	s := studyOf(t, districts, offices, Options{Metric: NewCostMatrix(table)})
	b, err := os.ReadFile(filepath.Join(pysalDir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []pysalCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	golden := map[string][2]float64{}
	for _, r := range readCSV(t, "golden.csv") {
		golden[r[0]+"/"+r[1]] = [2]float64{parseFloat(t, r[2]), parseFloat(t, r[3])}
	}
	var districtsChecked, nanSeen int
	for _, c := range cases {
		a, err := s.Access(c.options())
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		var sum float64
		for _, d := range a.Districts {
			want, ok := golden[c.Name+"/"+d.District.ID]
			if !ok {
				t.Fatalf("%s: no golden value for %s", c.Name, d.District.ID)
			}
			districtsChecked++
			sum += d.Population * d.Access
			if math.IsNaN(want[0]) {
				// PySAL gives NaN where no office is in range; we give 0.
				nanSeen++
				if d.Access != 0 || d.OfficesReached != 0 || d.Note == "" {
					t.Errorf("%s: %s: PySAL has no office in range; got access %g, %d offices, note %q", c.Name, d.District.ID, d.Access, d.OfficesReached, d.Note)
				}
				continue
			}
			if !closeRel(d.Access, want[0], 1e-9) {
				t.Errorf("%s: %s: access %.17g, PySAL formulas %.17g", c.Name, d.District.ID, d.Access, want[0])
			}
			if !closeRel(d.Norm, want[1], 1e-9) {
				t.Errorf("%s: %s: access_norm %.17g, PySAL formulas %.17g", c.Name, d.District.ID, d.Norm, want[1])
			}
		}
		if a.Options.Method.fca() && !closeRel(sum, a.SupplyReached, 1e-9) {
			t.Errorf("%s: Σ P·A = %g, supply reached %g", c.Name, sum, a.SupplyReached)
		}
	}
	if districtsChecked != len(cases)*len(districts) || nanSeen == 0 {
		t.Errorf("checked %d districts (%d without office in range)", districtsChecked, nanSeen)
	}
}

// TestPySALGoldenIsReproducible reruns make_golden.py and checks that it
// writes the committed files, so that the golden is what the script says.
func TestPySALGoldenIsReproducible(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import numpy, pandas").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s with numpy and pandas is needed under CI (apt-get install python3-pandas): %v", python, err)
		}
		t.Skipf("SKIPPING: %s with numpy and pandas is absent (%v); the PySAL golden was not regenerated", python, err)
	}
	dir := t.TempDir()
	for _, f := range []string{"make_golden.py", "cases.json"} {
		b, err := os.ReadFile(filepath.Join(pysalDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(python, "make_golden.py")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make_golden.py: %v\n%s", err, out)
	}
	for _, f := range []string{"districts.csv", "offices.csv", "costs.csv", "golden.csv"} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(pysalDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("make_golden.py writes a %s that differs from the committed one: %s", f, fmt.Sprintf("%d vs %d bytes", len(got), len(want)))
		}
	}
}
