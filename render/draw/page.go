package draw

import (
	"fmt"
	"image"
	"math"

	"github.com/fogleman/gg"
	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
)

// page is the layout every map shares: a title and a summary line above
// the map frame, the legend panel right of the frame (legend sections,
// then the scale bar and the north arrow at its foot), and the footer
// lines (source, notes) under the frame. A map projects its data's extent
// into the frame (fit), draws its own layers in it (draw) and gives the
// page its legend sections, footer texts and title.
type page struct {
	// what names the map in warnings: "catchments map", "isochrone map".
	what  string
	opt   MapOptions
	fonts *Fonts
	p     *painter
	frame box // the map frame
	panel box // the legend panel
	W, H  int
	// The projection: lon/lat to local transverse Mercator metres, then
	// to pixels with k pixels per metre, (minX, maxY) at (offX, offY).
	tm         geo.TransverseMercator
	minX, maxY float64
	k          float64
	offX, offY float64
	// legend and footer are what the panel and the footer show; footer
	// texts are wrapped to the page width.
	legend []legendSection
	footer []string
	layout mapLayout
	warns  []string
}

// pageShape is what differs between maps in the page layout.
type pageShape struct {
	// panelShare is the legend panel's share of the page width, at least
	// panelMinPt points and at most 45% of the width.
	panelShare, panelMinPt float64
	// padPt is the room kept between the data and the frame, in points.
	padPt float64
}

// mapOptions fills in the defaults of opt and checks it.
func mapOptions(opt MapOptions) (MapOptions, error) {
	if opt.Width == 0 {
		opt.Width = 1600
	}
	if opt.DPI == 0 {
		// 144 DPI at 1600 px, in proportion otherwise: the map looks the
		// same at every width.
		opt.DPI = 144 * float64(opt.Width) / 1600
	}
	if opt.Width < 400 || opt.Width > 20000 {
		return opt, fmt.Errorf("map width %d px: want 400 to 20000", opt.Width)
	}
	if !(opt.DPI >= 36 && opt.DPI <= 1200) {
		return opt, fmt.Errorf("map DPI %g: want 36 to 1200", opt.DPI)
	}
	return opt, nil
}

// newPage starts a page with checked options (see mapOptions): it
// resolves the fonts, whose warnings it keeps, and measures text on a
// scratch canvas until draw.
func newPage(what string, opt MapOptions) (*page, error) {
	fonts, warns, err := resolveFonts(opt.Fonts, opt.FontPath, opt.NoFont)
	if err != nil {
		return nil, err
	}
	return &page{what: what, opt: opt, fonts: fonts, warns: warns, p: newPainter(gg.NewContext(1, 1), fonts, opt.DPI)}, nil
}

// txt picks the Japanese or the English form of a fixed text.
func (pg *page) txt(ja, en string) string {
	if pg.fonts.Japanese() {
		return ja
	}
	return en
}

// printable is s, or its printable ASCII when the font lacks glyphs of s.
func (pg *page) printable(s string) string {
	if miss := pg.fonts.Missing(s); len(miss) > 0 {
		return asciiOnly(s)
	}
	return s
}

// sourceText is the source line of the footer: "Sources: not given" when
// src is empty, printable.
func (pg *page) sourceText(src string) string {
	if src == "" {
		src = "Sources: not given"
	}
	return pg.printable(src)
}

// widen grows the projected extent b (minX, minY, maxX, maxY) about its
// centre to at least span metres across each way: a point or a line gets
// an area around it.
func widen(b *[4]float64, span float64) {
	for _, k := range [][2]int{{0, 2}, {1, 3}} {
		if b[k[1]]-b[k[0]] < span {
			c := (b[k[0]] + b[k[1]]) / 2
			b[k[0]], b[k[1]] = c-span/2, c+span/2
		}
	}
}

// fit lays out the page for the projected extent b of tm: the title band,
// the frame, whose height follows the data's shape within limits and
// leaves the legend room, the panel beside it, and the footer under it;
// the extent is fitted into the frame, centred.
func (pg *page) fit(tm geo.TransverseMercator, b [4]float64, shape pageShape) {
	pg.tm = tm
	dpi := pg.opt.DPI
	W := float64(pg.opt.Width)
	margin := pt(14, dpi)
	panelW := math.Min(math.Max(W*shape.panelShare, pt(shape.panelMinPt, dpi)), W*0.45)
	titleH := pt(38, dpi)
	frameX0, frameX1 := margin, W-margin-panelW-pt(10, dpi)
	frameW := frameX1 - frameX0
	dataW, dataH := b[2]-b[0], b[3]-b[1]
	frameH := frameW * dataH / dataW
	frameH = math.Max(frameW*0.55, math.Min(frameW*1.5, frameH))
	frameH = math.Max(frameH, pg.panelHeight(panelW))
	pg.frame = box{frameX0, titleH, frameX1, titleH + frameH}
	pg.panel = box{frameX1 + pt(10, dpi), titleH, W - margin, titleH + frameH}
	pad := pt(shape.padPt, dpi)
	pg.k = math.Min((frameW-2*pad)/dataW, (frameH-2*pad)/dataH)
	pg.minX, pg.maxY = b[0], b[3]
	pg.offX = frameX0 + (frameW-dataW*pg.k)/2
	pg.offY = titleH + (frameH-dataH*pg.k)/2
	footer := pt(8, dpi) + float64(len(pg.footerLines(W-2*margin)))*pt(10, dpi) + margin
	pg.W, pg.H = int(W), int(math.Ceil(titleH+frameH+footer))
}

// toPx projects a lon, lat point to image pixels.
func (pg *page) toPx(p orb.Point) px {
	return pg.metresToPx(pg.tm.Forward(p))
}

// metresToPx places a point of the page's projection (metres) in pixels.
func (pg *page) metresToPx(q orb.Point) px {
	return px{pg.offX + (q[0]-pg.minX)*pg.k, pg.offY + (pg.maxY-q[1])*pg.k}
}

// draw paints the page: the paper and the frame's background, the map's
// layers (drawn by layers, which may warn), the frame border, the title
// (title, or def when title is empty or has glyphs the font lacks) with
// the summary line under it, the legend panel and the footer.
func (pg *page) draw(layers func(), title, def, summary string) image.Image {
	dc := gg.NewContext(pg.W, pg.H)
	pg.p.dc = dc
	dc.SetColor(colPaper)
	dc.Clear()
	dc.SetColor(colSea)
	dc.DrawRectangle(pg.frame.X0, pg.frame.Y0, pg.frame.X1-pg.frame.X0, pg.frame.Y1-pg.frame.Y0)
	dc.Fill()
	layers()
	dc.SetColor(hex(0x999999))
	dc.SetLineWidth(pt(0.6, pg.opt.DPI))
	dc.DrawRectangle(pg.frame.X0, pg.frame.Y0, pg.frame.X1-pg.frame.X0, pg.frame.Y1-pg.frame.Y0)
	dc.Stroke()
	pg.drawTitle(title, def, summary)
	pg.drawPanel()
	pg.drawFooter()
	pg.layout.W, pg.layout.H, pg.layout.Frame, pg.layout.Panel = pg.W, pg.H, pg.frame, pg.panel
	return dc.Image()
}

// drawTitle draws the title and the summary line above the frame.
func (pg *page) drawTitle(title, def, summary string) {
	if title != "" {
		if miss := pg.fonts.Missing(title); len(miss) > 0 {
			pg.warns = append(pg.warns, fmt.Sprintf("%s: title %q has glyphs the font lacks (%q); default title used", pg.what, title, string(miss)))
			title = ""
		}
	}
	if title == "" {
		title = def
	}
	pg.p.text(title, pg.frame.X0, pt(22, pg.opt.DPI), 16, true, colInk)
	pg.p.text(summary, pg.frame.X0, pt(33, pg.opt.DPI), 8.5, false, colMuted)
}

// footerLines are the footer texts wrapped to width.
func (pg *page) footerLines(width float64) []string {
	var out []string
	for _, s := range pg.footer {
		out = append(out, pg.p.wrap(s, width, 7.5, false)...)
	}
	return out
}

// drawFooter prints the footer lines under the frame.
func (pg *page) drawFooter() {
	margin := pt(14, pg.opt.DPI)
	y := pg.frame.Y1 + pt(8, pg.opt.DPI)
	for _, line := range pg.footerLines(float64(pg.W) - 2*margin) {
		y += pt(10, pg.opt.DPI)
		pg.p.text(line, margin, y-pt(2, pg.opt.DPI), 7.5, false, colMuted)
	}
}

// multiPath adds mp's rings, in pixels, to the current path.
func (pg *page) multiPath(mp orb.MultiPolygon) {
	dc := pg.p.dc
	for _, poly := range mp {
		for _, ring := range poly {
			for j, p := range ring {
				q := pg.toPx(p)
				if j == 0 {
					dc.MoveTo(q.X, q.Y)
				} else {
					dc.LineTo(q.X, q.Y)
				}
			}
			dc.ClosePath()
		}
	}
}

// officeRadius is the half-size of an office symbol in pixels.
func (pg *page) officeRadius(o MapOffice) float64 {
	if o.Kind == "ward" && !o.Closed {
		return pt(4.6, pg.opt.DPI)
	}
	return pt(3.8, pg.opt.DPI)
}

// pxPerKm is the map scale at the frame centre, measured geodesically.
func (pg *page) pxPerKm() float64 {
	cx, cy := (pg.frame.X0+pg.frame.X1)/2, (pg.frame.Y0+pg.frame.Y1)/2
	// Invert the projection at the centre.
	c := pg.tm.Inverse(orb.Point{pg.minX + (cx-pg.offX)/pg.k, pg.maxY - (cy-pg.offY)/pg.k})
	e := geo.Destination(c, 90, 1000)
	a, b := pg.toPx(c), pg.toPx(e)
	return math.Hypot(b.X-a.X, b.Y-a.Y)
}

// niceScale picks a scale-bar length in km (1, 2 or 5 times a power of ten)
// no longer than maxKm.
func niceScale(maxKm float64) float64 {
	if maxKm <= 0 || math.IsNaN(maxKm) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(maxKm)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= maxKm {
			return f * p
		}
	}
	return p
}

// projectedExtent centres a local projection on the lon/lat extent of the
// points each yields and returns it with their projected extent (minX, minY,
// maxX, maxY, metres). what names the picture in errors.
func projectedExtent(what string, each func(add func(p orb.Point))) (geo.TransverseMercator, [4]float64, error) {
	tm, b, _, err := projectedExtentOf(what, nil, nil, each)
	return tm, b, err
}

// projectedExtentOf is projectedExtent over the polygons geoms as well as
// the points each yields; it also returns geoms projected (metres), so
// that a map projects each vertex once, and maps sharing cache share them.
func projectedExtentOf(what string, geoms []orb.MultiPolygon, cache *ProjectionCache, each func(add func(p orb.Point))) (geo.TransverseMercator, [4]float64, []orb.MultiPolygon, error) {
	b := emptyExtent()
	grow := func(p orb.Point) { b = grown(b, p) }
	for _, g := range geoms {
		lonlat.ForEachPosition(g, grow)
	}
	each(grow)
	if math.IsInf(b[0], 0) || math.IsNaN(b[0]+b[1]+b[2]+b[3]) {
		return geo.TransverseMercator{}, b, nil, fmt.Errorf("%s: data has no coordinates", what)
	}
	if b[0] < -180 || b[2] > 180 || b[1] < -85 || b[3] > 85 {
		return geo.TransverseMercator{}, b, nil, fmt.Errorf("%s: coordinates out of range (lon %g..%g, lat %g..%g): want lon, lat in degrees", what, b[0], b[2], b[1], b[3])
	}
	tm := geo.LocalProjection(orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}})
	var metres []orb.MultiPolygon
	b = emptyExtent()
	if geoms != nil {
		metres, b = cache.project(geoms, tm)
	}
	each(func(p orb.Point) { grow(tm.Forward(p)) })
	return tm, b, metres, nil
}

// emptyExtent is the extent of nothing, which grown widens.
func emptyExtent() [4]float64 {
	return [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
}

// grown is extent b widened to hold p.
func grown(b [4]float64, p orb.Point) [4]float64 {
	return [4]float64{math.Min(b[0], p[0]), math.Min(b[1], p[1]), math.Max(b[2], p[0]), math.Max(b[3], p[1])}
}
