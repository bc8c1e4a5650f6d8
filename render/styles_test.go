package render

import (
	"encoding/xml"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// qmlDoc is the part of a .qml document the tests check.
type qmlDoc struct {
	Renderer struct {
		Type       string `xml:"type,attr"`
		Attr       string `xml:"attr,attr"`
		Categories []struct {
			Value string `xml:"value,attr"`
		} `xml:"categories>category"`
		Ranges []struct {
			Lower float64 `xml:"lower,attr"`
			Upper float64 `xml:"upper,attr"`
			Label string  `xml:"label,attr"`
		} `xml:"ranges>range"`
		Symbols []struct {
			Props []struct {
				K string `xml:"k,attr"`
				V string `xml:"v,attr"`
			} `xml:"layer>prop"`
		} `xml:"symbols>symbol"`
	} `xml:"renderer-v2"`
}

// styleLayers are the report layers with a style; only catchments needs
// features (three in a row: the middle one touches both others).
func styleLayers() map[string][]vector.Feature {
	sq := func(x float64) orb.Polygon {
		return orb.Polygon{{{x, 32}, {x + 1, 32}, {x + 1, 33}, {x, 33}, {x, 32}}}
	}
	return map[string][]vector.Feature{
		"districts": nil, "gaps": nil, "offices": nil,
		"catchments": {
			{ID: "a", Geometry: sq(130), Properties: []vector.Property{{"office_id", "a"}, {"office_name", "A"}}},
			{ID: "b", Geometry: sq(131), Properties: []vector.Property{{"office_id", "b"}, {"office_name", "B"}}},
			{ID: "c", Geometry: sq(132), Properties: []vector.Property{{"office_id", "c"}, {"office_name", "C"}}},
		},
	}
}

func qmlColor(c color.RGBA) string { return fmt.Sprintf("%d,%d,%d,%d", c.R, c.G, c.B, c.A) }

func TestLayerStyle(t *testing.T) {
	fs := styleLayers()
	color := func(d qmlDoc, i int) string {
		for _, p := range d.Renderer.Symbols[i].Props {
			if p.K == "color" {
				return p.V
			}
		}
		return ""
	}
	for _, c := range []struct {
		layer, typ, attr string
		n                int
	}{
		{"districts", "graduatedSymbol", "distance_m", len(draw.DefaultBreaks)},
		{"catchments", "categorizedSymbol", "office_id", 3},
		{"gaps", "categorizedSymbol", `CASE WHEN "stores" > 0`, 3},
		{"offices", "categorizedSymbol", "kind", 2},
	} {
		style, ok := LayerStyle(c.layer, fs[c.layer])
		if !ok {
			t.Fatalf("%s: no style", c.layer)
		}
		s, err := style.QML()
		if err != nil {
			t.Fatalf("%s: %v", c.layer, err)
		}
		golden := filepath.Join("..", "testdata", "render", c.layer+".qml.golden")
		if *update {
			if err := os.WriteFile(golden, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if s != string(want) {
			t.Errorf("%s: style differs from testdata/render/%s.qml.golden:\n%s", c.layer, c.layer, s)
		}
		var d qmlDoc
		if err := xml.Unmarshal([]byte(s), &d); err != nil {
			t.Fatalf("%s: not XML: %v\n%s", c.layer, err, s)
		}
		if d.Renderer.Type != c.typ || !strings.HasPrefix(d.Renderer.Attr, c.attr) || len(d.Renderer.Symbols) != c.n {
			t.Errorf("%s: renderer %s on %q with %d symbols, want %s on %q with %d", c.layer, d.Renderer.Type, d.Renderer.Attr, len(d.Renderer.Symbols), c.typ, c.attr, c.n)
			continue
		}
		switch c.layer {
		case "districts":
			cols := draw.Sequential(len(draw.DefaultBreaks))
			for i, r := range d.Renderer.Ranges {
				if r.Lower != draw.DefaultBreaks[i]*1000 || color(d, i) != qmlColor(cols[i]) {
					t.Errorf("range %d: %+v colour %s, want lower %g colour %s", i, r, color(d, i), draw.DefaultBreaks[i]*1000, qmlColor(cols[i]))
				}
			}
			if last := d.Renderer.Ranges[len(d.Renderer.Ranges)-1]; last.Label != "8 km +" {
				t.Errorf("last class label %q", last.Label)
			}
		case "catchments":
			if color(d, 0) == color(d, 1) || color(d, 1) == color(d, 2) {
				t.Errorf("touching catchments share a colour: %s %s %s", color(d, 0), color(d, 1), color(d, 2))
			}
		case "gaps":
			if color(d, 0) != qmlColor(draw.MapColours().Gap) || color(d, 1) != qmlColor(draw.MapColours().PostOnly) || color(d, 2) != qmlColor(draw.MapColours().Covered) {
				t.Errorf("gap colours %s %s %s", color(d, 0), color(d, 1), color(d, 2))
			}
		case "offices":
			if color(d, 0) != qmlColor(draw.MapColours().Ward) || color(d, 1) != qmlColor(draw.MapColours().Branch) {
				t.Errorf("office colours %s %s", color(d, 0), color(d, 1))
			}
		}
	}
	if _, ok := LayerStyle("nearest", nil); ok {
		t.Error("a table has a style")
	}
}

// TestEveryLayerLabelled: every layer the CLI writes as GeoJSON or
// GeoPackage has a style, and every style names its features.
func TestEveryLayerLabelled(t *testing.T) {
	iso := []vector.Feature{
		{Properties: []vector.Property{{"office_id", "a"}, {"office_name", "A"}, {"minutes", int64(5)}}},
		{Properties: []vector.Property{{"office_id", "a"}, {"office_name", "A"}, {"minutes", int64(10)}}},
	}
	acc := []vector.Feature{
		{Properties: []vector.Property{{"district_name", "x"}, {"access", 0.5}}},
		{Properties: []vector.Property{{"district_name", "y"}, {"access", 1.5}}},
	}
	chg := []vector.Feature{
		{Properties: []vector.Property{{"district_name", "x"}, {"change", -0.5}}},
		{Properties: []vector.Property{{"district_name", "y"}, {"change", 0.0}}},
	}
	for _, c := range []struct {
		layer string
		fs    []vector.Feature
	}{
		{"districts", nil}, {"assign", nil}, {"catchments", nil}, {"catchments_voronoi", nil}, {"gaps", nil}, {"offices", nil},
		{"whatif", nil}, {"whatif_offices", nil}, {"isochrones", iso}, {"access", acc}, {"access_change", chg},
	} {
		st, ok := LayerStyle(c.layer, c.fs)
		if !ok {
			t.Errorf("%s: no style", c.layer)
			continue
		}
		if st.Labels == nil {
			t.Errorf("%s: no labels", c.layer)
		}
		if _, err := st.QML(); err != nil {
			t.Errorf("%s: %v", c.layer, err)
		}
	}
}

// TestOneColourPerOffice: with the study's fills, an office has the same
// colour in the dissolved and the Voronoi catchments, and the 19 Kumamoto
// offices 19 colours (before, each layer coloured its own adjacency with 12
// colours, so colours repeated and differed between the layers).
func TestOneColourPerOffice(t *testing.T) {
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fills := OfficeFills(ds.Offices)
	colours := map[string]string{}
	for _, m := range []catchment.Method{catchment.Dissolve, catchment.Voronoi} {
		cs, err := s.Catchments(m)
		if err != nil {
			t.Fatal(err)
		}
		st, ok := LayerStyleFor("catchments", CatchmentFeatures(cs), fills)
		if !ok {
			t.Fatal("no style")
		}
		for _, c := range st.Classes {
			col := fmt.Sprint(c.Symbol.Color)
			if prev, ok := colours[c.Value]; ok && prev != col {
				t.Errorf("%s: %s in one layer, %s in the other", c.Value, prev, col)
			}
			colours[c.Value] = col
		}
	}
	distinct := map[string]bool{}
	for _, c := range colours {
		distinct[c] = true
	}
	if len(colours) != 19 || len(distinct) != 19 {
		t.Errorf("%d offices in %d colours", len(colours), len(distinct))
	}
}
