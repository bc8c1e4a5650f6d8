package draw

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
	"strconv"

	"github.com/fogleman/gg"

	"github.com/kumamoto-gis/catchment/render/internal/numfmt"
)

// TrendSeries is one office's counter transactions per year.
type TrendSeries struct {
	Label   string // office name (Japanese)
	LabelEn string // romanised name, used without a Japanese font
	// Short and ShortEn name the line at its end, inside a panel whose
	// title already says the ward and kind ("幸田" for 幸田総合出張所);
	// Label and LabelEn when empty.
	Short, ShortEn string
	Group          string // ward the office belongs to; its branch offices share a panel
	GroupEn        string
	// Ward marks a ward office: ward offices share the first panel, on their
	// own scale; the other offices are drawn in one panel per Group, all on
	// one shared scale.
	Ward   bool
	Years  []int
	Counts []float64
	// Projected marks the years that are projections, drawn dashed with
	// open markers over a shaded band (nil: none).
	Projected []bool
}

// RenderTrend draws counter transactions per office per year as small
// multiples: a panel of the ward offices, then one panel of branch offices
// per ward on a scale shared by every branch panel, so that branch offices
// are not squeezed under the ward offices' counts and compare across
// wards. Each line is named at its end; projected years are dashed.
func RenderTrend(series []TrendSeries, opt ChartOptions) (image.Image, []string, error) {
	img, _, warns, err := renderTrend(series, opt)
	return img, warns, err
}

// trendPanel is one panel of the trend chart: its series, in input order.
type trendPanel struct {
	ward    bool // the ward-office panel
	group   int  // first series of the group (for its name)
	members []int
	plot    box
	ymax    float64
}

// trendMinPanelW and trendMinPanelH are the smallest panel plot, in points,
// that stays readable.
const trendMinPanelW, trendMinPanelH = 110.0, 70.0

func renderTrend(series []TrendSeries, opt ChartOptions) (image.Image, *chart, []string, error) {
	if len(series) == 0 {
		return nil, nil, nil, errors.New("trend chart: no series")
	}
	ymin, ymax := math.MaxInt, math.MinInt
	firstProjected := math.MaxInt
	for i, s := range series {
		if len(s.Years) != len(s.Counts) {
			return nil, nil, nil, fmt.Errorf("trend chart: series %d (%s): %d years but %d counts", i, s.Label, len(s.Years), len(s.Counts))
		}
		if s.Projected != nil && len(s.Projected) != len(s.Years) {
			return nil, nil, nil, fmt.Errorf("trend chart: series %d (%s): %d years but %d projected flags", i, s.Label, len(s.Years), len(s.Projected))
		}
		if len(s.Years) == 0 {
			return nil, nil, nil, fmt.Errorf("trend chart: series %d (%s): no years", i, s.Label)
		}
		seen := map[int]bool{}
		for k, y := range s.Years {
			if seen[y] {
				return nil, nil, nil, fmt.Errorf("trend chart: series %d (%s): year %d given twice", i, s.Label, y)
			}
			seen[y] = true
			if k > 0 && y < s.Years[k-1] {
				return nil, nil, nil, fmt.Errorf("trend chart: series %d (%s): years not ascending at %d", i, s.Label, y)
			}
			v := s.Counts[k]
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, nil, nil, fmt.Errorf("trend chart: series %d (%s): year %d: count %g: want a finite count ≥ 0", i, s.Label, y, v)
			}
			ymin, ymax = min(ymin, y), max(ymax, y)
			if s.projected(k) {
				firstProjected = min(firstProjected, y)
			}
		}
	}
	c, err := newChart(opt, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	d := c.opt.DPI
	area := c.plot

	// Panels: the ward offices, then each group's other offices, in order
	// of first appearance.
	var panels []*trendPanel
	var wards *trendPanel
	byGroup := map[string]*trendPanel{}
	var branchMax float64
	for i, s := range series {
		m := 0.0
		for _, v := range s.Counts {
			m = math.Max(m, v)
		}
		var p *trendPanel
		if s.Ward {
			if wards == nil {
				wards = &trendPanel{ward: true, group: i}
				panels = append([]*trendPanel{wards}, panels...)
			}
			p = wards
			p.ymax = math.Max(p.ymax, m)
		} else {
			if p = byGroup[s.Group]; p == nil {
				p = &trendPanel{group: i}
				byGroup[s.Group] = p
				panels = append(panels, p)
			}
			branchMax = math.Max(branchMax, m)
		}
		p.members = append(p.members, i)
	}
	for _, p := range panels {
		if !p.ward {
			p.ymax = branchMax
		}
	}

	// The grid of panels: the columns that make panels nearest to 1.3 times
	// as wide as tall, counting an empty cell as a worse fit.
	n := len(panels)
	cols, best := 1, math.Inf(1)
	for k := 1; k <= n; k++ {
		r := (n + k - 1) / k
		aspect := (float64(c.opt.Width) / float64(k)) / ((area.Y1 - pt(36, d)) / float64(r))
		if fit := math.Abs(math.Log(aspect/1.3)) + 0.25*float64(k*r-n); fit < best {
			cols, best = k, fit
		}
	}
	rows := (n + cols - 1) / cols

	// Room around each panel's plot: its title above, tick labels left and
	// below, the line names right.
	titleH := pt(16, d)
	tickW := 0.0
	for _, p := range panels {
		for _, v := range niceTicks(0, math.Max(p.ymax, 1)*1.08, 4) {
			w, _, _ := c.p.measure(numfmt.Thousands(v), 8, false)
			tickW = math.Max(tickW, w)
		}
	}
	names := make([]string, len(series))
	nameW := 0.0
	for i, s := range series {
		short, shortEn := s.Short, s.ShortEn
		if short == "" {
			short = s.Label
		}
		if shortEn == "" {
			shortEn = s.LabelEn
		}
		if shortEn == "" {
			shortEn = fmt.Sprintf("#%d", i+1)
		}
		text, warn := c.fonts.labelText("series", short, shortEn)
		if warn != "" {
			c.warns = append(c.warns, warn)
		}
		names[i] = text
		w, _, _ := c.p.measure(text, 8, false)
		nameW = math.Max(nameW, w)
	}
	nameW = math.Min(nameW, pt(90, d))
	// The grid spans the image between the rotated y label and the right
	// edge, from under the title to just above the x label.
	grid := box{pt(30, d), pt(36, d), float64(c.opt.Width) - pt(6, d), area.Y1 + pt(14, d)}
	cellW := (grid.X1 - grid.X0) / float64(cols)
	cellH := (grid.Y1 - grid.Y0) / float64(rows)
	padL := tickW + pt(7, d)
	padR := nameW + pt(14, d)
	padB := pt(22, d)
	for k, p := range panels {
		col, row := k%cols, k/cols
		x0 := grid.X0 + float64(col)*cellW
		y0 := grid.Y0 + float64(row)*cellH
		p.plot = box{x0 + padL, y0 + titleH, x0 + cellW - padR, y0 + cellH - padB}
		if p.plot.X1-p.plot.X0 < pt(trendMinPanelW, d) || p.plot.Y1-p.plot.Y0 < pt(trendMinPanelH, d) {
			return nil, nil, nil, fmt.Errorf("trend chart: %d panels (%d×%d) do not fit %d×%d px: make the chart larger or give fewer wards", n, cols, rows, c.opt.Width, c.opt.Height)
		}
	}
	c.nameW = nameW

	title := c.text("title", opt.Title, c.txt("窓口取扱件数の推移（区役所・出張所別）", "Counter transactions per year, by office"))
	c.p.text(title, pt(30, d), pt(24, d), 15, true, colInk)
	xl := c.text("x label", opt.XLabel, c.txt("年度", "Fiscal year"))
	yl := c.text("y label", opt.YLabel, c.txt("窓口取扱件数（件／年）", "Counter transactions per year"))

	// A grid line every year, a label every year that leaves room for it.
	var xt []float64
	for y := ymin; y <= ymax; y++ {
		xt = append(xt, float64(y))
	}
	yearW, _, _ := c.p.measure("2000", 8, false)
	perYear := (panels[0].plot.X1 - panels[0].plot.X0) / (float64(ymax-ymin) + 0.8)
	labelEvery := max(1, int(math.Ceil((yearW+pt(4, d))/perYear)))
	yearLabel := func(v float64) string {
		if (int(v)-ymin)%labelEvery != 0 {
			return ""
		}
		return strconv.Itoa(int(v))
	}
	top := map[*trendPanel]float64{}
	for _, p := range panels {
		yt := niceTicks(0, math.Max(p.ymax, 1)*1.08, 4)
		top[p] = yt[len(yt)-1]
	}
	if wards != nil && len(panels) > 1 {
		c.scaleRatio = top[wards] / top[panels[1]]
	}
	for _, p := range panels {
		c.plot = p.plot
		c.x0, c.x1 = float64(ymin)-0.4, float64(ymax)+0.4
		if ymin == ymax {
			c.x0, c.x1 = float64(ymin)-1, float64(ymax)+1
		}
		yt := niceTicks(0, math.Max(p.ymax, 1)*1.08, 4)
		c.y0, c.y1 = 0, top[p]
		if firstProjected != math.MaxInt {
			// The projected years, shaded behind the grid.
			x := math.Max(c.plot.X0, c.X(float64(firstProjected)-0.5))
			c.p.dc.SetColor(colProjected)
			c.p.dc.DrawRectangle(x, c.plot.Y0, c.plot.X1-x, c.plot.Y1-c.plot.Y0)
			c.p.dc.Fill()
		}
		c.axes(xt, yt, yearLabel, numfmt.Thousands)
		c.panelTitle(series, p)
		c.drawPanelLines(series, names, p)
	}
	c.plot = box{grid.X0, grid.Y0, grid.X1, area.Y1}
	c.axisLabels(xl, yl, c.plot)
	c.trendKey(firstProjected != math.MaxInt, c.plot)
	c.sourceLine()
	return c.p.dc.Image(), c, c.warns, nil
}

// projected reports whether year k of s is a projection.
func (s TrendSeries) projected(k int) bool { return s.Projected != nil && s.Projected[k] }

// colProjected shades the projected years of the trend chart.
var colProjected = hex(0xf2f2f2)

// panelTitle names a panel: the ward offices, or a ward's branch offices.
func (c *chart) panelTitle(series []TrendSeries, p *trendPanel) {
	s := series[p.group]
	var t string
	switch {
	case p.ward && c.scaleRatio != 0 && c.scaleRatio != 1:
		// Say that the ward offices are drawn on another scale.
		r := math.Round(c.scaleRatio*10) / 10
		about, aboutEn := "", ""
		if r != c.scaleRatio {
			about, aboutEn = "約", "about "
		}
		rs := strconv.FormatFloat(r, 'f', -1, 64)
		t = c.txt("区役所（縦軸は出張所の"+about+rs+"倍）", "Ward offices (y axis "+aboutEn+rs+"× the branch panels')")
	case p.ward:
		t = c.txt("区役所", "Ward offices")
	case s.Group == "" && s.GroupEn == "":
		t = c.txt("出張所（区の指定なし）", "Branch offices (no ward)")
	default:
		name, _ := c.fonts.labelText("group", s.Group, s.GroupEn)
		t = c.txt(name+"の出張所", name+": branch offices")
	}
	c.p.text(t, c.plot.X0, c.plot.Y0-pt(6, c.opt.DPI), 9.5, true, colInk)
}

// drawPanelLines draws a panel's lines, recorded years solid and projected
// years dashed with open markers, and names each line at its end; names
// that would overlap are moved apart, with a thin leader to their line.
func (c *chart) drawPanelLines(series []TrendSeries, names []string, p *trendPanel) {
	d := c.opt.DPI
	dc := c.p.dc
	colours := make([]color.RGBA, len(p.members))
	for k := range p.members {
		colours[k] = groupHues[k%len(groupHues)]
	}
	for k, i := range p.members {
		s := series[i]
		dc.SetColor(colours[k])
		dc.SetLineWidth(pt(1.5, d))
		dc.SetLineJoin(gg.LineJoinRound)
		for j := 1; j < len(s.Years); j++ {
			if s.projected(j) {
				dc.SetDash(pt(4, d), pt(2.5, d))
			} else {
				dc.SetDash()
			}
			dc.DrawLine(c.X(float64(s.Years[j-1])), c.Y(s.Counts[j-1]), c.X(float64(s.Years[j])), c.Y(s.Counts[j]))
			dc.Stroke()
		}
		dc.SetDash()
		for j := range s.Years {
			at := px{c.X(float64(s.Years[j])), c.Y(s.Counts[j])}
			if s.projected(j) {
				drawOpenMarker(dc, k%4, at, pt(2.3, d), colours[k], d)
			} else {
				drawMarker(dc, k%4, at, pt(2.6, d), colours[k], d)
			}
		}
	}

	// Line names at the lines' ends, spread to avoid each other.
	_, asc, desc := c.p.measure("幸Ag", 8, false)
	h := asc + desc + pt(1, d)
	type end struct {
		k      int
		x, y   float64 // the line's last point
		labelY float64 // the name's vertical centre
	}
	ends := make([]end, len(p.members))
	for k, i := range p.members {
		s := series[i]
		last := len(s.Years) - 1
		y := c.Y(s.Counts[last])
		ends[k] = end{k: k, x: c.X(float64(s.Years[last])), y: y, labelY: y}
	}
	sort.SliceStable(ends, func(a, b int) bool { return ends[a].y < ends[b].y })
	spread(len(ends), func(j int) *float64 { return &ends[j].labelY }, h, c.plot.Y0+h/2, c.plot.Y1-h/2)
	lx := c.plot.X1 + pt(10, d)
	for _, e := range ends {
		i := p.members[e.k]
		dc.SetColor(colours[e.k])
		dc.SetLineWidth(pt(0.6, d))
		dc.DrawLine(e.x+pt(3.5, d), e.y, lx-pt(2, d), e.labelY)
		dc.Stroke()
		text := names[i]
		avail := c.nameW
		for len([]rune(text)) > 1 {
			if w, _, _ := c.p.measure(text, 8, false); w <= avail {
				break
			}
			text = string([]rune(text)[:len([]rune(text))-2]) + "…"
		}
		base := e.labelY + (asc-desc)/2
		c.p.text(text, lx, base, 8, false, shade(colours[e.k], -0.35))
		w, _, _ := c.p.measure(text, 8, false)
		c.labels = append(c.labels, placedLabel{Text: text, Box: box{lx, base - asc, lx + w, base + desc}})
	}
}

// spread moves n positions, sorted ascending, at least gap apart, keeping
// them within lo..hi when they fit and each as near its start as it can.
func spread(n int, at func(int) *float64, gap, lo, hi float64) {
	for j := 0; j < n; j++ {
		v := at(j)
		*v = math.Max(*v, lo)
		if j > 0 {
			*v = math.Max(*v, *at(j - 1)+gap)
		}
	}
	for j := n - 1; j >= 0; j-- {
		v := at(j)
		*v = math.Min(*v, hi)
		if j < n-1 {
			*v = math.Min(*v, *at(j + 1)-gap)
		}
	}
	// Too many to fit: the top one went above lo; stack from lo instead.
	if n > 0 && *at(0) < lo {
		for j := 0; j < n; j++ {
			*at(j) = lo + float64(j)*gap
		}
	}
}

// trendKey explains the line styles under the panels, on the right:
// recorded years solid, projected years dashed over a shaded band.
func (c *chart) trendKey(projected bool, area box) {
	if !projected {
		return
	}
	d := c.opt.DPI
	dc := c.p.dc
	keys := []struct {
		dashed bool
		s      string
	}{
		{false, c.txt("実績", "recorded")},
		{true, c.txt("見込み（網掛けの年度）", "projected (shaded years)")},
	}
	x := area.X1
	y := area.Y1 + pt(30, d)
	for k := len(keys) - 1; k >= 0; k-- {
		w, asc, _ := c.p.measure(keys[k].s, 8, false)
		x -= w
		c.p.text(keys[k].s, x, y, 8, false, colInk)
		x -= pt(4, d)
		ly := y - asc/2 + pt(0.5, d)
		if keys[k].dashed {
			dc.SetColor(colProjected)
			dc.DrawRectangle(x-pt(20, d), ly-pt(5, d), pt(20, d), pt(10, d))
			dc.Fill()
			dc.SetDash(pt(4, d), pt(2.5, d))
		}
		dc.SetColor(colMuted)
		dc.SetLineWidth(pt(1.5, d))
		dc.DrawLine(x-pt(20, d), ly, x, ly)
		dc.Stroke()
		dc.SetDash()
		if keys[k].dashed {
			drawOpenMarker(dc, 0, px{x - pt(10, d), ly}, pt(2.3, d), colMuted, d)
		} else {
			drawMarker(dc, 0, px{x - pt(10, d), ly}, pt(2.6, d), colMuted, d)
		}
		x -= pt(20, d) + pt(12, d)
	}
}

// markerPath traces marker shape k (circle, square, triangle, diamond).
func markerPath(dc *gg.Context, k int, c px, r float64) {
	switch k {
	case 0:
		dc.DrawCircle(c.X, c.Y, r)
	case 1:
		dc.DrawRectangle(c.X-r*0.9, c.Y-r*0.9, 1.8*r, 1.8*r)
	case 2:
		dc.MoveTo(c.X, c.Y-r*1.2)
		dc.LineTo(c.X+r*1.1, c.Y+r*0.8)
		dc.LineTo(c.X-r*1.1, c.Y+r*0.8)
		dc.ClosePath()
	default:
		dc.MoveTo(c.X, c.Y-r*1.2)
		dc.LineTo(c.X+r*1.1, c.Y)
		dc.LineTo(c.X, c.Y+r*1.2)
		dc.LineTo(c.X-r*1.1, c.Y)
		dc.ClosePath()
	}
}

// drawMarker draws marker shape k filled with col, outlined in white.
func drawMarker(dc *gg.Context, k int, c px, r float64, col color.RGBA, dpi float64) {
	markerPath(dc, k, c, r)
	dc.SetColor(col)
	dc.FillPreserve()
	dc.SetColor(colPaper)
	dc.SetLineWidth(pt(0.6, dpi))
	dc.Stroke()
}

// drawOpenMarker draws marker shape k open: white inside, outlined in col.
func drawOpenMarker(dc *gg.Context, k int, c px, r float64, col color.RGBA, dpi float64) {
	markerPath(dc, k, c, r)
	dc.SetColor(colPaper)
	dc.FillPreserve()
	dc.SetColor(col)
	dc.SetLineWidth(pt(1.1, dpi))
	dc.Stroke()
}
