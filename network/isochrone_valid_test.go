package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"

	"github.com/kumamoto-gis/catchment/geo"
)

// sfMultiPolygon converts mp to a simplefeatures MultiPolygon without
// validating it.
func sfMultiPolygon(mp orb.MultiPolygon) geom.MultiPolygon {
	polys := make([]geom.Polygon, 0, len(mp))
	for _, p := range mp {
		rings := make([]geom.LineString, 0, len(p))
		for _, r := range p {
			xy := make([]float64, 0, 2*len(r))
			for _, q := range r {
				xy = append(xy, q[0], q[1])
			}
			rings = append(rings, geom.NewLineString(geom.NewSequence(xy, geom.DimXY)))
		}
		polys = append(polys, geom.NewPolygon(rings))
	}
	return geom.NewMultiPolygon(polys)
}

// checkValid fails when mp is not a valid MultiPolygon under the OGC rules
// (simplefeatures' Validate, which follows GEOS), when a ring passes a
// corner twice (GEOS: "Ring Self-intersection"), or when a ring is wound
// against RFC 7946.
func checkValid(t *testing.T, what string, mp orb.MultiPolygon) {
	t.Helper()
	if err := sfMultiPolygon(mp).Validate(); err != nil {
		t.Errorf("%s: invalid: %v", what, err)
	}
	for pi, p := range mp {
		for ri, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Errorf("%s: polygon %d ring %d not closed or too short: %d points", what, pi, ri, len(r))
				continue
			}
			seen := map[orb.Point]bool{}
			for _, q := range r[:len(r)-1] {
				if seen[q] {
					t.Errorf("%s: polygon %d ring %d passes %v twice", what, pi, ri, q)
				}
				seen[q] = true
			}
			if a := signedArea(r); (ri == 0) != (a > 0) {
				t.Errorf("%s: polygon %d ring %d has signed area %v: shells run counter-clockwise, holes clockwise", what, pi, ri, a)
			}
		}
	}
}

// rasterOf reads rows of '.' and 'X' (y grows upward: the last row is 0).
func rasterOf(rows ...string) (ras []bool, w, h int) {
	h, w = len(rows), len(rows[0])
	ras = make([]bool, w*h)
	for r, line := range rows {
		for i, c := range line {
			ras[(h-1-r)*w+i] = c == 'X'
		}
	}
	return ras, w, h
}

// TestTraceCellsValid traces the raster patterns that make rings touch
// themselves (cells meeting only at a corner) and many random rasters, and
// checks that every result is valid, covers exactly the filled cells and
// holds every filled cell's centre and no empty one's.
func TestTraceCellsValid(t *testing.T) {
	patterns := map[string][]string{
		"diagonal pair": {"X.", ".X"},
		"C closed by a corner": {
			"XXX.",
			"X..X",
			"X.XX",
			"XXX.",
		},
		"hole touching the shell at a corner": {
			"XXXX",
			"X..X",
			"X..X",
			"XXX.",
		},
		"two holes meeting at a corner": {
			"XXXXX",
			"X.XXX",
			"XX.XX",
			"XXXXX",
		},
		"island in a hole touching it": {
			"XXXXXX",
			"X....X",
			"X.X..X",
			"X..X.X",
			"X....X",
			"XXXXXX",
		},
		"checkerboard": {
			"X.X.X",
			".X.X.",
			"X.X.X",
			".X.X.",
		},
		"ring of corner-joined cells": {
			".X.",
			"X.X",
			".X.",
		},
		"spiral": {
			"XXXXXXX",
			"X.....X",
			"X.XXX.X",
			"X.X.X.X",
			"X.X..XX",
			"X.XXXX.",
			"X......",
			"XXXXXXX",
		},
	}
	check := func(name string, ras []bool, w, h int) {
		t.Helper()
		mp := traceCells(func(k int) bool { return ras[k] }, w, cellWindow{0, 0, w - 1, h - 1},
			func(i, j int) orb.Point { return orb.Point{float64(i), float64(j)} })
		checkValid(t, name, mp)
		filled, area := 0, 0.0
		for k, in := range ras {
			c := orb.Point{float64(k%w) + 0.5, float64(k/w) + 0.5}
			if got := planar.MultiPolygonContains(mp, c); got != in {
				t.Errorf("%s: cell %v filled %v but inside the polygons %v", name, c, in, got)
			}
			if in {
				filled++
			}
		}
		for _, p := range mp {
			for _, r := range p {
				area += signedArea(r)
			}
		}
		if area != float64(filled) {
			t.Errorf("%s: area %v, want %d cells", name, area, filled)
		}
	}
	for name, rows := range patterns {
		ras, w, h := rasterOf(rows...)
		check(name, ras, w, h)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for n := range 600 {
		w, h := 2+rng.IntN(14), 2+rng.IntN(14)
		density := []float64{0.3, 0.5, 0.7}[n%3]
		ras := make([]bool, w*h)
		for k := range ras {
			ras[k] = rng.Float64() < density
		}
		var b strings.Builder
		for j := h - 1; j >= 0; j-- {
			for i := range w {
				b.WriteByte(".X"[boolInt(ras[j*w+i])])
			}
			b.WriteByte('/')
		}
		check("random "+b.String(), ras, w, h)
		if t.Failed() {
			break
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkPartition checks, limit by limit, that the facilities' bands do not
// overlap and together are the union's band (simplefeatures' overlay, an
// independent polygon algebra), that every band is valid, and that each
// facility's bands are nested. It returns the largest overlap and the
// largest |sum − union| found, in square metres.
func checkPartition(t *testing.T, bands []Band) (overlapM2, gapM2 float64) {
	t.Helper()
	byLimit := map[float64][]Band{}
	union := map[float64]Band{}
	var limits []float64
	for _, b := range bands {
		checkValid(t, fmt.Sprintf("facility %d band %v", b.Facility, b.Limit), b.Area)
		if b.Facility < 0 {
			union[b.Limit] = b
			limits = append(limits, b.Limit)
		} else if len(b.Area) > 0 {
			byLimit[b.Limit] = append(byLimit[b.Limit], b)
		}
	}
	// m2 converts an area in square degrees near these bands to m².
	var m2 float64
	for _, l := range limits {
		if u := union[l].Area; len(u) > 0 {
			m2 = geo.Area(u) / planar.Area(u)
			break
		}
	}
	for k, l := range limits {
		fs := byLimit[l]
		sum := 0.0
		gs := make([]geom.Geometry, len(fs))
		for i, a := range fs {
			sum += geo.Area(a.Area)
			gs[i] = sfMultiPolygon(a.Area).AsGeometry()
			for _, b := range fs[:i] {
				if !a.Area.Bound().Intersects(b.Area.Bound()) {
					continue
				}
				x, err := geom.Intersection(gs[i], sfMultiPolygon(b.Area).AsGeometry())
				if err != nil {
					t.Fatalf("intersection of facilities %d and %d at %v: %v", a.Facility, b.Facility, l, err)
				}
				if ov := x.Area() * m2; ov > overlapM2 {
					overlapM2 = ov
				}
			}
			if k > 0 {
				for _, small := range byLimit[limits[k-1]] {
					if small.Facility != a.Facility {
						continue
					}
					d, err := geom.Difference(sfMultiPolygon(small.Area).AsGeometry(), gs[i])
					if err != nil {
						t.Fatal(err)
					}
					if d.Area()*m2 > 1 {
						t.Errorf("facility %d: %.1f m² of its %v band outside its %v band", a.Facility, d.Area()*m2, limits[k-1], l)
					}
				}
			}
		}
		u := union[l].Area
		if d := math.Abs(sum - geo.Area(u)); d > gapM2 {
			gapM2 = d
		}
		if len(gs) == 0 {
			continue
		}
		all, err := geom.UnionMany(gs)
		if err != nil {
			t.Fatal(err)
		}
		diff, err := geom.SymmetricDifference(all, sfMultiPolygon(u).AsGeometry())
		if err != nil {
			t.Fatal(err)
		}
		if d := diff.Area() * m2; d > 1 {
			t.Errorf("limit %v: the facilities' bands and the union's differ by %.1f m²", l, d)
		}
	}
	if overlapM2 > 1 {
		t.Errorf("facilities' bands overlap by up to %.1f m²", overlapM2)
	}
	if gapM2 > 1 {
		t.Errorf("the facilities' bands sum to the union's area ± %.1f m²", gapM2)
	}
	return overlapM2, gapM2
}

func TestIsochronesSmallPartition(t *testing.T) {
	bands, _ := smallIsochrones(t)
	checkPartition(t, bands)
}

// TestIsochronesChuoValidPartition draws the offices' service areas on the
// real 中央区 networks by car and on foot, by time and by road distance,
// and checks every polygon is valid and the offices' bands partition the
// union's.
func TestIsochronesChuoValidPartition(t *testing.T) {
	for _, tc := range []struct {
		file    string
		profile Profile
		by      Metric
		limits  []float64
	}{
		{chuoDrive, Car, Time, []float64{300, 600, 900}},
		{chuoDrive, Car, Road, []float64{1000, 2000, 3000}},
		{chuoWalk, Walk, Time, []float64{600, 1200, 1800}},
		{chuoWalk, Walk, Road, []float64{1000, 2000}},
	} {
		t.Run(fmt.Sprintf("%s/%s", tc.profile, tc.by), func(t *testing.T) {
			g, _, err := Load(sharedFile(t, tc.file), tc.profile)
			if err != nil {
				t.Fatal(err)
			}
			facs := append(positions(chuoWardOffices), positions(chuoBranchOffices)...)
			snaps := make([]Snap, len(facs))
			for i, f := range facs {
				snaps[i] = g.Snap(f, 0)
			}
			bands, err := g.Isochrones(g.MultiSource(snaps, tc.by), len(facs), IsochroneOptions{Limits: tc.limits})
			if err != nil {
				t.Fatal(err)
			}
			ov, gap := checkPartition(t, bands)
			t.Logf("%d bands; largest overlap %.3f m², largest |sum − union| %.3f m²", len(bands), ov, gap)
		})
	}
}
