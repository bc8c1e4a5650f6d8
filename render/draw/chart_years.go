package draw

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/kumamoto-gis/catchment/render/internal/numfmt"
)

// YearLine is one line of a year chart: a value per year (NaN: none).
type YearLine struct {
	Label  Bilingual
	Values []float64
	Color  color.RGBA
	Dashed bool
}

// YearMark is a reference value drawn across a year chart as a dotted
// line, labelled at its right end (a figure from a document, say).
type YearMark struct {
	Label Bilingual
	Value float64
}

// YearLineData is a line chart over fiscal years.
type YearLineData struct {
	Years []int
	// Projected marks the projected years, shaded (nil: none).
	Projected []bool
	Lines     []YearLine
	Marks     []YearMark
	// Title, YLabel and Heading (the legend's) are the chart's texts;
	// Note is printed under the legend.
	Title, YLabel, Heading, Note Bilingual
}

// YearStack is one part of the stacked bars of a year chart.
type YearStack struct {
	Label  Bilingual
	Values []float64
	Color  color.RGBA
}

// YearBarData is a stacked bar chart over fiscal years: one bar per year,
// the stacks from the bottom up.
type YearBarData struct {
	Years     []int
	Projected []bool
	Stacks    []YearStack
	// Title, YLabel and Heading (the legend's) are the chart's texts;
	// Note is printed under the legend.
	Title, YLabel, Heading, Note Bilingual
}

// yearLegendPt is the room right of the plot for the legend, in points.
const yearLegendPt = 190.0

// checkYears checks a year chart's years and the length of its series.
func checkYears(what string, years []int, projected []bool, series int, values func(k int) []float64, label func(k int) string) error {
	if len(years) == 0 {
		return fmt.Errorf("%s: no years", what)
	}
	for i := 1; i < len(years); i++ {
		if years[i] <= years[i-1] {
			return fmt.Errorf("%s: years not ascending at %d", what, years[i])
		}
	}
	if projected != nil && len(projected) != len(years) {
		return fmt.Errorf("%s: %d years but %d projected flags", what, len(years), len(projected))
	}
	if series == 0 {
		return fmt.Errorf("%s: nothing to draw", what)
	}
	for k := 0; k < series; k++ {
		v := values(k)
		if len(v) != len(years) {
			return fmt.Errorf("%s: %s has %d values for %d years", what, label(k), len(v), len(years))
		}
		for i, x := range v {
			if math.IsInf(x, 0) {
				return fmt.Errorf("%s: %s, %d: value %g is not finite", what, label(k), years[i], x)
			}
		}
	}
	return nil
}

// yearAxes sets the x range to the years and draws the shading of the
// projected years, the grid, the ticks, the title, the axis labels and the
// source line.
func (c *chart) yearAxes(years []int, projected []bool, ymax float64, title, ylabel string) {
	d := c.opt.DPI
	c.x0, c.x1 = float64(years[0])-0.6, float64(years[len(years)-1])+0.6
	yt := niceTicks(0, math.Max(ymax, 1)*1.08, 6)
	c.y0, c.y1 = 0, yt[len(yt)-1]
	first := -1
	for i := range years {
		if projected != nil && projected[i] {
			first = i
			break
		}
	}
	if first >= 0 {
		x := math.Max(c.plot.X0, c.X(float64(years[first])-0.5))
		c.p.dc.SetColor(colProjected)
		c.p.dc.DrawRectangle(x, c.plot.Y0, c.plot.X1-x, c.plot.Y1-c.plot.Y0)
		c.p.dc.Fill()
	}
	var xt []float64
	for _, y := range years {
		xt = append(xt, float64(y))
	}
	yearW, _, _ := c.p.measure("2000", 8, false)
	perYear := (c.plot.X1 - c.plot.X0) / (c.x1 - c.x0)
	every := max(1, int(math.Ceil((yearW+pt(4, d))/perYear)))
	c.frame(title, c.txt("年度", "Fiscal year"), ylabel, xt, yt, func(v float64) string {
		if (int(v)-years[0])%every != 0 {
			return ""
		}
		return strconv.Itoa(int(v))
	}, numfmt.Thousands)
}

// yearKey is one entry of a year chart's legend.
type yearKey struct {
	text   string
	col    color.RGBA
	swatch bool // a filled square (bars); else a line
	dashed bool
	dotted bool
}

// yearLegend draws the legend right of the plot, top first, and the key of
// the projected years under it.
func (c *chart) yearLegend(heading string, rows []yearKey, projected bool, note string) {
	d := c.opt.DPI
	dc := c.p.dc
	x := c.plot.X1 + pt(14, d)
	avail := float64(c.opt.Width) - x - pt(6, d)
	y := c.plot.Y0 + pt(4, d)
	_, asc, _ := c.p.measure(heading, 9, true)
	c.p.text(heading, x, y+asc, 9, true, colInk)
	y += asc + pt(8, d)
	if projected {
		rows = append(rows, yearKey{text: c.txt("見込み（網掛けの年度）", "Projected (shaded years)"), col: colProjected, swatch: true})
	}
	for _, r := range rows {
		lines := c.p.wrap(r.text, avail-pt(26, d), 8, false)
		_, asc, desc := c.p.measure("幸Ag", 8, false)
		mid := y + asc/2 + pt(1, d)
		if r.swatch {
			dc.DrawRectangle(x, mid-pt(5, d), pt(18, d), pt(10, d))
			dc.SetColor(r.col)
			dc.FillPreserve()
			dc.SetColor(shade(r.col, -0.25))
			dc.SetLineWidth(pt(0.5, d))
			dc.Stroke()
		} else {
			switch {
			case r.dashed:
				dc.SetDash(pt(4, d), pt(2.5, d))
			case r.dotted:
				dc.SetDash(pt(1.2, d), pt(2, d))
			}
			dc.SetColor(r.col)
			dc.SetLineWidth(pt(1.8, d))
			dc.DrawLine(x, mid, x+pt(18, d), mid)
			dc.Stroke()
			dc.SetDash()
		}
		for _, l := range lines {
			tx := x + pt(24, d)
			c.p.text(l, tx, y+asc, 8, false, colInk)
			w, _, _ := c.p.measure(l, 8, false)
			c.labels = append(c.labels, placedLabel{Text: l, Box: box{tx, y, tx + w, y + asc + desc}})
			y += asc + desc + pt(2, d)
		}
		y += pt(5, d)
	}
	if note != "" {
		y += pt(4, d)
		_, asc, desc := c.p.measure("幸Ag", 7.5, false)
		for _, l := range c.p.wrap(note, avail, 7.5, false) {
			c.p.text(l, x, y+asc, 7.5, false, colMuted)
			w, _, _ := c.p.measure(l, 7.5, false)
			c.labels = append(c.labels, placedLabel{Text: l, Box: box{x, y, x + w, y + asc + desc}})
			y += asc + desc + pt(1.5, d)
		}
	}
}

// RenderYearLines draws lines of values per fiscal year (costs per
// certificate, say), with reference marks as dotted lines and the
// projected years shaded, in the look of the other charts, with a legend
// right of the plot.
func RenderYearLines(data YearLineData, opt ChartOptions) (image.Image, []string, error) {
	img, _, warns, err := renderYearLines(data, opt)
	return img, warns, err
}

func renderYearLines(data YearLineData, opt ChartOptions) (image.Image, *chart, []string, error) {
	err := checkYears("year chart", data.Years, data.Projected, len(data.Lines),
		func(k int) []float64 { return data.Lines[k].Values }, func(k int) string { return data.Lines[k].Label.En })
	if err != nil {
		return nil, nil, nil, err
	}
	for _, mk := range data.Marks {
		if math.IsNaN(mk.Value) || math.IsInf(mk.Value, 0) || mk.Value < 0 {
			return nil, nil, nil, fmt.Errorf("year chart: mark %q: value %g: want a finite value ≥ 0", mk.Label.En, mk.Value)
		}
	}
	c, err := newChart(opt, yearLegendPt)
	if err != nil {
		return nil, nil, nil, err
	}
	d := c.opt.DPI
	dc := c.p.dc
	ymax := 0.0
	for _, l := range data.Lines {
		for _, v := range l.Values {
			if !math.IsNaN(v) {
				ymax = math.Max(ymax, v)
			}
		}
	}
	for _, mk := range data.Marks {
		ymax = math.Max(ymax, mk.Value)
	}
	c.yearAxes(data.Years, data.Projected, ymax, c.bilingual("title", data.Title), c.bilingual("y label", data.YLabel))
	// Reference marks: dotted lines under the data, labelled after it.
	for _, mk := range data.Marks {
		y := c.Y(mk.Value)
		dc.SetColor(colMuted)
		dc.SetLineWidth(pt(1, d))
		dc.SetDash(pt(1.2, d), pt(2.4, d))
		dc.DrawLine(c.plot.X0, y, c.plot.X1, y)
		dc.Stroke()
		dc.SetDash()
	}
	var rows []yearKey
	for k, l := range data.Lines {
		col := l.Color
		if col == (color.RGBA{}) {
			col = groupHues[k%len(groupHues)]
		}
		dc.SetColor(col)
		dc.SetLineWidth(pt(2, d))
		if l.Dashed {
			dc.SetDash(pt(5, d), pt(3, d))
		}
		for i := 1; i < len(data.Years); i++ {
			a, b := l.Values[i-1], l.Values[i]
			if math.IsNaN(a) || math.IsNaN(b) {
				continue
			}
			dc.DrawLine(c.X(float64(data.Years[i-1])), c.Y(a), c.X(float64(data.Years[i])), c.Y(b))
			dc.Stroke()
		}
		dc.SetDash()
		for i, v := range l.Values {
			if math.IsNaN(v) {
				continue
			}
			at := px{c.X(float64(data.Years[i])), c.Y(v)}
			if data.Projected != nil && data.Projected[i] {
				drawOpenMarker(dc, k%4, at, pt(2.6, d), col, d)
			} else {
				drawMarker(dc, k%4, at, pt(2.9, d), col, d)
			}
		}
		rows = append(rows, yearKey{text: c.bilingual("line", l.Label), col: col, dashed: l.Dashed})
	}
	c.markLabels(data)
	if len(data.Marks) > 0 {
		rows = append(rows, yearKey{text: c.txt("点線：資料の数値", "Dotted: the document's figures"), col: colMuted, dotted: true})
	}
	c.yearLegend(c.bilingual("heading", data.Heading), rows, hasTrue(data.Projected), c.bilingual("note", data.Note))
	return dc.Image(), c, c.warns, nil
}

// markLabels labels each mark's dotted line where the label is clear of
// the lines, their markers and the other labels: just above or below the
// line, at the right end, the left end or between.
func (c *chart) markLabels(data YearLineData) {
	d := c.opt.DPI
	pl := newLabelPlacer(c.plot)
	// The data: a box around each marker and along each segment.
	r := pt(4, d)
	for _, l := range data.Lines {
		for i, v := range l.Values {
			if math.IsNaN(v) {
				continue
			}
			x, y := c.X(float64(data.Years[i])), c.Y(v)
			pl.block(box{x - r, y - r, x + r, y + r})
			if i == 0 || math.IsNaN(l.Values[i-1]) {
				continue
			}
			x0, y0 := c.X(float64(data.Years[i-1])), c.Y(l.Values[i-1])
			steps := int(math.Ceil(math.Hypot(x-x0, y-y0) / pt(3, d)))
			for k := 1; k < steps; k++ {
				t := float64(k) / float64(steps)
				px, py := x0+(x-x0)*t, y0+(y-y0)*t
				pl.block(box{px - pt(2, d), py - pt(2, d), px + pt(2, d), py + pt(2, d)})
			}
		}
	}
	for _, mk := range data.Marks {
		s := c.bilingual("mark", mk.Label)
		w, asc, desc := c.p.measure(s, 7.5, false)
		y := c.Y(mk.Value)
		gap := pt(2, d)
		placed := false
		for _, fx := range []float64{1, 0, 0.75, 0.25, 0.5} {
			x := c.plot.X0 + pt(4, d) + fx*(c.plot.X1-c.plot.X0-w-pt(8, d))
			for _, above := range []bool{true, false} {
				b := box{x, y + gap, x + w, y + gap + asc + desc}
				if above {
					b = box{x, y - gap - asc - desc, x + w, y - gap}
				}
				if pl.free(b) {
					pl.block(b)
					c.p.haloText(s, b.X0, b.Y0+asc, 7.5, false, colMuted)
					c.labels = append(c.labels, placedLabel{Text: s, Box: b})
					placed = true
					break
				}
			}
			if placed {
				break
			}
		}
		if !placed {
			c.warns = append(c.warns, fmt.Sprintf("year chart: no room for the label of mark %q", s))
		}
	}
}

// RenderYearBars draws stacked bars per fiscal year (certificates by
// channel, say), the projected years shaded, with a legend right of the
// plot.
func RenderYearBars(data YearBarData, opt ChartOptions) (image.Image, []string, error) {
	img, _, warns, err := renderYearBars(data, opt)
	return img, warns, err
}

func renderYearBars(data YearBarData, opt ChartOptions) (image.Image, *chart, []string, error) {
	err := checkYears("bar chart", data.Years, data.Projected, len(data.Stacks),
		func(k int) []float64 { return data.Stacks[k].Values }, func(k int) string { return data.Stacks[k].Label.En })
	if err != nil {
		return nil, nil, nil, err
	}
	for _, s := range data.Stacks {
		for i, v := range s.Values {
			if v < 0 {
				return nil, nil, nil, errors.New("bar chart: " + s.Label.En + ", " + strconv.Itoa(data.Years[i]) + ": a negative value cannot be stacked")
			}
		}
	}
	c, err := newChart(opt, yearLegendPt)
	if err != nil {
		return nil, nil, nil, err
	}
	d := c.opt.DPI
	dc := c.p.dc
	ymax := 0.0
	for i := range data.Years {
		sum := 0.0
		for _, s := range data.Stacks {
			if !math.IsNaN(s.Values[i]) {
				sum += s.Values[i]
			}
		}
		ymax = math.Max(ymax, sum)
	}
	c.yearAxes(data.Years, data.Projected, ymax, c.bilingual("title", data.Title), c.bilingual("y label", data.YLabel))
	barW := math.Min(pt(40, d), (c.X(1)-c.X(0))*0.62)
	for i, y := range data.Years {
		base := 0.0
		x := c.X(float64(y)) - barW/2
		for _, s := range data.Stacks {
			v := s.Values[i]
			if math.IsNaN(v) || v == 0 {
				continue
			}
			top := c.Y(base + v)
			dc.DrawRectangle(x, top, barW, c.Y(base)-top)
			dc.SetColor(s.Color)
			dc.FillPreserve()
			dc.SetColor(colPaper)
			dc.SetLineWidth(pt(0.6, d))
			dc.Stroke()
			base += v
		}
		// The bar's total over it.
		total := numfmt.Whole(base)
		w, _, desc := c.p.measure(total, 7.5, false)
		if w < barW*1.6 {
			c.p.text(total, c.X(float64(y))-w/2, c.Y(base)-desc-pt(3, d), 7.5, false, colMuted)
		}
		if data.Projected != nil && data.Projected[i] {
			// Projected bars get an outline, as the trend chart's open markers.
			dc.DrawRectangle(x, c.Y(base), barW, c.Y(0)-c.Y(base))
			dc.SetColor(colMuted)
			dc.SetLineWidth(pt(0.7, d))
			dc.SetDash(pt(2, d), pt(1.5, d))
			dc.Stroke()
			dc.SetDash()
		}
	}
	// The legend top-down in the order the stacks are seen: top stack
	// first; a stack that is empty every year is left out.
	var rows []yearKey
	for k := len(data.Stacks) - 1; k >= 0; k-- {
		s := data.Stacks[k]
		empty := true
		for _, v := range s.Values {
			empty = empty && (math.IsNaN(v) || v == 0)
		}
		if !empty {
			rows = append(rows, yearKey{text: c.bilingual("stack", s.Label), col: s.Color, swatch: true})
		}
	}
	c.yearLegend(c.bilingual("heading", data.Heading), rows, hasTrue(data.Projected), c.bilingual("note", data.Note))
	return dc.Image(), c, c.warns, nil
}

// bilingual picks b's Japanese or English text, with a warning and the
// English one when the font lacks glyphs of the Japanese one.
func (c *chart) bilingual(what string, b Bilingual) string {
	if b.Ja == "" || !c.fonts.Japanese() {
		return asciiOrSelf(c, b.En)
	}
	return c.text(what, b.Ja, b.En)
}

// asciiOrSelf is s, or its printable ASCII when the font lacks glyphs of s.
func asciiOrSelf(c *chart, s string) string {
	if miss := c.fonts.Missing(s); len(miss) > 0 {
		return asciiOnly(s)
	}
	return s
}

func hasTrue(v []bool) bool {
	for _, b := range v {
		if b {
			return true
		}
	}
	return false
}
