// Package numfmt formats numbers for people, as the maps, charts and the
// Markdown report of render print them: digits grouped by thousands.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Thousands formats v with comma separators ("186,400"), with decimals
// only when v is not whole.
func Thousands(v float64) string {
	if v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatInt(int64(math.Abs(v)), 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if v < 0 {
		return "-" + b.String()
	}
	return b.String()
}

// Whole formats v rounded to a whole number with thousands separators.
func Whole(v float64) string { return Thousands(math.Round(v)) }
