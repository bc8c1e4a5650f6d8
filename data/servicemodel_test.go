package data

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// defaultModelText is the embedded model file, for tests that break it.
func defaultModelText(t *testing.T) string {
	t.Helper()
	b, err := fs.ReadFile(kumamoto, defaultDir+"/"+serviceModelFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDefaultServiceModel(t *testing.T) {
	ds, _, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := DefaultServiceModel(ds.Offices)
	if err != nil {
		t.Fatal(err)
	}
	// The plan's opening hours: counters weekdays 8:30–17:15, stores
	// 6:30–23:00 every day.
	if h := m.Counter.Hours.Hours(); h != 43.75 {
		t.Errorf("counter hours = %g a week, want the plan's 43.75", h)
	}
	if h := m.Store.Hours.Hours(); h != 115.5 {
		t.Errorf("store hours = %g a week, want the plan's 115.5", h)
	}
	if m.Source != "embedded:kumamoto/service_model.yaml" {
		t.Errorf("source = %q", m.Source)
	}
	// The store shares and linkage factors the DEMO counter series was made
	// with (internal/gendefault/synth).
	for y, want := range map[int][2]float64{2015: {0, 1}, 2016: {0.10, 1}, 2017: {0.18, 0.625}, 2018: {0.25, 0.5}, 2019: {0.30, 0.5}, 2030: {0.30, 0.5}} {
		if s, l := m.StoreShare(y), m.LinkageShare(y); !near(s, want[0]) || !near(l, want[1]) {
			t.Errorf("fiscal %d: store share %g, linkage %g; want %g, %g", y, s, l, want[0], want[1])
		}
	}
	// Every figure says where it comes from.
	for key, f := range map[string]Figure{"fee": m.Fee, "certificate_share": m.CertificateShare, "linkage.factor": m.Linkage.Factor,
		"staff.cost_per_year": m.Staff.CostPerYear, "plan_figures.counter_cost": m.PlanFigures.CounterCost, "channels.store.fixed_cost_per_year": m.Store.FixedCostPerYear} {
		if f.Source == "" {
			t.Errorf("%s has no source", key)
		}
	}
	if m.Fee.Source != "plan" || m.Staff.CostPerYear.Source != "assumed" {
		t.Errorf("sources: fee %q, staff cost %q", m.Fee.Source, m.Staff.CostPerYear.Source)
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

func TestServiceModelErrors(t *testing.T) {
	ds, _, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	base := defaultModelText(t)
	for _, tc := range []struct {
		name, old, new string
		// key and the words the message must hold
		key  string
		want string
	}{
		{"negative cost", "cost_per_certificate: {value: 120,", "cost_per_certificate: {value: -120,", "channels.store.cost_per_certificate", "must not be negative"},
		{"negative variable cost", "variable_cost: {value: 20, source: assumed, note: as at a counter}", "variable_cost: -3", "channels.corner.variable_cost", "must not be negative"},
		{"negative staff cost", "value: 3_600_000", "value: -3_600_000", "staff.cost_per_year", "must not be negative"},
		{"hour 25", `store:
    hours: {daily: "06:30-23:00"}`, `store:
    hours: {daily: "06:30-25:00"}`, "channels.store.hours.daily", "00:00 to 24:00"},
		{"minute 61", `{mon-fri: "09:00-17:00"}`, `{mon-fri: "09:61-17:00"}`, "channels.post.hours.mon-fri", "00:00 to 24:00"},
		{"closes before it opens", `{mon-fri: "09:00-17:00"}`, `{mon-fri: "17:00-09:00"}`, "channels.post.hours.mon-fri", "closes before it opens"},
		{"overlapping days", `counter:
    hours: {mon-fri: "08:30-17:15"}`, `counter:
    hours: {mon-fri: "08:30-17:15", wed: "12:00-19:00"}`, "channels.counter.hours.wed", "overlaps 08:30-17:15 given by channels.counter.hours.mon-fri"},
		{"overlapping list", `{daily: "06:30-23:00"}`, `{daily: ["06:30-12:00", "11:00-23:00"]}`, "channels.store.hours.daily", "overlaps"},
		{"unknown day", `{mon-fri: "09:00-17:00"}`, `{mon-fry: "09:00-17:00"}`, "channels.post.hours.mon-fry", "unknown day"},
		{"share above 1", "card_adoption:\n    2016: {value: 0.20,", "card_adoption:\n    2016: {value: 1.20,", "adoption.card_adoption.2016", "between 0 and 1"},
		{"negative share", "certificate_share:\n  value: 0.8", "certificate_share:\n  value: -0.8", "certificate_share", "between 0 and 1"},
		{"linkage factor", "factor: {value: 0.5, source: plan}", "factor: {value: 2, source: plan}", "linkage.factor", "between 0 and 1"},
		{"post share", "share: {value: 0.3,", "share: {value: 1.3,", "channels.post.share", "between 0 and 1"},
		{"unknown office in staff", "    corner: {value: 1, source: assumed}\n  cost_per_year", "    corner: {value: 1, source: assumed}\n  offices: {kodaa: 4}\n  cost_per_year", "staff.offices.kodaa", `unknown office id "kodaa"`},
		{"unknown office in hours", `counter:
    hours: {mon-fri: "08:30-17:15"}`, `counter:
    hours: {mon-fri: "08:30-17:15"}
    office_hours: {nowhere: {sat: "09:00-12:00"}}`, "channels.counter.office_hours.nowhere", `unknown office id "nowhere"`},
		{"unknown key", "fee: {value: 300,", "fees: 3\nfee: {value: 300,", "fees", "unknown key"},
		{"unknown figure key", "fee: {value: 300, source: plan,", "fee: {value: 300, sauce: plan,", "fee", `unknown key "sauce"`},
		{"not a number", "workload_per_staff: {value: 12_000,", "workload_per_staff: {value: lots,", "staff.workload_per_staff", "not a number"},
		{"zero workload", "workload_per_staff: {value: 12_000,", "workload_per_staff: {value: 0,", "staff.workload_per_staff", "must be positive"},
		{"missing figure", "fee: {value: 300, source: plan, note: the fee a resident pays per certificate}\n", "", "fee", "missing"},
		{"trend", "trend: linear", "trend: cubic", "forecast.trend", "want flat, linear or exponential"},
		{"at", "at: Sat 10:00", "at: Caturday 10:00", "accessibility.at", "unknown day"},
		{"linkage month", "from: 2017-07", "from: 2017-13", "linkage.from", "YYYY-MM"},
		{"post points", "    points: gap_districts", "    points: some", "channels.post.points", "gap_districts"},
		{"staff kind", "    branch: {value: 2, source: assumed (DEMO)}", "    branch: {value: 2, source: assumed (DEMO)}\n    kiosk: 1", "staff.per_office.kiosk", "unknown office kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("the default model has no %q", tc.old)
			}
			text := strings.Replace(base, tc.old, tc.new, 1)
			m, err := ParseServiceModel([]byte(text), "model.yaml", ds.Offices)
			if err == nil {
				t.Fatalf("no error; model %+v", m)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			msg := err.Error()
			if ie.File != "model.yaml" || ie.Field != tc.key || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q (key %q), want key %q and %q", msg, ie.Field, tc.key, tc.want)
			}
			if !strings.HasPrefix(ie.Feature, "line ") && tc.want != "missing" {
				t.Errorf("error %q names no line", msg)
			}
		})
	}
}

func TestServiceModelNotYAML(t *testing.T) {
	for _, text := range []string{"", "fee: [1, 2", "- a\n- b\n"} {
		if _, err := ParseServiceModel([]byte(text), "m.yaml", nil); err == nil || !strings.HasPrefix(err.Error(), "m.yaml") {
			t.Errorf("%q: error %v, want one naming the file", text, err)
		}
	}
}

func TestWeekTime(t *testing.T) {
	for s, want := range map[string]WeekTime{"Sat 10:00": {5, 600}, "mon 08:30": {0, 510}, "sunday 23:59": {6, 1439}, "土 9:05": {5, 545}} {
		got, err := ParseWeekTime(s)
		if err != nil || got != want {
			t.Errorf("ParseWeekTime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"Sat", "Sat 24:00", "Fooday 10:00", "Sat 10:60", "Sat 10"} {
		if _, err := ParseWeekTime(s); err == nil {
			t.Errorf("ParseWeekTime(%q): no error", s)
		}
	}
	if s := (WeekTime{5, 600}).String(); s != "Sat 10:00" {
		t.Errorf("String = %q", s)
	}
	w := WeekHours{}
	w[5] = []Interval{{540, 720}}
	for t2, want := range map[WeekTime]bool{{5, 539}: false, {5, 540}: true, {5, 719}: true, {5, 720}: false, {4, 600}: false} {
		if w.OpenAt(t2) != want {
			t.Errorf("OpenAt(%v) = %v", t2, !want)
		}
	}
}
