package geo

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/planar"
)

// grid is the unit squares at the given (column, row) cells, one polygon
// each: a coverage whose neighbours share their corners.
func grid(cells ...[2]float64) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(cells))
	for i, c := range cells {
		out[i] = orb.MultiPolygon{{{{c[0], c[1]}, {c[0] + 1, c[1]}, {c[0] + 1, c[1] + 1}, {c[0], c[1] + 1}, {c[0], c[1]}}}}
	}
	return out
}

// square3 is the 3×3 grid without the given cells.
func square3(without ...[2]float64) []orb.MultiPolygon {
	var cells [][2]float64
	for y := 0.0; y < 3; y++ {
	next:
		for x := 0.0; x < 3; x++ {
			for _, w := range without {
				if w == [2]float64{x, y} {
					continue next
				}
			}
			cells = append(cells, [2]float64{x, y})
		}
	}
	return grid(cells...)
}

// checkSameUnion fails unless got covers exactly what Union of in covers:
// the same planar area within 1e-9 relative and a symmetric difference of
// (relatively) no area, and got is valid with rings oriented as Union's.
func checkSameUnion(t *testing.T, in []orb.MultiPolygon, got orb.MultiPolygon) {
	t.Helper()
	want, err := Union(in)
	if err != nil {
		t.Fatal(err)
	}
	checkClipOrientation(t, got)
	if _, err := toGeom(got); err != nil {
		t.Fatalf("result is not valid: %v", err)
	}
	ga, wa := planarArea(got), planarArea(want)
	if math.Abs(ga-wa) > 1e-9*wa {
		t.Errorf("area %v, overlay %v (relative %.2g)", ga, wa, (ga-wa)/wa)
	}
	both, err := Intersect(got, want)
	if err != nil {
		t.Fatal(err)
	}
	if d := ga + wa - 2*planarArea(both); math.Abs(d) > 1e-9*wa {
		t.Errorf("symmetric difference with the overlay has area %v (of %v)", d, wa)
	}
	if len(got) != len(want) {
		t.Errorf("%d polygons, overlay %d", len(got), len(want))
	}
}

func planarArea(mp orb.MultiPolygon) float64 {
	var a float64
	for _, p := range mp {
		a += planar.Area(p)
	}
	return a
}

func TestCoverageUnion(t *testing.T) {
	island := orb.MultiPolygon{
		{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
		{{{5, 5}, {6, 5}, {6, 6}, {5, 6}, {5, 5}}},
	}
	holed := orb.MultiPolygon{{
		{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
		{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}},
	}}
	tests := []struct {
		name  string
		in    []orb.MultiPolygon
		polys int
		holes int
	}{
		{"one square", grid([2]float64{0, 0}), 1, 0},
		{"2×2 grid", grid([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{0, 1}, [2]float64{1, 1}), 1, 0},
		{"3×3 grid (orientation mixed)", reverseSome(square3()), 1, 0},
		{"enclave: another office's district in the middle", square3([2]float64{1, 1}), 1, 1},
		{"hole touching the exterior at a vertex", square3([2]float64{1, 1}, [2]float64{2, 2}), 1, 1},
		{"two holes touching each other at a vertex", fiveByFive([2]float64{1, 1}, [2]float64{2, 2}), 1, 2},
		{"touching at one vertex", grid([2]float64{0, 0}, [2]float64{1, 1}), 2, 0},
		{"chain touching at vertices", grid([2]float64{0, 0}, [2]float64{1, 1}, [2]float64{2, 2}, [2]float64{0, 2}), 4, 0},
		{"C shape closing on itself at a vertex", grid([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{2, 0}, [2]float64{2, 1}, [2]float64{2, 2}, [2]float64{1, 2}, [2]float64{0, 1}), 1, 1},
		{"islands (MultiPolygon input)", []orb.MultiPolygon{island, grid([2]float64{1, 0})[0]}, 2, 0},
		{"district with a real hole and a neighbour", []orb.MultiPolygon{holed, {{{{4, 0}, {5, 0}, {5, 4}, {4, 4}, {4, 0}}}}}, 1, 1},
		{"neighbour sharing the hole's vertices", []orb.MultiPolygon{holed, grid([2]float64{1, 1})[0]}, 1, 0},
		{"unclosed rings", []orb.MultiPolygon{{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}}, {{{{1, 0}, {2, 0}, {2, 1}, {1, 1}}}}}, 1, 0},
		{"island inside another office's hole", []orb.MultiPolygon{holed, {{{{1.25, 1.25}, {1.75, 1.25}, {1.75, 1.75}, {1.25, 1.75}, {1.25, 1.25}}}}}, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CoverageUnion(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			checkSameUnion(t, tt.in, got)
			holes := 0
			for _, p := range got {
				holes += len(p) - 1
			}
			if len(got) != tt.polys || holes != tt.holes {
				t.Errorf("%d polygons with %d holes, want %d with %d: %v", len(got), holes, tt.polys, tt.holes, wkt.MarshalString(got))
			}
		})
	}
}

// fiveByFive is the 5×5 grid without the given cells.
func fiveByFive(without ...[2]float64) []orb.MultiPolygon {
	var cells [][2]float64
	for y := 0.0; y < 5; y++ {
	next:
		for x := 0.0; x < 5; x++ {
			for _, w := range without {
				if w == [2]float64{x, y} {
					continue next
				}
			}
			cells = append(cells, [2]float64{x, y})
		}
	}
	return grid(cells...)
}

// reverseSome reverses every other polygon's ring.
func reverseSome(mps []orb.MultiPolygon) []orb.MultiPolygon {
	for i, mp := range mps {
		if i%2 == 0 {
			for _, p := range mp {
				for _, r := range p {
					r.Reverse()
				}
			}
		}
	}
	return mps
}

func TestCoverageUnionFallsBack(t *testing.T) {
	tests := []struct {
		name string
		in   []orb.MultiPolygon
	}{
		{"T junction at a real hole's neighbour", []orb.MultiPolygon{
			{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}}},
			{{{{4, 0}, {5, 0}, {5, 4}, {4, 4}, {4, 2}, {4, 0}}}},
		}},
		{"island overlapping the hole's edge", []orb.MultiPolygon{
			{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}}},
			grid([2]float64{1.25, 1.25})[0],
		}},
		{"T junction: a vertex of the border not shared", []orb.MultiPolygon{
			{{{{0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}}}},
			grid([2]float64{0, 1})[0], grid([2]float64{1, 1})[0],
		}},
		{"edges overlapping partially", []orb.MultiPolygon{
			grid([2]float64{0, 0})[0],
			{{{{1, 0.5}, {2, 0.5}, {2, 1.5}, {1, 1.5}, {1, 0.5}}}},
		}},
		{"overlapping squares", []orb.MultiPolygon{grid([2]float64{0, 0})[0], grid([2]float64{0.5, 0.5})[0]}},
		{"one inside the other", []orb.MultiPolygon{
			{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}}, grid([2]float64{1, 1})[0],
		}},
		{"inside the other, touching it at a corner", []orb.MultiPolygon{
			{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}},
			{{{{0, 0}, {1, 0.5}, {1, 1}, {0.5, 1}, {0, 0}}}},
		}},
		{"the same polygon twice", append(grid([2]float64{0, 0}), grid([2]float64{0, 0})...)},
		{"three polygons on one edge", []orb.MultiPolygon{
			grid([2]float64{0, 0})[0], grid([2]float64{1, 0})[0],
			{{{{1, 0}, {1, 1}, {1.5, 3}, {1, 0}}}},
		}},
		{"near-collinear vertex off the shared border", []orb.MultiPolygon{
			{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
			{{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1 + 1e-17, 0.5}, {1, 0}}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CoverageUnion(tt.in)
			if !errors.Is(err, ErrNotCoverage) {
				t.Fatalf("err = %v, want ErrNotCoverage; got %s", err, wkt.MarshalString(got))
			}
			if got != nil {
				t.Errorf("a result with the error: %v", got)
			}
		})
	}
}

// TestCoverageUnionGEOS checks the unions of the hand-made cases and of
// Kumamoto's wards with GEOS (python3-shapely): valid, and the same area
// as GEOS's own unary_union.
func TestCoverageUnionGEOS(t *testing.T) {
	// Debian's python3 (python3-shapely), not one a version manager puts first.
	py := "/usr/bin/python3"
	_, err := os.Stat(py)
	if err == nil {
		err = exec.Command(py, "-c", "import shapely").Run()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3-shapely is needed: %v", err)
		}
		t.Skipf("SKIPPING the GEOS validity check: python3 with shapely not found (%v); apt-get install python3-shapely", err)
	}
	_, wards := kumamotoWards(t)
	cases := [][]orb.MultiPolygon{
		square3([2]float64{1, 1}), square3([2]float64{1, 1}, [2]float64{2, 2}),
		grid([2]float64{0, 0}, [2]float64{1, 1}, [2]float64{2, 2}, [2]float64{0, 2}),
		grid([2]float64{0, 0}, [2]float64{1, 0}, [2]float64{2, 0}, [2]float64{2, 1}, [2]float64{2, 2}, [2]float64{1, 2}, [2]float64{0, 1}),
		fiveByFive([2]float64{1, 1}, [2]float64{2, 2}),
		wards,
	}
	var b strings.Builder
	for i, in := range cases {
		got, err := CoverageUnion(in)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		var parts []string
		for _, mp := range in {
			parts = append(parts, wkt.MarshalString(mp))
		}
		fmt.Fprintf(&b, "%s\t%s\n", wkt.MarshalString(got), strings.Join(parts, "|"))
	}
	file := filepath.Join(t.TempDir(), "cases.tsv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `
import sys
from shapely import wkt
from shapely.ops import unary_union
from shapely.validation import explain_validity
for i, line in enumerate(open(sys.argv[1])):
    got, ins = line.rstrip("\n").split("\t")
    g = wkt.loads(got)
    u = unary_union([wkt.loads(s) for s in ins.split("|")])
    d = g.symmetric_difference(u).area
    print(i, g.is_valid, explain_validity(g), abs(g.area - u.area) / u.area, d / u.area)
`, file).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var i int
		var valid string
		var rel, sym float64
		f := strings.Fields(line)
		if len(f) < 5 {
			t.Fatalf("python3 said %q", line)
		}
		fmt.Sscan(f[0], &i)
		valid = f[1]
		fmt.Sscan(f[len(f)-2], &rel)
		fmt.Sscan(f[len(f)-1], &sym)
		if valid != "True" || rel > 1e-9 || sym > 1e-9 {
			t.Errorf("case %d: GEOS says %s", i, line)
		}
	}
	t.Logf("GEOS:\n%s", out)
}
