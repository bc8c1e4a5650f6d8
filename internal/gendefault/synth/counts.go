package synth

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
)

// CountsFile is the embedded demo counter-transaction series.
const CountsFile = "counter_counts.csv"

// Fiscal years of the demo counter series. The plan it stands in for is dated
// fiscal 2015: its recorded years run from fiscal 2012 (Kumamoto became a
// designated city in April 2012) to fiscal 2014, and it projects the years
// after. CountsLastRecorded is the year the offices' counter_count holds.
const (
	CountsFirstYear    = 2012
	CountsLastRecorded = 2014
	CountsLastYear     = 2019
)

// The plan's projection assumptions.
const (
	// LinkageFactor is what is left of counter certificate volume once
	// information linkage removes the need to attach certificates: the plan
	// expects it to halve.
	LinkageFactor = 0.5
	// LinkageYear is the fiscal year linkage starts, in July: it acts for
	// LinkageMonths of the year's 12 months (July–March).
	LinkageYear   = 2017
	LinkageMonths = 9
	// StoresFromYear is the first fiscal year of convenience-store printing.
	StoresFromYear = 2016
)

// StoreShare is the share of certificates printed at convenience stores in
// each projected fiscal year. The plan gives 25 % for fiscal 2018 (its
// estimate as of April 2018) and none before fiscal 2016; 10 %, 18 % and 30 %
// are this generator's assumption of a rising adoption around it.
var StoreShare = map[int]float64{2016: 0.10, 2017: 0.18, 2018: 0.25, 2019: 0.30}

// LinkageShare is the factor information linkage leaves of counter
// certificate volume in a fiscal year (1 before it starts, part of the year
// in its first year).
func LinkageShare(year int) float64 {
	switch {
	case year < LinkageYear:
		return 1
	case year == LinkageYear:
		return 1 - (1-LinkageFactor)*LinkageMonths/12
	}
	return LinkageFactor
}

// officeTrend is the DEMO shape of one office's series: the change of its
// counter work from fiscal 2012 to 2014, chosen to follow what the plan says
// of that office, and the share of its counter work that is certificates.
type officeTrend struct {
	change    float64 // 2014 over 2012, minus 1
	certShare float64
}

// officeTrends follows the plan's section 区役所・出張所等の状況について①–⑤
// (quoted in data/kumamoto/README.md). Ward offices handle more notifications
// than branch offices, so their certificate share is lower; the city's is
// about 80 %, the plan's figure.
var officeTrends = map[string]officeTrend{
	// 中央区: 中央区役所 decreasing; 大江 flat.
	"chuo": {-0.10, 0.76},
	"oe":   {-0.01, 0.84},
	// 東区: concentration at 東区役所; 東部 and 秋津 roughly halved; 託麻 flat.
	"higashi": {+0.35, 0.77},
	"tobu":    {-0.48, 0.85},
	"akitsu":  {-0.50, 0.85},
	"takuma":  {+0.01, 0.83},
	// 西区: 西区役所 rising sharply; 花園 and 河内 flat.
	"nishi":    {+0.32, 0.77},
	"hanazono": {-0.015, 0.84},
	"kawachi":  {-0.02, 0.82},
	// 南区: 南区役所 rising sharply; 幸田 the largest branch office (its level
	// is in offices.csv); the others slightly falling or flat.
	"minami": {+0.36, 0.77},
	"koda":   {-0.03, 0.84},
	"akita":  {-0.05, 0.83},
	"tenmei": {-0.04, 0.82},
	"jonan":  {-0.06, 0.83},
	"nanbu":  {-0.05, 0.84},
	// 北区: 北区役所 rising; 清水 flat; 龍田 and 北部 slightly falling.
	"kita":    {+0.14, 0.77},
	"shimizu": {+0.01, 0.84},
	"tatsuda": {-0.06, 0.84},
	"hokubu":  {-0.07, 0.83},
}

// Source notes written on every row: the figures are DEMO, never the city's.
const (
	countsRecordedNote  = "DEMO (not the city's figures): shaped by the plan's statements on fiscal 2012-2014"
	countsProjectedNote = "DEMO (not the city's figures): projected with the plan's assumptions"
)

// Counts writes the DEMO series of yearly counter work per office, fiscal
// CountsFirstYear–CountsLastYear, as CSV with the columns
// office_id,year,count,certificates,projected,source. ids and recorded hold
// one entry per office: its id and its counter_count, which is the fiscal
// CountsLastRecorded figure.
//
// Recorded-looking years (to CountsLastRecorded) move from fiscal 2012 to
// 2014 as the plan says of each office, with a little year-to-year noise.
// Projected years follow the plan's assumptions: the city's total counter
// work before stores and linkage stays at its fiscal 2014 level, each office
// keeping its share; a StoreShare of certificates moves to convenience stores
// and information linkage halves what is left at the counter from July 2017
// (LinkageShare). Work other than certificates stays at the counter.
func Counts(ids []string, recorded []float64) ([]byte, error) {
	if len(ids) != len(recorded) {
		return nil, fmt.Errorf("counts: %d office ids but %d counter counts", len(ids), len(recorded))
	}
	r := rand.New(rand.NewPCG(2012, 2019))
	var b bytes.Buffer
	b.WriteString("office_id,year,count,certificates,projected,source\n")
	round10 := func(v float64) float64 { return math.Round(v/10) * 10 }
	for i, id := range ids {
		tr, ok := officeTrends[id]
		if !ok {
			return nil, fmt.Errorf("counts: office %s: the plan says nothing of it; add it to officeTrends", id)
		}
		if recorded[i] <= 0 || math.IsNaN(recorded[i]) || math.IsInf(recorded[i], 0) {
			return nil, fmt.Errorf("counts: office %s: counter_count %g: want a positive count", id, recorded[i])
		}
		span := float64(CountsLastRecorded - CountsFirstYear)
		var last, lastCert float64
		for y := CountsFirstYear; y <= CountsLastRecorded; y++ {
			count := recorded[i] * math.Pow(1+tr.change, -float64(CountsLastRecorded-y)/span)
			share := tr.certShare
			if y != CountsLastRecorded {
				count *= 1 + 0.03*(r.Float64()-0.5)
				share += 0.01 * (r.Float64() - 0.5)
			}
			count = round10(count)
			cert := round10(count * share)
			fmt.Fprintf(&b, "%s,%d,%.0f,%.0f,false,%s\n", id, y, count, cert, countsRecordedNote)
			last, lastCert = count, cert
		}
		other := last - lastCert
		for y := CountsLastRecorded + 1; y <= CountsLastYear; y++ {
			cert := round10(lastCert * (1 - StoreShare[y]) * LinkageShare(y))
			fmt.Fprintf(&b, "%s,%d,%.0f,%.0f,true,%s\n", id, y, other+cert, cert, countsProjectedNote)
		}
	}
	return b.Bytes(), nil
}
