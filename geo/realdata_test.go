package geo

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// loadShared reads a GeoJSON FeatureCollection from ../shared/data,
// skipping the test when that folder is absent.
func loadShared(t *testing.T, name string) *geojson.FeatureCollection {
	t.Helper()
	path := sharedData(t, name)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // orb rejects a BOM
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return fc
}

// asMultiPolygon converts a Polygon or MultiPolygon geometry.
func asMultiPolygon(t *testing.T, g orb.Geometry) orb.MultiPolygon {
	t.Helper()
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	t.Fatalf("geometry %T is not a polygon", g)
	return nil
}

// kumamotoWards loads the five ward polygons (N03, simplified) and names.
func kumamotoWards(t *testing.T) (names []string, wards []orb.MultiPolygon) {
	fc := loadShared(t, "kumamoto_wards_N03-21_simplified1pct_smartnews.geojson")
	for i, f := range fc.Features {
		name, _ := f.Properties["N03_004"].(string)
		if name == "" {
			t.Fatalf("ward feature %d: no N03_004 name", i)
		}
		names = append(names, name)
		wards = append(wards, asMultiPolygon(t, f.Geometry))
	}
	if len(wards) != 5 {
		t.Fatalf("%d wards, want 5", len(wards))
	}
	return names, wards
}

// TestKumamotoWards checks areas against the official figures, that
// representative points are inside, and that the ward polygons (which share
// their boundary vertices) partition the city: every shared vertex and
// boundary midpoint inside the city lies in exactly one ward.
func TestKumamotoWards(t *testing.T) {
	names, wards := kumamotoWards(t)
	// 熊本市 official areas, km² (国土地理院 全国都道府県市区町村別面積調).
	official := map[string]float64{"中央区": 25.45, "東区": 50.19, "西区": 89.33, "南区": 110.01, "北区": 115.34}
	total := 0.0
	for i, w := range wards {
		a := Area(w) / 1e6
		total += a
		want, ok := official[names[i]]
		if !ok {
			t.Fatalf("unexpected ward %q", names[i])
		}
		if math.Abs(a-want)/want > 0.02 {
			t.Errorf("%s: Area = %.2f km², official %.2f km²", names[i], a, want)
		}
		if p := RepresentativePoint(w); !Contains(w, p) {
			t.Errorf("%s: RepresentativePoint %v is outside", names[i], p)
		}
	}
	if math.Abs(total-390.32) > 390.32*0.01 {
		t.Errorf("city area %.2f km², official 390.32 km²", total)
	}
	ix := NewPolygonIndex(wards)
	shared, checked := 0, 0
	for _, w := range wards {
		for _, poly := range w {
			for _, r := range poly {
				for k := 1; k < len(r); k++ {
					for _, p := range []orb.Point{r[k], {(r[k-1][0] + r[k][0]) / 2, (r[k-1][1] + r[k][1]) / 2}} {
						n := 0
						ix.Containing(p, func(int) bool { n++; return true })
						if n > 1 {
							t.Errorf("boundary point %v lies in %d wards", p, n)
						}
						// Points on boundaries between wards, inside the city
						// (not on its outline), must lie in exactly one.
						near := 0
						for _, other := range wards {
							if onBoundary(other, p) {
								near++
							}
						}
						if near >= 2 && insideCity(ix, p) {
							shared++
							if n != 1 {
								t.Errorf("point %v on a boundary between wards lies in %d wards", p, n)
							}
						}
						checked++
					}
				}
			}
		}
	}
	if shared < 50 {
		t.Fatalf("only %d points on shared boundaries: the data is not what the test expects", shared)
	}
	t.Logf("city %.2f km²; %d boundary points checked, %d on boundaries between wards", total, checked, shared)
}

// insideCity reports whether the points around p, 1e-7° away in eight
// directions, all lie in some ward.
func insideCity(ix *PolygonIndex, p orb.Point) bool {
	for _, d := range [][2]float64{{1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}, {1, -1}} {
		if ix.Locate(orb.Point{p[0] + d[0]*1e-7, p[1] + d[1]*1e-7}) < 0 {
			return false
		}
	}
	return true
}

// onBoundary reports whether p is a vertex or on an edge of mp, to 1e-12°.
func onBoundary(mp orb.MultiPolygon, p orb.Point) bool {
	found := false
	eachEdge(mp, func(a, b orb.Point) {
		cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		dot := (p[0]-a[0])*(b[0]-a[0]) + (p[1]-a[1])*(b[1]-a[1])
		if math.Abs(cross) <= 1e-12*l && dot >= -1e-24 && dot <= l*l+1e-24 {
			found = true
		}
	})
	return found
}

// TestKumamotoShelterWards locates the 499 GSI shelters: each must fall in
// the ward named in its address, except the one the data notes as
// ambiguous.
func TestKumamotoShelterWards(t *testing.T) {
	names, wards := kumamotoWards(t)
	ix := NewPolygonIndex(wards)
	total, agree := 0, 0
	for _, file := range []string{"kumamoto_gsi_designated_shelters_evacuation_431001.geojson",
		"kumamoto_gsi_emergency_evacuation_sites_431001.geojson"} {
		for i, f := range loadShared(t, file).Features {
			p, ok := f.Geometry.(orb.Point)
			if !ok {
				t.Fatalf("%s feature %d: geometry %T, want Point", file, i, f.Geometry)
			}
			addr, _ := f.Properties["住所"].(string)
			got := ix.Locate(p)
			// brute force over the five wards
			want := -1
			for k, w := range wards {
				if Contains(w, p) {
					want = k
					break
				}
			}
			if got != want {
				t.Fatalf("%s feature %d %v: Locate = %d, Contains loop %d", file, i, p, got, want)
			}
			total++
			if got >= 0 && strings.Contains(addr, names[got]) {
				agree++
			}
		}
	}
	if total != 499 {
		t.Errorf("%d shelters, want 499", total)
	}
	if agree < 498 {
		t.Errorf("only %d of %d shelters lie in the ward of their address, want ≥ 498", agree, total)
	}
	t.Logf("%d of %d shelters lie in the ward named in their address", agree, total)
}

// TestKumamotoDetailedOutline runs the indexed (chunked) ring against the
// plain loop on OSM's 4,233-vertex outline of 中央区 and checks its area.
func TestKumamotoDetailedOutline(t *testing.T) {
	fc := loadShared(t, "osm_boundary_kumamoto_chuo_ward_rel4000498.geojson")
	chuo := asMultiPolygon(t, fc.Features[0].Geometry)
	if a := Area(chuo) / 1e6; math.Abs(a-25.45) > 0.5 {
		t.Errorf("中央区 (OSM) Area = %.3f km², official 25.45 km²", a)
	}
	ix := NewPolygonIndex([]orb.MultiPolygon{chuo})
	b := chuo.Bound()
	inside := 0
	for i := 0; i < 20000; i++ {
		f1, f2 := math.Mod(float64(i)*0.6180339887, 1), math.Mod(float64(i)*0.7548776662, 1)
		p := orb.Point{b.Min[0] + f1*(b.Max[0]-b.Min[0]), b.Min[1] + f2*(b.Max[1]-b.Min[1])}
		want := polygonContains(chuo[0], p)
		if got := ix.Locate(p) == 0; got != want {
			t.Fatalf("%v: indexed %v, plain loop %v", p, got, want)
		}
		if want {
			inside++
		}
	}
	if inside < 2000 {
		t.Fatalf("only %d points inside", inside)
	}
	if p := RepresentativePoint(chuo); !Contains(chuo, p) {
		t.Errorf("RepresentativePoint %v is outside", p)
	}
}
