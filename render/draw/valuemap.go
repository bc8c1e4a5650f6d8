package draw

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Bilingual is a text in Japanese and in English: a map prints the
// Japanese one when it has a Japanese font, else the English one.
type Bilingual struct {
	Ja, En string
}

// ValueClass is one class of a value map: the values v ≤ Max that no
// earlier class holds.
type ValueClass struct {
	Max   float64
	Label Bilingual // the legend text, e.g. the range "0.8–1.2"
	Color color.RGBA
}

// ValueMapData is a choropleth of one value per district, in classes the
// caller chooses (see QuantileBreaks), drawn on the page every map has.
type ValueMapData struct {
	// Offices are drawn on top, labelled; Closed ones as closed.
	Offices []MapOffice
	// Districts are filled by their value; only Geometry and the ids are used.
	Districts []MapDistrict
	// Boundary is the study area outline; may be nil.
	Boundary orb.MultiPolygon
	// Stores and Posts, when given, are drawn as small symbols over the
	// districts (the places the map is about, such as the stores open at
	// an hour) and counted in the legend under PointsHeading.
	Stores, Posts []orb.Point
	PointsHeading Bilingual
	// ClosedLabel is the legend text of the offices drawn closed (default
	// "Closed office"), ClosedSuffix what follows their labels (nil:
	// "（閉所）", " (closed)"; an empty one: nothing).
	ClosedLabel  Bilingual
	ClosedSuffix *Bilingual
	// Values holds one value per district; NaN is no value (grey).
	Values []float64
	// Classes are ascending by Max; a value above the last is no value.
	Classes []ValueClass
	// Title is the map's title, Summary the line under it and Heading the
	// legend heading of the classes.
	Title, Summary, Heading Bilingual
	// NoValue is the legend text of districts without a value (default
	// "no value").
	NoValue Bilingual
	// Source is the data source line; Notes follow it in the footer (what
	// the value is, how it was measured).
	Source string
	Notes  []Bilingual
}

// QuantileBreaks returns the upper bounds of up to n quantile classes of
// the finite values, ascending: class k ends at the nearest-rank
// k/n-quantile. Equal bounds (ties) merge, so there may be fewer than n;
// none for no finite value.
func QuantileBreaks(values []float64, n int) []float64 {
	var v []float64
	for _, x := range values {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	if len(v) == 0 || n < 1 {
		return nil
	}
	slices.Sort(v)
	var out []float64
	for k := 1; k <= n; k++ {
		r := int(math.Ceil(float64(k)*float64(len(v))/float64(n))) - 1
		b := v[min(max(r, 0), len(v)-1)]
		if len(out) == 0 || b > out[len(out)-1] {
			out = append(out, b)
		}
	}
	return out
}

// ClassifyValues returns, per value, the index of its class (-1: no
// value) and how many values each class holds.
func ClassifyValues(classes []ValueClass, values []float64) (idx []int, counts []int) {
	idx, counts = make([]int, len(values)), make([]int, len(classes))
	for i, v := range values {
		idx[i] = -1
		if math.IsNaN(v) {
			continue
		}
		for k, c := range classes {
			if v <= c.Max {
				idx[i] = k
				counts[k]++
				break
			}
		}
	}
	return idx, counts
}

// YlGn returns n colours of ColorBrewer YlGn (light = low, dark = high),
// for n from 1 to 7 (more repeat the darkest): fills for values where
// more is better, such as accessibility. Greens keep the red ward and blue
// branch office symbols distinct.
func YlGn(n int) []color.RGBA {
	return palette(map[int][]uint32{
		1: {0x78c679},
		2: {0xd9f0a3, 0x31a354},
		3: {0xf7fcb9, 0xaddd8e, 0x31a354},
		4: {0xffffcc, 0xc2e699, 0x78c679, 0x238443},
		5: {0xffffcc, 0xc2e699, 0x78c679, 0x31a354, 0x006837},
		6: {0xffffcc, 0xd9f0a3, 0xaddd8e, 0x78c679, 0x31a354, 0x006837},
		7: {0xffffcc, 0xd9f0a3, 0xaddd8e, 0x78c679, 0x41ab5d, 0x238443, 0x005a32},
	}, n, 7)
}

// Losses returns n oranges from light (small loss) to dark (large loss),
// ColorBrewer PuOr's orange arm, and Gains n teals from light to dark,
// BrBG's green arm, for n from 1 to 4 (more repeat the darkest): the fills
// of a change map, distinct from the red and blue office symbols.
func Losses(n int) []color.RGBA {
	return palette(map[int][]uint32{1: {0xe08214}, 2: {0xfdb863, 0xb35806}, 3: {0xfee0b6, 0xfdb863, 0xb35806}, 4: {0xfee0b6, 0xfdb863, 0xe08214, 0x7f3b08}}, n, 4)
}

// Gains: see Losses.
func Gains(n int) []color.RGBA {
	return palette(map[int][]uint32{1: {0x35978f}, 2: {0x80cdc1, 0x01665e}, 3: {0xc7eae5, 0x80cdc1, 0x01665e}, 4: {0xc7eae5, 0x80cdc1, 0x35978f, 0x01665e}}, n, 4)
}

// palette picks n colours from the palette of min(n, most) colours,
// repeating the last.
func palette(pals map[int][]uint32, n, most int) []color.RGBA {
	out := make([]color.RGBA, max(n, 0))
	for i := range out {
		pal := pals[min(n, most)]
		out[i] = hex(pal[min(i, len(pal)-1)])
	}
	return out
}

// ColNoChange is the fill of "no change" on a change map, ColNone that of
// districts with no office in range on an access map.
var (
	ColNoChange = hex(0xf2f2f2)
	ColNone     = hex(0xfdae61)
)

// valueScene is a value map being drawn.
type valueScene struct {
	*mapScene
	v      ValueMapData
	idx    []int
	counts []int
}

// RenderValueMap draws a choropleth of one value per district in the
// given classes, with the offices, a legend (class, count), scale bar,
// north arrow and footer: the page every map has. It returns the image
// and warnings (fonts, labels left out).
func RenderValueMap(d ValueMapData, opt MapOptions) (image.Image, []string, error) {
	img, _, warns, err := renderValueMap(d, opt)
	return img, warns, err
}

func renderValueMap(d ValueMapData, opt MapOptions) (image.Image, *mapLayout, []string, error) {
	if len(d.Values) != len(d.Districts) {
		return nil, nil, nil, fmt.Errorf("value map: %d values for %d districts", len(d.Values), len(d.Districts))
	}
	if len(d.Districts) == 0 {
		return nil, nil, nil, errors.New("value map: no districts")
	}
	if len(d.Classes) == 0 {
		return nil, nil, nil, errors.New("value map: no classes")
	}
	for k := 1; k < len(d.Classes); k++ {
		if !(d.Classes[k].Max > d.Classes[k-1].Max) {
			return nil, nil, nil, fmt.Errorf("value map: class bounds not ascending at class %d (%g after %g)", k+1, d.Classes[k].Max, d.Classes[k-1].Max)
		}
	}
	opt, err := mapOptions(opt)
	if err != nil {
		return nil, nil, nil, err
	}
	pg, err := newPage("value map", opt)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("value map: %w", err)
	}
	m := &valueScene{mapScene: &mapScene{page: pg, projections: opt.Projections, d: MapData{Offices: d.Offices, Districts: d.Districts, Boundary: d.Boundary, Source: d.Source,
		Stores: d.Stores, Posts: d.Posts}, closedSuffix: d.ClosedSuffix}, v: d}
	m.idx, m.counts = ClassifyValues(d.Classes, d.Values)
	if err := m.fit(); err != nil {
		return nil, nil, nil, err
	}
	img := m.page.draw(m.drawLayers, m.text(d.Title), m.txt("校区別の値", "Value by district"), m.text(d.Summary))
	return img, &m.layout, m.warns, nil
}

// text picks the Japanese or the English form of b (the English one when
// the Japanese one is empty).
func (m *valueScene) text(b Bilingual) string {
	if b.Ja == "" {
		return m.printable(b.En)
	}
	return m.printable(m.txt(b.Ja, b.En))
}

// fit gives the page its legend and footer and fits the districts, the
// boundary and the offices into the frame.
func (m *valueScene) fit() error {
	tm, b, err := m.dataExtent("value map")
	if err != nil {
		return err
	}
	m.legend = m.valueLegend()
	m.footer = []string{m.sourceText(m.v.Source)}
	for _, n := range m.v.Notes {
		m.footer = append(m.footer, m.text(n))
	}
	m.footer = append(m.footer, m.txt("投影法：横メルカトル（地図中心を原点）", "Projection: transverse Mercator centred on the map"))
	m.page.fit(tm, b, pageShape{panelShare: 0.26, panelMinPt: 160, padPt: 10})
	return nil
}

// drawLayers fills the districts by class, draws their borders, the
// boundary and the labelled offices.
func (m *valueScene) drawLayers() {
	m.projectDistricts()
	m.fillDistricts(func(i int) color.Color {
		if k := m.idx[i]; k >= 0 {
			return m.v.Classes[k].Color
		}
		return colNoData
	})
	m.strokeDistricts(colDistrict, 0.5)
	m.drawBoundary()
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
	m.drawOffices(true)
}

// valueLegend lists the classes with their counts, the offices and the
// borders.
func (m *valueScene) valueLegend() []legendSection {
	vals := legendSection{title: m.text(m.v.Heading)}
	none := len(m.v.Values)
	for k, c := range m.v.Classes {
		none -= m.counts[k]
		vals.items = append(vals.items, legendItem{Kind: legendSwatch, Color: c.Color,
			Text: m.txt(fmt.Sprintf("%s（%d 校区）", m.text(c.Label), m.counts[k]), fmt.Sprintf("%s (%d)", m.text(c.Label), m.counts[k]))})
	}
	if none > 0 {
		label := m.v.NoValue
		if label.En == "" {
			label = Bilingual{Ja: "値なし", En: "No value"}
		}
		vals.items = append(vals.items, legendItem{Kind: legendSwatch, Color: colNoData,
			Text: m.txt(fmt.Sprintf("%s（%d 校区）", m.text(label), none), fmt.Sprintf("%s (%d)", m.text(label), none))})
	}
	ward, branch, closed := countOffices(m.d.Offices)
	offices := legendSection{title: m.txt("窓口", "Offices")}
	if ward > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "ward"}, Text: m.txt(fmt.Sprintf("区役所（%d）", ward), fmt.Sprintf("Ward office (%d)", ward))})
	}
	if branch > 0 {
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "branch"}, Text: m.txt(fmt.Sprintf("出張所（%d）", branch), fmt.Sprintf("Branch office (%d)", branch))})
	}
	if closed > 0 {
		label := m.v.ClosedLabel
		if label.En == "" {
			label = Bilingual{Ja: "閉所", En: "Closed office"}
		}
		offices.items = append(offices.items, legendItem{Kind: legendOffice, Office: MapOffice{Kind: "branch", Closed: true},
			Text: m.txt(fmt.Sprintf("%s（%d）", m.text(label), closed), fmt.Sprintf("%s (%d)", m.text(label), closed))})
	}
	if len(m.d.Stores)+len(m.d.Posts) > 0 {
		heading := m.v.PointsHeading
		if heading.En == "" {
			heading = Bilingual{Ja: "施設", En: "Places"}
		}
		pts := legendSection{title: m.text(heading)}
		if len(m.d.Stores) > 0 {
			pts.items = append(pts.items, legendItem{Kind: legendStore, Color: colStore, Text: m.txt(fmt.Sprintf("コンビニ（%d）", len(m.d.Stores)), fmt.Sprintf("Convenience store (%d)", len(m.d.Stores)))})
		}
		if len(m.d.Posts) > 0 {
			pts.items = append(pts.items, legendItem{Kind: legendPost, Color: colPost, Text: m.txt(fmt.Sprintf("郵便局（%d）", len(m.d.Posts)), fmt.Sprintf("Post office (%d)", len(m.d.Posts)))})
		}
		pts.items = append(pts.items, offices.items...)
		offices = pts
	}
	borders := legendSection{title: m.txt("境界", "Borders")}
	borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colDistrict, Width: 0.6, Text: m.txt("校区界", "District border")})
	if len(m.d.Boundary) > 0 {
		borders.items = append(borders.items, legendItem{Kind: legendLine, Color: colBoundary, Width: 1.4, Text: m.txt("市域", "Study area")})
	}
	return sections(vals, offices, borders)
}
