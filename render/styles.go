package render

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// QGIS styles for the layers the report writes, coloured as the PNG maps
// are: catchments by serving office with its one colour (OfficeFills),
// districts by distance class with YlOrRd over
// draw.DefaultBreaks, gaps by store/post office coverage, offices by kind.

// LayerStyle returns the QGIS style of a report layer (districts or assign,
// catchments, catchments_voronoi, gaps, offices) for its features, and
// false for a layer that has no style. Write it with its QML method.
func LayerStyle(layer string, features []vector.Feature) (vector.Style, bool) {
	return LayerStyleFor(layer, features, nil)
}

// LayerStyleFor is LayerStyle with each office's fill (OfficeFills), so
// that an office has the same colour in every layer and map; with nil
// fills, catchments are coloured from the features' own adjacency.
func LayerStyleFor(layer string, features []vector.Feature, fills map[string]color.RGBA) (vector.Style, bool) {
	var st vector.Style
	switch layer {
	case "districts", "assign":
		st = distanceStyle(draw.DefaultBreaks, "distance_m")
		st.Labels = nameLabels("district_name", "district_name_en")
	case "catchments", "catchments_voronoi":
		st = catchmentStyle(features, fills)
		st.Labels = nameLabels("office_name", "office_name_en")
	case "gaps":
		st = gapStyle()
		st.Labels = nameLabels("district_name", "district_name_en")
	case "offices":
		st = officeStyle("kind")
		st.Labels = nameLabels("office_name", "office_name_en")
	case "whatif":
		st = distanceStyle(draw.DefaultBreaks, "distance_after_m")
		// Only the districts that move are named, with how much farther.
		st.Labels = &vector.Labels{Field: `CASE WHEN "moved" THEN "district_name" || ' ' || format_number("change_m" / 1000, 2) || ' km' END`, Expression: true}
		setLabelLook(st.Labels)
	case "whatif_offices":
		st = whatIfOfficeStyle()
		st.Labels = nameLabels("office_name", "office_name_en")
	case "isochrones":
		var ok bool
		if st, ok = isochroneStyle(features); !ok {
			return vector.Style{}, false
		}
	case "access", "access_change":
		var ok bool
		if st, ok = accessStyle(layer, features); !ok {
			return vector.Style{}, false
		}
		st.Labels = nameLabels("district_name", "district_name_en")
	default:
		return vector.Style{}, false
	}
	return st, true
}

// nameLabels labels features with a name field, its romanised form where
// the name is empty.
func nameLabels(field, fallback string) *vector.Labels {
	l := &vector.Labels{Field: fmt.Sprintf(`coalesce(nullif("%s", ''), "%s")`, field, fallback), Expression: true}
	setLabelLook(l)
	return l
}

// setLabelLook gives labels the maps' look: dark text with a white halo in
// a Japanese gothic font.
func setLabelLook(l *vector.Labels) {
	l.Font, l.SizePt, l.HaloMM = "IPAexGothic", 8, 0.6
	l.Color, l.Halo = color.RGBA{40, 40, 40, 255}, draw.MapColours().Paper
}

// whatIfOfficeStyle draws offices by their status in a what-if: open ward
// and branch offices as the maps do, service corners hollow, closed ones
// grey, new ones green.
func whatIfOfficeStyle() vector.Style {
	c := draw.MapColours()
	marker := func(shape string, fill, outline color.RGBA, sizeMM float64) vector.Symbol {
		return vector.Symbol{Kind: vector.Marker, Shape: shape, Color: fill, Outline: outline, OutlineWidthMM: 0.4, SizeMM: sizeMM}
	}
	return vector.Style{Renderer: vector.Categorized, Attribute: `"status" || ' ' || "kind"`, Classes: []vector.StyleClass{
		{Value: "open ward", Label: "区役所 Ward office", Symbol: marker("square", c.Ward, c.Paper, 3.2)},
		{Value: "open branch", Label: "出張所 Branch office", Symbol: marker("circle", c.Branch, c.Paper, 2.4)},
		{Value: "corner ward", Label: "証明書コーナー（区役所）Service corner (ward)", Symbol: marker("square", c.Paper, c.Ward, 3.2)},
		{Value: "corner branch", Label: "証明書コーナー Service corner", Symbol: marker("circle", c.Paper, c.Branch, 2.4)},
		{Value: "closed ward", Label: "閉所（区役所）Closed (ward)", Symbol: marker("square", color.RGBA{153, 153, 153, 255}, c.Paper, 3.2)},
		{Value: "closed branch", Label: "閉所 Closed", Symbol: marker("circle", color.RGBA{153, 153, 153, 255}, c.Paper, 2.4)},
		{Value: "new ward", Label: "新設（区役所）New (ward)", Symbol: marker("square", color.RGBA{46, 139, 87, 255}, c.Paper, 3.2)},
		{Value: "new branch", Label: "新設 New", Symbol: marker("circle", color.RGBA{46, 139, 87, 255}, c.Paper, 2.4)},
	}}
}

// isochroneStyle shades service-area bands by their limit (minutes or
// km), nearest darkest, half transparent so the bands of neighbouring
// offices show through; each office is named once, on its smallest band.
func isochroneStyle(features []vector.Feature) (vector.Style, bool) {
	key := ""
	var limits []float64
	seen := map[float64]bool{}
	for _, f := range features {
		for _, p := range f.Properties {
			if p.Key != "minutes" && p.Key != "km" {
				continue
			}
			key = p.Key
			v, ok := toFloat(p.Value)
			if ok && !seen[v] {
				seen[v] = true
				limits = append(limits, v)
			}
		}
	}
	if key == "" || len(limits) == 0 {
		return vector.Style{}, false
	}
	sort.Float64s(limits)
	cols := draw.Sequential(len(limits))
	st := vector.Style{Renderer: vector.Graduated, Attribute: key}
	lower := 0.0
	for i, l := range limits {
		c := cols[len(cols)-1-i] // the nearest band darkest
		c.A = 150
		unit := " min"
		if key == "km" {
			unit = " km"
		}
		st.Classes = append(st.Classes, vector.StyleClass{Lower: lower, Upper: l, Label: fmt.Sprintf("≤ %g%s", l, unit),
			Symbol: vector.Symbol{Kind: vector.Fill, Color: c, Outline: draw.MapColours().Paper, OutlineWidthMM: 0.3}})
		lower = l
	}
	st.Labels = &vector.Labels{Field: fmt.Sprintf(`CASE WHEN "%s" = minimum("%s", group_by:="office_name") THEN "office_name" END`, key, key), Expression: true}
	setLabelLook(st.Labels)
	return st, true
}

// accessStyle shades districts by their accessibility index in quintiles
// (access) or by its change (access_change), as the access maps do.
func accessStyle(layer string, features []vector.Feature) (vector.Style, bool) {
	key := "access"
	if layer == "access_change" {
		key = "change"
	}
	var values []float64
	for _, f := range features {
		for _, p := range f.Properties {
			if p.Key == key {
				if v, ok := toFloat(p.Value); ok {
					values = append(values, v)
				}
			}
		}
	}
	if len(values) == 0 {
		return vector.Style{}, false
	}
	breaks := draw.QuantileBreaks(values, 5)
	if len(breaks) == 0 {
		return vector.Style{}, false
	}
	cols := draw.YlGn(len(breaks))
	st := vector.Style{Renderer: vector.Graduated, Attribute: key}
	lo := slices.Min(values)
	for i, hi := range breaks {
		if i == len(breaks)-1 {
			hi = math.Max(hi, slices.Max(values))
		}
		st.Classes = append(st.Classes, vector.StyleClass{Lower: lo, Upper: hi, Label: fmt.Sprintf("%.3g – %.3g", lo, hi), Symbol: districtFill(cols[i])})
		lo = hi
	}
	return st, true
}

// toFloat reads a numeric property.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x)
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}

// districtFill is a district fill with a thin white border, as the maps
// draw districts.
func districtFill(c color.RGBA) vector.Symbol {
	return vector.Symbol{Kind: vector.Fill, Color: c, Outline: draw.MapColours().DistrictBorder, OutlineWidthMM: 0.2}
}

// distanceStyle classes districts by a distance in metres (attr) as the
// distance map does.
func distanceStyle(breaks []float64, attr string) vector.Style {
	cols := draw.Sequential(len(breaks))
	s := vector.Style{Renderer: vector.Graduated, Attribute: attr}
	for i, lo := range breaks {
		hi := math.Inf(1)
		if i+1 < len(breaks) {
			hi = breaks[i+1]
		}
		// QGIS reads no infinity: the last class ends at 1,000,000 km.
		upper := 1e9
		if !math.IsInf(hi, 1) {
			upper = hi * 1000
		}
		s.Classes = append(s.Classes, vector.StyleClass{Lower: lo * 1000, Upper: upper,
			Label: draw.DistanceClass{MinKm: lo, MaxKm: hi}.Label(), Symbol: districtFill(cols[i])})
	}
	return s
}

// gapStyle colours districts as the gap map does.
func gapStyle() vector.Style {
	return vector.Style{Renderer: vector.Categorized,
		Attribute: `CASE WHEN "stores" > 0 THEN 'covered' WHEN "posts" > 0 THEN 'post_only' ELSE 'gap' END`,
		Classes: []vector.StyleClass{
			{Value: "gap", Label: "コンビニも郵便局もない No store, no post office", Symbol: districtFill(draw.MapColours().Gap)},
			{Value: "post_only", Label: "コンビニなし・郵便局あり No store, has a post office", Symbol: districtFill(draw.MapColours().PostOnly)},
			{Value: "covered", Label: "コンビニあり Has a store", Symbol: districtFill(draw.MapColours().Covered)},
		}}
}

// officeStyle draws ward offices as larger red squares and branch offices
// as blue circles, as the maps do.
func officeStyle(attr string) vector.Style {
	marker := func(shape string, c color.RGBA, sizeMM float64) vector.Symbol {
		return vector.Symbol{Kind: vector.Marker, Shape: shape, Color: c, Outline: draw.MapColours().Paper, OutlineWidthMM: 0.3, SizeMM: sizeMM}
	}
	return vector.Style{Renderer: vector.Categorized, Attribute: attr, Classes: []vector.StyleClass{
		{Value: "ward", Label: "区役所 Ward office", Symbol: marker("square", draw.MapColours().Ward, 3.2)},
		{Value: "branch", Label: "出張所 Branch office", Symbol: marker("circle", draw.MapColours().Branch, 2.4)},
	}}
}

// catchmentStyle colours each office's catchment from the qualitative
// palette so that catchments sharing a border differ, as the catchment map
// does (neighbours are found from shared vertices, so colours may differ
// from the PNG's, which finds them in pixel space).
func catchmentStyle(features []vector.Feature, fills map[string]color.RGBA) vector.Style {
	ids, labels := catchmentOffices(features)
	palette := draw.Qualitative()
	cols := draw.ColourOffices(vertexAdjacency(features, ids), len(palette))
	s := vector.Style{Renderer: vector.Categorized, Attribute: "office_id"}
	for i, id := range ids {
		fill, ok := fills[id]
		if !ok {
			fill = palette[cols[i]]
		}
		s.Classes = append(s.Classes, vector.StyleClass{Value: id, Label: labels[i],
			Symbol: vector.Symbol{Kind: vector.Fill, Color: fill, Outline: draw.MapColours().CatchmentBorder, OutlineWidthMM: 0.6}})
	}
	return s
}

// OfficeFills gives each office of a study its one fill colour
// (draw.OfficeFills: by location, distinct up to 23 offices), keyed by id.
func OfficeFills(offices []data.Office) map[string]color.RGBA {
	locs := make([]orb.Point, len(offices))
	for i, o := range offices {
		locs[i] = o.Location
	}
	out := make(map[string]color.RGBA, len(offices))
	for i, c := range draw.OfficeFills(locs) {
		out[offices[i].ID] = c
	}
	return out
}

// catchmentOffices lists the office ids of catchment features in order,
// once each, with their office names as labels.
func catchmentOffices(features []vector.Feature) (ids, labels []string) {
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
func vertexAdjacency(features []vector.Feature, ids []string) [][]int {
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
		lonlat.ForEachPosition(f.Geometry, visit)
	}
	out := make([][]int, len(ids))
	for i, m := range adj {
		for j := range m {
			out[i] = append(out[i], j)
		}
	}
	return out
}

// OfficeColours is OfficeFills as "#rrggbb", for web pages.
func OfficeColours(offices []data.Office) map[string]string {
	out := map[string]string{}
	for id, c := range OfficeFills(offices) {
		out[id] = fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	}
	return out
}
