package draw

import (
	"fmt"
	"image/color"

	"github.com/fogleman/gg"
)

// drawCatchments fills districts by serving office, draws district borders
// thin and catchment borders thick, then the labelled offices.
func (m *mapScene) drawCatchments() {
	d := m.opt.DPI
	office := make([]int, len(m.d.Districts))
	for i, di := range m.d.Districts {
		office[i] = di.Office
	}
	br := catchmentBorders(m.dists, office, len(m.d.Offices), pt(0.9, d), pt(3, d))
	fills := make([]color.RGBA, len(m.d.Offices))
	given := len(m.d.Offices) > 0
	for i, o := range m.d.Offices {
		fills[i] = o.Fill
		given = given && o.Fill.A > 0
	}
	if !given {
		cols := ColourOffices(br.adjacent, len(qualitative))
		for i := range fills {
			fills[i] = qualitative[cols[i]]
		}
	}
	m.fillDistricts(func(i int) color.Color {
		if o := m.d.Districts[i].Office; o >= 0 {
			return fills[o]
		}
		return colNoData
	})
	m.strokeDistricts(colDistrict, 0.5)
	dc := m.p.dc
	dc.SetColor(colCatchment)
	dc.SetLineWidth(pt(1.6, d))
	dc.SetLineJoin(gg.LineJoinRound)
	dc.SetLineCap(gg.LineCapRound)
	// Stroked in batches: the rasteriser is slow on one huge path.
	for k, line := range br.thick {
		dc.MoveTo(line[0].X, line[0].Y)
		for _, q := range line[1:] {
			dc.LineTo(q.X, q.Y)
		}
		if k%64 == 63 || k == len(br.thick)-1 {
			dc.Stroke()
		}
	}
	dc.SetLineCap(gg.LineCapButt)
	m.drawOffices(true)
}

// drawDistance is the choropleth of distance classes.
func (m *mapScene) drawDistance() {
	_, idx, _ := ClassifyDistances(m.opt.Breaks, m.d.Districts) // breaks were checked in renderMap
	m.fillDistricts(func(i int) color.Color {
		if c := idx[i]; c >= 0 {
			return m.layout.Classes[c].Color
		}
		return colNoData
	})
	m.strokeDistricts(colDistrict, 0.5)
	m.drawOffices(true)
}

// drawGaps highlights districts without a store, draws stores and post
// offices as small symbols and labels the gap districts where there is room.
func (m *mapScene) drawGaps() {
	m.fillDistricts(func(i int) color.Color {
		di := m.d.Districts[i]
		switch {
		case di.Stores > 0:
			return colCovered
		case di.Posts > 0:
			return colPostOnly
		}
		return colGap
	})
	m.strokeDistricts(hex(0xbdbdbd), 0.5)
	dc := m.p.dc
	inFrame := func(c px) bool { return c.X > m.frame.X0 && c.X < m.frame.X1 && c.Y > m.frame.Y0 && c.Y < m.frame.Y1 }
	for _, p := range m.d.Stores {
		if c := m.toPx(p); inFrame(c) {
			drawStore(dc, c, m.opt.DPI)
		}
	}
	for _, p := range m.d.Posts {
		if c := m.toPx(p); inFrame(c) {
			drawPost(dc, c, m.opt.DPI)
		}
	}
	m.drawOffices(false)
	// Office symbols were blocked in their own placer; district labels get
	// a fresh one that avoids the offices too.
	pl := newLabelPlacer(m.frame)
	for _, o := range m.d.Offices {
		c := m.toPx(o.Location)
		r := m.officeRadius(o)
		pl.block(box{c.X - r, c.Y - r, c.X + r, c.Y + r})
	}
	omitted := 0
	for i, di := range m.d.Districts {
		if di.Stores > 0 {
			continue
		}
		fallback := di.NameEn
		if fallback == "" {
			fallback = di.ID
		}
		text, warn := m.fonts.labelText("district "+di.ID, di.Name, fallback)
		if warn != "" {
			m.warns = append(m.warns, warn)
		}
		at, ok := labelPoint(m.dists[i])
		if !ok {
			continue
		}
		// A label wider than its district goes beside it with a leader
		// line, so that it does not seem to name a neighbour.
		w, _, _ := m.p.measure(text, 7, false)
		lb, ok := placedLabel{}, false
		if b := m.dists[i].bound; b.X1-b.X0 >= 1.1*w {
			lb, ok = placeCentred(m.p, pl, text, 7, at, colInk)
		}
		if !ok {
			lb, ok = placeLabel(m.p, pl, text, 7, false, at, pt(1, m.opt.DPI), colInk)
		}
		if ok {
			m.layout.Labels = append(m.layout.Labels, lb)
		} else {
			omitted++
		}
	}
	if omitted > 0 {
		m.warns = append(m.warns, fmt.Sprintf("gaps map: %d gap district labels left out for want of room", omitted))
	}
}

// drawStore draws a convenience store: a small green dot.
func drawStore(dc *gg.Context, c px, dpi float64) {
	dc.DrawCircle(c.X, c.Y, pt(1.6, dpi))
	dc.SetColor(colStore)
	dc.FillPreserve()
	dc.SetColor(colPaper)
	dc.SetLineWidth(pt(0.4, dpi))
	dc.Stroke()
}

// drawPost draws a post office: a small square.
func drawPost(dc *gg.Context, c px, dpi float64) {
	r := pt(2, dpi)
	dc.DrawRectangle(c.X-r, c.Y-r, 2*r, 2*r)
	dc.SetColor(colPost)
	dc.FillPreserve()
	dc.SetColor(colPaper)
	dc.SetLineWidth(pt(0.5, dpi))
	dc.Stroke()
}
