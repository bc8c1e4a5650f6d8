package numfmt

import "testing"

func TestThousands(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 186400: "186,400", -1234567: "-1,234,567", 2.5: "2.5"} {
		if got := Thousands(v); got != want {
			t.Errorf("Thousands(%g) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{0.4: "0", 1234.5: "1,235", -999.6: "-1,000"} {
		if got := Whole(v); got != want {
			t.Errorf("Whole(%g) = %q, want %q", v, got, want)
		}
	}
}
