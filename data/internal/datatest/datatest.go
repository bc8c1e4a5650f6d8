// Package datatest holds the test helpers that the tests of package data and
// of the readers under it (data/gpkg) share: sources converted with
// ogr2ogr, dataset comparison within a tolerance, and fuzzing a loader.
package datatest

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
)

// MakeSources writes the Kumamoto offices and districts of kumamotoDir (the
// embedded default's folder, data/kumamoto) as GeoJSON into dir, the sources
// of every fixture converted with ogr2ogr.
func MakeSources(t *testing.T, kumamotoDir, dir string) (offices, districts string) {
	t.Helper()
	offices = filepath.Join(dir, "offices_src.geojson")
	ogrtest.Convert(t, "-f", "GeoJSON", "-a_srs", "EPSG:4326", "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat",
		"-oo", "KEEP_GEOM_COLUMNS=NO", "-lco", "RFC7946=YES", offices, filepath.Join(kumamotoDir, "offices.csv"))
	districts = filepath.Join(dir, "districts_src.geojson")
	raw, err := os.ReadFile(filepath.Join(kumamotoDir, "districts.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(districts, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return offices, districts
}

// SameRing reports whether two closed rings hold the same positions within
// tol metres, in the same or the opposite direction and from any start.
func SameRing(a, b orb.Ring, tol float64) bool {
	if len(a) != len(b) || len(a) < 2 {
		return false
	}
	a, b = a[:len(a)-1], b[:len(b)-1]
	n := len(a)
	for start := range n {
		if geo.Distance(a[0], b[start]) > tol {
			continue
		}
		for _, dir := range []int{1, -1} {
			ok := true
			for k := 0; k < n && ok; k++ {
				ok = geo.Distance(a[k], b[((start+dir*k)%n+n)%n]) <= tol
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// CompareDatasets checks that got holds the features of want within tol
// metres, with the same ids, names, kinds and populations.
func CompareDatasets(t *testing.T, want, got *data.Dataset, tol float64) {
	t.Helper()
	if len(got.Offices) != len(want.Offices) || len(got.Districts) != len(want.Districts) {
		t.Fatalf("got %d offices, %d districts; want %d, %d", len(got.Offices), len(got.Districts), len(want.Offices), len(want.Districts))
	}
	worst := 0.0
	for i, w := range want.Offices {
		g := got.Offices[i]
		if g.ID != w.ID || g.Name != w.Name || g.Kind != w.Kind || g.Ward != w.Ward {
			t.Errorf("office %d: got %s %q %s %q, want %s %q %s %q", i, g.ID, g.Name, g.Kind, g.Ward, w.ID, w.Name, w.Kind, w.Ward)
		}
		d := geo.Distance(g.Location, w.Location)
		worst = math.Max(worst, d)
		if d > tol {
			t.Errorf("office %s: %v is %.4f m from %v", w.ID, g.Location, d, w.Location)
		}
	}
	for i, w := range want.Districts {
		g := got.Districts[i]
		if g.ID != w.ID || g.Name != w.Name || g.NameEn != w.NameEn || g.Pop() != w.Pop() {
			t.Errorf("district %d: got %s %q %q %v, want %s %q %q %v", i, g.ID, g.Name, g.NameEn, g.Pop(), w.ID, w.Name, w.NameEn, w.Pop())
		}
		if len(g.Geometry) != len(w.Geometry) {
			t.Errorf("district %s: %d polygons, want %d", w.ID, len(g.Geometry), len(w.Geometry))
			continue
		}
		for p := range w.Geometry {
			if len(g.Geometry[p]) != len(w.Geometry[p]) {
				t.Errorf("district %s polygon %d: %d rings, want %d", w.ID, p, len(g.Geometry[p]), len(w.Geometry[p]))
				continue
			}
			for r := range w.Geometry[p] {
				if !SameRing(w.Geometry[p][r], g.Geometry[p][r], tol) {
					t.Errorf("district %s polygon %d ring %d differs by more than %g m", w.ID, p, r, tol)
				}
			}
		}
	}
	t.Logf("largest office offset %.2e m", worst)
}

// FuzzLoad loads one file of layer from memory with opt and fails on a hang
// and on an error without text; the fuzzing engine reports panics.
func FuzzLoad(t *testing.T, opt data.Options, layer data.Layer, files map[string][]byte, main string) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, b := range files {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	done := make(chan struct{})
	var err error
	go func() {
		defer close(done)
		_, _, err = data.LoadFS(fsys, data.Paths{layer: main}, opt)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("loading %s took more than 10 s", main)
	}
	if err != nil && strings.TrimSpace(err.Error()) == "" {
		t.Fatalf("error without a message")
	}
}

// SeedFiles adds every file of dir with one of exts as a seed.
func SeedFiles(f *testing.F, dir string, exts ...string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		for _, ext := range exts {
			if strings.HasSuffix(e.Name(), ext) {
				if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
					f.Add(b)
				}
			}
		}
	}
}
