package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

// kumamoto is the page over the embedded default.
func kumamoto(t testing.TB, opt Options) (*Server, *catchment.Study) {
	t.Helper()
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	return srv, s
}

func do(t testing.TB, h http.Handler, method, url, body string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		json.Unmarshal(rec.Body.Bytes(), &out)
	}
	return rec, out
}

// TestWhatIfMatchesLibrary checks the page's figures against the
// library's comparison of the same change.
func TestWhatIfMatchesLibrary(t *testing.T) {
	srv, s := kumamoto(t, Options{CertificateShare: 0.4})
	w, _ := s.WhatIf()
	gaps, _ := s.Gaps()
	for _, ch := range []catchment.Change{
		{Close: []string{"oe"}},
		{Close: []string{"oe", "akitsu"}, Downgrade: []string{"hanazono"}},
		{},
	} {
		body, _ := json.Marshal(map[string]any{"close": ch.Close, "downgrade": ch.Downgrade})
		rec, out := do(t, srv, "POST", "/api/whatif", string(body))
		if rec.Code != 200 {
			t.Fatalf("%v: %d %s", ch, rec.Code, rec.Body)
		}
		want, err := w.Compare(ch, catchment.CompareOptions{MaxKm: catchment.DefaultMaxKm, CertificateShare: 0.4, Coverage: gaps})
		if err != nil {
			t.Fatal(err)
		}
		sum := out["summary"].(map[string]any)
		if int(sum["moved_districts"].(float64)) != want.Summary.MovedDistricts || sum["moved_population"].(float64) != want.Summary.MovedPopulation {
			t.Errorf("%v: moved %v/%v, library %d/%v", ch, sum["moved_districts"], sum["moved_population"], want.Summary.MovedDistricts, want.Summary.MovedPopulation)
		}
		reassigned := out["reassigned"].(map[string]any)
		for i, d := range want.Districts {
			got, ok := reassigned[strconv.Itoa(i)]
			switch {
			case d.After.ID != d.Before.ID && got != d.After.ID:
				t.Fatalf("%v: district %d reassigned to %v, library %s", ch, i, got, d.After.ID)
			case d.After.ID == d.Before.ID && ok:
				t.Fatalf("%v: district %d listed as reassigned to %v, library keeps %s", ch, i, got, d.Before.ID)
			}
		}
		if len(reassigned) != want.Summary.MovedDistricts {
			t.Errorf("%v: %d reassigned, library moves %d", ch, len(reassigned), want.Summary.MovedDistricts)
		}
		if rec.Header().Get("X-Compute-Ms") == "" {
			t.Error("no X-Compute-Ms")
		}
	}
}

func TestEndpoints(t *testing.T) {
	out := t.TempDir()
	srv, _ := kumamoto(t, Options{OutDir: out})
	for _, tc := range []struct {
		method, url, body string
		code              int
		want              string
	}{
		{"GET", "/", "", 200, `<div id="map"`},
		{"GET", "/static/app.js", "", 200, "catchmentPage"},
		{"GET", "/static/vendor/leaflet-1.9.4/leaflet.js", "", 200, "Leaflet"},
		{"GET", "/api/study", "", 200, `"offices":[{"id":"chuo"`},
		{"GET", "/api/districts.geojson", "", 200, `"type":"FeatureCollection"`},
		{"GET", "/api/stores.geojson", "", 200, `"name":"stores"`},
		{"GET", "/api/posts.geojson", "", 200, `"name":"posts"`},
		{"GET", "/api/each", "", 200, `"rank": 1`},
		{"GET", "/api/scenario.yaml?close=oe&downgrade=akitsu", "", 200, `close: ["oe"]`},
		{"GET", "/api/export/whatif.geojson?close=oe", "", 200, `"moved":true`},
		{"GET", "/api/export/whatif.md?close=oe", "", 200, "## What if: close oe"},
		{"GET", "/api/export/whatif_after.png?close=oe", "", 200, "\x89PNG"},
		{"GET", "/api/export/whatif.geojson?close=oe&save=1", "", 200, `"saved"`},
		// Bad requests: a JSON error naming the field.
		{"POST", "/api/whatif", `{"close":["oe","nosuch"]}`, 400, `"field":"close[1]"`},
		{"POST", "/api/whatif", `{"close":"oe"}`, 400, `"field":"body"`},
		{"POST", "/api/whatif", `{"closed":["oe"]}`, 400, `unknown field`},
		{"POST", "/api/whatif", `{"close":["oe"],"max_km":-1}`, 400, `"field":"max_km"`},
		{"POST", "/api/whatif", `{"certificate_share":2}`, 400, `"field":"certificate_share"`},
		{"POST", "/api/whatif", `{"close":["chuo","higashi","nishi","minami","kita","oe","takuma","akitsu","tobu","kawachi","hanazono","akita","tenmei","koda","jonan","nanbu","hokubu","shimizu","tatsuda"]}`, 400, "closes every office"},
		{"POST", "/api/whatif", `{"open":[{"id":"oe","lat":32.8,"lon":130.7}]}`, 400, `"field":"open[0].id"`},
		{"POST", "/api/whatif", `{"open":[{"id":"n","lat":132.8,"lon":130.7}]}`, 400, `"field":"open[0]"`},
		{"POST", "/api/whatif", strings.Repeat(" ", 2<<20) + "{}", 413, "larger than"},
		{"GET", "/api/whatif", "", 405, ""},
		{"GET", "/api/scenario.yaml", "", 400, "changes nothing"},
		{"GET", "/api/scenario.yaml?close=zz", "", 400, `"field":"close[0]"`},
		{"POST", "/api/scenario", "stages:\n  - close: [zz]\n", 400, `unknown office id \"zz\"`},
		{"POST", "/api/scenario", "stages: [", 400, "scenario"},
		{"GET", "/api/export/nope.txt?close=oe", "", 404, `"field":"file"`},
		{"GET", "/api/export/whatif.geojson?close=zz", "", 400, "unknown office"},
		{"GET", "/api/export/whatif.geojson?max_km=NaN", "", 400, "max_km"},
	} {
		rec, _ := do(t, srv, tc.method, tc.url, tc.body)
		if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s %s: %d %.200q; want %d and %q", tc.method, tc.url, rec.Code, rec.Body.String(), tc.code, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "whatif.geojson")); err != nil {
		t.Errorf("save=1 wrote nothing under --out: %v", err)
	}
	nosave, _ := kumamoto(t, Options{})
	if rec, _ := do(t, nosave, "GET", "/api/export/whatif.geojson?close=oe&save=1", ""); rec.Code != 403 {
		t.Errorf("save without --out: %d", rec.Code)
	}
	// A scenario file goes in and comes out the same.
	rec, _ := do(t, srv, "GET", "/api/scenario.yaml?close=oe,akitsu&downgrade=hanazono", "")
	_, got := do(t, srv, "POST", "/api/scenario?name=s.yaml", rec.Body.String())
	if fmt.Sprint(got["close"], got["downgrade"]) != "[oe akitsu] [hanazono]" {
		t.Errorf("round trip: %v", got)
	}
	staged, err := os.ReadFile("../testdata/whatif/staged.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, got = do(t, srv, "POST", "/api/scenario?name=staged.yaml", string(staged))
	if got["name"] == nil || len(got["stages"].([]any)) < 2 {
		t.Errorf("staged scenario: %v", got)
	}
}

// TestConcurrentClients runs 2,000 what-if requests from 20 clients at once
// (run with -race) and reports the latency.
func TestConcurrentClients(t *testing.T) {
	srv, s := kumamoto(t, Options{})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var ids []string
	for _, o := range s.Offices() {
		if o.Kind == data.Branch {
			ids = append(ids, o.ID)
		}
	}
	const clients, each = 20, 100
	lat := make([]time.Duration, clients*each)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 9))
			for k := range each {
				close := []string{ids[r.IntN(len(ids))]}
				body, _ := json.Marshal(map[string]any{"close": close})
				start := time.Now()
				resp, err := http.Post(ts.URL+"/api/whatif", "application/json", bytes.NewReader(body))
				if err == nil {
					var out struct {
						Summary map[string]any `json:"summary"`
					}
					err = json.NewDecoder(resp.Body).Decode(&out)
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && (resp.StatusCode != 200 || out.Summary["closed"] != close[0]) {
						err = fmt.Errorf("status %d, closed %v", resp.StatusCode, out.Summary["closed"])
					}
				}
				lat[c*each+k] = time.Since(start)
				if err != nil {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d of %d requests failed, e.g. %s", len(failures), len(lat), failures[0])
	}
	slices.Sort(lat)
	t.Logf("%d requests from %d clients: p50 %v, p99 %v, max %v", len(lat), clients, lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
}

// BenchmarkWhatIfRequest is one click's request at Kumamoto scale.
func BenchmarkWhatIfRequest(b *testing.B) {
	srv, _ := kumamoto(b, Options{})
	for b.Loop() {
		rec, _ := do(b, srv, "POST", "/api/whatif", `{"close":["oe"],"downgrade":["akitsu"]}`)
		if rec.Code != 200 {
			b.Fatal(rec.Body)
		}
	}
}
