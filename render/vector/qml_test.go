package vector

import (
	"encoding/xml"
	"image/color"
	"math"
	"strings"
	"testing"
)

func TestStyleQML(t *testing.T) {
	fill := Symbol{Kind: Fill, Color: color.RGBA{1, 2, 3, 255}, Outline: color.RGBA{255, 255, 255, 255}, OutlineWidthMM: 0.25}
	marker := Symbol{Kind: Marker, Shape: "circle", Color: color.RGBA{10, 20, 30, 255}, SizeMM: 2}
	for _, c := range []struct {
		name     string
		style    Style
		renderer string
		symbols  int
		contains []string
	}{
		{"single", Style{Renderer: Single, Classes: []StyleClass{{Label: "all", Symbol: fill}}}, "singleSymbol", 1,
			[]string{`<prop k="color" v="1,2,3,255"/>`, `<prop k="outline_width" v="0.25"/>`}},
		{"categorized", Style{Renderer: Categorized, Attribute: `"a" & 'b'`, Classes: []StyleClass{
			{Value: "x<y", Label: "X", Symbol: marker}, {Value: "z", Label: "Z", Symbol: marker}}}, "categorizedSymbol", 2,
			[]string{`attr="&#34;a&#34; &amp; &#39;b&#39;"`, `value="x&lt;y"`, `<prop k="name" v="circle"/>`, `<prop k="size" v="2"/>`}},
		{"graduated", Style{Renderer: Graduated, Attribute: "d", Classes: []StyleClass{
			{Lower: 0, Upper: 1000, Label: "near", Symbol: fill}, {Lower: 1000, Upper: 1e9, Label: "far", Symbol: fill}}}, "graduatedSymbol", 2,
			[]string{`<range lower="1000" upper="1e+09" label="far" symbol="1" render="true"/>`}},
		{"no categories", Style{Renderer: Categorized, Attribute: "k"}, "categorizedSymbol", 0, nil},
	} {
		s, err := c.style.QML()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var d struct {
			Renderer struct {
				Type    string     `xml:"type,attr"`
				Symbols []struct{} `xml:"symbols>symbol"`
			} `xml:"renderer-v2"`
		}
		if err := xml.Unmarshal([]byte(s), &d); err != nil {
			t.Fatalf("%s: not XML: %v\n%s", c.name, err, s)
		}
		if d.Renderer.Type != c.renderer || len(d.Renderer.Symbols) != c.symbols {
			t.Errorf("%s: renderer %q with %d symbols, want %q with %d", c.name, d.Renderer.Type, len(d.Renderer.Symbols), c.renderer, c.symbols)
		}
		for _, w := range c.contains {
			if !strings.Contains(s, w) {
				t.Errorf("%s: no %s in\n%s", c.name, w, s)
			}
		}
	}
}

func TestStyleQMLErrors(t *testing.T) {
	fill := Symbol{Kind: Fill}
	for _, c := range []struct {
		name  string
		style Style
		want  string
	}{
		{"single without class", Style{Renderer: Single}, "has 0 classes"},
		{"no attribute", Style{Renderer: Categorized, Classes: []StyleClass{{Symbol: fill}}}, "needs an attribute"},
		{"infinite range", Style{Renderer: Graduated, Attribute: "d", Classes: []StyleClass{{Lower: 0, Upper: math.Inf(1), Symbol: fill}}}, "finite bounds"},
		{"marker without shape", Style{Renderer: Single, Classes: []StyleClass{{Symbol: Symbol{Kind: Marker}}}}, "needs a shape"},
		{"mixed kinds", Style{Renderer: Categorized, Attribute: "k", Classes: []StyleClass{{Symbol: fill}, {Symbol: Symbol{Kind: Marker, Shape: "circle"}}}}, "mixed kinds"},
		{"unknown renderer", Style{Renderer: 7}, "unknown renderer"},
	} {
		if _, err := c.style.QML(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}
