package render

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

// The access tables and layers are a contract: keep their keys stable.
// Values are given in full precision (they are compared with PySAL's);
// Significant rounds a table for reading.

// AccessTable is one row per district: district_id, district_name,
// population, access (A_i), access_norm (A_i over the population-weighted
// mean; null when the mean is 0) and offices_reached (offices in range).
func AccessTable(a catchment.Accessibility) vector.Table {
	t := vector.Table{Columns: []string{"district_id", "district_name", "population", "access", "access_norm", "offices_reached"}}
	for _, d := range a.Districts {
		t.Rows = append(t.Rows, []any{d.District.ID, d.District.Name, count(d.Population), d.Access, number(d.Norm), d.OfficesReached})
	}
	return t
}

// AccessOfficeTable is one row per office: office_id, office_name, supply
// (S_j), weighted_demand (Σ_i W_ij·P_i) and ratio (R_j; null for the
// gravity model, which has none).
func AccessOfficeTable(a catchment.Accessibility) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "supply", "weighted_demand", "ratio"}}
	for _, o := range a.Offices {
		t.Rows = append(t.Rows, []any{o.Office.ID, o.Office.Name, o.Supply, o.WeightedDemand, number(o.Ratio)})
	}
	return t
}

// AccessChangeTable is one row per district of a what-if: access before
// (every office open) and after, change = after − before, both
// normalised by the baseline's population-weighted mean, and the offices
// in range before and after.
func AccessChangeTable(c catchment.AccessComparison) vector.Table {
	t := vector.Table{Columns: []string{"district_id", "district_name", "population", "access_before", "access_after", "change",
		"access_norm_before", "access_norm_after", "offices_reached_before", "offices_reached_after"}}
	for _, d := range c.Districts {
		t.Rows = append(t.Rows, []any{d.District.ID, d.District.Name, count(d.Population), d.Before, d.After, d.Delta(),
			number(d.NormBefore), number(d.NormAfter), d.OfficesBefore, d.OfficesAfter})
	}
	return t
}

// AccessChangeOfficeTable is one row per office of a what-if (baseline
// offices, then new ones): its status, and its supply, weighted demand and
// ratio before and after (before is null for a new office).
func AccessChangeOfficeTable(c catchment.AccessComparison) vector.Table {
	t := vector.Table{Columns: []string{"office_id", "office_name", "status", "supply_before", "supply_after",
		"weighted_demand_before", "weighted_demand_after", "ratio_before", "ratio_after"}}
	for j, o := range c.After.Offices {
		var sb, db, rb any
		if j < len(c.Before.Offices) {
			b := c.Before.Offices[j]
			sb, db, rb = b.Supply, b.WeightedDemand, number(b.Ratio)
		}
		t.Rows = append(t.Rows, []any{o.Office.ID, o.Office.Name, string(o.Status), sb, o.Supply, db, o.WeightedDemand, rb, number(o.Ratio)})
	}
	return t
}

// Significant returns t with its float values rounded to digits
// significant digits, for reading in a terminal.
func Significant(t vector.Table, digits int) vector.Table {
	out := vector.Table{Columns: t.Columns, Rows: make([][]any, len(t.Rows))}
	for i, row := range t.Rows {
		out.Rows[i] = slices.Clone(row)
		for j, v := range row {
			if f, ok := v.(float64); ok && f != math.Trunc(f) {
				out.Rows[i][j] = roundSig(f, digits)
			}
		}
	}
	return out
}

// roundSig rounds v to n significant digits.
func roundSig(v float64, n int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// AccessFeatures is the access layer: every district polygon with the
// AccessTable columns.
func AccessFeatures(a catchment.Accessibility) []vector.Feature {
	return tableFeatures(AccessTable(a), func(i int) vector.Feature {
		return vector.Feature{Geometry: a.Districts[i].District.Geometry}
	})
}

// AccessOfficeFeatures is the offices as points with the AccessOfficeTable
// columns.
func AccessOfficeFeatures(a catchment.Accessibility) []vector.Feature {
	return tableFeatures(AccessOfficeTable(a), func(i int) vector.Feature {
		return vector.Feature{Geometry: a.Offices[i].Office.Location}
	})
}

// AccessChangeFeatures is every district polygon with the
// AccessChangeTable columns.
func AccessChangeFeatures(c catchment.AccessComparison) []vector.Feature {
	return tableFeatures(AccessChangeTable(c), func(i int) vector.Feature {
		return vector.Feature{Geometry: c.Districts[i].District.Geometry}
	})
}

// AccessChangeOfficeFeatures is every office of a what-if as a point with
// the AccessChangeOfficeTable columns.
func AccessChangeOfficeFeatures(c catchment.AccessComparison) []vector.Feature {
	return tableFeatures(AccessChangeOfficeTable(c), func(i int) vector.Feature {
		return vector.Feature{Geometry: c.After.Offices[i].Office.Location}
	})
}

// accessUnit is how a map shows A: a factor and the unit it is then in.
// Supply 1 per office gives tiny values, shown per 10,000 residents.
func accessUnit(a catchment.Accessibility, normalize bool) (factor float64, unit draw.Bilingual) {
	switch {
	case normalize:
		return 1, draw.Bilingual{Ja: "人口加重平均 = 1", En: "population-weighted mean = 1"}
	case a.Options.Supply == catchment.SupplyNone:
		return 10000, draw.Bilingual{Ja: "窓口数（重み付き）／住民 1 万人", En: "offices (weighted) per 10,000 residents"}
	}
	return 1, draw.Bilingual{Ja: string(a.Options.Supply) + "／人", En: string(a.Options.Supply) + " per resident"}
}

// methodName names an index in a title.
func methodName(o catchment.AccessOptions) string {
	switch o.Method {
	case catchment.AccessE2SFCA:
		return "E2SFCA"
	case catchment.Access2SFCA:
		return "2SFCA"
	case catchment.AccessGravity2SFCA:
		return "gravity 2SFCA"
	}
	return "gravity"
}

// sig formats v with 3 significant digits for legends and tables.
func sig(v float64) string {
	return strconv.FormatFloat(roundSig(v, 3), 'g', -1, 64)
}

// rangeClasses makes one class per break, labelled by its range from the
// previous break (or from first), coloured by cols.
func rangeClasses(breaks []float64, first float64, cols []draw.ValueClass) []draw.ValueClass {
	lo := first
	for k, b := range breaks {
		cols[k].Max, cols[k].Label = b, rangeLabel(lo, b)
		lo = b
	}
	return cols
}

// rangeLabel is "0.78–1.11", or "-0.47 to -0.27" (～ in Japanese) when a
// bound is negative, or one value when both round alike.
func rangeLabel(lo, hi float64) draw.Bilingual {
	a, b := sig(lo), sig(hi)
	switch {
	case a == b:
		return draw.Bilingual{En: b}
	case lo < 0 || hi < 0:
		return draw.Bilingual{Ja: a + " ～ " + b, En: a + " to " + b}
	}
	return draw.Bilingual{En: a + "–" + b}
}

// mapOffices are the offices as a map draws them, those not open as closed.
func mapOffices(offices []data.Office, status []catchment.OfficeStatus) []draw.MapOffice {
	out := make([]draw.MapOffice, len(offices))
	for i, o := range offices {
		closed := status != nil && status[i] != catchment.StatusOpen && status[i] != catchment.StatusNew
		out[i] = draw.MapOffice{ID: o.ID, Name: o.Name, NameEn: o.NameEn, Kind: string(o.Kind), Closed: closed, Location: o.Location}
	}
	return out
}

func mapDistricts(ds []data.District) []draw.MapDistrict {
	out := make([]draw.MapDistrict, len(ds))
	for i, d := range ds {
		out[i] = draw.MapDistrict{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Geometry: d.Geometry, Office: -1}
	}
	return out
}

// accessNotes are the footer lines of an access map: the definition and
// how costs were measured.
func accessNotes(a catchment.Accessibility) []draw.Bilingual {
	def := "A_i = sum_j W_ij R_j, R_j = S_j / sum_k W_kj P_k"
	if a.Options.Method == catchment.AccessGravity {
		def = "A_i = sum_j S_j W_ij"
	}
	// ASCII only: map fonts lack Σ and ≤.
	how := strings.NewReplacer("≤", "<=", "−", "-").Replace(a.Options.Describe(a.Quantity))
	return []draw.Bilingual{
		{En: fmt.Sprintf("%s (%s); costs under the %s metric from each district's representative point", def, how, a.Metric)},
	}
}

// AccessMapData is the map of an index by district: quantile classes (5)
// of the districts with an office in range, and a class of its own for
// those with none. With normalize the values are access_norm.
func AccessMapData(ds *data.Dataset, a catchment.Accessibility, normalize bool) draw.ValueMapData {
	factor, unit := accessUnit(a, normalize)
	values := make([]float64, len(a.Districts))
	var positive []float64
	for i, d := range a.Districts {
		v := d.Access * factor
		if normalize {
			v = d.Norm
		}
		if d.Unrouted {
			v = math.NaN() // unknown, not low
		}
		values[i] = v
		if d.OfficesReached > 0 && v > 0 {
			positive = append(positive, v)
		}
	}
	limit := "in range"
	if a.Options.Catchment > 0 {
		limit = "within " + costPhrase(a.Options.Catchment, a.Quantity)
	}
	classes := []draw.ValueClass{{Max: 0, Color: draw.ColNone,
		Label: draw.Bilingual{Ja: "0：圏内に窓口なし", En: "0: no office " + limit}}}
	breaks := draw.QuantileBreaks(positive, 5)
	if len(breaks) > 0 {
		first := slices.Min(positive)
		classes = append(classes, rangeClasses(breaks, first, valueClasses(draw.YlGn(len(breaks))))...)
	}
	name := methodName(a.Options)
	mean := a.Mean * factor
	if normalize {
		mean = 1 // the mean of access_norm
	}
	return draw.ValueMapData{
		Offices: mapOffices(ds.Offices, nil), Districts: mapDistricts(ds.Districts), Boundary: ds.Boundary,
		Values: values, Classes: classes,
		Title:   draw.Bilingual{Ja: fmt.Sprintf("窓口へのアクセス指標（%s、校区別）", name), En: fmt.Sprintf("Access to counter service by district (%s)", name)},
		Heading: draw.Bilingual{Ja: fmt.Sprintf("アクセス指標（%s、五分位）", unit.Ja), En: fmt.Sprintf("Access (%s; quintiles)", unit.En)},
		Summary: accessSummary(a, mean, limit),
		NoValue: notRouted,
		Source:  SourceLine(ds), Notes: accessNotes(a),
	}
}

func valueClasses(cols []color.RGBA) []draw.ValueClass {
	out := make([]draw.ValueClass, len(cols))
	for i, c := range cols {
		out[i].Color = c
	}
	return out
}

// accessSummary is the line under the access map's title.
func accessSummary(a catchment.Accessibility, mean float64, limit string) draw.Bilingual {
	var pop float64
	for _, d := range a.Districts {
		if d.OfficesReached == 0 && !d.Unrouted {
			pop += d.Population
		}
	}
	none := a.NoAccess - a.Unrouted
	b := draw.Bilingual{
		Ja: fmt.Sprintf("校区 %d、人口加重平均 %s、圏内に窓口のない校区 %d（%s 人）", len(a.Districts), sig(mean), none, whole(pop)),
		En: fmt.Sprintf("%d districts; population-weighted mean %s; %d districts (%s residents) with no office %s", len(a.Districts), sig(mean), none, whole(pop), limit)}
	if a.Unrouted > 0 {
		b.Ja += fmt.Sprintf("、経路なし %d", a.Unrouted)
		b.En += fmt.Sprintf("; %d not routed", a.Unrouted)
	}
	return b
}

// notRouted is the legend text of districts the metric does not route.
var notRouted = draw.Bilingual{Ja: "経路なし（道路網・コスト表の範囲外）", En: "Not routed (outside the road network or cost matrix)"}

// AccessChangeMapData is the map of a what-if's change of access by
// district: losses in reds (quantiles, darkest the largest), no change in
// grey, gains in blues. With normalize the change is in units of the
// baseline's population-weighted mean, else in the units of AccessMapData.
func AccessChangeMapData(ds *data.Dataset, c catchment.AccessComparison, normalize bool) draw.ValueMapData {
	factor, unit := accessUnit(c.Before, normalize)
	if normalize {
		unit = draw.Bilingual{Ja: "現状の人口加重平均 = 1", En: "today's population-weighted mean = 1"}
	}
	values := make([]float64, len(c.Districts))
	var losses, gains []float64
	for i, d := range c.Districts {
		v := d.Delta() * factor
		if normalize {
			v = d.NormDelta()
		}
		if c.Before.Districts[i].Unrouted {
			v = math.NaN()
		}
		values[i] = v
		switch {
		case v < 0:
			losses = append(losses, v)
		case v > 0:
			gains = append(gains, v)
		}
	}
	var classes []draw.ValueClass
	if lb := draw.QuantileBreaks(losses, 4); len(lb) > 0 {
		cols := draw.Losses(len(lb))
		slices.Reverse(cols) // the largest losses (most negative) darkest
		classes = append(classes, rangeClasses(lb, slices.Min(losses), valueClasses(cols))...)
	}
	classes = append(classes, draw.ValueClass{Max: 0, Color: draw.ColNoChange, Label: draw.Bilingual{Ja: "変化なし", En: "No change"}})
	if gb := draw.QuantileBreaks(gains, 4); len(gb) > 0 {
		classes = append(classes, rangeClasses(gb, slices.Min(gains), valueClasses(draw.Gains(len(gb))))...)
	}
	s := c.Summary
	name := methodName(c.Before.Options)
	change := sig(100*(s.MeanAfter/s.MeanBefore-1)) + " %"
	return draw.ValueMapData{
		Offices: mapOffices(c.Offices, c.Status), Districts: mapDistricts(ds.Districts), Boundary: ds.Boundary,
		Values: values, Classes: classes,
		Title:   draw.Bilingual{Ja: fmt.Sprintf("アクセス指標の変化（%s）：%s", name, c.Change.Name), En: fmt.Sprintf("Change of access (%s): %s", name, c.Change.Name)},
		Heading: draw.Bilingual{Ja: fmt.Sprintf("変化（%s）", unit.Ja), En: fmt.Sprintf("Change (%s)", unit.En)},
		Summary: draw.Bilingual{
			Ja: fmt.Sprintf("低下 %d 校区（%s 人）、上昇 %d 校区、人口加重平均 %s、圏内に窓口のない校区 %d → %d", s.Lost, whole(s.LostPopulation), s.Gained, change, s.NoAccessBefore, s.NoAccessAfter),
			En: fmt.Sprintf("%d districts lose access (%s residents), %d gain; population-weighted mean %s; districts with no office in range %d → %d", s.Lost, whole(s.LostPopulation), s.Gained, change, s.NoAccessBefore, s.NoAccessAfter)},
		NoValue: notRouted,
		Source:  SourceLine(ds), Notes: accessNotes(c.Before),
	}
}

// costPhrase writes a cost for people: "5 km", "10 min".
func costPhrase(v float64, q catchment.Quantity) string {
	if q == catchment.Time {
		return sig(v/60) + " min"
	}
	return sig(v/1000) + " km"
}

// AccessSection is what the access section of report.md shows: the index
// with every office open and after the plan's closures.
type AccessSection struct {
	// Comparison holds both indices; its Change names the closures (none:
	// only the index with every office open is shown).
	Comparison catchment.AccessComparison
	// Plan says where the closures come from, e.g. "the 11 branch offices
	// within 5 km of a ward office".
	Plan string
	// Lowest is how many districts each table lists (0: 10).
	Lowest int
	// Images are the access maps to show.
	Images []ReportImage
}

// WriteAccessMarkdown writes the "## Access to counter service" section
// of report.md: the definition, the key figures with and without the
// plan's closures, and the districts with the lowest access in each case.
func WriteAccessMarkdown(w io.Writer, r AccessSection) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	c := r.Comparison
	before, after := c.Before, c.After
	o := before.Options
	closes := len(c.Change.Close) > 0
	n := r.Lowest
	if n <= 0 {
		n = 10
	}
	p("## Access to counter service (%s)\n\n", methodName(o))
	p("Nearest-office distance says nothing about crowding; a floating-catchment index does. ")
	if o.Method == catchment.AccessGravity {
		p("The gravity index A_i = Σ_j S_j·W_ij sums the supply of every office, weighted by cost.")
	} else {
		p("Each office's supply S_j is shared among the residents who can reach it (R_j = S_j / Σ_k W_kj·P_k), and each district's access A_i = Σ_j W_ij·R_j sums the shares of the offices in its range, as PySAL `access` defines it.")
	}
	p(" Here: %s, costs under the %s metric from each district's representative point. ", o.Describe(before.Quantity), before.Metric)
	p("`access_norm` is A_i divided by the population-weighted mean. Run `catchment access` for every option, the office ratios and the map.\n\n")
	limit := "in range"
	if o.Catchment > 0 {
		limit = "within " + costPhrase(o.Catchment, before.Quantity)
	}
	if closes {
		p("| figure | every office open | after closing %s |\n|---|--:|--:|\n", mdCell(r.Plan))
		p("| population-weighted mean access | %s | %s |\n", sig(before.Mean), sig(after.Mean))
		nb, pb := routedNoAccess(before)
		na, pa := routedNoAccess(after)
		p("| districts with no office %s | %d (%s residents) | %d (%s residents) |\n", limit, nb, whole(pb), na, whole(pa))
		if before.Unrouted > 0 {
			p("| districts the %s metric does not route (left out below) | %d | %d |\n", before.Metric, before.Unrouted, after.Unrouted)
		}
		p("| supply reaching residents (%s) | %s | %s |\n", o.Supply, whole(before.SupplyReached), whole(after.SupplyReached))
		p("| districts whose access falls | | %d (%s residents) |\n\n", c.Summary.Lost, whole(c.Summary.LostPopulation))
		p("Closed offices (%d): %s. Their supply is not moved to other offices: the index shows what the remaining offices give.\n\n", len(c.Change.Close), strings.Join(c.Change.Close, ", "))
	} else {
		p("| figure | every office open |\n|---|--:|\n")
		p("| population-weighted mean access | %s |\n", sig(before.Mean))
		nb, pb := routedNoAccess(before)
		p("| districts with no office %s | %d (%s residents) |\n", limit, nb, whole(pb))
		if before.Unrouted > 0 {
			p("| districts the %s metric does not route (left out below) | %d |\n", before.Metric, before.Unrouted)
		}
		p("\n")
	}
	lowest := func(value func(d catchment.DistrictAccessChange) float64) []catchment.DistrictAccessChange {
		var ds []catchment.DistrictAccessChange
		for _, d := range c.Districts {
			if !before.Districts[d.Index].Unrouted {
				ds = append(ds, d) // unknown access is not low access
			}
		}
		sort.SliceStable(ds, func(i, j int) bool {
			vi, vj := value(ds[i]), value(ds[j])
			if vi != vj {
				return vi < vj
			}
			return ds[i].Population > ds[j].Population
		})
		return ds[:min(n, len(ds))]
	}
	row := func(d catchment.DistrictAccessChange) {
		p("| %s | %s | %s | %s | %d |", mdCell(d.District.Name), whole(d.Population), sig(d.Before), sigOrDash(d.NormBefore), d.OfficesBefore)
		if closes {
			p(" %s | %s | %d |", sig(d.After), sigOrDash(d.NormAfter), d.OfficesAfter)
		}
		p("\n")
	}
	header := func() {
		p("| district | population | access | × mean | offices in range |")
		if closes {
			p(" access after | × today's mean | offices after |")
		}
		p("\n|---|--:|--:|--:|--:|")
		if closes {
			p("--:|--:|--:|")
		}
		p("\n")
	}
	p("### The %d districts with the lowest access, every office open\n\n", n)
	header()
	for _, d := range lowest(func(d catchment.DistrictAccessChange) float64 { return d.Before }) {
		row(d)
	}
	p("\n")
	if closes {
		p("### The %d districts with the lowest access after closing %s\n\n", n, mdCell(r.Plan))
		header()
		for _, d := range lowest(func(d catchment.DistrictAccessChange) float64 { return d.After }) {
			row(d)
		}
		p("\n")
	}
	for _, im := range r.Images {
		p("![%s](%s)\n\n*%s*\n\n", im.Caption, im.File, im.Caption)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// routedNoAccess counts the districts the metric routes that have no
// office in range, with their residents.
func routedNoAccess(a catchment.Accessibility) (n int, pop float64) {
	for _, d := range a.Districts {
		if d.OfficesReached == 0 && !d.Unrouted {
			n++
			pop += d.Population
		}
	}
	return n, pop
}

// sigOrDash is sig(v), or "—" for NaN.
func sigOrDash(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return sig(v)
}
