package data

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// utf8BOM is the byte order mark some Windows tools put before UTF-8 text.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Names of the encodings the loader detects, for messages.
const (
	encUTF8        = "UTF-8"
	encShiftJIS    = "Shift_JIS"
	encWindows1252 = "Windows-1252"
)

// textEncoding is the character encoding of an input's text.
type textEncoding struct {
	name string            // e.g. "UTF-8", "Shift_JIS", "Windows-1252", "ISO-8859-1", "GBK"
	enc  encoding.Encoding // nil for UTF-8
}

var (
	utf8Text     = textEncoding{name: encUTF8}
	shiftJISText = textEncoding{name: encShiftJIS, enc: japanese.ShiftJIS}
	latinText    = textEncoding{name: encWindows1252, enc: charmap.Windows1252}
)

// decode converts b to UTF-8. It fails when b holds a byte sequence the
// encoding does not define.
func (e textEncoding) decode(b []byte) (string, error) {
	if e.enc == nil || isASCII(b) {
		if !utf8.Valid(b) {
			return strings.ToValidUTF8(string(b), "\uFFFD"), fmt.Errorf("is not valid %s", e.name)
		}
		return string(b), nil
	}
	out, err := e.enc.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return strings.ToValidUTF8(string(out), "\uFFFD"), fmt.Errorf("is not valid %s", e.name)
	}
	return string(out), nil
}

// codePages are the Windows and DOS code pages, by number, that the loader
// decodes.
var codePages = map[int]textEncoding{
	437: {"CP437", charmap.CodePage437}, 850: {"CP850", charmap.CodePage850}, 852: {"CP852", charmap.CodePage852},
	855: {"CP855", charmap.CodePage855}, 858: {"CP858", charmap.CodePage858}, 860: {"CP860", charmap.CodePage860},
	862: {"CP862", charmap.CodePage862}, 863: {"CP863", charmap.CodePage863}, 865: {"CP865", charmap.CodePage865},
	866: {"CP866", charmap.CodePage866}, 874: {"CP874", charmap.Windows874},
	932: shiftJISText, 936: {"GBK (CP936)", simplifiedchinese.GBK}, 949: {"EUC-KR (CP949)", korean.EUCKR},
	950:  {"Big5 (CP950)", traditionalchinese.Big5},
	1250: {"Windows-1250", charmap.Windows1250}, 1251: {"Windows-1251", charmap.Windows1251}, 1252: latinText,
	1253: {"Windows-1253", charmap.Windows1253}, 1254: {"Windows-1254", charmap.Windows1254},
	1255: {"Windows-1255", charmap.Windows1255}, 1256: {"Windows-1256", charmap.Windows1256},
	1257: {"Windows-1257", charmap.Windows1257}, 1258: {"Windows-1258", charmap.Windows1258},
	10000: {"Mac Roman", charmap.Macintosh}, 10007: {"Mac Cyrillic", charmap.MacintoshCyrillic},
	65001: utf8Text,
}

// ldidCodePages maps the dBASE language driver id (byte 29 of a .dbf
// header) to a code page, as GDAL maps it; 0 stands for ISO-8859-1 (0x57,
// the byte GDAL writes by default).
var ldidCodePages = map[byte]int{
	0x01: 437, 0x02: 850, 0x03: 1252, 0x04: 10000, 0x08: 865, 0x0A: 850, 0x0B: 437, 0x0D: 437, 0x0E: 850,
	0x0F: 437, 0x10: 850, 0x11: 437, 0x12: 850, 0x13: 932, 0x14: 850, 0x15: 437, 0x16: 850, 0x17: 865,
	0x18: 437, 0x19: 437, 0x1A: 850, 0x1B: 437, 0x1C: 863, 0x1D: 850, 0x1F: 852, 0x22: 852, 0x23: 852,
	0x24: 860, 0x25: 850, 0x26: 866, 0x37: 850, 0x40: 852, 0x4D: 936, 0x4E: 949, 0x4F: 950, 0x50: 874,
	0x57: 0, 0x58: 1252, 0x59: 1252, 0x64: 852, 0x65: 866, 0x66: 865, 0x67: 861, 0x68: 895, 0x69: 620,
	0x6A: 737, 0x6B: 857, 0x6C: 863, 0x78: 950, 0x79: 949, 0x7A: 936, 0x7B: 932, 0x7C: 874, 0x86: 737,
	0x87: 852, 0x88: 857, 0x96: 10007, 0x97: 10029, 0xC8: 1250, 0xC9: 1251, 0xCA: 1254, 0xCB: 1253, 0xCC: 1257,
}

// ldidEncoding returns the encoding a .dbf language driver id stands for.
// ok is false for 0 and unknown ids (no code page given); err is set for a
// code page the loader cannot decode.
func ldidEncoding(ldid byte) (e textEncoding, ok bool, err error) {
	cp, known := ldidCodePages[ldid]
	if !known {
		return textEncoding{}, false, nil
	}
	if cp == 0 {
		return textEncoding{name: "ISO-8859-1", enc: charmap.ISO8859_1}, true, nil
	}
	if e, ok := codePages[cp]; ok {
		return e, true, nil
	}
	return textEncoding{}, true, fmt.Errorf("code page %d (language driver byte 0x%02X) is not one this loader decodes", cp, ldid)
}

// cpgEncoding reads the code page a .cpg file names, as GDAL reads it: a
// code page number (1252, 932), 8859-N, UTF-8, or the name of an encoding
// (ISO-8859-1, LATIN1, SJIS, CP932, Big5...). It fails for a name it does
// not know.
func cpgEncoding(cpg string) (textEncoding, error) {
	s := strings.TrimSpace(strings.TrimPrefix(cpg, "\ufeff"))
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	key := strings.ToUpper(strings.NewReplacer("-", "", "_", "", " ", "").Replace(s))
	switch {
	case key == "":
		return textEncoding{}, fmt.Errorf("the .cpg is empty")
	case strings.HasPrefix(key, "UTF8"):
		return utf8Text, nil
	case key == "SJIS" || key == "SHIFTJIS" || key == "MS932" || key == "WINDOWS31J" || key == "SHIFTJIS2004" || key == "MSKANJI":
		return shiftJISText, nil
	case strings.HasPrefix(key, "8859"):
		key = "ISO8859" + key[4:]
	}
	for _, prefix := range []string{"ANSI", "WINDOWS", "CP", "IBM", ""} {
		if n, err := strconv.Atoi(strings.TrimPrefix(key, prefix)); err == nil && strings.HasPrefix(key, prefix) {
			if e, ok := codePages[n]; ok {
				return e, nil
			}
			return textEncoding{}, fmt.Errorf("the .cpg names code page %q, which this loader does not decode", clip(s, 20))
		}
	}
	if strings.HasPrefix(key, "ISO8859") {
		s = "ISO-8859-" + strings.TrimPrefix(key, "ISO8859")
	}
	if enc, err := ianaindex.IANA.Encoding(s); err == nil && enc != nil {
		name, err := ianaindex.MIME.Name(enc)
		if err != nil || name == "" {
			name, _ = ianaindex.IANA.Name(enc)
		}
		if enc == charmap.Windows1252 {
			return latinText, nil
		}
		if enc == japanese.ShiftJIS {
			return shiftJISText, nil
		}
		return textEncoding{name: name, enc: enc}, nil
	}
	return textEncoding{}, fmt.Errorf("the .cpg names code page %q, which this loader does not know", clip(s, 20))
}

// clip shortens text quoted from a file to at most n runes.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// decodedText is text read from a file, converted to UTF-8.
type decodedText struct {
	text []byte
	enc  string // the encoding it was in
	// note explains a guessed encoding, for a warning; "" for UTF-8.
	note string
}

// decodeText returns b as UTF-8 text: a UTF-8 byte order mark is removed,
// and text that is not UTF-8 is decoded as Shift_JIS (CP932, as Excel in
// Japan writes it) or Windows-1252 (Latin-1), whichever reads as plausible
// text (see detectEncoding); the note says which and why.
func decodeText(b []byte) (decodedText, error) {
	if bytes.HasPrefix(b, utf8BOM) {
		b = b[len(utf8BOM):]
		if !utf8.Valid(b) {
			return decodedText{}, fmt.Errorf("starts with a UTF-8 byte order mark but is not valid UTF-8; save it as UTF-8")
		}
		return decodedText{text: b, enc: "UTF-8 with BOM"}, nil
	}
	if utf8.Valid(b) {
		return decodedText{text: b, enc: encUTF8}, nil
	}
	for i, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return decodedText{}, fmt.Errorf("is neither UTF-8 nor Shift_JIS nor Windows-1252 text (control byte 0x%02X at offset %d); save it as UTF-8", c, i)
		}
	}
	e, why, err := detectEncoding(b)
	if err != nil {
		return decodedText{}, err
	}
	out, _ := e.decode(b)
	return decodedText{text: []byte(out), enc: e.name, note: fmt.Sprintf("the text is not UTF-8; read as %s: %s — save the file as UTF-8 to be sure", e.name, why)}, nil
}

// detectEncoding chooses between Shift_JIS and Windows-1252 for text that
// is not UTF-8. When only one decodes every byte, it is that one.
// Otherwise the more plausible reading wins: Japanese text read as
// Shift_JIS gives kana and kanji, while Latin-1 text read as Shift_JIS
// gives half-width katakana and kanji wedged between Latin letters
// ("Qu饕ec"); Latin-1 text read as Windows-1252 gives accented letters
// inside words ("Québec"). why says which evidence decided, with a short
// excerpt; err is set when neither reading is plausible.
func detectEncoding(b []byte) (e textEncoding, why string, err error) {
	sjis, sjisErr := shiftJISText.decode(b)
	latin, latinErr := latinText.decode(b)
	jp, lat := japaneseShare(sjis), latinShare(latin)
	nonASCII := func(r rune) bool { return r >= 0x80 }
	switch {
	case sjisErr != nil && latinErr != nil:
		off := firstInvalidUTF8(b)
		return textEncoding{}, "", fmt.Errorf("is neither UTF-8 nor Shift_JIS nor Windows-1252 (first bad byte 0x%02X at offset %d); save it as UTF-8", b[off], off)
	case latinErr != nil && jp >= 0.5:
		return shiftJISText, fmt.Sprintf("only Shift_JIS decodes every byte (e.g. %q)", excerpt(sjis, nonASCII)), nil
	case sjisErr != nil && (lat >= 0.5 || lat < 0):
		return latinText, fmt.Sprintf("only Windows-1252 decodes every byte (e.g. %q)", excerpt(latin, nonASCII)), nil
	case sjisErr == nil && latinErr == nil && jp >= lat && jp >= 0.5:
		return shiftJISText, fmt.Sprintf("it reads as Japanese (e.g. %q), not as accented Latin letters (%q)", excerpt(sjis, nonASCII), excerpt(latin, nonASCII)), nil
	case sjisErr == nil && latinErr == nil && lat > jp && lat >= 0.5:
		return latinText, fmt.Sprintf("its accented letters sit inside words (e.g. %q), while as Shift_JIS they would be stray kana and kanji (%q)", excerpt(latin, isAccented), excerpt(sjis, nonASCII)), nil
	}
	return textEncoding{}, "", fmt.Errorf("is not UTF-8, and neither Shift_JIS (%q) nor Windows-1252 (%q) reads as plausible text; save it as UTF-8",
		excerpt(sjis, nonASCII), excerpt(latin, nonASCII))
}

// isAccented reports whether r is a letter of the Latin-1 supplement.
func isAccented(r rune) bool {
	return r >= 0xC0 && r <= 0xFF && r != 0xD7 && r != 0xF7
}

func isASCIILetter(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }

// japaneseShare is the share of the non-ASCII characters of s (decoded as
// Shift_JIS) that are not next to a Latin letter: Latin-1 text read as
// Shift_JIS gives half-width katakana and kanji glued to the Latin letters
// of its words ("Qu饕ec", "ﾉcole"), Japanese text rarely does.
func japaneseShare(s string) float64 {
	r := []rune(s)
	n, jp := 0, 0
	for i, c := range r {
		if c < 0x80 {
			continue
		}
		n++
		if !(i > 0 && isASCIILetter(r[i-1])) && !(i+1 < len(r) && isASCIILetter(r[i+1])) {
			jp++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(jp) / float64(n)
}

// latinShare is the share of the non-ASCII letters of s (decoded as
// Windows-1252) that are accented letters next to another letter, as in
// European words; punctuation (’ – “) counts for neither. It is -1 when s
// has no non-ASCII letters.
func latinShare(s string) float64 {
	r := []rune(s)
	n, lat := 0, 0
	letter := func(i int) bool { return i >= 0 && i < len(r) && (isASCIILetter(r[i]) || isAccented(r[i])) }
	for i, c := range r {
		if c < 0x80 || unicode.IsPunct(c) || unicode.IsSymbol(c) {
			continue
		}
		n++
		if isAccented(c) && (letter(i-1) || letter(i+1)) {
			lat++
		}
	}
	if n == 0 {
		return -1
	}
	return float64(lat) / float64(n)
}

// excerpt returns the words around the first rune of s for which keep
// is true (at most 16 characters), for messages.
func excerpt(s string, keep func(rune) bool) string {
	r := []rune(s)
	word := func(c rune) bool {
		return unicode.IsLetter(c) || unicode.IsDigit(c) || c == ' ' || c == '-' || c >= 0x80
	}
	for i, c := range r {
		if keep(c) {
			start, end := i, i+1
			for start > 0 && i-start < 8 && word(r[start-1]) {
				start--
			}
			for end < len(r) && end-start < 16 && word(r[end]) {
				end++
			}
			return clip(strings.TrimSpace(string(r[start:end])), 16)
		}
	}
	return clip(s, 16)
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
