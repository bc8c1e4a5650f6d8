package vector

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
)

// Style is how QGIS draws a layer, written as a QGIS style document (.qml)
// by QML: one symbol for every feature, a symbol per category of an
// attribute, or a symbol per range of a numeric attribute. QGIS loads
// NAME.qml beside NAME.geojson by itself; a GeoPackage carries it in its
// layer_styles table (see package render/vector/gpkg).
type Style struct {
	// Renderer is how features get their symbol.
	Renderer Renderer
	// Attribute is the field, or a QGIS expression, that a Categorized or
	// Graduated style classes features by; empty for Single.
	Attribute string
	// Classes are the categories or ranges in legend order, each with its
	// symbol (none: QGIS draws no feature); a Single style has exactly one,
	// the symbol of every feature. Every class has a symbol of the same kind.
	Classes []StyleClass
	// Labels, when set, names every feature on the map.
	Labels *Labels
}

// Labels is how QGIS labels a layer's features: the text of a field (or a
// QGIS expression) in a font, with a halo, placed around a point or over a
// polygon's inside (from the classes' symbol kind).
type Labels struct {
	// Field is the attribute whose text is drawn, or a QGIS expression
	// when Expression is set.
	Field      string
	Expression bool
	// Font is the font family ("IPAexGothic"); QGIS substitutes one it
	// has when the machine lacks it. SizePt is the size in points.
	Font   string
	SizePt float64
	// Color is the text's colour, Halo the buffer's drawn HaloMM around it.
	Color, Halo color.RGBA
	HaloMM      float64
}

// Renderer is how a Style gives features their symbol.
type Renderer int

// The renderers a Style can use.
const (
	// Single draws every feature with the one class's symbol.
	Single Renderer = iota
	// Categorized draws a feature with the symbol of the class whose
	// Value equals its attribute.
	Categorized
	// Graduated draws a feature with the symbol of the class whose range
	// Lower..Upper holds its (numeric) attribute.
	Graduated
)

// StyleClass is one class of a Style: what it matches, its legend label
// and its symbol.
type StyleClass struct {
	// Value is the attribute value of a Categorized class.
	Value string
	// Lower and Upper bound a Graduated class's range. Both must be finite
	// (QGIS reads no infinity): give an open-ended class an upper bound
	// beyond any value.
	Lower, Upper float64
	// Label is the class's text in the QGIS legend.
	Label  string
	Symbol Symbol
}

// SymbolKind is the kind of a symbol: a fill for polygons, a marker for
// points.
type SymbolKind int

// The symbol kinds.
const (
	Fill   SymbolKind = iota // a solid fill with an outline (QGIS SimpleFill)
	Marker                   // a point marker (QGIS SimpleMarker)
)

// Symbol is a solid fill or a marker with a solid outline.
type Symbol struct {
	Kind SymbolKind
	// Color is the fill colour; Outline and OutlineWidthMM (millimetres)
	// the outline's colour and width.
	Color, Outline color.RGBA
	OutlineWidthMM float64
	// Shape is a marker's QGIS shape name ("circle", "square", ...) and
	// SizeMM its size in millimetres; unused for fills.
	Shape  string
	SizeMM float64
}

// QML returns the style as a QGIS style document (QGIS 3.28, symbology
// only). Symbol properties are written both as Option elements (QGIS ≥
// 3.26) and as prop elements (older QGIS 3). A style that QGIS could not
// apply (a missing attribute, an infinite range, symbols of
// mixed kinds) is an error.
func (s Style) QML() (string, error) {
	if err := s.check(); err != nil {
		return "", fmt.Errorf("qml: %w", err)
	}
	var b bytes.Buffer
	if s.Labels != nil {
		b.WriteString(qmlHeadLabels)
	} else {
		b.WriteString(qmlHead)
	}
	switch s.Renderer {
	case Single:
		b.WriteString("  <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n")
	case Categorized:
		fmt.Fprintf(&b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n    <categories>\n", esc(s.Attribute))
		for i, c := range s.Classes {
			fmt.Fprintf(&b, "      <category value=\"%s\" label=\"%s\" symbol=\"%d\" render=\"true\"/>\n", esc(c.Value), esc(c.Label), i)
		}
		b.WriteString("    </categories>\n")
	case Graduated:
		fmt.Fprintf(&b, "  <renderer-v2 type=\"graduatedSymbol\" attr=\"%s\" graduatedMethod=\"GraduatedColor\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n    <ranges>\n", esc(s.Attribute))
		for i, c := range s.Classes {
			fmt.Fprintf(&b, "      <range lower=\"%g\" upper=\"%g\" label=\"%s\" symbol=\"%d\" render=\"true\"/>\n", c.Lower, c.Upper, esc(c.Label), i)
		}
		b.WriteString("    </ranges>\n")
	}
	b.WriteString("    <symbols>\n")
	for i, c := range s.Classes {
		writeSymbol(&b, strconv.Itoa(i), c.Symbol)
	}
	b.WriteString("    </symbols>\n  </renderer-v2>\n")
	if s.Labels != nil {
		kind := Fill
		if len(s.Classes) > 0 {
			kind = s.Classes[0].Symbol.Kind
		}
		writeLabels(&b, *s.Labels, kind)
	}
	b.WriteString(qmlTail)
	return b.String(), nil
}

// writeLabels writes QGIS's simple labeling: around a point for markers,
// over the inside of a polygon (its centroid moved inside) for fills,
// overlapping labels left out.
func writeLabels(b *bytes.Buffer, l Labels, kind SymbolKind) {
	expr := "0"
	if l.Expression {
		expr = "1"
	}
	placement, layerType := "0", "PointGeometry" // around the point
	if kind == Fill {
		placement, layerType = "1", "PolygonGeometry" // over the centroid, moved inside
	}
	b.WriteString("  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n")
	fmt.Fprintf(b, "      <text-style fieldName=\"%s\" isExpression=\"%s\" fontFamily=\"%s\" fontSize=\"%s\" fontSizeUnit=\"Point\" textColor=\"%s\" textOpacity=\"1\" fontWeight=\"50\" fontItalic=\"0\" namedStyle=\"Regular\" multilineHeight=\"1\" capitalization=\"0\" allowHtml=\"0\" blendMode=\"0\" previewBkgrdColor=\"255,255,255,255\">\n",
		esc(l.Field), expr, esc(l.Font), mm(l.SizePt), qmlColor(l.Color))
	fmt.Fprintf(b, "        <text-buffer bufferDraw=\"1\" bufferSize=\"%s\" bufferSizeUnits=\"MM\" bufferColor=\"%s\" bufferOpacity=\"1\" bufferNoFill=\"1\" bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/>\n",
		mm(l.HaloMM), qmlColor(l.Halo))
	b.WriteString("      </text-style>\n")
	b.WriteString("      <text-format wrapChar=\"\" autoWrapLength=\"0\" multilineAlign=\"3\" formatNumbers=\"0\" decimals=\"3\" plussign=\"0\"/>\n")
	fmt.Fprintf(b, "      <placement placement=\"%s\" dist=\"1\" distUnits=\"MM\" offsetType=\"0\" quadOffset=\"4\" xOffset=\"0\" yOffset=\"0\" offsetUnits=\"MM\" centroidWhole=\"0\" centroidInside=\"1\" fitInPolygonOnly=\"0\" priority=\"5\" layerType=\"%s\" overlapHandling=\"PreventOverlap\"/>\n", placement, layerType)
	b.WriteString("      <rendering drawLabels=\"1\" obstacle=\"1\" obstacleType=\"1\" obstacleFactor=\"1\" scaleVisibility=\"0\" scaleMin=\"0\" scaleMax=\"0\" fontLimitPixelSize=\"0\" upsidedownLabels=\"0\" labelPerPart=\"0\" mergeLines=\"0\" minFeatureSize=\"0\" limitNumLabels=\"0\" maxNumLabels=\"2000\" displayAll=\"0\" zIndex=\"0\"/>\n")
	b.WriteString("    </settings>\n  </labeling>\n")
}

// check reports why QGIS could not apply s.
func (s Style) check() error {
	switch s.Renderer {
	case Single:
		if len(s.Classes) != 1 {
			return fmt.Errorf("a single-symbol style has %d classes, want 1", len(s.Classes))
		}
	case Categorized, Graduated:
		if s.Attribute == "" {
			return errors.New("a categorized or graduated style needs an attribute")
		}
	default:
		return fmt.Errorf("unknown renderer %d", s.Renderer)
	}
	if l := s.Labels; l != nil && (l.Field == "" || !(l.SizePt > 0) || l.HaloMM < 0) {
		return fmt.Errorf("labels: want a field, a size > 0 pt and a halo ≥ 0 mm")
	}
	for i, c := range s.Classes {
		if s.Renderer == Graduated && (math.IsNaN(c.Lower) || math.IsInf(c.Lower, 0) || math.IsNaN(c.Upper) || math.IsInf(c.Upper, 0) || c.Lower > c.Upper) {
			return fmt.Errorf("class %d (%s): range %g..%g: want finite bounds, lower ≤ upper", i, c.Label, c.Lower, c.Upper)
		}
		switch c.Symbol.Kind {
		case Fill:
		case Marker:
			if c.Symbol.Shape == "" {
				return fmt.Errorf("class %d (%s): a marker needs a shape", i, c.Label)
			}
		default:
			return fmt.Errorf("class %d (%s): unknown symbol kind %d", i, c.Label, c.Symbol.Kind)
		}
		if c.Symbol.Kind != s.Classes[0].Symbol.Kind {
			return fmt.Errorf("class %d (%s): symbols of mixed kinds", i, c.Label)
		}
	}
	return nil
}

const qmlHead = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.28.0\" styleCategories=\"Symbology\">\n"
const qmlHeadLabels = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.28.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"1\">\n"
const qmlTail = "</qgis>\n"

func qmlColor(c color.RGBA) string {
	return fmt.Sprintf("%d,%d,%d,%d", c.R, c.G, c.B, c.A)
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func mm(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// writeSymbol writes a fill or marker symbol named name.
func writeSymbol(b *bytes.Buffer, name string, sym Symbol) {
	typ, class := "fill", "SimpleFill"
	props := [][2]string{
		{"color", qmlColor(sym.Color)}, {"style", "solid"},
		{"outline_color", qmlColor(sym.Outline)}, {"outline_style", "solid"},
		{"outline_width", mm(sym.OutlineWidthMM)}, {"outline_width_unit", "MM"},
		{"joinstyle", "round"},
	}
	if sym.Kind == Marker {
		typ, class = "marker", "SimpleMarker"
		props = [][2]string{
			{"name", sym.Shape}, {"color", qmlColor(sym.Color)}, {"outline_color", qmlColor(sym.Outline)},
			{"outline_style", "solid"}, {"outline_width", mm(sym.OutlineWidthMM)}, {"outline_width_unit", "MM"},
			{"size", mm(sym.SizeMM)}, {"size_unit", "MM"},
		}
	}
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
