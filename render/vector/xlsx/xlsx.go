// Package xlsx writes tables as an Excel workbook (.xlsx, Office Open
// XML) with github.com/xuri/excelize/v2: a first sheet of notes, then one
// sheet per table with typed cells (numbers as numbers, to Excel's 15
// significant digits; booleans as booleans; null, NaN and ±Inf as empty
// cells), the header row frozen and filtered, and columns as wide as their
// contents. It knows no analysis, and is a
// package of its own so that a program that writes only GeoJSON does not
// link excelize.
package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/kumamoto-gis/catchment/render/vector/internal/layer"
)

// Sheet is one table under its tab name.
type Sheet struct {
	// Name is the tab's name: at most 31 characters, none of : \ / ? * [ ],
	// not starting or ending with an apostrophe, unique in the workbook
	// (ignoring case).
	Name  string
	Table vector.Table
}

// Workbook is what Write writes: an about sheet, then the sheets.
type Workbook struct {
	// AboutName is the first sheet's tab name ("about" when empty).
	AboutName string
	// Title heads the about sheet and is the file's title property.
	Title string
	// Notes are the about sheet's lines, as label and text.
	Notes [][2]string
	// Sheets are the tables, in order.
	Sheets []Sheet
}

// The limits of a sheet (Excel's).
const (
	maxRows      = 1_048_576
	maxColumns   = 16_384
	maxCellChars = 32_767
)

// Column widths, in Excel's unit (the width of a digit): at least minWidth,
// at most maxWidth; headers leave room for the filter button.
const (
	minWidth    = 6
	maxWidth    = 60
	filterRoom  = 3
	notesWidth  = 100
	labelsWidth = 24
	// portraitWidth is about what a portrait A4 page holds at 100 %.
	portraitWidth = 95
)

// Write writes wb to w as an .xlsx file. A table that does not fit a sheet
// (rows, columns, a text longer than a cell holds), a bad or repeated
// sheet name or a value that is not a string, number, bool or nil is an
// error naming the sheet, and nothing is written.
func Write(w io.Writer, wb Workbook) error {
	f := excelize.NewFile()
	defer f.Close()
	about := wb.AboutName
	if about == "" {
		about = "about"
	}
	names := map[string]string{}
	for _, name := range append([]string{about}, sheetNames(wb.Sheets)...) {
		if err := checkSheetName(name); err != nil {
			return fmt.Errorf("sheet name %q: %w", name, err)
		}
		key := strings.ToLower(name)
		if _, dup := names[key]; dup {
			return fmt.Errorf("sheet name %q appears twice", name)
		}
		names[key] = name
	}
	if err := f.SetSheetName("Sheet1", about); err != nil {
		return fmt.Errorf("sheet %s: %w", about, err)
	}
	if err := writeNotes(f, about, wb); err != nil {
		return fmt.Errorf("sheet %s: %w", about, err)
	}
	for i, s := range wb.Sheets {
		if _, err := f.NewSheet(s.Name); err != nil {
			return fmt.Errorf("sheet %s: %w", s.Name, err)
		}
		if err := writeTable(f, s, i+1); err != nil {
			return fmt.Errorf("sheet %s: %w", s.Name, err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: wb.Title, Creator: "catchment", Language: "ja-JP"}); err != nil {
		return fmt.Errorf("workbook properties: %w", err)
	}
	var raw bytes.Buffer
	if err := f.Write(&raw); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := canonicalZip(w, raw.Bytes()); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// canonicalZip rewrites the package with its parts in a fixed order
// ([Content_Types].xml first, as Office writes it, then by name): excelize
// orders them by map iteration, so two runs of the same report would give
// different bytes, and an output folder could not be compared run to run.
func canonicalZip(w io.Writer, pkg []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return err
	}
	files := append([]*zip.File(nil), zr.File...)
	rank := func(name string) int {
		switch name {
		case "[Content_Types].xml":
			return 0
		case "_rels/.rels":
			return 1
		}
		return 2
	}
	sort.Slice(files, func(i, j int) bool {
		ri, rj := rank(files[i].Name), rank(files[j].Name)
		if ri != rj {
			return ri < rj
		}
		return files[i].Name < files[j].Name
	})
	zw := zip.NewWriter(w)
	for _, f := range files {
		// The parts keep the bytes excelize compressed them to: only their
		// order and the headers' times change.
		if f.Method != zip.Deflate {
			return fmt.Errorf("part %s: compression method %d, not deflate", f.Name, f.Method)
		}
		out, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Flags: 0x8, CreatorVersion: 20, ReaderVersion: 20,
			CRC32: f.CRC32, CompressedSize64: f.CompressedSize64, UncompressedSize64: f.UncompressedSize64})
		if err != nil {
			return err
		}
		in, err := f.OpenRaw()
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			return err
		}
	}
	return zw.Close()
}

// checkSheetName applies Excel's rules for a tab's name.
func checkSheetName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty")
	case utf16Len(name) > 31:
		return fmt.Errorf("%d characters, more than 31", utf16Len(name))
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return fmt.Errorf("starts or ends with an apostrophe")
	case strings.ContainsAny(name, ":\\/?*[]"):
		return fmt.Errorf("holds one of : \\ / ? * [ ]")
	case strings.EqualFold(name, "History"):
		return fmt.Errorf("reserved by Excel")
	}
	return nil
}

func sheetNames(sheets []Sheet) []string {
	out := make([]string, len(sheets))
	for i, s := range sheets {
		out[i] = s.Name
	}
	return out
}

// writeNotes writes the about sheet: the title, then label and text rows,
// the text wrapped.
func writeNotes(f *excelize.File, sheet string, wb Workbook) error {
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	label, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := printLayout(f, sheet, labelsWidth+notesWidth, false); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, labelsWidth); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, notesWidth); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: title, Value: wb.Title}}); err != nil {
		return err
	}
	for i, n := range wb.Notes {
		if len(n[1]) > maxCellChars {
			return fmt.Errorf("note %q: %d characters, more than a cell holds (%d)", n[0], len(n[1]), maxCellChars)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		row := []any{excelize.Cell{StyleID: label, Value: n[0]}, excelize.Cell{StyleID: text, Value: n[1]}}
		// A wrapped note needs a taller row: Excel does not grow rows
		// written by a program.
		lines := math.Ceil(float64(displayWidth(n[1])) / (notesWidth - 2))
		opts := []excelize.RowOpts{}
		if lines > 1 {
			opts = append(opts, excelize.RowOpts{Height: 15 * lines})
		}
		if err := sw.SetRow(cell, row, opts...); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// writeTable writes a table on its sheet: the header, then the rows, as an
// Excel table (filter buttons, banded rows) with the header frozen and
// columns fitted. n numbers the Excel tables of the workbook.
func writeTable(f *excelize.File, s Sheet, n int) error {
	t := s.Table
	cols := len(t.Columns)
	switch {
	case cols == 0:
		return fmt.Errorf("the table has no columns")
	case cols > maxColumns:
		return fmt.Errorf("%d columns, more than a sheet holds (%d)", cols, maxColumns)
	case len(t.Rows)+1 > maxRows:
		return fmt.Errorf("%d rows, more than a sheet holds (%d with the header): write CSV instead", len(t.Rows), maxRows-1)
	}
	rows, err := cells(t)
	if err != nil {
		return err
	}
	// The header of a column of numbers is right-aligned, as they are.
	var header [2]int
	for k, align := range []string{"left", "right"} {
		if header[k], err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "7F9DB9", Style: 1}},
			Alignment: &excelize.Alignment{Horizontal: align}}); err != nil {
			return err
		}
	}
	// Each float column shows the decimals its values have (up to 4, so
	// that the points line up); more precise columns show Excel's General
	// format. The cell keeps the full value either way.
	widths := make([]int, cols)
	formats := make([]int, cols) // number format styles by column (0: General)
	for j, c := range t.Columns {
		// A bold header is about a tenth wider.
		widths[j] = displayWidth(c)*11/10 + filterRoom
	}
	for j := range cols {
		decimals, floats := 0, false
		for _, row := range rows {
			if v := row[j]; v.Kind == layer.Float && v.Finite() {
				floats = true
				decimals = max(decimals, decimalsOf(v.Num))
			}
		}
		format := ""
		if floats && decimals > 0 && decimals <= 4 {
			format = "0." + strings.Repeat("0", decimals)
			if formats[j], err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
				return err
			}
		}
		for _, row := range rows {
			widths[j] = max(widths[j], displayWidth(shown(row[j], decimals, format != "")))
		}
	}
	total := 0
	for j, wd := range widths {
		widths[j] = min(max(wd+1, minWidth), maxWidth)
		total += widths[j]
	}
	if err := printLayout(f, s.Name, total, true); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return err
	}
	for j, fmtStyle := range formats {
		if fmtStyle != 0 {
			if err := sw.SetColStyle(j+1, j+1, fmtStyle); err != nil {
				return err
			}
		}
	}
	for j, wd := range widths {
		if err := sw.SetColWidth(j+1, j+1, float64(wd)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	names := make([]any, cols)
	for j, c := range t.Columns {
		names[j] = excelize.Cell{StyleID: header[0], Value: c}
		if numeric(rows, j) {
			names[j] = excelize.Cell{StyleID: header[1], Value: c}
		}
	}
	if err := sw.SetRow("A1", names); err != nil {
		return err
	}
	values := make([]any, cols)
	for i, row := range rows {
		for j, v := range row {
			values[j], err = value(v)
			if err != nil {
				return fmt.Errorf("row %d, column %s: %w", i+1, t.Columns[j], err)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, values); err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	last, _ := excelize.CoordinatesToCellName(cols, max(len(rows)+1, 2))
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: fmt.Sprintf("Table%d", n), StyleName: "TableStyleLight9", ShowRowStripes: boolPtr(true)}); err != nil {
		return err
	}
	return sw.Flush()
}

func boolPtr(b bool) *bool { return &b }

// printLayout sets a sheet to print on A4, as many pages high as it needs
// and one page wide, in landscape when its columns are wider than a
// portrait page; with titles, the header row is printed on every page.
func printLayout(f *excelize.File, sheet string, width int, titles bool) error {
	a4, one, tall := 9, 1, 0
	orientation := "portrait"
	if width > portraitWidth {
		orientation = "landscape"
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: boolPtr(true)}); err != nil {
		return err
	}
	if !titles {
		return nil
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$1", Scope: sheet})
}

// numeric reports whether column j holds numbers and nulls only, and at
// least one number.
func numeric(rows [][]layer.Scalar, j int) bool {
	some := false
	for _, row := range rows {
		switch row[j].Kind {
		case layer.Int, layer.Float:
			some = true
		case layer.Null:
		default:
			return false
		}
	}
	return some
}

// cells checks the table's shape and normalises its values.
func cells(t vector.Table) ([][]layer.Scalar, error) {
	seen := map[string]bool{}
	for i, c := range t.Columns {
		switch {
		case c == "":
			return nil, fmt.Errorf("column %d has an empty name", i+1)
		case seen[strings.ToLower(c)]:
			return nil, fmt.Errorf("column %q appears twice", c)
		}
		seen[strings.ToLower(c)] = true
	}
	out := make([][]layer.Scalar, len(t.Rows))
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return nil, fmt.Errorf("row %d has %d values for %d columns", i+1, len(row), len(t.Columns))
		}
		out[i] = make([]layer.Scalar, len(row))
		for j, v := range row {
			s, err := layer.ScalarOf(v)
			if err != nil {
				return nil, fmt.Errorf("row %d, column %s: %w", i+1, t.Columns[j], err)
			}
			if s.Kind == layer.String && utf16Len(s.Str) > maxCellChars {
				return nil, fmt.Errorf("row %d, column %s: %d characters, more than a cell holds (%d)", i+1, t.Columns[j], utf16Len(s.Str), maxCellChars)
			}
			out[i][j] = s
		}
	}
	return out, nil
}

// value is the cell value of v: a string, an int64 (or a float64 for an
// integer beyond int64), a float64, a bool, or nil for null and for NaN
// and ±Inf, which a cell cannot hold.
func value(v layer.Scalar) (any, error) {
	switch v.Kind {
	case layer.String:
		return v.Str, nil
	case layer.Bool:
		return v.B, nil
	case layer.Int:
		if n, err := strconv.ParseInt(v.Str, 10, 64); err == nil {
			return n, nil
		}
		f, err := strconv.ParseFloat(v.Str, 64)
		if err != nil {
			return nil, fmt.Errorf("integer %s: %w", v.Str, err)
		}
		return f, nil
	case layer.Float:
		if !v.Finite() {
			return nil, nil
		}
		if v.Bits == 32 {
			// The shortest decimal of the float32, not its float64 expansion.
			f, _ := strconv.ParseFloat(strconv.FormatFloat(v.Num, 'g', -1, 32), 64)
			return f, nil
		}
		return v.Num, nil
	}
	return nil, nil
}

// decimalsOf is the number of decimals of the shortest decimal text of v.
func decimalsOf(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if k := strings.IndexByte(s, '.'); k >= 0 {
		return len(s) - k - 1
	}
	return 0
}

// shown is the text Excel shows for v, for fitting the column's width.
func shown(v layer.Scalar, decimals int, fixed bool) string {
	switch v.Kind {
	case layer.Float:
		if !v.Finite() {
			return ""
		}
		if fixed {
			return strconv.FormatFloat(v.Num, 'f', decimals, 64)
		}
		s := strconv.FormatFloat(v.Num, 'g', 10, 64)
		return s
	case layer.Bool:
		// TRUE and FALSE, with room: a spreadsheet shows a boolean
		// that does not fit as 0 or 1.
		return "FALSE  "
	}
	return v.Str
}

// displayWidth is the width of s in digits of the sheet's font (Calibri,
// Japanese falling back to the system's Japanese font), rounded up: East
// Asian wide and fullwidth characters take about two, capitals and wide
// letters a third more than a digit, narrow letters less.
func displayWidth(s string) int {
	n := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf { // the same classes as below, without the tables
			switch {
			case strings.IndexByte("ilj.,:;'|!() ", byte(r)) >= 0:
				n += 0.5
			case 'A' <= r && r <= 'Z', r == 'm', r == 'w', r == '@', r == '%':
				n += 1.35
			default:
				n++
			}
			continue
		}
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		case width.LookupRune(r).Kind() == width.EastAsianWide, width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		case strings.ContainsRune("ilj.,:;'|!() ", r):
			n += 0.5
		case unicode.IsUpper(r), r == 'm', r == 'w', r == '@', r == '%':
			n += 1.35
		default:
			n++
		}
	}
	return int(math.Ceil(n))
}

// utf16Len is the length of s in UTF-16 code units, as Excel counts a
// cell's characters.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}
