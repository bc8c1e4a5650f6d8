package draw

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"

	"github.com/fogleman/gg"
	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
	"github.com/kumamoto-gis/catchment/render/internal/numfmt"
)

// MapBand is one band of the union of every office's service areas, as a
// map draws it.
type MapBand struct {
	// Limit is in the map's unit (minutes or km).
	Limit float64
	// Area is the band, lon/lat; nested in the bands of larger limits.
	Area orb.MultiPolygon
	// AreaKm2, Districts and Population are what the band holds.
	AreaKm2    float64
	Districts  int
	Population float64
}

// IsochroneMapData is everything a service-area map shows.
type IsochroneMapData struct {
	// Offices are every office; OffNetwork marks (per office) those outside
	// the road network's coverage, drawn hollow with no service area.
	Offices    []MapOffice
	OffNetwork []bool
	// Districts are drawn as context: light fill and thin borders.
	Districts []MapDistrict
	// Boundary is the study area outline; may be nil.
	Boundary orb.MultiPolygon
	// Bands are the union bands, limits ascending.
	Bands []MapBand
	// OfficeAreas holds, per office, its largest band (nil for none): their
	// outlines show which office is nearest where.
	OfficeAreas []orb.MultiPolygon
	// Unit is the unit of the band limits: "min" (travel time, Limit in
	// minutes) or "km" (road distance).
	Unit string
	// Profile is "car" or "walk".
	Profile string
	// Title replaces the default title when not empty.
	Title string
	// Source is the data source line; Method says how the areas were drawn
	// (printed in the footer; empty: a sentence from BufferM and Roads).
	Source, Method string
	// BufferM is how far from a reached road a place counts as served
	// (0: 100 m). LineRoads says the roads are a line layer (named in
	// Source), not OpenStreetMap.
	BufferM   float64
	LineRoads bool
}

// bandColours returns n fills from light (the largest limit) to dark (the
// smallest): greens, on which the red ward and blue branch office symbols
// stay distinct.
func bandColours(n int) []color.RGBA {
	near, far := hex(0x238b45), hex(0xe5f5e0)
	out := make([]color.RGBA, n)
	for i := range out {
		t := 0.0
		if n > 1 {
			t = float64(i) / float64(n-1)
		}
		mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + t*(float64(b)-float64(a)))) }
		out[i] = color.RGBA{mix(near.R, far.R), mix(near.G, far.G), mix(near.B, far.B), 0xff}
	}
	return out
}

var (
	colOutside   = hex(0xececec)             // districts outside every band
	colAreaEdge  = hex(0x2b2b2b)             // borders between offices' service areas
	colOffRoad   = hex(0x9a9a9a)             // office outside the network
	colBandVeil  = withAlpha(colPaper, 0.45) // district borders over the bands
	isoLimitText = map[string][2]string{"min": {"分", "min"}, "km": {"km", "km"}}
)

// isoScene is a service-area map being drawn: the districts, boundary and
// offices of a mapScene with the bands and service areas on top.
type isoScene struct {
	*mapScene
	iso IsochroneMapData
}

// RenderIsochroneMap draws the service areas of the offices: the union's
// bands as nested fills (darkest = nearest), the borders between offices'
// areas, districts for context, offices (those off the network hollow),
// on the page every map has (legend, scale bar, north arrow, source line).
// The frame fits the bands and the offices on the network. It returns the
// image and warnings (fonts, labels left out).
func RenderIsochroneMap(d IsochroneMapData, opt MapOptions) (image.Image, []string, error) {
	img, _, warns, err := renderIsochroneMap(d, opt)
	return img, warns, err
}

func renderIsochroneMap(d IsochroneMapData, opt MapOptions) (image.Image, *mapLayout, []string, error) {
	if d.Unit != "min" && d.Unit != "km" {
		return nil, nil, nil, fmt.Errorf("isochrone map: unit %q: want min (travel time) or km (road distance)", d.Unit)
	}
	if len(d.Bands) == 0 {
		return nil, nil, nil, errors.New("isochrone map: no bands")
	}
	for i := 1; i < len(d.Bands); i++ {
		if !(d.Bands[i].Limit > d.Bands[i-1].Limit) {
			return nil, nil, nil, fmt.Errorf("isochrone map: band limits not ascending (%g after %g)", d.Bands[i].Limit, d.Bands[i-1].Limit)
		}
	}
	if d.OffNetwork != nil && len(d.OffNetwork) != len(d.Offices) {
		return nil, nil, nil, fmt.Errorf("isochrone map: %d off-network flags for %d offices", len(d.OffNetwork), len(d.Offices))
	}
	if d.OfficeAreas != nil && len(d.OfficeAreas) != len(d.Offices) {
		return nil, nil, nil, fmt.Errorf("isochrone map: %d office areas for %d offices", len(d.OfficeAreas), len(d.Offices))
	}
	opt, err := mapOptions(opt)
	if err != nil {
		return nil, nil, nil, err
	}
	pg, err := newPage("isochrone map", opt)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("isochrone map: %w", err)
	}
	m := &isoScene{mapScene: &mapScene{page: pg, d: MapData{Offices: d.Offices, Districts: d.Districts, Boundary: d.Boundary, Source: d.Source}}, iso: d}
	if err := m.fit(); err != nil {
		return nil, nil, nil, err
	}
	img := m.page.draw(m.drawLayers, m.iso.Title, m.defaultTitle(), m.summary())
	return img, &m.layout, m.warns, nil
}

// offNetwork reports whether office i is outside the network.
func (m *isoScene) offNetwork(i int) bool { return m.iso.OffNetwork != nil && m.iso.OffNetwork[i] }

// fit gives the page the map's legend and footer and fits the largest band
// and the offices on the network into the frame, with a little context
// around them, at least 2 km across.
func (m *isoScene) fit() error {
	tm, b, err := projectedExtent("isochrone map", func(add func(p orb.Point)) {
		lonlat.ForEachPosition(m.iso.Bands[len(m.iso.Bands)-1].Area, add)
		for i, o := range m.iso.Offices {
			if !m.offNetwork(i) {
				add(o.Location)
			}
		}
	})
	if err != nil {
		return err
	}
	padM := 0.04 * math.Max(b[2]-b[0], b[3]-b[1])
	b[0], b[1], b[2], b[3] = b[0]-padM, b[1]-padM, b[2]+padM, b[3]+padM
	widen(&b, 2000)
	m.legend = m.legendSections()
	m.footer = m.footerTexts()
	m.page.fit(tm, b, pageShape{panelShare: 0.27, panelMinPt: 160})
	return nil
}

// drawLayers draws the districts, the bands, the borders between the
// offices' areas and the boundary, clipped to the frame, then the offices.
func (m *isoScene) drawLayers() {
	dc := m.p.dc
	dpi := m.opt.DPI
	// Districts and the boundary reach beyond the frame: clip them.
	dc.DrawRectangle(m.frame.X0, m.frame.Y0, m.frame.X1-m.frame.X0, m.frame.Y1-m.frame.Y0)
	dc.Clip()
	m.projectDistricts()
	m.fillDistricts(func(int) color.Color { return colOutside })
	m.strokeDistricts(colDistrict, 0.6)
	cols := bandColours(len(m.iso.Bands))
	dc.SetFillRule(gg.FillRuleEvenOdd)
	for k := len(m.iso.Bands) - 1; k >= 0; k-- {
		m.multiPath(m.iso.Bands[k].Area)
		dc.SetColor(cols[k])
		dc.Fill()
	}
	dc.SetFillRule(gg.FillRuleWinding)
	// District borders again, faint, so that districts show through the bands.
	m.strokeDistricts(colBandVeil, 0.6)
	dc.SetColor(colAreaEdge)
	dc.SetLineWidth(pt(0.9, dpi))
	dc.SetLineJoin(gg.LineJoinRound)
	for _, a := range m.iso.OfficeAreas {
		if len(a) > 0 {
			m.multiPath(a)
			dc.Stroke()
		}
	}
	m.drawBoundary()
	dc.ResetClip()
	m.drawIsoOffices()
}

// drawOffNetwork draws an office outside the network: a hollow grey circle.
func drawOffNetwork(dc *gg.Context, c px, r, dpi float64) {
	dc.DrawCircle(c.X, c.Y, r)
	dc.SetColor(colPaper)
	dc.FillPreserve()
	dc.SetColor(colOffRoad)
	dc.SetLineWidth(pt(1.1, dpi))
	dc.Stroke()
}

// drawIsoOffices draws the offices inside the frame and labels them: those
// on the network first (ward offices first), then those off it in grey.
func (m *isoScene) drawIsoOffices() {
	// Whole symbols only: one cut by the frame reads as a different symbol.
	inFrame := func(c px, r float64) bool {
		return c.X-r > m.frame.X0 && c.X+r < m.frame.X1 && c.Y-r > m.frame.Y0 && c.Y+r < m.frame.Y1
	}
	order := make([]int, 0, len(m.iso.Offices))
	for i, o := range m.iso.Offices {
		if inFrame(m.toPx(o.Location), m.officeRadius(o)+1) {
			order = append(order, i)
		}
	}
	rank := func(i int) int {
		switch {
		case m.offNetwork(i):
			return 0
		case m.iso.Offices[i].Kind == "ward":
			return 2
		}
		return 1
	}
	sort.SliceStable(order, func(a, b int) bool { return rank(order[a]) < rank(order[b]) })
	pl := newLabelPlacer(m.frame)
	for _, i := range order {
		o := m.iso.Offices[i]
		c := m.toPx(o.Location)
		r := m.officeRadius(o)
		pl.block(box{c.X - r - 1, c.Y - r - 1, c.X + r + 1, c.Y + r + 1})
		if m.offNetwork(i) {
			drawOffNetwork(m.p.dc, c, r, m.opt.DPI)
		} else {
			drawOfficeSymbol(m.p.dc, o, c, r, m.opt.DPI)
		}
	}
	var unlabelled []string
	defer func() { m.warns = append(m.warns, noRoomWarnings(m.what, unlabelled, len(order))...) }()
	for k := len(order) - 1; k >= 0; k-- {
		i := order[k]
		o := m.iso.Offices[i]
		fallback := o.NameEn
		if fallback == "" {
			fallback = o.ID
		}
		text, warn := m.fonts.labelText("office "+o.ID, o.Name, fallback)
		if warn != "" {
			m.warns = append(m.warns, warn)
		}
		size, col, bold := 8.5, colInk, false
		if o.Kind == "ward" && !m.offNetwork(i) {
			size, bold = 9.5, true
		}
		if m.offNetwork(i) {
			size, col = 7.5, colMuted
			text += m.txt("（道路網外）", " (off network)")
		}
		c := m.toPx(o.Location)
		if _, ok := placeLabel(m.p, pl, text, size, bold, c, m.officeRadius(o), col); !ok {
			unlabelled = append(unlabelled, fmt.Sprintf("%s (%s)", o.ID, text))
		}
	}
}

// unit is the limit's unit for labels.
func (m *isoScene) unit() string {
	u := isoLimitText[m.iso.Unit]
	return m.txt(u[0], u[1])
}

// mode names the travel mode: 自動車 / car, 徒歩 / walking.
func (m *isoScene) mode() string {
	if m.iso.Profile == "walk" {
		return m.txt("徒歩", "walking")
	}
	return m.txt("自動車", "by car")
}

// defaultTitle names what the bands measure and the travel mode.
func (m *isoScene) defaultTitle() string {
	if m.iso.Unit == "min" {
		return m.txt(fmt.Sprintf("最寄りの窓口までの所要時間（%s）", m.mode()), fmt.Sprintf("Travel time to the nearest office %s", m.mode()))
	}
	return m.txt(fmt.Sprintf("最寄りの窓口までの道路距離（%s）", m.mode()), fmt.Sprintf("Road distance to the nearest office %s", m.mode()))
}

// summary is the line under the title: the offices on the network and
// what the largest band holds.
func (m *isoScene) summary() string {
	var on, off int
	for i := range m.iso.Offices {
		if m.offNetwork(i) {
			off++
		} else {
			on++
		}
	}
	last := m.iso.Bands[len(m.iso.Bands)-1]
	return m.txt(
		fmt.Sprintf("道路網上の窓口 %d（道路網外 %d は対象外）／%s%s以内：%s 人（%d 校区）", on, off, fmtKm(last.Limit), m.unit(), numfmt.Whole(last.Population), last.Districts),
		fmt.Sprintf("%d offices on the road network (%d outside it left out); within %s %s: %s residents in %d districts", on, off, fmtKm(last.Limit), m.unit(), numfmt.Whole(last.Population), last.Districts))
}

// legendSections lists the legend sections: the bands, the offices and
// the borders.
func (m *isoScene) legendSections() []legendSection {
	cols := bandColours(len(m.iso.Bands))
	heading := m.txt(fmt.Sprintf("最寄り窓口までの所要時間（%s）", m.mode()), fmt.Sprintf("Time to the nearest office, %s", m.mode()))
	if m.iso.Unit == "km" {
		heading = m.txt(fmt.Sprintf("最寄り窓口までの道路距離（%s）", m.mode()), fmt.Sprintf("Road distance to the nearest office, %s", m.mode()))
	}
	bands := legendSection{title: heading}
	for k, b := range m.iso.Bands {
		bands.items = append(bands.items, legendItem{Kind: legendSwatch, Color: cols[k], Text: m.txt(
			fmt.Sprintf("%s%s以内：%.1f km²、%s 人（%d 校区）", fmtKm(b.Limit), m.unit(), b.AreaKm2, numfmt.Whole(b.Population), b.Districts),
			fmt.Sprintf("Within %s %s: %.1f km², %s residents (%d districts)", fmtKm(b.Limit), m.unit(), b.AreaKm2, numfmt.Whole(b.Population), b.Districts))})
	}
	last := m.iso.Bands[len(m.iso.Bands)-1]
	bands.items = append(bands.items, legendItem{Kind: legendSwatch, Color: colOutside, Text: m.txt(
		fmt.Sprintf("%s%sを超える、または道路網外", fmtKm(last.Limit), m.unit()),
		fmt.Sprintf("Beyond %s %s, or off the road network", fmtKm(last.Limit), m.unit()))})
	var ward, branch, off int
	for i, o := range m.iso.Offices {
		switch {
		case m.offNetwork(i):
			off++
		case o.Kind == "ward":
			ward++
		default:
			branch++
		}
	}
	offices := legendSection{title: m.txt("窓口", "Offices")}
	if ward > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "ward"}, Text: m.txt(fmt.Sprintf("区役所（%d）", ward), fmt.Sprintf("Ward office (%d)", ward))})
	}
	if branch > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "branch"}, Text: m.txt(fmt.Sprintf("出張所（%d）", branch), fmt.Sprintf("Branch office (%d)", branch))})
	}
	if off > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffNetwork, Text: m.txt(fmt.Sprintf("道路網外の窓口（%d、圏域なし）", off), fmt.Sprintf("Office off the road network (%d, no service area)", off))})
	}
	borders := legendSection{title: m.txt("境界", "Borders")}
	borders.items = append(borders.items,
		legendItem{Kind: legendLine, Color: colAreaEdge, Width: 0.9, Text: m.txt("担当窓口の境（最寄り窓口が変わる線）", "Where the nearest office changes")},
		legendItem{Kind: legendLine, Color: colDistrict, Width: 0.6, Text: m.txt("校区界", "District border")})
	if len(m.iso.Boundary) > 0 {
		borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colBoundary, Width: 1.4, Text: m.txt("市域", "Study area")})
	}
	return sections(bands, offices, borders)
}

// footerTexts are the source, how the areas were drawn and the projection.
func (m *isoScene) footerTexts() []string {
	method := m.iso.Method
	if method == "" {
		buffer := m.iso.BufferM
		if !(buffer > 0) {
			buffer = 100
		}
		roadsJa, roadsEn := "OpenStreetMap 道路", "OpenStreetMap roads"
		if m.iso.LineRoads {
			roadsJa, roadsEn = "道路線レイヤ", "the road line layer"
		}
		method = m.txt(
			fmt.Sprintf("圏域：最寄りの窓口へ上限内で到達できる道路から %g m 以内の範囲（%s、信号・渋滞なしの自由走行速度）。道路網データの範囲外は描かれない。校区・人口は代表点が圏域内にある校区を数える。", buffer, roadsJa),
			fmt.Sprintf("Service areas: places within %g m of a road from which the nearest office is reached within the limit (%s, free-flow speeds, no signals or congestion); they stop where the road network file ends. A district and its residents count in a band when its representative point lies inside it.", buffer, roadsEn))
	}
	return []string{m.sourceText(m.iso.Source), m.printable(method), m.txt("投影法：横メルカトル（地図中心を原点）", "Projection: transverse Mercator centred on the map")}
}
