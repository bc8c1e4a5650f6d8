package service

import (
	"fmt"
	"math"

	"github.com/kumamoto-gis/catchment/data"
)

// Fit is the trend fitted to one office's recorded counter work before
// stores, post offices and linkage take their part:
//
//	flat:        work(y) = Intercept
//	linear:      work(y) = Intercept + Slope·(y − Origin)
//	exponential: work(y) = exp(Intercept + Slope·(y − Origin))
//
// by least squares over the recorded years (on the logarithm for
// exponential). Origin is the office's last recorded year.
type Fit struct {
	Trend            data.Trend
	Intercept, Slope float64
	Origin           int
	// Years is the number of recorded years fitted.
	Years int
}

// At is the trend's value in fiscal year y (never below 0).
func (f Fit) At(y int) float64 {
	x := float64(y - f.Origin)
	switch f.Trend {
	case data.TrendLinear:
		return math.Max(0, f.Intercept+f.Slope*x)
	case data.TrendExponential:
		return math.Exp(f.Intercept + f.Slope*x)
	}
	return f.Intercept
}

// fitTrend fits trend to the points (years, values), the last recorded
// year being origin. Exponential needs values > 0; with one point every
// trend is flat. It returns a note when it fell back to another trend.
func fitTrend(trend data.Trend, years []int, values []float64, origin int) (Fit, string) {
	f := Fit{Trend: trend, Origin: origin, Years: len(years)}
	last := values[len(values)-1]
	if trend == data.TrendFlat || len(years) < 2 {
		f.Trend, f.Intercept = data.TrendFlat, last
		if trend != data.TrendFlat {
			return f, "one recorded year: held flat"
		}
		return f, ""
	}
	ys := values
	if trend == data.TrendExponential {
		ys = make([]float64, len(values))
		for i, v := range values {
			if v <= 0 {
				f.Trend, f.Intercept = data.TrendFlat, last
				return f, fmt.Sprintf("a recorded year of %g: an exponential trend needs work above 0; held flat", v)
			}
			ys[i] = math.Log(v)
		}
	}
	n := float64(len(years))
	var mx, my float64
	for i := range years {
		mx += float64(years[i] - origin)
		my += ys[i]
	}
	mx, my = mx/n, my/n
	var sxx, sxy float64
	for i := range years {
		dx := float64(years[i]-origin) - mx
		sxx += dx * dx
		sxy += dx * (ys[i] - my)
	}
	f.Slope = sxy / sxx
	f.Intercept = my - f.Slope*mx
	return f, ""
}

// OfficeYear is one office's counter work in one fiscal year.
type OfficeYear struct {
	Year int
	// Work is the office's counter transactions, Certificates the part
	// that is certificate issuing (today's network: no load shifted).
	Work, Certificates float64
	// Base and BaseCertificates are the same before stores, post offices
	// and linkage take their part: the demand the trend is fitted to.
	Base, BaseCertificates float64
	// Recorded is true for a year from the counts, false for one the
	// model projects (or fills, before an office's last recorded year).
	Recorded bool
}

// OfficeProjection is one office's recorded and projected counter work.
type OfficeProjection struct {
	Office *data.Office
	Index  int // the office's index in the study
	Fit    Fit
	// CertificateShare is the share of its base work that is
	// certificates, from its last recorded year (the model's share when
	// the counts do not say).
	CertificateShare float64
	// Years runs from Projection.FirstYear to Projection.LastYear.
	Years []OfficeYear
	// Note says what the projection had to do (no counts, a fallback).
	Note string
}

// At is the office's year y (the zero OfficeYear when y is out of range).
func (p OfficeProjection) At(y int) OfficeYear {
	if len(p.Years) == 0 || y < p.Years[0].Year || y > p.Years[len(p.Years)-1].Year {
		return OfficeYear{Year: y}
	}
	return p.Years[y-p.Years[0].Year]
}

// YearShares are the model's channel shares and linkage in one fiscal year.
type YearShares struct {
	Year int
	// Store and Post are the shares (0..1) of certificates that go to
	// stores and post offices; Linkage is what linkage leaves of demand.
	Store, Post, Linkage float64
}

// Counter is the share of certificates left to counters and corners.
func (s YearShares) Counter() float64 { return math.Max(0, 1-s.Store-s.Post) }

// Projection is every office's counter work, recorded and projected, from
// the first recorded year to the target year.
type Projection struct {
	FirstYear, LastRecorded, LastYear int
	Trend                             data.Trend
	HoldCityTotal                     bool
	// Offices are the study's offices in input order; an office without
	// counts has no years (and a Note).
	Offices []OfficeProjection
	// Shares are per year, FirstYear first.
	Shares []YearShares
	// PostCoverage is the share of the population living in districts a
	// post office serves for certificates (the post channel's reach).
	PostCoverage float64
	// Ignored counts the projected rows of the counts, which the model
	// replaces with its own projection.
	Ignored int
}

// SharesAt is the shares of year y.
func (p *Projection) SharesAt(y int) YearShares { return p.Shares[y-p.FirstYear] }

// Years lists the projection's fiscal years.
func (p *Projection) Years() []int {
	out := make([]int, 0, p.LastYear-p.FirstYear+1)
	for y := p.FirstYear; y <= p.LastYear; y++ {
		out = append(out, y)
	}
	return out
}

// shares are the model's shares of year y with the post channel reaching
// postCoverage of the population.
func shares(m *data.ServiceModel, y int, postCoverage float64) YearShares {
	s := YearShares{Year: y, Store: m.StoreShare(y), Linkage: m.LinkageShare(y)}
	if y >= m.Post.FromYear {
		s.Post = m.Post.Share.Value * postCoverage
	}
	return s
}

// Project fits each office's recorded counter work and projects it to the
// model's target year with the model's assumptions: recorded years are
// turned back into demand (certificates ÷ (counter share × linkage), other
// work as it is), fitted with the model's trend, held at the city's last
// recorded total when the model says so, and turned forward again with
// each year's store and post shares and linkage. postCoverage is the share
// of the population a post office serves (see PostCoverage). Projected rows
// of counts are ignored. Years before an office's last recorded year that
// it has no row for are filled by its trend.
func Project(offices []data.Office, counts []data.CounterCount, m *data.ServiceModel, postCoverage float64) (*Projection, error) {
	if m == nil {
		return nil, fmt.Errorf("service: no model")
	}
	if postCoverage < 0 || postCoverage > 1 || math.IsNaN(postCoverage) {
		return nil, fmt.Errorf("service: post coverage %g is not a share from 0 to 1", postCoverage)
	}
	p := &Projection{Trend: m.Forecast.Trend, HoldCityTotal: m.Forecast.HoldCityTotal, PostCoverage: postCoverage,
		FirstYear: math.MaxInt, LastRecorded: math.MinInt}
	index := map[string]int{}
	for i := range offices {
		index[offices[i].ID] = i
	}
	recorded := make([][]data.CounterCount, len(offices))
	for _, c := range counts {
		i, ok := index[c.OfficeID]
		if !ok {
			return nil, fmt.Errorf("service: counts name office %q, which the study does not have", c.OfficeID)
		}
		if c.Projected {
			p.Ignored++
			continue
		}
		recorded[i] = append(recorded[i], c)
		p.FirstYear = min(p.FirstYear, c.Year)
		p.LastRecorded = max(p.LastRecorded, c.Year)
	}
	if p.LastRecorded == math.MinInt {
		return nil, fmt.Errorf("service: the counter counts have no recorded year (give --counts with recorded rows: projected empty or false)")
	}
	p.LastYear = max(p.LastRecorded, m.Forecast.TargetYear, m.ReferenceYear)
	if m.ReferenceYear < p.FirstYear {
		return nil, fmt.Errorf("service: the model's reference year %d is before the first recorded year %d", m.ReferenceYear, p.FirstYear)
	}
	for y := p.FirstYear; y <= p.LastYear; y++ {
		p.Shares = append(p.Shares, shares(m, y, postCoverage))
	}
	p.Offices = make([]OfficeProjection, len(offices))
	for i := range offices {
		op := &p.Offices[i]
		op.Office, op.Index = &offices[i], i
		rec := recorded[i]
		if len(rec) == 0 {
			op.Note = "no recorded counter counts: left out"
			continue
		}
		// Recorded years back to demand.
		var ys []int
		var base []float64
		byYear := map[int]OfficeYear{}
		for _, c := range rec {
			cert := c.Count * m.CertificateShare.Value
			if c.Certificates != nil {
				cert = *c.Certificates
			}
			sh := p.SharesAt(c.Year)
			left := sh.Counter() * sh.Linkage
			baseCert := cert
			if left > 0 {
				baseCert = cert / left
			}
			oy := OfficeYear{Year: c.Year, Work: c.Count, Certificates: cert, Base: c.Count - cert + baseCert, BaseCertificates: baseCert, Recorded: true}
			byYear[c.Year] = oy
			ys = append(ys, c.Year)
			base = append(base, oy.Base)
		}
		last := byYear[ys[len(ys)-1]]
		op.CertificateShare = m.CertificateShare.Value
		if last.Base > 0 {
			op.CertificateShare = last.BaseCertificates / last.Base
		}
		op.Fit, op.Note = fitTrend(m.Forecast.Trend, ys, base, ys[len(ys)-1])
		op.Years = make([]OfficeYear, p.LastYear-p.FirstYear+1)
		for y := p.FirstYear; y <= p.LastYear; y++ {
			if oy, ok := byYear[y]; ok {
				op.Years[y-p.FirstYear] = oy
				continue
			}
			op.Years[y-p.FirstYear] = OfficeYear{Year: y, Base: op.Fit.At(y)}
		}
	}
	// The city's total held at its last recorded year's: the trends move
	// work between offices.
	if p.HoldCityTotal {
		var total float64
		for i := range p.Offices {
			total += p.Offices[i].At(p.LastRecorded).Base
		}
		for y := p.LastRecorded + 1; y <= p.LastYear; y++ {
			var sum float64
			for i := range p.Offices {
				sum += p.Offices[i].At(y).Base
			}
			if sum <= 0 {
				continue
			}
			for i := range p.Offices {
				if op := &p.Offices[i]; len(op.Years) > 0 {
					op.Years[y-p.FirstYear].Base *= total / sum
				}
			}
		}
	}
	// Projected (and filled) years forward to the counter.
	for i := range p.Offices {
		op := &p.Offices[i]
		for k := range op.Years {
			oy := &op.Years[k]
			if oy.Recorded {
				continue
			}
			sh := p.SharesAt(oy.Year)
			oy.BaseCertificates = oy.Base * op.CertificateShare
			oy.Certificates = oy.BaseCertificates * sh.Linkage * sh.Counter()
			oy.Work = oy.Base - oy.BaseCertificates + oy.Certificates
		}
	}
	return p, nil
}
