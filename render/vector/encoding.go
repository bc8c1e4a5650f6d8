package vector

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// CSVEncoding is the character encoding a CSV file is written in.
type CSVEncoding string

// The encodings EncodeCSV writes.
const (
	// UTF8 is UTF-8 without a byte-order mark: for pipes and programs.
	UTF8 CSVEncoding = "utf-8"
	// UTF8BOM is UTF-8 after a byte-order mark (EF BB BF), which tells
	// Excel the file is UTF-8; GDAL, QGIS and pandas skip the mark.
	UTF8BOM CSVEncoding = "utf-8-bom"
	// ShiftJIS is Shift_JIS as Windows reads it (code page 932), for
	// software that reads nothing else. The characters that JIS and
	// Windows map differently are written as Windows shows them (see
	// ShiftJISEquivalents).
	ShiftJIS CSVEncoding = "shift_jis"
)

// CSVEncodings are the encodings ParseCSVEncoding accepts, by their names.
var CSVEncodings = []CSVEncoding{UTF8, UTF8BOM, ShiftJIS}

// ParseCSVEncoding reads an encoding's name: utf-8, utf-8-bom or shift_jis,
// in any case, with the usual other spellings (utf8, utf-8-sig, sjis,
// cp932, windows-31j).
func ParseCSVEncoding(s string) (CSVEncoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "utf-8", "utf8":
		return UTF8, nil
	case "utf-8-bom", "utf8-bom", "utf-8-sig", "utf8bom":
		return UTF8BOM, nil
	case "shift_jis", "shift-jis", "sjis", "cp932", "windows-31j", "ms932":
		return ShiftJIS, nil
	}
	return "", fmt.Errorf("unknown CSV encoding %q (accepted: utf-8, utf-8-bom, shift_jis)", s)
}

// ShiftJISEquivalents are the characters that JIS X 0208 and Windows code
// page 932 map to different code points, with the one Windows uses (and so
// Excel shows): "〜" (wave dash) is written as the code Windows reads as
// "～", and so on. Pairs of from, to.
var ShiftJISEquivalents = []string{
	"\u301C", "\uFF5E", // 〜 wave dash → ～ fullwidth tilde
	"\u2212", "\uFF0D", // − minus sign → － fullwidth hyphen-minus
	"\u2014", "\u2015", // — em dash → ― horizontal bar
	"\u2016", "\u2225", // ‖ double vertical line → ∥ parallel to
	"\u00A2", "\uFFE0", // ¢ → ￠
	"\u00A3", "\uFFE1", // £ → ￡
	"\u00AC", "\uFFE2", // ¬ → ￢
	"\u00A5", "\uFFE5", // ¥ → ￥ (0x5C is a backslash to Windows)
}

var windowsForms = strings.NewReplacer(ShiftJISEquivalents...)

// UnencodableError is a character of a CSV field that the encoding has no
// code for.
type UnencodableError struct {
	Encoding CSVEncoding
	Char     rune
	Row      int    // the data row, from 1 (the header is row 0)
	Line     int    // the line of the file the field starts on, from 1
	Column   string // the column's name
	Value    string // the field
}

func (e *UnencodableError) Error() string {
	where := fmt.Sprintf("row %d (line %d), column %s", e.Row, e.Line, e.Column)
	if e.Row == 0 {
		where = fmt.Sprintf("the header (line %d), column %s", e.Line, e.Column)
	}
	return fmt.Sprintf("%s has no code for %q (U+%04X) in %s: %q", e.Encoding, e.Char, e.Char, where, e.Value)
}

// EncodeCSV writes text, CSV in UTF-8 as WriteCSV and WriteCSVWKT write
// it, to w in enc. Shift_JIS refuses a character it cannot encode with an
// *UnencodableError naming the row and column, rather than writing "?";
// nothing is written then.
func EncodeCSV(w io.Writer, text []byte, enc CSVEncoding) error {
	var out []byte
	switch enc {
	case UTF8:
		out = text
	case UTF8BOM:
		out = append([]byte("\xEF\xBB\xBF"), text...)
	case ShiftJIS:
		text = []byte(windowsForms.Replace(string(text)))
		b, err := japanese.ShiftJIS.NewEncoder().Bytes(text)
		if err != nil {
			if located := locateUnencodable(text, enc); located != nil {
				return located
			}
			return fmt.Errorf("encode CSV as %s: %w", enc, err)
		}
		out = b
	default:
		return fmt.Errorf("unknown CSV encoding %q (accepted: utf-8, utf-8-bom, shift_jis)", enc)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// locateUnencodable reads text back as CSV and returns the first field
// holding a character enc cannot encode (nil if none is found).
func locateUnencodable(text []byte, enc CSVEncoding) *UnencodableError {
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	var header []string
	for row := 0; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) || err != nil {
			return nil
		}
		if row == 0 {
			header = rec
		}
		for j, f := range rec {
			c, ok := unencodableRune(f)
			if !ok {
				continue
			}
			line, _ := r.FieldPos(j)
			col := fmt.Sprintf("%d", j+1)
			if row > 0 && j < len(header) {
				col = header[j]
			}
			return &UnencodableError{Encoding: enc, Char: c, Row: row, Line: line, Column: col, Value: f}
		}
	}
}

// unencodableRune is the first rune of s that Shift_JIS cannot encode.
func unencodableRune(s string) (rune, bool) {
	e := japanese.ShiftJIS.NewEncoder()
	if _, err := e.String(s); err == nil {
		return 0, false
	}
	for _, c := range s {
		if c == utf8.RuneError {
			return c, true
		}
		if _, err := e.String(string(c)); err != nil {
			return c, true
		}
	}
	return 0, false
}
