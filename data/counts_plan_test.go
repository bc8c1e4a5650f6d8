package data

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/internal/gendefault/synth"
)

// The plan's statements on counter volumes (its section
// 区役所・出張所等の状況について①–⑤, quoted in kumamoto/README.md), written
// here independently of the generator so that a regeneration cannot drift
// from them. Each office's statement bounds its fiscal 2014 count over its
// fiscal 2012 count.
var planTrend = map[string]struct {
	says   string
	lo, hi float64 // bounds of count(2014) / count(2012)
}{
	"chuo":     {"中央区役所 decreasing", 0.80, 0.95},
	"oe":       {"大江 flat", 0.95, 1.05},
	"higashi":  {"東区役所 rising (concentration)", 1.15, 1.60},
	"tobu":     {"東部 roughly halved", 0.40, 0.62},
	"akitsu":   {"秋津 roughly halved", 0.40, 0.62},
	"takuma":   {"託麻 flat", 0.95, 1.05},
	"nishi":    {"西区役所 rising sharply", 1.20, 1.60},
	"hanazono": {"花園 flat", 0.95, 1.05},
	"kawachi":  {"河内 flat", 0.95, 1.05},
	"minami":   {"南区役所 rising sharply", 1.20, 1.60},
	"koda":     {"幸田 the largest branch office (its trend is not stated)", 0.80, 1.20},
	"akita":    {"南区's other branch offices slightly falling or flat", 0.85, 1.05},
	"tenmei":   {"南区's other branch offices slightly falling or flat", 0.85, 1.05},
	"jonan":    {"南区's other branch offices slightly falling or flat", 0.85, 1.05},
	"nanbu":    {"南区's other branch offices slightly falling or flat", 0.85, 1.05},
	"kita":     {"北区役所 rising", 1.05, 1.40},
	"shimizu":  {"清水 flat", 0.95, 1.05},
	"tatsuda":  {"龍田 slightly falling", 0.85, 0.98},
	"hokubu":   {"北部 slightly falling", 0.85, 0.98},
}

// wardResidents are the wards' populations, about (2015 census, rounded to
// thousands): only a plausibility band for the demo levels.
var wardResidents = map[string]float64{"中央区": 186000, "東区": 191000, "西区": 94000, "南区": 128000, "北区": 142000}

// Fiscal years: recorded 2012–2014, projected 2015–2019.
const (
	planFirst, planLastRecorded, planLast = 2012, 2014, 2019
	// The plan: linkage from July 2017 halves counter certificate volume;
	// fiscal 2017 has 9 months of it.
	planLinkage, planLinkage2017 = 0.5, 1 - 0.5*9/12.0
	// The plan: a 25 % convenience-store share of certificates, April 2018.
	planStoreShare2018 = 0.25
)

// TestDefaultCountsFollowPlan checks the embedded DEMO counter series against
// each statement of the plan it illustrates.
func TestDefaultCountsFollowPlan(t *testing.T) {
	ds, _, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		id   string
		year int
	}
	count, cert := map[key]float64{}, map[key]float64{}
	for _, c := range ds.Counts {
		k := key{c.OfficeID, c.Year}
		if c.Certificates == nil {
			t.Fatalf("%s %d: no certificates figure", c.OfficeID, c.Year)
		}
		count[k], cert[k] = c.Count, *c.Certificates
		if want := c.Year > planLastRecorded; c.Projected != want {
			t.Errorf("%s %d: projected %v, want %v (recorded to fiscal %d, projected after)", c.OfficeID, c.Year, c.Projected, want, planLastRecorded)
		}
	}
	for _, o := range ds.Offices {
		for y := planFirst; y <= planLast; y++ {
			if _, ok := count[key{o.ID, y}]; !ok {
				t.Errorf("%s: no figure for fiscal %d", o.ID, y)
			}
		}
	}
	if len(ds.Counts) != len(ds.Offices)*(planLast-planFirst+1) {
		t.Errorf("%d rows, want %d offices × fiscal %d–%d", len(ds.Counts), len(ds.Offices), planFirst, planLast)
	}
	if t.Failed() {
		t.FailNow()
	}

	// Each office's trend from fiscal 2012 to 2014.
	var wards2012, wards2014 float64
	branchesFalling, branches := 0, 0
	for _, o := range ds.Offices {
		st, ok := planTrend[o.ID]
		if !ok {
			t.Errorf("%s: the plan says nothing of this office", o.ID)
			continue
		}
		ratio := count[key{o.ID, planLastRecorded}] / count[key{o.ID, planFirst}]
		if ratio < st.lo || ratio > st.hi {
			t.Errorf("%s: fiscal 2014 / 2012 = %.3f, want %.2f–%.2f (plan: %s)", o.ID, ratio, st.lo, st.hi, st.says)
		}
		if o.Kind == Ward {
			wards2012 += count[key{o.ID, planFirst}]
			wards2014 += count[key{o.ID, planLastRecorded}]
		} else {
			branches++
			if ratio < 1 {
				branchesFalling++
			}
		}
	}
	// Overall: ward offices rose while most branch offices fell.
	if wards2014 <= wards2012*1.03 {
		t.Errorf("ward offices together: %.0f in 2012, %.0f in 2014: want rising (plan: ward offices' volumes rose)", wards2012, wards2014)
	}
	if 2*branchesFalling <= branches {
		t.Errorf("%d of %d branch offices fell from 2012 to 2014: want most (plan)", branchesFalling, branches)
	}
	// 東区: the ward office's share of the ward's counter work grows.
	share := func(year int) float64 {
		var all float64
		for _, o := range ds.Offices {
			if o.Ward == "東区" {
				all += count[key{o.ID, year}]
			}
		}
		return count[key{"higashi", year}] / all
	}
	if s12, s14 := share(planFirst), share(planLastRecorded); s14 < s12+0.08 {
		t.Errorf("東区役所's share of 東区's counter work: %.2f in 2012, %.2f in 2014: want concentration (up 8 points or more)", s12, s14)
	}
	// 幸田 is the largest branch office in every year.
	for y := planFirst; y <= planLast; y++ {
		for _, o := range ds.Offices {
			if o.Kind == Branch && o.ID != "koda" && count[key{o.ID, y}] >= count[key{"koda", y}] {
				t.Errorf("fiscal %d: %s (%.0f) is not smaller than 幸田 (%.0f): the plan has 幸田 the largest branch office", y, o.ID, count[key{o.ID, y}], count[key{"koda", y}])
			}
		}
	}

	// Levels: about 80 % of counter work is certificates, and the counts
	// are plausible for the residents of each ward.
	total := func(year int, m map[key]float64) float64 {
		s := 0.0
		for _, o := range ds.Offices {
			s += m[key{o.ID, year}]
		}
		return s
	}
	for y := planFirst; y <= planLastRecorded+1; y++ {
		if s := total(y, cert) / total(y, count); s < 0.77 || s > 0.83 {
			t.Errorf("fiscal %d: certificates are %.3f of counter work, want about 0.8 (plan)", y, s)
		}
		for _, o := range ds.Offices {
			if s := cert[key{o.ID, y}] / count[key{o.ID, y}]; s < 0.7 || s > 0.9 {
				t.Errorf("fiscal %d: %s: certificates are %.3f of counter work, want 0.7–0.9", y, o.ID, s)
			}
		}
	}
	perWard := map[string]float64{}
	for _, o := range ds.Offices {
		perWard[o.Ward] += count[key{o.ID, planLastRecorded}]
	}
	for w, n := range wardResidents {
		if r := perWard[w] / n; r < 1 || r > 1.8 {
			t.Errorf("%s: %.2f counter transactions per resident in fiscal 2014, want 1–1.8", w, r)
		}
	}
	for _, w := range ds.Offices {
		for _, b := range ds.Offices {
			if w.Kind == Ward && b.Kind == Branch && count[key{b.ID, planLastRecorded}] >= count[key{w.ID, planLastRecorded}] {
				t.Errorf("fiscal 2014: branch office %s has more counter work than ward office %s", b.ID, w.ID)
			}
		}
	}

	// Projection: stores from fiscal 2016 (a 25 % share in fiscal 2018),
	// linkage halving counter certificates from July 2017, the city's total
	// in 2016 equal to 2014's and constant over 2017–2019. The total is the
	// counter work before stores and linkage take their part; work other
	// than certificates stays at the counter.
	for y := planFirst; y < 2016; y++ {
		if synth.StoreShare[y] != 0 {
			t.Errorf("fiscal %d: store share %g before convenience stores print certificates (fiscal 2016)", y, synth.StoreShare[y])
		}
	}
	for y := 2016; y <= planLast; y++ {
		if s := synth.StoreShare[y]; s <= 0 || s >= 0.5 || s < synth.StoreShare[y-1] {
			t.Errorf("fiscal %d: store share %g: want positive, rising, below a half", y, s)
		}
	}
	if math.Abs(synth.StoreShare[2018]-planStoreShare2018) > 0.005 {
		t.Errorf("fiscal 2018 store share %g, want the plan's %g", synth.StoreShare[2018], planStoreShare2018)
	}
	linkage := func(y int) float64 {
		switch {
		case y < 2017:
			return 1
		case y == 2017:
			return planLinkage2017
		}
		return planLinkage
	}
	demand := map[int]float64{}
	for y := planLastRecorded; y <= planLast; y++ {
		other := total(y, count) - total(y, cert)
		if r := other / (total(planLastRecorded, count) - total(planLastRecorded, cert)); math.Abs(r-1) > 0.005 {
			t.Errorf("fiscal %d: work other than certificates is %.3f of fiscal 2014's: stores and linkage move certificates only", y, r)
		}
		// Counter certificates against what 2014's would be after the
		// store share: linkage's part.
		left := total(y, cert) / (total(planLastRecorded, cert) * (1 - synth.StoreShare[y]))
		if math.Abs(left-linkage(y)) > 0.01 {
			t.Errorf("fiscal %d: counter certificates are %.3f of fiscal 2014's after the store share, want %.3f (plan: linkage halves them from July 2017)", y, left, linkage(y))
		}
		demand[y] = other + total(y, cert)/((1-synth.StoreShare[y])*linkage(y))
		for _, o := range ds.Offices {
			if y > planLastRecorded && count[key{o.ID, y}] > count[key{o.ID, y - 1}] {
				t.Errorf("fiscal %d: %s rises in a projected year", y, o.ID)
			}
		}
	}
	if r := demand[2016] / demand[2014]; math.Abs(r-1) > 0.005 {
		t.Errorf("fiscal 2016 total is %.4f of 2014's, want equal (plan)", r)
	}
	for y := 2018; y <= planLast; y++ {
		if r := demand[y] / demand[2017]; math.Abs(r-1) > 0.005 {
			t.Errorf("fiscal %d total is %.4f of 2017's, want constant over 2017–2019 (plan)", y, r)
		}
	}

	// DEMO on every row.
	b, err := os.ReadFile(filepath.Join("kumamoto", synth.CountsFile))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	src := -1
	for i, h := range rows[0] {
		if h == "source" {
			src = i
		}
	}
	if src < 0 {
		t.Fatal("counter_counts.csv has no source column")
	}
	for i, r := range rows[1:] {
		if !strings.HasPrefix(r[src], "DEMO") {
			t.Errorf("line %d: source %q does not say DEMO", i+2, r[src])
		}
	}
}
