package main

import (
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

// accessRows runs access with args and --format json and decodes the rows.
func accessRows(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	code, out, stderr := runCLI(t, append(append([]string{"access"}, args...), "--format", "json", "--quiet")...)
	if code != 0 {
		t.Fatalf("access %v: exit %d: %s", args, code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("access %v: not JSON: %v", args, err)
	}
	return rows
}

func keysOf(r map[string]any) []string {
	var ks []string
	for k := range r {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestAccessJSONKeysOnDefault(t *testing.T) {
	rows := accessRows(t)
	if len(rows) != 90 {
		t.Fatalf("%d rows, want the 90 districts", len(rows))
	}
	want := []string{"access", "access_norm", "district_id", "district_name", "offices_reached", "population"}
	for _, r := range rows {
		if got := keysOf(r); !slices.Equal(got, want) {
			t.Fatalf("keys %v, want %v", got, want)
		}
	}
	offices := accessRows(t, "--level", "office")
	if len(offices) != 19 {
		t.Fatalf("%d office rows, want 19", len(offices))
	}
	if got := keysOf(offices[0]); !slices.Equal(got, []string{"office_id", "office_name", "ratio", "supply", "weighted_demand"}) {
		t.Errorf("office keys %v", got)
	}
	code, out, stderr := runCLI(t, "access", "--format", "csv", "--quiet")
	if code != 0 {
		t.Fatal(stderr)
	}
	golden(t, "access.csv", out)
	code, out, stderr = runCLI(t, "access", "--level", "office", "--method", "2sfca", "--format", "csv", "--quiet")
	if code != 0 {
		t.Fatal(stderr)
	}
	golden(t, "access_offices_2sfca.csv", out)
}

// TestAccessFlagsMatchLibrary checks that the flags in km reach the
// library as the options in metres: the CLI's values equal the library's.
func TestAccessFlagsMatchLibrary(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		opt  catchment.AccessOptions
	}{
		{[]string{"--method", "2sfca", "--catchment-km", "3", "--supply-field", "none"},
			catchment.AccessOptions{Method: catchment.Access2SFCA, Catchment: 3000, Supply: catchment.SupplyNone}},
		{[]string{"--steps", "1:1,2:0.5,3.5:0.1"},
			catchment.AccessOptions{Method: catchment.AccessE2SFCA, Catchment: 3500, Steps: []catchment.WeightStep{{Limit: 1000, Weight: 1}, {Limit: 2000, Weight: 0.5}, {Limit: 3500, Weight: 0.1}}}},
		{[]string{"--decay", "gaussian", "--catchment-km", "4"},
			catchment.AccessOptions{Method: catchment.AccessE2SFCA, Decay: catchment.DecayGaussian, Catchment: 4000}},
		{[]string{"--decay", "pysal-gaussian", "--sigma-km", "1.5"},
			catchment.AccessOptions{Method: catchment.AccessE2SFCA, Decay: catchment.DecayPySALGaussian, Catchment: 5000, Sigma: 1500}},
		{[]string{"--method", "gravity", "--beta", "1.5", "--scale-km", "2", "--min-km", "0.2"},
			catchment.AccessOptions{Method: catchment.AccessGravity, Beta: 1.5, Scale: 2000, Min: 200}},
		{[]string{"--method", "gravity2sfca", "--catchment-km", "8", "--supply-field", "none"},
			catchment.AccessOptions{Method: catchment.AccessGravity2SFCA, Catchment: 8000, Beta: 1, Scale: 1000, Min: 100, Supply: catchment.SupplyNone}},
	} {
		rows := accessRows(t, tc.args...)
		a, err := s.Access(tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			d := a.Districts[i]
			if r["district_id"] != d.District.ID || r["access"].(float64) != d.Access || int(r["offices_reached"].(float64)) != d.OfficesReached {
				t.Fatalf("%v: row %d: %v, library %s %v %d", tc.args, i, r, d.District.ID, d.Access, d.OfficesReached)
			}
		}
	}
}

func TestAccessBadInputWritesNothing(t *testing.T) {
	dir := t.TempDir()
	// Offices without counter_count, for the supply field.
	noCounts := filepath.Join(dir, "offices.csv")
	if err := os.WriteFile(noCounts, []byte("id,name,kind,lat,lon\nchuo,中央区役所,ward,32.8031,130.7079\noe,大江出張所,branch,32.7946,130.7247\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	districts := filepath.Join("..", "..", "data", "kumamoto", "districts.geojson")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--catchment-km", "0"}, "--catchment-km must be a distance > 0"},
		{[]string{"--catchment-km", "-2"}, "--catchment-km -2: want a distance in km"},
		{[]string{"--catchment-km", "NaN"}, "a finite number"},
		{[]string{"--catchment-km", "+Inf"}, "a finite number"},
		{[]string{"--method", "gravity", "--beta", "0"}, "want an exponent above 0"},
		{[]string{"--method", "gravity", "--beta", "-1"}, "want an exponent above 0"},
		{[]string{"--method", "gravity2sfca", "--beta", "nan"}, "--beta NaN: want an exponent, a finite number"},
		{[]string{"--method", "gravity", "--scale-km", "0"}, "--scale-km must be > 0"},
		{[]string{"--method", "gravity", "--min-km", "-1"}, "--min-km -1: want a distance in km"},
		{[]string{"--steps", "1:1,x"}, `--steps "1:1,x": step 2 "x": want LIMIT:WEIGHT`},
		{[]string{"--steps", "2:1,1:0.5"}, "limits must ascend"},
		{[]string{"--steps", "1:-1"}, `the weight "-1" is not a number ≥ 0`},
		{[]string{"--steps", "0:1"}, `the limit "0" is not a number > 0`},
		{[]string{"--steps", "1:1,nan:0.5"}, `the limit "nan"`},
		{[]string{"--steps", ""}, "--steps \"\": no steps"},
		{[]string{"--steps", "1:1,6:0.2", "--catchment-km", "5"}, "beyond --catchment-km 5"},
		{[]string{"--steps", "1:1", "--decay", "gaussian"}, "--steps is for --method e2sfca with --decay step"},
		{[]string{"--method", "2sfca", "--decay", "gaussian"}, "--decay is for --method e2sfca"},
		{[]string{"--decay", "linear"}, `--decay "linear"`},
		{[]string{"--sigma-km", "2"}, "--sigma-km and --sigma-min are for --decay pysal-gaussian"},
		{[]string{"--decay", "pysal-gaussian", "--sigma-km", "0"}, "--sigma-km must be > 0"},
		{[]string{"--beta", "2"}, "are for --method gravity or gravity2sfca"},
		{[]string{"--method", "3sfca"}, `--method "3sfca"`},
		{[]string{"--supply-field", "staff"}, `--supply-field "staff"`},
		{[]string{"--offices", noCounts, "--districts", districts}, "--supply-field counter_count: office 中央区役所 (chuo) has no counter_count"},
		{[]string{"--catchment-min", "5"}, "--catchment-min does not apply: the geodesic metric measures distance; give --catchment-km"},
		{[]string{"--level", "ward"}, `--level "ward"`},
		{[]string{"--close", "nosuch"}, `unknown office id "nosuch"`},
		{[]string{"--scenario", whatifFixture("staged.yaml")}, "(tobu_new) has no counter_count"},
		{[]string{"--scenario", whatifFixture("bad_unknown_id.yaml")}, "nosuch"},
		{[]string{"--certificate-share", "1.5", "--close", "oe"}, "--certificate-share 1.5: want a fraction from 0 to 1"},
		{[]string{"--stage", "2"}, "--stage needs --scenario"},
		{[]string{"--map", filepath.Join(dir, "map.jpg")}, "give FILE.png"},
	} {
		out, png := filepath.Join(dir, "out.csv"), filepath.Join(dir, "map.png")
		args := append([]string{"access"}, tc.args...)
		if !slices.Contains(tc.args, "--map") {
			args = append(args, "--map", png)
		}
		args = append(args, "--format", "csv", "-o", out)
		code, stdout, stderr := runCLI(t, args...)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want one saying %q", tc.args, code, stderr, tc.want)
		}
		if stdout != "" {
			t.Errorf("%v: wrote to stdout: %q", tc.args, stdout)
		}
		for _, f := range []string{out, png} {
			if _, err := os.Stat(f); err == nil {
				t.Errorf("%v: %s was written", tc.args, f)
				os.Remove(f)
			}
		}
	}
}

func TestAccessWhatIf(t *testing.T) {
	rows := accessRows(t, "--close", "oe,akitsu")
	want := []string{"access_after", "access_before", "access_norm_after", "access_norm_before", "change", "district_id", "district_name",
		"offices_reached_after", "offices_reached_before", "population"}
	lost := 0
	for _, r := range rows {
		if got := keysOf(r); !slices.Equal(got, want) {
			t.Fatalf("keys %v, want %v", got, want)
		}
		b, a, c := r["access_before"].(float64), r["access_after"].(float64), r["change"].(float64)
		if math.Abs(a-b-c) > 1e-12 {
			t.Errorf("%v: change %g ≠ after − before", r["district_id"], c)
		}
		if a > b || r["offices_reached_after"].(float64) > r["offices_reached_before"].(float64) {
			t.Errorf("%v: closing offices raised access: %v", r["district_id"], r)
		}
		if a < b {
			lost++
		}
	}
	if lost == 0 {
		t.Error("closing oe and akitsu lowered no district's access")
	}
	// The baseline of the what-if is the index itself.
	base := accessRows(t)
	for i, r := range rows {
		if r["access_before"] != base[i]["access"] {
			t.Fatalf("district %v: access_before %v, access %v", r["district_id"], r["access_before"], base[i]["access"])
		}
	}
	// A staged scenario with a new office, 1 per office.
	staged := accessRows(t, "--scenario", whatifFixture("staged.yaml"), "--supply-field", "none", "--level", "office")
	if n := len(staged); n != 20 || staged[19]["office_id"] != "tobu_new" || staged[19]["status"] != "new" || staged[19]["supply_before"] != nil {
		t.Errorf("staged offices: %d rows, last %v", n, staged[n-1])
	}
	// certificate_share 0.4 from the file: corners keep 40 %, closed none.
	stage1 := accessRows(t, "--scenario", whatifFixture("staged.yaml"), "--supply-field", "none", "--level", "office", "--stage", "1")
	for _, r := range stage1 {
		if r["office_id"] == "oe" && (r["status"] != "corner" || r["supply_after"].(float64) != 0.4) {
			t.Errorf("stage 1: oe %v", r)
		}
	}
	code, out, stderr := runCLI(t, "access", "--close", "oe", "--quiet")
	if code != 0 || !strings.Contains(out, "districts lose access") {
		t.Errorf("text what-if: exit %d: %s%s", code, out, stderr)
	}
}

func TestAccessMaps(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--map", filepath.Join(dir, "access.png")},
		{"--map", filepath.Join(dir, "norm.png"), "--normalize", "--latin"},
		{"--map", filepath.Join(dir, "change.png"), "--close", "oe,akitsu,tobu"},
		{"--map", filepath.Join(dir, "gravity.png"), "--method", "gravity", "--supply-field", "none"},
	} {
		code, _, stderr := runCLI(t, append(append([]string{"access"}, args...), "--quiet", "-o", filepath.Join(dir, "rows.csv"), "--format", "csv")...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		f, err := os.Open(args[1])
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != 1600 {
			t.Errorf("%v: %v, %v", args, err, img.Bounds())
		}
	}
}

func TestReportAccessSection(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, "report", "--out", out, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Access to counter service (E2SFCA)", "after closing the 8 branch offices within 5 km of a ward office by the city's published road distances",
		"### The 10 districts with the lowest access, every office open", "### The 10 districts with the lowest access after closing", "map_access.png", "map_access_change.png", "access.csv"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, f := range []string{"access.csv", "map_access.png", "map_access_change.png"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
}

func TestAccessRoadAndTimeOnChuo(t *testing.T) {
	if _, err := os.Stat(chuoDrive); err != nil {
		t.Skipf("SKIPPING: %s is absent (%v); access under the road and time metrics did not run", chuoDrive, err)
	}
	road := accessRows(t, "--metric", "road", "--network", chuoDrive)
	time := accessRows(t, "--metric", "time", "--network", chuoDrive, "--catchment-min", "8")
	geodesic := accessRows(t)
	reached := 0
	for i := range road {
		r, g := road[i]["offices_reached"].(float64), geodesic[i]["offices_reached"].(float64)
		if r > g {
			t.Errorf("%v: %g offices within 5 km by road, %g by the straight line: a road is never shorter", road[i]["district_id"], r, g)
		}
		if r > 0 {
			reached++
		}
		if _, ok := time[i]["access"].(float64); !ok {
			t.Errorf("time: %v", time[i])
		}
	}
	if reached == 0 {
		t.Error("no district reaches an office by road")
	}
	code, _, stderr := runCLI(t, "access", "--metric", "time", "--network", chuoDrive, "--catchment-km", "5")
	if code != 1 || !strings.Contains(stderr, "--catchment-km does not apply: the time metric measures time; give --catchment-min") {
		t.Errorf("km flag under time: exit %d: %s", code, stderr)
	}
}
