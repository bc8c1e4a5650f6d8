package draw

import (
	"fmt"
	"os"
	"strings"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// FontPackage is the Debian package that provides the Japanese font maps
// and charts look for first.
const FontPackage = "fonts-ipaexfont-gothic"

// DefaultFontPaths are the places LoadFonts looks for a Japanese font, in
// order: IPAex Gothic (Debian fonts-ipaexfont-gothic), IPA, Takao and VL
// Gothic, Noto Sans CJK, then the usual macOS and Windows fonts.
var DefaultFontPaths = []string{
	"/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
	"/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
	"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
	"/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
	"/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
	"/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
	"/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
	"/usr/share/fonts/truetype/vlgothic/VL-PGothic-Regular.ttf",
	"/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
	"/usr/share/fonts/truetype/noto/NotoSansJP-Regular.ttf",
	"/Library/Fonts/ipaexg.ttf",
	"/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
	"/System/Library/Fonts/Hiragino Sans GB.ttc",
	`C:\Windows\Fonts\YuGothM.ttc`,
	`C:\Windows\Fonts\meiryo.ttc`,
	`C:\Windows\Fonts\msgothic.ttc`,
}

// probeText is what a font must be able to draw to count as Japanese.
const probeText = "熊本市区役所出張所"

// Fonts is a parsed set of fonts for maps and charts: a Japanese font when
// one was found, and the Go fonts (always present, Latin only) otherwise.
// A Fonts is read-only after loading and safe for concurrent use; load it
// once and pass it in MapOptions and ChartOptions.
type Fonts struct {
	ja     *sfnt.Font // nil when no Japanese font was found
	jaPath string
	latin  *sfnt.Font
	bold   *sfnt.Font
}

// LoadFonts finds and parses a Japanese font. A non-empty path is used as
// given (an error when it cannot be read or has no Japanese glyphs);
// otherwise DefaultFontPaths are searched. When no Japanese font is found
// the returned Fonts draws Latin text only and one warning names the package
// to install.
func LoadFonts(path string) (*Fonts, []string, error) {
	if path != "" {
		f, err := parseJapaneseFont(path)
		if err != nil {
			return nil, nil, err
		}
		return withJapanese(f, path), nil, nil
	}
	return LoadFontsFrom(DefaultFontPaths)
}

// LoadFontsFrom is LoadFonts searching only the given candidate paths (nil
// or empty means none: the Latin-only fallback). Unreadable candidates are
// skipped.
func LoadFontsFrom(candidates []string) (*Fonts, []string, error) {
	for _, p := range candidates {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		f, err := parseJapaneseFont(p)
		if err != nil {
			continue
		}
		return withJapanese(f, p), nil, nil
	}
	fs := LatinFonts()
	return fs, []string{fmt.Sprintf("no Japanese font found; labels use romanised names (install %s, or give a font path)", FontPackage)}, nil
}

// LatinFonts is the fallback set with no Japanese font: text is drawn with
// the embedded Go fonts and labels use romanised names. It does not depend
// on the machine, which makes it the choice for tests.
func LatinFonts() *Fonts {
	reg, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic("draw: embedded Go Regular font: " + err.Error()) // embedded data; cannot fail
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		panic("draw: embedded Go Bold font: " + err.Error())
	}
	return &Fonts{latin: reg, bold: bold}
}

func withJapanese(f *sfnt.Font, path string) *Fonts {
	fs := LatinFonts()
	fs.ja, fs.jaPath = f, path
	return fs
}

// parseJapaneseFont reads a TrueType/OpenType font or collection (CFF
// outlines included) and checks it can draw Japanese.
func parseJapaneseFont(path string) (*sfnt.Font, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", path, err)
	}
	var cands []*sfnt.Font
	if c, err := opentype.ParseCollection(b); err == nil && c.NumFonts() > 1 {
		for i := 0; i < c.NumFonts(); i++ {
			if f, err := c.Font(i); err == nil {
				cands = append(cands, f)
			}
		}
	} else {
		f, err := opentype.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", path, err)
		}
		cands = append(cands, f)
	}
	for _, f := range cands {
		if len(missingGlyphs(f, probeText)) == 0 {
			return f, nil
		}
	}
	return nil, fmt.Errorf("font %s: has no Japanese glyphs (needs %q)", path, probeText)
}

// missingGlyphs lists the distinct runes of s, other than spaces and
// control and format characters, that f cannot draw.
func missingGlyphs(f *sfnt.Font, s string) []rune {
	var buf sfnt.Buffer
	var miss []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || seen[r] {
			continue
		}
		seen[r] = true
		if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
			miss = append(miss, r)
		}
	}
	return miss
}

// Japanese reports whether a Japanese font was found.
func (fs *Fonts) Japanese() bool { return fs != nil && fs.ja != nil }

// Path is the file of the Japanese font, or "" when there is none.
func (fs *Fonts) Path() string {
	if fs == nil {
		return ""
	}
	return fs.jaPath
}

// Missing lists the runes of s that the text font cannot draw.
func (fs *Fonts) Missing(s string) []rune { return missingGlyphs(fs.text(), s) }

// text is the font for ordinary text.
func (fs *Fonts) text() *sfnt.Font {
	if fs.ja != nil {
		return fs.ja
	}
	return fs.latin
}

// heading is the font for titles: the Japanese font has no bold weight.
func (fs *Fonts) heading() *sfnt.Font {
	if fs.ja != nil {
		return fs.ja
	}
	return fs.bold
}

// face makes a new face at size points for dpi. Faces are not safe for
// concurrent use, so each rendering makes its own.
func face(f *sfnt.Font, size, dpi float64) font.Face {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: dpi, Hinting: font.HintingNone})
	if err != nil {
		panic("draw: font face: " + err.Error()) // only fails for invalid options
	}
	return fc
}

// labelText chooses the text of a label: name when the font can draw it,
// else nameEn (or name when nameEn is empty). It returns a warning when a
// Japanese font is in use but lacks glyphs of name.
func (fs *Fonts) labelText(what, name, nameEn string) (string, string) {
	if name == "" {
		return nameEn, ""
	}
	miss := fs.Missing(name)
	if len(miss) == 0 {
		return name, ""
	}
	alt := nameEn
	if alt == "" || len(fs.Missing(alt)) > 0 {
		alt = asciiOnly(name)
	}
	if fs.ja != nil {
		return alt, fmt.Sprintf("%s %q: font %s lacks glyphs %q; drawn as %q", what, name, fs.jaPath, string(miss), alt)
	}
	return alt, ""
}

// asciiOnly keeps the printable ASCII of s ("?" when nothing is left).
func asciiOnly(s string) string {
	s = latinCredits.Replace(s)
	var b strings.Builder
	for _, r := range s {
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(r)
		}
	}
	out := emptyBrackets.Replace(b.String())
	for strings.Contains(out, "  ") {
		out = strings.ReplaceAll(out, "  ", " ")
	}
	if strings.TrimSpace(out) == "" {
		return "?"
	}
	return strings.TrimSpace(out)
}

// latinCredits gives the source credits our data carry in Japanese their
// English form, for pages drawn without a Japanese font.
var latinCredits = strings.NewReplacer(
	"出典：国土地理院", "Source: GSI",
	"出典：国土交通省", "Source: MLIT",
	"出典：国土数値情報", "Source: MLIT National Land Numerical Information",
)

// emptyBrackets removes the brackets left empty by dropping glyphs.
var emptyBrackets = strings.NewReplacer("( )", "", "()", "", "[]", "", " )", ")", "( ", "(")

// MissingInLatin is the text of s the font cannot print even after the
// known Japanese credits are put in English (see asciiOnly).
func (fs *Fonts) MissingInLatin(s string) []rune {
	return fs.Missing(latinCredits.Replace(s))
}
