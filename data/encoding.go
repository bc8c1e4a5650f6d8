package data

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// utf8BOM is the byte order mark some Windows tools put before UTF-8 text.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeText returns b as UTF-8 text: a UTF-8 byte order mark is removed, and
// text that is not valid UTF-8 but is valid Shift_JIS (CP932, as written by
// Excel in Japan) is converted. The encoding found is returned for messages.
func decodeText(b []byte) ([]byte, string, error) {
	if bytes.HasPrefix(b, utf8BOM) {
		b = b[len(utf8BOM):]
		if !utf8.Valid(b) {
			return nil, "", fmt.Errorf("starts with a UTF-8 byte order mark but is not valid UTF-8; save it as UTF-8")
		}
		return b, "UTF-8 with BOM", nil
	}
	if utf8.Valid(b) {
		return b, "UTF-8", nil
	}
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		off := firstInvalidUTF8(b)
		return nil, "", fmt.Errorf("is neither UTF-8 nor Shift_JIS (first bad byte 0x%02X at offset %d); save it as UTF-8", b[off], off)
	}
	return out, "Shift_JIS", nil
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
