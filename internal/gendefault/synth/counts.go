package synth

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
)

// CountsFile is the embedded demo counter-transaction series.
const CountsFile = "counter_counts.csv"

// First and last fiscal year of the demo counter series.
const (
	CountsFirstYear = 2015
	CountsLastYear  = 2024
)

// Counts writes a DEMO series of yearly counter transactions per office
// (CSV: office_id,year,count), ending at each office's counter count in
// CountsLastYear and declining over the years before it, as certificates move
// to convenience stores: 2–6 % a year for ward offices, 3–8 % for branch
// offices, with a little year-to-year noise. ids, latest and branch hold one
// entry per office.
func Counts(ids []string, latest []float64, branch []bool) []byte {
	r := rand.New(rand.NewPCG(2015, 2024))
	var b bytes.Buffer
	b.WriteString("office_id,year,count\n")
	for i, id := range ids {
		decline := 0.02 + 0.04*r.Float64()
		if branch[i] {
			decline = 0.03 + 0.05*r.Float64()
		}
		for y := CountsFirstYear; y <= CountsLastYear; y++ {
			c := latest[i] * math.Pow(1+decline, float64(CountsLastYear-y))
			if y != CountsLastYear {
				c *= 1 + 0.04*(r.Float64()-0.5)
			}
			fmt.Fprintf(&b, "%s,%d,%.0f\n", id, y, math.Round(c/10)*10)
		}
	}
	return b.Bytes()
}
