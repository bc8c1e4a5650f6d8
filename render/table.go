package render

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
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
func (t Table) cells() ([][]scalar, error) {
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
	out := make([][]scalar, len(t.Rows))
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return nil, fmt.Errorf("table row %d has %d values for %d columns", i, len(row), len(t.Columns))
		}
		out[i] = make([]scalar, len(row))
		for j, v := range row {
			s, err := toScalar(v)
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
			switch row[j].class() {
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
			text[i][j] = v.text()
			if v.kind == kindFloat && v.finite() {
				if k := strings.IndexByte(text[i][j], '.'); k >= 0 {
					decimals[j] = max(decimals[j], len(text[i][j])-k-1)
				}
			}
		}
	}
	for i, row := range rows {
		for j, v := range row {
			if v.kind == kindFloat && v.finite() && decimals[j] > 0 {
				text[i][j] = strconv.FormatFloat(v.num, 'f', decimals[j], 64)
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
		writeLine(text[i], func(j int) bool { return rows[i][j].class() == "number" })
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
			record[j] = v.csv()
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
				buf = appendJSONString(buf, t.Columns[j])
				buf = append(buf, ": "...)
				buf = v.appendJSON(buf)
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

// scalarKind is the type of a property or table value once normalised.
type scalarKind uint8

const (
	kindNull scalarKind = iota
	kindString
	kindInt
	kindFloat
	kindBool
)

// scalar is a property or table value normalised from any of the accepted
// Go types.
type scalar struct {
	kind scalarKind
	str  string  // the string, or the decimal text of an integer
	num  float64 // a float
	bits int     // 32 or 64: the precision num was given in
	b    bool
}

// toScalar normalises v: string, bool, any integer or float type, named
// types over those, and pointers to them (a nil pointer is null).
func toScalar(v any) (scalar, error) {
	switch v := v.(type) {
	case nil:
		return scalar{}, nil
	case string:
		return scalar{kind: kindString, str: v}, nil
	case float64:
		return scalar{kind: kindFloat, num: v, bits: 64}, nil
	case int:
		return scalar{kind: kindInt, str: strconv.Itoa(v)}, nil
	case bool:
		return scalar{kind: kindBool, b: v}, nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return scalar{}, nil
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.String:
		return scalar{kind: kindString, str: rv.String()}, nil
	case reflect.Bool:
		return scalar{kind: kindBool, b: rv.Bool()}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return scalar{kind: kindInt, str: strconv.FormatInt(rv.Int(), 10)}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return scalar{kind: kindInt, str: strconv.FormatUint(rv.Uint(), 10)}, nil
	case reflect.Float32:
		return scalar{kind: kindFloat, num: rv.Float(), bits: 32}, nil
	case reflect.Float64:
		return scalar{kind: kindFloat, num: rv.Float(), bits: 64}, nil
	}
	return scalar{}, fmt.Errorf("unsupported value type %T (want string, number, bool or nil)", v)
}

// class is the JSON type of s: "string", "number", "boolean", or "" for null.
func (s scalar) class() string {
	switch s.kind {
	case kindString:
		return "string"
	case kindInt, kindFloat:
		return "number"
	case kindBool:
		return "boolean"
	}
	return ""
}

func (s scalar) finite() bool { return !math.IsNaN(s.num) && !math.IsInf(s.num, 0) }

// appendJSON appends s as a JSON value. A float always carries a decimal
// point or an exponent so readers (GDAL, Python) keep it a real number.
func (s scalar) appendJSON(buf []byte) []byte {
	switch s.kind {
	case kindString:
		return appendJSONString(buf, s.str)
	case kindInt:
		return append(buf, s.str...)
	case kindBool:
		return strconv.AppendBool(buf, s.b)
	case kindFloat:
		if !s.finite() {
			break
		}
		start := len(buf)
		buf = appendShortestFloat(buf, s.num, s.bits)
		if !strings.ContainsAny(string(buf[start:]), ".e") {
			buf = append(buf, ".0"...)
		}
		return buf
	}
	return append(buf, "null"...)
}

// appendShortestFloat appends the shortest decimal that parses back to f,
// in plain notation except for very small or large magnitudes (the same
// rule as encoding/json).
func appendShortestFloat(buf []byte, f float64, bits int) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(buf)
	buf = strconv.AppendFloat(buf, f, format, -1, bits)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		n := len(buf) - start
		if n >= 4 && buf[len(buf)-4] == 'e' && buf[len(buf)-3] == '-' && buf[len(buf)-2] == '0' {
			buf[len(buf)-2] = buf[len(buf)-1]
			buf = buf[:len(buf)-1]
		}
	}
	return buf
}

// csv is s as a CSV field: empty for nil and non-finite floats.
func (s scalar) csv() string {
	switch s.kind {
	case kindString, kindInt:
		return s.str
	case kindBool:
		return strconv.FormatBool(s.b)
	case kindFloat:
		if s.finite() {
			return string(appendShortestFloat(nil, s.num, s.bits))
		}
	}
	return ""
}

// text is s for the aligned text table: floats to at most 3 decimals with
// trailing zeros trimmed, NaN/Inf spelled out, control characters escaped.
func (s scalar) text() string {
	switch s.kind {
	case kindString:
		return textEscaper.Replace(s.str)
	case kindInt:
		return s.str
	case kindBool:
		return strconv.FormatBool(s.b)
	case kindFloat:
		switch {
		case math.IsNaN(s.num):
			return "NaN"
		case math.IsInf(s.num, 1):
			return "Inf"
		case math.IsInf(s.num, -1):
			return "-Inf"
		}
		t := strconv.FormatFloat(s.num, 'f', 3, 64)
		t = strings.TrimRight(t, "0")
		t = strings.TrimSuffix(t, ".")
		if t == "-0" {
			t = "0"
		}
		return t
	}
	return ""
}

// textEscaper keeps a value on one line in the text table.
var textEscaper = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`)

// appendJSONString appends s as a JSON string. Non-ASCII text is written as
// UTF-8, not \u escapes (QGIS reads UTF-8), and HTML characters are not
// escaped; invalid UTF-8 becomes U+FFFD.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			// Valid JSON, but escaped for JavaScript readers, as encoding/json does.
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
