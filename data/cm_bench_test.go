package data_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
)

// BenchmarkReadCostMatrix reads a 900 × 900 matrix (810,000 rows), the
// size of the largest OR-Library p-median instance.
func BenchmarkReadCostMatrix(b *testing.B) {
	var raw bytes.Buffer
	raw.WriteString("origin,dest,distance_m\n")
	for i := 1; i <= 900; i++ {
		for j := 1; j <= 900; j++ {
			fmt.Fprintf(&raw, "%d,%d,%d\n", i, j, (i*j)%997)
		}
	}
	for b.Loop() {
		if _, _, err := data.ReadCostMatrix(raw.Bytes(), "m.csv", ""); err != nil {
			b.Fatal(err)
		}
	}
}
