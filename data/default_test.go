package data_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/gendefault/synth"
)

// defaultTestSharedData is the reference data folder next to the repository.
var defaultTestSharedData = filepath.Join("..", "..", "shared", "data")

func loadDefaultDataset(t *testing.T) *data.Dataset {
	t.Helper()
	ds, warnings, err := data.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	for _, w := range warnings {
		t.Errorf("Default warning: %s", w)
	}
	return ds
}

func TestDefault(t *testing.T) {
	ds := loadDefaultDataset(t)

	wantIDs := []string{"chuo", "higashi", "nishi", "minami", "kita", "oe", "takuma", "akitsu", "tobu",
		"kawachi", "hanazono", "akita", "tenmei", "koda", "jonan", "nanbu", "hokubu", "shimizu", "tatsuda"}
	var ids []string
	kinds := map[data.OfficeKind]int{}
	for _, o := range ds.Offices {
		ids = append(ids, o.ID)
		kinds[o.Kind]++
		if o.Name == "" || o.NameEn == "" || o.Ward == "" || o.Source == "" {
			t.Errorf("office %s lacks a name, English name, ward or source: %+v", o.ID, o)
		}
		if o.CounterCount == nil || *o.CounterCount <= 0 {
			t.Errorf("office %s has no counter count", o.ID)
		}
		if (o.PublishedKm == nil) != (o.Kind == data.Ward) {
			t.Errorf("office %s (%s): published km %v; want it exactly for branch offices", o.ID, o.Kind, o.PublishedKm)
		}
		if !strings.Contains(o.Source, "DEMO") {
			t.Errorf("office %s: source %q does not say the counter count is a demo figure", o.ID, o.Source)
		}
	}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("office ids = %v, want %v", ids, wantIDs)
	}
	if kinds[data.Ward] != 5 || kinds[data.Branch] != 14 {
		t.Errorf("got %d ward and %d branch offices, want 5 and 14", kinds[data.Ward], kinds[data.Branch])
	}

	if n := len(ds.Districts); n != synth.DistrictCount {
		t.Errorf("got %d districts, want %d", n, synth.DistrictCount)
	}
	if n := len(ds.Stores); n != synth.StoreCount {
		t.Errorf("got %d stores, want %d", n, synth.StoreCount)
	}
	if n := len(ds.Posts); n != synth.PostCount {
		t.Errorf("got %d post offices, want %d", n, synth.PostCount)
	}
	if len(ds.Boundary) == 0 {
		t.Error("no boundary")
	}
	var pop float64
	for _, d := range ds.Districts {
		if d.Population == nil || *d.Population <= 0 {
			t.Errorf("district %s has no population", d.ID)
		}
		pop += d.Pop()
	}
	if pop != synth.TotalPopulation {
		t.Errorf("district populations sum to %v, want %v", pop, synth.TotalPopulation)
	}

	for _, layer := range data.Layers {
		want := "embedded:kumamoto/" + map[data.Layer]string{
			data.LayerOffices: "offices.csv", data.LayerDistricts: "districts.geojson",
			data.LayerStores: "stores.geojson", data.LayerPosts: "posts.geojson", data.LayerBoundary: "boundary.geojson",
		}[layer]
		if got := ds.Sources[layer]; got != want {
			t.Errorf("Sources[%s] = %q, want %q", layer, got, want)
		}
		if got, want := ds.Synthetic[layer], layer != data.LayerOffices; got != want {
			t.Errorf("Synthetic[%s] = %v, want %v", layer, got, want)
		}
	}
	if !slices.ContainsFunc(ds.Attribution, func(s string) bool {
		return strings.Contains(s, "出典：国土地理院 指定緊急避難場所データ")
	}) {
		t.Errorf("Attribution %q lacks the GSI credit", ds.Attribution)
	}
}

// TestDefaultOfficesInOwnWard checks every office against the real ward
// polygons (N03, 2021). Approximate positions that fall outside their ward
// are data errors to fix in offices.csv, not reasons to loosen this test.
func TestDefaultOfficesInOwnWard(t *testing.T) {
	file := filepath.Join(defaultTestSharedData, "kumamoto_wards_N03-21_simplified1pct_smartnews.geojson")
	if _, err := os.Stat(defaultTestSharedData); os.IsNotExist(err) {
		t.Skipf("SKIPPING: shared reference data folder %s is absent; cannot check offices against real ward polygons", defaultTestSharedData)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	wards := map[string]orb.MultiPolygon{}
	for i, f := range fc.Features {
		name, _ := f.Properties["N03_004"].(string)
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			wards[name] = append(wards[name], g)
		case orb.MultiPolygon:
			wards[name] = append(wards[name], g...)
		default:
			t.Fatalf("%s: feature %d (%s): geometry %T, want a polygon", file, i, name, f.Geometry)
		}
	}
	if len(wards) != 5 {
		t.Fatalf("%s: got %d wards, want 5", file, len(wards))
	}

	ds := loadDefaultDataset(t)
	for _, o := range ds.Offices {
		ward, ok := wards[o.Ward]
		if !ok {
			t.Errorf("office %s: ward %q is not one of the N03 wards", o.ID, o.Ward)
			continue
		}
		if !geo.Contains(ward, o.Location) {
			var in []string
			for name, mp := range wards {
				if geo.Contains(mp, o.Location) {
					in = append(in, name)
				}
			}
			t.Errorf("office %s (%s) at %v lies outside its ward %s (inside %v); source: %s",
				o.ID, o.Name, o.Location, o.Ward, in, o.Source)
		}
	}
}

func TestDefaultOfficesInsideBoundary(t *testing.T) {
	ds := loadDefaultDataset(t)
	for _, o := range ds.Offices {
		if !geo.Contains(ds.Boundary, o.Location) {
			t.Errorf("office %s at %v lies outside the boundary", o.ID, o.Location)
		}
	}
	for _, s := range append(slices.Clone(ds.Stores), ds.Posts...) {
		if !geo.Contains(ds.Boundary, s.Location) {
			t.Errorf("service point %s at %v lies outside the boundary", s.ID, s.Location)
		}
	}
}

// TestDefaultDistrictsTileBoundary: the districts cover the boundary without
// overlapping, measured in a local projection (m²).
func TestDefaultDistrictsTileBoundary(t *testing.T) {
	ds := loadDefaultDataset(t)
	proj := geo.LocalProjection(ds.Boundary.Bound())
	project := func(mp orb.MultiPolygon) orb.MultiPolygon {
		out := make(orb.MultiPolygon, len(mp))
		for i, p := range mp {
			out[i] = make(orb.Polygon, len(p))
			for j, r := range p {
				out[i][j] = make(orb.Ring, len(r))
				for k, q := range r {
					out[i][j][k] = proj.Forward(q)
				}
			}
		}
		return out
	}
	boundary := project(ds.Boundary)
	boundaryArea := planar.Area(boundary)
	t.Logf("boundary: %.2f km² projected, %.2f km² geodesic", boundaryArea/1e6, geo.Area(ds.Boundary)/1e6)
	if km2 := boundaryArea / 1e6; km2 < 370 || km2 > 410 {
		t.Errorf("boundary area %.1f km², want about 390 km²", km2)
	}

	var sum float64
	parts := make([]orb.MultiPolygon, len(ds.Districts))
	for i, d := range ds.Districts {
		parts[i] = project(d.Geometry)
		sum += planar.Area(parts[i])
	}
	if rel := (sum - boundaryArea) / boundaryArea; rel > 0.005 || rel < -0.005 {
		t.Errorf("districts cover %.3f km², boundary is %.3f km² (%.3f%% off, want within 0.5%%)",
			sum/1e6, boundaryArea/1e6, 100*rel)
	}
	union, err := geo.Union(parts)
	if err != nil {
		t.Fatal(err)
	}
	unionArea := planar.Area(union)
	// Overlapping districts make the sum exceed the union; rounding the
	// coordinates to 6 decimals (0.1 m) leaves far less than 0.01%.
	if overlap := sum - unionArea; overlap > 1e-4*boundaryArea {
		t.Errorf("districts overlap by %.0f m² (sum %.0f m², union %.0f m²)", overlap, sum, unionArea)
	}
	inside, err := geo.Intersect(union, boundary)
	if err != nil {
		t.Fatal(err)
	}
	if out := unionArea - planar.Area(inside); out > 1e-4*boundaryArea {
		t.Errorf("districts extend %.0f m² beyond the boundary", out)
	}
}

// TestDefaultStoreGaps: the density model leaves roughly a dozen outer
// districts without a convenience store, which the gap analysis should find.
func TestDefaultStoreGaps(t *testing.T) {
	ds := loadDefaultDataset(t)
	var empty []string
	for _, d := range ds.Districts {
		n := 0
		for _, s := range ds.Stores {
			if geo.Contains(d.Geometry, s.Location) {
				n++
			}
		}
		if n == 0 {
			empty = append(empty, d.ID)
		}
	}
	if len(empty) < 6 || len(empty) > 18 {
		t.Errorf("%d districts have no store (%v), want roughly a dozen", len(empty), empty)
	}
}

// TestGeneratorGolden: the generator is deterministic and the embedded files
// are exactly what it writes. Regenerate with `go run ./internal/gendefault`.
func TestGeneratorGolden(t *testing.T) {
	first, err := synth.Files()
	if err != nil {
		t.Fatal(err)
	}
	second, err := synth.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 4 {
		t.Errorf("generator wrote %d files, want 4", len(first))
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two runs of the generator", name)
		}
		committed, err := os.ReadFile(filepath.Join("kumamoto", name))
		if err != nil {
			t.Errorf("%v (regenerate with `go run ./internal/gendefault`)", err)
			continue
		}
		if !bytes.Equal(committed, b) {
			t.Errorf("kumamoto/%s is not what the generator writes; regenerate with `go run ./internal/gendefault` from the module root", name)
		}
	}
}

func BenchmarkDefault(b *testing.B) {
	for b.Loop() {
		if _, _, err := data.Default(); err != nil {
			b.Fatal(err)
		}
	}
}
