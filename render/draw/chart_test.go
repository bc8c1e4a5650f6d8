package draw

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/geo"
)

// kumamotoScatter is the branch offices of the embedded default: geodesic
// distance to the nearest ward office and counter count.
func kumamotoScatter(tb testing.TB) []ScatterPoint {
	tb.Helper()
	ds, _, err := data.Default()
	if err != nil {
		tb.Fatal(err)
	}
	var pts []ScatterPoint
	for _, o := range ds.Offices {
		if o.Kind != data.Branch || o.CounterCount == nil {
			continue
		}
		best := math.Inf(1)
		for _, w := range ds.Offices {
			if w.Kind == data.Ward {
				best = math.Min(best, geo.Distance(o.Location, w.Location))
			}
		}
		pts = append(pts, ScatterPoint{Label: o.Name, LabelEn: o.NameEn, X: best / 1000, Y: *o.CounterCount})
	}
	if len(pts) < 5 {
		tb.Fatalf("default has only %d branch offices with counter counts", len(pts))
	}
	return pts
}

// kumamotoTrend is the embedded DEMO counter series of the default, one
// series per office (as render.TrendData makes it).
func kumamotoTrend(tb testing.TB) []TrendSeries {
	tb.Helper()
	ds, _, err := data.Default()
	if err != nil {
		tb.Fatal(err)
	}
	var ss []TrendSeries
	for _, o := range ds.Offices {
		short := func(name string, suffixes ...string) string {
			for _, suf := range suffixes {
				if s := strings.TrimSuffix(name, suf); s != name {
					return s
				}
			}
			return name
		}
		s := TrendSeries{Label: o.Name, LabelEn: o.NameEn,
			Short:   short(o.Name, "総合出張所", "出張所", "役所"),
			ShortEn: short(o.NameEn, " General Branch", " Branch", " Ward Office"),
			Group:   o.Ward, GroupEn: wardEn(o.Ward), Ward: o.Kind == data.Ward}
		for _, c := range ds.Counts {
			if c.OfficeID == o.ID {
				s.Years = append(s.Years, c.Year)
				s.Counts = append(s.Counts, c.Count)
				s.Projected = append(s.Projected, c.Projected)
			}
		}
		ss = append(ss, s)
	}
	if len(ss) != 19 || len(ss[0].Years) < 5 {
		tb.Fatalf("default has %d offices, the first with %d years of counts", len(ss), len(ss[0].Years))
	}
	return ss
}

func wardEn(w string) string {
	return map[string]string{"中央区": "Chuo Ward", "東区": "Higashi Ward", "西区": "Nishi Ward", "南区": "Minami Ward", "北区": "Kita Ward"}[w]
}

func TestRenderChartsGolden(t *testing.T) {
	pts, ss := kumamotoScatter(t), kumamotoTrend(t)
	for _, fc := range fontCases(t) {
		t.Run("scatter_"+fc.name, func(t *testing.T) {
			img, warns, err := RenderScatter(pts, ChartOptions{Width: 1200, Height: 800, Fonts: fc.fonts, Threshold: 5, Source: "Counter counts: DEMO figures"})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("warnings %q", warns)
			compareGolden(t, "scatter_"+fc.name+".png", img)
		})
		t.Run("trend_"+fc.name, func(t *testing.T) {
			img, warns, err := RenderTrend(ss, ChartOptions{Width: 1200, Height: 800, Fonts: fc.fonts, Source: "Counter counts: DEMO figures"})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("warnings %q", warns)
			compareGolden(t, "trend_"+fc.name+".png", img)
		})
	}
}

// TestScatterLayout: every point labelled, labels inside the plot and the
// image, no two labels overlapping, fallback labels without a font.
func TestScatterLayout(t *testing.T) {
	pts := kumamotoScatter(t)
	for _, fc := range fontCases(t) {
		for _, size := range [][2]int{{1600, 1000}, {900, 600}, {2400, 1400}} {
			t.Run(fmt.Sprintf("%s_%dx%d", fc.name, size[0], size[1]), func(t *testing.T) {
				img, c, warns, err := renderScatter(pts, ChartOptions{Width: size[0], Height: size[1], Fonts: fc.fonts, Threshold: 5})
				if err != nil {
					t.Fatal(err)
				}
				whole := box{0, 0, float64(img.Bounds().Dx()), float64(img.Bounds().Dy())}
				if len(c.labels) != len(pts) {
					t.Errorf("%d labels for %d points (warnings %q)", len(c.labels), len(pts), warns)
				}
				want := map[string]bool{}
				for _, p := range pts {
					if fc.name == "latin" {
						want[p.LabelEn] = true
					} else {
						want[p.Label] = true
					}
				}
				for i, l := range c.labels {
					if !want[l.Text] {
						t.Errorf("label %q is not a point name in this font case", l.Text)
					}
					if !l.Box.inside(whole) || !l.Box.inside(c.plot) {
						t.Errorf("label %q at %+v outside plot %+v", l.Text, l.Box, c.plot)
					}
					for _, o := range c.labels[:i] {
						if l.Box.overlaps(o.Box) {
							t.Errorf("labels %q and %q overlap", l.Text, o.Text)
						}
					}
				}
			})
		}
	}
}

// TestScatterThresholdOffAxis: a threshold far beyond the points is named
// at the right edge, and the axis stays fitted to the points.
func TestScatterThresholdOffAxis(t *testing.T) {
	pts := kumamotoScatter(t)
	fc := fontCases(t)
	fonts := fc[len(fc)-1].fonts
	_, near, _, err := renderScatter(pts, ChartOptions{Fonts: fonts, Threshold: 5})
	if err != nil {
		t.Fatal(err)
	}
	img, far, _, err := renderScatter(pts, ChartOptions{Fonts: fonts, Threshold: 20000})
	if err != nil {
		t.Fatal(err)
	}
	if far.x1 != near.x1 {
		t.Errorf("x axis to %g km with a 20,000 km threshold, %g with 5 km: the points are squeezed", far.x1, near.x1)
	}
	if len(far.labels) != len(pts) {
		t.Errorf("%d of %d points labelled", len(far.labels), len(pts))
	}
	if dir := os.Getenv("CATCHMENT_RENDER_OUT"); dir != "" {
		if err := WritePNG(filepath.Join(dir, "chart_scatter_offaxis.png"), img); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTrendLayout: every office named once at its line's end, names inside
// the image and clear of each other, panels inside the image, for the
// embedded series at several sizes and with and without a Japanese font.
func TestTrendLayout(t *testing.T) {
	ss := kumamotoTrend(t)
	for _, fc := range fontCases(t) {
		for _, size := range [][2]int{{1600, 1000}, {900, 563}, {2400, 1500}, {1200, 1200}} {
			t.Run(fmt.Sprintf("%s_%dx%d", fc.name, size[0], size[1]), func(t *testing.T) {
				img, c, warns, err := renderTrend(ss, ChartOptions{Width: size[0], Height: size[1], Fonts: fc.fonts})
				if err != nil {
					t.Fatal(err)
				}
				if len(c.labels) != len(ss) {
					t.Fatalf("%d names for %d series (warnings %q)", len(c.labels), len(ss), warns)
				}
				whole := box{0, 0, float64(img.Bounds().Dx()), float64(img.Bounds().Dy())}
				seen := map[string]bool{}
				for i, l := range c.labels {
					if seen[l.Text] {
						t.Errorf("name %q drawn twice", l.Text)
					}
					seen[l.Text] = true
					if !l.Box.inside(whole) {
						t.Errorf("name %q at %+v outside the image", l.Text, l.Box)
					}
					for _, o := range c.labels[:i] {
						if l.Box.overlaps(o.Box) {
							t.Errorf("names %q and %q overlap", l.Text, o.Text)
						}
					}
				}
				if fc.name == "ja" && !seen["幸田"] {
					t.Errorf("幸田 is not named (names %v)", seen)
				}
				if c.scaleRatio != 5 {
					t.Errorf("ward panel scale %g × the branch panels', want 5", c.scaleRatio)
				}
			})
		}
	}
}

// TestTrendPanels: one panel per group of branch offices after the ward
// panel; a chart too small for its panels is an error that says so.
func TestTrendPanels(t *testing.T) {
	series := func(groups int) []TrendSeries {
		var ss []TrendSeries
		for g := 0; g < groups; g++ {
			ss = append(ss, TrendSeries{Label: fmt.Sprintf("b%d", g), Group: fmt.Sprintf("g%d", g), Years: []int{2020, 2021}, Counts: []float64{10, 9}})
		}
		return ss
	}
	_, c, _, err := renderTrend(append(series(3), TrendSeries{Label: "w", Ward: true, Years: []int{2020, 2021}, Counts: []float64{100, 120}, Projected: []bool{false, true}}),
		ChartOptions{NoFont: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.labels) != 4 {
		t.Errorf("%d names, want 4", len(c.labels))
	}
	_, _, err = RenderTrend(series(60), ChartOptions{NoFont: true})
	if err == nil || !strings.Contains(err.Error(), "60 panels") || !strings.Contains(err.Error(), "make the chart larger") {
		t.Errorf("60 panels on 1600×1000: got %v", err)
	}
}

// TestChartSourceLineFits: a source line too long for the chart is cut
// short with a warning, not drawn off the image.
func TestChartSourceLineFits(t *testing.T) {
	pts := []ScatterPoint{{Label: "a", X: 1, Y: 2}, {Label: "b", X: 2, Y: 3}}
	_, warns, err := RenderScatter(pts, ChartOptions{NoFont: true, Width: 600, Height: 400, Source: strings.Repeat("a long source ", 40)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(warns, "\n"), "too long for the chart") {
		t.Errorf("no warning about the long source line: %q", warns)
	}
	_, warns, _ = RenderScatter(pts, ChartOptions{NoFont: true, Width: 600, Height: 400, Source: "short"})
	if strings.Contains(strings.Join(warns, "\n"), "too long") {
		t.Errorf("a short source line warns: %q", warns)
	}
}

func TestFitLine(t *testing.T) {
	tests := []struct {
		name           string
		xs, ys         []float64
		slope, icpt    float64
		r2             float64 // NaN: undefined
		wantErr        bool
		r2Tol, coefTol float64
	}{
		{name: "exact line", xs: []float64{0, 1, 2, 3}, ys: []float64{1, 3, 5, 7}, slope: 2, icpt: 1, r2: 1},
		{name: "falling", xs: []float64{1, 2, 3}, ys: []float64{30, 20, 10}, slope: -10, icpt: 40, r2: 1},
		{name: "flat y", xs: []float64{1, 2, 3}, ys: []float64{5, 5, 5}, slope: 0, icpt: 5, r2: math.NaN()},
		{name: "known r2", xs: []float64{1, 2, 3, 4}, ys: []float64{2, 1, 4, 3}, slope: 0.6, icpt: 1, r2: 0.36},
		{name: "one point", xs: []float64{1}, ys: []float64{1}, wantErr: true},
		{name: "same x", xs: []float64{2, 2}, ys: []float64{1, 3}, wantErr: true},
		{name: "length mismatch", xs: []float64{1, 2}, ys: []float64{1}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := FitLine(tc.xs, tc.ys)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("want an error, got %+v", f)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(f.Slope-tc.slope) > 1e-9 || math.Abs(f.Intercept-tc.icpt) > 1e-9 {
				t.Errorf("y = %g + %g x, want %g + %g x", f.Intercept, f.Slope, tc.icpt, tc.slope)
			}
			if math.IsNaN(tc.r2) != math.IsNaN(f.R2) || (!math.IsNaN(tc.r2) && math.Abs(f.R2-tc.r2) > 1e-9) {
				t.Errorf("r² %g, want %g", f.R2, tc.r2)
			}
		})
	}
}

// TestFitLineMinimises checks the fit against brute force: nudging the
// slope or intercept never lowers the sum of squared residuals.
func TestFitLineMinimises(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 200; trial++ {
		n := 2 + r.IntN(20)
		xs, ys := make([]float64, n), make([]float64, n)
		for i := range xs {
			xs[i], ys[i] = r.Float64()*10, r.Float64()*1000
		}
		f, err := FitLine(xs, ys)
		if err != nil {
			continue
		}
		sse := func(a, b float64) float64 {
			s := 0.0
			for i := range xs {
				e := ys[i] - (a + b*xs[i])
				s += e * e
			}
			return s
		}
		best := sse(f.Intercept, f.Slope)
		for _, d := range [][2]float64{{1, 0}, {-1, 0}, {0, 0.1}, {0, -0.1}, {0.5, -0.05}} {
			if s := sse(f.Intercept+d[0], f.Slope+d[1]); s < best-1e-6 {
				t.Fatalf("trial %d: nudged fit (%v) has SSE %g < %g", trial, d, s, best)
			}
		}
		if f.R2 < -1e-12 || f.R2 > 1+1e-12 {
			t.Fatalf("trial %d: r² %g out of [0, 1]", trial, f.R2)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 10, 5, "[0 2 4 6 8 10]"},
		{0, 187000, 6, "[0 50000 100000 150000 200000]"},
		{0, 7.3, 7, "[0 2 4 6 8]"},
		{0, 10.8, 7, "[0 2 4 6 8 10 12]"},
		{0, 0, 5, "[0 0.2 0.4 0.6 0.8 1]"},
	} {
		if got := fmt.Sprint(niceTicks(tc.lo, tc.hi, tc.n)); got != tc.want {
			t.Errorf("niceTicks(%g, %g, %d) = %s, want %s", tc.lo, tc.hi, tc.n, got, tc.want)
		}
	}
}

func TestChartErrors(t *testing.T) {
	good := []ScatterPoint{{Label: "a", X: 1, Y: 2}, {Label: "b", X: 2, Y: 3}}
	for name, f := range map[string]func() error{
		"no points": func() error { _, _, err := RenderScatter(nil, ChartOptions{NoFont: true}); return err },
		"NaN point": func() error {
			_, _, err := RenderScatter([]ScatterPoint{{Label: "x", X: math.NaN()}}, ChartOptions{NoFont: true})
			return err
		},
		"negative x": func() error {
			_, _, err := RenderScatter([]ScatterPoint{{Label: "x", X: -1}}, ChartOptions{NoFont: true})
			return err
		},
		"tiny chart": func() error {
			_, _, err := RenderScatter(good, ChartOptions{NoFont: true, Width: 100, Height: 100})
			return err
		},
		"threshold Inf": func() error {
			_, _, err := RenderScatter(good, ChartOptions{NoFont: true, Threshold: math.Inf(1)})
			return err
		},
		"threshold NaN": func() error {
			_, _, err := RenderScatter(good, ChartOptions{NoFont: true, Threshold: math.NaN()})
			return err
		},
		"threshold 1e308": func() error {
			_, _, err := RenderScatter(good, ChartOptions{NoFont: true, Threshold: 1e308})
			return err
		},
		"dpi NaN": func() error {
			_, _, err := RenderScatter(good, ChartOptions{NoFont: true, DPI: math.NaN()})
			return err
		},
		"no series": func() error { _, _, err := RenderTrend(nil, ChartOptions{NoFont: true}); return err },
		"len mismatch": func() error {
			_, _, err := RenderTrend([]TrendSeries{{Label: "x", Years: []int{2020}, Counts: nil}}, ChartOptions{NoFont: true})
			return err
		},
		"repeated year": func() error {
			_, _, err := RenderTrend([]TrendSeries{{Label: "x", Years: []int{2020, 2020}, Counts: []float64{1, 2}}}, ChartOptions{NoFont: true})
			return err
		},
		"projected mismatch": func() error {
			_, _, err := RenderTrend([]TrendSeries{{Label: "x", Years: []int{2020, 2021}, Counts: []float64{1, 2}, Projected: []bool{true}}}, ChartOptions{NoFont: true})
			return err
		},
		"negative count": func() error {
			_, _, err := RenderTrend([]TrendSeries{{Label: "x", Years: []int{2020}, Counts: []float64{-1}}}, ChartOptions{NoFont: true})
			return err
		},
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.Contains(err.Error(), "chart") {
			t.Errorf("%s: error %q does not say which chart", name, err)
		}
	}
}

// TestWriteChartsForReview writes the charts to $CATCHMENT_RENDER_OUT.
func TestWriteChartsForReview(t *testing.T) {
	dir := os.Getenv("CATCHMENT_RENDER_OUT")
	if dir == "" {
		t.Skip("set CATCHMENT_RENDER_OUT=dir to write the charts for review")
	}
	pts, ss := kumamotoScatter(t), kumamotoTrend(t)
	for _, fc := range fontCases(t) {
		img, warns, err := RenderScatter(pts, ChartOptions{Fonts: fc.fonts, Threshold: 5, Source: "Counter counts: DEMO figures; distances geodesic (WGS84)"})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("scatter %s: %q", fc.name, warns)
		if err := WritePNG(filepath.Join(dir, "scatter_"+fc.name+".png"), img); err != nil {
			t.Fatal(err)
		}
		img, warns, err = RenderTrend(ss, ChartOptions{Fonts: fc.fonts, Source: "Counter counts: DEMO figures"})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("trend %s: %q", fc.name, warns)
		if err := WritePNG(filepath.Join(dir, "trend_"+fc.name+".png"), img); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkRenderTrendKumamoto draws the trend chart of the embedded DEMO
// series (19 offices, 8 years, 6 panels) at 1600 × 1000 px.
func BenchmarkRenderTrendKumamoto(b *testing.B) {
	ss := kumamotoTrend(b)
	fonts, _, err := LoadFonts("")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := RenderTrend(ss, ChartOptions{Fonts: fonts}); err != nil {
			b.Fatal(err)
		}
	}
}
