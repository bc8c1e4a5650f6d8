package render

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/locate"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/internal/numfmt"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// Plan is one solution of a location model in the form `catchment
// optimize --format json` writes: the contract other tools script
// against. Ids are the demand points' (district_id) and the candidate
// sites' (office_id); distances are metres, times seconds.
type Plan struct {
	Model  string `json:"model"`
	K      int    `json:"k"`
	Metric string `json:"metric"`
	// ServiceM is the service limit in metres (null where not used, or
	// when the metric measures time: then ServiceS holds it).
	ServiceM *float64 `json:"service_m"`
	ServiceS *float64 `json:"service_s,omitempty"`
	// Kept, Open and Closed are sorted office ids; Open includes Kept.
	Kept   []string `json:"kept"`
	Open   []string `json:"open"`
	Closed []string `json:"closed"`
	// Objective is in ObjectiveUnit: person_m (person_s under a time
	// metric) for pmedian, m (s) for pcenter, persons for mclp, offices
	// for lscp.
	Objective     float64 `json:"objective"`
	ObjectiveUnit string  `json:"objective_unit"`
	// Demand is what the weights count: "population", or "districts" when
	// every district weighs 1 (no population was given); the units then
	// say district_m, district_s and districts instead of person_m,
	// person_s and persons, and the population fields count districts.
	Demand string `json:"demand"`
	// Optimal is true only when the plan is proven optimal; the optimum
	// lies between LowerBound and UpperBound (one of them is Objective),
	// and Gap = (upper − lower) / upper.
	Optimal           bool     `json:"optimal"`
	LowerBound        float64  `json:"lower_bound"`
	UpperBound        float64  `json:"upper_bound"`
	Gap               *float64 `json:"gap"`
	TotalPopulation   float64  `json:"total_population"`
	CoveredPopulation float64  `json:"covered_population"`
	// Uncovered are the sorted ids of the districts left unserved, or
	// beyond the service limit.
	Uncovered []string `json:"uncovered"`
	// Unreachable are those no office (or extra point) can serve or
	// cover whatever is open.
	Unreachable []string `json:"unreachable"`
	// MeanDistanceM is the population-weighted mean distance to the
	// nearest open office (or extra point, when nearer), MaxDistanceM the
	// largest; null when unknown.
	MeanDistanceM *float64  `json:"mean_distance_m"`
	MaxDistanceM  *float64  `json:"max_distance_m"`
	MeanTimeS     *float64  `json:"mean_time_s,omitempty"`
	MaxTimeS      *float64  `json:"max_time_s,omitempty"`
	Seconds       float64   `json:"seconds"`
	Assignment    []PlanRow `json:"assignment"`
}

// PlanRow is one district of a plan: the open office that serves it and,
// when extra points are given, the nearest of those.
type PlanRow struct {
	DistrictID     string   `json:"district_id"`
	OfficeID       *string  `json:"office_id"`
	DistanceM      *float64 `json:"distance_m"`
	TimeS          *float64 `json:"time_s,omitempty"`
	ExtraID        *string  `json:"extra_id,omitempty"`
	ExtraDistanceM *float64 `json:"extra_distance_m,omitempty"`
	Population     float64  `json:"population"`
	Covered        bool     `json:"covered"`
}

// PlanOf is the plan of a solution of p under a metric of quantity q
// named metric.
func PlanOf(p *locate.Problem, s *locate.Solution, q catchment.Quantity, metric string) Plan {
	timed := q == catchment.Time
	pl := Plan{Model: string(s.Model), K: s.K, Metric: metric, Objective: s.Objective, Optimal: s.Optimal,
		LowerBound: s.LowerBound, UpperBound: s.UpperBound, Gap: finite(s.Gap),
		TotalPopulation: s.TotalWeight, CoveredPopulation: s.CoveredWeight,
		Seconds: roundTo(s.Elapsed.Seconds(), 3),
		Kept:    []string{}, Open: []string{}, Closed: []string{}, Uncovered: []string{}, Unreachable: []string{}}
	if !math.IsNaN(s.Service) {
		v := s.Service
		if timed {
			pl.ServiceS = &v
		} else {
			pl.ServiceM = &v
		}
	}
	unit := "person"
	pl.Demand = "population"
	if unitWeights(p.Weights) {
		pl.Demand, unit = "districts", "district"
	}
	switch s.Model {
	case locate.PMedian:
		pl.ObjectiveUnit = unit + "_m"
		if timed {
			pl.ObjectiveUnit = unit + "_s"
		}
	case locate.PCenter:
		pl.ObjectiveUnit = "m"
		if timed {
			pl.ObjectiveUnit = "s"
		}
	case locate.MCLP:
		pl.ObjectiveUnit = unit + "s"
	case locate.LSCP:
		pl.ObjectiveUnit = "offices"
	}
	open := make([]bool, len(p.Sites))
	for _, j := range s.Open {
		open[j] = true
		pl.Open = append(pl.Open, p.Sites[j].ID)
	}
	for j, site := range p.Sites {
		if !open[j] {
			pl.Closed = append(pl.Closed, site.ID)
		}
	}
	for _, j := range p.Kept {
		pl.Kept = append(pl.Kept, p.Sites[j].ID)
	}
	for _, i := range s.Uncovered {
		pl.Uncovered = append(pl.Uncovered, p.Demand[i].ID)
	}
	for _, i := range s.Unreachable {
		pl.Unreachable = append(pl.Unreachable, p.Demand[i].ID)
	}
	for _, ids := range [][]string{pl.Kept, pl.Open, pl.Closed, pl.Uncovered, pl.Unreachable} {
		slices.Sort(ids)
	}
	var sumD, wD, maxD, sumT, wT, maxT float64
	knownD, knownT := true, true
	anyD, anyT := false, false
	for i, d := range s.Demand {
		w := 1.0
		if p.Weights != nil {
			w = p.Weights[i]
		}
		row := PlanRow{DistrictID: p.Demand[i].ID, Population: w, Covered: d.Covered}
		if d.Site.Reached() {
			row.OfficeID = &p.Sites[d.Site.To].ID
			row.DistanceM = finite(roundTo(d.Site.DistanceM, 1))
			if timed {
				row.TimeS = finite(roundTo(d.Site.TimeS, 1))
			}
		}
		if len(p.Extra) > 0 && d.Extra.Reached() {
			row.ExtraID = &p.Extra[d.Extra.To].ID
			row.ExtraDistanceM = finite(roundTo(d.Extra.DistanceM, 1))
		}
		pl.Assignment = append(pl.Assignment, row)
		if !d.Reached() {
			continue
		}
		by := d.By()
		if math.IsNaN(by.DistanceM) {
			knownD = false
		} else {
			anyD = true
			sumD += w * by.DistanceM
			wD += w
			maxD = math.Max(maxD, by.DistanceM)
		}
		if math.IsNaN(by.TimeS) {
			knownT = false
		} else {
			anyT = true
			sumT += w * by.TimeS
			wT += w
			maxT = math.Max(maxT, by.TimeS)
		}
	}
	if knownD && anyD {
		pl.MaxDistanceM = finite(roundTo(maxD, 1))
		if wD > 0 {
			pl.MeanDistanceM = finite(roundTo(sumD/wD, 1))
		}
	}
	if timed && knownT && anyT {
		pl.MaxTimeS = finite(roundTo(maxT, 1))
		if wT > 0 {
			pl.MeanTimeS = finite(roundTo(sumT/wT, 1))
		}
	}
	return pl
}

// finite is &v, or nil when v is NaN or infinite (null in JSON).
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// value is *v, or nil.
func value(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// PlanSummaryTable has one row per plan: the trade-off curve as a table.
func PlanSummaryTable(plans []Plan) vector.Table {
	t := vector.Table{Columns: []string{"model", "k", "objective", "objective_unit", "optimal", "lower_bound", "upper_bound", "gap",
		"total_population", "covered_population", "uncovered", "mean_distance_m", "max_distance_m", "seconds", "open", "closed"}}
	for _, p := range plans {
		t.Rows = append(t.Rows, []any{p.Model, p.K, roundTo(p.Objective, 1), p.ObjectiveUnit, p.Optimal,
			roundTo(p.LowerBound, 1), roundTo(p.UpperBound, 1), value(p.Gap),
			p.TotalPopulation, p.CoveredPopulation, len(p.Uncovered), value(p.MeanDistanceM), value(p.MaxDistanceM),
			p.Seconds, joinIDs(p.Open), joinIDs(p.Closed)})
	}
	return t
}

// PlanAssignmentTable is a plan's district rows.
func PlanAssignmentTable(p Plan) vector.Table {
	t := vector.Table{Columns: []string{"district_id", "office_id", "distance_m", "population", "covered"}}
	timed, extra := false, false
	for _, r := range p.Assignment {
		timed = timed || r.TimeS != nil
		extra = extra || r.ExtraID != nil
	}
	if timed {
		t.Columns = append(t.Columns, "time_s")
	}
	if extra {
		t.Columns = append(t.Columns, "extra_id", "extra_distance_m")
	}
	for _, r := range p.Assignment {
		var office any
		if r.OfficeID != nil {
			office = *r.OfficeID
		}
		row := []any{r.DistrictID, office, value(r.DistanceM), r.Population, r.Covered}
		if timed {
			row = append(row, value(r.TimeS))
		}
		if extra {
			var id any
			if r.ExtraID != nil {
				id = *r.ExtraID
			}
			row = append(row, id, value(r.ExtraDistanceM))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// PlanOfficeTable lists every candidate office of a plan in the order of
// sites: whether it is kept, open or closed, and the districts and
// population it serves. names gives offices' names (may be nil).
func PlanOfficeTable(p Plan, sites []catchment.Place, names map[string]string) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "status", "districts", "population"}}
	kept := map[string]bool{}
	for _, id := range p.Kept {
		kept[id] = true
	}
	open := map[string]bool{}
	for _, id := range p.Open {
		open[id] = true
	}
	districts := map[string]int{}
	pop := map[string]float64{}
	for _, r := range p.Assignment {
		if r.OfficeID != nil {
			districts[*r.OfficeID]++
			pop[*r.OfficeID] += r.Population
		}
	}
	for _, s := range sites {
		status := "closed"
		switch {
		case kept[s.ID]:
			status = "kept"
		case open[s.ID]:
			status = "open"
		}
		name := names[s.ID]
		t.Rows = append(t.Rows, []any{s.ID, name, status, districts[s.ID], pop[s.ID]})
	}
	return t
}

// PlanFigures are a plan's key figures, one per row, for a terminal:
// numbers grouped by thousands.
func PlanFigures(p Plan) vector.Table {
	t := vector.Table{Columns: []string{"figure", "value"}}
	add := func(k string, v any) { t.Rows = append(t.Rows, []any{k, v}) }
	num := func(v *float64, decimals int) any {
		if v == nil {
			return nil
		}
		if decimals == 0 {
			return numfmt.Whole(*v)
		}
		return numfmt.Thousands(roundTo(*v, decimals))
	}
	add("model", p.Model)
	add("metric", p.Metric)
	add("open offices (K)", p.K)
	add("kept in every plan", len(p.Kept))
	if p.ServiceM != nil {
		add("service limit (m)", num(p.ServiceM, 0))
	}
	if p.ServiceS != nil {
		add("service limit (s)", num(p.ServiceS, 0))
	}
	add("objective ("+p.ObjectiveUnit+")", num(&p.Objective, 1))
	proof := "yes"
	if !p.Optimal {
		proof = "no: best found"
	}
	add("proven optimal", proof)
	add("lower bound", num(&p.LowerBound, 1))
	add("upper bound", num(&p.UpperBound, 1))
	if p.Gap != nil {
		add("gap (%)", fmt.Sprintf("%.4f", 100**p.Gap))
	}
	if p.Demand == "districts" {
		add("demand", "districts, 1 each (no population given)")
		add("districts", num(&p.TotalPopulation, 0))
		add("districts covered", num(&p.CoveredPopulation, 0))
	} else {
		add("population", num(&p.TotalPopulation, 0))
		add("population covered", num(&p.CoveredPopulation, 0))
	}
	add("districts not covered", len(p.Uncovered))
	weighted := "population-weighted"
	if p.Demand == "districts" {
		weighted = "over districts"
	}
	add("mean distance (m, "+weighted+")", num(p.MeanDistanceM, 1))
	add("largest distance (m)", num(p.MaxDistanceM, 1))
	if p.MeanTimeS != nil {
		add("mean time (s, "+weighted+")", num(p.MeanTimeS, 1))
		add("longest time (s)", num(p.MaxTimeS, 1))
	}
	add("seconds", fmt.Sprintf("%.3f", p.Seconds))
	return t
}

// CurveChart is a trade-off curve (plans of one model, K ascending) as
// chart data: the figure a council reads for the model (p-median: the
// population-weighted mean distance in km, or time in minutes; p-center:
// the largest distance or time; MCLP: the population covered, %), each
// point labelled with the offices that join (+) or leave (−) the plan
// from the previous K. names and namesEn name offices by id (may be nil:
// ids are shown).
func CurveChart(plans []Plan, names, namesEn map[string]string) ([]draw.CurvePoint, draw.CurveText) {
	var text draw.CurveText
	timed := len(plans) > 0 && plans[0].ServiceS != nil || len(plans) > 0 && (strings.HasSuffix(plans[0].ObjectiveUnit, "_s") || plans[0].ObjectiveUnit == "s")
	model := ""
	if len(plans) > 0 {
		model = plans[0].Model
	}
	text.XLabel, text.XLabelEn = "窓口の数（K）", "Offices kept (K)"
	text.Decimals = 1
	y := func(p Plan) float64 { return 0 }
	switch model {
	case "pmedian":
		text.Title, text.TitleEn = "最適配置：窓口の数と平均距離（人口加重）", "Best plans: offices kept and the mean distance (population-weighted)"
		text.YLabel, text.YLabelEn = "最寄り窓口までの平均距離（km）", "Mean distance to the nearest office (km)"
		y = func(p Plan) float64 { return p.Objective / math.Max(p.CoveredPopulation, 1) / 1000 }
		if timed {
			text.Title, text.TitleEn = "最適配置：窓口の数と平均所要時間（人口加重）", "Best plans: offices kept and the mean travel time (population-weighted)"
			text.YLabel, text.YLabelEn = "最寄り窓口までの平均所要時間（分）", "Mean time to the nearest office (min)"
			y = func(p Plan) float64 { return p.Objective / math.Max(p.CoveredPopulation, 1) / 60 }
		}
		text.Decimals = 2
	case "pcenter":
		text.Title, text.TitleEn = "最適配置：窓口の数と最大距離", "Best plans: offices kept and the largest distance"
		text.YLabel, text.YLabelEn = "最寄り窓口までの最大距離（km）", "Largest distance to the nearest office (km)"
		y = func(p Plan) float64 { return p.Objective / 1000 }
		if timed {
			text.Title, text.TitleEn = "最適配置：窓口の数と最大所要時間", "Best plans: offices kept and the longest travel time"
			text.YLabel, text.YLabelEn = "最寄り窓口までの最大所要時間（分）", "Longest time to the nearest office (min)"
			y = func(p Plan) float64 { return p.Objective / 60 }
		}
	case "mclp":
		limit := ""
		if len(plans) > 0 && plans[0].ServiceM != nil {
			limit = fmt.Sprintf("%g km", *plans[0].ServiceM/1000)
		} else if len(plans) > 0 && plans[0].ServiceS != nil {
			limit = fmt.Sprintf("%g min", *plans[0].ServiceS/60)
		}
		text.Title, text.TitleEn = "最適配置：窓口の数と"+limit+"圏内の人口", "Best plans: offices kept and the population within "+limit
		text.YLabel, text.YLabelEn = limit+"圏内の人口の割合（%）", "Population within "+limit+" (%)"
		y = func(p Plan) float64 { return 100 * p.Objective / math.Max(p.TotalPopulation, 1) }
	}
	name := func(m map[string]string, id string) string {
		if n := m[id]; n != "" {
			return shortName(n)
		}
		return id
	}
	var pts []draw.CurvePoint
	for k, p := range plans {
		pt := draw.CurvePoint{X: float64(p.K), Y: y(p), Proven: p.Optimal}
		if k > 0 {
			prev := map[string]bool{}
			for _, id := range plans[k-1].Open {
				prev[id] = true
			}
			now := map[string]bool{}
			for _, id := range p.Open {
				now[id] = true
			}
			var ja, en []string
			for _, id := range p.Open {
				if !prev[id] {
					ja, en = append(ja, "+"+name(names, id)), append(en, "+"+name(namesEn, id))
				}
			}
			for _, id := range plans[k-1].Open {
				if !now[id] {
					ja, en = append(ja, "−"+name(names, id)), append(en, "−"+name(namesEn, id))
				}
			}
			if len(ja) > 3 {
				ja, en = append(ja[:3], "…"), append(en[:3], "…")
			}
			pt.Note, pt.NoteEn = strings.Join(ja, " "), strings.Join(en, " ")
		}
		pts = append(pts, pt)
	}
	return pts, text
}

// KeptReport is the report's section "if K offices were kept": the best
// p-median plan for each K with some offices kept in every plan, beside
// the plan of the distance rule.
type KeptReport struct {
	// Plans are the p-median plans, K ascending.
	Plans []Plan
	// KeptKind names what every plan keeps ("ward offices").
	KeptKind string
	// Names name offices by id.
	Names map[string]string
	// Branches are the ids of the offices a plan may close, in input
	// order.
	Branches []string
	// RuleClosed are the offices the distance rule closes (RuleKm), and
	// RuleMeanM the mean distance it leaves (NaN: not known).
	RuleClosed []string
	RuleKm     float64
	RuleMeanM  float64
	// Synthetic lists the demo layers the figures depend on.
	Synthetic []string
	// Chart is the file of the curve chart (empty: none).
	Chart string
}

// WriteKeptMarkdown writes the section.
func WriteKeptMarkdown(w io.Writer, r KeptReport) error {
	if len(r.Plans) == 0 {
		return nil
	}
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	// Names lose their common suffix (大江出張所 → 大江) to keep rows short.
	shortened := false
	name := func(id string) string {
		n := r.Names[id]
		if n == "" {
			return id
		}
		short := shortName(n)
		shortened = shortened || short != n
		return short
	}
	for _, id := range r.Branches {
		name(id)
	}
	first := r.Plans[0]
	timed := first.MeanTimeS != nil && strings.HasSuffix(first.ObjectiveUnit, "_s")
	p("## If K offices were kept\n\n")
	p("The best plan for each number of offices K, keeping all %s: the p-median, which minimises the residents' total distance to their nearest office (%s metric), found by `catchment optimize`", r.KeptKind, first.Metric)
	proven := true
	for _, pl := range r.Plans {
		proven = proven && pl.Optimal
	}
	if proven {
		p(" and proven optimal (branch and bound).")
	} else {
		p("; plans marked “no” are the best found in the time limit, not proven optimal.")
	}
	p(" Plans are not nested: the best K offices need not contain the best K − 1.\n\n")
	if len(r.Synthetic) > 0 {
		p("> **Synthetic demo layers: %s.** The populations behind these plans are not real; the offices are.\n\n", strings.Join(r.Synthetic, ", "))
	}
	unit, scale := "km", 1000.0
	mean := func(pl Plan) *float64 { return pl.MeanDistanceM }
	largest := func(pl Plan) *float64 { return pl.MaxDistanceM }
	if timed {
		unit, scale = "min", 60
		mean = func(pl Plan) *float64 { return pl.MeanTimeS }
		largest = func(pl Plan) *float64 { return pl.MaxTimeS }
	}
	cell := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprintf("%.2f", *v/scale)
	}
	note := ""
	if shortened {
		note = " (names without 出張所, 総合出張所, 支所)"
	}
	p("| K | mean (%s) | largest (%s) | proven | offices kept besides the %s%s |\n|---:|---:|---:|---|---|\n", unit, unit, r.KeptKind, note)
	for _, pl := range r.Plans {
		open := map[string]bool{}
		for _, id := range pl.Open {
			open[id] = true
		}
		var kept []string
		for _, id := range r.Branches {
			if open[id] {
				kept = append(kept, mdCell(name(id)))
			}
		}
		yes := "yes"
		if !pl.Optimal {
			yes = "no"
		}
		list := strings.Join(kept, "、")
		if len(kept) == 0 {
			list = "none"
		}
		p("| %d | %s | %s | %s | %s |\n", pl.K, cell(mean(pl)), cell(largest(pl)), yes, list)
	}
	p("\n")
	if len(r.RuleClosed) > 0 && !math.IsNaN(r.RuleMeanM) {
		k := len(r.Branches) + len(first.Kept) - len(r.RuleClosed)
		for _, pl := range r.Plans {
			if pl.K != k || pl.MeanDistanceM == nil || timed {
				continue
			}
			closed := map[string]bool{}
			for _, id := range r.RuleClosed {
				closed[id] = true
			}
			open := map[string]bool{}
			for _, id := range pl.Open {
				open[id] = true
			}
			var instead, rather []string
			for _, id := range r.Branches {
				switch {
				case open[id] && closed[id]:
					instead = append(instead, name(id))
				case !open[id] && !closed[id]:
					rather = append(rather, name(id))
				}
			}
			p("The %g km rule closes %d branch offices and keeps K = %d: the mean distance becomes %.2f km. The best %d offices give %.2f km",
				r.RuleKm, len(r.RuleClosed), k, r.RuleMeanM/1000, k, *pl.MeanDistanceM/1000)
			if len(instead) > 0 {
				p(": they keep %s instead of %s", strings.Join(instead, "、"), strings.Join(rather, "、"))
			}
			p(".\n\n")
		}
	}
	if r.Chart != "" {
		p("![Best plans by the number of offices](%s)\n\n", r.Chart)
	}
	p("`catchment optimize --model pmedian --curve %d-%d --keep-kind ward` gives these plans in full (also p-center, maximal covering and set covering); `--k K --write-scenario plan.yaml` stages one for `catchment whatif --scenario`.\n\n",
		first.K, r.Plans[len(r.Plans)-1].K)
	_, err := io.WriteString(w, b.String())
	return err
}

// shortName is an office name without the suffix that branch offices
// share (大江出張所 → 大江, 託麻総合出張所 → 託麻), for tables and labels
// where every name has it.
func shortName(n string) string {
	for _, suffix := range []string{"総合出張所", "出張所", "支所"} {
		if short := strings.TrimSuffix(n, suffix); short != n && short != "" {
			return short
		}
	}
	return n
}

// unitWeights reports whether every demand point weighs 1 (or the weights
// are not given), so that the plan counts districts, not people.
func unitWeights(w []float64) bool {
	for _, v := range w {
		if v != 1 {
			return false
		}
	}
	return true
}
