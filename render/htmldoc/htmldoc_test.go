package htmldoc

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// tinyPNG is a 2×1 PNG.
func tinyPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.Set(0, 0, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const report = `# Office catchment report

> **Synthetic demo layers: districts.** Not real.

## Key figures

| figure | value |
|---|--:|
| offices | 19 |
| residents & more | 38,842 <b>raw</b> |

## Maps and charts

![Districts by office](map_catchments.png)

*Districts coloured by the office that serves them*

### A sub-section with ` + "`code`" + `

Text with 中央区役所 and a [link](nearest.csv).

## What if: closing 大江出張所

- one
- two
`

// TestWriteIsSelfContainedXHTML checks the page parses as XML, embeds its
// image, links nothing else for its display, and has the contents.
func TestWriteIsSelfContainedXHTML(t *testing.T) {
	pic := tinyPNG(t)
	var b bytes.Buffer
	if err := Write(&b, []byte(report), Options{Images: map[string][]byte{"map_catchments.png": pic}}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if err := wellFormed(page); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, page)
	}
	for _, want := range []string{
		`<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">`,
		`<meta charset="utf-8" />`,
		"<title>Office catchment report</title>",
		`<img src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(pic) + `" alt="Districts by office" />`,
		"<figcaption>Districts coloured by the office that serves them</figcaption>",
		`<td style="text-align:right">19</td>`,
		`<a href="nearest.csv">link</a>`,
		`<nav class="toc"`,
		`<li><a href="#key-figures">Key figures</a></li>`,
		`<li><a href="#a-sub-section-with-code">A sub-section with code</a></li>`,
		`<a href="#what-if-closing-大江出張所">What if: closing 大江出張所</a>`,
		`<h2 id="what-if-closing-大江出張所">What if: closing 大江出張所</h2>`,
		"@page { size: A4;",
		`"Noto Sans CJK JP"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// Raw HTML in the Markdown is left out, not passed through.
	if strings.Contains(page, "<b>raw</b>") {
		t.Error("raw HTML passed through")
	}
	// Nothing is loaded: every src is a data: URL, no stylesheet or script is linked.
	for _, m := range regexp.MustCompile(`\b(src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if m[1] == "src" && !strings.HasPrefix(m[2], "data:image/") {
			t.Errorf("loads %s", m[2])
		}
	}
	if strings.Contains(page, "<link") || strings.Contains(page, "<script") || strings.Contains(page, "@import") || strings.Contains(page, "url(") {
		t.Error("the page links a resource")
	}
	// The contents come after the title, before the first section.
	if !(strings.Index(page, "</h1>") < strings.Index(page, `<nav class="toc"`) && strings.Index(page, `<nav class="toc"`) < strings.Index(page, `<h2 id="key-figures">`)) {
		t.Error("the contents are not between the title and the first section")
	}
}

// wellFormed parses the page as XML: balanced tags, quoted attributes,
// only XML's own entities.
func wellFormed(page string) error {
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = true
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		return errors.New("unbalanced elements")
	}
	return nil
}

func TestWriteImageErrors(t *testing.T) {
	for _, tc := range []struct {
		md, want string
	}{
		{"![a](missing.png)", "image missing.png: the document shows it but it was not given"},
		{"![a](https://example.org/x.png)", "loads nothing from elsewhere"},
		{"![a](drawing.svg)", "want PNG, JPEG, GIF or WebP"},
	} {
		var b bytes.Buffer
		err := Write(&b, []byte(tc.md), Options{Images: map[string][]byte{"drawing.svg": []byte("<svg/>")}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.md, err, tc.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", tc.md, b.Len())
		}
	}
}

// TestContentsNesting: level-3 headings nest under their level-2 heading,
// also when the document starts with one; one heading makes no contents.
func TestContentsNesting(t *testing.T) {
	for _, tc := range []struct {
		md   string
		want string
	}{
		{"## A\n### a1\n### a2\n## B\n", `<ol>
<li><a href="#a">A</a>
<ol>
<li><a href="#a1">a1</a></li>
<li><a href="#a2">a2</a></li>
</ol>
</li>
<li><a href="#b">B</a></li>
</ol>`},
		{"### x\n## B\n", `<ol>
<li>
<ol>
<li><a href="#x">x</a></li>
</ol>
</li>
<li><a href="#b">B</a></li>
</ol>`},
		{"# T\n## only\n", ""},
		{"## Same\n## same!\n## 校区 (2)\n", `<li><a href="#same">Same</a></li>
<li><a href="#same-2">same!</a></li>
<li><a href="#校区-2">校区 (2)</a></li>`},
	} {
		var b bytes.Buffer
		if err := Write(&b, []byte(tc.md), Options{}); err != nil {
			t.Fatal(err)
		}
		if err := wellFormed(b.String()); err != nil {
			t.Errorf("%q: %v", tc.md, err)
		}
		if tc.want == "" {
			if strings.Contains(b.String(), `class="toc"`) {
				t.Errorf("%q: contents for one heading", tc.md)
			}
			continue
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%q: contents\n%s\nwant\n%s", tc.md, b.String(), tc.want)
		}
	}
}

// BenchmarkWriteLargeReport renders a report with a 19,000-row table, as
// large as a nation-scale report.md's.
func BenchmarkWriteLargeReport(b *testing.B) {
	var md strings.Builder
	md.WriteString("# Report\n\n## Districts\n\n| district | office | km |\n|---|---|--:|\n")
	for i := range 19_000 {
		md.WriteString("| 第" + strconv.Itoa(i) + "校区 | 中央区役所 | 1.25 |\n")
	}
	md.WriteString("\n## End\n\nDone.\n")
	src := []byte(md.String())
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if err := Write(io.Discard, src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
