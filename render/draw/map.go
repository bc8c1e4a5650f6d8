package draw

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/fogleman/gg"
	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/geo"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
)

// MapOffice is an office as a map draws it.
type MapOffice struct {
	ID     string
	Name   string // Japanese name, the label when a Japanese font is available
	NameEn string // romanised name, the label without a Japanese font
	Kind   string // "ward" or "branch"
	Closed bool   // a closed office: drawn grey, serves nothing
	// Location is lon, lat in degrees.
	Location orb.Point
	// Fill is the colour of the office's catchment (OfficeFills); when
	// no office has one, catchments are coloured so that neighbours differ.
	Fill color.RGBA
}

// MapDistrict is a district (校区) as a map draws it.
type MapDistrict struct {
	ID       string
	Name     string
	NameEn   string
	Geometry orb.MultiPolygon // lon, lat in degrees
	// Office is the index into MapData.Offices of the office serving the
	// district, or -1 when none does.
	Office int
	// DistanceM is the geodesic distance in metres to the nearest open
	// office; negative or NaN means unknown.
	DistanceM float64
	// Stores and Posts count the convenience stores and post offices in
	// the district.
	Stores, Posts int
}

// MapData is everything a map shows.
type MapData struct {
	Offices   []MapOffice
	Districts []MapDistrict
	// Stores and Posts are convenience stores and post offices (lon, lat).
	Stores, Posts []orb.Point
	// Boundary is the study area outline; may be nil.
	Boundary orb.MultiPolygon
	// Title replaces the map's default title when not empty.
	Title string
	// Source is the data source line printed under the map, e.g. "Offices:
	// GSI-derived positions; districts, stores, post offices: synthetic demo
	// layers".
	Source string
	// Metric is how DistanceM was measured: "geodesic" (or empty), "road"
	// or "time"; the footer says which.
	Metric string
}

// MapKind names one of the maps.
type MapKind string

// The maps RenderMap draws.
const (
	// MapCatchments fills each district with the colour of the office that
	// serves it and draws catchment borders thick.
	MapCatchments MapKind = "catchments"
	// MapDistance is a choropleth of each district's distance to its
	// nearest open office, in classes.
	MapDistance MapKind = "distance"
	// MapGaps highlights the districts with no convenience store and shows
	// stores and post offices.
	MapGaps MapKind = "gaps"
)

// MapKinds lists every map kind.
var MapKinds = []MapKind{MapCatchments, MapDistance, MapGaps}

// DefaultBreaks are the class limits of the distance map in km.
var DefaultBreaks = []float64{0, 1, 2, 3, 5, 8}

// MapOptions controls the size, fonts and classes of a map.
type MapOptions struct {
	// Width is the image width in pixels (default 1600).
	Width int
	// DPI scales text, symbols and line widths, which are set in points
	// (default 144 × Width/1600: a map looks the same at every width, and
	// a 1600 px map is 11.1 inches wide).
	DPI float64
	// Fonts is the parsed font set to draw with. When nil, fonts are
	// loaded from FontPath, or searched for when FontPath is empty.
	Fonts *Fonts
	// FontPath is the Japanese font file to use when Fonts is nil.
	FontPath string
	// NoFont forces the Latin-only fallback (romanised labels), whatever
	// the machine has installed.
	NoFont bool
	// Breaks are the lower class limits of the distance map in km,
	// ascending (default DefaultBreaks); the last class is open-ended.
	Breaks []float64
	// Projections, when not nil, is shared by the maps of a run so that
	// maps of the same districts project their outlines once.
	Projections *ProjectionCache
}

// resolveFonts picks the font set an options value asks for.
func resolveFonts(fonts *Fonts, path string, noFont bool) (*Fonts, []string, error) {
	switch {
	case noFont:
		return LatinFonts(), nil, nil
	case fonts != nil:
		return fonts, nil, nil
	default:
		return LoadFonts(path)
	}
}

// RenderMap draws one map and returns the image and the warnings about it
// (no Japanese font, glyphs the font lacks, labels left out for want of
// room).
func RenderMap(kind MapKind, d MapData, opt MapOptions) (image.Image, []string, error) {
	img, _, warns, err := renderMap(kind, d, opt)
	return img, warns, err
}

// WritePNG encodes img as PNG to path, atomically.
func WritePNG(path string, img image.Image) error {
	err := atomicfile.WriteFile(path, func(w io.Writer) error {
		return png.Encode(w, img)
	})
	if err != nil {
		return fmt.Errorf("write map %s: %w", path, err)
	}
	return nil
}

// DistanceClass is one class of the distance map: districts whose distance
// is in [MinKm, MaxKm) (MaxKm is +Inf for the last class).
type DistanceClass struct {
	MinKm, MaxKm float64
	Color        color.RGBA
	Districts    int // how many districts fall in the class
}

// Label is the legend text of the class, such as "1–2 km" or "8 km +".
func (c DistanceClass) Label() string {
	if math.IsInf(c.MaxKm, 1) {
		return fmt.Sprintf("%s km +", fmtKm(c.MinKm))
	}
	return fmt.Sprintf("%s–%s km", fmtKm(c.MinKm), fmtKm(c.MaxKm))
}

func fmtKm(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%g", v)
}

// ClassifyDistances puts each district in a class of breaks (km, ascending
// lower limits). It returns the classes with their counts and, per
// district, the class index or -1 for an unknown or below-range distance.
func ClassifyDistances(breaks []float64, districts []MapDistrict) ([]DistanceClass, []int, error) {
	if len(breaks) == 0 {
		breaks = DefaultBreaks
	}
	for i := range breaks {
		if math.IsNaN(breaks[i]) || math.IsInf(breaks[i], 0) {
			return nil, nil, fmt.Errorf("distance breaks: break %d is %v", i, breaks[i])
		}
		if i > 0 && breaks[i] <= breaks[i-1] {
			return nil, nil, fmt.Errorf("distance breaks: not ascending at break %d (%g after %g)", i, breaks[i], breaks[i-1])
		}
	}
	cols := Sequential(len(breaks))
	classes := make([]DistanceClass, len(breaks))
	for i, b := range breaks {
		hi := math.Inf(1)
		if i+1 < len(breaks) {
			hi = breaks[i+1]
		}
		classes[i] = DistanceClass{MinKm: b, MaxKm: hi, Color: cols[i]}
	}
	idx := make([]int, len(districts))
	for i, d := range districts {
		idx[i] = -1
		km := d.DistanceM / 1000
		if math.IsNaN(km) || d.DistanceM < 0 || km < breaks[0] {
			continue
		}
		c := sort.Search(len(breaks), func(j int) bool { return breaks[j] > km }) - 1
		idx[i] = c
		classes[c].Districts++
	}
	return classes, idx, nil
}

// px is a point in image pixels.
type px struct{ X, Y float64 }

// box is an axis-aligned rectangle in image pixels.
type box struct{ X0, Y0, X1, Y1 float64 }

func (b box) overlaps(o box) bool {
	return b.X0 < o.X1 && o.X0 < b.X1 && b.Y0 < o.Y1 && o.Y0 < b.Y1
}

func (b box) inside(o box) bool {
	return b.X0 >= o.X0 && b.Y0 >= o.Y0 && b.X1 <= o.X1 && b.Y1 <= o.Y1
}

// mapLayout records where things went, for tests.
type mapLayout struct {
	W, H    int
	Frame   box // the map frame
	Panel   box // the legend panel
	Labels  []placedLabel
	Legend  []legendItem
	Classes []DistanceClass
}

// screenDistrict is a district's rings in pixels.
type screenDistrict struct {
	polys [][][]px // polygon, ring, vertex
	bound box
}

// mapScene is one map of MapData being drawn on a page.
type mapScene struct {
	*page
	kind  MapKind
	d     MapData
	dists []screenDistrict
	// metres holds the districts projected when the map was fitted; nil
	// when they are to be projected as they are drawn.
	metres []orb.MultiPolygon
	// projections shares projected outlines between maps (may be nil).
	projections *ProjectionCache
	// closedSuffix, when not nil, replaces "（閉所）" after the labels of
	// closed offices (empty: no suffix).
	closedSuffix *Bilingual
}

func renderMap(kind MapKind, d MapData, opt MapOptions) (image.Image, *mapLayout, []string, error) {
	switch kind {
	case MapCatchments, MapDistance, MapGaps:
	default:
		return nil, nil, nil, fmt.Errorf("map kind %q: want one of catchments, distance, gaps", kind)
	}
	opt, err := mapOptions(opt)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(d.Districts) == 0 && len(d.Offices) == 0 && len(d.Boundary) == 0 {
		return nil, nil, nil, errors.New("map: nothing to draw (no districts, offices or boundary)")
	}
	for i, di := range d.Districts {
		if di.Office < -1 || di.Office >= len(d.Offices) {
			return nil, nil, nil, fmt.Errorf("map: district %d (id=%s): office index %d out of range (%d offices)", i, di.ID, di.Office, len(d.Offices))
		}
	}
	pg, err := newPage(string(kind)+" map", opt)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("map: %w", err)
	}
	m := &mapScene{page: pg, kind: kind, d: d, projections: opt.Projections}
	if kind == MapDistance {
		classes, _, err := ClassifyDistances(opt.Breaks, d.Districts)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("map: %w", err)
		}
		m.layout.Classes = classes
	}
	if err := m.fit(); err != nil {
		return nil, nil, nil, err
	}
	img := m.page.draw(m.drawLayers, m.d.Title, m.defaultTitle(), m.summary())
	if miss := m.fonts.MissingInLatin(m.d.Source); len(miss) > 0 {
		m.warns = append(m.warns, fmt.Sprintf("%s map: source line has glyphs the font lacks (%q); printed without them", m.kind, string(miss)))
	}
	return img, &m.layout, m.warns, nil
}

// fit gives the page the map's legend and footer and fits the data's
// projected extent (at least 1 km across each way) into the frame, with a
// margin.
func (m *mapScene) fit() error {
	tm, b, err := m.dataExtent("map")
	if err != nil {
		return err
	}
	m.legend = m.legendSections()
	m.footer = []string{m.sourceText(m.d.Source), m.note()}
	m.page.fit(tm, b, pageShape{panelShare: 0.24, panelMinPt: 150, padPt: 10})
	return nil
}

// dataExtent is the projection of the map's districts, boundary and
// offices and their projected extent, at least 1 km across each way; it
// keeps the districts projected for drawing. what names the map in errors.
func (m *mapScene) dataExtent(what string) (geo.TransverseMercator, [4]float64, error) {
	geoms := make([]orb.MultiPolygon, len(m.d.Districts))
	for i, di := range m.d.Districts {
		geoms[i] = di.Geometry
	}
	tm, b, metres, err := projectedExtentOf(what, geoms, m.projections, func(add func(p orb.Point)) {
		lonlat.ForEachPosition(m.d.Boundary, add)
		for _, o := range m.d.Offices {
			add(o.Location)
		}
	})
	if err != nil {
		return tm, b, err
	}
	m.metres = metres
	widen(&b, 1000)
	return tm, b, nil
}

// drawLayers draws the map's layers in the frame. There is no clip: the
// data is fitted inside the frame, and gg draws text under a clip mask by
// compositing a whole-image layer per string.
func (m *mapScene) drawLayers() {
	m.projectDistricts()
	switch m.kind {
	case MapCatchments:
		m.drawCatchments()
	case MapDistance:
		m.drawDistance()
	case MapGaps:
		m.drawGaps()
	}
	m.drawBoundary()
}

// projectDistricts converts every district to pixels once.
func (m *mapScene) projectDistricts() {
	m.dists = make([]screenDistrict, len(m.d.Districts))
	for i, di := range m.d.Districts {
		sd := screenDistrict{bound: box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}}
		for pi, poly := range di.Geometry {
			var rings [][]px
			for ri, ring := range poly {
				r := make([]px, 0, len(ring))
				for k, p := range ring {
					var q px
					if m.metres != nil {
						q = m.metresToPx(m.metres[i][pi][ri][k])
					} else {
						q = m.toPx(p)
					}
					// Drop vertices closer than a tenth of a pixel: invisible, and slow.
					if n := len(r); n > 0 && math.Abs(r[n-1].X-q.X) < 0.1 && math.Abs(r[n-1].Y-q.Y) < 0.1 {
						continue
					}
					r = append(r, q)
					sd.bound.X0, sd.bound.Y0 = math.Min(sd.bound.X0, q.X), math.Min(sd.bound.Y0, q.Y)
					sd.bound.X1, sd.bound.Y1 = math.Max(sd.bound.X1, q.X), math.Max(sd.bound.Y1, q.Y)
				}
				if len(r) >= 3 {
					rings = append(rings, r)
				}
			}
			if len(rings) > 0 {
				sd.polys = append(sd.polys, rings)
			}
		}
		m.dists[i] = sd
	}
}

// ringsPath adds the district's rings to the current path.
func (m *mapScene) ringsPath(i int) {
	dc := m.p.dc
	for _, poly := range m.dists[i].polys {
		for _, r := range poly {
			dc.MoveTo(r[0].X, r[0].Y)
			for _, q := range r[1:] {
				dc.LineTo(q.X, q.Y)
			}
			dc.ClosePath()
		}
	}
}

// fillDistricts fills each district with colour(i).
func (m *mapScene) fillDistricts(colour func(i int) color.Color) {
	dc := m.p.dc
	dc.SetFillRule(gg.FillRuleEvenOdd)
	for i := range m.dists {
		if len(m.dists[i].polys) == 0 {
			continue
		}
		m.ringsPath(i)
		dc.SetColor(colour(i))
		dc.Fill()
	}
	dc.SetFillRule(gg.FillRuleWinding)
}

// strokeDistricts draws every district border thin, in one pass so that
// shared borders are not darkened twice.
func (m *mapScene) strokeDistricts(c color.Color, widthPt float64) {
	dc := m.p.dc
	dc.SetColor(c)
	dc.SetLineWidth(pt(widthPt, m.opt.DPI))
	dc.SetLineJoin(gg.LineJoinRound)
	// One path per tile of the image: the rasteriser slows down
	// quadratically with the cells of one path, so a single path for
	// 20,000 districts takes seconds.
	const tile = 160.0
	tiles := map[[2]int][]int{}
	var keys [][2]int
	for i, sd := range m.dists {
		if len(sd.polys) == 0 {
			continue
		}
		k := [2]int{int((sd.bound.X0 + sd.bound.X1) / 2 / tile), int((sd.bound.Y0 + sd.bound.Y1) / 2 / tile)}
		if _, ok := tiles[k]; !ok {
			keys = append(keys, k)
		}
		tiles[k] = append(tiles[k], i)
	}
	for _, k := range keys {
		for _, i := range tiles[k] {
			m.ringsPath(i)
		}
		dc.Stroke()
	}
}

// drawBoundary outlines the study area.
func (m *mapScene) drawBoundary() {
	if len(m.d.Boundary) == 0 {
		return
	}
	dc := m.p.dc
	m.multiPath(m.d.Boundary)
	dc.SetColor(colBoundary)
	dc.SetLineWidth(pt(1.4, m.opt.DPI))
	dc.SetLineJoin(gg.LineJoinRound)
	dc.Stroke()
}

// officeColour is the fill of an office symbol.
func officeColour(o MapOffice) color.RGBA {
	switch {
	case o.Closed:
		return colClosed
	case o.Kind == "ward":
		return colWard
	default:
		return colBranch
	}
}

// drawOfficeSymbol draws a ward office as a square, a branch office as a
// circle and a closed office as a hollow grey circle with a cross.
func drawOfficeSymbol(dc *gg.Context, o MapOffice, c px, r, dpi float64) {
	dc.SetLineWidth(pt(1.1, dpi))
	switch {
	case o.Closed:
		dc.DrawCircle(c.X, c.Y, r)
		dc.SetColor(colPaper)
		dc.FillPreserve()
		dc.SetColor(colClosed)
		dc.Stroke()
		d := r * 0.6
		dc.DrawLine(c.X-d, c.Y-d, c.X+d, c.Y+d)
		dc.DrawLine(c.X-d, c.Y+d, c.X+d, c.Y-d)
		dc.Stroke()
	case o.Kind == "ward":
		dc.DrawRectangle(c.X-r, c.Y-r, 2*r, 2*r)
		dc.SetColor(officeColour(o))
		dc.FillPreserve()
		dc.SetColor(colPaper)
		dc.Stroke()
	default:
		dc.DrawCircle(c.X, c.Y, r)
		dc.SetColor(officeColour(o))
		dc.FillPreserve()
		dc.SetColor(colPaper)
		dc.Stroke()
	}
}

// drawOffices draws all office symbols (closed first, ward offices on top)
// and, with labels, their names placed so that they do not collide.
func (m *mapScene) drawOffices(labels bool) {
	order := make([]int, len(m.d.Offices))
	for i := range order {
		order[i] = i
	}
	rank := func(o MapOffice) int {
		switch {
		case o.Closed:
			return 0
		case o.Kind == "ward":
			return 2
		}
		return 1
	}
	sort.SliceStable(order, func(a, b int) bool { return rank(m.d.Offices[order[a]]) < rank(m.d.Offices[order[b]]) })
	pl := newLabelPlacer(m.frame)
	for _, i := range order {
		o := m.d.Offices[i]
		c := m.toPx(o.Location)
		r := m.officeRadius(o)
		pl.block(box{c.X - r - 1, c.Y - r - 1, c.X + r + 1, c.Y + r + 1})
		drawOfficeSymbol(m.p.dc, o, c, r, m.opt.DPI)
	}
	if !labels {
		return
	}
	// Ward offices are labelled first, so they get the best places.
	var unlabelled []string
	defer func() { m.warns = append(m.warns, noRoomWarnings(m.what, unlabelled, len(order))...) }()
	for k := len(order) - 1; k >= 0; k-- {
		o := m.d.Offices[order[k]]
		fallback := o.NameEn
		if fallback == "" {
			fallback = o.ID
		}
		text, warn := m.fonts.labelText("office "+o.ID, o.Name, fallback)
		if warn != "" {
			m.warns = append(m.warns, warn)
		}
		size, col := 8.5, colInk
		if o.Kind == "ward" && !o.Closed {
			size = 9.5
		}
		if o.Closed {
			col = colMuted
			if m.closedSuffix != nil {
				text += m.txt(m.closedSuffix.Ja, m.closedSuffix.En)
			} else {
				text += m.txt("（閉所）", " (closed)")
			}
		}
		c := m.toPx(o.Location)
		if lb, ok := placeLabel(m.p, pl, text, size, o.Kind == "ward" && !o.Closed, c, m.officeRadius(o), col); ok {
			m.layout.Labels = append(m.layout.Labels, lb)
		} else {
			unlabelled = append(unlabelled, fmt.Sprintf("%s (%s)", o.ID, text))
		}
	}
}

// defaultTitle is the title of the map's kind.
func (m *mapScene) defaultTitle() string {
	switch m.kind {
	case MapCatchments:
		return m.txt("窓口の担当区域（校区別）", "Office catchments by district")
	case MapDistance:
		return m.txt("最寄りの窓口までの距離（校区別）", "Distance to the nearest open office, by district")
	}
	return m.txt("コンビニ交付の空白校区", "Districts with no convenience store")
}

// countOffices counts the open ward and branch offices and the closed ones.
func countOffices(offices []MapOffice) (ward, branch, closed int) {
	for _, o := range offices {
		switch {
		case o.Closed:
			closed++
		case o.Kind == "ward":
			ward++
		default:
			branch++
		}
	}
	return ward, branch, closed
}

// summary is the line under the title: what the map counts.
func (m *mapScene) summary() string {
	ward, branch, closed := countOffices(m.d.Offices)
	n := len(m.d.Districts)
	switch m.kind {
	case MapGaps:
		gaps, posts := 0, 0
		for _, d := range m.d.Districts {
			if d.Stores == 0 {
				gaps++
				if d.Posts > 0 {
					posts++
				}
			}
		}
		return m.txt(
			fmt.Sprintf("校区%d のうちコンビニのない校区 %d（うち郵便局あり %d）／コンビニ %d 店・郵便局 %d 局", n, gaps, posts, len(m.d.Stores), len(m.d.Posts)),
			fmt.Sprintf("%d of %d districts have no convenience store (%d of them have a post office); %d stores, %d post offices", gaps, n, posts, len(m.d.Stores), len(m.d.Posts)))
	default:
		s := m.txt(fmt.Sprintf("区役所 %d・出張所 %d", ward, branch), fmt.Sprintf("%d ward offices, %d branch offices", ward, branch))
		if closed > 0 {
			s += m.txt(fmt.Sprintf("（閉所 %d）", closed), fmt.Sprintf(" (%d closed)", closed))
		}
		return s + m.txt(fmt.Sprintf("、校区 %d", n), fmt.Sprintf(", %d districts", n))
	}
}

// note is the footer's projection note: how distances were measured.
func (m *mapScene) note() string {
	switch m.d.Metric {
	case "road":
		return m.txt("投影法：横メルカトル（地図中心を原点）／距離は道路網（OpenStreetMap）に沿った最短経路の長さ",
			"Projection: transverse Mercator centred on the map; distances are shortest routes along the road network (OpenStreetMap)")
	case "time":
		return m.txt("投影法：横メルカトル（地図中心を原点）／距離は道路網（OpenStreetMap）に沿った最速経路の長さ",
			"Projection: transverse Mercator centred on the map; distances are the lengths of the fastest routes along the road network (OpenStreetMap)")
	}
	return m.txt("投影法：横メルカトル（地図中心を原点）／距離は WGS84 楕円体上の測地線距離",
		"Projection: transverse Mercator centred on the map; distances are geodesic on the WGS84 ellipsoid")
}

// mostUnlabelled is the number of unlabelled offices a map names one by one;
// beyond it one warning counts them.
const mostUnlabelled = 10

// noRoomWarnings words the warnings about offices whose labels found no
// room ("id (label)"): one each for a few, one for many.
func noRoomWarnings(what string, unlabelled []string, offices int) []string {
	if len(unlabelled) <= mostUnlabelled {
		out := make([]string, len(unlabelled))
		for i, u := range unlabelled {
			out[i] = fmt.Sprintf("%s: no room for the label of office %s", what, u)
		}
		return out
	}
	return []string{fmt.Sprintf("%s: no room for the labels of %d of %d offices (their symbols are drawn; the offices' table names them), e.g. %s",
		what, len(unlabelled), offices, strings.Join(unlabelled[:3], ", "))}
}
