package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// QGIS styles (.qml) for the layers the report writes, coloured as the PNG
// maps are: catchments by serving office with the qualitative palette
// (neighbours differ), districts by distance class with YlOrRd over
// DefaultBreaks, gaps by store/post office coverage, offices by kind. QGIS
// loads NAME.qml beside NAME.geojson by itself; a GeoPackage carries them in
// its layer_styles table (GPKGLayer.Style).

// LayerQML returns the QGIS style of a report layer (districts or assign,
// catchments, catchments_voronoi, gaps, offices) for its features, and false for a
// layer that has no style.
func LayerQML(layer string, features []Feature) (string, bool) {
	var b bytes.Buffer
	switch layer {
	case "districts", "assign":
		writeDistanceQML(&b, DefaultBreaks)
	case "catchments", "catchments_voronoi":
		writeCatchmentQML(&b, features)
	case "gaps":
		writeGapQML(&b)
	case "offices":
		writeOfficeQML(&b)
	default:
		return "", false
	}
	return b.String(), true
}

func qmlColor(c color.RGBA) string {
	return fmt.Sprintf("%d,%d,%d,%d", c.R, c.G, c.B, c.A)
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// qmlSymbol writes a fill or marker symbol with the given layer properties,
// both as Option (QGIS ≥ 3.26) and prop (older QGIS 3) elements.
func qmlSymbol(b *bytes.Buffer, name, typ, class string, props [][2]string) {
	fmt.Fprintf(b, "      <symbol type=%q name=%q alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n", typ, name)
	fmt.Fprintf(b, "        <layer class=%q enabled=\"1\" locked=\"0\" pass=\"0\">\n          <Option type=\"Map\">\n", class)
	for _, p := range props {
		fmt.Fprintf(b, "            <Option type=\"QString\" name=%q value=\"%s\"/>\n", p[0], esc(p[1]))
	}
	b.WriteString("          </Option>\n")
	for _, p := range props {
		fmt.Fprintf(b, "          <prop k=%q v=\"%s\"/>\n", p[0], esc(p[1]))
	}
	b.WriteString("        </layer>\n      </symbol>\n")
}

func fillProps(fill, outline color.RGBA, widthMM float64) [][2]string {
	return [][2]string{
		{"color", qmlColor(fill)}, {"style", "solid"},
		{"outline_color", qmlColor(outline)}, {"outline_style", "solid"},
		{"outline_width", strconv.FormatFloat(widthMM, 'f', -1, 64)}, {"outline_width_unit", "MM"},
		{"joinstyle", "round"},
	}
}

func markerProps(shape string, fill color.RGBA, sizeMM float64) [][2]string {
	return [][2]string{
		{"name", shape}, {"color", qmlColor(fill)}, {"outline_color", qmlColor(colPaper)},
		{"outline_style", "solid"}, {"outline_width", "0.3"}, {"outline_width_unit", "MM"},
		{"size", strconv.FormatFloat(sizeMM, 'f', -1, 64)}, {"size_unit", "MM"},
	}
}

const qmlHead = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.28.0\" styleCategories=\"Symbology\">\n"
const qmlTail = "</qgis>\n"

// qmlCategory is one class of a categorized renderer.
type qmlCategory struct {
	value, label string
	fill         color.RGBA
}

func writeCategorized(b *bytes.Buffer, attr, symType, class string, cats []qmlCategory, props func(c qmlCategory) [][2]string) {
	b.WriteString(qmlHead)
	fmt.Fprintf(b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n    <categories>\n", esc(attr))
	for i, c := range cats {
		fmt.Fprintf(b, "      <category value=\"%s\" label=\"%s\" symbol=\"%d\" render=\"true\"/>\n", esc(c.value), esc(c.label), i)
	}
	b.WriteString("    </categories>\n    <symbols>\n")
	for i, c := range cats {
		qmlSymbol(b, strconv.Itoa(i), symType, class, props(c))
	}
	b.WriteString("    </symbols>\n  </renderer-v2>\n")
	b.WriteString(qmlTail)
}

// writeDistanceQML classes districts by distance_m as the distance map does.
func writeDistanceQML(b *bytes.Buffer, breaks []float64) {
	cols := sequential(len(breaks))
	b.WriteString(qmlHead)
	b.WriteString("  <renderer-v2 type=\"graduatedSymbol\" attr=\"distance_m\" graduatedMethod=\"GraduatedColor\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n    <ranges>\n")
	for i, lo := range breaks {
		hi := math.Inf(1)
		if i+1 < len(breaks) {
			hi = breaks[i+1]
		}
		label := DistanceClass{MinKm: lo, MaxKm: hi}.Label()
		upper := 1e9
		if !math.IsInf(hi, 1) {
			upper = hi * 1000
		}
		fmt.Fprintf(b, "      <range lower=\"%g\" upper=\"%g\" label=\"%s\" symbol=\"%d\" render=\"true\"/>\n", lo*1000, upper, esc(label), i)
	}
	b.WriteString("    </ranges>\n    <symbols>\n")
	for i := range breaks {
		qmlSymbol(b, strconv.Itoa(i), "fill", "SimpleFill", fillProps(cols[i], colDistrict, 0.2))
	}
	b.WriteString("    </symbols>\n  </renderer-v2>\n")
	b.WriteString(qmlTail)
}

// writeGapQML colours districts as the gap map does.
func writeGapQML(b *bytes.Buffer) {
	expr := `CASE WHEN "stores" > 0 THEN 'covered' WHEN "posts" > 0 THEN 'post_only' ELSE 'gap' END`
	cats := []qmlCategory{
		{"gap", "コンビニも郵便局もない No store, no post office", colGap},
		{"post_only", "コンビニなし・郵便局あり No store, has a post office", colPostOnly},
		{"covered", "コンビニあり Has a store", colCovered},
	}
	writeCategorized(b, expr, "fill", "SimpleFill", cats, func(c qmlCategory) [][2]string { return fillProps(c.fill, colDistrict, 0.2) })
}

// writeOfficeQML draws ward offices as larger red squares and branch
// offices as blue circles, as the maps do.
func writeOfficeQML(b *bytes.Buffer) {
	cats := []qmlCategory{{"ward", "区役所 Ward office", colWard}, {"branch", "出張所 Branch office", colBranch}}
	writeCategorized(b, "kind", "marker", "SimpleMarker", cats, func(c qmlCategory) [][2]string {
		if c.value == "ward" {
			return markerProps("square", c.fill, 3.2)
		}
		return markerProps("circle", c.fill, 2.4)
	})
}

// writeCatchmentQML colours each office's catchment from the qualitative
// palette so that catchments sharing a border differ, as the catchment map
// does (neighbours are found from shared vertices, so colours may differ
// from the PNG's, which finds them in pixel space).
func writeCatchmentQML(b *bytes.Buffer, features []Feature) {
	ids, labels := catchmentOffices(features)
	cols := colourOffices(vertexAdjacency(features, ids), len(qualitative))
	cats := make([]qmlCategory, len(ids))
	for i, id := range ids {
		cats[i] = qmlCategory{id, labels[i], qualitative[cols[i]]}
	}
	writeCategorized(b, "office_id", "fill", "SimpleFill", cats, func(c qmlCategory) [][2]string { return fillProps(c.fill, colCatchment, 0.6) })
}

// catchmentOffices lists the office ids of catchment features in order,
// once each, with their office names as labels.
func catchmentOffices(features []Feature) (ids, labels []string) {
	seen := map[string]bool{}
	for _, f := range features {
		id, name := "", ""
		for _, p := range f.Properties {
			switch p.Key {
			case "office_id":
				id = fmt.Sprint(p.Value)
			case "office_name":
				name = fmt.Sprint(p.Value)
			}
		}
		if id == "" {
			id = f.ID
		}
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		if name == "" {
			name = id
		}
		ids = append(ids, id)
		labels = append(labels, name)
	}
	return ids, labels
}

// vertexAdjacency links offices whose catchments share a vertex (to 1e-6°,
// about 10 cm).
func vertexAdjacency(features []Feature, ids []string) [][]int {
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
	}
	owner := map[[2]int64][]int{}
	adj := make([]map[int]bool, len(ids))
	for i := range adj {
		adj[i] = map[int]bool{}
	}
	for _, f := range features {
		id := f.ID
		for _, p := range f.Properties {
			if p.Key == "office_id" {
				id = fmt.Sprint(p.Value)
			}
		}
		o, ok := index[id]
		if !ok {
			continue
		}
		visit := func(p orb.Point) {
			k := [2]int64{int64(math.Round(p[0] * 1e6)), int64(math.Round(p[1] * 1e6))}
			for _, other := range owner[k] {
				if other != o {
					adj[o][other], adj[other][o] = true, true
				}
			}
			if l := owner[k]; len(l) == 0 || l[len(l)-1] != o {
				owner[k] = append(l, o)
			}
		}
		forEachPosition(gpkgGeometry(f.Geometry), visit)
	}
	out := make([][]int, len(ids))
	for i, m := range adj {
		for j := range m {
			out[i] = append(out[i], j)
		}
	}
	return out
}
