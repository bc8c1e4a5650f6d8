package service

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

// kumamoto is the embedded default study, its model and its gaps.
func kumamoto(t testing.TB) (*catchment.Study, *data.ServiceModel, []catchment.GapRow) {
	t.Helper()
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := data.DefaultServiceModel(ds.Offices)
	if err != nil {
		t.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	gaps, err := s.Gaps()
	if err != nil {
		t.Fatal(err)
	}
	return s, m, gaps
}

// TestPlanFiguresReproduced recomputes the plan's 350, 250 and 680 yen
// from the default model's inputs by hand. It fails when an input of the
// model (or the DEMO counter series) changes: then check that the model
// still reproduces the plan and update the figures here.
func TestPlanFiguresReproduced(t *testing.T) {
	s, m, gaps := kumamoto(t)
	a, err := Analyse(s, m, Options{Counts: s.Dataset().Counts, Gaps: gaps})
	if err != nil {
		t.Fatal(err)
	}
	// The inputs, as the model file gives them.
	const (
		wardOffices, wardStaff     = 5, 12        // assumed (DEMO)
		branchOffices, branchStaff = 14, 2        // assumed (DEMO)
		costPerStaff               = 3_600_000.0  // assumed
		certificateShare           = 0.8          // plan: about 80 % of counter work
		variableCost               = 20.0         // assumed
		certificates2014           = 769_150.0    // DEMO series, fiscal 2014 (the reference year)
		linkage                    = 0.5          // plan: halves counter certificates
		storeShare                 = 0.25         // plan (April 2018)
		storeFixed                 = 25_000_000.0 // assumed
		commission                 = 120.0        // assumed
	)
	inputs := []struct {
		name      string
		got, want float64
	}{
		{"staff.per_office.ward", m.Staff.PerKind["ward"].Value, wardStaff},
		{"staff.per_office.branch", m.Staff.PerKind["branch"].Value, branchStaff},
		{"staff.cost_per_year", m.Staff.CostPerYear.Value, costPerStaff},
		{"certificate_share", m.CertificateShare.Value, certificateShare},
		{"channels.counter.variable_cost", m.Counter.VariableCost.Value, variableCost},
		{"linkage.factor", m.Linkage.Factor.Value, linkage},
		{"plan_figures.store_share", m.PlanFigures.StoreShare.Value, storeShare},
		{"channels.store.fixed_cost_per_year", m.Store.FixedCostPerYear.Value, storeFixed},
		{"channels.store.cost_per_certificate", m.Store.CostPerCertificate.Value, commission},
		{"fiscal 2014 counter certificates", a.Plan.Certificates, certificates2014},
		{"reference_year", float64(m.ReferenceYear), 2014},
	}
	for _, in := range inputs {
		if in.got != in.want {
			t.Errorf("input %s = %g, want %g: the model changed; check the plan's figures are still reproduced and update this test", in.name, in.got, in.want)
		}
	}
	staff := float64(wardOffices*wardStaff + branchOffices*branchStaff) // 88
	fixed := staff * costPerStaff * certificateShare                    // 253,440,000 yen a year
	counter := fixed/certificates2014 + variableCost                    // 349.5 yen
	notReorganised := fixed/(certificates2014*linkage) + variableCost   // 679.0 yen
	store := storeFixed/(certificates2014*storeShare) + commission      // 250.0 yen
	for _, c := range []struct {
		name      string
		got, want float64
		plan      float64
	}{
		{"counter", a.Plan.Counter, counter, 350},
		{"not reorganised", a.Plan.NotReorganised, notReorganised, 680},
		{"store", a.Plan.Store, store, 250},
	} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s: model gives %.4f yen, by hand %.4f", c.name, c.got, c.want)
		}
		if math.Abs(c.want-c.plan) >= PlanTolerance {
			t.Errorf("%s: %.1f yen does not reproduce the plan's %g", c.name, c.want, c.plan)
		}
	}
	if a.Plan.StaffTotal != staff || a.Plan.Fixed != fixed {
		t.Errorf("staff %g, fixed %g; want %g, %g", a.Plan.StaffTotal, a.Plan.Fixed, staff, fixed)
	}
	// The volume that gives 680 yen: fixed / (680 − 20) = 384,000, about
	// half of fiscal 2014's.
	if v := fixed / (680 - variableCost); math.Abs(a.Plan.VolumeForPlan-v) > 1e-6 || math.Abs(a.Plan.RatioForPlan-0.5) > 0.001 {
		t.Errorf("volume for 680 yen = %g (ratio %g), want %g (about half)", a.Plan.VolumeForPlan, a.Plan.RatioForPlan, v)
	}
	if c, n, st := a.Plan.Reproduced(m); !c || !n || !st {
		t.Errorf("Reproduced = %v %v %v", c, n, st)
	}
	// The same figures per year: fiscal 2014 is the reference year.
	y := a.Years[2014-a.Projection.FirstYear]
	if math.Abs(y.NotReorganised.PerCertificate-counter) > 1e-9 {
		t.Errorf("fiscal 2014 counter cost %g, want %g", y.NotReorganised.PerCertificate, counter)
	}
}

// lineWorld is three offices on a parallel and five districts beside them
// (the what-if's hand-worked case): b's districts go half to w, half to e
// (by population) when it closes.
func lineWorld(t *testing.T) (*catchment.Study, *data.ServiceModel) {
	t.Helper()
	pop := func(v float64) *float64 { return &v }
	offices := []data.Office{
		{ID: "w", Name: "W", Kind: data.Ward, Location: orb.Point{130.60, 32.8}},
		{ID: "b", Name: "B", Kind: data.Branch, Location: orb.Point{130.70, 32.8}},
		{ID: "e", Name: "E", Kind: data.Branch, Location: orb.Point{130.80, 32.8}},
	}
	ds := []data.District{
		{ID: "w1", Population: pop(500)}, {ID: "b1", Population: pop(100)}, {ID: "b2", Population: pop(100)},
		{ID: "b3", Population: pop(200)}, {ID: "e1", Population: pop(50)},
	}
	pts := []orb.Point{{130.60, 32.81}, {130.68, 32.8}, {130.66, 32.8}, {130.73, 32.8}, {130.80, 32.81}}
	for i := range ds {
		p := pts[i]
		ds[i].Geometry = orb.MultiPolygon{{{{p[0] - 1e-4, p[1] - 1e-4}, {p[0] + 1e-4, p[1] - 1e-4}, {p[0] + 1e-4, p[1] + 1e-4}, {p[0] - 1e-4, p[1] + 1e-4}, {p[0] - 1e-4, p[1] - 1e-4}}}}
	}
	cert := func(v float64) *float64 { return &v }
	counts := []data.CounterCount{
		{OfficeID: "w", Year: 2020, Count: 30000, Certificates: cert(24000)},
		{OfficeID: "b", Year: 2020, Count: 10000, Certificates: cert(8000)},
		{OfficeID: "e", Year: 2020, Count: 5000, Certificates: cert(4000)},
	}
	s, err := catchment.NewStudy(&data.Dataset{Offices: offices, Districts: ds, Counts: counts}, catchment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := data.DefaultServiceModel(offices)
	if err != nil {
		t.Fatal(err)
	}
	// Simple figures for hand-working: no stores, posts or linkage.
	m.ReferenceYear, m.Forecast.TargetYear = 2020, 2021
	m.Forecast.Trend = data.TrendFlat
	m.Store.FromYear, m.Post.FromYear = 3000, 3000
	m.Linkage.FromYear = 3000
	m.Staff.PerKind = map[string]data.Figure{"ward": {Value: 4}, "branch": {Value: 2}, "corner": {Value: 1}}
	m.Staff.WorkloadPerStaff = data.Figure{Value: 6000}
	m.Staff.MinimumFull, m.Staff.MinimumCorner = data.Figure{Value: 2}, data.Figure{Value: 1}
	m.Staff.CostPerYear = data.Figure{Value: 1_000_000}
	m.CertificateShare = data.Figure{Value: 0.8}
	m.Counter.VariableCost, m.Corner.VariableCost = data.Figure{Value: 10}, data.Figure{Value: 30}
	return s, m
}

// TestLoadShiftAndStaffing works the load shift, staffing and costs of a
// closure and of a service corner by hand.
func TestLoadShiftAndStaffing(t *testing.T) {
	s, m := lineWorld(t)
	w, err := s.WhatIf()
	if err != nil {
		t.Fatal(err)
	}
	type office struct{ work, cert, staff float64 }
	for _, tc := range []struct {
		name string
		ch   catchment.Change
		want []office // w, b, e in fiscal 2020
		// counter and corner certificates, staff paid and counter cost
		// (reorganised) in fiscal 2020
		counter, corner, staff, cost float64
	}{
		{
			// Everything stays: staff needed ⌈30000/6000⌉ = 5, ⌈10000/6000⌉ = 2, max(2, ⌈5000/6000⌉) = 2.
			name: "today", want: []office{{30000, 24000, 5}, {10000, 8000, 2}, {5000, 4000, 2}},
			counter: 36000, staff: 9,
			// 9 staff × 1,000,000 × 0.8 + 36,000 × 10
			cost: 9*1_000_000*0.8 + 36000*10,
		},
		{
			// b closes: its 10,000 (8,000 certificates) half to w, half to e.
			// w 35,000 → 6 staff; e 10,000 → 2 staff.
			name: "close b", ch: catchment.Change{Close: []string{"b"}},
			want:    []office{{35000, 28000, 6}, {0, 0, 0}, {10000, 8000, 2}},
			counter: 36000, staff: 8,
			cost: 8*1_000_000*0.8 + 36000*10,
		},
		{
			// b becomes a corner: keeps its 8,000 certificates (⌈8000/6000⌉ = 2
			// staff), sheds the other 2,000 half to w, half to e.
			// w 31,000 → 6 staff; e 6,000 → 1 → minimum 2.
			name: "corner b", ch: catchment.Change{Downgrade: []string{"b"}},
			want:    []office{{31000, 24000, 6}, {8000, 8000, 2}, {6000, 4000, 2}},
			counter: 28000, corner: 8000, staff: 10,
			// full offices: 8 staff × 0.8; the corner's 2 staff wholly.
			cost: 8*1_000_000*0.8 + 2*1_000_000 + 28000*10 + 8000*30,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := Options{Counts: s.Dataset().Counts}
			if tc.ch.Close != nil || tc.ch.Downgrade != nil {
				c, err := w.Compare(tc.ch, catchment.CompareOptions{})
				if err != nil {
					t.Fatal(err)
				}
				opt.Comparison = &c
			}
			a, err := Analyse(s, m, opt)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.want {
				got := a.Offices[i].Years[0]
				if got.Year != 2020 || math.Abs(got.Work-want.work) > 1e-9 || math.Abs(got.Certificates-want.cert) > 1e-9 || got.StaffNeeded != want.staff {
					t.Errorf("office %s: %+v, want work %g, certificates %g, staff %g", a.Offices[i].Office.ID, got, want.work, want.cert, want.staff)
				}
			}
			y := a.Years[0]
			if math.Abs(y.Counter-tc.counter) > 1e-9 || math.Abs(y.Corner-tc.corner) > 1e-9 {
				t.Errorf("certificates: counter %g corner %g, want %g %g", y.Counter, y.Corner, tc.counter, tc.corner)
			}
			if y.Reorganised.Staff != tc.staff || math.Abs(y.Reorganised.Total-tc.cost) > 1e-6 {
				t.Errorf("reorganised: staff %g cost %g, want %g %g", y.Reorganised.Staff, y.Reorganised.Total, tc.staff, tc.cost)
			}
			if want := tc.cost / (tc.counter + tc.corner); math.Abs(y.Reorganised.PerCertificate-want) > 1e-9 {
				t.Errorf("reorganised per certificate %g, want %g", y.Reorganised.PerCertificate, want)
			}
			// Not reorganised: today's 8 staff (4 + 2 + 2) whatever the network.
			if want := 8*1_000_000*0.8 + 36000*10.0; y.NotReorganised.Staff != 8 || math.Abs(y.NotReorganised.Total-want) > 1e-6 {
				t.Errorf("not reorganised: staff %g cost %g, want 8, %g", y.NotReorganised.Staff, y.NotReorganised.Total, want)
			}
			// Work is conserved by the shift.
			var total float64
			for _, o := range a.Offices {
				total += o.Years[0].Work
			}
			if math.Abs(total-45000) > 1e-9 {
				t.Errorf("work after the shift %g, want 45000", total)
			}
		})
	}
}

func TestStaffNeeded(t *testing.T) {
	for _, tc := range []struct{ work, per, least, want float64 }{
		{0, 6000, 2, 2}, {6000, 6000, 1, 1}, {6001, 6000, 1, 2}, {12000, 6000, 0, 2}, {11999.9999999999, 6000, 0, 2}, {100, 6000, 0, 1},
	} {
		if got := StaffNeeded(tc.work, tc.per, tc.least); got != tc.want {
			t.Errorf("StaffNeeded(%g, %g, %g) = %g, want %g", tc.work, tc.per, tc.least, got, tc.want)
		}
	}
}
