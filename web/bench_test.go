package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

// benchServer is the page over a synthetic study area (no population layer).
func benchServer(b *testing.B, scale synthetic.Scale) (*Server, *catchment.Study) {
	b.Helper()
	spec, err := synthetic.SpecFor(scale)
	if err != nil {
		b.Fatal(err)
	}
	g, err := synthetic.Generate(spec)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if _, err := g.WriteDir(dir, nil); err != nil {
		b.Fatal(err)
	}
	ds, _, err := data.LoadDir(dir, data.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(s, Options{})
	if err != nil {
		b.Fatal(err)
	}
	return srv, s
}

// BenchmarkWhatIfRequestScale times POST /api/whatif closing one branch office,
// the server's part of a click, at city and nation scale (run with
// -benchtime=20x: the nation takes seconds to set up).
func BenchmarkWhatIfRequestScale(b *testing.B) {
	for _, scale := range []synthetic.Scale{synthetic.City, synthetic.Nation} {
		b.Run(string(scale), func(b *testing.B) {
			srv, s := benchServer(b, scale)
			var branches []string
			for _, o := range s.Offices() {
				if o.Kind == data.Branch {
					branches = append(branches, o.ID)
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				body := `{"close":["` + branches[i*7919%len(branches)] + `"]}`
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/whatif", strings.NewReader(body)))
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
				b.SetBytes(int64(rec.Body.Len()))
			}
		})
	}
}

// BenchmarkServiceRequest times POST /api/service closing one branch
// office on the embedded data: the service model and the opening hours
// before and after.
func BenchmarkServiceRequest(b *testing.B) {
	srv, _ := withService(b, Options{})
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/service", strings.NewReader(`{"close":["oe"]}`)))
		if rec.Code != http.StatusOK {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkOptimizeRequest times POST /api/optimize for K = 8 with the
// ward offices kept on the embedded data (solved and proven each time).
func BenchmarkOptimizeRequest(b *testing.B) {
	srv, _ := kumamoto(b, Options{})
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/optimize", strings.NewReader(`{"k":8,"keep_kind":"ward"}`)))
		if rec.Code != http.StatusOK {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}
