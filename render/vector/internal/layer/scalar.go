// Package layer holds what the vector writers (render/vector and its
// GeoPackage writer) share when they write a layer: property and table
// values normalised to scalars, and geometries as a layer writes them.
package layer

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the type of a property or table value once normalised.
type Kind uint8

// The kinds of values.
const (
	Null   Kind = iota // nil, a nil pointer
	String             // Str holds it
	Int                // Str holds its decimal text
	Float              // Num holds it, given in Bits precision
	Bool               // B holds it
)

// Scalar is a property or table value normalised from any of the accepted
// Go types.
type Scalar struct {
	Kind Kind
	Str  string  // the string, or the decimal text of an integer
	Num  float64 // a float
	Bits int     // 32 or 64: the precision Num was given in
	B    bool
}

// ScalarOf normalises v: string, bool, any integer or float type, named
// types over those, and pointers to them (a nil pointer is null).
func ScalarOf(v any) (Scalar, error) {
	switch v := v.(type) {
	case nil:
		return Scalar{}, nil
	case string:
		return Scalar{Kind: String, Str: v}, nil
	case float64:
		return Scalar{Kind: Float, Num: v, Bits: 64}, nil
	case int:
		return Scalar{Kind: Int, Str: strconv.Itoa(v)}, nil
	case bool:
		return Scalar{Kind: Bool, B: v}, nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return Scalar{}, nil
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.String:
		return Scalar{Kind: String, Str: rv.String()}, nil
	case reflect.Bool:
		return Scalar{Kind: Bool, B: rv.Bool()}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Scalar{Kind: Int, Str: strconv.FormatInt(rv.Int(), 10)}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return Scalar{Kind: Int, Str: strconv.FormatUint(rv.Uint(), 10)}, nil
	case reflect.Float32:
		return Scalar{Kind: Float, Num: rv.Float(), Bits: 32}, nil
	case reflect.Float64:
		return Scalar{Kind: Float, Num: rv.Float(), Bits: 64}, nil
	}
	return Scalar{}, fmt.Errorf("unsupported value type %T (want string, number, bool or nil)", v)
}

// Class is the JSON type of s: "string", "number", "boolean", or "" for null.
func (s Scalar) Class() string {
	switch s.Kind {
	case String:
		return "string"
	case Int, Float:
		return "number"
	case Bool:
		return "boolean"
	}
	return ""
}

// Finite reports whether a float is neither NaN nor ±Inf.
func (s Scalar) Finite() bool { return !math.IsNaN(s.Num) && !math.IsInf(s.Num, 0) }

// AppendJSON appends s as a JSON value. A float always carries a decimal
// point or an exponent so readers (GDAL, Python) keep it a real number.
func (s Scalar) AppendJSON(buf []byte) []byte {
	switch s.Kind {
	case String:
		return AppendJSONString(buf, s.Str)
	case Int:
		return append(buf, s.Str...)
	case Bool:
		return strconv.AppendBool(buf, s.B)
	case Float:
		if !s.Finite() {
			break
		}
		start := len(buf)
		buf = appendShortestFloat(buf, s.Num, s.Bits)
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

// CSV is s as a CSV field: empty for nil and non-finite floats.
func (s Scalar) CSV() string {
	switch s.Kind {
	case String, Int:
		return s.Str
	case Bool:
		return strconv.FormatBool(s.B)
	case Float:
		if s.Finite() {
			return string(appendShortestFloat(nil, s.Num, s.Bits))
		}
	}
	return ""
}

// Text is s for the aligned text table: floats to at most 3 decimals with
// trailing zeros trimmed, NaN/Inf spelled out, control characters escaped.
func (s Scalar) Text() string {
	switch s.Kind {
	case String:
		return textEscaper.Replace(s.Str)
	case Int:
		return s.Str
	case Bool:
		return strconv.FormatBool(s.B)
	case Float:
		switch {
		case math.IsNaN(s.Num):
			return "NaN"
		case math.IsInf(s.Num, 1):
			return "Inf"
		case math.IsInf(s.Num, -1):
			return "-Inf"
		}
		t := strconv.FormatFloat(s.Num, 'f', 3, 64)
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

// AppendJSONString appends s as a JSON string. Non-ASCII text is written as
// UTF-8, not \u escapes (QGIS reads UTF-8), and HTML characters are not
// escaped; invalid UTF-8 becomes U+FFFD.
func AppendJSONString(buf []byte, s string) []byte {
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
