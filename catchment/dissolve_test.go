package catchment

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/synthetic"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/planar"
)

// officeGroups is, for every office that serves a district, its districts'
// geometries under the study's assignment.
func officeGroups(tb testing.TB, ds *data.Dataset) [][]orb.MultiPolygon {
	tb.Helper()
	s, err := NewStudy(ds, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	a, err := s.Assign()
	if err != nil {
		tb.Fatal(err)
	}
	groups := make([][]orb.MultiPolygon, len(ds.Offices))
	for _, da := range a.Districts {
		if da.OfficeIndex >= 0 {
			groups[da.OfficeIndex] = append(groups[da.OfficeIndex], ds.Districts[da.Index].Geometry)
		}
	}
	var out [][]orb.MultiPolygon
	for _, g := range groups {
		if len(g) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func planarArea(mp orb.MultiPolygon) float64 {
	var a float64
	for _, p := range mp {
		a += planar.Area(p)
	}
	return a
}

// TestDissolveMatchesOverlay dissolves every office's districts of the
// Kumamoto default and of the synthetic prefecture (the nation too with
// CATCHMENT_DISSOLVE_NATION=1) by shared edges and by the overlay, and
// checks that both cover the same ground: the same planar area within
// 1e-9, a symmetric difference of no area, the same numbers of polygons
// and holes, a valid result. These inputs are clean coverages: the edge
// dissolve must not fall back. The geodesic area of each catchment is the
// sum of its districts' (the overlay drops vertices on straight runs of
// the border, which moves a geodesic edge by a little).
func TestDissolveMatchesOverlay(t *testing.T) {
	sets := []struct {
		name string
		load func(testing.TB) *data.Dataset
	}{
		{"kumamoto", func(tb testing.TB) *data.Dataset {
			ds, _, err := data.Default()
			if err != nil {
				tb.Fatal(err)
			}
			return ds
		}},
		{"prefecture", func(tb testing.TB) *data.Dataset { ds, _ := loadScale(tb, synthetic.Prefecture); return ds }},
	}
	if os.Getenv("CATCHMENT_DISSOLVE_NATION") != "" {
		sets = append(sets, struct {
			name string
			load func(testing.TB) *data.Dataset
		}{"nation", func(tb testing.TB) *data.Dataset { ds, _ := loadScale(tb, synthetic.Nation); return ds }})
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			groups := officeGroups(t, set.load(t))
			var results []orb.MultiPolygon
			var polys, holeCount int
			var worstArea, worstSym, worstGeodesic, overlayGeodesic float64
			for gi, g := range groups {
				got, err := geo.CoverageUnion(g)
				if errors.Is(err, geo.ErrNotCoverage) {
					t.Fatalf("office %d: the districts are a clean coverage, yet: %v", gi, err)
				}
				if err != nil {
					t.Fatal(err)
				}
				results = append(results, got)
				want, err := geo.Union(g)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := geo.Union([]orb.MultiPolygon{got}); err != nil {
					t.Errorf("office %d: invalid result: %v", gi, err)
				}
				ga, wa := planarArea(got), planarArea(want)
				both, err := geo.Intersect(got, want)
				if err != nil {
					t.Fatal(err)
				}
				sym := math.Abs(ga+wa-2*planarArea(both)) / wa
				rel := math.Abs(ga-wa) / wa
				var sum float64
				for _, d := range g {
					sum += geo.Area(d)
				}
				geod := math.Abs(geo.Area(got)-sum) / sum
				worstArea, worstSym, worstGeodesic = max(worstArea, rel), max(worstSym, sym), max(worstGeodesic, geod)
				overlayGeodesic = max(overlayGeodesic, math.Abs(geo.Area(want)-sum)/sum)
				if rel > 1e-9 || sym > 1e-9 || geod > 1e-9 {
					t.Errorf("office %d: planar area %v, overlay %v; symmetric difference %.2g; geodesic %.2g from the districts' sum", gi, ga, wa, sym, geod)
				}
				holes := func(mp orb.MultiPolygon) (n int) {
					for _, p := range mp {
						n += len(p) - 1
					}
					return n
				}
				polys, holeCount = polys+len(got), holeCount+holes(got)
				if len(got) != len(want) || holes(got) != holes(want) {
					t.Errorf("office %d: %d polygons with %d holes, overlay %d with %d", gi, len(got), holes(got), len(want), holes(want))
				}
			}
			t.Logf("%d offices, %d polygons, %d holes: worst relative differences: planar area %.2g, symmetric difference %.2g, geodesic area against the districts' sum %.2g (overlay: %.2g)",
				len(groups), polys, holeCount, worstArea, worstSym, worstGeodesic, overlayGeodesic)
			checkValidGEOS(t, results)
		})
	}
}

// BenchmarkDissolve times dissolving every office's districts at city
// (Kumamoto and synthetic), prefecture and nation scale (-benchtime=1x for
// the nation: generating it takes seconds), by shared edges ("edges", what
// the report does) and by the overlay alone ("overlay", before issue 17).
func BenchmarkDissolve(b *testing.B) {
	for _, s := range []synthetic.Scale{synthetic.City, synthetic.Prefecture, synthetic.Nation} {
		b.Run(string(s), func(b *testing.B) {
			ds, _ := loadScale(b, s)
			groups := officeGroups(b, ds)
			for _, m := range []struct {
				name  string
				union func([]orb.MultiPolygon) (orb.MultiPolygon, error)
			}{{"edges", dissolve}, {"overlay", geo.Union}} {
				b.Run(m.name, func(b *testing.B) {
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						err := parallelFor(len(groups), func(k int) error {
							_, err := m.union(groups[k])
							return err
						})
						if err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// checkValidGEOS fails unless GEOS (Debian's python3-shapely) finds every
// geometry valid. It skips loudly without shapely unless CI is set.
func checkValidGEOS(t *testing.T, mps []orb.MultiPolygon) {
	t.Helper()
	py := "/usr/bin/python3" // Debian's, not one a version manager puts first
	if err := exec.Command(py, "-c", "import shapely").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3-shapely is needed: %v", err)
		}
		t.Logf("SKIPPING the GEOS validity check: %s cannot import shapely (%v); apt-get install python3-shapely", py, err)
		return
	}
	var b strings.Builder
	for _, mp := range mps {
		b.WriteString(wkt.MarshalString(mp))
		b.WriteByte('\n')
	}
	file := filepath.Join(t.TempDir(), "unions.wkt")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `
import sys
from shapely import wkt
from shapely.validation import explain_validity
bad = 0
for i, line in enumerate(open(sys.argv[1])):
    g = wkt.loads(line)
    if not g.is_valid:
        bad += 1
        print(i, explain_validity(g))
print("checked", i + 1, "invalid", bad)
`, file).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	if !strings.HasSuffix(strings.TrimSpace(string(out)), "invalid 0") {
		t.Errorf("GEOS finds invalid unions:\n%s", out)
	}
	t.Logf("GEOS: %s", strings.TrimSpace(string(out)))
}
