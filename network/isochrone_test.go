package network

import (
	"bytes"
	"encoding/json"
	"flag"
	"github.com/paulmach/orb/geojson"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/network")

// signedArea is the planar signed area of a closed ring (positive when
// counter-clockwise).
func signedArea(r orb.Ring) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}

func TestTraceCells(t *testing.T) {
	// y grows upward; row 0 is printed last.
	rows := []string{
		"....X.",
		".XXX..",
		".X.X..",
		".XXX..",
		".....X",
	}
	h, w := len(rows), len(rows[0])
	ras := make([]uint8, w*h)
	for r, line := range rows {
		j := h - 1 - r
		for i, c := range line {
			ras[j*w+i] = 255
			if c == 'X' {
				ras[j*w+i] = 0
			}
		}
	}
	mp := traceCells(func(k int) bool { return ras[k] == 0 }, w, cellWindow{0, 0, w - 1, h - 1}, func(i, j int) orb.Point { return orb.Point{float64(i), float64(j)} })
	if len(mp) != 3 {
		t.Fatalf("%d polygons, want 3 (ring with hole, diagonal cell, corner cell): %v", len(mp), mp)
	}
	total, holes := 0.0, 0
	for _, poly := range mp {
		if a := signedArea(poly[0]); a <= 0 {
			t.Errorf("outer ring area %v: want counter-clockwise", a)
		}
		total += signedArea(poly[0])
		for _, hole := range poly[1:] {
			holes++
			if a := signedArea(hole); a >= 0 {
				t.Errorf("hole area %v: want clockwise", a)
			}
			total += signedArea(hole)
		}
		if len(poly[0]) > 5 && len(poly) == 1 {
			t.Errorf("unexpected shape %v", poly)
		}
	}
	if total != 10 || holes != 1 {
		t.Errorf("area %v with %d holes, want 10 cells and 1 hole", total, holes)
	}
	// The square ring keeps only its corners: 4 + closing point.
	for _, poly := range mp {
		if len(poly) == 2 && (len(poly[0]) != 5 || len(poly[1]) != 5) {
			t.Errorf("collinear corners kept: %v", poly)
		}
	}
}

func smallIsochrones(t *testing.T) ([]Band, SourceResult) {
	g, _ := smallGraph(t, Walk)
	facs := []orb.Point{along(2, 3, 0.5), smallNode(6)}
	snaps := []Snap{g.Snap(facs[0], 0), g.Snap(facs[1], 0)}
	res := g.MultiSource(snaps, Time)
	bands, err := g.Isochrones(res, len(facs), IsochroneOptions{Limits: []float64{60, 120}, CellM: 10, BufferM: 20})
	if err != nil {
		t.Fatal(err)
	}
	return bands, res
}

func TestIsochronesGolden(t *testing.T) {
	bands, _ := smallIsochrones(t)
	fc := bandsGeoJSON(bands, []string{"street office", "footway office"})
	got, err := json.MarshalIndent(fc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join(fixtures, "isochrones.golden.geojson")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./network/ -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("isochrones differ from %s; rerun with -update if the change is intended", path)
	}
}

// checkNested samples points and checks that each band lies inside the next
// larger band of the same facility and inside the union's band.
func checkNested(t *testing.T, bands []Band, box orb.Bound, samples int) {
	t.Helper()
	type key struct {
		f     int
		limit float64
	}
	byKey := map[key]orb.MultiPolygon{}
	limits := map[float64]bool{}
	for _, b := range bands {
		byKey[key{b.Facility, b.Limit}] = b.Area
		limits[b.Limit] = true
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var pts []orb.Point
	for i := 0; i < samples; i++ {
		pts = append(pts, orb.Point{box.Min[0] + rng.Float64()*(box.Max[0]-box.Min[0]), box.Min[1] + rng.Float64()*(box.Max[1]-box.Min[1])})
	}
	for _, b := range bands {
		var bigger []orb.MultiPolygon
		for l := range limits {
			if l > b.Limit {
				bigger = append(bigger, byKey[key{b.Facility, l}])
			}
		}
		if b.Facility >= 0 {
			bigger = append(bigger, byKey[key{-1, b.Limit}])
		}
		for _, p := range pts {
			if !planar.MultiPolygonContains(b.Area, p) {
				continue
			}
			for _, big := range bigger {
				if !planar.MultiPolygonContains(big, p) {
					t.Fatalf("point %v is in facility %d's %v band but not in a larger band", p, b.Facility, b.Limit)
				}
			}
		}
	}
}

func TestIsochronesSmall(t *testing.T) {
	bands, res := smallIsochrones(t)
	if len(bands) != 6 {
		t.Fatalf("%d bands, want 2 facilities + union × 2 limits", len(bands))
	}
	var order []int
	for _, b := range bands {
		order = append(order, b.Facility)
		if len(b.Area) == 0 {
			t.Errorf("facility %d limit %v: empty", b.Facility, b.Limit)
		}
	}
	if !reflect.DeepEqual(order, []int{0, 0, 1, 1, -1, -1}) {
		t.Errorf("band order %v", order)
	}
	// Walking 60 s covers 80 m of road: the 60 s band of the street office
	// (mid 2-3) reaches nodes 2 and 3 (47 m away) but not node 1 (140 m).
	g, _ := smallGraph(t, Walk)
	in := func(b Band, p orb.Point) bool { return planar.MultiPolygonContains(b.Area, p) }
	if !in(bands[0], smallNode(2)) || !in(bands[0], smallNode(3)) || in(bands[0], smallNode(1)) {
		t.Errorf("60 s band of facility 0 has the wrong nodes")
	}
	checkNested(t, bands, g.Bound().Pad(0.001), 3000)

	if _, err := g.Isochrones(res, 2, IsochroneOptions{Limits: []float64{120, 60}}); err == nil {
		t.Error("descending limits accepted")
	}
	if _, err := g.Isochrones(res, 2, IsochroneOptions{}); err == nil {
		t.Error("no limits accepted")
	}
}

func TestIsochronesChuo(t *testing.T) {
	g, _, err := Load(sharedFile(t, chuoDrive), Car)
	if err != nil {
		t.Fatal(err)
	}
	facs := append(positions(chuoWardOffices), positions(chuoBranchOffices)...)
	snaps := make([]Snap, len(facs))
	for i, f := range facs {
		snaps[i] = g.Snap(f, 0)
	}
	start := time.Now()
	res := g.MultiSource(snaps, Time)
	bands, err := g.Isochrones(res, len(facs), IsochroneOptions{Limits: []float64{300, 600, 900}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bands in %v", len(bands), time.Since(start))
	for _, b := range bands[len(bands)-3:] {
		t.Logf("all offices within %.0f min by car: %d polygons", b.Limit/60, len(b.Area))
	}
	checkNested(t, bands, g.Bound(), 2000)
}

// bandsGeoJSON turns bands into GeoJSON features with the properties
// facility (index, -1 for all), facility_name (from names, "all" for the
// union), metric, limit, and minutes or km.
func bandsGeoJSON(bands []Band, names []string) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, b := range bands {
		f := geojson.NewFeature(b.Area)
		f.Properties["facility"] = b.Facility
		name := "all"
		if b.Facility >= 0 {
			name = ""
			if b.Facility < len(names) {
				name = names[b.Facility]
			}
		}
		f.Properties["facility_name"] = name
		f.Properties["metric"] = string(b.Metric)
		f.Properties["limit"] = b.Limit
		if b.Metric == Time {
			f.Properties["minutes"] = b.Limit / 60
		} else {
			f.Properties["km"] = b.Limit / 1000
		}
		fc.Append(f)
	}
	return fc
}
