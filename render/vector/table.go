package vector

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/kumamoto-gis/catchment/render/vector/internal/layer"
)

// Table is rows of values under named columns; WriteText, WriteCSV and
// WriteJSON are three views of the same data. Values are string, float64,
// int, bool or nil (as for Property.Value). Callers round floats to the
// precision they mean (e.g. distance_m to 0.1 m).
type Table struct {
	Columns []string
	Rows    [][]any
}

// TableFormats are the formats WriteTable accepts.
var TableFormats = []string{"table", "csv", "json"}

// WriteTable writes t as "table" (aligned text), "csv" or "json"; any other
// format is an error naming the accepted ones.
func WriteTable(w io.Writer, format string, t Table) error {
	switch format {
	case "table":
		return t.WriteText(w)
	case "csv":
		return t.WriteCSV(w)
	case "json":
		return t.WriteJSON(w)
	}
	return fmt.Errorf("unknown table format %q (accepted: %s)", format, strings.Join(TableFormats, ", "))
}

// cells checks t and converts every value: each row must have one value per
// column, column names must be unique and non-empty.
func (t Table) cells() ([][]layer.Scalar, error) {
	seen := make(map[string]bool, len(t.Columns))
	for i, c := range t.Columns {
		if c == "" {
			return nil, fmt.Errorf("table column %d has an empty name", i)
		}
		if seen[c] {
			return nil, fmt.Errorf("table column %q appears twice", c)
		}
		seen[c] = true
	}
	out := make([][]layer.Scalar, len(t.Rows))
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return nil, fmt.Errorf("table row %d has %d values for %d columns", i, len(row), len(t.Columns))
		}
		out[i] = make([]layer.Scalar, len(row))
		for j, v := range row {
			s, err := layer.ScalarOf(v)
			if err != nil {
				return nil, fmt.Errorf("table row %d column %q: %w", i, t.Columns[j], err)
			}
			out[i][j] = s
		}
	}
	return out, nil
}

// columnGap separates the columns of the text table.
const columnGap = "  "

// WriteText writes t as aligned text: a header, a rule of dashes and one
// line per row. Widths count East Asian wide characters as two cells.
// Numbers are right-aligned (and so is the header of an all-number
// column); floats show up to 3 decimals with trailing zeros trimmed; nil
// is an empty cell.
func (t Table) WriteText(w io.Writer) error {
	rows, err := t.cells()
	if err != nil {
		return err
	}
	text := make([][]string, len(rows))
	widths := make([]int, len(t.Columns))
	numeric := make([]bool, len(t.Columns))
	for j, c := range t.Columns {
		widths[j] = cellWidth(c)
		hasNumber, allNumbers := false, true
		for _, row := range rows {
			switch row[j].Class() {
			case "number":
				hasNumber = true
			case "":
			default:
				allNumbers = false
			}
		}
		numeric[j] = hasNumber && allNumbers
	}
	// Floats in one column share their number of decimals, so that the
	// decimal points line up.
	decimals := make([]int, len(t.Columns))
	for i, row := range rows {
		text[i] = make([]string, len(row))
		for j, v := range row {
			text[i][j] = v.Text()
			if v.Kind == layer.Float && v.Finite() {
				if k := strings.IndexByte(text[i][j], '.'); k >= 0 {
					decimals[j] = max(decimals[j], len(text[i][j])-k-1)
				}
			}
		}
	}
	for i, row := range rows {
		for j, v := range row {
			if v.Kind == layer.Float && v.Finite() && decimals[j] > 0 {
				text[i][j] = strconv.FormatFloat(v.Num, 'f', decimals[j], 64)
				if strings.Trim(text[i][j], "-0.") == "" {
					text[i][j] = strings.TrimPrefix(text[i][j], "-")
				}
			}
			widths[j] = max(widths[j], cellWidth(text[i][j]))
		}
	}

	bw := bufio.NewWriter(w)
	var line strings.Builder
	writeLine := func(cells []string, right func(j int) bool) {
		line.Reset()
		for j, c := range cells {
			if j > 0 {
				line.WriteString(columnGap)
			}
			pad := strings.Repeat(" ", widths[j]-cellWidth(c))
			if right(j) {
				line.WriteString(pad)
				line.WriteString(c)
			} else {
				line.WriteString(c)
				line.WriteString(pad)
			}
		}
		bw.WriteString(strings.TrimRight(line.String(), " "))
		bw.WriteByte('\n')
	}
	writeLine(t.Columns, func(j int) bool { return numeric[j] })
	rule := make([]string, len(widths))
	for j, n := range widths {
		rule[j] = strings.Repeat("-", n)
	}
	writeLine(rule, func(int) bool { return false })
	for i := range text {
		writeLine(text[i], func(j int) bool { return rows[i][j].Class() == "number" })
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

// cellWidth is the number of terminal cells s occupies: East Asian wide and
// fullwidth characters take two, combining marks and format characters none.
func cellWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		case width.LookupRune(r).Kind() == width.EastAsianWide, width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// WriteCSV writes t as RFC 4180 CSV (CRLF line ends, UTF-8 without a BOM)
// with a header row. Floats use the shortest text that parses back to the
// same value; nil, NaN and ±Inf are empty fields.
func (t Table) WriteCSV(w io.Writer) error {
	rows, err := t.cells()
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(t.Columns)
	record := make([]string, len(t.Columns))
	for _, row := range rows {
		for j, v := range row {
			record[j] = v.CSV()
		}
		cw.Write(record)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// WriteJSON writes t as an indented JSON array with one flat object per
// row, keys in column order. Numbers are JSON numbers (floats always with a
// decimal point or exponent, in the shortest form that round-trips); nil,
// NaN and ±Inf are null.
func (t Table) WriteJSON(w io.Writer) error {
	rows, err := t.cells()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if len(rows) == 0 {
		bw.WriteString("[]\n")
	} else {
		buf := []byte("[\n")
		for i, row := range rows {
			buf = append(buf, "  {\n"...)
			for j, v := range row {
				buf = append(buf, "    "...)
				buf = layer.AppendJSONString(buf, t.Columns[j])
				buf = append(buf, ": "...)
				buf = v.AppendJSON(buf)
				if j < len(row)-1 {
					buf = append(buf, ',')
				}
				buf = append(buf, '\n')
			}
			buf = append(buf, "  }"...)
			if i < len(rows)-1 {
				buf = append(buf, ',')
			}
			buf = append(buf, '\n')
			bw.Write(buf)
			buf = buf[:0]
		}
		bw.WriteString("]\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// Features are the table's rows as features without geometry, one
// property per column: for writers of tables, such as a database's.
func (t Table) Features() []Feature {
	out := make([]Feature, len(t.Rows))
	for i, row := range t.Rows {
		props := make([]Property, len(t.Columns))
		for c, name := range t.Columns {
			props[c] = Property{Key: name, Value: row[c]}
		}
		out[i] = Feature{Properties: props}
	}
	return out
}
