package synthetic

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

// TestGenerateLoads writes the city and prefecture scales and loads them
// back through the CLI's loaders: every layer is valid, the counts are the
// spec's, and the population layer adds up to the districts' populations.
func TestGenerateLoads(t *testing.T) {
	for _, scale := range []Scale{City, Prefecture} {
		t.Run(string(scale), func(t *testing.T) {
			spec, err := SpecFor(scale)
			if err != nil {
				t.Fatal(err)
			}
			gen, err := Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if _, err := gen.WriteDir(dir, nil); err != nil {
				t.Fatal(err)
			}
			ds, warns, err := data.LoadDir(dir, data.Options{})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			for _, w := range warns {
				t.Errorf("warning: %s", w)
			}
			if len(ds.Offices) != spec.Offices || len(ds.Stores) != spec.Stores || len(ds.Posts) != spec.Posts {
				t.Errorf("offices %d stores %d posts %d, want %d %d %d", len(ds.Offices), len(ds.Stores), len(ds.Posts), spec.Offices, spec.Stores, spec.Posts)
			}
			if n := len(ds.Districts); n < spec.Districts*9/10 || n > spec.Districts*11/10 {
				t.Errorf("%d districts, want about %d", n, spec.Districts)
			}
			holes, multi := 0, 0
			for _, d := range ds.Districts {
				if len(d.Geometry) > 1 {
					multi++
				}
				for _, p := range d.Geometry {
					holes += len(p) - 1
				}
			}
			if holes == 0 || multi == 0 {
				t.Errorf("%d holes and %d MultiPolygons; want some of each", holes, multi)
			}
			cells, _, err := data.LoadPopulation(filepath.Join(dir, PopulationFile), data.Options{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := catchment.WeightDistricts(ds.Districts, cells)
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range ds.Districts {
				if s.Districts[i].Population != d.Pop() {
					t.Fatalf("district %s: cells add up to %v, its population field says %v", d.ID, s.Districts[i].Population, d.Pop())
				}
			}
			// Every store lies in a district (they are drawn inside fine cells).
			study, err := catchment.NewStudy(&data.Dataset{Districts: ds.Districts, Stores: ds.Stores}, catchment.Options{})
			if err != nil {
				t.Fatal(err)
			}
			gaps, err := study.Gaps()
			if err != nil {
				t.Fatal(err)
			}
			in := 0
			for _, g := range gaps {
				in += g.Stores
			}
			if in != len(ds.Stores) {
				t.Errorf("%d of %d stores fall in a district", in, len(ds.Stores))
			}
		})
	}
}

// TestGenerateDeterministic checks that the same spec gives the same bytes.
func TestGenerateDeterministic(t *testing.T) {
	spec, _ := SpecFor(City)
	var out [2][]byte
	for k := range out {
		g, err := Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := g.WriteDir(dir, nil); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{DistrictsFile, StoresFile, OfficesFile, PopulationFile} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			out[k] = append(out[k], b...)
		}
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("two runs of the same spec differ")
	}
	if _, err := SpecFor("planet"); err == nil {
		t.Error("unknown scale: no error")
	}
}

// BenchmarkGenerateNation times the national dataset (run with -benchtime=1x).
func BenchmarkGenerateNation(b *testing.B) {
	spec, _ := SpecFor(Nation)
	for i := 0; i < b.N; i++ {
		if _, err := Generate(spec); err != nil {
			b.Fatal(err)
		}
	}
}
