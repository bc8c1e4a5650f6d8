package draw

import (
	"errors"
	"fmt"
	"image"
	"math"
	"strconv"

	"github.com/fogleman/gg"
)

// CurvePoint is one plan of a trade-off curve: X the number of offices, Y
// the plan's figure (the mean distance, say).
type CurvePoint struct {
	X, Y float64
	// Proven is false when the plan is only the best found, not proven
	// optimal: it is drawn hollow.
	Proven bool
	// Note labels the point (Japanese, and romanised for a Latin font),
	// e.g. the offices that join or leave the plan; may be empty.
	Note, NoteEn string
}

// CurveMark is a plan drawn beside the curve for comparison, such as the
// one a distance rule gives.
type CurveMark struct {
	X, Y           float64
	Label, LabelEn string
}

// CurveText are a curve chart's texts, Japanese and English.
type CurveText struct {
	Title, TitleEn   string
	XLabel, XLabelEn string
	YLabel, YLabelEn string
	// Decimals is the number of decimals of the y tick labels.
	Decimals int
}

// RenderCurve draws a trade-off curve (the best plan's figure against the
// number of offices kept): a line through the plans, filled markers for
// those proven optimal and hollow ones for the rest, each labelled with its
// note, and the marks as diamonds beside it.
func RenderCurve(pts []CurvePoint, marks []CurveMark, text CurveText, opt ChartOptions) (image.Image, []string, error) {
	img, _, warns, err := renderCurve(pts, marks, text, opt)
	return img, warns, err
}

func renderCurve(pts []CurvePoint, marks []CurveMark, text CurveText, opt ChartOptions) (image.Image, *chart, []string, error) {
	if len(pts) == 0 {
		return nil, nil, nil, errors.New("curve chart: no points")
	}
	bad := func(x, y float64) bool {
		return math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) || y < 0
	}
	for i, p := range pts {
		if bad(p.X, p.Y) || (i > 0 && p.X <= pts[i-1].X) {
			return nil, nil, nil, fmt.Errorf("curve chart: point %d: x=%g, y=%g: want finite y ≥ 0 and x ascending", i, p.X, p.Y)
		}
	}
	for i, m := range marks {
		if bad(m.X, m.Y) {
			return nil, nil, nil, fmt.Errorf("curve chart: mark %d (%s): x=%g, y=%g: want finite values, y ≥ 0", i, m.Label, m.X, m.Y)
		}
	}
	c, err := newChart(opt, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	d := c.opt.DPI
	dc := c.p.dc
	xmin, xmax, ymax := pts[0].X, pts[len(pts)-1].X, 0.0
	for _, p := range pts {
		ymax = math.Max(ymax, p.Y)
	}
	for _, m := range marks {
		xmin, xmax, ymax = math.Min(xmin, m.X), math.Max(xmax, m.X), math.Max(ymax, m.Y)
	}
	yt := niceTicks(0, ymax*1.15, 6)
	c.x0, c.x1 = xmin-0.6, xmax+0.6
	c.y0, c.y1 = 0, yt[len(yt)-1]
	var xt []float64
	step := math.Max(1, math.Ceil((xmax-xmin)/16))
	for x := math.Ceil(xmin); x <= xmax; x += step {
		xt = append(xt, x)
	}
	pick := func(what, ja, en, defJa, defEn string) string {
		if c.fonts.Japanese() {
			return c.text(what, ja, c.text(what, en, defJa))
		}
		return c.text(what, en, defEn)
	}
	title := pick("title", text.Title, text.TitleEn, "配置数と最適な配置", "Offices kept and the best plan")
	xl := pick("x label", text.XLabel, text.XLabelEn, "窓口の数", "Number of offices")
	yl := pick("y label", text.YLabel, text.YLabelEn, "", "")
	yfmt := func(v float64) string { return strconv.FormatFloat(v, 'f', text.Decimals, 64) }
	c.frame(title, xl, yl, xt, yt, func(v float64) string { return strconv.Itoa(int(math.Round(v))) }, yfmt)

	pl := newLabelPlacer(c.plot)
	r := pt(3.8, d)
	// The line, then the markers over it.
	dc.SetColor(colBranch)
	dc.SetLineWidth(pt(1.6, d))
	dc.SetLineJoin(gg.LineJoinRound)
	for i, p := range pts {
		if i == 0 {
			dc.MoveTo(c.X(p.X), c.Y(p.Y))
		} else {
			dc.LineTo(c.X(p.X), c.Y(p.Y))
		}
	}
	dc.Stroke()
	for i := 1; i < len(pts); i++ {
		// The segments block labels too, sampled along their length.
		a, b := pts[i-1], pts[i]
		for t := 0.0; t <= 1; t += 0.1 {
			x, y := c.X(a.X+(b.X-a.X)*t), c.Y(a.Y+(b.Y-a.Y)*t)
			pl.block(box{x - 1, y - 1, x + 1, y + 1})
		}
	}
	hollow := false
	for _, p := range pts {
		x, y := c.X(p.X), c.Y(p.Y)
		pl.block(box{x - r, y - r, x + r, y + r})
		dc.DrawCircle(x, y, r)
		if p.Proven {
			dc.SetColor(colBranch)
			dc.FillPreserve()
			dc.SetColor(colPaper)
			dc.SetLineWidth(pt(0.8, d))
		} else {
			hollow = true
			dc.SetColor(colPaper)
			dc.FillPreserve()
			dc.SetColor(colBranch)
			dc.SetLineWidth(pt(1.4, d))
		}
		dc.Stroke()
	}
	mr := pt(4.6, d)
	for _, m := range marks {
		x, y := c.X(m.X), c.Y(m.Y)
		pl.block(box{x - mr, y - mr, x + mr, y + mr})
		drawMarker(dc, 3, px{x, y}, mr, colThreshold, d)
	}
	for i, m := range marks {
		label, warn := c.fonts.labelText("mark", m.Label, m.LabelEn)
		if warn != "" {
			c.warns = append(c.warns, warn)
		}
		if lb, ok := placeLabel(c.p, pl, label, 8, true, px{c.X(m.X), c.Y(m.Y)}, mr, colThreshold); ok {
			c.labels = append(c.labels, lb)
		} else {
			c.warns = append(c.warns, fmt.Sprintf("curve chart: no room for the label of mark %d (%s)", i, label))
		}
	}
	for i, p := range pts {
		if p.Note == "" && p.NoteEn == "" {
			continue
		}
		fallback := p.NoteEn
		if fallback == "" {
			fallback = asciiOnly(p.Note)
		}
		label, warn := c.fonts.labelText("point", p.Note, fallback)
		if warn != "" {
			c.warns = append(c.warns, warn)
		}
		if lb, ok := placeLabel(c.p, pl, label, 7.5, false, px{c.X(p.X), c.Y(p.Y)}, r, colInk); ok {
			c.labels = append(c.labels, lb)
		} else {
			c.warns = append(c.warns, fmt.Sprintf("curve chart: no room for the label of point %d (%s)", i, label))
		}
	}
	// Key for the markers, under the plot on the right.
	type key struct {
		draw func(x, y float64)
		s    string
	}
	keys := []key{{func(x, y float64) {
		dc.DrawCircle(x, y, r)
		dc.SetColor(colBranch)
		dc.Fill()
	}, c.txt("最適（証明済み）", "proven optimal")}}
	if hollow {
		keys = append(keys, key{func(x, y float64) {
			dc.DrawCircle(x, y, r)
			dc.SetColor(colPaper)
			dc.FillPreserve()
			dc.SetColor(colBranch)
			dc.SetLineWidth(pt(1.4, d))
			dc.Stroke()
		}, c.txt("最良の解（未証明）", "best found, not proven")})
	}
	x := c.plot.X1
	y := c.plot.Y1 + pt(30, d)
	for k := len(keys) - 1; k >= 0; k-- {
		w, asc, _ := c.p.measure(keys[k].s, 8, false)
		x -= w
		c.p.text(keys[k].s, x, y, 8, false, colInk)
		x -= pt(4, d) + r
		keys[k].draw(x, y-asc/2+pt(0.5, d))
		x -= r + pt(12, d)
	}
	return dc.Image(), c, c.warns, nil
}
