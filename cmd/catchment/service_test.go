package main

import (
	"encoding/csv"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServiceSummaryOnDefault(t *testing.T) {
	code, out, stderr := runCLI(t, "service")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"DEMO figures",
		"model 349.5 yen, reproduced", "model 250.0 yen, reproduced", "model 679.0 yen, reproduced",
		"88 staff (5 ward offices × 12 + 14 branch offices × 2) × 3,600,000 yen × 0.8",
		"Counter forecast", "Opening hours within 2 km", "nearest point open at Sat 10:00",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestServiceTables(t *testing.T) {
	code, out, stderr := runCLI(t, "service", "--table", "plan", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var plan []map[string]any
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan) != 3 {
		t.Fatalf("%d plan rows", len(plan))
	}
	for _, r := range plan {
		if r["reproduced"] != true {
			t.Errorf("%v not reproduced: %v yen, plan %v", r["figure"], r["model_yen"], r["plan_yen"])
		}
	}
	code, out, stderr = runCLI(t, "service", "--table", "years", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 1+8 {
		t.Fatalf("%d year rows (fiscal 2012–2019 expected): %v", len(rows)-1, err)
	}
	// With a scenario every table has its after columns, and --target-year
	// and --trend reach the forecast.
	code, out, stderr = runCLI(t, "service", "--close", "oe,akitsu", "--downgrade", "tobu", "--table", "forecast", "--format", "json", "--target-year", "2021", "--trend", "flat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var fc []map[string]any
	if err := json.Unmarshal([]byte(out), &fc); err != nil {
		t.Fatal(err)
	}
	status := map[string]any{}
	for _, r := range fc {
		status[r["office_id"].(string)] = r["status"]
		if r["target_year"] != 2021.0 || r["trend"] != "flat" {
			t.Errorf("%v: target %v trend %v", r["office_id"], r["target_year"], r["trend"])
		}
	}
	if len(fc) != 19 || status["oe"] != "closed" || status["tobu"] != "corner" || status["chuo"] != "open" {
		t.Errorf("%d rows, statuses %v", len(fc), status)
	}
	code, out, stderr = runCLI(t, "service", "--close", "oe", "--table", "hours", "--format", "json", "--at", "Mon 10:00", "--within-km", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var hours []map[string]any
	if err := json.Unmarshal([]byte(out), &hours); err != nil {
		t.Fatal(err)
	}
	if len(hours) != 90 || hours[0]["hours_after"] == nil || hours[0]["open_after_channel"] == nil {
		t.Errorf("%d hours rows, first %v", len(hours), hours[0])
	}
}

func TestServiceOutDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	// On a Monday within 1 km closing oe and akitsu moves some districts'
	// nearest open point: the after maps are drawn.
	code, _, stderr := runCLI(t, "service", "--close", "oe,akitsu", "--at", "Mon 10:00", "--within-km", "1", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"service.md", "service_plan.csv", "service_inputs.csv", "service_years.csv", "service_offices.csv",
		"service_forecast.csv", "service_hours.csv", "service_hours.geojson"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	for _, f := range []string{"chart_service_cost.png", "chart_service_channels.png", "map_service_hours.png", "map_service_at.png", "map_service_hours_after.png", "map_service_at_after.png"} {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil || img.Bounds().Dx() != 1600 {
			t.Errorf("%s: %v, %v", f, err, img)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "service.md"))
	for _, want := range []string{"## Certificate service: close oe, akitsu", "DEMO counter counts", "### The plan's unit costs from the model's inputs",
		"| `staff.cost_per_year` | 3,600,000 yen | assumed |", "| `linkage.factor` | 0.5 from 2017-07 | plan |",
		"### Counter work per office after the load shift", "### Counter forecast to fiscal 2019", "### Opening hours within 1 km",
		"chart_service_cost.png", "map_service_at_after.png"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("service.md lacks %q", want)
		}
	}
}

// TestServiceBadModelWritesNothing: a model file with a negative cost,
// hours outside 0–24 or overlapping, a share outside 0–1 or an unknown
// office id stops service, report and whatif with an error naming the file,
// the line and the key, and nothing is written.
func TestServiceBadModelWritesNothing(t *testing.T) {
	base, err := os.ReadFile("../../data/kumamoto/service_model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	for _, tc := range []struct {
		name, old, new, key string
	}{
		{"negative cost", "cost_per_certificate: {value: 120,", "cost_per_certificate: {value: -1,", "channels.store.cost_per_certificate"},
		{"hours", `{daily: "06:30-23:00"}`, `{daily: "06:30-25:00"}`, "channels.store.hours.daily"},
		{"overlap", `{mon-fri: "09:00-17:00"}`, `{mon-fri: "09:00-17:00", fri: "16:00-18:00"}`, "channels.post.hours.fri"},
		{"share", "store_share_of_card_holders: {value: 0.5,", "store_share_of_card_holders: {value: 1.5,", "adoption.store_share_of_card_holders"},
		{"office", "  cost_per_year:\n", "  offices: {nowhere: 3}\n  cost_per_year:\n", "staff.offices.nowhere"},
	} {
		if !strings.Contains(string(base), tc.old) {
			t.Fatalf("%s: the model has no %q", tc.name, tc.old)
		}
		model := filepath.Join(tmp, strings.ReplaceAll(tc.name, " ", "_")+".yaml")
		if err := os.WriteFile(model, []byte(strings.Replace(string(base), tc.old, tc.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"service", "--model", model, "--out", filepath.Join(tmp, "out_service")},
			{"report", "--model", model, "--no-maps", "--out", filepath.Join(tmp, "out_report")},
			{"whatif", "--close", "oe", "--model", model, "--out", filepath.Join(tmp, "out_whatif")},
		} {
			code, _, stderr := runCLI(t, args...)
			if code != 1 || !strings.Contains(stderr, model) || !strings.Contains(stderr, "field "+tc.key) || !strings.Contains(stderr, ": line ") {
				t.Errorf("%s, %s: exit %d, %q; want an error naming %s, the line and %s", tc.name, args[0], code, stderr, model, tc.key)
			}
		}
	}
	for _, d := range []string{"out_service", "out_report", "out_whatif"} {
		if entries, err := os.ReadDir(filepath.Join(tmp, d)); err == nil && len(entries) > 0 {
			t.Errorf("%s: a failed run wrote %d files", d, len(entries))
		}
	}
}

func TestServiceBadFlags(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "out")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--within-km", "NaN"}, "--within-km"},
		{[]string{"--within-km", "-2"}, "--within-km"},
		{[]string{"--within-km", "+Inf"}, "--within-km"},
		{[]string{"--at", "Caturday 10:00"}, "--at"},
		{[]string{"--at", "Sat 25:00"}, "--at"},
		{[]string{"--trend", "cubic"}, "--trend"},
		{[]string{"--target-year", "1800"}, "--target-year"},
		{[]string{"--target-year", "2010"}, "--target-year"},
		{[]string{"--max-km", "NaN"}, "--max-km"},
		{[]string{"--close", "nowhere"}, "nowhere"},
		{[]string{"--stage", "2"}, "--stage"},
		{[]string{"--table", "everything"}, "--table"},
		{[]string{"--no-maps"}, "--no-maps"},
	} {
		args := append([]string{"service", "--out", out}, tc.args...)
		if tc.args[0] == "--table" || tc.args[0] == "--no-maps" {
			args = append([]string{"service"}, tc.args...)
		}
		code, _, stderr := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want an error naming %s", tc.args, code, stderr, tc.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed run created %s", out)
	}
	// Counts that are not there: a clear error.
	code, _, stderr := runCLI(t, "service", "--counts", filepath.Join(tmp, "none.csv"))
	if code != 1 || !strings.Contains(stderr, "none.csv") {
		t.Errorf("missing counts: exit %d, %q", code, stderr)
	}
}

func TestReportAndWhatIfHaveServiceSection(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, "report", "--no-maps", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	for _, want := range []string{"## Certificate service: closing the 8 candidates", "| about 350 yen (plan) | 349.5 yen |",
		"| about 680 yen (plan) | 679.0 yen |", "| about 250 yen (plan (April 2018)) | 250.0 yen |", "5 km candidate"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, f := range []string{"service_years.csv", "service_forecast.csv", "service_hours.geojson"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("report did not write %s", f)
		}
	}
	code, text, stderr := runCLI(t, "whatif", "--close", "oe")
	if code != 0 || !strings.Contains(text, "Certificate service (") || !strings.Contains(text, "DEMO counter counts") {
		t.Errorf("whatif text: exit %d, %s\n%s", code, stderr, text)
	}
}

// TestServiceModelNamesItsCounts: a model's counts key (relative to the
// model file) replaces the study's series unless --counts is given.
func TestServiceModelNamesItsCounts(t *testing.T) {
	base, err := os.ReadFile("../../data/kumamoto/service_model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "model.yaml")
	if err := os.WriteFile(model, append(base, []byte("\ncounts: my_counts.csv\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	counts := "office_id,year,count,certificates\nchuo,2013,1000,800\nchuo,2014,2000,1600\noe,2014,500,400\n"
	if err := os.WriteFile(filepath.Join(dir, "my_counts.csv"), []byte(counts), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "service", "--model", model, "--table", "years", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var years []map[string]any
	if err := json.Unmarshal([]byte(out), &years); err != nil {
		t.Fatal(err)
	}
	if years[0]["year"] != 2013.0 || years[1]["certificates"] != 2000.0 || years[1]["recorded"] != true {
		t.Errorf("years from the model's counts: %v %v", years[0], years[1])
	}
	// --counts wins over the model's.
	code, out, stderr = runCLI(t, "service", "--model", model, "--counts", "../../data/kumamoto/counter_counts.csv", "--table", "years", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(out), &years); err != nil {
		t.Fatal(err)
	}
	if years[0]["year"] != 2012.0 {
		t.Errorf("--counts did not win: first year %v", years[0]["year"])
	}
	// A model's counts naming an unknown office: an error naming the file.
	if err := os.WriteFile(filepath.Join(dir, "my_counts.csv"), []byte("office_id,year,count\nnowhere,2014,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "service", "--model", model)
	if code != 1 || !strings.Contains(stderr, "my_counts.csv") || !strings.Contains(stderr, "nowhere") {
		t.Errorf("bad model counts: exit %d, %q", code, stderr)
	}
}
