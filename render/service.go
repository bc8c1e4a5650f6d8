package render

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/service"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/internal/numfmt"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// The service tables are a contract: keep their keys stable. Money is yen,
// work is counter transactions a year, hours are hours a week.

// ServiceYearTable is one row per fiscal year: the channel shares, the
// certificates each channel issues, counter work, staff, and the costs with
// today's network and staff (not_reorganised) and with the network
// analysed staffed to its work (reorganised).
func ServiceYearTable(a *service.Analysis) vector.Table {
	t := vector.Table{Columns: []string{"year", "recorded", "store_share", "post_share", "linkage", "certificates",
		"counter", "corner", "store", "post", "counter_work", "staff_today", "staff_needed",
		"counter_cost_not_reorganised", "counter_cost_reorganised", "counter_yen_per_certificate_not_reorganised", "counter_yen_per_certificate_reorganised",
		"store_cost", "store_yen_per_certificate", "post_cost", "post_yen_per_certificate",
		"total_cost_not_reorganised", "total_cost_reorganised", "yen_per_certificate_not_reorganised", "yen_per_certificate_reorganised"}}
	for _, y := range a.Years {
		t.Rows = append(t.Rows, []any{y.Year, y.Recorded, roundTo(y.Shares.Store, 4), roundTo(y.Shares.Post, 4), roundTo(y.Shares.Linkage, 4),
			roundTo(y.Demand, 0), roundTo(y.Counter, 0), roundTo(y.Corner, 0), roundTo(y.Store, 0), roundTo(y.Post, 0), roundTo(y.Work, 0),
			y.NotReorganised.Staff, y.Reorganised.Staff,
			roundTo(y.NotReorganised.Total, 0), roundTo(y.Reorganised.Total, 0), yen(y.NotReorganised.PerCertificate), yen(y.Reorganised.PerCertificate),
			roundTo(y.StoreCost.Total, 0), yen(y.StoreCost.PerCertificate), roundTo(y.PostCost.Total, 0), yen(y.PostCost.PerCertificate),
			roundTo(y.TotalNotReorganised, 0), roundTo(y.TotalReorganised, 0), yen(y.PerCertificateNotReorganised), yen(y.PerCertificateReorg)})
	}
	return t
}

// yen is a cost per certificate to 0.1 yen, null when undefined.
func yen(v float64) any { return number(roundTo(v, 1)) }

// ServiceOfficeTable is one row per office and fiscal year: its status in
// the network analysed, its own counter work, its work after the load
// shift (and the certificates in it), staff today and needed, and the
// residents it serves with full counter service today and after.
func ServiceOfficeTable(a *service.Analysis) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "status", "year", "recorded", "own_work", "work", "certificates",
		"staff_today", "staff_needed", "population_before", "population_after"}}
	for i, o := range a.Offices {
		for k, l := range o.Years {
			recorded := false
			if i < len(a.Projection.Offices) && len(a.Projection.Offices[i].Years) > 0 {
				recorded = a.Projection.Offices[i].Years[k].Recorded
			}
			t.Rows = append(t.Rows, []any{o.Office.ID, o.Office.Name, string(o.Status), l.Year, recorded, roundTo(l.Own, 0), roundTo(l.Work, 0),
				roundTo(l.Certificates, 0), o.StaffToday, l.StaffNeeded, roundTo(o.PopulationBefore, 0), roundTo(o.PopulationAfter, 0)})
		}
	}
	return t
}

// ServiceForecastTable is one row per office with counts: its trend, its
// own work in the last recorded year and in the target year, its staff
// today and the work per staff member, flagged below the model's
// threshold, and the work it handles in the target year in the network
// analysed (work_after, after the load shift).
func ServiceForecastTable(a *service.Analysis) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "status", "trend", "trend_per_year", "recorded_year", "recorded_work",
		"target_year", "work", "staff", "work_per_staff", "threshold", "below_threshold", "work_after", "note"}}
	for _, r := range a.Forecast {
		t.Rows = append(t.Rows, []any{r.Office.ID, r.Office.Name, string(r.Status), string(r.Fit.Trend), trendPerYear(r.Fit), a.Projection.LastRecorded,
			roundTo(r.Recorded, 0), a.Model.Forecast.TargetYear, roundTo(r.Work, 0), r.Staff, number(roundTo(r.PerStaff, 0)),
			a.Model.Forecast.ThresholdPerStaff.Value, r.Below, roundTo(r.WorkAfter, 0), r.Note})
	}
	return t
}

// trendPerYear describes a fit's slope: transactions a year (linear),
// percent a year (exponential), nil for flat.
func trendPerYear(f service.Fit) any {
	switch f.Trend {
	case data.TrendLinear:
		sign := "+"
		if f.Slope < 0 {
			sign = "−"
		}
		return sign + numfmt.Whole(math.Abs(f.Slope)) + " a year"
	case data.TrendExponential:
		return fmt.Sprintf("%+.1f %% a year", (math.Exp(f.Slope)-1)*100)
	}
	return nil
}

// ServicePlanTable is the plan's unit costs beside the model's, with the
// arithmetic that gives the model's.
func ServicePlanTable(a *service.Analysis) vector.Table {
	t := vector.Table{Columns: []string{"figure", "plan_yen", "plan_source", "model_yen", "reproduced", "arithmetic"}}
	for _, r := range planRows(a) {
		t.Rows = append(t.Rows, []any{r.figure, r.plan.Value, r.plan.Source, roundTo(r.model, 1), r.ok, r.how})
	}
	return t
}

type planRow struct {
	figure string
	plan   data.Figure
	model  float64
	ok     bool
	how    string
}

// planRows are the three unit costs with their arithmetic.
func planRows(a *service.Analysis) []planRow {
	c, m := a.Plan, a.Model
	okC, okN, okS := c.Reproduced(m)
	var staff []string
	for _, g := range c.Staff {
		who := map[string]string{"ward": "ward offices", "branch": "branch offices"}[g.Kind]
		if g.ID != "" {
			who = g.ID
		}
		staff = append(staff, fmt.Sprintf("%d %s × %s", g.Offices, who, numfmt.Thousands(g.Each.Value)))
	}
	y := c.ReferenceYear
	counter := fmt.Sprintf("%s staff (%s) × %s yen × %s (certificate share) = %s yen a year; ÷ %s counter certificates (fiscal %d) = %.1f yen; + %s yen (variable) = %.1f yen",
		numfmt.Thousands(c.StaffTotal), strings.Join(staff, " + "), numfmt.Whole(c.CostPerStaff), numfmt.Thousands(c.CertificateShare),
		numfmt.Whole(c.Fixed), numfmt.Whole(c.Certificates), y, c.Fixed/c.Certificates, numfmt.Thousands(c.VariableCost), c.Counter)
	notReorg := fmt.Sprintf("the same %s yen a year ÷ (%s × %s linkage = %s certificates) = %.1f yen; + %s yen = %.1f yen. The volume that gives %s yen: %s ÷ (%s − %s) = %s certificates, %.1f %% of fiscal %d's: the linkage halving alone",
		numfmt.Whole(c.Fixed), numfmt.Whole(c.Certificates), numfmt.Thousands(c.LinkageFactor), numfmt.Whole(c.Certificates*c.LinkageFactor),
		c.Fixed/(c.Certificates*c.LinkageFactor), numfmt.Thousands(c.VariableCost), c.NotReorganised,
		numfmt.Thousands(m.PlanFigures.CounterCostNotReorganised.Value), numfmt.Whole(c.Fixed), numfmt.Thousands(m.PlanFigures.CounterCostNotReorganised.Value),
		numfmt.Thousands(c.VariableCost), numfmt.Whole(c.VolumeForPlan), c.RatioForPlan*100, y)
	store := fmt.Sprintf("%s yen a year (fixed) ÷ (%s certificates × %s store share = %s) = %.1f yen; + %s yen (commission) = %.1f yen",
		numfmt.Whole(c.StoreFixed), numfmt.Whole(c.Demand), numfmt.Thousands(c.StoreShare), numfmt.Whole(c.StoreCertificates),
		c.StoreFixed/c.StoreCertificates, numfmt.Thousands(c.StoreCommission), c.Store)
	return []planRow{
		{"cost per certificate at a counter", m.PlanFigures.CounterCost, c.Counter, okC, counter},
		{"cost per certificate at a convenience store", m.PlanFigures.StoreCost, c.Store, okS, store},
		{"cost per certificate at a counter, not reorganised", m.PlanFigures.CounterCostNotReorganised, c.NotReorganised, okN, notReorg},
	}
}

// ModelInput is one input of the service model, for the inputs table.
type ModelInput struct {
	Key   string
	Value string
	data.Figure
}

// ServiceModelInputs lists the model's figures with where each comes from.
func ServiceModelInputs(m *data.ServiceModel) []ModelInput {
	var out []ModelInput
	add := func(key string, f data.Figure, format string) {
		out = append(out, ModelInput{Key: key, Value: fmt.Sprintf(format, numfmt.Thousands(f.Value)), Figure: f})
	}
	add("fee", m.Fee, "%s yen")
	add("certificate_share", m.CertificateShare, "%s")
	add("channels.counter.variable_cost", m.Counter.VariableCost, "%s yen")
	add("channels.corner.variable_cost", m.Corner.VariableCost, "%s yen")
	add("channels.store.fixed_cost_per_year", m.Store.FixedCostPerYear, "%s yen")
	add("channels.store.cost_per_certificate", m.Store.CostPerCertificate, "%s yen")
	add("channels.post.share", m.Post.Share, "%s")
	add("channels.post.fixed_cost_per_year", m.Post.FixedCostPerYear, "%s yen")
	add("channels.post.cost_per_certificate", m.Post.CostPerCertificate, "%s yen")
	for _, yf := range m.Adoption.CardAdoption {
		add(fmt.Sprintf("adoption.card_adoption.%d", yf.Year), yf.Figure, "%s")
	}
	add("adoption.store_share_of_card_holders", m.Adoption.StoreShare, "%s")
	add("linkage.factor", m.Linkage.Factor, "%s from "+fmt.Sprintf("%d-%02d", m.Linkage.FromYear, m.Linkage.FromMonth))
	for _, k := range []string{"ward", "branch", "corner"} {
		add("staff.per_office."+k, m.Staff.PerKind[k], "%s")
	}
	ids := make([]string, 0, len(m.Staff.Offices))
	for id := range m.Staff.Offices {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		add("staff.offices."+id, m.Staff.Offices[id], "%s")
	}
	add("staff.cost_per_year", m.Staff.CostPerYear, "%s yen")
	add("staff.workload_per_staff", m.Staff.WorkloadPerStaff, "%s a year")
	add("staff.minimum.full", m.Staff.MinimumFull, "%s")
	add("staff.minimum.corner", m.Staff.MinimumCorner, "%s")
	add("forecast.threshold_per_staff", m.Forecast.ThresholdPerStaff, "%s a year")
	add("accessibility.within_km", m.Access.WithinKm, "%s km")
	add("plan_figures.counter_cost", m.PlanFigures.CounterCost, "%s yen")
	add("plan_figures.store_cost", m.PlanFigures.StoreCost, "%s yen")
	add("plan_figures.store_share", m.PlanFigures.StoreShare, "%s")
	add("plan_figures.counter_cost_not_reorganised", m.PlanFigures.CounterCostNotReorganised, "%s yen")
	return out
}

// ServiceInputsTable is the model's inputs: key, value, source, note.
func ServiceInputsTable(m *data.ServiceModel) vector.Table {
	t := vector.Table{Columns: []string{"key", "value", "source", "note"}}
	for _, in := range ServiceModelInputs(m) {
		t.Rows = append(t.Rows, []any{in.Key, in.Value, orDash(in.Source), in.Note})
	}
	return t
}

func orDash(s string) string {
	if s == "" {
		return "(the model file)"
	}
	return s
}

// ServiceHoursTable is one row per district: the certificate hours a week
// within the limit, and the nearest point open at the time asked about
// (its id, channel and distance), today and after the change (the after
// columns are null without one).
func ServiceHoursTable(h *service.Hours) vector.Table {
	t := vector.Table{Columns: []string{"district_id", "district_name", "population", "hours_before", "hours_after",
		"open_before_id", "open_before_channel", "open_before_km", "open_after_id", "open_after_channel", "open_after_km"}}
	for i, b := range h.Before.Districts {
		row := []any{b.District.ID, b.District.Name, roundTo(b.Population, 0), b.HoursPerWeek, nil}
		nearest := func(d service.DistrictHours) []any {
			if d.Nearest < 0 {
				return []any{nil, nil, nil}
			}
			p := h.Points[d.Nearest]
			return []any{p.ID, string(p.Channel), number(roundTo(d.DistanceM/1000, 3))}
		}
		after := []any{nil, nil, nil}
		if h.After != nil {
			row[4] = h.After.Districts[i].HoursPerWeek
			after = nearest(h.After.Districts[i])
		}
		row = append(row, nearest(b)...)
		t.Rows = append(t.Rows, append(row, after...))
	}
	return t
}

// ServiceHoursFeatures are the district polygons with ServiceHoursTable's
// properties, for QGIS.
func ServiceHoursFeatures(h *service.Hours) []vector.Feature {
	t := ServiceHoursTable(h)
	return tableFeatures(t, func(i int) vector.Feature {
		return vector.Feature{Geometry: h.Before.Districts[i].District.Geometry}
	})
}

// Channel colours: counters blue like branch offices, corners a lighter
// blue, stores and post offices as on the maps.
var (
	colCounter = color.RGBA{0x21, 0x66, 0xac, 0xff}
	colCorner  = color.RGBA{0x92, 0xc5, 0xde, 0xff}
	colStore   = color.RGBA{0x1b, 0x78, 0x37, 0xff}
	colPost    = color.RGBA{0x76, 0x2a, 0x83, 0xff}
	colNotReo  = color.RGBA{0xb2, 0x18, 0x2b, 0xff}
)

// demoTag is " (DEMO)" when the counts are DEMO figures.
func demoTag(demo bool) (ja, en string) {
	if demo {
		return "（DEMO）", " (DEMO)"
	}
	return "", ""
}

// ServiceCostChart is the cost per certificate per year: counters with
// today's network and staff, counters in the network analysed staffed to
// its work, and stores, with the plan's figures as dotted lines.
func ServiceCostChart(a *service.Analysis, demo bool) draw.YearLineData {
	ja, en := demoTag(demo)
	d := draw.YearLineData{Title: draw.Bilingual{Ja: "証明書1件あたりの費用" + ja, En: "Cost per certificate" + en},
		YLabel: draw.Bilingual{Ja: "円／件", En: "Yen per certificate"}, Heading: draw.Bilingual{Ja: "窓口・チャネル", En: "Channel"}}
	var nr, re, st []float64
	for _, y := range a.Years {
		d.Years = append(d.Years, y.Year)
		d.Projected = append(d.Projected, !y.Recorded)
		nr = append(nr, y.NotReorganised.PerCertificate)
		re = append(re, y.Reorganised.PerCertificate)
		st = append(st, y.StoreCost.PerCertificate)
	}
	d.Note = draw.Bilingual{Ja: "再編：現在の窓口のまま、職員を業務量に合わせる", En: "Reorganised: today's offices, staff set by workload"}
	if name := a.Change.Name; name != "" {
		d.Note = draw.Bilingual{Ja: "再編：" + name + "。職員を業務量に合わせる", En: "Reorganised: " + name + "; staff set by workload"}
	}
	d.Lines = []draw.YearLine{
		{Label: draw.Bilingual{Ja: "窓口：再編しない（現在の窓口・職員）", En: "Counters, not reorganised (today's offices and staff)"}, Values: nr, Color: colNotReo},
		{Label: draw.Bilingual{Ja: "窓口：再編する（下の注）", En: "Counters, reorganised (see the note)"}, Values: re, Color: colCounter},
		{Label: draw.Bilingual{Ja: "コンビニ交付", En: "Convenience stores"}, Values: st, Color: colStore},
	}
	pf := a.Model.PlanFigures
	d.Marks = []draw.YearMark{
		{Label: draw.Bilingual{Ja: fmt.Sprintf("計画：窓口 約%s円", numfmt.Thousands(pf.CounterCost.Value)), En: fmt.Sprintf("plan: counter about %s yen", numfmt.Thousands(pf.CounterCost.Value))}, Value: pf.CounterCost.Value},
		{Label: draw.Bilingual{Ja: fmt.Sprintf("計画：再編しない場合 約%s円", numfmt.Thousands(pf.CounterCostNotReorganised.Value)), En: fmt.Sprintf("plan: not reorganised about %s yen", numfmt.Thousands(pf.CounterCostNotReorganised.Value))}, Value: pf.CounterCostNotReorganised.Value},
		{Label: draw.Bilingual{Ja: fmt.Sprintf("計画：コンビニ 約%s円", numfmt.Thousands(pf.StoreCost.Value)), En: fmt.Sprintf("plan: store about %s yen", numfmt.Thousands(pf.StoreCost.Value))}, Value: pf.StoreCost.Value},
	}
	return d
}

// ServiceChannelChart is the certificates each channel issues per year,
// stacked.
func ServiceChannelChart(a *service.Analysis, demo bool) draw.YearBarData {
	ja, en := demoTag(demo)
	d := draw.YearBarData{Title: draw.Bilingual{Ja: "証明書の発行件数（チャネル別）" + ja, En: "Certificates by channel" + en},
		YLabel: draw.Bilingual{Ja: "件／年", En: "Certificates a year"}, Heading: draw.Bilingual{Ja: "チャネル", En: "Channel"}}
	var c, k, s, p []float64
	for _, y := range a.Years {
		d.Years = append(d.Years, y.Year)
		d.Projected = append(d.Projected, !y.Recorded)
		c, k, s, p = append(c, y.Counter), append(k, y.Corner), append(s, y.Store), append(p, y.Post)
	}
	d.Stacks = []draw.YearStack{
		{Label: draw.Bilingual{Ja: "窓口（区役所・出張所）", En: "Counters (ward and branch offices)"}, Values: c, Color: colCounter},
		{Label: draw.Bilingual{Ja: "証明書コーナー", En: "Service corners"}, Values: k, Color: colCorner},
		{Label: draw.Bilingual{Ja: "コンビニ交付", En: "Convenience stores"}, Values: s, Color: colStore},
		{Label: draw.Bilingual{Ja: "郵便局", En: "Post offices"}, Values: p, Color: colPost},
	}
	return d
}

// HoursMapData is the map of certificate hours a week within the limit,
// per district, in one network (h.Before or *h.After), with the counters'
// and stores' hours as class limits.
func HoursMapData(ds *data.Dataset, h *service.Hours, st *service.HoursState, limit string) draw.ValueMapData {
	values := make([]float64, len(st.Districts))
	for i, d := range st.Districts {
		values[i] = d.HoursPerWeek
	}
	ch := h.ChannelsHours
	counter, store := ch[service.ChannelCounter], ch[service.ChannelStore]
	classes := []draw.ValueClass{{Max: 0, Color: draw.ColNone, Label: draw.Bilingual{Ja: "0 時間（" + limit + "以内に発行場所なし）", En: "0 h (nowhere within " + limit + ")"}}}
	lo := 0.0
	for _, b := range sortedUnique([]float64{ch[service.ChannelPost], counter, store}) {
		if b <= lo {
			continue
		}
		what := map[float64][2]string{counter: {"窓口の時間", "counters' hours"}, store: {"コンビニの時間", "stores' hours"}, ch[service.ChannelPost]: {"郵便局の時間", "post offices' hours"}}[b]
		classes = append(classes, draw.ValueClass{Max: b, Label: draw.Bilingual{
			Ja: fmt.Sprintf("%s 時間以下（%s）", numfmt.Thousands(b), what[0]), En: fmt.Sprintf("up to %s h (%s)", numfmt.Thousands(b), what[1])}})
		lo = b
	}
	over := false
	for _, v := range values {
		over = over || v > lo
	}
	if over {
		classes = append(classes, draw.ValueClass{Max: 168, Label: draw.Bilingual{Ja: fmt.Sprintf("%s 時間超", numfmt.Thousands(lo)), En: fmt.Sprintf("over %s h", numfmt.Thousands(lo))}})
	}
	cols := draw.YlGn(len(classes) - 1)
	for k := 1; k < len(classes); k++ {
		classes[k].Color = cols[k-1]
	}
	var pop0 float64
	n0 := 0
	for _, d := range st.Districts {
		if d.HoursPerWeek == 0 {
			n0++
			pop0 += d.Population
		}
	}
	when := stateWords(ds, h, st)
	var posts []orb.Point
	for i, p := range h.Points {
		if p.Channel == service.ChannelPost && st.Active[i] {
			posts = append(posts, p.Location)
		}
	}
	return draw.ValueMapData{
		Offices: hoursOffices(ds, h, st), Districts: mapDistricts(ds.Districts), Boundary: ds.Boundary, Posts: posts,
		PointsHeading: draw.Bilingual{Ja: "証明書を発行する場所", En: "Certificate points"},
		Values:        values, Classes: classes, ClosedLabel: draw.Bilingual{Ja: "閉所", En: "Closed office"},
		Title:   draw.Bilingual{Ja: "証明書を取得できる時間（週あたり、" + limit + "以内、" + when.Ja + "）", En: "Certificate hours a week within " + limit + ", " + when.En},
		Heading: draw.Bilingual{Ja: "週あたり時間", En: "Hours a week"},
		Summary: draw.Bilingual{
			Ja: fmt.Sprintf("%s窓口 %s 時間／週、コンビニ %s 時間／週。%s以内に発行場所のない校区 %d（%s 人）", when.summaryJa, numfmt.Thousands(counter), numfmt.Thousands(store), limit, n0, numfmt.Whole(pop0)),
			En: fmt.Sprintf("%sCounters %s h a week, stores %s h; %d districts (%s residents) with no certificate point within %s", when.summaryEn, numfmt.Thousands(counter), numfmt.Thousands(store), n0, numfmt.Whole(pop0), limit)},
		Source: SourceLine(ds),
		Notes:  []draw.Bilingual{{En: fmt.Sprintf("Hours: the union of the opening hours of every counter, service corner, store and post office within %s of the district's representative point (%s); holidays not modelled", limit, h.Metric)}},
	}
}

// stateText names a network on a map: "現在"/"today", or "変更後"/"after
// the change" with a summary of what the change does.
type stateText struct {
	Ja, En               string
	summaryJa, summaryEn string
}

// stateWords describes the network st of h.
func stateWords(ds *data.Dataset, h *service.Hours, st *service.HoursState) stateText {
	if st == &h.Before {
		return stateText{Ja: "現在", En: "today"}
	}
	var closed, corners, opened int
	for i, p := range h.Points {
		switch {
		case p.Office == nil:
		case i >= len(ds.Offices) && st.Active[i]:
			opened++
		case !st.Active[i] && i < len(ds.Offices):
			closed++
		case st.Channels[i] == service.ChannelCorner:
			corners++
		}
	}
	return stateText{Ja: "変更後", En: "after the change",
		summaryJa: fmt.Sprintf("変更：閉所 %d、証明書コーナー化 %d、新設 %d。", closed, corners, opened),
		summaryEn: fmt.Sprintf("Change: %d closed, %d service corners, %d new. ", closed, corners, opened)}
}

// hoursOffices are the offices of a network on a map: closed ones (and a
// scenario's offices not in it) as closed.
func hoursOffices(ds *data.Dataset, h *service.Hours, st *service.HoursState) []draw.MapOffice {
	var out []draw.MapOffice
	for i, p := range h.Points {
		if p.Office == nil {
			continue
		}
		if !st.Active[i] && i >= len(ds.Offices) {
			continue // a new office of the other network
		}
		out = append(out, mapOfficeIn(p.Office, st, i, !st.Active[i]))
	}
	return out
}

// mapOfficeIn is an office as a map of network st draws it: a service
// corner says so after its name.
func mapOfficeIn(o *data.Office, st *service.HoursState, i int, closed bool) draw.MapOffice {
	mo := draw.MapOffice{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind), Closed: closed, Location: o.Location}
	if st.Active[i] && st.Channels[i] == service.ChannelCorner {
		mo.Name += "（証明書コーナー）"
		if mo.NameEn == "" {
			mo.NameEn = o.ID
		}
		mo.NameEn += " (service corner)"
	}
	return mo
}

func sortedUnique(v []float64) []float64 {
	sort.Float64s(v)
	var out []float64
	for i, x := range v {
		if i == 0 || x != v[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// OpenAtBreaksKm are the class limits of the map of the nearest point open
// at an hour.
var OpenAtBreaksKm = []float64{1, 2, 3, 5, 8}

// OpenAtMapData is the map of the distance to the nearest certificate
// point open at h.At, per district, in one network, with the stores and
// post offices open then drawn and the offices closed then greyed.
func OpenAtMapData(ds *data.Dataset, h *service.Hours, st *service.HoursState) draw.ValueMapData {
	values := make([]float64, len(st.Districts))
	for i, d := range st.Districts {
		values[i] = math.NaN()
		if d.Nearest >= 0 {
			values[i] = d.DistanceM / 1000
		}
	}
	cols := draw.Sequential(len(OpenAtBreaksKm) + 1) // as the distance map
	classes := []draw.ValueClass{{Max: OpenAtBreaksKm[0], Color: cols[0], Label: draw.Bilingual{Ja: fmt.Sprintf("%g km 以内", OpenAtBreaksKm[0]), En: fmt.Sprintf("up to %g km", OpenAtBreaksKm[0])}}}
	for k := 1; k < len(OpenAtBreaksKm); k++ {
		classes = append(classes, draw.ValueClass{Max: OpenAtBreaksKm[k], Color: cols[k],
			Label: draw.Bilingual{Ja: fmt.Sprintf("%g–%g km", OpenAtBreaksKm[k-1], OpenAtBreaksKm[k]), En: fmt.Sprintf("%g–%g km", OpenAtBreaksKm[k-1], OpenAtBreaksKm[k])}})
	}
	last := OpenAtBreaksKm[len(OpenAtBreaksKm)-1]
	classes = append(classes, draw.ValueClass{Max: math.Inf(1), Color: cols[len(cols)-1], Label: draw.Bilingual{Ja: fmt.Sprintf("%g km 超", last), En: fmt.Sprintf("over %g km", last)}})
	var stores, posts []orb.Point
	var offices []draw.MapOffice
	openCounters := 0
	for i, p := range h.Points {
		open := st.Active[i] && st.Hours[i].OpenAt(h.At)
		switch p.Channel {
		case service.ChannelStore:
			if open {
				stores = append(stores, p.Location)
			}
		case service.ChannelPost:
			if open {
				posts = append(posts, p.Location)
			}
		default:
			if !st.Active[i] {
				continue // not in this network
			}
			if open {
				openCounters++
			}
			offices = append(offices, mapOfficeIn(p.Office, st, i, !open))
		}
	}
	at := h.At.String()
	when := stateWords(ds, h, st)
	mean, n := 0.0, 0.0
	farther := 0
	for i, d := range st.Districts {
		if d.Nearest >= 0 {
			mean += d.Population * d.DistanceM / 1000
			n += d.Population
		}
		if b := h.Before.Districts[i]; st != &h.Before && (d.Nearest < 0 && b.Nearest >= 0 || d.Nearest >= 0 && b.Nearest >= 0 && d.DistanceM > b.DistanceM) {
			farther++
		}
	}
	if n > 0 {
		mean /= n
	}
	change, changeEn := "", ""
	if st != &h.Before {
		change, changeEn = fmt.Sprintf("。現在より遠くなる校区 %d", farther), fmt.Sprintf("; %d districts farther than today", farther)
	}
	return draw.ValueMapData{
		Offices: offices, Districts: mapDistricts(ds.Districts), Boundary: ds.Boundary, Stores: stores, Posts: posts,
		PointsHeading: draw.Bilingual{Ja: at + " に開いている場所", En: "Open at " + at},
		ClosedLabel:   draw.Bilingual{Ja: "この時間は閉まっている窓口", En: "Office shut at this hour"},
		ClosedSuffix:  &draw.Bilingual{},
		Values:        values, Classes: classes, NoValue: draw.Bilingual{Ja: "開いている場所なし", En: "Nothing open"},
		Title:   draw.Bilingual{Ja: at + " に開いている最寄りの証明書発行場所までの距離（" + when.Ja + "）", En: "Distance to the nearest certificate point open at " + at + ", " + when.En},
		Heading: draw.Bilingual{Ja: "最寄りまでの距離", En: "Distance to the nearest open point"},
		Summary: draw.Bilingual{
			Ja: fmt.Sprintf("%s開いている窓口 %d、コンビニ %d、郵便局 %d。人口加重平均 %.2f km%s", when.summaryJa, openCounters, len(stores), len(posts), mean, change),
			En: fmt.Sprintf("%sOpen: %d counters, %d stores, %d post offices; population-weighted mean %.2f km%s", when.summaryEn, openCounters, len(stores), len(posts), mean, changeEn)},
		Source: SourceLine(ds),
		Notes:  []draw.Bilingual{{En: fmt.Sprintf("Distance (%s) from each district's representative point to the nearest counter, service corner, store or post office open at %s by the service model's hours", h.Metric, at)}},
	}
}

// WhatIfServiceText is the what-if's one-paragraph service summary for a
// terminal: staff and cost per certificate today and in the target year,
// with every office open (base, the same model on today's network; may be
// nil) and after the change (a).
func WhatIfServiceText(a, base *service.Analysis, demo bool) string {
	first, last := a.Years[0], a.Years[len(a.Years)-1]
	for _, y := range a.Years {
		if y.Year == a.Model.ReferenceYear {
			first = y
		}
	}
	tag := ""
	if demo {
		tag = ", DEMO counter counts"
	}
	open := ""
	if base != nil && len(base.Years) > 0 {
		b := base.Years[len(base.Years)-1]
		open = fmt.Sprintf(" %s with every office open,", numfmt.Thousands(b.Reorganised.Staff))
	}
	return fmt.Sprintf("Certificate service (%s%s): counter staff %s today → needed in fiscal %d:%s %s after this change (at %s transactions a staff member); counter cost per certificate in fiscal %d: %s yen not reorganised, %s yen reorganised (fiscal %d: %s yen). Run `catchment service` with the same flags for the tables.",
		a.Model.Name, tag, numfmt.Thousands(last.NotReorganised.Staff), last.Year, open, numfmt.Thousands(last.Reorganised.Staff), numfmt.Whole(a.Model.Staff.WorkloadPerStaff.Value),
		last.Year, fmtYen(last.NotReorganised.PerCertificate), fmtYen(last.Reorganised.PerCertificate), first.Year, fmtYen(first.NotReorganised.PerCertificate))
}

func wholeOrDash(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return numfmt.Whole(v)
}

func fmtYen(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.0f", v)
}

// ServiceSection is the certificate service section of report.md and
// whatif.md.
type ServiceSection struct {
	Analysis *service.Analysis
	// Hours is the opening-hours accessibility (nil: left out), Limit its
	// distance in words ("2 km").
	Hours *service.Hours
	Limit string
	// Demo is true when the counter counts are DEMO figures.
	Demo bool
	// Candidates are the ids of the branch offices the distance rule
	// marks, to set beside the forecast's flags.
	Candidates map[string]bool
	Images     []ReportImage
	Files      []string
}

// WriteServiceMarkdown writes the service section ("## Certificate
// service", headings from level 2 down).
func WriteServiceMarkdown(w io.Writer, s ServiceSection) error {
	a := s.Analysis
	m := a.Model
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	network := "today's network (every office open)"
	if a.Change.Name != "" {
		network = a.Change.Name
	}
	p("## Certificate service: %s\n\n", mdCell(network))
	if s.Demo {
		p("> **DEMO counter counts.** The counter volumes are the embedded DEMO series (fiscal 2012–2014 shaped by the plan's statements), not the city's statistics: every volume, cost per year, staff figure and flag below illustrates the method. The plan's unit costs are reproduced from the model's inputs at the DEMO fiscal %d volume.\n\n", m.ReferenceYear)
	}
	p("Model: %s (`%s`). Figures marked *plan* are from %s; *assumed* ones are the model's own (see the inputs table). ", mdCell(m.Name), m.Source, mdCell(m.Plan))
	p("Volumes: each office's recorded counter work (fiscal %d–%d) is fitted with a %s trend", a.Projection.FirstYear, a.Projection.LastRecorded, a.Projection.Trend)
	if a.Projection.HoldCityTotal {
		p(", the city's total held at fiscal %d's (the plan: totals constant)", a.Projection.LastRecorded)
	}
	p("; convenience stores take card adoption × %s of certificates from fiscal %d, post offices %s of the certificates of the districts they serve from fiscal %d, and information linkage leaves %s of certificate demand from %d-%02d.\n\n",
		numfmt.Thousands(m.Adoption.StoreShare.Value), m.Store.FromYear, numfmt.Thousands(m.Post.Share.Value), m.Post.FromYear,
		numfmt.Thousands(m.Linkage.Factor.Value), m.Linkage.FromYear, m.Linkage.FromMonth)
	for _, n := range a.Notes {
		p("- Note: %s\n", n)
	}
	if len(a.Notes) > 0 {
		p("\n")
	}

	p("### The plan's unit costs from the model's inputs\n\n")
	p("| figure | the plan | the model | how |\n|---|--:|--:|---|\n")
	for _, r := range planRows(a) {
		mark := ""
		if !r.ok {
			mark = " **(not reproduced)**"
		}
		p("| %s | about %s yen (%s) | %.1f yen%s | %s |\n", r.figure, numfmt.Thousands(r.plan.Value), r.plan.Source, r.model, mark, mdCell(r.how))
	}
	p("\nThe plan's 680 yen is the linkage halving alone with the staff unchanged; with stores' share as well the model's counters reach %s yen per certificate by fiscal %d (below).\n\n",
		fmtYen(a.Years[len(a.Years)-1].NotReorganised.PerCertificate), a.Years[len(a.Years)-1].Year)
	p("Inputs, and which are the plan's:\n\n| input | value | source | note |\n|---|--:|---|---|\n")
	for _, in := range ServiceModelInputs(m) {
		p("| `%s` | %s | %s | %s |\n", in.Key, in.Value, mdCell(orDash(in.Source)), mdCell(in.Note))
	}
	p("\nOpening hours: counters %s, service corners %s, stores %s, post offices %s.\n\n", m.Counter.Hours, m.Corner.Hours, m.Store.Hours, m.Post.Hours)

	p("### Certificates and costs per year\n\n")
	p("Counter cost *not reorganised*: today's %s staff at every office, whatever the volume. *Reorganised*: the network analysed, each office staffed to its work after the load shift (⌈work ÷ %s⌉, at least %s at an office, %s at a corner). Yen per certificate of that channel; projected years in italics.\n\n",
		numfmt.Thousands(a.StaffToday), numfmt.Whole(m.Staff.WorkloadPerStaff.Value), numfmt.Thousands(m.Staff.MinimumFull.Value), numfmt.Thousands(m.Staff.MinimumCorner.Value))
	p("| fiscal year | certificates | counters | corners | stores | post offices | counter work | staff today → needed | counter yen, not reorganised | counter yen, reorganised | store yen | all channels yen, not reorganised → reorganised |\n")
	p("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, y := range a.Years {
		yr := fmt.Sprint(y.Year)
		if !y.Recorded {
			yr = "*" + yr + "*"
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s → %s | %s | %s | %s | %s → %s |\n", yr, numfmt.Whole(y.Demand), numfmt.Whole(y.Counter), numfmt.Whole(y.Corner),
			numfmt.Whole(y.Store), numfmt.Whole(y.Post), numfmt.Whole(y.Work), numfmt.Thousands(y.NotReorganised.Staff), numfmt.Thousands(y.Reorganised.Staff),
			fmtYen(y.NotReorganised.PerCertificate), fmtYen(y.Reorganised.PerCertificate), fmtYen(y.StoreCost.PerCertificate),
			fmtYen(y.PerCertificateNotReorganised), fmtYen(y.PerCertificateReorg))
	}
	p("\n")
	for _, im := range s.Images {
		if strings.HasPrefix(im.File, "chart_") {
			p("![%s](%s)\n\n*%s*\n\n", im.Caption, im.File, im.Caption)
		}
	}

	ref, tgt := m.ReferenceYear, m.Forecast.TargetYear
	kr, kt := ref-a.Projection.FirstYear, tgt-a.Projection.FirstYear
	p("### Counter work per office after the load shift\n\n")
	p("Counter load: %s The service model shifts every year's work by the same fractions; a service corner keeps that year's certificates. Residents per office with full counter service: %s → %s.\n\n",
		catchment.CounterRule, numfmt.Whole(a.ResidentsPerOfficeBefore), numfmt.Whole(a.ResidentsPerOfficeAfter))
	p("| office | status | residents today → after | fiscal %d own → after | fiscal %d after | staff today | staff needed %d |\n|---|---|--:|--:|--:|--:|--:|\n", ref, tgt, tgt)
	for _, o := range a.Offices {
		p("| %s | %s | %s → %s | %s → %s | %s | %s | %s |\n", mdCell(o.Office.Name), o.Status, numfmt.Whole(o.PopulationBefore), numfmt.Whole(o.PopulationAfter),
			numfmt.Whole(o.Years[kr].Own), numfmt.Whole(o.Years[kr].Work), numfmt.Whole(o.Years[kt].Work), numfmt.Thousands(o.StaffToday), numfmt.Thousands(o.Years[kt].StaffNeeded))
	}
	p("\n")

	p("### Counter forecast to fiscal %d\n\n", tgt)
	flagged := 0
	for _, r := range a.Forecast {
		if r.Below {
			flagged++
		}
	}
	cands, flaggedCands := 0, 0
	for _, r := range a.Forecast {
		if s.Candidates[r.Office.ID] {
			cands++
			if r.Below {
				flaggedCands++
			}
		}
	}
	p("The plan's 5 km rule comes with a condition: consider the trend of counter volumes. Each office's own counter work, its %s trend over its recorded years projected to fiscal %d with stores and linkage taking their part, divided by today's staff: **%d of %d offices fall below %s transactions a staff member** (`forecast.threshold_per_staff`, %s)",
		a.Projection.Trend, tgt, flagged, len(a.Forecast), numfmt.Whole(m.Forecast.ThresholdPerStaff.Value), orDash(m.Forecast.ThresholdPerStaff.Source))
	if cands > 0 {
		p(", %d of them among the %d candidates of the distance rule", flaggedCands, cands)
	}
	p(". A trend fitted to a few recorded years says little far beyond them.\n\n")
	p("| office | trend | fiscal %d | fiscal %d | staff today | per staff | below | 5 km candidate | fiscal %d after the change |\n|---|--:|--:|--:|--:|--:|---|---|--:|\n", a.Projection.LastRecorded, tgt, tgt)
	for _, r := range a.Forecast {
		tr := "flat"
		if v := trendPerYear(r.Fit); v != nil {
			tr = v.(string)
		}
		below, cand := "", ""
		if r.Below {
			below = "**yes**"
		}
		if s.Candidates[r.Office.ID] {
			cand = "yes"
		}
		after := numfmt.Whole(r.WorkAfter)
		if r.Status == catchment.StatusClosed {
			after = "closed"
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCell(r.Office.Name), tr, numfmt.Whole(r.Recorded), numfmt.Whole(r.Work), numfmt.Thousands(r.Staff), wholeOrDash(r.PerStaff), below, cand, after)
	}
	p("\n")

	if h := s.Hours; h != nil {
		p("### Opening hours within %s\n\n", s.Limit)
		p("For each district, the hours a week in which some certificate point within %s of its representative point is open (the union of their hours; %s), and the nearest point open at %s.\n\n", s.Limit, h.Metric, h.At)
		states := []*service.HoursState{&h.Before}
		if h.After != nil {
			states = append(states, h.After)
		}
		p("| | ")
		for _, st := range states {
			p("%s | ", mdCell(st.Name))
		}
		p("\n|---|")
		for range states {
			p("--:|")
		}
		p("\n")
		row := func(label string, f func(st *service.HoursState) string) {
			p("| %s | ", label)
			for _, st := range states {
				p("%s | ", f(st))
			}
			p("\n")
		}
		for _, cls := range hoursClasses(h) {
			row(cls.label, func(st *service.HoursState) string {
				n, pop := 0, 0.0
				for _, d := range st.Districts {
					if d.HoursPerWeek > cls.lo && d.HoursPerWeek <= cls.hi {
						n++
						pop += d.Population
					}
				}
				return fmt.Sprintf("%s, %s residents", districtsWord(n), numfmt.Whole(pop))
			})
		}
		row(fmt.Sprintf("nearest point open at %s, population-weighted mean km", h.At), func(st *service.HoursState) string {
			var sum, n float64
			for _, d := range st.Districts {
				if d.Nearest >= 0 {
					sum += d.Population * d.DistanceM
					n += d.Population
				}
			}
			if n == 0 {
				return "nothing open"
			}
			return fmt.Sprintf("%.2f", sum/n/1000)
		})
		row(fmt.Sprintf("districts whose nearest point open at %s is beyond %s", h.At, s.Limit), func(st *service.HoursState) string {
			n := 0
			for _, d := range st.Districts {
				if d.Nearest < 0 || d.Cost > h.Limit {
					n++
				}
			}
			return fmt.Sprint(n)
		})
		p("\n")
		if h.After != nil {
			changed, pop := h.Changed()
			if changed == 0 {
				p("The change alters no district's certificate hours within %s nor its nearest point open at %s: the maps after the change would be the same as today's.\n\n", s.Limit, h.At)
			} else {
				p("The change alters the hours within %s or the nearest point open at %s of %s (%s residents); `service_hours.csv` lists them.\n\n", s.Limit, h.At, districtsWord(changed), numfmt.Whole(pop))
			}
		}
		for _, im := range s.Images {
			if strings.HasPrefix(im.File, "map_") {
				p("![%s](%s)\n\n*%s*\n\n", im.Caption, im.File, im.Caption)
			}
		}
	}
	if len(s.Files) > 0 {
		p("Tables: ")
		for i, f := range s.Files {
			if i > 0 {
				p(", ")
			}
			p("[`%s`](%s)", f, f)
		}
		p(".\n\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// districtsWord is "1 district" or "n districts".
func districtsWord(n int) string {
	if n == 1 {
		return "1 district"
	}
	return fmt.Sprintf("%d districts", n)
}

type hoursClass struct {
	label  string
	lo, hi float64
}

// hoursClasses are the classes of hours a week the section counts: none,
// up to the counters' hours, up to the stores', more.
func hoursClasses(h *service.Hours) []hoursClass {
	c, s := h.ChannelsHours[service.ChannelCounter], h.ChannelsHours[service.ChannelStore]
	lo, hi := math.Min(c, s), math.Max(c, s)
	return []hoursClass{
		{"no certificate point within reach (0 h)", -1, 0},
		{fmt.Sprintf("above 0, up to %s h a week", numfmt.Thousands(lo)), 0, lo},
		{fmt.Sprintf("above %s, up to %s h a week", numfmt.Thousands(lo), numfmt.Thousands(hi)), lo, hi},
		{fmt.Sprintf("more than %s h a week", numfmt.Thousands(hi)), hi, 168},
	}
}
