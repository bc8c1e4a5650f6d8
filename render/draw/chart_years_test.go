package draw

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// yearLines is a cost chart like the service model's: two lines that meet
// a reference mark, one starting late, projected years from 2015.
func yearLines() YearLineData {
	return YearLineData{
		Years:     []int{2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019},
		Projected: []bool{false, false, false, true, true, true, true, true},
		Lines: []YearLine{
			{Label: Bilingual{Ja: "窓口：再編しない（現在の窓口・職員）", En: "Counters, not reorganised"}, Values: []float64{358, 356, 350, 350, 388, 666, 904, 968}, Color: hex(0xb2182b)},
			{Label: Bilingual{Ja: "窓口：再編する", En: "Counters, reorganised"}, Values: []float64{343, 349, 346, 346, 363, 439, 522, 537}, Color: hex(0x2166ac)},
			{Label: Bilingual{Ja: "コンビニ交付", En: "Stores"}, Values: []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), 446, 410, 382, 338}, Color: hex(0x1b7837)},
		},
		Marks: []YearMark{
			{Label: Bilingual{Ja: "計画：窓口 約350円", En: "plan: counter about 350 yen"}, Value: 350},
			{Label: Bilingual{Ja: "計画：再編しない場合 約680円", En: "plan: not reorganised about 680 yen"}, Value: 680},
			{Label: Bilingual{Ja: "計画：コンビニ 約250円", En: "plan: store about 250 yen"}, Value: 250},
		},
		Title: Bilingual{Ja: "証明書1件あたりの費用（DEMO）", En: "Cost per certificate (DEMO)"}, YLabel: Bilingual{Ja: "円／件", En: "Yen"},
		Heading: Bilingual{Ja: "チャネル", En: "Channel"}, Note: Bilingual{Ja: "再編：close oe, akitsu, tobu, hanazono, akita, koda, nanbu, hokubu。職員を業務量に合わせる", En: "Reorganised: close oe, akitsu, tobu, hanazono, akita, koda, nanbu, hokubu; staff set by workload"},
	}
}

func yearBars() YearBarData {
	return YearBarData{
		Years:     []int{2014, 2015, 2016, 2017},
		Projected: []bool{false, true, true, true},
		Stacks: []YearStack{
			{Label: Bilingual{Ja: "窓口", En: "Counters"}, Values: []float64{769150, 767418, 689192, 392110}, Color: hex(0x2166ac)},
			{Label: Bilingual{Ja: "証明書コーナー", En: "Corners"}, Values: []float64{0, 0, 0, 0}, Color: hex(0x92c5de)},
			{Label: Bilingual{Ja: "コンビニ", En: "Stores"}, Values: []float64{0, 0, 76577, 86073}, Color: hex(0x1b7837)},
		},
		Title: Bilingual{Ja: "証明書の発行件数（DEMO）", En: "Certificates by channel (DEMO)"}, YLabel: Bilingual{En: "Certificates a year"}, Heading: Bilingual{En: "Channel"},
	}
}

// TestYearChartLayout: every legend entry and mark label drawn once, inside
// the image and clear of each other, at several sizes, with and without a
// Japanese font; an empty stack is left out of the legend.
func TestYearChartLayout(t *testing.T) {
	for _, fc := range fontCases(t) {
		for _, size := range [][2]int{{1600, 1000}, {1000, 625}, {2400, 1500}} {
			t.Run(fmt.Sprintf("%s_%dx%d", fc.name, size[0], size[1]), func(t *testing.T) {
				opt := ChartOptions{Width: size[0], Height: size[1], Fonts: fc.fonts, Source: "counter counts: DEMO figures"}
				img, c, warns, err := renderYearLines(yearLines(), opt)
				if err != nil {
					t.Fatal(err)
				}
				if len(warns) > 0 {
					t.Errorf("warnings: %q", warns)
				}
				whole := box{0, 0, float64(img.Bounds().Dx()), float64(img.Bounds().Dy())}
				marks := 0
				for i, l := range c.labels {
					if strings.Contains(l.Text, "350") || strings.Contains(l.Text, "680") || strings.Contains(l.Text, "250") {
						marks++
						if !l.Box.inside(c.plot) {
							t.Errorf("mark label %q at %+v outside the plot %+v", l.Text, l.Box, c.plot)
						}
					}
					if !l.Box.inside(whole) {
						t.Errorf("label %q at %+v outside the image", l.Text, l.Box)
					}
					for _, o := range c.labels[:i] {
						if l.Box.overlaps(o.Box) {
							t.Errorf("labels %q and %q overlap", l.Text, o.Text)
						}
					}
				}
				if marks != 3 {
					t.Errorf("%d mark labels, want 3", marks)
				}
				_, b, _, err := renderYearBars(yearBars(), opt)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range b.labels {
					if strings.Contains(l.Text, "orner") || strings.Contains(l.Text, "コーナー") {
						t.Errorf("the empty corner stack is in the legend")
					}
				}
			})
		}
	}
}

func TestYearChartErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    YearLineData
		want string
	}{
		{"no years", YearLineData{}, "no years"},
		{"descending", YearLineData{Years: []int{2014, 2013}, Lines: []YearLine{{Values: []float64{1, 2}}}}, "not ascending"},
		{"short", YearLineData{Years: []int{2013, 2014}, Lines: []YearLine{{Label: Bilingual{En: "a"}, Values: []float64{1}}}}, "1 values for 2 years"},
		{"inf", YearLineData{Years: []int{2013, 2014}, Lines: []YearLine{{Label: Bilingual{En: "a"}, Values: []float64{1, math.Inf(1)}}}}, "not finite"},
		{"no lines", YearLineData{Years: []int{2013}}, "nothing to draw"},
		{"bad mark", YearLineData{Years: []int{2013}, Lines: []YearLine{{Values: []float64{1}}}, Marks: []YearMark{{Value: math.NaN()}}}, "mark"},
	} {
		if _, _, err := RenderYearLines(tc.d, ChartOptions{NoFont: true}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	bars := YearBarData{Years: []int{2014}, Stacks: []YearStack{{Label: Bilingual{En: "a"}, Values: []float64{-1}}}}
	if _, _, err := RenderYearBars(bars, ChartOptions{NoFont: true}); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("negative bar: %v", err)
	}
}

// TestYearBarsStack: the bars stack from the bottom: the top of each bar is
// the total, in the colour of its last non-empty stack.
func TestYearBarsStack(t *testing.T) {
	d := yearBars()
	img, c, _, err := renderYearBars(d, ChartOptions{NoFont: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, y := range d.Years {
		total := 0.0
		for _, s := range d.Stacks {
			total += s.Values[i]
		}
		x := int(c.X(float64(y)))
		// Just under the top of the bar: the top stack's colour.
		want := d.Stacks[0].Color
		if d.Stacks[2].Values[i] > 0 {
			want = d.Stacks[2].Color
		}
		got := color.RGBAModel.Convert(img.At(x, int(c.Y(total))+4)).(color.RGBA)
		if got != want {
			t.Errorf("%d: colour under the top %v, want %v", y, got, want)
		}
		// Just above it: no bar.
		if above := color.RGBAModel.Convert(img.At(x, int(c.Y(total))-3)).(color.RGBA); above == want {
			t.Errorf("%d: the bar goes above its total", y)
		}
	}
}

// TestWriteYearChartsForReview writes the year charts to
// $CATCHMENT_RENDER_OUT.
func TestWriteYearChartsForReview(t *testing.T) {
	dir := os.Getenv("CATCHMENT_RENDER_OUT")
	if dir == "" {
		t.Skip("set CATCHMENT_RENDER_OUT=dir to write the charts for review")
	}
	for _, fc := range fontCases(t) {
		img, _, err := RenderYearLines(yearLines(), ChartOptions{Fonts: fc.fonts, Source: "DEMO"})
		if err != nil {
			t.Fatal(err)
		}
		if err := WritePNG(filepath.Join(dir, "years_lines_"+fc.name+".png"), img); err != nil {
			t.Fatal(err)
		}
		img, _, err = RenderYearBars(yearBars(), ChartOptions{Fonts: fc.fonts, Source: "DEMO"})
		if err != nil {
			t.Fatal(err)
		}
		if err := WritePNG(filepath.Join(dir, "years_bars_"+fc.name+".png"), img); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkRenderYearLines draws the cost chart at 1600 × 1000 px.
func BenchmarkRenderYearLines(b *testing.B) {
	fonts, _, err := LoadFonts("")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := RenderYearLines(yearLines(), ChartOptions{Fonts: fonts}); err != nil {
			b.Fatal(err)
		}
	}
}
