package service

import (
	"math"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
)

// TestFitClosedForm checks the least-squares trends against the closed
// form for three equally spaced years x = −2, −1, 0 (the origin is the last
// year): slope = (y₃ − y₁) / 2, value at the origin = mean + slope.
func TestFitClosedForm(t *testing.T) {
	years := []int{2012, 2013, 2014}
	for _, ys := range [][]float64{{941860, 949390, 972000}, {100, 50, 25}, {10, 10, 10}, {3, 7, 5}} {
		slope := (ys[2] - ys[0]) / 2
		at0 := (ys[0]+ys[1]+ys[2])/3 + slope
		f, note := fitTrend(data.TrendLinear, years, ys, 2014)
		if note != "" || math.Abs(f.Slope-slope) > 1e-9*math.Abs(at0) || math.Abs(f.At(2014)-math.Max(0, at0)) > 1e-9*math.Abs(at0) {
			t.Errorf("linear %v: slope %g at 2014 %g, want %g %g", ys, f.Slope, f.At(2014), slope, at0)
		}
		if want := math.Max(0, at0+5*slope); math.Abs(f.At(2019)-want) > 1e-9*math.Abs(at0) {
			t.Errorf("linear %v: 2019 = %g, want %g", ys, f.At(2019), want)
		}
		// Exponential: the same on the logarithm.
		l := []float64{math.Log(ys[0]), math.Log(ys[1]), math.Log(ys[2])}
		ls := (l[2] - l[0]) / 2
		l0 := (l[0]+l[1]+l[2])/3 + ls
		e, _ := fitTrend(data.TrendExponential, years, ys, 2014)
		if want := math.Exp(l0 + 5*ls); math.Abs(e.At(2019)-want) > 1e-9*want {
			t.Errorf("exponential %v: 2019 = %g, want %g", ys, e.At(2019), want)
		}
		fl, _ := fitTrend(data.TrendFlat, years, ys, 2014)
		if fl.At(2030) != ys[2] {
			t.Errorf("flat %v: %g, want the last year %g", ys, fl.At(2030), ys[2])
		}
	}
	// An exact line and an exact exponential are recovered.
	lin := []float64{1000, 1200, 1400, 1600}
	f, _ := fitTrend(data.TrendLinear, []int{2010, 2011, 2012, 2013}, lin, 2013)
	if math.Abs(f.At(2020)-3000) > 1e-9 {
		t.Errorf("exact line: 2020 = %g, want 3000", f.At(2020))
	}
	exp := []float64{800, 400, 200}
	e, _ := fitTrend(data.TrendExponential, []int{2012, 2013, 2014}, exp, 2014)
	if math.Abs(e.At(2016)-50) > 1e-9 {
		t.Errorf("exact halving: 2016 = %g, want 50", e.At(2016))
	}
	// Fallbacks.
	if f, note := fitTrend(data.TrendExponential, years, []float64{5, 0, 3}, 2014); f.Trend != data.TrendFlat || note == "" {
		t.Errorf("exponential through 0: %+v %q, want flat with a note", f, note)
	}
	if f, note := fitTrend(data.TrendLinear, []int{2014}, []float64{5}, 2014); f.Trend != data.TrendFlat || note == "" || f.At(2020) != 5 {
		t.Errorf("one year: %+v %q", f, note)
	}
}

// TestProjectionFollowsDEMOSeries: with a flat trend (the plan's
// assumption: totals constant, each office keeping its share) the model's
// projection is the DEMO series' projected years, which the generator made
// with the same store shares and linkage, to its rounding (10).
func TestProjectionFollowsDEMOSeries(t *testing.T) {
	s, m, _ := kumamoto(t)
	m.Forecast.Trend = data.TrendFlat
	p, err := Project(s.Offices(), s.Dataset().Counts, m, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.FirstYear != 2012 || p.LastRecorded != 2014 || p.LastYear != 2019 {
		t.Fatalf("years %d–%d (recorded to %d)", p.FirstYear, p.LastYear, p.LastRecorded)
	}
	n := 0
	for _, c := range s.Dataset().Counts {
		var op OfficeProjection
		for _, o := range p.Offices {
			if o.Office.ID == c.OfficeID {
				op = o
			}
		}
		got := op.At(c.Year)
		if got.Recorded != !c.Projected {
			t.Errorf("%s %d: recorded %v", c.OfficeID, c.Year, got.Recorded)
		}
		if math.Abs(got.Work-c.Count) > 5 || math.Abs(got.Certificates-*c.Certificates) > 5 {
			t.Errorf("%s %d: work %.1f certificates %.1f, DEMO series %g %g", c.OfficeID, c.Year, got.Work, got.Certificates, c.Count, *c.Certificates)
		}
		n++
	}
	if n != 19*8 {
		t.Errorf("compared %d rows", n)
	}
}

// TestProjectionHoldsCityTotal: with hold_city_total the offices' base
// work sums to the last recorded year's in every projected year, whatever
// the trend; the forward step applies the year's shares.
func TestProjectionHoldsCityTotal(t *testing.T) {
	s, m, _ := kumamoto(t)
	for _, trend := range []data.Trend{data.TrendLinear, data.TrendExponential} {
		m.Forecast.Trend, m.Forecast.TargetYear = trend, 2024
		p, err := Project(s.Offices(), s.Dataset().Counts, m, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		var ref float64
		for _, o := range p.Offices {
			ref += o.At(2014).Base
		}
		for y := 2015; y <= 2024; y++ {
			var base, work float64
			sh := p.SharesAt(y)
			for _, o := range p.Offices {
				oy := o.At(y)
				base += oy.Base
				work += oy.Work
				want := oy.Base - oy.BaseCertificates + oy.BaseCertificates*sh.Linkage*(1-sh.Store-sh.Post)
				if math.Abs(oy.Work-want) > 1e-6 {
					t.Errorf("%s %s %d: work %g, want %g", trend, o.Office.ID, y, oy.Work, want)
				}
			}
			if math.Abs(base-ref) > 1e-6 {
				t.Errorf("%s %d: city base %g, want fiscal 2014's %g", trend, y, base, ref)
			}
			if y >= 2020 && sh.Post != 0.1*m.Post.Share.Value {
				t.Errorf("%d: post share %g", y, sh.Post)
			}
		}
	}
}

// TestForecastFlags: an office's flag is its projected work per staff
// member below the threshold.
func TestForecastFlags(t *testing.T) {
	s, m, gaps := kumamoto(t)
	a, err := Analyse(s, m, Options{Counts: s.Dataset().Counts, Gaps: gaps})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Forecast) != 19 {
		t.Fatalf("%d forecast rows", len(a.Forecast))
	}
	flagged := 0
	for _, r := range a.Forecast {
		want := r.Work / m.StaffOf(r.Office.ID, string(r.Office.Kind))
		if math.Abs(r.PerStaff-want) > 1e-9 || r.Below != (want < m.Forecast.ThresholdPerStaff.Value) {
			t.Errorf("%s: per staff %g below %v, want %g", r.Office.ID, r.PerStaff, r.Below, want)
		}
		if r.Work != a.Projection.Offices[r.Index].At(m.Forecast.TargetYear).Work || r.Work != a.Offices[r.Index].Years[m.Forecast.TargetYear-a.Projection.FirstYear].Own {
			t.Errorf("%s: forecast work %g is not the office's own in the target year", r.Office.ID, r.Work)
		}
		if r.Below {
			flagged++
		}
	}
	// The DEMO series halves 東部 and 秋津 in two recorded years: their
	// trends flag them.
	for _, r := range a.Forecast {
		if (r.Office.ID == "tobu" || r.Office.ID == "akitsu") && !r.Below {
			t.Errorf("%s is not flagged: %g per staff", r.Office.ID, r.PerStaff)
		}
	}
	if flagged == 0 || flagged == len(a.Forecast) {
		t.Errorf("%d of %d offices flagged", flagged, len(a.Forecast))
	}
}
