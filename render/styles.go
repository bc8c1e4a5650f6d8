package render

import (
	"fmt"
	"image/color"
	"math"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// QGIS styles for the layers the report writes, coloured as the PNG maps
// are: catchments by serving office with the qualitative palette
// (neighbours differ), districts by distance class with YlOrRd over
// draw.DefaultBreaks, gaps by store/post office coverage, offices by kind.

// LayerStyle returns the QGIS style of a report layer (districts or assign,
// catchments, catchments_voronoi, gaps, offices) for its features, and
// false for a layer that has no style. Write it with its QML method.
func LayerStyle(layer string, features []vector.Feature) (vector.Style, bool) {
	switch layer {
	case "districts", "assign":
		return distanceStyle(draw.DefaultBreaks), true
	case "catchments", "catchments_voronoi":
		return catchmentStyle(features), true
	case "gaps":
		return gapStyle(), true
	case "offices":
		return officeStyle(), true
	}
	return vector.Style{}, false
}

// districtFill is a district fill with a thin white border, as the maps
// draw districts.
func districtFill(c color.RGBA) vector.Symbol {
	return vector.Symbol{Kind: vector.Fill, Color: c, Outline: draw.MapColours().DistrictBorder, OutlineWidthMM: 0.2}
}

// distanceStyle classes districts by distance_m as the distance map does.
func distanceStyle(breaks []float64) vector.Style {
	cols := draw.Sequential(len(breaks))
	s := vector.Style{Renderer: vector.Graduated, Attribute: "distance_m"}
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
func officeStyle() vector.Style {
	marker := func(shape string, c color.RGBA, sizeMM float64) vector.Symbol {
		return vector.Symbol{Kind: vector.Marker, Shape: shape, Color: c, Outline: draw.MapColours().Paper, OutlineWidthMM: 0.3, SizeMM: sizeMM}
	}
	return vector.Style{Renderer: vector.Categorized, Attribute: "kind", Classes: []vector.StyleClass{
		{Value: "ward", Label: "区役所 Ward office", Symbol: marker("square", draw.MapColours().Ward, 3.2)},
		{Value: "branch", Label: "出張所 Branch office", Symbol: marker("circle", draw.MapColours().Branch, 2.4)},
	}}
}

// catchmentStyle colours each office's catchment from the qualitative
// palette so that catchments sharing a border differ, as the catchment map
// does (neighbours are found from shared vertices, so colours may differ
// from the PNG's, which finds them in pixel space).
func catchmentStyle(features []vector.Feature) vector.Style {
	ids, labels := catchmentOffices(features)
	palette := draw.Qualitative()
	cols := draw.ColourOffices(vertexAdjacency(features, ids), len(palette))
	s := vector.Style{Renderer: vector.Categorized, Attribute: "office_id"}
	for i, id := range ids {
		s.Classes = append(s.Classes, vector.StyleClass{Value: id, Label: labels[i],
			Symbol: vector.Symbol{Kind: vector.Fill, Color: palette[cols[i]], Outline: draw.MapColours().CatchmentBorder, OutlineWidthMM: 0.6}})
	}
	return s
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

// OfficeColours gives each office of the catchments the fill colour the
// catchment styles give it (catchments sharing a border differ), as
// "#rrggbb", keyed by office id.
func OfficeColours(cs []catchment.Catchment) map[string]string {
	features := CatchmentFeatures(cs)
	ids, _ := catchmentOffices(features)
	palette := draw.Qualitative()
	cols := draw.ColourOffices(vertexAdjacency(features, ids), len(palette))
	out := make(map[string]string, len(ids))
	for i, id := range ids {
		c := palette[cols[i]]
		out[id] = fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	}
	return out
}
