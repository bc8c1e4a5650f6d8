package draw

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fogleman/gg"
)

// TestNoJapaneseFont: with no candidate font the set is Latin-only, one
// warning names the package to install, and labels fall back to romanised
// names. It does not depend on what the machine has installed.
func TestNoJapaneseFont(t *testing.T) {
	for _, cands := range [][]string{nil, {filepath.Join(t.TempDir(), "missing.ttf")}} {
		fs, warns, err := LoadFontsFrom(cands)
		if err != nil {
			t.Fatal(err)
		}
		if fs.Japanese() || fs.Path() != "" {
			t.Errorf("candidates %q: Japanese font %q found", cands, fs.Path())
		}
		if len(warns) != 1 || !strings.Contains(warns[0], FontPackage) {
			t.Errorf("candidates %q: warnings %q, want one naming %s", cands, warns, FontPackage)
		}
		if got, _ := fs.labelText("office", "中央区役所", "Chuo Ward Office"); got != "Chuo Ward Office" {
			t.Errorf("fallback label %q, want the romanised name", got)
		}
	}
	md := kumamotoMapData(t, false)
	fs, _, _ := LoadFontsFrom(nil)
	_, lay, _, err := renderMap(MapCatchments, md, MapOptions{Fonts: fs})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lay.Labels {
		if len(LatinFonts().Missing(l.Text)) > 0 {
			t.Errorf("label %q has glyphs the Latin font cannot draw", l.Text)
		}
	}
	// NoFont wins over a given font set.
	_, lay, _, err = renderMap(MapCatchments, md, MapOptions{NoFont: true, Fonts: &Fonts{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(lay.Labels) == 0 || strings.ContainsAny(lay.Labels[0].Text, "区役所出張") {
		t.Errorf("NoFont: labels %v", lay.Labels)
	}
}

func TestLoadFontsErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.ttf")
	if err := os.WriteFile(junk, []byte("not a font"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "absent.ttf"), junk} {
		if _, _, err := LoadFonts(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("LoadFonts(%s): error %v, want one naming the file", p, err)
		}
	}
	// The Go font is a real font without Japanese glyphs: refused by path.
	fs, _, err := LoadFontsFrom([]string{junk})
	if err != nil || fs.Japanese() {
		t.Errorf("junk candidate: %v, Japanese=%v", err, fs != nil && fs.Japanese())
	}
}

// TestJapaneseFont: the machine's Japanese font draws the Japanese labels,
// and a label with a glyph the font lacks is warned about and drawn with
// its romanised name.
func TestJapaneseFont(t *testing.T) {
	fs := japaneseFonts(t)
	if miss := fs.Missing("熊本市中央区役所 託麻総合出張所"); len(miss) > 0 {
		t.Fatalf("font %s lacks %q", fs.Path(), string(miss))
	}
	md := kumamotoMapData(t, false)
	md.Offices[0].Name = "中央区役所\U000F0000" // a private-use glyph no font has
	_, lay, warns, err := renderMap(MapCatchments, md, MapOptions{Fonts: fs})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range warns {
		if strings.Contains(w, "lacks glyphs") && strings.Contains(w, md.Offices[0].ID) {
			found = true
		}
	}
	if !found {
		t.Errorf("no missing-glyph warning for office %s: %q", md.Offices[0].ID, warns)
	}
	labels := map[string]bool{}
	for _, l := range lay.Labels {
		labels[l.Text] = true
	}
	if !labels[md.Offices[0].NameEn] {
		t.Errorf("office %s not drawn with its romanised name %q", md.Offices[0].ID, md.Offices[0].NameEn)
	}
	if !labels[md.Offices[1].Name] {
		t.Errorf("office %s not drawn with its Japanese name %q", md.Offices[1].ID, md.Offices[1].Name)
	}
}

// TestWrapNarrow checks that wrapping to a width narrower than one
// character ends (it used to loop forever), one character a line, and that
// a map whose legend panel is that narrow is drawn.
func TestWrapNarrow(t *testing.T) {
	p := newPainter(gg.NewContext(1, 1), LatinFonts(), 144)
	for _, width := range []float64{5, 0, -10} {
		lines := p.wrap("Branch office (14)", width, 8, false)
		if strings.Join(lines, "") != "Branchoffice(14)" {
			t.Errorf("width %g: lines %q", width, lines)
		}
		for _, l := range lines {
			if utf8.RuneCountInString(l) != 1 {
				t.Errorf("width %g: line %q is not one character", width, l)
			}
		}
	}
	md := MapData{Offices: []MapOffice{{ID: "a", Name: "A", Kind: "ward", Location: [2]float64{130.7, 32.8}}}}
	if _, _, err := RenderMap(MapCatchments, md, MapOptions{Width: 400, DPI: 320, NoFont: true}); err != nil {
		t.Fatal(err)
	}
}

// TestASCIIOnlyCredits: without a Japanese font the credits our data carry
// print in English, and no empty brackets are left ("GSI data ()").
func TestASCIIOnlyCredits(t *testing.T) {
	for in, want := range map[string]string{
		"positions from GSI data (出典：国土地理院)": "positions from GSI data (Source: GSI)",
		"links (出典：国土交通省 通れる道マップ)":           "links (Source: MLIT)",
		"大江出張所 (oe)":                         "(oe)",
		"office 大江 ()  end":                  "office end",
		"大江":                                 "?",
	} {
		if got := asciiOnly(in); got != want {
			t.Errorf("asciiOnly(%q) = %q, want %q", in, got, want)
		}
	}
}
