package draw

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestQuantileBreaks(t *testing.T) {
	for _, tc := range []struct {
		values []float64
		n      int
		want   []float64
	}{
		{[]float64{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}, 5, []float64{2, 4, 6, 8, 10}},
		{[]float64{1, 2, 3}, 5, []float64{1, 2, 3}},                    // fewer values than classes
		{[]float64{1, 1, 1, 1, 2}, 4, []float64{1, 2}},                 // ties merge
		{[]float64{math.NaN(), 3, math.Inf(1), 1}, 2, []float64{1, 3}}, // NaN and Inf left out
		{nil, 5, nil},
		{[]float64{1}, 0, nil},
	} {
		if got := QuantileBreaks(tc.values, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("QuantileBreaks(%v, %d) = %v, want %v", tc.values, tc.n, got, tc.want)
		}
	}
}

func TestClassifyValues(t *testing.T) {
	classes := []ValueClass{{Max: -1}, {Max: 0}, {Max: 2}}
	idx, counts := ClassifyValues(classes, []float64{-3, -1, -0.5, 0, 1, 2, 2.5, math.NaN()})
	if want := []int{0, 0, 1, 1, 2, 2, -1, -1}; !slices.Equal(idx, want) {
		t.Errorf("classes %v, want %v", idx, want)
	}
	if want := []int{2, 2, 2}; !slices.Equal(counts, want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
}

// valueMapData is four districts with values in three classes and one
// without a value, a ward office and a closed branch office.
func valueMapData() ValueMapData {
	d := ValueMapData{
		Offices: []MapOffice{
			{ID: "w", Name: "ward", NameEn: "Ward", Kind: "ward", Location: orb.Point{130.70, 32.80}},
			{ID: "b", Name: "branch", NameEn: "Branch", Kind: "branch", Closed: true, Location: orb.Point{130.72, 32.80}},
		},
		Values: []float64{0, 0.5, 2, math.NaN()},
		Classes: []ValueClass{
			{Max: 0, Label: Bilingual{En: "0: none"}, Color: ColNone},
			{Max: 1, Label: Bilingual{En: "0.1-1"}, Color: YlGn(2)[0]},
			{Max: 3, Label: Bilingual{En: "1-3"}, Color: YlGn(2)[1]},
		},
		Title:   Bilingual{Ja: "値", En: "Values"},
		Heading: Bilingual{En: "Value"},
		Source:  "Sources: hand-made test data",
		Notes:   []Bilingual{{En: "A note on what the value is"}},
	}
	for i := range 4 {
		d.Districts = append(d.Districts, MapDistrict{ID: string(rune('a' + i)), Office: -1,
			Geometry: orb.MultiPolygon{lonlatSquare(orb.Point{130.69 + 0.01*float64(i), 32.8}, 0.005)}})
	}
	return d
}

func TestValueMapLayoutAndColours(t *testing.T) {
	for _, width := range []int{800, 1600} {
		img, lay, _, err := renderValueMap(valueMapData(), MapOptions{Width: width, NoFont: true})
		if err != nil {
			t.Fatal(err)
		}
		whole := box{0, 0, float64(img.Bounds().Dx()), float64(img.Bounds().Dy())}
		if !lay.Frame.inside(whole) || !lay.Panel.inside(whole) || lay.Panel.X0 <= lay.Frame.X1 {
			t.Errorf("%d px: frame %+v and panel %+v not side by side in %+v", width, lay.Frame, lay.Panel, whole)
		}
		var texts []string
		for _, it := range lay.Legend {
			if !it.Box.inside(lay.Panel) {
				t.Errorf("%d px: legend item %q outside the panel", width, it.Text)
			}
			texts = append(texts, it.Text)
		}
		joined := strings.Join(texts, "|")
		for _, want := range []string{"0: none (1)", "0.1-1 (1)", "1-3 (1)", "No value (1)", "Ward office (1)", "Closed office (1)", "District border"} {
			if !strings.Contains(joined, want) {
				t.Errorf("%d px: legend %q lacks %q", width, joined, want)
			}
		}
		// Every class colour fills some pixels.
		for _, c := range valueMapData().Classes {
			found := false
			bd := img.Bounds()
			for y := int(lay.Frame.Y0); y < int(lay.Frame.Y1) && !found; y += 2 {
				for x := int(lay.Frame.X0); x < int(lay.Frame.X1); x += 2 {
					r, g, b, _ := img.At(x+bd.Min.X, y+bd.Min.Y).RGBA()
					if uint8(r>>8) == c.Color.R && uint8(g>>8) == c.Color.G && uint8(b>>8) == c.Color.B {
						found = true
						break
					}
				}
			}
			if !found {
				t.Errorf("%d px: class %q's colour is not on the map", width, c.Label.En)
			}
		}
	}
}

func TestValueMapErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(d *ValueMapData)
		want string
	}{
		{func(d *ValueMapData) { d.Values = d.Values[:2] }, "2 values for 4 districts"},
		{func(d *ValueMapData) { d.Classes = nil }, "no classes"},
		{func(d *ValueMapData) { d.Classes[2].Max = 0.5 }, "not ascending"},
		{func(d *ValueMapData) { d.Districts, d.Values = nil, nil }, "no districts"},
	} {
		d := valueMapData()
		tc.edit(&d)
		if _, _, err := RenderValueMap(d, MapOptions{Width: 800, NoFont: true}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}

func TestChangePalettesAvoidOfficeColours(t *testing.T) {
	for n := 1; n <= 7; n++ {
		for _, c := range append(append(YlGn(n), Losses(min(n, 4))...), Gains(min(n, 4))...) {
			if c == colWard || c == colBranch {
				t.Errorf("palette colour %v is an office symbol's", c)
			}
		}
		if len(YlGn(n)) != n {
			t.Errorf("YlGn(%d) has %d colours", n, len(YlGn(n)))
		}
	}
}
