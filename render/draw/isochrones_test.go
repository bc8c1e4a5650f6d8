package draw

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// lonlatSquare is a square of half-size h degrees around c.
func lonlatSquare(c orb.Point, h float64) orb.Polygon {
	return orb.Polygon{{{c[0] - h, c[1] - h}, {c[0] + h, c[1] - h}, {c[0] + h, c[1] + h}, {c[0] - h, c[1] + h}, {c[0] - h, c[1] - h}}}
}

// isoMapData is a hand-made service-area map: three nested bands around two
// offices on the network, a third office off it, two districts.
func isoMapData() IsochroneMapData {
	c := orb.Point{130.70, 32.80}
	d := IsochroneMapData{
		Offices: []MapOffice{
			{ID: "street", Name: "street office", NameEn: "Street", Kind: "ward", Location: orb.Point{130.7005, 32.8}},
			{ID: "foot", Name: "footway office", NameEn: "Footway", Kind: "branch", Location: orb.Point{130.699, 32.801}},
			{ID: "far", Name: "far office", NameEn: "Far", Kind: "branch", Location: orb.Point{130.75, 32.85}},
		},
		OffNetwork: []bool{false, false, true},
		Unit:       "min",
		Profile:    "walk",
		Source:     "Sources: hand-made test data",
	}
	for i, h := range []float64{0.002, 0.004, 0.006} {
		d.Bands = append(d.Bands, MapBand{Limit: float64(i + 1), Area: orb.MultiPolygon{lonlatSquare(c, h)}, AreaKm2: 4 * h * h * 1e4, Districts: i, Population: 100 * float64(i)})
	}
	d.OfficeAreas = []orb.MultiPolygon{{lonlatSquare(orb.Point{130.7015, 32.8}, 0.003)}, {lonlatSquare(orb.Point{130.6985, 32.8}, 0.003)}, nil}
	for i, x := range []float64{130.699, 130.701} {
		d.Districts = append(d.Districts, MapDistrict{ID: []string{"a", "b"}[i], Geometry: orb.MultiPolygon{lonlatSquare(orb.Point{x, 32.8}, 0.001)}, Office: -1, DistanceM: math.NaN()})
	}
	return d
}

func TestRenderIsochroneMap(t *testing.T) {
	md := isoMapData()
	img, warns, err := RenderIsochroneMap(md, MapOptions{Width: 900, NoFont: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("warnings: %q", warns)
	// Every band colour shows somewhere: the bands are drawn nested, the
	// smallest on top.
	cols := bandColours(3)
	seen := make([]bool, 3)
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			for k, c := range cols {
				if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(b>>8) == c.B {
					seen[k] = true
				}
			}
		}
	}
	for k, ok := range seen {
		if !ok {
			t.Errorf("band %d (%g min) colour not on the map", k, md.Bands[k].Limit)
		}
	}
	if bd.Dx() != 900 || bd.Dy() < 400 {
		t.Errorf("image %v", bd)
	}

	bad := func(name string, f func(d *IsochroneMapData)) {
		d := md
		d.Bands = append([]MapBand(nil), md.Bands...)
		f(&d)
		if _, _, err := RenderIsochroneMap(d, MapOptions{Width: 900, NoFont: true}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	bad("no bands", func(d *IsochroneMapData) { d.Bands = nil })
	bad("descending", func(d *IsochroneMapData) { d.Bands[0], d.Bands[1] = d.Bands[1], d.Bands[0] })
	bad("unit", func(d *IsochroneMapData) { d.Unit = "m" })
	bad("flags", func(d *IsochroneMapData) { d.OffNetwork = []bool{true} })
	bad("areas", func(d *IsochroneMapData) { d.OfficeAreas = d.OfficeAreas[:1] })
}

func TestBandColoursDarkestNearest(t *testing.T) {
	for n := 1; n <= 6; n++ {
		c := bandColours(n)
		for k := 1; k < n; k++ {
			lum := func(i int) int { return int(c[i].R) + int(c[i].G) + int(c[i].B) }
			if lum(k) <= lum(k-1) {
				t.Errorf("n=%d: band %d not lighter than band %d", n, k, k-1)
			}
		}
	}
}

// TestIsochroneMapLayout checks that the isochrone map is laid out on the
// page every map has: its legend sections in the panel beside the frame,
// the office off the network keyed by its own symbol.
func TestIsochroneMapLayout(t *testing.T) {
	for _, width := range []int{800, 1600} {
		img, lay, _, err := renderIsochroneMap(isoMapData(), MapOptions{Width: width, NoFont: true})
		if err != nil {
			t.Fatal(err)
		}
		whole := box{0, 0, float64(img.Bounds().Dx()), float64(img.Bounds().Dy())}
		if !lay.Frame.inside(whole) || !lay.Panel.inside(whole) || lay.Panel.X0 <= lay.Frame.X1 {
			t.Errorf("%d px: frame %+v and panel %+v not side by side in %+v", width, lay.Frame, lay.Panel, whole)
		}
		sections := map[string]int{}
		offNetwork := 0
		for _, it := range lay.Legend {
			sections[it.Section]++
			if !it.Box.inside(lay.Panel) {
				t.Errorf("%d px: legend item %q at %+v outside panel %+v", width, it.Text, it.Box, lay.Panel)
			}
			if it.Kind == legendOffNetwork {
				offNetwork++
			}
		}
		// Three bands and "beyond"; two kinds of office on the network and
		// one off it; two borders (no boundary).
		if len(sections) != 3 || sections["Offices"] != 3 || sections["Borders"] != 2 || offNetwork != 1 {
			t.Errorf("%d px: legend sections %v, %d off-network keys", width, sections, offNetwork)
		}
	}
}

// TestIsochroneFooterSaysHowDrawn checks the footer's method sentence: the
// buffer given, the road data named (OpenStreetMap unless a line layer)
// and the counting rule.
func TestIsochroneFooterSaysHowDrawn(t *testing.T) {
	pg, err := newPage("isochrone map", MapOptions{Width: 900, NoFont: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		bufferM   float64
		lineRoads bool
		want      []string
		not       string
	}{
		{0, false, []string{"within 100 m of a road", "OpenStreetMap roads"}, "line layer"},
		{150, true, []string{"within 150 m of a road", "the road line layer"}, "OpenStreetMap"},
	} {
		d := isoMapData()
		d.BufferM, d.LineRoads = tc.bufferM, tc.lineRoads
		m := &isoScene{mapScene: &mapScene{page: pg, d: MapData{Source: d.Source}}, iso: d}
		method := m.footerTexts()[1]
		for _, w := range append(tc.want, "count in a band when its representative point lies inside it") {
			if !strings.Contains(method, w) {
				t.Errorf("buffer %g, line layer %v: footer %q lacks %q", tc.bufferM, tc.lineRoads, method, w)
			}
		}
		if strings.Contains(method, tc.not) {
			t.Errorf("buffer %g, line layer %v: footer %q says %q", tc.bufferM, tc.lineRoads, method, tc.not)
		}
	}
}
