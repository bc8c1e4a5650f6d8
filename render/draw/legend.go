package draw

import (
	"image/color"
	"math"
)

// legendKind is how a legend entry is drawn.
type legendKind int

const (
	legendSwatch     legendKind = iota // a filled rectangle
	legendOffice                       // an office symbol
	legendOffNetwork                   // an office off the road network: a hollow grey circle
	legendLine                         // a line sample
	legendStore                        // a convenience store dot
	legendPost                         // a post office square
	legendCatchment                    // pastel swatches with a thick border
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

// legendSection is a titled group of legend entries.
type legendSection struct {
	title string
	items []legendItem
}

// sections names each item's section after its title and returns secs.
func sections(secs ...legendSection) []legendSection {
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
func (pg *page) legendTextWidth(panelW float64) float64 {
	return panelW - pt(2*legendPad+legendSwatchW+6, pg.opt.DPI)
}

// headingLines is a section title wrapped to the panel.
func (pg *page) headingLines(title string, panelW float64) []string {
	return pg.p.wrap(title, panelW-pt(2*legendPad, pg.opt.DPI), legendHeading, true)
}

// panelHeight is the height the legend panel needs, in pixels.
func (pg *page) panelHeight(panelW float64) float64 {
	d := pg.opt.DPI
	h := pt(legendPad, d)
	for _, s := range pg.legend {
		h += pt(legendHeading+6, d) + float64(len(pg.headingLines(s.title, panelW))-1)*pt(legendHeading+3, d)
		for _, it := range s.items {
			lines := len(pg.p.wrap(it.Text, pg.legendTextWidth(panelW), legendText, false))
			h += math.Max(pt(legendRow, d), float64(lines)*pt(legendLineH, d)+pt(3.5, d))
		}
		h += pt(legendGap, d)
	}
	return h + pt(scaleBlock+legendPad, d)
}

// drawPanel draws the legend, the scale bar and the north arrow in the
// panel beside the frame.
func (pg *page) drawPanel() {
	d := pg.opt.DPI
	pb := pg.panel
	x0 := pb.X0 + pt(legendPad, d)
	y := pb.Y0 + pt(legendPad, d)
	for _, s := range pg.legend {
		for k, line := range pg.headingLines(s.title, pb.X1-pb.X0) {
			if k > 0 {
				y += pt(3, d)
			}
			y += pt(legendHeading, d)
			pg.p.text(line, x0, y, legendHeading, true, colInk)
		}
		y += pt(6, d)
		for _, it := range s.items {
			lines := pg.p.wrap(it.Text, pg.legendTextWidth(pb.X1-pb.X0), legendText, false)
			rowH := math.Max(pt(legendRow, d), float64(len(lines))*pt(legendLineH, d)+pt(3.5, d))
			sw := box{x0, y + pt(2, d), x0 + pt(legendSwatchW, d), y + pt(2+legendRow-4, d)}
			pg.drawLegendKey(it, sw)
			_, asc, _ := pg.p.measure("Ag", legendText, false)
			ty := y + pt(2, d) + (sw.Y1-sw.Y0)/2 + asc/2 - pt(0.5, d)
			for k, line := range lines {
				pg.p.text(line, sw.X1+pt(6, d), ty+float64(k)*pt(legendLineH, d), legendText, false, colInk)
			}
			it.Box = box{x0, y, pb.X1, y + rowH}
			pg.layout.Legend = append(pg.layout.Legend, it)
			y += rowH
		}
		y += pt(legendGap, d)
	}
	pg.drawScaleBar(px{x0, pb.Y1 - pt(14, d)}, pb.X1-x0-pt(40, d))
	pg.drawNorthArrow(px{pb.X1 - pt(18, d), pb.Y1 - pt(20, d)})
}

// drawLegendKey draws an entry's key in the box sw.
func (pg *page) drawLegendKey(it legendItem, sw box) {
	d := pg.opt.DPI
	dc := pg.p.dc
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
		drawOfficeSymbol(dc, it.Office, c, pg.officeRadius(it.Office), d)
	case legendOffNetwork:
		drawOffNetwork(dc, c, pg.officeRadius(MapOffice{Kind: "branch"}), d)
	case legendStore:
		drawStore(dc, c, d)
	case legendPost:
		drawPost(dc, c, d)
	}
}

// drawScaleBar draws a bar in km at the map scale, starting at p (the
// bar's lower left), no longer than maxW pixels.
func (pg *page) drawScaleBar(p px, maxW float64) {
	d := pg.opt.DPI
	dc := pg.p.dc
	perKm := pg.pxPerKm()
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
		tw, _, _ := pg.p.measure(s, 7.5, false)
		x := p.X + t*w - tw/2
		if t == 1 {
			x = p.X + w - pt(1.5, d)*0 - tw/2
		}
		pg.p.text(s, x, p.Y-h-pt(3, d), 7.5, false, colInk)
	}
}

// drawNorthArrow draws an arrow pointing up with an N, centred at c: the
// projection's central meridian runs through the map centre, so grid north
// is true north there (and within a tenth of a degree across a city).
func (pg *page) drawNorthArrow(c px) {
	d := pg.opt.DPI
	dc := pg.p.dc
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
	tw, _, _ := pg.p.measure("N", 9, true)
	pg.p.text("N", c.X-tw/2, top.Y-pt(3, d), 9, true, colInk)
}
