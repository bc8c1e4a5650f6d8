// Package htmldoc turns a Markdown document into one self-contained HTML
// page: the Markdown rendered with github.com/yuin/goldmark (GitHub's
// tables, strikethrough and autolinks), its images embedded as data: URLs,
// a table of contents, and a style sheet for the screen and for printing
// on A4, with a font stack that falls back to Japanese fonts. The page is
// well-formed XML (XHTML syntax) and loads nothing from elsewhere. It
// knows no analysis, and is a package of its own so that a program that
// writes only GeoJSON does not link goldmark.
package htmldoc

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// Options are what Write needs besides the Markdown.
type Options struct {
	// Title is the page's title; empty takes the text of the first
	// level-1 heading.
	Title string
	// Lang is the language of the text ("en" when empty); the style sheet
	// picks Japanese fonts for Japanese characters either way.
	Lang string
	// Images holds the bytes of the images the Markdown shows, by the
	// path it gives them (such as "map_catchments.png"); each is embedded.
	Images map[string][]byte
	// Contents is the heading of the table of contents ("Contents" when
	// empty). The table lists the level-2 and level-3 headings and is
	// left out when there are fewer than two.
	Contents string
}

//go:embed style.css
var styleSheet string

// Write renders markdown as one HTML page to w. An image the Markdown
// shows by a relative path that Images does not hold is an error (the
// page would show a broken picture); images given by an http(s) URL are
// an error too, since the page must not load anything.
func Write(w io.Writer, markdown []byte, opt Options) error {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignStyle)),
			extension.Strikethrough,
			extension.Linkify,
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(goldhtml.WithXHTML()),
	)
	doc := md.Parser().Parse(text.NewReader(markdown), parser.WithContext(parser.NewContext(parser.WithIDs(&headingIDs{used: map[string]bool{}}))))
	title := opt.Title
	var toc []heading
	var walkErr error
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			label := plainText(n, markdown)
			if n.Level == 1 && title == "" {
				title = label
			}
			if n.Level == 2 || n.Level == 3 {
				id, _ := n.AttributeString("id")
				idText, _ := id.([]byte)
				toc = append(toc, heading{level: n.Level, id: string(idText), label: label})
			}
		case *ast.Image:
			dest := string(n.Destination)
			url, err := embedded(dest, opt.Images)
			if err != nil {
				walkErr = err
				return ast.WalkStop, nil
			}
			n.Destination = []byte(url)
		}
		return ast.WalkContinue, nil
	})
	if err == nil {
		err = walkErr
	}
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := md.Renderer().Render(&body, markdown, doc); err != nil {
		return fmt.Errorf("render markdown: %w", err)
	}
	lang := opt.Lang
	if lang == "" {
		lang = "en"
	}
	contents := opt.Contents
	if contents == "" {
		contents = "Contents"
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n")
	fmt.Fprintf(&b, "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"%s\" xml:lang=\"%s\">\n<head>\n", attr(lang), attr(lang))
	b.WriteString("<meta charset=\"utf-8\" />\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<meta name=\"generator\" content=\"catchment\" />\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n", html.EscapeString(title), styleSheet)
	page := figures.ReplaceAllString(body.String(), "<figure>\n$1\n<figcaption>$2</figcaption>\n</figure>")
	page = loneImages.ReplaceAllString(page, "<figure>\n$1\n</figure>")
	// The contents go after the first heading (the title), or first.
	split := 0
	if k := strings.Index(page, "</h1>"); k >= 0 {
		split = k + len("</h1>\n")
		split = min(split, len(page))
	}
	b.WriteString("<main>\n")
	b.WriteString(page[:split])
	if len(toc) >= 2 {
		writeContents(&b, contents, toc)
	}
	b.WriteString(page[split:])
	b.WriteString("</main>\n</body>\n</html>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}

// figures match a paragraph holding only an image followed by one holding
// only emphasis, its caption (as report.md writes pictures); loneImages a
// paragraph holding only an image. Both become figures, which print with
// their caption on one page.
var (
	figures    = regexp.MustCompile(`<p>(<img [^>]*/>)</p>\n<p><em>((?:[^<]|<(?:code|/code|strong|/strong)>)*)</em></p>`)
	loneImages = regexp.MustCompile(`<p>(<img [^>]*/>)</p>`)
)

// headingIDs make the headings' ids from their text: letters (Japanese
// too) and digits lowercased, spaces and punctuation as single hyphens,
// "-2", "-3"… after a repeat.
type headingIDs struct{ used map[string]bool }

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(string(value)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		hyphen = true
	}
	id := b.String()
	if id == "" {
		id = "section"
	}
	unique := id
	for n := 2; h.used[unique]; n++ {
		unique = fmt.Sprintf("%s-%d", id, n)
	}
	h.used[unique] = true
	return []byte(unique)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

// heading is an entry of the table of contents.
type heading struct {
	level     int
	id, label string
}

// writeContents writes the table of contents: the level-2 headings, each
// with its level-3 headings beneath.
func writeContents(b *strings.Builder, title string, toc []heading) {
	fmt.Fprintf(b, "<nav class=\"toc\" aria-label=\"%s\">\n<h2 class=\"toc-title\">%s</h2>\n<ol>\n", attr(title), html.EscapeString(title))
	sub := false // a list of level-3 entries is open
	for i, h := range toc {
		link := fmt.Sprintf("<a href=\"#%s\">%s</a>", attr(h.id), html.EscapeString(h.label))
		if h.level == 2 {
			if sub {
				b.WriteString("</ol>\n")
				sub = false
			}
			if i > 0 {
				b.WriteString("</li>\n")
			}
			b.WriteString("<li>" + link)
			continue
		}
		if !sub {
			if i == 0 {
				b.WriteString("<li>")
			}
			b.WriteString("\n<ol>\n")
			sub = true
		}
		b.WriteString("<li>" + link + "</li>\n")
	}
	if sub {
		b.WriteString("</ol>\n")
	}
	b.WriteString("</li>\n</ol>\n</nav>\n")
}

// embedded is the data: URL of the image at dest.
func embedded(dest string, images map[string][]byte) (string, error) {
	if strings.HasPrefix(dest, "data:") {
		return dest, nil
	}
	if strings.Contains(dest, "://") {
		return "", fmt.Errorf("image %s: the page embeds every image and loads nothing from elsewhere", dest)
	}
	data, ok := images[dest]
	if !ok {
		return "", fmt.Errorf("image %s: the document shows it but it was not given to embed", dest)
	}
	typ, ok := imageTypes[strings.ToLower(path.Ext(dest))]
	if !ok {
		return "", fmt.Errorf("image %s: want PNG, JPEG, GIF or WebP to embed", dest)
	}
	return "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data), nil
}

// imageTypes are the media types of the images a page embeds, by
// extension: those goldmark does not take for dangerous URLs.
var imageTypes = map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}

// plainText is the text of a node's inline children.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// attr escapes s for an attribute value.
func attr(s string) string { return html.EscapeString(s) }
