package geo

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// clipTestSquare is the axis-aligned square with lower-left corner (x, y) and side s,
// as a one-polygon MultiPolygon with a clockwise ring (to check reorienting).
func clipTestSquare(x, y, s float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x, y + s}, {x + s, y + s}, {x + s, y}, {x, y}}}}
}

// checkClipOrientation fails unless every exterior ring is counter-clockwise and
// every hole clockwise.
func checkClipOrientation(t *testing.T, mp orb.MultiPolygon) {
	t.Helper()
	for i, p := range mp {
		for j, r := range p {
			want := orb.CCW
			if j > 0 {
				want = orb.CW
			}
			if r.Orientation() != want {
				t.Errorf("polygon %d ring %d: orientation %v, want %v", i, j, r.Orientation(), want)
			}
			if r[0] != r[len(r)-1] {
				t.Errorf("polygon %d ring %d is not closed", i, j)
			}
		}
	}
}

func TestIntersect(t *testing.T) {
	tests := []struct {
		name      string
		a, b      orb.MultiPolygon
		wantArea  float64
		wantPolys int
	}{
		{"overlap", clipTestSquare(0, 0, 10), clipTestSquare(5, 5, 10), 25, 1},
		{"inside", clipTestSquare(0, 0, 10), clipTestSquare(2, 2, 3), 9, 1},
		{"disjoint", clipTestSquare(0, 0, 10), clipTestSquare(20, 0, 10), 0, 0},
		{"touching edge", clipTestSquare(0, 0, 10), clipTestSquare(10, 0, 10), 0, 0},
		{"two parts", append(clipTestSquare(0, 0, 4), clipTestSquare(6, 0, 4)...), clipTestSquare(2, 0, 6), 8 + 8, 2},
		{"unclosed ring", orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}}}, clipTestSquare(2, 2, 4), 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Intersect(tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if a := planar.Area(got); math.Abs(a-tt.wantArea) > 1e-9 {
				t.Errorf("area = %v, want %v", a, tt.wantArea)
			}
			if len(got) != tt.wantPolys {
				t.Errorf("got %d polygons, want %d", len(got), tt.wantPolys)
			}
			checkClipOrientation(t, got)
		})
	}
}

func TestIntersectInvalid(t *testing.T) {
	bowtie := orb.MultiPolygon{{{{0, 0}, {4, 4}, {4, 0}, {0, 4}, {0, 0}}}}
	if _, err := Intersect(bowtie, clipTestSquare(0, 0, 4)); err == nil || !strings.Contains(err.Error(), "first operand") {
		t.Errorf("Intersect(bowtie) error = %v, want one naming the first operand", err)
	}
	if _, err := Union([]orb.MultiPolygon{clipTestSquare(0, 0, 1), {{{{0, 0}, {1, 1}, {0, 0}}}}}); err == nil || !strings.Contains(err.Error(), "polygon 1") {
		t.Errorf("Union(degenerate) error = %v, want one naming polygon 1", err)
	}
}

func TestUnion(t *testing.T) {
	// Eight unit squares around an empty centre: the union has a hole.
	var ring []orb.MultiPolygon
	for i := range 3 {
		for j := range 3 {
			if i != 1 || j != 1 {
				ring = append(ring, clipTestSquare(float64(i), float64(j), 1))
			}
		}
	}
	tests := []struct {
		name      string
		in        []orb.MultiPolygon
		wantArea  float64
		wantPolys int
		wantRings int // rings of the first polygon
	}{
		{"none", nil, 0, 0, 0},
		{"one", []orb.MultiPolygon{clipTestSquare(0, 0, 2)}, 4, 1, 1},
		{"adjacent dissolve", []orb.MultiPolygon{clipTestSquare(0, 0, 2), clipTestSquare(2, 0, 2)}, 8, 1, 1},
		{"overlap", []orb.MultiPolygon{clipTestSquare(0, 0, 2), clipTestSquare(1, 1, 2)}, 4 + 4 - 1, 1, 1},
		{"disjoint", []orb.MultiPolygon{clipTestSquare(0, 0, 1), clipTestSquare(5, 5, 1)}, 2, 2, 1},
		{"hole", ring, 8, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Union(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if a := planar.Area(got); math.Abs(a-tt.wantArea) > 1e-9 {
				t.Errorf("area = %v, want %v", a, tt.wantArea)
			}
			if len(got) != tt.wantPolys {
				t.Fatalf("got %d polygons, want %d", len(got), tt.wantPolys)
			}
			if len(got) > 0 && len(got[0]) != tt.wantRings {
				t.Errorf("first polygon has %d rings, want %d", len(got[0]), tt.wantRings)
			}
			checkClipOrientation(t, got)
		})
	}
}

// TestUnionOfVoronoiCells: cells are disjoint, so the union's area is the sum
// of theirs, and it is the whole clip rectangle in one piece.
func TestUnionOfVoronoiCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	clip := orb.Bound{Min: orb.Point{-12000, -9000}, Max: orb.Point{12000, 9000}}
	sites := make([]orb.Point, 90)
	for i := range sites {
		sites[i] = orb.Point{clip.Min[0] + rng.Float64()*24000, clip.Min[1] + rng.Float64()*18000}
	}
	cells, err := VoronoiCells(sites, clip)
	if err != nil {
		t.Fatal(err)
	}
	polys := make([]orb.MultiPolygon, len(cells))
	var sum float64
	for i, c := range cells {
		polys[i] = orb.MultiPolygon{c}
		sum += planar.Area(c)
	}
	u, err := Union(polys)
	if err != nil {
		t.Fatal(err)
	}
	if a := planar.Area(u); math.Abs(a-sum) > 1e-6*sum {
		t.Errorf("union area %v, sum of cells %v", a, sum)
	}
	if len(u) != 1 || len(u[0]) != 1 {
		t.Errorf("union has %d polygons (first with %d rings), want 1 without holes", len(u), len(u[0]))
	}
	checkClipOrientation(t, u)

	// Clipping the cells to a disc-like polygon keeps the parts summing to it.
	var disc orb.Ring
	for k := range 40 {
		a := -2 * math.Pi * float64(k) / 40 // clockwise on purpose
		disc = append(disc, orb.Point{8000 * math.Cos(a), 8000 * math.Sin(a)})
	}
	disc = append(disc, disc[0])
	var clipped float64
	for i, c := range cells {
		part, err := Intersect(orb.MultiPolygon{c}, orb.MultiPolygon{{disc}})
		if err != nil {
			t.Fatalf("cell %d: %v", i, err)
		}
		checkClipOrientation(t, part)
		clipped += planar.Area(part)
	}
	if want := planar.Area(orb.Polygon{disc}); math.Abs(clipped-want) > 1e-6*want {
		t.Errorf("clipped cells cover %v, disc is %v", clipped, want)
	}
}

func BenchmarkUnion90Cells(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 4))
	clip := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{24000, 18000}}
	sites := make([]orb.Point, 90)
	for i := range sites {
		sites[i] = orb.Point{rng.Float64() * 24000, rng.Float64() * 18000}
	}
	cells, err := VoronoiCells(sites, clip)
	if err != nil {
		b.Fatal(err)
	}
	polys := make([]orb.MultiPolygon, len(cells))
	for i, c := range cells {
		polys[i] = orb.MultiPolygon{c}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Union(polys); err != nil {
			b.Fatal(err)
		}
	}
}
