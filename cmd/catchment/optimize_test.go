package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/orlib"
	"github.com/kumamoto-gis/catchment/render"
)

// planKeys are the keys of a plan in the JSON contract.
var planKeys = []string{"model", "k", "service_m", "kept", "open", "closed", "objective", "objective_unit", "optimal",
	"lower_bound", "gap", "total_population", "covered_population", "uncovered", "mean_distance_m", "max_distance_m",
	"seconds", "assignment"}

func decodePlans(t *testing.T, out string) []render.Plan {
	t.Helper()
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		var one map[string]any
		if err := json.Unmarshal([]byte(out), &one); err != nil {
			t.Fatalf("not JSON: %v\n%.500s", err, out)
		}
		raw = []map[string]any{one}
		out = "[" + out + "]"
	}
	for _, r := range raw {
		for _, k := range planKeys {
			if _, ok := r[k]; !ok {
				t.Errorf("plan K=%v lacks key %s", r["k"], k)
			}
		}
		rows, _ := r["assignment"].([]any)
		for _, row := range rows {
			for _, k := range []string{"district_id", "office_id", "distance_m", "population", "covered"} {
				if _, ok := row.(map[string]any)[k]; !ok {
					t.Fatalf("assignment row %v lacks key %s", row, k)
				}
			}
		}
	}
	var plans []render.Plan
	if err := json.Unmarshal([]byte(out), &plans); err != nil {
		t.Fatal(err)
	}
	return plans
}

// kumamotoBrute is the p-median optimum on the embedded data with the ward
// offices kept, by enumeration with geodesic distances computed here.
func kumamotoBrute(t *testing.T, k int) (float64, []string) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	pts := catchment.RepresentativePoints(ds.Districts)
	var branches []int
	dist := make([][]float64, len(ds.Districts))
	for i := range dist {
		dist[i] = make([]float64, len(ds.Offices))
		for j, o := range ds.Offices {
			dist[i][j] = geo.Distance(pts[i], o.Location)
		}
	}
	wards := 0
	for j, o := range ds.Offices {
		if o.Kind == data.Branch {
			branches = append(branches, j)
		} else {
			wards++
		}
	}
	best, bestSet := math.Inf(1), []string(nil)
	for mask := 0; mask < 1<<len(branches); mask++ {
		open := make([]bool, len(ds.Offices))
		n := 0
		for b, j := range branches {
			if mask&(1<<b) != 0 {
				open[j] = true
				n++
			}
		}
		if n != k-wards {
			continue
		}
		for j, o := range ds.Offices {
			if o.Kind == data.Ward {
				open[j] = true
			}
		}
		sum := 0.0
		for i, d := range ds.Districts {
			m := math.Inf(1)
			for j, ok := range open {
				if ok {
					m = math.Min(m, dist[i][j])
				}
			}
			sum += d.Pop() * m
		}
		if sum < best {
			best, bestSet = sum, nil
			for b, j := range branches {
				if mask&(1<<b) != 0 {
					bestSet = append(bestSet, ds.Offices[j].ID)
				}
			}
		}
	}
	return best, bestSet
}

func TestOptimizeKumamotoCurve(t *testing.T) {
	dir := t.TempDir()
	out, chart := filepath.Join(dir, "curve.json"), filepath.Join(dir, "curve.png")
	code, _, stderr := runCLI(t, "optimize", "--model", "pmedian", "--curve", "5-19", "--keep-kind", "ward",
		"--format", "json", "-o", out, "--chart", chart, "--latin", "--width", "800")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	plans := decodePlans(t, string(b))
	if len(plans) != 15 {
		t.Fatalf("%d plans, want K = 5 … 19", len(plans))
	}
	var summary strings.Builder
	for k, p := range plans {
		if p.K != 5+k || !p.Optimal || *p.Gap != 0 || p.LowerBound != p.Objective {
			t.Errorf("K=%d: k %d, optimal %v, gap %v, bound %g, objective %g", 5+k, p.K, p.Optimal, *p.Gap, p.LowerBound, p.Objective)
		}
		if !slices.Equal(p.Kept, []string{"chuo", "higashi", "kita", "minami", "nishi"}) {
			t.Errorf("K=%d: kept %v, want the five ward offices", p.K, p.Kept)
		}
		if k > 0 && p.Objective > plans[k-1].Objective {
			t.Errorf("K=%d: objective %g above K=%d's %g", p.K, p.Objective, p.K-1, plans[k-1].Objective)
		}
		if p.K == 10 || p.K == 12 || p.K == 14 {
			want, set := kumamotoBrute(t, p.K)
			if math.Abs(p.Objective-want) > 1e-6*want {
				t.Errorf("K=%d: objective %.1f, enumeration %.1f (%v)", p.K, p.Objective, want, set)
			}
		}
		fmt.Fprintf(&summary, "K=%d mean %.1f m max %.1f m closed %s\n", p.K, *p.MeanDistanceM, *p.MaxDistanceM, strings.Join(p.Closed, " "))
	}
	golden(t, "optimize_curve.txt", summary.String())
	if st, err := os.Stat(chart); err != nil || st.Size() < 10000 {
		t.Errorf("chart %s: %v", chart, err)
	}
}

func TestOptimizeModelsOnDefault(t *testing.T) {
	for _, tc := range []struct {
		args []string
		unit string
	}{
		{[]string{"--model", "pcenter", "--k", "8", "--keep-kind", "ward"}, "m"},
		{[]string{"--model", "mclp", "--k", "8", "--service-km", "3", "--keep-kind", "ward", "--extra", "stores,posts"}, "persons"},
		{[]string{"--model", "mclp", "--k", "8", "--service-km", "3", "--keep-kind", "ward"}, "persons"},
		{[]string{"--model", "lscp", "--service-km", "4"}, "offices"},
		{[]string{"--model", "lscp", "--service-km", "4", "--keep", "oe,chuo"}, "offices"},
	} {
		code, out, stderr := runCLI(t, append([]string{"optimize", "--format", "json"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		p := decodePlans(t, out)[0]
		if !p.Optimal || p.ObjectiveUnit != tc.unit {
			t.Errorf("%v: optimal %v, unit %s", tc.args, p.Optimal, p.ObjectiveUnit)
		}
		if p.Model == "lscp" && (p.Objective != float64(p.K) || !slices.Equal(p.Uncovered, p.Unreachable)) {
			t.Errorf("%v: %g offices for K=%d, uncovered %v, unreachable %v", tc.args, p.Objective, p.K, p.Uncovered, p.Unreachable)
		}
		if p.Model == "mclp" && p.Objective != p.CoveredPopulation {
			t.Errorf("%v: objective %g, covered %g", tc.args, p.Objective, p.CoveredPopulation)
		}
		if p.Model == "pcenter" && math.Abs(p.Objective-*p.MaxDistanceM) > 0.05 {
			t.Errorf("%v: objective %g, max distance %g", tc.args, p.Objective, *p.MaxDistanceM)
		}
	}
	// The text table.
	code, out, stderr := runCLI(t, "optimize", "--model", "pmedian", "--k", "10", "--keep-kind", "ward")
	if code != 0 || !strings.Contains(out, "proven optimal") || !strings.Contains(out, "SYNTHETIC") {
		t.Errorf("text output: exit %d %s\n%s", code, stderr, out)
	}
}

// TestOptimizeScenarioFeedsWhatIf writes a plan as a scenario and runs it
// through whatif: its last stage closes exactly the plan's closed offices.
func TestOptimizeScenarioFeedsWhatIf(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	code, out, stderr := runCLI(t, "optimize", "--model", "pmedian", "--k", "12", "--keep-kind", "ward", "--format", "json", "--write-scenario", plan)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	p := decodePlans(t, out)[0]
	sc, err := catchment.LoadScenario(plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Stages) != len(p.Closed) {
		t.Errorf("%d stages for %d closures", len(sc.Stages), len(p.Closed))
	}
	ds, _, _ := data.Default()
	changes, err := sc.Changes(ds.Offices)
	if err != nil {
		t.Fatal(err)
	}
	last := slices.Sorted(slices.Values(changes[len(changes)-1].Close))
	if !slices.Equal(last, p.Closed) {
		t.Errorf("the last stage closes %v, the plan %v", last, p.Closed)
	}
	code, out, stderr = runCLI(t, "whatif", "--scenario", plan, "--format", "csv", "--table", "summary")
	if code != 0 || strings.Count(out, "\n") != len(sc.Stages)+1 {
		t.Errorf("whatif --scenario: exit %d %s\n%s", code, stderr, out)
	}
}

// writeORLib writes an OR-Library instance as a cost matrix.
func writeORLib(t *testing.T, dir, name string) *orlib.Instance {
	t.Helper()
	in, err := orlib.Load(filepath.Join("..", "..", "..", "shared", "data", "orlib_pmed", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".csv"), in.CostMatrixCSV(), 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

// TestOptimizeORLib solves OR-Library p-median instances through
// --cost-matrix to the proven optimum (pmedopt.txt), and the same graphs
// as p-centers to the published optimal radii (Pullan 2008).
func TestOptimizeORLib(t *testing.T) {
	requireShared(t, "../../../shared/data/orlib_pmed/pmedopt.txt")
	optima, err := orlib.Optima("../../../shared/data/orlib_pmed/pmedopt.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	start := time.Now()
	for _, tc := range []struct {
		n     int
		model string
	}{
		// n = 100 … 900, p = 5 … 100: small p (deep trees) and large.
		{1, "pmedian"}, {4, "pmedian"}, {6, "pmedian"}, {10, "pmedian"}, {13, "pmedian"}, {16, "pmedian"},
		{24, "pmedian"}, {40, "pmedian"},
		{1, "pcenter"}, {6, "pcenter"}, {10, "pcenter"}, {19, "pcenter"},
	} {
		name := fmt.Sprintf("pmed%d", tc.n)
		in := writeORLib(t, dir, name)
		code, out, stderr := runCLI(t, "optimize", "--model", tc.model, "--k", strconv.Itoa(in.P),
			"--cost-matrix", filepath.Join(dir, name+".csv"), "--format", "json", "--quiet")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		p := decodePlans(t, out)[0]
		want := optima[name]
		if tc.model == "pcenter" {
			want = orlib.CenterRadii[tc.n-1]
		}
		if p.Objective != want || !p.Optimal || len(p.Open) != in.P || p.TotalPopulation != float64(in.N) {
			t.Errorf("%s %s: objective %g (optimal %v, %d open, population %g), want %g proven", name, tc.model, p.Objective, p.Optimal, len(p.Open), p.TotalPopulation, want)
		}
	}
	t.Logf("OR-Library subset in %v", time.Since(start))
}

// TestOptimizeMatrixAlone optimises a cost matrix with a weight column and
// no layers: the origins are the demand, the destinations the candidates.
func TestOptimizeMatrixAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.csv")
	// Three towns on a line at 0, 10 and 11 km; the big one at 0.
	csv := "origin,dest,distance_km,weight\n"
	pos := map[string]float64{"a": 0, "b": 10, "c": 11}
	weight := map[string]int{"a": 100, "b": 1, "c": 1}
	for _, o := range []string{"a", "b", "c"} {
		for _, d := range []string{"a", "b", "c"} {
			csv += fmt.Sprintf("%s,%s,%g,%d\n", o, d, math.Abs(pos[o]-pos[d]), weight[o])
		}
	}
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "optimize", "--model", "pmedian", "--k", "1", "--cost-matrix", path, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	p := decodePlans(t, out)[0]
	if !slices.Equal(p.Open, []string{"a"}) || p.Objective != 21000 || p.TotalPopulation != 102 {
		t.Errorf("weighted 1-median: open %v, objective %g, population %g", p.Open, p.Objective, p.TotalPopulation)
	}
	code, out, _ = runCLI(t, "optimize", "--model", "pcenter", "--k", "2", "--keep", "c", "--cost-matrix", path, "--format", "json")
	p = decodePlans(t, out)[0]
	if code != 0 || !slices.Equal(p.Open, []string{"a", "c"}) || p.Objective != 1000 || !slices.Equal(p.Kept, []string{"c"}) {
		t.Errorf("2-center keeping c: exit %d, open %v, objective %g", code, p.Open, p.Objective)
	}
}

func TestOptimizeStrict(t *testing.T) {
	// With 1.5 km some synthetic districts are beyond every office.
	code, out, stderr := runCLI(t, "optimize", "--model", "lscp", "--service-km", "1.5", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	p := decodePlans(t, out)[0]
	if len(p.Uncovered) == 0 || !p.Optimal {
		t.Fatalf("uncovered %v, optimal %v", p.Uncovered, p.Optimal)
	}
	out2 := filepath.Join(t.TempDir(), "x.json")
	code, _, stderr = runCLI(t, "optimize", "--model", "lscp", "--service-km", "1.5", "--strict", "--format", "json", "-o", out2)
	if code != 2 || !strings.Contains(stderr, "cannot be covered") || !strings.Contains(stderr, p.Uncovered[0]) {
		t.Errorf("--strict: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out2); err == nil {
		t.Error("--strict wrote the output")
	}
}

func TestOptimizeErrorsWriteNothing(t *testing.T) {
	dir := t.TempDir()
	matrix := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	missing := matrix("missing.csv", "origin,dest,distance_m\na,x,1\na,y,2\nb,x,3\n")
	negative := matrix("negative.csv", "origin,dest,distance_m\na,x,1\na,y,-2\n")
	unknown := matrix("unknown.csv", "origin,dest,distance_m\nd01,chuo,1\nnowhere,chuo,2\n")
	partial := matrix("partial.csv", "origin,dest,distance_m\nd01,chuo,1\n")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--k", "20"}, "K = 20 is more than the 19 candidate offices"},
		{[]string{"--k", "4", "--keep-kind", "ward"}, "K = 4 is fewer than the 5 kept offices"},
		{[]string{"--curve", "3-8", "--keep-kind", "ward"}, "--curve 3-8: K = 3 is fewer than the 5 kept"},
		{[]string{"--k", "5", "--keep", "oe,nowhere"}, `unknown office id "nowhere"`},
		{[]string{"--k", "0"}, "--k must be at least 1"},
		{[]string{}, "needs --k N"},
		{[]string{"--model", "median", "--k", "3"}, `unknown model "median"`},
		{[]string{"--model", "mclp", "--k", "3"}, "needs --service-km"},
		{[]string{"--model", "mclp", "--k", "3", "--service-km", "0"}, "--service-km must be a positive number of km, got 0"},
		{[]string{"--model", "mclp", "--k", "3", "--service-km", "NaN"}, "--service-km NaN: want a distance in km, a finite number"},
		{[]string{"--model", "mclp", "--k", "3", "--service-km", "-2"}, "--service-km -2: want a distance in km from 0"},
		{[]string{"--model", "lscp", "--service-km", "+Inf"}, "--service-km +Inf: want a distance in km, a finite number"},
		{[]string{"--model", "lscp", "--service-km", "3", "--k", "4"}, "leave out --k"},
		{[]string{"--model", "mclp", "--k", "3", "--service-min", "10"}, "--service-min needs travel times"},
		{[]string{"--k", "3", "--time-limit", "NaN"}, "--time-limit NaN: want seconds, a finite number"},
		{[]string{"--k", "3", "--time-limit", "0"}, "--time-limit must be a positive number"},
		{[]string{"--k", "3", "--curve", "3-5"}, "either --k or --curve"},
		{[]string{"--curve", "9-5"}, `--curve "9-5": want A-B`},
		{[]string{"--k", "3", "--extra", "kiosks"}, `--extra "kiosks"`},
		{[]string{"--k", "3", "--keep-kind", "palace"}, `--keep-kind "palace"`},
		{[]string{"--curve", "5-6", "--write-scenario", filepath.Join(dir, "p.yaml")}, "--write-scenario writes one plan"},
		{[]string{"--k", "3", "--write-scenario", filepath.Join(dir, "p.txt")}, "want a .yaml, .yml or .json file"},
		{[]string{"--k", "1", "--cost-matrix", missing}, "missing.csv: no cost from origin b to destination y"},
		{[]string{"--k", "1", "--cost-matrix", negative}, "line 3: field distance_m: negative cost -2"},
		{[]string{"--k", "1", "--cost-matrix", unknown}, `unknown.csv: line 3: field origin: "nowhere" is not the id of a district or office`},
		{[]string{"--k", "1", "--cost-matrix", partial}, "partial.csv: no cost from district d01 to office higashi (and 1708 more pairs)"},
		{[]string{"--k", "1", "--cost-matrix", missing, "--keep", "z"}, "missing.csv: no cost"},
	} {
		out := filepath.Join(dir, "out.json")
		args := append([]string{"optimize", "--format", "json", "-o", out}, tc.args...)
		code, _, stderr := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, stderr, tc.msg)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: output written", tc.args)
			os.Remove(out)
		}
	}
}

// TestReportIfKOfficesWereKept checks the report's section: the best plan
// for K = 5 … 19 with the ward offices kept, the distance rule beside it,
// and its chart.
func TestReportIfKOfficesWereKept(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI(t, "report", "--out", dir, "--latin", "--width", "800")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(md), "## If K offices were kept")
	if !ok {
		t.Fatal("report.md has no section \"If K offices were kept\"")
	}
	for _, want := range []string{
		"| 5 | 3.47 | 9.45 | yes | none |",
		"| 8 | 2.60 | 9.45 | yes | 花園、幸田、龍田 |",
		"The 5 km rule closes 11 branch offices and keeps K = 8: the mean distance becomes 2.96 km. The best 8 offices give 2.60 km",
		"![Best plans by the number of offices](chart_optimize.png)",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("section lacks %q:\n%s", want, section)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "chart_optimize.png")); err != nil || st.Size() < 10000 {
		t.Errorf("chart_optimize.png: %v", err)
	}
}

// TestOptimizePointDistricts reads districts given as points (GeoJSON
// Point, CSV WKT POINT) and uses them as the demand points; other
// commands still want polygons.
func TestOptimizePointDistricts(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Towns at 0, 5 and 10 km east; offices at 0 (ward), 6 and 9 km.
	offices := write("offices.csv", "id,name,kind,lat,lon\nw,W,ward,32.80,130.70\nx,X,branch,32.80,130.76\ny,Y,branch,32.80,130.79\n")
	geojson := write("d.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a","name":"A","population":100},"geometry":{"type":"Point","coordinates":[130.70,32.80]}},
{"type":"Feature","properties":{"id":"b","name":"B","population":10},"geometry":{"type":"Point","coordinates":[130.75,32.80]}},
{"type":"Feature","properties":{"id":"c","name":"C","population":30},"geometry":{"type":"Point","coordinates":[130.80,32.80]}}]}`)
	csv := write("d.csv", "id,name,population,wkt\na,A,100,POINT (130.70 32.80)\nb,B,10,POINT (130.75 32.80)\nc,C,30,POINT (130.80 32.80)\n")
	for _, d := range []string{geojson, csv} {
		code, out, stderr := runCLI(t, "optimize", "--offices", offices, "--districts", d, "--k", "2", "--keep-kind", "ward", "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", d, code, stderr)
		}
		p := decodePlans(t, out)[0]
		// {w, x}: 10 × 936 m + 30 × 3,747 m; {w, y}: 10 × 3,747 m + 30 × 937 m.
		if !slices.Equal(p.Open, []string{"w", "y"}) || !p.Optimal || p.Assignment[0].DistanceM == nil || *p.Assignment[0].DistanceM != 0 {
			t.Errorf("%s: open %v, optimal %v, rows %+v", d, p.Open, p.Optimal, p.Assignment)
		}
	}
	code, _, stderr := runCLI(t, "assign", "--offices", offices, "--districts", geojson)
	if code == 0 || !strings.Contains(stderr, "this layer needs Polygon or MultiPolygon") {
		t.Errorf("assign with point districts: exit %d, %s", code, stderr)
	}
}

// TestOptimizeRoadAndTime runs the models on the 中央区 road network: the
// same solver under route metres and travel seconds, districts off the
// network listed as unreachable.
func TestOptimizeRoadAndTime(t *testing.T) {
	requireShared(t, chuoDrive)
	for _, tc := range []struct {
		args []string
		unit string
	}{
		{[]string{"--metric", "road", "--model", "pmedian", "--k", "3"}, "person_m"},
		{[]string{"--metric", "time", "--model", "pmedian", "--k", "3"}, "person_s"},
		{[]string{"--metric", "time", "--model", "mclp", "--k", "2", "--service-min", "5"}, "persons"},
		{[]string{"--metric", "road", "--model", "pcenter", "--k", "2", "--keep", "chuo"}, "m"},
	} {
		args := append([]string{"optimize", "--network", chuoDrive, "--format", "json", "--quiet"}, tc.args...)
		code, out, stderr := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		p := decodePlans(t, out)[0]
		if p.ObjectiveUnit != tc.unit || !p.Optimal || len(p.Unreachable) == 0 || p.Metric != tc.args[1] {
			t.Errorf("%v: unit %s, optimal %v, %d unreachable, metric %s", tc.args, p.ObjectiveUnit, p.Optimal, len(p.Unreachable), p.Metric)
		}
		timed := tc.args[1] == "time"
		if timed != (p.MeanTimeS != nil) || (tc.unit == "persons") != (p.ServiceS != nil) {
			t.Errorf("%v: mean_time_s %v, service_s %v", tc.args, p.MeanTimeS, p.ServiceS)
		}
		for _, r := range p.Assignment {
			if tc.unit == "persons" {
				// Unreachable within the service time; still assigned.
				if slices.Contains(p.Unreachable, r.DistrictID) && r.Covered {
					t.Errorf("%v: district %s is unreachable but covered", tc.args, r.DistrictID)
				}
				continue
			}
			if slices.Contains(p.Unreachable, r.DistrictID) != (r.OfficeID == nil) {
				t.Errorf("%v: district %s: office %v, unreachable %v", tc.args, r.DistrictID, r.OfficeID, slices.Contains(p.Unreachable, r.DistrictID))
			}
		}
	}
	code, _, stderr := runCLI(t, "optimize", "--network", chuoDrive, "--metric", "time", "--model", "mclp", "--k", "2", "--service-km", "3")
	if code == 0 || !strings.Contains(stderr, "give --service-min instead of --service-km") {
		t.Errorf("--service-km under time: exit %d, %s", code, stderr)
	}
}

// TestOptimizeWithoutPopulation: with no population every district weighs
// 1, and the plan says it counts districts, not people (before: "population
// 90" and "person_m").
func TestOptimizeWithoutPopulation(t *testing.T) {
	k := filepath.Join("..", "..", "data", "kumamoto")
	raw, err := os.ReadFile(filepath.Join(k, "districts.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	bare := regexp.MustCompile(`"population": *[0-9.]+,?`).ReplaceAll(raw, nil)
	districts := filepath.Join(t.TempDir(), "districts.geojson")
	if err := os.WriteFile(districts, bare, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args               []string
		unit, demand, text string
	}{
		{[]string{"--districts", districts}, "district_m", "districts", "districts, 1 each"},
		{nil, "person_m", "population", "population covered"},
	} {
		args := append([]string{"optimize", "--model", "pmedian", "--k", "8", "--keep-kind", "ward", "--offices", filepath.Join(k, "offices.csv")}, tc.args...)
		if tc.args == nil {
			args = []string{"optimize", "--model", "pmedian", "--k", "8", "--keep-kind", "ward"}
		}
		code, out, stderr := runCLI(t, append(args, "--format", "json")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var plan struct {
			Unit   string `json:"objective_unit"`
			Demand string `json:"demand"`
		}
		if err := json.Unmarshal([]byte(out), &plan); err != nil {
			t.Fatal(err)
		}
		if plan.Unit != tc.unit || plan.Demand != tc.demand {
			t.Errorf("%v: unit %q demand %q, want %q %q", tc.args, plan.Unit, plan.Demand, tc.unit, tc.demand)
		}
		code, out, stderr = runCLI(t, args...)
		if code != 0 || !strings.Contains(out, tc.text) {
			t.Errorf("%v: exit %d, table lacks %q:\n%s%s", tc.args, code, tc.text, out, stderr)
		}
	}
}
