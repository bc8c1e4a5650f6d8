package layer

import (
	"math"
	"testing"
)

func TestScalarFormats(t *testing.T) {
	tests := []struct {
		v             any
		text, csv, js string
	}{
		{1234.5, "1234.5", "1234.5", "1234.5"},
		{1500.0, "1500", "1500", "1500.0"},
		{0.12345, "0.123", "0.12345", "0.12345"},
		{0.0005, "0.001", "0.0005", "0.0005"},
		{-0.0001, "0", "-0.0001", "-0.0001"},
		{1.0 / 3, "0.333", "0.3333333333333333", "0.3333333333333333"},
		{1e-7, "0", "1e-7", "1e-7"},
		{math.NaN(), "NaN", "", "null"},
		{math.Inf(-1), "-Inf", "", "null"},
		{7, "7", "7", "7"},
		{uint16(7), "7", "7", "7"},
		{true, "true", "true", "true"},
		{nil, "", "", "null"},
		{"熊本\t市", `熊本\t市`, "熊本\t市", `"熊本\t市"`},
	}
	for _, tt := range tests {
		s, err := ScalarOf(tt.v)
		if err != nil {
			t.Fatalf("ScalarOf(%v): %v", tt.v, err)
		}
		if got := s.Text(); got != tt.text {
			t.Errorf("text(%v) = %q, want %q", tt.v, got, tt.text)
		}
		if got := s.CSV(); got != tt.csv {
			t.Errorf("csv(%v) = %q, want %q", tt.v, got, tt.csv)
		}
		if got := string(s.AppendJSON(nil)); got != tt.js {
			t.Errorf("json(%v) = %q, want %q", tt.v, got, tt.js)
		}
	}
}
