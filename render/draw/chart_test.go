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

// kumamotoTrend is ten years of demo counts per office of the default.
func kumamotoTrend(tb testing.TB) []TrendSeries {
	tb.Helper()
	ds, _, err := data.Default()
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	var ss []TrendSeries
	for _, o := range ds.Offices {
		base := 20000.0
		if o.CounterCount != nil {
			base = *o.CounterCount
		}
		s := TrendSeries{Label: o.Name, LabelEn: o.NameEn, Group: o.Ward, GroupEn: wardEn(o.Ward)}
		decline := 0.02 + 0.03*r.Float64()
		for y := 2015; y <= 2024; y++ {
			s.Years = append(s.Years, y)
			s.Counts = append(s.Counts, math.Round(base*math.Pow(1-decline, float64(2024-y))*(1+0.03*(r.Float64()-0.5))))
		}
		ss = append(ss, s)
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
		"no series": func() error { _, _, err := RenderTrend(nil, ChartOptions{NoFont: true}); return err },
		"len mismatch": func() error {
			_, _, err := RenderTrend([]TrendSeries{{Label: "x", Years: []int{2020}, Counts: nil}}, ChartOptions{NoFont: true})
			return err
		},
		"repeated year": func() error {
			_, _, err := RenderTrend([]TrendSeries{{Label: "x", Years: []int{2020, 2020}, Counts: []float64{1, 2}}}, ChartOptions{NoFont: true})
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
