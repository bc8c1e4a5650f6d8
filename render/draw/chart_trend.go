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

// TrendSeries is one office's counter transactions per year.
type TrendSeries struct {
	Label   string // office name (Japanese)
	LabelEn string // romanised name, used without a Japanese font
	Group   string // ward the office belongs to; offices are grouped by it
	GroupEn string
	Years   []int
	Counts  []float64
}

// trendLegendPt is the width of the trend chart's legend, in points.
const trendLegendPt = 190.0

// RenderTrend draws counter transactions per office per year: one line per
// office, offices of a ward in shades of the ward's colour, with a legend
// grouped by ward.
func RenderTrend(series []TrendSeries, opt ChartOptions) (image.Image, []string, error) {
	img, _, warns, err := renderTrend(series, opt)
	return img, warns, err
}

// trendGroup is the offices of one ward, in input order.
type trendGroup struct {
	name    string
	members []int
}

func renderTrend(series []TrendSeries, opt ChartOptions) (image.Image, *chart, []string, error) {
	if len(series) == 0 {
		return nil, nil, nil, errors.New("trend chart: no series")
	}
	ymin, ymax := math.MaxInt, math.MinInt
	cmax := 0.0
	for i, s := range series {
		if len(s.Years) != len(s.Counts) {
			return nil, nil, nil, fmt.Errorf("trend chart: series %d (%s): %d years but %d counts", i, s.Label, len(s.Years), len(s.Counts))
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
			cmax = math.Max(cmax, v)
		}
	}
	c, err := newChart(opt, trendLegendPt)
	if err != nil {
		return nil, nil, nil, err
	}
	d := c.opt.DPI
	dc := c.p.dc

	// Groups in order of first appearance; colours by group, shades within.
	var groups []trendGroup
	gi := map[string]int{}
	for i, s := range series {
		k, ok := gi[s.Group]
		if !ok {
			k = len(groups)
			gi[s.Group] = k
			groups = append(groups, trendGroup{name: s.Group})
		}
		groups[k].members = append(groups[k].members, i)
	}
	colours := make([]color.RGBA, len(series))
	marks := make([]int, len(series))
	for g, grp := range groups {
		base := groupHues[g%len(groupHues)]
		for k, i := range grp.members {
			// Shades from darker to lighter, never so light the line fades.
			t := 0.0
			if n := len(grp.members); n > 1 {
				t = -0.35 + 0.8*float64(k)/float64(n-1)
			}
			colours[i] = shade(base, t)
			marks[i] = k % 4
		}
	}

	if ymin == ymax {
		ymin, ymax = ymin-1, ymax+1
	}
	c.x0, c.x1 = float64(ymin)-0.3, float64(ymax)+0.3
	yt := niceTicks(0, cmax*1.08, 6)
	c.y0, c.y1 = 0, yt[len(yt)-1]
	var xt []float64
	step := int(math.Max(1, math.Ceil(float64(ymax-ymin)/10)))
	for y := ymin; y <= ymax; y += step {
		xt = append(xt, float64(y))
	}
	title := c.text("title", opt.Title, c.txt("窓口取扱件数の推移（窓口別）", "Counter transactions per year, by office"))
	xl := c.text("x label", opt.XLabel, c.txt("年度", "Year"))
	yl := c.text("y label", opt.YLabel, c.txt("窓口取扱件数（件）", "Counter transactions"))
	c.frame(title, xl, yl, xt, yt, func(v float64) string { return strconv.Itoa(int(v)) }, numfmt.Thousands)

	for i, s := range series {
		dc.SetColor(colours[i])
		dc.SetLineWidth(pt(1.5, d))
		dc.SetLineJoin(gg.LineJoinRound)
		for k := range s.Years {
			x, y := c.X(float64(s.Years[k])), c.Y(s.Counts[k])
			if k == 0 {
				dc.MoveTo(x, y)
			} else {
				dc.LineTo(x, y)
			}
		}
		dc.Stroke()
		for k := range s.Years {
			drawMarker(dc, marks[i], px{c.X(float64(s.Years[k])), c.Y(s.Counts[k])}, pt(2.6, d), colours[i], d)
		}
	}

	// Legend: ward headings, then their offices.
	x0 := c.plot.X1 + pt(14, d)
	y := c.plot.Y0 + pt(4, d)
	avail := float64(c.opt.Width) - x0 - pt(6, d)
	rowH := pt(11.5, d)
	for _, grp := range groups {
		name := grp.name
		if len(grp.members) > 0 {
			s := series[grp.members[0]]
			name, _ = c.fonts.labelText("group", s.Group, s.GroupEn)
		}
		if name == "" {
			name = c.txt("（区分なし）", "(no group)")
		}
		y += pt(10, d)
		c.p.text(name, x0, y, 9, true, colInk)
		y += pt(3, d)
		for _, i := range grp.members {
			s := series[i]
			fallback := s.LabelEn
			if fallback == "" {
				fallback = fmt.Sprintf("#%d", i+1)
			}
			text, warn := c.fonts.labelText("series", s.Label, fallback)
			if warn != "" {
				c.warns = append(c.warns, warn)
			}
			y += rowH
			if y > float64(c.opt.Height)-pt(8, d) {
				c.warns = append(c.warns, fmt.Sprintf("trend chart: legend cut short at series %d (%s): make the chart taller", i, text))
				return dc.Image(), c, c.warns, nil
			}
			ly := y - pt(3, d)
			dc.SetColor(colours[i])
			dc.SetLineWidth(pt(1.5, d))
			dc.DrawLine(x0, ly, x0+pt(16, d), ly)
			dc.Stroke()
			drawMarker(dc, marks[i], px{x0 + pt(8, d), ly}, pt(2.6, d), colours[i], d)
			for len([]rune(text)) > 1 {
				if w, _, _ := c.p.measure(text, 8, false); w <= avail-pt(21, d) {
					break
				}
				text = string([]rune(text)[:len([]rune(text))-2]) + "…"
			}
			c.p.text(text, x0+pt(21, d), y, 8, false, colInk)
			c.labels = append(c.labels, placedLabel{Text: text})
		}
		y += pt(4, d)
	}
	return dc.Image(), c, c.warns, nil
}

// drawMarker draws marker shape k (circle, square, triangle, diamond).
func drawMarker(dc *gg.Context, k int, c px, r float64, col color.RGBA, dpi float64) {
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
	dc.SetColor(col)
	dc.FillPreserve()
	dc.SetColor(colPaper)
	dc.SetLineWidth(pt(0.6, dpi))
	dc.Stroke()
}
