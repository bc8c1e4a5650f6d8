package draw

import (
	"image/color"
	"strings"
	"unicode/utf8"

	"github.com/fogleman/gg"
	"golang.org/x/image/font"
)

// painter draws text on a gg context with the faces of one rendering.
type painter struct {
	dc    *gg.Context
	fonts *Fonts
	dpi   float64
	faces map[faceKey]font.Face
}

type faceKey struct {
	size float64
	bold bool
}

func newPainter(dc *gg.Context, fonts *Fonts, dpi float64) *painter {
	return &painter{dc: dc, fonts: fonts, dpi: dpi, faces: map[faceKey]font.Face{}}
}

// use selects the face of size points (bold: the heading font) and returns it.
func (p *painter) use(size float64, bold bool) font.Face {
	k := faceKey{size, bold}
	f, ok := p.faces[k]
	if !ok {
		src := p.fonts.text()
		if bold {
			src = p.fonts.heading()
		}
		f = face(src, size, p.dpi)
		p.faces[k] = f
	}
	p.dc.SetFontFace(f)
	return f
}

// measure returns the advance width, ascent and descent of s in pixels.
func (p *painter) measure(s string, size float64, bold bool) (w, ascent, descent float64) {
	f := p.use(size, bold)
	m := f.Metrics()
	w = float64(font.MeasureString(f, s)) / 64
	return w, float64(m.Ascent) / 64, float64(m.Descent) / 64
}

// text draws s with its baseline at y, starting at x.
func (p *painter) text(s string, x, y, size float64, bold bool, c color.Color) {
	p.use(size, bold)
	p.dc.SetColor(c)
	p.dc.DrawString(s, x, y)
}

// haloText draws s with a white halo so it reads over any fill.
func (p *painter) haloText(s string, x, y, size float64, bold bool, c color.Color) {
	p.use(size, bold)
	r := pt(1.1, p.dpi)
	p.dc.SetColor(color.RGBA{255, 255, 255, 235})
	for _, d := range [][2]float64{{-1, -1}, {0, -1}, {1, -1}, {-1, 0}, {1, 0}, {-1, 1}, {0, 1}, {1, 1}, {0, -0.5}, {0, 0.5}} {
		p.dc.DrawString(s, x+d[0]*r, y+d[1]*r)
	}
	p.dc.SetColor(c)
	p.dc.DrawString(s, x, y)
}

// wrap breaks s into lines no wider than width pixels: at spaces, or
// between any two characters of a word that is too long (Japanese has no
// spaces).
func (p *painter) wrap(s string, width, size float64, bold bool) []string {
	f := p.use(size, bold)
	fits := func(t string) bool { return float64(font.MeasureString(f, t))/64 <= width }
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if fits(try) {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
			cur = ""
		}
		// Break an over-long word by characters; a single character wider
		// than the line stays on a line of its own.
		for utf8.RuneCountInString(word) > 1 && !fits(word) {
			rs := []rune(word)
			n := len(rs) - 1
			for n > 1 && !fits(string(rs[:n])) {
				n--
			}
			lines = append(lines, string(rs[:n]))
			word = string(rs[n:])
		}
		cur = word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
