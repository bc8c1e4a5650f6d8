package draw

import (
	"fmt"
	"image/color"
	"math"
)

// legendKind is how a legend entry is drawn.
type legendKind int

const (
	legendSwatch    legendKind = iota // a filled rectangle
	legendOffice                      // an office symbol
	legendLine                        // a line sample
	legendStore                       // a convenience store dot
	legendPost                        // a post office square
	legendCatchment                   // pastel swatches with a thick border
)

// legendItem is one legend entry.
type legendItem struct {
	Section string
	Kind    legendKind
	Color   color.RGBA
	Width   float64 // line width in points, for lines
	Office  MapOffice
	Text    string
	Box     box // where it was drawn
}

type legendSection struct {
	title string
	items []legendItem
}

// legend lists the map's legend sections.
func (m *mapScene) legend() []legendSection {
	var ward, branch, closed, none int
	for _, o := range m.d.Offices {
		switch {
		case o.Closed:
			closed++
		case o.Kind == "ward":
			ward++
		default:
			branch++
		}
	}
	for _, d := range m.d.Districts {
		if d.Office < 0 {
			none++
		}
	}
	offices := legendSection{title: m.txt("窓口", "Offices")}
	if ward > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "ward"}, Text: m.txt(fmt.Sprintf("区役所（%d）", ward), fmt.Sprintf("Ward office (%d)", ward))})
	}
	if branch > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "branch"}, Text: m.txt(fmt.Sprintf("出張所（%d）", branch), fmt.Sprintf("Branch office (%d)", branch))})
	}
	if closed > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "branch", Closed: true}, Text: m.txt(fmt.Sprintf("閉所（%d）", closed), fmt.Sprintf("Closed office (%d)", closed))})
	}
	borders := legendSection{title: m.txt("境界", "Borders")}
	if m.kind == MapCatchments {
		borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colCatchment, Width: 1.6, Text: m.txt("担当区域の境界", "Catchment border")})
	}
	borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colDistrict, Width: 0.6, Text: m.txt("校区界", "District border")})
	if len(m.d.Boundary) > 0 {
		borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colBoundary, Width: 1.4, Text: m.txt("市域", "Study area")})
	}
	var secs []legendSection
	switch m.kind {
	case MapCatchments:
		fill := legendSection{title: m.txt("塗り分け", "District fill")}
		fill.items = append(fill.items, legendItem{Kind: legendCatchment, Text: m.txt("担当する窓口ごとの色（隣接する区域は別の色）", "Colour of the serving office (neighbouring catchments differ)")})
		if none > 0 {
			fill.items = append(fill.items, legendItem{Kind: legendSwatch, Color: colNoData, Text: m.txt(fmt.Sprintf("担当窓口なし（%d）", none), fmt.Sprintf("No office (%d)", none))})
		}
		secs = []legendSection{fill, offices, borders}
	case MapDistance:
		dist := legendSection{title: m.txt("最寄りの窓口までの距離", "Distance to nearest open office")}
		unknown := len(m.d.Districts)
		for _, c := range m.layout.Classes {
			unknown -= c.Districts
			dist.items = append(dist.items, legendItem{Kind: legendSwatch, Color: c.Color, Text: m.txt(fmt.Sprintf("%s（%d 校区）", c.Label(), c.Districts), fmt.Sprintf("%s (%d)", c.Label(), c.Districts))})
		}
		if unknown > 0 {
			dist.items = append(dist.items, legendItem{Kind: legendSwatch, Color: colNoData, Text: m.txt(fmt.Sprintf("不明（%d 校区）", unknown), fmt.Sprintf("Unknown (%d)", unknown))})
		}
		secs = []legendSection{dist, offices, borders}
	case MapGaps:
		var gap, postOnly, covered int
		for _, d := range m.d.Districts {
			switch {
			case d.Stores > 0:
				covered++
			case d.Posts > 0:
				postOnly++
			default:
				gap++
			}
		}
		ds := legendSection{title: m.txt("校区", "Districts")}
		ds.items = append(ds.items,
			legendItem{Kind: legendSwatch, Color: colGap, Text: m.txt(fmt.Sprintf("コンビニも郵便局もない（%d）", gap), fmt.Sprintf("No store, no post office (%d)", gap))},
			legendItem{Kind: legendSwatch, Color: colPostOnly, Text: m.txt(fmt.Sprintf("コンビニなし・郵便局あり（%d）", postOnly), fmt.Sprintf("No store, has a post office (%d)", postOnly))},
			legendItem{Kind: legendSwatch, Color: colCovered, Text: m.txt(fmt.Sprintf("コンビニあり（%d）", covered), fmt.Sprintf("Has a store (%d)", covered))},
		)
		pts := legendSection{title: m.txt("施設", "Places")}
		pts.items = append(pts.items,
			legendItem{Kind: legendStore, Color: colStore, Text: m.txt(fmt.Sprintf("コンビニ（%d）", len(m.d.Stores)), fmt.Sprintf("Convenience store (%d)", len(m.d.Stores)))},
			legendItem{Kind: legendPost, Color: colPost, Text: m.txt(fmt.Sprintf("郵便局（%d）", len(m.d.Posts)), fmt.Sprintf("Post office (%d)", len(m.d.Posts)))},
		)
		pts.items = append(pts.items, offices.items...)
		secs = []legendSection{ds, pts, borders}
	}
	for i := range secs {
		for j := range secs[i].items {
			secs[i].items[j].Section = secs[i].title
		}
	}
	return secs
}

// Legend metrics in points.
const (
	legendPad     = 8.0
	legendHeading = 10.0 // heading font size
	legendText    = 8.0  // item font size
	legendLineH   = 10.5 // item line height
	legendRow     = 14.0 // minimum item row height
	legendSwatchW = 16.0
	legendGap     = 9.0  // between sections
	scaleBlock    = 52.0 // scale bar and north arrow
)

// legendTextWidth is the room for item text in pixels.
func (m *mapScene) legendTextWidth(panelW float64) float64 {
	return panelW - pt(2*legendPad+legendSwatchW+6, m.opt.DPI)
}

// panelHeight is the height the legend panel needs, in pixels.
func (m *mapScene) panelHeight(panelW float64) float64 {
	d := m.opt.DPI
	h := pt(legendPad, d)
	for _, s := range m.legend() {
		h += pt(legendHeading+6, d)
		for _, it := range s.items {
			lines := len(m.p.wrap(it.Text, m.legendTextWidth(panelW), legendText, false))
			h += math.Max(pt(legendRow, d), float64(lines)*pt(legendLineH, d)+pt(3.5, d))
		}
		h += pt(legendGap, d)
	}
	return h + pt(scaleBlock+legendPad, d)
}

// drawPanel draws the legend, the scale bar and the north arrow in the
// panel beside the frame.
func (m *mapScene) drawPanel() {
	d := m.opt.DPI
	dc := m.p.dc
	pb := m.panel
	x0 := pb.X0 + pt(legendPad, d)
	y := pb.Y0 + pt(legendPad, d)
	for _, s := range m.legend() {
		y += pt(legendHeading, d)
		m.p.text(s.title, x0, y, legendHeading, true, colInk)
		y += pt(6, d)
		for _, it := range s.items {
			lines := m.p.wrap(it.Text, m.legendTextWidth(pb.X1-pb.X0), legendText, false)
			rowH := math.Max(pt(legendRow, d), float64(len(lines))*pt(legendLineH, d)+pt(3.5, d))
			sw := box{x0, y + pt(2, d), x0 + pt(legendSwatchW, d), y + pt(2+legendRow-4, d)}
			m.drawLegendKey(it, sw)
			_, asc, _ := m.p.measure("Ag", legendText, false)
			ty := y + pt(2, d) + (sw.Y1-sw.Y0)/2 + asc/2 - pt(0.5, d)
			for k, line := range lines {
				m.p.text(line, sw.X1+pt(6, d), ty+float64(k)*pt(legendLineH, d), legendText, false, colInk)
			}
			it.Box = box{x0, y, pb.X1, y + rowH}
			m.layout.Legend = append(m.layout.Legend, it)
			y += rowH
		}
		y += pt(legendGap, d)
	}
	m.drawScaleBar(px{x0, pb.Y1 - pt(14, d)}, pb.X1-x0-pt(40, d))
	m.drawNorthArrow(px{pb.X1 - pt(18, d), pb.Y1 - pt(20, d)})
	_ = dc
}

// drawLegendKey draws an entry's key in the box sw.
func (m *mapScene) drawLegendKey(it legendItem, sw box) {
	d := m.opt.DPI
	dc := m.p.dc
	c := px{(sw.X0 + sw.X1) / 2, (sw.Y0 + sw.Y1) / 2}
	w, h := sw.X1-sw.X0, sw.Y1-sw.Y0
	switch it.Kind {
	case legendSwatch:
		dc.DrawRectangle(sw.X0, sw.Y0, w, h)
		dc.SetColor(it.Color)
		dc.FillPreserve()
		dc.SetColor(hex(0x999999))
		dc.SetLineWidth(pt(0.5, d))
		dc.Stroke()
	case legendCatchment:
		for k := 0; k < 3; k++ {
			dc.DrawRectangle(sw.X0+float64(k)*w/3, sw.Y0, w/3, h)
			dc.SetColor(qualitative[k])
			dc.Fill()
		}
		dc.DrawRectangle(sw.X0, sw.Y0, w, h)
		dc.SetColor(colCatchment)
		dc.SetLineWidth(pt(1.2, d))
		dc.Stroke()
	case legendLine:
		if it.Color == colDistrict {
			// A white border shows only over a fill.
			dc.DrawRectangle(sw.X0, sw.Y0, w, h)
			dc.SetColor(hex(0xc8c8c8))
			dc.Fill()
		}
		dc.SetColor(it.Color)
		dc.SetLineWidth(pt(it.Width, d))
		dc.DrawLine(sw.X0, c.Y, sw.X1, c.Y)
		dc.Stroke()
	case legendOffice:
		drawOfficeSymbol(dc, it.Office, c, m.officeRadius(it.Office), d)
	case legendStore:
		drawStore(dc, c, d)
	case legendPost:
		drawPost(dc, c, d)
	}
}

// drawScaleBar draws a bar in km at the map scale, starting at p (the
// bar's lower left), no longer than maxW pixels.
func (m *mapScene) drawScaleBar(p px, maxW float64) {
	d := m.opt.DPI
	dc := m.p.dc
	perKm := m.pxPerKm()
	km := niceScale(maxW / perKm)
	w := km * perKm
	h := pt(4, d)
	for k := 0; k < 4; k++ {
		dc.DrawRectangle(p.X+float64(k)*w/4, p.Y-h, w/4, h)
		if k%2 == 0 {
			dc.SetColor(colInk)
		} else {
			dc.SetColor(colPaper)
		}
		dc.FillPreserve()
		dc.SetColor(colInk)
		dc.SetLineWidth(pt(0.6, d))
		dc.Stroke()
	}
	for _, t := range []float64{0, 0.5, 1} {
		s := fmtKm(km * t)
		if t == 1 {
			s += " km"
		}
		tw, _, _ := m.p.measure(s, 7.5, false)
		x := p.X + t*w - tw/2
		if t == 1 {
			x = p.X + w - pt(1.5, d)*0 - tw/2
		}
		m.p.text(s, x, p.Y-h-pt(3, d), 7.5, false, colInk)
	}
}

// drawNorthArrow draws an arrow pointing up with an N, centred at c: the
// projection's central meridian runs through the map centre, so grid north
// is true north there (and within a tenth of a degree across a city).
func (m *mapScene) drawNorthArrow(c px) {
	d := m.opt.DPI
	dc := m.p.dc
	h, w := pt(16, d), pt(6, d)
	top := px{c.X, c.Y - h/2}
	dc.MoveTo(top.X, top.Y)
	dc.LineTo(c.X-w, c.Y+h/2)
	dc.LineTo(c.X, c.Y+h/4)
	dc.ClosePath()
	dc.SetColor(colInk)
	dc.Fill()
	dc.MoveTo(top.X, top.Y)
	dc.LineTo(c.X+w, c.Y+h/2)
	dc.LineTo(c.X, c.Y+h/4)
	dc.ClosePath()
	dc.SetColor(colPaper)
	dc.FillPreserve()
	dc.SetColor(colInk)
	dc.SetLineWidth(pt(0.7, d))
	dc.Stroke()
	tw, _, _ := m.p.measure("N", 9, true)
	m.p.text("N", c.X-tw/2, top.Y-pt(3, d), 9, true, colInk)
}
