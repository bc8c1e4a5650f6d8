package draw

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/fogleman/gg"

	"github.com/kumamoto-gis/catchment/render/internal/numfmt"
)

// ChartOptions controls the size, fonts and texts of a chart.
type ChartOptions struct {
	// Width and Height are the image size in pixels (default 1600 × 1000).
	Width, Height int
	// DPI scales text, markers and lines (default 144 at 1600 × 1000 px,
	// in proportion to the size otherwise).
	DPI float64
	// Fonts is the parsed font set; when nil, fonts are loaded from
	// FontPath, or searched for when FontPath is empty.
	Fonts    *Fonts
	FontPath string
	// NoFont forces the Latin-only fallback, whatever the machine has.
	NoFont bool
	// Title, XLabel and YLabel replace the defaults when not empty.
	Title, XLabel, YLabel string
	// Threshold draws a vertical line at this x (scatter, km); 0 = none.
	Threshold float64
	// Source is printed under the chart when not empty.
	Source string
}

// chart is one chart being drawn.
type chart struct {
	opt    ChartOptions
	fonts  *Fonts
	p      *painter
	plot   box // the plot area in pixels
	x0, x1 float64
	y0, y1 float64
	warns  []string
	labels []placedLabel
	nameW  float64 // trend chart: room for a line's name, px
	// scaleRatio is the trend chart's ward-panel scale over the branch
	// panels' (0: not stated).
	scaleRatio float64
}

// newChart checks the options and makes the canvas; rightPt is the room
// kept right of the plot for a legend, in points.
func newChart(opt ChartOptions, rightPt float64) (*chart, error) {
	if opt.Width == 0 {
		opt.Width = 1600
	}
	if opt.Height == 0 {
		opt.Height = 1000
	}
	if opt.DPI == 0 {
		// 144 DPI at 1600 × 1000 px, in proportion otherwise.
		opt.DPI = 144 * math.Min(float64(opt.Width)/1600, float64(opt.Height)/1000)
	}
	if opt.Width < 300 || opt.Width > 20000 || opt.Height < 200 || opt.Height > 20000 {
		return nil, fmt.Errorf("chart size %d×%d px: want 300–20000 × 200–20000", opt.Width, opt.Height)
	}
	if !(opt.DPI >= 36 && opt.DPI <= 1200) {
		return nil, fmt.Errorf("chart DPI %g: want 36 to 1200", opt.DPI)
	}
	fonts, warns, err := resolveFonts(opt.Fonts, opt.FontPath, opt.NoFont)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	c := &chart{opt: opt, fonts: fonts, warns: warns}
	c.p = newPainter(gg.NewContext(opt.Width, opt.Height), fonts, opt.DPI)
	d := opt.DPI
	bottom := pt(44, d)
	if opt.Source != "" {
		bottom += pt(12, d)
	}
	c.plot = box{pt(74, d), pt(48, d), float64(opt.Width) - pt(16+rightPt, d), float64(opt.Height) - bottom}
	if c.plot.X1-c.plot.X0 < pt(100, d) || c.plot.Y1-c.plot.Y0 < pt(60, d) {
		return nil, fmt.Errorf("chart size %d×%d px at %g DPI: too small for the plot", opt.Width, opt.Height, d)
	}
	c.p.dc.SetColor(colPaper)
	c.p.dc.Clear()
	return c, nil
}

// txt picks the Japanese or the English form of a fixed text.
func (c *chart) txt(ja, en string) string {
	if c.fonts.Japanese() {
		return ja
	}
	return en
}

// text returns s when the font can draw it, else def (with a warning).
func (c *chart) text(what, s, def string) string {
	if s == "" {
		return def
	}
	if miss := c.fonts.Missing(s); len(miss) > 0 {
		c.warns = append(c.warns, fmt.Sprintf("chart %s %q has glyphs the font lacks (%q); default used", what, s, string(miss)))
		return def
	}
	return s
}

// X and Y map data values to pixels.
func (c *chart) X(v float64) float64 {
	return c.plot.X0 + (v-c.x0)/(c.x1-c.x0)*(c.plot.X1-c.plot.X0)
}

func (c *chart) Y(v float64) float64 {
	return c.plot.Y1 - (v-c.y0)/(c.y1-c.y0)*(c.plot.Y1-c.plot.Y0)
}

// niceTicks returns about n round tick values covering [lo, hi] and the
// range they span.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := p
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*p >= raw {
			step = f * p
			break
		}
	}
	start := math.Floor(lo/step+1e-9) * step
	var ticks []float64
	for v := start; v <= hi+step*0.999; v += step {
		t, _ := strconv.ParseFloat(strconv.FormatFloat(math.Round(v/step)*step, 'g', 12, 64), 64) // drop float noise
		ticks = append(ticks, t)
	}
	return ticks
}

// frame draws the title, grid, ticks, axis labels and source line.
func (c *chart) frame(title, xlabel, ylabel string, xticks, yticks []float64, xfmt, yfmt func(float64) string) {
	c.p.text(title, c.plot.X0, pt(24, c.opt.DPI), 15, true, colInk)
	c.axes(xticks, yticks, xfmt, yfmt)
	c.axisLabels(xlabel, ylabel, c.plot)
	c.sourceLine()
}

// axes draws the grid, the tick labels and the axis lines of the plot.
func (c *chart) axes(xticks, yticks []float64, xfmt, yfmt func(float64) string) {
	d := c.opt.DPI
	dc := c.p.dc
	dc.SetLineWidth(pt(0.6, d))
	for _, v := range yticks {
		y := c.Y(v)
		dc.SetColor(colGrid)
		dc.DrawLine(c.plot.X0, y, c.plot.X1, y)
		dc.Stroke()
		s := yfmt(v)
		w, asc, _ := c.p.measure(s, 8, false)
		c.p.text(s, c.plot.X0-pt(5, d)-w, y+asc/2-pt(0.5, d), 8, false, colMuted)
	}
	for _, v := range xticks {
		x := c.X(v)
		dc.SetColor(colGrid)
		dc.DrawLine(x, c.plot.Y0, x, c.plot.Y1)
		dc.Stroke()
		s := xfmt(v)
		w, asc, _ := c.p.measure(s, 8, false)
		c.p.text(s, x-w/2, c.plot.Y1+pt(5, d)+asc, 8, false, colMuted)
	}
	dc.SetColor(colMuted)
	dc.SetLineWidth(pt(0.8, d))
	dc.DrawLine(c.plot.X0, c.plot.Y1, c.plot.X1, c.plot.Y1)
	dc.DrawLine(c.plot.X0, c.plot.Y0, c.plot.X0, c.plot.Y1)
	dc.Stroke()
}

// axisLabels draws the x label centred below area and the y label rotated
// along the left edge of the image, centred on area.
func (c *chart) axisLabels(xlabel, ylabel string, area box) {
	d := c.opt.DPI
	dc := c.p.dc
	w, _, _ := c.p.measure(xlabel, 9, false)
	c.p.text(xlabel, (area.X0+area.X1)/2-w/2, area.Y1+pt(30, d), 9, false, colInk)
	w, _, _ = c.p.measure(ylabel, 9, false)
	dc.Push()
	cx, cy := pt(16, d), (area.Y0+area.Y1)/2
	dc.RotateAbout(-math.Pi/2, cx, cy)
	c.p.text(ylabel, cx-w/2, cy, 9, false, colInk)
	dc.Pop()
}

// sourceLine prints the options' Source under the chart.
func (c *chart) sourceLine() {
	if c.opt.Source == "" {
		return
	}
	d := c.opt.DPI
	src := c.opt.Source
	if miss := c.fonts.Missing(src); len(miss) > 0 {
		if miss := c.fonts.MissingInLatin(src); len(miss) > 0 {
			c.warns = append(c.warns, fmt.Sprintf("chart source line has glyphs the font lacks (%q); printed without them", string(miss)))
		}
		src = asciiOnly(src)
	}
	// A long line shrinks to 6 pt, then loses its end, rather than run off
	// the image.
	size, avail := 7.5, float64(c.opt.Width)-c.plot.X0-pt(6, d)
	for w, _, _ := c.p.measure(src, size, false); w > avail && size > 6; w, _, _ = c.p.measure(src, size, false) {
		size -= 0.25
	}
	if w, _, _ := c.p.measure(src, size, false); w > avail {
		c.warns = append(c.warns, fmt.Sprintf("chart source line %q is too long for the chart: cut short", src))
		rs := []rune(src)
		for len(rs) > 1 {
			rs = rs[:len(rs)-1]
			if w, _, _ := c.p.measure(string(rs)+"…", size, false); w <= avail {
				break
			}
		}
		src = string(rs) + "…"
	}
	c.p.text(src, c.plot.X0, float64(c.opt.Height)-pt(8, d), size, false, colMuted)
}

// ScatterPoint is one labelled point of the scatter chart: X is the
// distance in km, Y the counter count.
type ScatterPoint struct {
	Label   string // Japanese label
	LabelEn string // romanised label, used without a Japanese font
	X, Y    float64
}

// LinearFit is a least-squares line y = Intercept + Slope·x.
type LinearFit struct {
	Slope, Intercept float64
	// R2 is the coefficient of determination (NaN when y does not vary).
	R2 float64
	N  int
}

// FitLine fits y = a + b·x by least squares. It needs at least two
// distinct x values.
func FitLine(xs, ys []float64) (LinearFit, error) {
	if len(xs) != len(ys) {
		return LinearFit{}, fmt.Errorf("fit line: %d x values, %d y values", len(xs), len(ys))
	}
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx, my = mx/n, my/n
	var sxx, sxy, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	if len(xs) < 2 || sxx == 0 {
		return LinearFit{}, errors.New("fit line: needs two distinct x values")
	}
	f := LinearFit{Slope: sxy / sxx, N: len(xs)}
	f.Intercept = my - f.Slope*mx
	f.R2 = math.NaN()
	if syy > 0 {
		f.R2 = sxy * sxy / (sxx * syy)
	}
	return f, nil
}

// RenderScatter draws the scatter chart (相関図) of distance to the nearest
// ward office (x, km) against counter count (y) for branch offices:
// labelled points, the threshold as a vertical line and the least-squares
// line with its r².
func RenderScatter(pts []ScatterPoint, opt ChartOptions) (image.Image, []string, error) {
	img, _, warns, err := renderScatter(pts, opt)
	return img, warns, err
}

func renderScatter(pts []ScatterPoint, opt ChartOptions) (image.Image, *chart, []string, error) {
	if len(pts) == 0 {
		return nil, nil, nil, errors.New("scatter chart: no points")
	}
	for i, p := range pts {
		if math.IsNaN(p.X) || math.IsInf(p.X, 0) || math.IsNaN(p.Y) || math.IsInf(p.Y, 0) || p.X < 0 {
			return nil, nil, nil, fmt.Errorf("scatter chart: point %d (%s): x=%g, y=%g: want finite values, x ≥ 0", i, p.Label, p.X, p.Y)
		}
	}
	if !(opt.Threshold >= 0 && opt.Threshold <= 20037.5) {
		return nil, nil, nil, fmt.Errorf("scatter chart: threshold %g km: want 0 to 20037.5 (half the equator)", opt.Threshold)
	}
	c, err := newChart(opt, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	d := c.opt.DPI
	dc := c.p.dc
	xmax, ymax := 0.0, 0.0
	for _, p := range pts {
		xmax, ymax = math.Max(xmax, p.X), math.Max(ymax, p.Y)
	}
	// A threshold far beyond the points would squeeze them into a corner:
	// it is then named at the right edge instead of drawn.
	offAxis := xmax > 0 && opt.Threshold > 3*xmax
	if !offAxis {
		xmax = math.Max(xmax, opt.Threshold)
	}
	xt := niceTicks(0, xmax*1.08, 7)
	yt := niceTicks(0, ymax*1.12, 6)
	c.x0, c.x1, c.y0, c.y1 = 0, xt[len(xt)-1], 0, yt[len(yt)-1]
	title := c.text("title", opt.Title, c.txt("出張所：最寄りの区役所までの距離と窓口取扱件数", "Branch offices: distance to the nearest ward office vs counter transactions"))
	xl := c.text("x label", opt.XLabel, c.txt("最寄りの区役所までの距離（km）", "Distance to the nearest ward office (km)"))
	yl := c.text("y label", opt.YLabel, c.txt("窓口取扱件数（件／年）", "Counter transactions per year"))
	c.frame(title, xl, yl, xt, yt, fmtKm, numfmt.Thousands)

	// The threshold and what it means.
	pl := newLabelPlacer(c.plot)
	if offAxis {
		s := c.txt(fmt.Sprintf("基準 %s km（軸の外）→", fmtKm(opt.Threshold)), fmt.Sprintf("threshold %s km (off the axis) →", fmtKm(opt.Threshold)))
		w, asc, desc := c.p.measure(s, 8.5, true)
		tx, ty := c.plot.X1-w-pt(3, d), c.plot.Y0+pt(3, d)+asc
		c.p.haloText(s, tx, ty, 8.5, true, colThreshold)
		pl.block(box{tx, ty - asc, tx + w, ty + desc})
	}
	if opt.Threshold > 0 && !offAxis {
		x := c.X(opt.Threshold)
		dc.SetColor(colThreshold)
		dc.SetLineWidth(pt(1.2, d))
		dc.SetDash(pt(4, d), pt(3, d))
		dc.DrawLine(x, c.plot.Y0, x, c.plot.Y1)
		dc.Stroke()
		dc.SetDash()
		s := c.txt(fmt.Sprintf("%s km", fmtKm(opt.Threshold)), fmt.Sprintf("%s km", fmtKm(opt.Threshold)))
		_, asc, desc := c.p.measure(s, 8.5, true)
		tx, ty := x+pt(3, d), c.plot.Y0+pt(3, d)+asc
		c.p.haloText(s, tx, ty, 8.5, true, colThreshold)
		w, _, _ := c.p.measure(s, 8.5, true)
		pl.block(box{tx, ty - asc, tx + w, ty + desc})
		pl.block(box{x - 2, c.plot.Y0, x + 2, c.plot.Y1}) // labels do not sit on the line
	}
	// The least-squares line, clipped to the plot.
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = p.X, p.Y
	}
	stats := ""
	if f, err := FitLine(xs, ys); err == nil {
		lo, hi := c.x0, c.x1
		dc.SetColor(colTrendLine)
		dc.SetLineWidth(pt(1, d))
		dc.SetDash(pt(6, d), pt(3, d))
		ya, yb := math.Max(c.y0, math.Min(c.y1, f.Intercept+f.Slope*lo)), math.Max(c.y0, math.Min(c.y1, f.Intercept+f.Slope*hi))
		// Recompute x where the line was clipped at the plot's top or bottom.
		xa, xb := lo, hi
		if f.Slope != 0 {
			xa, xb = (ya-f.Intercept)/f.Slope, (yb-f.Intercept)/f.Slope
		}
		dc.DrawLine(c.X(xa), c.Y(ya), c.X(xb), c.Y(yb))
		dc.Stroke()
		dc.SetDash()
		r2 := "–"
		if !math.IsNaN(f.R2) {
			r2 = fmt.Sprintf("%.2f", f.R2)
		}
		stats = c.txt(
			fmt.Sprintf("回帰直線  y = %s %s %s·x  （r² = %s、n = %d）", numfmt.Thousands(math.Round(f.Intercept)), sign(f.Slope), numfmt.Thousands(math.Abs(math.Round(f.Slope))), r2, f.N),
			fmt.Sprintf("Least squares: y = %s %s %s·x   (r² = %s, n = %d)", numfmt.Thousands(math.Round(f.Intercept)), sign(f.Slope), numfmt.Thousands(math.Abs(math.Round(f.Slope))), r2, f.N))
	} else {
		c.warns = append(c.warns, "scatter chart: no trend line: "+err.Error())
	}
	// Points, coloured by the side of the threshold.
	r := pt(3.6, d)
	for _, p := range pts {
		x, y := c.X(p.X), c.Y(p.Y)
		pl.block(box{x - r, y - r, x + r, y + r})
	}
	within, beyond := colBranch, hex(0xe08214)
	for _, p := range pts {
		x, y := c.X(p.X), c.Y(p.Y)
		dc.DrawCircle(x, y, r)
		if opt.Threshold > 0 && p.X > opt.Threshold {
			dc.SetColor(beyond)
		} else {
			dc.SetColor(within)
		}
		dc.FillPreserve()
		dc.SetColor(colPaper)
		dc.SetLineWidth(pt(0.8, d))
		dc.Stroke()
	}
	// The statistics line sits in the plot's upper left, clear of points.
	if stats != "" {
		w, asc, desc := c.p.measure(stats, 8, false)
		for _, y := range []float64{c.plot.Y0 + pt(6, d), c.plot.Y1 - pt(6, d) - asc - desc} {
			b := box{c.plot.X0 + pt(6, d), y, c.plot.X0 + pt(6, d) + w, y + asc + desc}
			if pl.free(b) || y != c.plot.Y0+pt(6, d) {
				pl.block(b)
				c.p.haloText(stats, b.X0, b.Y0+asc, 8, false, colTrendLine)
				break
			}
		}
	}
	// Labels, largest counts first (they matter most to the reader).
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	sortByDesc(order, func(i int) float64 { return pts[i].Y })
	for _, i := range order {
		p := pts[i]
		fallback := p.LabelEn
		if fallback == "" {
			fallback = fmt.Sprintf("#%d", i+1)
		}
		text, warn := c.fonts.labelText("point", p.Label, fallback)
		if warn != "" {
			c.warns = append(c.warns, warn)
		}
		if lb, ok := placeLabel(c.p, pl, text, 8, false, px{c.X(p.X), c.Y(p.Y)}, r, colInk); ok {
			c.labels = append(c.labels, lb)
		} else {
			c.warns = append(c.warns, fmt.Sprintf("scatter chart: no room for the label of point %d (%s)", i, text))
		}
	}
	// Key for the two colours, under the plot on the right.
	if opt.Threshold > 0 {
		keys := []struct {
			col color.RGBA
			s   string
		}{
			{within, c.txt(fmt.Sprintf("%s km 以内", fmtKm(opt.Threshold)), fmt.Sprintf("within %s km", fmtKm(opt.Threshold)))},
			{beyond, c.txt(fmt.Sprintf("%s km 超", fmtKm(opt.Threshold)), fmt.Sprintf("beyond %s km", fmtKm(opt.Threshold)))},
		}
		x := c.plot.X1
		y := c.plot.Y1 + pt(30, d)
		for k := len(keys) - 1; k >= 0; k-- {
			w, asc, _ := c.p.measure(keys[k].s, 8, false)
			x -= w
			c.p.text(keys[k].s, x, y, 8, false, colInk)
			x -= pt(4, d) + r
			dc.DrawCircle(x, y-asc/2+pt(0.5, d), r)
			dc.SetColor(keys[k].col)
			dc.Fill()
			x -= r + pt(12, d)
		}
	}
	return dc.Image(), c, c.warns, nil
}

func sign(v float64) string {
	if v < 0 {
		return "−"
	}
	return "+"
}

// sortByDesc sorts idx by key, largest first (stable).
func sortByDesc(idx []int, key func(i int) float64) {
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && key(idx[j]) > key(idx[j-1]); j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
}
