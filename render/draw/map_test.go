package draw

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
)

// mapGoldenDir holds the reference images, relative to this package.
const mapGoldenDir = "../../testdata/render/maps"

// kumamotoMapData is the embedded Kumamoto default as a map sees it: each
// district served by the office nearest its representative point, one
// branch office closed to show the symbol.
func kumamotoMapData(tb testing.TB, closeOne bool) MapData {
	tb.Helper()
	ds, _, err := data.Default()
	if err != nil {
		tb.Fatalf("data.Default: %v", err)
	}
	var md MapData
	for _, o := range ds.Offices {
		md.Offices = append(md.Offices, MapOffice{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind), Location: o.Location})
	}
	if closeOne {
		for i := range md.Offices {
			if md.Offices[i].Kind == "branch" {
				md.Offices[i].Closed = true
				break
			}
		}
	}
	for _, s := range ds.Stores {
		md.Stores = append(md.Stores, s.Location)
	}
	for _, p := range ds.Posts {
		md.Posts = append(md.Posts, p.Location)
	}
	for _, d := range ds.Districts {
		md.Districts = append(md.Districts, MapDistrict{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Geometry: d.Geometry})
	}
	md.Boundary = ds.Boundary
	assignAndCount(md.Offices, md.Districts, md.Stores, md.Posts)
	md.Source = "Offices: Kumamoto City (positions from GSI designated evacuation site data); districts, stores, post offices, boundary: synthetic demo layers"
	return md
}

// assignAndCount sets each district's nearest open office, its distance,
// and its store and post office counts, by brute force.
func assignAndCount(offices []MapOffice, ds []MapDistrict, stores, posts []orb.Point) {
	ix := geo.NewPolygonIndex(func() []orb.MultiPolygon {
		g := make([]orb.MultiPolygon, len(ds))
		for i, d := range ds {
			g[i] = d.Geometry
		}
		return g
	}())
	for i := range ds {
		rp := geo.RepresentativePoint(ds[i].Geometry)
		ds[i].Office, ds[i].DistanceM = -1, math.NaN()
		for j, o := range offices {
			if o.Closed {
				continue
			}
			if dm := geo.Distance(rp, o.Location); ds[i].Office < 0 || dm < ds[i].DistanceM {
				ds[i].Office, ds[i].DistanceM = j, dm
			}
		}
	}
	for _, p := range stores {
		if i := ix.Locate(p); i >= 0 {
			ds[i].Stores++
		}
	}
	for _, p := range posts {
		if i := ix.Locate(p); i >= 0 {
			ds[i].Posts++
		}
	}
}

// gridMapData is n×n districts tiling the Kumamoto area, with jittered
// shared vertices, and the offices of the default.
func gridMapData(tb testing.TB, n int, seed uint64) MapData {
	tb.Helper()
	base := kumamotoMapData(tb, false)
	r := rand.New(rand.NewPCG(seed, 7))
	lon0, lat0, dlon, dlat := 130.56, 32.66, 0.28/float64(n), 0.26/float64(n)
	verts := make([][]orb.Point, n+1)
	for i := range verts {
		verts[i] = make([]orb.Point, n+1)
		for j := range verts[i] {
			jx, jy := 0.0, 0.0
			if i > 0 && i < n && j > 0 && j < n {
				jx, jy = (r.Float64()-0.5)*0.5*dlon, (r.Float64()-0.5)*0.5*dlat
			}
			verts[i][j] = orb.Point{lon0 + float64(i)*dlon + jx, lat0 + float64(j)*dlat + jy}
		}
	}
	md := MapData{Offices: base.Offices, Source: "synthetic grid"}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			ring := orb.Ring{verts[i][j], verts[i+1][j], verts[i+1][j+1], verts[i][j+1], verts[i][j]}
			id := fmt.Sprintf("g%d_%d", i, j)
			md.Districts = append(md.Districts, MapDistrict{ID: id, Name: "区" + id, NameEn: id, Geometry: orb.MultiPolygon{{ring}}})
		}
	}
	for k := 0; k < n*n/4; k++ {
		md.Stores = append(md.Stores, orb.Point{lon0 + r.Float64()*0.28, lat0 + r.Float64()*0.26})
	}
	for k := 0; k < n*n/10; k++ {
		md.Posts = append(md.Posts, orb.Point{lon0 + r.Float64()*0.28, lat0 + r.Float64()*0.26})
	}
	assignAndCount(md.Offices, md.Districts, md.Stores, md.Posts)
	return md
}

// japaneseFonts loads the machine's Japanese font or skips loudly.
func japaneseFonts(t testing.TB) *Fonts {
	t.Helper()
	fs, _, err := LoadFonts("")
	if err != nil {
		t.Fatalf("LoadFonts: %v", err)
	}
	if !fs.Japanese() {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: no Japanese font: .ci/run must apt-get install %s", FontPackage)
		}
		t.Skipf("SKIPPING Japanese-font case: no Japanese font on this machine (install %s)", FontPackage)
	}
	return fs
}

// fontCases are the two font situations every map is tested in.
func fontCases(t *testing.T) []struct {
	name  string
	fonts *Fonts
} {
	cases := []struct {
		name  string
		fonts *Fonts
	}{{"latin", LatinFonts()}}
	if fs, _, _ := LoadFonts(""); fs != nil && fs.Japanese() {
		cases = append(cases, struct {
			name  string
			fonts *Fonts
		}{"ja", fs})
	} else {
		t.Logf("WARNING: no Japanese font installed (%s): Japanese-font cases skipped", FontPackage)
	}
	return cases
}

// compareGolden compares img with the golden PNG name under mapGoldenDir, with
// a tolerance for anti-aliasing and font rasteriser differences: at most
// 0.5% of pixels may differ by more than 40 in a channel. With -update it
// writes the golden instead.
func compareGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join(mapGoldenDir, name)
	if *update {
		if err := WritePNG(path, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run go test ./render/draw/ -update to create it)", path, err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatalf("golden %s: %v", path, err)
	}
	frac, err := imageDiff(img, want, 40)
	if err != nil {
		t.Fatalf("golden %s: %v", path, err)
	}
	if frac > 0.005 {
		got := filepath.Join(t.TempDir(), name)
		_ = WritePNG(got, img)
		t.Errorf("golden %s: %.2f%% of pixels differ (max 0.5%%); got image in %s", path, 100*frac, got)
	}
}

// imageDiff is the fraction of pixels whose channels differ by more than tol.
func imageDiff(a, b image.Image, tol int) (float64, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 1, fmt.Errorf("size %v, want %v", a.Bounds().Size(), b.Bounds().Size())
	}
	ab, bb := a.Bounds(), b.Bounds()
	bad := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			c1 := color.RGBAModel.Convert(a.At(ab.Min.X+x, ab.Min.Y+y)).(color.RGBA)
			c2 := color.RGBAModel.Convert(b.At(bb.Min.X+x, bb.Min.Y+y)).(color.RGBA)
			d := max(absInt(int(c1.R)-int(c2.R)), absInt(int(c1.G)-int(c2.G)), absInt(int(c1.B)-int(c2.B)), absInt(int(c1.A)-int(c2.A)))
			if d > tol {
				bad++
			}
		}
	}
	return float64(bad) / float64(ab.Dx()*ab.Dy()), nil
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func TestImageDiffDetectsChange(t *testing.T) {
	a := image.NewRGBA(image.Rect(0, 0, 10, 10))
	b := image.NewRGBA(image.Rect(0, 0, 10, 10))
	if f, _ := imageDiff(a, b, 40); f != 0 {
		t.Fatalf("identical images differ by %v", f)
	}
	b.Set(3, 3, color.RGBA{255, 0, 0, 255})
	if f, _ := imageDiff(a, b, 40); f != 0.01 {
		t.Fatalf("one pixel in 100 changed: diff %v, want 0.01", f)
	}
	if _, err := imageDiff(a, image.NewRGBA(image.Rect(0, 0, 9, 10)), 40); err == nil {
		t.Fatal("size mismatch not reported")
	}
}

// TestRenderMapGolden renders every map of the Kumamoto default with and
// without a Japanese font and compares it with its golden image.
func TestRenderMapGolden(t *testing.T) {
	md := kumamotoMapData(t, true)
	for _, fc := range fontCases(t) {
		for _, kind := range MapKinds {
			t.Run(string(kind)+"_"+fc.name, func(t *testing.T) {
				img, warns, err := RenderMap(kind, md, MapOptions{Width: 1200, Fonts: fc.fonts})
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range warns {
					t.Logf("warning: %s", w)
				}
				compareGolden(t, fmt.Sprintf("%s_%s.png", kind, fc.name), img)
			})
		}
	}
}

// TestMapLayout checks what a planner checks: every label inside the image
// and the frame, no two labels overlapping, every open office labelled on
// the catchment and distance maps, and the legend inside the image.
func TestMapLayout(t *testing.T) {
	md := kumamotoMapData(t, true)
	for _, fc := range fontCases(t) {
		for _, kind := range MapKinds {
			for _, width := range []int{800, 1600, 2400} {
				t.Run(fmt.Sprintf("%s_%s_%d", kind, fc.name, width), func(t *testing.T) {
					img, lay, warns, err := renderMap(kind, md, MapOptions{Width: width, Fonts: fc.fonts})
					if err != nil {
						t.Fatal(err)
					}
					whole := box{0, 0, float64(img.Bounds().Dx()), float64(img.Bounds().Dy())}
					if img.Bounds().Dx() != width {
						t.Errorf("width %d, want %d", img.Bounds().Dx(), width)
					}
					for i, l := range lay.Labels {
						if !l.Box.inside(whole) || !l.Box.inside(lay.Frame) {
							t.Errorf("label %q at %+v outside image %+v or frame %+v", l.Text, l.Box, whole, lay.Frame)
						}
						for _, o := range lay.Labels[:i] {
							if l.Box.overlaps(o.Box) {
								t.Errorf("labels %q %+v and %q %+v overlap", l.Text, l.Box, o.Text, o.Box)
							}
						}
					}
					for _, it := range lay.Legend {
						if !it.Box.inside(whole) || !it.Box.inside(lay.Panel) {
							t.Errorf("legend item %q at %+v outside panel %+v", it.Text, it.Box, lay.Panel)
						}
					}
					if kind != MapGaps {
						labelled := map[string]bool{}
						for _, l := range lay.Labels {
							labelled[l.Text] = true
						}
						for _, o := range md.Offices {
							want := o.Name
							if fc.name == "latin" {
								want = o.NameEn
							}
							if o.Closed {
								continue
							}
							if !labelled[want] {
								t.Errorf("office %s: label %q missing (warnings %q)", o.ID, want, warns)
							}
						}
					}
				})
			}
		}
	}
}

// TestDistanceLegendMatchesMap checks that the legend classes count the
// districts as a brute-force classification does, and that each district
// is painted in its class's colour.
func TestDistanceLegendMatchesMap(t *testing.T) {
	md := kumamotoMapData(t, false)
	md.Districts[0].DistanceM = math.NaN() // one unknown
	breaks := []float64{0, 1, 2, 3, 5, 8}
	img, lay, _, err := renderMap(MapDistance, md, MapOptions{Width: 1600, Fonts: LatinFonts(), Breaks: breaks})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int, len(breaks))
	unknown := 0
	for _, d := range md.Districts {
		km := d.DistanceM / 1000
		if math.IsNaN(km) {
			unknown++
			continue
		}
		c := 0
		for j, b := range breaks {
			if km >= b {
				c = j
			}
		}
		want[c]++
	}
	if len(lay.Classes) != len(breaks) {
		t.Fatalf("%d classes, want %d", len(lay.Classes), len(breaks))
	}
	var texts []string
	for _, it := range lay.Legend {
		texts = append(texts, it.Text)
	}
	all := strings.Join(texts, "\n")
	for i, c := range lay.Classes {
		if c.Districts != want[i] {
			t.Errorf("class %s: %d districts, want %d", c.Label(), c.Districts, want[i])
		}
		if s := fmt.Sprintf("%s (%d)", c.Label(), want[i]); !strings.Contains(all, s) {
			t.Errorf("legend lacks %q; legend:\n%s", s, all)
		}
	}
	if s := fmt.Sprintf("Unknown (%d)", unknown); !strings.Contains(all, s) {
		t.Errorf("legend lacks %q", s)
	}
	// Sample each district's pixel at its label point, away from symbols and labels.
	_, idx, _ := ClassifyDistances(breaks, md.Districts)
	checked := 0
	scene := sceneFor(t, MapDistance, md, MapOptions{Width: 1600, Fonts: LatinFonts(), Breaks: breaks})
	for i := range md.Districts {
		p, ok := labelPoint(scene.dists[i])
		if !ok || nearAny(p, lay.Labels, scene, md) {
			continue
		}
		got := color.RGBAModel.Convert(img.At(int(p.X), int(p.Y))).(color.RGBA)
		wantC := colNoData
		if idx[i] >= 0 {
			wantC = lay.Classes[idx[i]].Color
		}
		if got != wantC {
			t.Errorf("district %s at %v: colour %v, want %v (class %d)", md.Districts[i].ID, p, got, wantC, idx[i])
		}
		checked++
	}
	if checked < len(md.Districts)/2 {
		t.Errorf("only %d of %d districts could be sampled", checked, len(md.Districts))
	}
}

// sceneFor lays out a map without drawing, to get its projection.
func sceneFor(t *testing.T, kind MapKind, md MapData, opt MapOptions) *mapScene {
	t.Helper()
	if opt.DPI == 0 {
		opt.DPI = 144
	}
	pg, err := newPage(string(kind)+" map", opt)
	if err != nil {
		t.Fatal(err)
	}
	m := &mapScene{page: pg, kind: kind, d: md}
	if kind == MapDistance {
		m.layout.Classes, _, _ = ClassifyDistances(opt.Breaks, md.Districts)
	}
	if err := m.fit(); err != nil {
		t.Fatal(err)
	}
	m.projectDistricts()
	return m
}

// nearAny reports whether p is within a few pixels of a label or an office.
func nearAny(p px, labels []placedLabel, m *mapScene, md MapData) bool {
	for _, l := range labels {
		if p.X > l.Box.X0-3 && p.X < l.Box.X1+3 && p.Y > l.Box.Y0-3 && p.Y < l.Box.Y1+3 {
			return true
		}
	}
	for _, o := range md.Offices {
		c := m.toPx(o.Location)
		if math.Hypot(c.X-p.X, c.Y-p.Y) < m.officeRadius(o)+4 {
			return true
		}
	}
	for _, pts := range [][]orb.Point{md.Stores, md.Posts} {
		for _, q := range pts {
			c := m.toPx(q)
			if math.Hypot(c.X-p.X, c.Y-p.Y) < 8 {
				return true
			}
		}
	}
	return false
}

// TestWriteMapsForReview writes every map to $CATCHMENT_RENDER_OUT, for a
// person to look at; skipped when the variable is unset.
func TestWriteMapsForReview(t *testing.T) {
	dir := os.Getenv("CATCHMENT_RENDER_OUT")
	if dir == "" {
		t.Skip("set CATCHMENT_RENDER_OUT=dir to write the maps for review")
	}
	md := kumamotoMapData(t, true)
	for _, fc := range fontCases(t) {
		for _, kind := range MapKinds {
			img, warns, err := RenderMap(kind, md, MapOptions{Fonts: fc.fonts})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: warnings %q", kind, fc.name, warns)
			if err := WritePNG(filepath.Join(dir, fmt.Sprintf("map_%s_%s.png", kind, fc.name)), img); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// BenchmarkRenderMapKumamoto renders each map of the Kumamoto default at
// 1600 px (fonts loaded once, as the CLI does).
func BenchmarkRenderMapKumamoto(b *testing.B) {
	md := kumamotoMapData(b, false)
	fonts, _, err := LoadFonts("")
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range MapKinds {
		b.Run(string(kind), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := RenderMap(kind, md, MapOptions{Fonts: fonts}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderMap20000 renders each map of 20,000 grid districts at 1600 px.
func BenchmarkRenderMap20000(b *testing.B) {
	md := gridMapData(b, 142, 1) // 142² = 20,164 districts
	fonts, _, err := LoadFonts("")
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range MapKinds {
		b.Run(string(kind), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := RenderMap(kind, md, MapOptions{Fonts: fonts}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCrowdedLabelsOneWarning: a map with more offices than room for
// their labels says so in one warning (a nation-scale map printed 3,322
// lines, one per office), while a few unlabelled offices are each named.
func TestCrowdedLabelsOneWarning(t *testing.T) {
	md := gridMapData(t, 6, 3)
	r := rand.New(rand.NewPCG(5, 9))
	for k := 0; k < 400; k++ {
		md.Offices = append(md.Offices, MapOffice{ID: fmt.Sprintf("x%d", k), Name: fmt.Sprintf("出張所%d", k), NameEn: fmt.Sprintf("Branch %d", k),
			Kind: "branch", Location: orb.Point{130.60 + r.Float64()*0.2, 32.70 + r.Float64()*0.18}})
	}
	_, warns, err := RenderMap(MapCatchments, md, MapOptions{Width: 800})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range warns {
		if strings.Contains(w, "no room for the label") {
			n++
			if !strings.Contains(w, "no room for the labels of ") || !strings.Contains(w, " offices") {
				t.Errorf("not a summary: %s", w)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d no-room warnings, want 1 summary: %q", n, warns)
	}
	if got := noRoomWarnings("catchments map", []string{"a (A)", "b (B)"}, 19); len(got) != 2 || got[0] != "catchments map: no room for the label of office a (A)" {
		t.Errorf("a few unlabelled offices: %q", got)
	}
}
