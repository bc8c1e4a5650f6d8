package render

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/internal/numfmt"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// The what-if tables and layers, like the others, are a contract: keep
// their keys stable.

// routedMetric reports whether a metric routes on a road network (road or
// time), so that the what-if tables carry times, notes and unrouted counts.
func routedMetric(metric string) bool { return metric != "" && metric != "geodesic" }

// seconds rounds a time to 0.1 s; an unknown (NaN) time is nil.
func seconds(v float64) any { return number(roundTo(v, 1)) }

// joinIDs joins office ids with spaces ("" for none).
func joinIDs(ids []string) string { return strings.Join(ids, " ") }

// openedIDs lists the ids of a change's new offices.
func openedIDs(ch catchment.Change) []string {
	ids := make([]string, len(ch.Open))
	for i, o := range ch.Open {
		ids[i] = o.ID
	}
	return ids
}

// whatIfSummaryColumns are the columns of WhatIfSummaryTable.
var whatIfSummaryColumns = []string{
	"stage", "stage_name", "closed", "downgraded", "opened",
	"districts", "population", "moved_districts", "moved_population",
	"mean_change_m", "median_change_m", "p90_change_m", "max_change_m", "weighted_change_m", "added_person_km",
	"weighted_distance_before_m", "weighted_distance_after_m",
	"full_offices_before", "full_offices_after", "residents_per_office_before", "residents_per_office_after",
	"cert_offices_after", "max_km", "beyond_before", "beyond_after", "beyond_population_before", "beyond_population_after", "newly_beyond",
	"cert_moved_districts", "cert_moved_population", "moved_cert_kept",
	"moved_with_cert_point", "moved_population_with_cert_point",
	"counter_shifted", "counter_unknown", "counter_rule",
}

// whatIfRoadSummaryColumns are appended to the summary under the road and
// time metrics.
var whatIfRoadSummaryColumns = []string{
	"metric", "unrouted_before", "unrouted_after", "unrouted_population_before", "unrouted_population_after",
	"weighted_time_before_s", "weighted_time_after_s", "weighted_time_change_s", "max_time_change_s",
}

// WhatIfSummaryTable is one row per stage, each compared with the baseline
// (every office open). Distance changes are over the districts whose
// full-service office changes ("moved"); moved_with_cert_point is null when
// store/post coverage was not computed. counter_rule states how counter
// load is shifted. Under the road and time metrics, distances are along
// roads and these columns follow: metric, the districts (and residents)
// not routed before and after (outside the network: counted in districts
// and population, left out of every distance figure), and the
// population-weighted travel times and changes in seconds.
func WhatIfSummaryTable(stages []catchment.StageComparison) vector.Table {
	t := vector.Table{Columns: whatIfSummaryColumns}
	routed := len(stages) > 0 && routedMetric(stages[0].Summary.Metric)
	if routed {
		t.Columns = append(append([]string(nil), whatIfSummaryColumns...), whatIfRoadSummaryColumns...)
	}
	for _, st := range stages {
		s, ch := st.Summary, st.Outcome.Change
		var withPoint, withPointPop any
		if s.CoverageKnown {
			withPoint, withPointPop = s.MovedWithCertPoint, count(s.MovedPopulationWithCertPoint)
		}
		t.Rows = append(t.Rows, []any{
			st.Stage, ch.Name, joinIDs(ch.Close), joinIDs(ch.Downgrade), joinIDs(openedIDs(ch)),
			s.Districts, count(s.Population), s.MovedDistricts, count(s.MovedPopulation),
			metres(s.MeanChangeM), metres(s.MedianChangeM), metres(s.P90ChangeM), metres(s.MaxChangeM), metres(s.WeightedChangeM), roundTo(s.AddedPersonKm, 1),
			metres(s.WeightedDistanceBeforeM), metres(s.WeightedDistanceAfterM),
			s.FullOfficesBefore, s.FullOfficesAfter, count(roundTo(s.ResidentsPerOfficeBefore, 0)), count(roundTo(s.ResidentsPerOfficeAfter, 0)),
			s.CertOfficesAfter, s.MaxKm, s.BeyondBefore, s.BeyondAfter, count(s.BeyondPopulationBefore), count(s.BeyondPopulationAfter), s.NewlyBeyond,
			s.CertMovedDistricts, count(s.CertMovedPopulation), s.MovedCertKept,
			withPoint, withPointPop,
			count(roundTo(s.CounterShifted, 1)), joinIDs(s.CounterUnknown), catchment.CounterRule,
		})
		if routed {
			r := &t.Rows[len(t.Rows)-1]
			*r = append(*r, s.Metric, s.UnroutedBefore, s.UnroutedAfter, count(s.UnroutedPopulationBefore), count(s.UnroutedPopulationAfter),
				seconds(s.WeightedTimeBeforeS), seconds(s.WeightedTimeAfterS), seconds(s.WeightedTimeChangeS), seconds(s.MaxTimeChangeS))
		}
	}
	return t
}

// WhatIfSummaryFigures is WhatIfSummaryTable turned on its side for reading
// in a terminal: one row per figure, one column per stage (named by the
// stage number). The counter rule is left out; print CounterRule beside it.
func WhatIfSummaryFigures(stages []catchment.StageComparison) vector.Table {
	wide := WhatIfSummaryTable(stages)
	t := vector.Table{Columns: []string{"figure"}}
	for _, st := range stages {
		t.Columns = append(t.Columns, fmt.Sprintf("stage_%d", st.Stage))
	}
	for c, name := range wide.Columns {
		if name == "stage" || name == "counter_rule" {
			continue
		}
		row := []any{name}
		for _, r := range wide.Rows {
			row = append(row, r[c])
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// WhatIfDistrictTable is one row per district: its full-service office and
// distance before and after, the change, and its certificate office after
// (the nearest office not closed; a service corner counts). With movedOnly,
// only the districts whose full-service office changes are listed.
// cert_point (a store or post office in the district) is null when
// coverage was not computed; beyond_max_km is null when no threshold was set.
// Under the road and time metrics the distances are along roads and metric,
// time_before_s, time_after_s, change_s, cert_time_s and note follow; a
// district outside the network has null offices and distances and a note.
func WhatIfDistrictTable(c catchment.Comparison, movedOnly bool) vector.Table {
	t := vector.Table{Columns: []string{"district_id", "district_name", "population",
		"office_before_id", "office_before_name", "distance_before_m",
		"office_after_id", "office_after_name", "distance_after_m", "change_m", "moved",
		"cert_office_id", "cert_office_name", "cert_distance_m", "cert_point", "beyond_max_km"}}
	if routedMetric(c.Summary.Metric) {
		t.Columns = append(t.Columns, "metric", "time_before_s", "time_after_s", "change_s", "cert_time_s", "note")
	}
	for _, d := range c.Districts {
		if movedOnly && !d.Moved() {
			continue
		}
		t.Rows = append(t.Rows, whatIfDistrictRow(c, d))
	}
	return t
}

func whatIfDistrictRow(c catchment.Comparison, d catchment.DistrictChange) []any {
	dist := d.District
	var certPoint, beyond any
	if d.CertPoint != nil {
		certPoint = *d.CertPoint
	}
	if c.Summary.MaxKm > 0 && d.After != nil {
		beyond = d.AfterM > c.Summary.MaxKm*1000
	}
	bID, bName := officeRef(d.Before)
	aID, aName := officeRef(d.After)
	cID, cName := officeRef(d.Cert)
	row := []any{dist.ID, dist.Name, optionalCount(dist.Population),
		bID, bName, metres(d.BeforeM),
		aID, aName, metres(d.AfterM), metres(d.DeltaM()), d.Moved(),
		cID, cName, metres(d.CertM), certPoint, beyond}
	if routedMetric(c.Summary.Metric) {
		row = append(row, c.Summary.Metric, seconds(d.BeforeS), seconds(d.AfterS), seconds(d.DeltaS()), seconds(d.CertS), d.Note)
	}
	return row
}

// WhatIfOfficeTable is one row per office (baseline offices, then new
// ones): its status (open, corner, closed, new), the districts and
// population it serves with full counter service before and after, those
// it serves for certificates after, and its counter load before, shifted
// out, shifted in and after (catchment.CounterRule; null when unknown).
func WhatIfOfficeTable(c catchment.Comparison) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "kind", "status",
		"districts_before", "population_before", "districts_after", "population_after",
		"cert_districts_after", "cert_population_after",
		"counter_count", "counter_shifted_out", "counter_shifted_in", "counter_after"}}
	for _, o := range c.Offices {
		off := o.Office
		t.Rows = append(t.Rows, []any{off.ID, off.Name, string(off.Kind), string(o.Status),
			o.DistrictsBefore, count(o.PopulationBefore), o.DistrictsAfter, count(o.PopulationAfter),
			o.CertDistrictsAfter, count(o.CertPopulationAfter),
			optionalCount(o.CounterBefore), count(roundTo(o.CounterShiftedOut, 1)), count(roundTo(o.CounterShiftedIn, 1)), optionalCount(roundedPtr(o.CounterAfter, 1))})
	}
	return t
}

// roundedPtr is *v rounded, nil when v is nil.
func roundedPtr(v *float64, decimals int) *float64 {
	if v == nil {
		return nil
	}
	r := roundTo(*v, decimals)
	return &r
}

// WhatIfEachTable ranks the offices by the impact of closing each alone,
// least impact first (catchment.WhatIf.Each): rank 1 is the office whose
// closure adds the fewest person-km. taken_by lists the offices that take
// over its districts with their share of its population ("chuo 60%").
func WhatIfEachTable(imps []catchment.Impact) vector.Table {
	t := vector.Table{Columns: []string{"rank", "office_id", "office_name", "kind", "ward", "counter_count",
		"moved_districts", "moved_population", "weighted_change_m", "mean_change_m", "max_change_m", "added_person_km",
		"newly_beyond", "moved_with_cert_point", "taken_by"}}
	for i, im := range imps {
		o, s := im.Office, im.Summary
		var withPoint any
		if s.CoverageKnown {
			withPoint = s.MovedWithCertPoint
		}
		var taken []string
		for _, sh := range im.TakenBy {
			share := 0.0
			switch {
			case s.MovedPopulation > 0:
				share = sh.Population / s.MovedPopulation
			case s.MovedDistricts > 0:
				share = float64(sh.Districts) / float64(s.MovedDistricts)
			}
			taken = append(taken, fmt.Sprintf("%s %.0f%%", sh.Office.ID, 100*share))
		}
		t.Rows = append(t.Rows, []any{i + 1, o.ID, o.Name, string(o.Kind), o.Ward, optionalCount(roundedPtr(im.CounterShifted, 1)),
			s.MovedDistricts, count(s.MovedPopulation), metres(s.WeightedChangeM), metres(s.MeanChangeM), metres(s.MaxChangeM), roundTo(s.AddedPersonKm, 1),
			s.NewlyBeyond, withPoint, strings.Join(taken, ", ")})
	}
	return t
}

// WhatIfFeatures is the what-if district layer (whatif.geojson): every
// district with the WhatIfDistrictTable columns as properties, so QGIS can
// style moved districts and the change of distance.
func WhatIfFeatures(c catchment.Comparison) []vector.Feature {
	t := WhatIfDistrictTable(c, false)
	return tableFeatures(t, func(i int) vector.Feature {
		return vector.Feature{Geometry: c.Districts[i].District.Geometry}
	})
}

// WhatIfOfficeFeatures is the what-if office layer: every office (new ones
// included) as a point with the WhatIfOfficeTable columns.
func WhatIfOfficeFeatures(c catchment.Comparison) []vector.Feature {
	t := WhatIfOfficeTable(c)
	return tableFeatures(t, func(i int) vector.Feature {
		return vector.Feature{Geometry: c.Offices[i].Office.Location}
	})
}

// WhatIfMaps returns the data of a before/after map pair for the dataset's
// districts: the baseline, and the assignment for full counter service
// after the comparison's change. Closed offices are drawn as closed;
// service corners stay on the map but serve no district for full service;
// new offices appear only after. gaps (may be nil) gives the store and
// post office counts; source is the data source line.
func WhatIfMaps(ds *data.Dataset, c catchment.Comparison, gaps []catchment.GapRow, source string) (before, after draw.MapData) {
	mk := func(after bool) draw.MapData {
		d := draw.MapData{Boundary: ds.Boundary, Source: source}
		for _, s := range ds.Stores {
			d.Stores = append(d.Stores, s.Location)
		}
		for _, p := range ds.Posts {
			d.Posts = append(d.Posts, p.Location)
		}
		// New offices come after the baseline ones, so leaving them out of
		// the before map keeps the indexes of the others.
		for i, o := range c.Outcome.Offices {
			st := c.Outcome.Status[i]
			if !after && st == catchment.StatusNew {
				continue
			}
			d.Offices = append(d.Offices, draw.MapOffice{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind),
				Closed: after && st == catchment.StatusClosed, Location: o.Location})
		}
		d.Districts = make([]draw.MapDistrict, len(c.Districts))
		for i, dc := range c.Districts {
			dist := dc.District
			office, m := dc.BeforeIndex, dc.BeforeM
			if after {
				office, m = dc.AfterIndex, dc.AfterM
			}
			md := draw.MapDistrict{ID: dist.ID, Name: dist.Name, NameEn: dist.NameEn, Geometry: dist.Geometry, Office: office, DistanceM: m}
			if gaps != nil {
				md.Stores, md.Posts = gaps[i].Stores, gaps[i].Posts
			}
			d.Districts[i] = md
		}
		return d
	}
	before, after = mk(false), mk(true)
	before.Title = "Before: every office open"
	after.Title = "After: " + c.Outcome.Change.Name + " (full counter service)"
	switch c.Summary.Metric {
	case "road":
		before.Title += ", road distance"
		after.Title += ", road distance"
	case "time":
		before.Title += ", length of the fastest road route"
		after.Title += ", length of the fastest road route"
	}
	return before, after
}

// WhatIfReport is what the what-if Markdown section shows.
type WhatIfReport struct {
	Scenario    string // the scenario's name
	Description string
	Stages      []catchment.StageComparison
	// Each is the ranking of closing each office alone; may be nil.
	Each []catchment.Impact
	// Synthetic names the input layers that are generated demo data.
	Synthetic []string
	// MovedLimit bounds the moved districts listed per stage (0: 30).
	MovedLimit int
	// NoPopulation says that no district has a population: residents are
	// not counted and Each is ranked by the distance added over districts.
	NoPopulation bool
	Files        []string // output files to link
	Images       []ReportImage
}

// WriteWhatIfMarkdown writes the what-if section of report.md ("## What if:
// …", headings from level 2 down), to be appended to the report or written
// alone.
func WriteWhatIfMarkdown(w io.Writer, r WhatIfReport) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	title := r.Scenario
	if title == "" {
		title = "scenario"
	}
	p("## What if: %s\n\n", mdCell(title))
	if r.Description != "" {
		p("%s\n\n", r.Description)
	}
	if len(r.Synthetic) > 0 {
		p("> **Synthetic demo layers: %s.** Populations, store/post coverage and the figures that depend on them are not real.\n\n", strings.Join(r.Synthetic, ", "))
	}
	p("Each stage is compared with the baseline, in which every office is open; stages are cumulative. ")
	metric := ""
	if len(r.Stages) > 0 {
		metric = r.Stages[0].Summary.Metric
	}
	p("A district goes to its nearest office with full counter service (not closed, not a service corner), ")
	switch metric {
	case "road":
		p("measured along the road network from its representative point (the shortest route; the walks between a point and the nearest road are included). ")
	case "time":
		p("measured along the road network from its representative point by travel time (the fastest route at free-flow speeds; distances are that route's length). ")
	default:
		p("measured geodesically from its representative point. ")
	}
	if routedMetric(metric) {
		p("Districts and offices farther from the road network than the snapping limit are not routed: such districts count in the totals but in no distance figure. ")
	}
	p("A service corner (証明書発行のみ) still issues certificates, ")
	p("so for certificates a district goes to its nearest office that is not closed, or to a convenience store or post office in the district. ")
	p("Distance changes are over the districts whose office changes (\"moved\"); p90 is the nearest-rank 90th percentile.\n\n")
	p("Counter load: %s\n\n", catchment.CounterRule)

	if len(r.Stages) > 0 {
		p("### Summary\n\n")
		p("| figure |")
		for _, st := range r.Stages {
			p(" %d. %s |", st.Stage, mdCell(st.Outcome.Change.Name))
		}
		p("\n|---|")
		for range r.Stages {
			p("--:|")
		}
		p("\n")
		row := func(label string, f func(s catchment.StageComparison) string) {
			p("| %s |", label)
			for _, st := range r.Stages {
				p(" %s |", f(st))
			}
			p("\n")
		}
		ids := func(v []string) string {
			if len(v) == 0 {
				return "–"
			}
			return mdCell(strings.Join(v, ", "))
		}
		km := func(m float64) string { return fmt.Sprintf("%.2f", m/1000) }
		signedKm := func(m float64) string { return fmt.Sprintf("%+.2f", m/1000) }
		row("closed", func(s catchment.StageComparison) string { return ids(s.Outcome.Change.Close) })
		row("service corners", func(s catchment.StageComparison) string { return ids(s.Outcome.Change.Downgrade) })
		row("new offices", func(s catchment.StageComparison) string { return ids(openedIDs(s.Outcome.Change)) })
		row("districts moved", func(s catchment.StageComparison) string {
			return fmt.Sprintf("%d of %d", s.Summary.MovedDistricts, s.Summary.Districts)
		})
		row("residents affected", func(s catchment.StageComparison) string {
			return fmt.Sprintf("%s of %s", whole(s.Summary.MovedPopulation), whole(s.Summary.Population))
		})
		row("distance change, mean km", func(s catchment.StageComparison) string { return signedKm(s.Summary.MeanChangeM) })
		row("distance change, median km", func(s catchment.StageComparison) string { return signedKm(s.Summary.MedianChangeM) })
		row("distance change, p90 km", func(s catchment.StageComparison) string { return signedKm(s.Summary.P90ChangeM) })
		row("distance change, max km", func(s catchment.StageComparison) string { return signedKm(s.Summary.MaxChangeM) })
		row("distance change, population-weighted km", func(s catchment.StageComparison) string { return signedKm(s.Summary.WeightedChangeM) })
		row("added person-km per visit", func(s catchment.StageComparison) string { return whole(s.Summary.AddedPersonKm) })
		row("mean distance of all residents km (before → after)", func(s catchment.StageComparison) string {
			return km(s.Summary.WeightedDistanceBeforeM) + " → " + km(s.Summary.WeightedDistanceAfterM)
		})
		row("offices with full service (before → after)", func(s catchment.StageComparison) string {
			return fmt.Sprintf("%d → %d", s.Summary.FullOfficesBefore, s.Summary.FullOfficesAfter)
		})
		row("residents per office (before → after)", func(s catchment.StageComparison) string {
			return whole(s.Summary.ResidentsPerOfficeBefore) + " → " + whole(s.Summary.ResidentsPerOfficeAfter)
		})
		if routedMetric(metric) {
			row("mean travel time of routed residents min (before → after)", func(s catchment.StageComparison) string {
				return fmt.Sprintf("%.1f → %.1f", s.Summary.WeightedTimeBeforeS/60, s.Summary.WeightedTimeAfterS/60)
			})
			row("districts not routed (outside the network; before → after)", func(s catchment.StageComparison) string {
				return fmt.Sprintf("%d → %d", s.Summary.UnroutedBefore, s.Summary.UnroutedAfter)
			})
		}
		row("offices issuing certificates", func(s catchment.StageComparison) string { return fmt.Sprint(s.Summary.CertOfficesAfter) })
		if r.Stages[0].Summary.MaxKm > 0 {
			row(fmt.Sprintf("districts beyond %g km (before → after)", r.Stages[0].Summary.MaxKm), func(s catchment.StageComparison) string {
				return fmt.Sprintf("%d → %d (newly: %d)", s.Summary.BeyondBefore, s.Summary.BeyondAfter, s.Summary.NewlyBeyond)
			})
			row(fmt.Sprintf("residents beyond %g km (before → after)", r.Stages[0].Summary.MaxKm), func(s catchment.StageComparison) string {
				return whole(s.Summary.BeyondPopulationBefore) + " → " + whole(s.Summary.BeyondPopulationAfter)
			})
		}
		row("moved districts that keep a certificate counter (service corner)", func(s catchment.StageComparison) string {
			return fmt.Sprint(s.Summary.MovedCertKept)
		})
		if r.Stages[0].Summary.CoverageKnown {
			row("moved districts with a store or post office", func(s catchment.StageComparison) string {
				return fmt.Sprintf("%d of %d", s.Summary.MovedWithCertPoint, s.Summary.MovedDistricts)
			})
		}
		row("counter transactions shifted", func(s catchment.StageComparison) string {
			v := whole(s.Summary.CounterShifted)
			if len(s.Summary.CounterUnknown) > 0 {
				v += " (unknown for " + mdCell(strings.Join(s.Summary.CounterUnknown, ", ")) + ")"
			}
			return v
		})
		p("\n")

		last := r.Stages[len(r.Stages)-1]
		p("### Offices after stage %d (%s)\n\n", last.Stage, mdCell(last.Outcome.Change.Name))
		p("Offices whose status or load changes. Counter figures are yearly transactions.\n\n")
		p("| office | status | districts | residents | certificate districts | counter before | shifted | counter after |\n|---|---|--:|--:|--:|--:|--:|--:|\n")
		for _, o := range last.Offices {
			if o.Status == catchment.StatusOpen && o.DistrictsAfter == o.DistrictsBefore && o.PopulationAfter == o.PopulationBefore && o.CounterShiftedIn == 0 {
				continue
			}
			off := o.Office
			counter := func(v *float64) string {
				if v == nil {
					return "?"
				}
				return whole(*v)
			}
			shift := o.CounterShiftedIn - o.CounterShiftedOut
			p("| %s | %s | %d → %d | %s → %s | %d | %s | %s | %s |\n", mdCell(off.Name), o.Status,
				o.DistrictsBefore, o.DistrictsAfter, whole(o.PopulationBefore), whole(o.PopulationAfter),
				o.CertDistrictsAfter, counter(o.CounterBefore), signedThousands(shift), counter(o.CounterAfter))
		}
		p("\n")

		limit := r.MovedLimit
		if limit <= 0 {
			limit = 30
		}
		var moved []catchment.DistrictChange
		for _, d := range last.Districts {
			if d.Moved() {
				moved = append(moved, d)
			}
		}
		// Largest increase first; districts that lose their route last.
		sort.SliceStable(moved, func(i, j int) bool {
			a, b := moved[i].DeltaM(), moved[j].DeltaM()
			if math.IsNaN(a) || math.IsNaN(b) {
				return !math.IsNaN(a) && math.IsNaN(b)
			}
			return a > b
		})
		if len(moved) > 0 {
			p("### Districts that move (stage %d), largest increase first\n\n", last.Stage)
			p("| district | residents | office before | km | office after | km | change km | certificates |\n|---|--:|---|--:|---|--:|--:|---|\n")
			for k, d := range moved {
				if k == limit {
					p("\n… and %d more districts (see the districts table).\n", len(moved)-limit)
					break
				}
				dist := d.District
				cert := orNone(officeName(d.Cert))
				if d.CertPoint != nil && *d.CertPoint {
					cert += "; store/post in district"
				}
				p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCell(dist.Name), whole(dist.Pop()),
					mdCell(orNone(officeName(d.Before))), kmOrDash(d.BeforeM, false),
					mdCell(orNone(officeName(d.After))), kmOrDash(d.AfterM, false), kmOrDash(d.DeltaM(), true), mdCell(cert))
			}
			p("\n")
		}
	}

	if len(r.Each) > 0 {
		p("### Closing one office alone: least impact first\n\n")
		p("Each office closed on its own, everything else open. Person-km = Σ residents × added distance (one visit each); ")
		p("a lower figure means a closure that costs residents less travel.\n\n")
		if r.NoPopulation {
			p("**No district has a population**, so residents and person-km are 0 here: the closures are ranked by the distance added, summed over the districts that move (one per district). Add a population field or a population layer to rank by residents.\n\n")
		}
		p("| rank | office | residents affected | weighted change km | max change km | added person-km | taken by |\n|--:|---|--:|--:|--:|--:|---|\n")
		t := WhatIfEachTable(r.Each)
		for i, im := range r.Each {
			s := im.Summary
			p("| %d | %s | %s | %+.2f | %+.2f | %s | %s |\n", i+1, mdCell(im.Office.Name), whole(s.MovedPopulation),
				s.WeightedChangeM/1000, s.MaxChangeM/1000, whole(s.AddedPersonKm), mdCell(fmt.Sprint(t.Rows[i][len(t.Columns)-1])))
		}
		p("\n")
	}
	for _, im := range r.Images {
		p("![%s](%s)\n\n*%s*\n\n", im.Caption, im.File, im.Caption)
	}
	if len(r.Files) > 0 {
		p("Files: ")
		for i, f := range r.Files {
			if i > 0 {
				p(", ")
			}
			p("[%s](%s)", f, f)
		}
		p("\n\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// officeName is the office's name, "" for none.
func officeName(o *data.Office) string {
	if o == nil {
		return ""
	}
	return o.Name
}

// orNone is name, or "not routed" for the empty name of office -1.
func orNone(name string) string {
	if name == "" {
		return "not routed"
	}
	return name
}

// kmOrDash formats metres as km with 2 decimals (signed when asked), or "–"
// when unknown (NaN).
func kmOrDash(m float64, signed bool) string {
	switch {
	case math.IsNaN(m):
		return "–"
	case signed:
		return fmt.Sprintf("%+.2f", m/1000)
	}
	return fmt.Sprintf("%.2f", m/1000)
}

// whole formats v rounded to a whole number with thousands separators.
func whole(v float64) string { return numfmt.Whole(v) }

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// signedThousands is thousands with a sign ("+1,200", "-300", "0").
func signedThousands(v float64) string {
	if math.Round(v) > 0 {
		return "+" + whole(v)
	}
	return whole(v)
}
