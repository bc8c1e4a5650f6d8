package web

import (
	"encoding/json"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/service"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
)

// withService is the page over the embedded default with its service
// model, measured as the CLI measures it (geodesic within the model's km).
func withService(t testing.TB, opt Options) (*Server, *catchment.Study) {
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
	opt.Service = &Service{Model: m, HoursMetric: catchment.Geodesic{}, HoursLimit: m.Access.WithinKm.Value * 1000}
	srv, err := New(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	return srv, s
}

// TestServiceEndpoint checks the service figures against the library's
// analysis of the same change, and the districts with no point open at the
// model's time against a brute-force scan of every point.
func TestServiceEndpoint(t *testing.T) {
	srv, s := withService(t, Options{CertificateShare: 0.4})
	w, _ := s.WhatIf()
	gaps, _ := s.Gaps()
	m := srv.opt.Service.Model
	for _, ch := range []catchment.Change{
		{},
		{Close: []string{"akitsu"}},
		{Close: []string{"oe", "akitsu"}, Downgrade: []string{"hanazono"}},
		{Close: []string{"akita", "akitsu", "hokubu", "jonan", "kawachi", "nanbu", "oe", "shimizu", "takuma", "tenmei", "tobu"}},
	} {
		body, _ := json.Marshal(map[string]any{"close": ch.Close, "downgrade": ch.Downgrade})
		rec, _ := do(t, srv, "POST", "/api/service", string(body))
		if rec.Code != 200 {
			t.Fatalf("%v: %d %s", ch, rec.Code, rec.Body)
		}
		var got serviceJSON
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		c, err := w.Compare(ch, catchment.CompareOptions{MaxKm: catchment.DefaultMaxKm, CertificateShare: 0.4, Coverage: gaps})
		if err != nil {
			t.Fatal(err)
		}
		a, err := service.Analyse(s, m, service.Options{Counts: s.Dataset().Counts, Comparison: &c, Gaps: gaps})
		if err != nil {
			t.Fatal(err)
		}
		last := a.Years[len(a.Years)-1]
		if got.Year != last.Year || got.StaffToday != last.NotReorganised.Staff || got.StaffNeeded != last.Reorganised.Staff ||
			math.Abs(*got.YenReorganised-last.Reorganised.PerCertificate) > 0.05 || got.Certificates["store"] != math.Round(last.Store) {
			t.Errorf("%v: page %+v; library year %d staff %v → %v, %v yen, store %v", ch, got, last.Year,
				last.NotReorganised.Staff, last.Reorganised.Staff, last.Reorganised.PerCertificate, last.Store)
		}
		if got.ReferenceYear != m.ReferenceYear || got.YenReference == nil || math.Abs(*got.YenReference-349.5) > 0.05 {
			t.Errorf("%v: reference year %d at %v yen, want %d at the plan's 349.5", ch, got.ReferenceYear, got.YenReference, m.ReferenceYear)
		}

		// Brute force: a district has a point open at the model's time
		// within the limit when some active point open then is near enough.
		h, err := service.HoursAccess(s, m, service.HoursOptions{Metric: catchment.Geodesic{}, Limit: 2000, At: m.Access.At, Comparison: &c, Gaps: gaps})
		if err != nil {
			t.Fatal(err)
		}
		state := h.After
		if state == nil {
			state = &h.Before
		}
		var none int
		var pop float64
		for i, d := range s.Districts() {
			near := false
			for j, p := range h.Points {
				if state.Active[j] && state.Hours[j].OpenAt(m.Access.At) && geo.Distance(s.Points()[i], p.Location) <= 2000 {
					near = true
					break
				}
			}
			if !near {
				none++
				pop += d.Pop()
			}
		}
		if got.NoneOpen.DistrictsAfter != none || got.NoneOpen.PopulationAfter != pop {
			t.Errorf("%v: %d districts (%v residents) with no point open at %s, brute force %d (%v)", ch, got.NoneOpen.DistrictsAfter, got.NoneOpen.PopulationAfter, got.At, none, pop)
		}
	}

	// Closing every branch office needs fewer staff than today.
	rec, out := do(t, srv, "POST", "/api/service", `{"close":["akita","akitsu","hokubu","jonan","kawachi","nanbu","oe","shimizu","takuma","tenmei","tobu","hanazono","koda","tatsuda"]}`)
	if rec.Code != 200 || out["staff_needed"].(float64) >= out["staff_today"].(float64) {
		t.Errorf("every branch office closed: %d %v", rec.Code, out)
	}

	// Bad requests name the field; without a model the page is told why.
	for _, tc := range []struct {
		body string
		code int
		want string
	}{
		{`{"close":["zz"]}`, 400, `"field":"close[0]"`},
		{`{"close":"oe"}`, 400, `"field":"body"`},
		{`{"max_km":-1}`, 400, `"field":"max_km"`},
		{strings.Repeat(" ", 2<<20) + "{}", 413, "larger than"},
	} {
		rec, _ := do(t, srv, "POST", "/api/service", tc.body)
		if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("POST /api/service %.40q: %d %s; want %d and %q", tc.body, rec.Code, rec.Body, tc.code, tc.want)
		}
	}
	if rec, _ := do(t, srv, "GET", "/api/service", ""); rec.Code != 405 {
		t.Errorf("GET /api/service: %d", rec.Code)
	}
	bare, _ := kumamoto(t, Options{ServiceMissing: "no counter counts: give --counts"})
	rec, out = do(t, bare, "POST", "/api/service", `{"close":["oe"]}`)
	if rec.Code != 409 || out["field"] != "model" || !strings.Contains(out["error"].(string), "--counts") {
		t.Errorf("no model: %d %s", rec.Code, rec.Body)
	}
	_, study := do(t, bare, "GET", "/api/study", "")
	if st := study["service"].(map[string]any); st["available"] != false || !strings.Contains(st["missing"].(string), "--counts") {
		t.Errorf("study without a model: %v", st)
	}
	_, study = do(t, srv, "GET", "/api/study", "")
	if st := study["service"].(map[string]any); st["available"] != true {
		t.Errorf("study with a model: %v", st)
	}
}

// TestOptimizeEndpoint checks the optimiser's plan against enumerating
// every choice of offices, and its bad requests.
func TestOptimizeEndpoint(t *testing.T) {
	srv, s := kumamoto(t, Options{})
	var wards, branches []data.Office
	for _, o := range s.Offices() {
		if o.Kind == data.Ward {
			wards = append(wards, o)
		} else {
			branches = append(branches, o)
		}
	}
	// Σ population × distance to the nearest open office, by brute force.
	cost := func(open []data.Office) float64 {
		var sum float64
		for i, d := range s.Districts() {
			best := math.Inf(1)
			for _, o := range open {
				best = math.Min(best, geo.Distance(s.Points()[i], o.Location))
			}
			w := d.Pop()
			if d.Population == nil {
				w = 1
			}
			sum += w * best
		}
		return sum
	}
	for _, k := range []int{5, 6, 8} {
		rec, out := do(t, srv, "POST", "/api/optimize", `{"k":`+itoa(k)+`,"keep_kind":"ward"}`)
		if rec.Code != 200 {
			t.Fatalf("k=%d: %d %s", k, rec.Code, rec.Body)
		}
		best, bestSet := math.Inf(1), ""
		var choose func(from int, open []data.Office)
		choose = func(from int, open []data.Office) {
			if len(open) == k {
				if c := cost(open); c < best {
					best = c
					var ids []string
					for _, o := range open {
						ids = append(ids, o.ID)
					}
					bestSet = strings.Join(ids, ",")
				}
				return
			}
			for j := from; j < len(branches); j++ {
				choose(j+1, append(open, branches[j]))
			}
		}
		choose(0, append([]data.Office(nil), wards...))
		if got := out["objective"].(float64); math.Abs(got-best) > 1e-6*best || out["optimal"] != true {
			t.Errorf("k=%d: objective %v (optimal %v), enumeration %v (%s)", k, got, out["optimal"], best, bestSet)
		}
		if n := len(out["open"].([]any)) + len(out["closed"].([]any)); n != len(s.Offices()) || len(out["open"].([]any)) != k {
			t.Errorf("k=%d: open %v closed %v", k, out["open"], out["closed"])
		}
		if out["assignment"] != nil || out["time_limit_s"].(float64) != 10 || out["kept_offices"].(float64) != 5 {
			t.Errorf("k=%d: assignment %v, time limit %v, kept %v", k, out["assignment"] != nil, out["time_limit_s"], out["kept_offices"])
		}
	}
	rec, out := do(t, srv, "POST", "/api/optimize", `{"k":3,"model":"mclp","service_km":2,"time_limit_s":2}`)
	if rec.Code != 200 || out["model"] != "mclp" || out["service_m"].(float64) != 2000 {
		t.Errorf("mclp: %d %s", rec.Code, rec.Body)
	}
	rec, out = do(t, srv, "POST", "/api/optimize", `{"k":6,"model":"pcenter","keep_kind":"ward"}`)
	if rec.Code != 200 || out["model"] != "pcenter" || out["objective_unit"] != "m" {
		t.Errorf("pcenter: %d %s", rec.Code, rec.Body)
	}
	for _, tc := range []struct {
		body, field, want string
		code              int
	}{
		{`{}`, "k", "k is missing", 400},
		{`{"k":20}`, "k", "more than the 19 offices", 400},
		{`{"k":0}`, "k", "fewer than 1 office", 400},
		{`{"k":4,"keep_kind":"ward"}`, "k", "fewer than the 5 ward offices", 400},
		{`{"k":8.5}`, "k", "not a whole number", 400},
		{`{"k":"8"}`, "k", "cannot unmarshal", 400},
		{`{"k":8,"model":"lscp"}`, "model", "want pmedian, pcenter or mclp", 400},
		{`{"k":8,"model":"nosuch"}`, "model", "want pmedian", 400},
		{`{"k":8,"keep_kind":"post"}`, "keep_kind", "want ward, branch", 400},
		{`{"k":8,"model":"mclp"}`, "service_km", "mclp needs service_km", 400},
		{`{"k":8,"model":"mclp","service_km":-2}`, "service_km", "positive", 400},
		{`{"k":8,"time_limit_s":0}`, "time_limit_s", "between 0 and 10", 400},
		{`{"k":8,"time_limit_s":60}`, "time_limit_s", "between 0 and 10", 400},
		{`{"k":8,"keep":["oe"]}`, "body", "unknown field", 400},
		{`[`, "body", "not an optimiser request", 400},
		{`{"k":8` + strings.Repeat(" ", 2<<20) + `}`, "body", "larger than", 413},
	} {
		rec, out := do(t, srv, "POST", "/api/optimize", tc.body)
		if rec.Code != tc.code || out["field"] != tc.field || !strings.Contains(out["error"].(string), tc.want) {
			t.Errorf("POST /api/optimize %.40q: %d %s; want %d, field %q, %q", tc.body, rec.Code, rec.Body, tc.code, tc.field, tc.want)
		}
	}
}

// TestOptimizeOneAtATime checks that concurrent solves wait their turn
// and all answer the same plan (run with -race).
func TestOptimizeOneAtATime(t *testing.T) {
	srv, _ := kumamoto(t, Options{SolveLimit: 5 * time.Second})
	done := make(chan string, 6)
	for range cap(done) {
		go func() {
			rec, out := do(t, srv, "POST", "/api/optimize", `{"k":8,"keep_kind":"ward"}`)
			if rec.Code != 200 {
				done <- rec.Body.String()
				return
			}
			b, _ := json.Marshal(out["open"])
			done <- string(b)
		}()
	}
	first := <-done
	for range cap(done) - 1 {
		if got := <-done; got != first {
			t.Errorf("concurrent plans differ: %s and %s", got, first)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestServiceConcurrent runs service requests from several clients at
// once (run with -race): every answer equals the one computed alone.
func TestServiceConcurrent(t *testing.T) {
	srv, _ := withService(t, Options{})
	ids := []string{"oe", "akitsu", "tobu", "hanazono", "koda"}
	alone := map[string]string{}
	for _, id := range ids {
		rec, _ := do(t, srv, "POST", "/api/service", `{"close":["`+id+`"]}`)
		alone[id] = rec.Body.String()
	}
	errs := make(chan string, 8*len(ids))
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range ids {
				id := ids[(c+k)%len(ids)]
				rec, _ := do(t, srv, "POST", "/api/service", `{"close":["`+id+`"]}`)
				if rec.Code != 200 || rec.Body.String() != alone[id] {
					errs <- id + ": " + rec.Body.String()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent answer differs from the one alone: %.300s", e)
	}
}
