package draw

import (
	"image/color"
	"slices"
)

// The map and chart style: colours chosen from ColorBrewer schemes, which
// are designed for print and for readers with colour-vision deficiency.

// hex turns 0xRRGGBB into an opaque colour.
func hex(v uint32) color.RGBA {
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

// withAlpha returns c with alpha a (0..1), premultiplied.
func withAlpha(c color.RGBA, a float64) color.RGBA {
	return color.RGBA{uint8(float64(c.R) * a), uint8(float64(c.G) * a), uint8(float64(c.B) * a), uint8(255 * a)}
}

var (
	colInk       = hex(0x222222) // text, symbols
	colMuted     = hex(0x666666) // secondary text
	colPaper     = hex(0xffffff)
	colSea       = hex(0xf4f6f8) // map background outside the data
	colDistrict  = hex(0xffffff) // thin district borders drawn over fills
	colCatchment = hex(0x3a3a3a) // catchment borders
	colBoundary  = hex(0x111111) // study-area outline
	colNoData    = hex(0xd9d9d9)
	colWard      = hex(0xb2182b) // ward office symbol
	colBranch    = hex(0x2166ac) // branch office symbol
	colClosed    = hex(0x8c8c8c) // closed office symbol
	colStore     = hex(0x1b7837) // convenience store symbol
	colPost      = hex(0x762a83) // post office symbol
	colGap       = hex(0xc51b7d) // district with neither store nor post office: magenta, apart from the distance reds
	colPostOnly  = hex(0xf1b6da) // district with a post office but no store
	colCovered   = hex(0xf0f0f0) // district with a store
	colGrid      = hex(0xe3e3e3) // chart grid lines
	colThreshold = hex(0xb2182b)
	colTrendLine = hex(0x555555)
)

// qualitative is ColorBrewer Set3 without its grey and its light yellow,
// plus Pastel1 extras: light fills on which dark labels stay readable.
var qualitative = []color.RGBA{
	hex(0x8dd3c7), hex(0xbebada), hex(0xfb8072), hex(0x80b1d3), hex(0xfdb462),
	hex(0xb3de69), hex(0xfccde5), hex(0xbc80bd), hex(0xccebc5), hex(0xffed6f),
	hex(0xdecbe4), hex(0xe5d8bd),
}

// Sequential returns n colours of ColorBrewer YlOrRd (light = near, dark =
// far), for n from 1 to 9 (more repeat the darkest): the fills of the
// distance map's classes.
func Sequential(n int) []color.RGBA {
	all := [][]uint32{
		3: {0xffeda0, 0xfeb24c, 0xf03b20},
		4: {0xffffb2, 0xfecc5c, 0xfd8d3c, 0xe31a1c},
		5: {0xffffb2, 0xfecc5c, 0xfd8d3c, 0xf03b20, 0xbd0026},
		6: {0xffffb2, 0xfed976, 0xfeb24c, 0xfd8d3c, 0xf03b20, 0xbd0026},
		7: {0xffffb2, 0xfed976, 0xfeb24c, 0xfd8d3c, 0xfc4e2a, 0xe31a1c, 0xb10026},
		8: {0xffffcc, 0xffeda0, 0xfed976, 0xfeb24c, 0xfd8d3c, 0xfc4e2a, 0xe31a1c, 0xb10026},
		9: {0xffffcc, 0xffeda0, 0xfed976, 0xfeb24c, 0xfd8d3c, 0xfc4e2a, 0xe31a1c, 0xbd0026, 0x800026},
	}
	switch {
	case n <= 1:
		return []color.RGBA{hex(0xfd8d3c)}
	case n == 2:
		return []color.RGBA{hex(0xffeda0), hex(0xf03b20)}
	case n > 9:
		// Repeat the darkest colour: more than 9 classes cannot be told apart.
		out := make([]color.RGBA, n)
		for i := range out {
			out[i] = hex(all[9][min(i, 8)])
		}
		return out
	}
	out := make([]color.RGBA, n)
	for i, v := range all[n] {
		out[i] = hex(v)
	}
	return out
}

// Qualitative returns the palette the catchment map fills catchments
// from (see ColourOffices), light fills on which dark labels stay readable.
func Qualitative() []color.RGBA { return slices.Clone(qualitative) }

// Colours are the colours the maps give to things, for styles made
// elsewhere (QGIS .qml) that should look like the maps.
type Colours struct {
	Paper           color.RGBA // the page; outlines of symbols
	DistrictBorder  color.RGBA // thin district borders drawn over fills
	CatchmentBorder color.RGBA // catchment borders
	Ward, Branch    color.RGBA // ward and branch office symbols
	Gap             color.RGBA // district with neither store nor post office
	PostOnly        color.RGBA // district with a post office but no store
	Covered         color.RGBA // district with a store
}

// MapColours returns the colours the maps draw with.
func MapColours() Colours {
	return Colours{Paper: colPaper, DistrictBorder: colDistrict, CatchmentBorder: colCatchment,
		Ward: colWard, Branch: colBranch, Gap: colGap, PostOnly: colPostOnly, Covered: colCovered}
}

// groupHues are the line colours of chart groups (wards): the Tableau 10
// hues, distinct from each other in hue, not only in lightness.
var groupHues = []color.RGBA{
	hex(0x1f77b4), hex(0xff7f0e), hex(0x2ca02c), hex(0xd62728), hex(0x9467bd), hex(0x8c564b), hex(0xe377c2), hex(0x7f7f7f),
}

// shade mixes c with white (t > 0) or black (t < 0) by |t| in 0..1.
func shade(c color.RGBA, t float64) color.RGBA {
	mix := func(v uint8, to float64) uint8 { return uint8(float64(v) + (to-float64(v))*abs(t)) }
	to := 255.0
	if t < 0 {
		to = 0
	}
	return color.RGBA{mix(c.R, to), mix(c.G, to), mix(c.B, to), 0xff}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// pt converts a size in points to pixels at dpi.
func pt(v, dpi float64) float64 { return v * dpi / 72 }
