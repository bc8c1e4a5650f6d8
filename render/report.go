package render

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

// Report is everything report.md summarises: a study and its report's
// results, the files written beside it and the pictures to show.
type Report struct {
	Study *catchment.Study
	catchment.Report
	Files  []string      // output files, relative to the report
	Images []ReportImage // maps and charts to show
	// Database names the database the layers were written to (without a
	// password), and Tables the tables, when they went there.
	Database string
	Tables   []string
}

// metric names the study's metric.
func (s Report) metric() string { return s.Study.Metric().Name() }

// ReportImage is one picture in the report.
type ReportImage struct {
	File, Caption string
}

// WriteReportMarkdown writes report.md: the key figures of a study in a form
// a planner can read and paste.
func WriteReportMarkdown(w io.Writer, s Report) error {
	ds := s.Study.Dataset()
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	var wards, branches int
	for _, o := range ds.Offices {
		switch o.Kind {
		case data.Ward:
			wards++
		case data.Branch:
			branches++
		}
	}
	p("# Office catchment report\n\n")
	if len(ds.Synthetic) > 0 {
		var syn []string
		for l, ok := range ds.Synthetic {
			if ok {
				syn = append(syn, string(l))
			}
		}
		sort.Strings(syn)
		p("> **Synthetic demo layers: %s.** They are generated to show the whole pipeline working; figures that depend on them (populations, stores, post offices, gaps, catchments) are not real. Load real layers with `--districts`, `--stores`, `--posts`, `--boundary` or `--data DIR`.\n\n", strings.Join(syn, ", "))
	}
	p("## Key figures\n\n")
	p("| figure | value |\n|---|---|\n")
	p("| offices | %d ward offices + %d branch offices = %d |\n", wards, branches, len(ds.Offices))
	if len(ds.Districts) > 0 {
		p("| districts | %d |\n", len(ds.Districts))
		if s.Study != nil && !s.Study.HasPopulation() {
			p("| population (sum of districts) | unknown: no district has a population (add a population field or --population) |\n")
		} else {
			p("| population (sum of districts) | %s |\n", whole(s.Assignment.Population))
			p("| residents per office | %s |\n", whole(s.Assignment.ResidentsPerOffice()))
		}
	}
	pairs := wards > 0 && branches > 0
	cands := catchment.Candidates(s.Nearest, s.MaxKm)
	if pairs {
		p("| branch offices within %g km of a ward office (%s) | %d of %d |\n", s.MaxKm, metricPhrase(s.metric()), len(cands), len(s.Nearest))
	}
	if s.Gaps != nil {
		var gaps, fallback, gapPop int
		for _, g := range s.Gaps {
			if g.Gap {
				gaps++
				gapPop += int(g.District.Pop())
				if g.PostFallback() {
					fallback++
				}
			}
		}
		if s.Study != nil && !s.Study.HasPopulation() {
			p("| districts with no convenience store (gaps) | %d |\n", gaps)
		} else {
			p("| districts with no convenience store (gaps) | %d (population %s) |\n", gaps, whole(float64(gapPop)))
		}
		p("| of which have a post office | %d |\n", fallback)
		p("| gaps with neither store nor post office | %d |\n", gaps-fallback)
	}
	p("\n")
	if len(s.Skipped) > 0 {
		p("**Not run on this study:**\n\n")
		for _, sk := range s.Skipped {
			p("- %s\n", sk)
		}
		p("\n")
	}
	if len(ds.References) > 0 {
		p("## The city's figures beside this study's\n\n")
		p("| figure | city's plan | this study |\n|---|---|---|\n")
		for _, r := range ds.References {
			p("| %s | %s | %s |\n", r.Label, r.Value, s.computed(r.Key))
		}
		p("\nSource of the city's figures: %s.\n\n", ds.References[0].Source)
	}

	if pairs {
		writeNearestSection(p, s, cands)
	}

	if len(ds.Districts) > 0 && s.Assignment.Offices != nil {
		p("## What each office serves\n\n")
		p("Each district goes to its nearest office of any kind (from its representative point).\n\n")
		p("| office | kind | districts | population | mean distance km | max distance km |\n|---|---|--:|--:|--:|--:|\n")
		sum := make([]float64, len(ds.Offices))
		mx := make([]float64, len(ds.Offices))
		for _, da := range s.Assignment.Districts {
			if da.Office == nil {
				continue
			}
			sum[da.OfficeIndex] += da.DistanceM
			mx[da.OfficeIndex] = max(mx[da.OfficeIndex], da.DistanceM)
		}
		for i, ol := range s.Assignment.Offices {
			o := ds.Offices[i]
			mean := 0.0
			if ol.Districts > 0 {
				mean = sum[i] / float64(ol.Districts) / 1000
			}
			p("| %s | %s | %d | %s | %.2f | %.2f |\n", o.Name, o.Kind, ol.Districts, whole(ol.Population), mean, mx[i]/1000)
		}
		p("\n")
	}

	if s.Gaps != nil {
		p("## Coverage gaps: districts with no convenience store\n\n")
		p("| district | population | post offices | nearest office | distance km |\n|---|--:|--:|---|--:|\n")
		n := 0
		for _, g := range s.Gaps {
			if !g.Gap {
				continue
			}
			n++
			d := g.District
			office, dist := "", ""
			if s.Assignment.Districts != nil && s.Assignment.Districts[g.Index].Office != nil {
				da := s.Assignment.Districts[g.Index]
				office, dist = da.Office.Name, fmt.Sprintf("%.2f", da.DistanceM/1000)
			}
			p("| %s | %s | %d | %s | %s |\n", d.Name, whole(d.Pop()), g.Posts, office, dist)
		}
		if n == 0 {
			p("| (none) | | | | |\n")
		}
		p("\n")
	}

	if len(s.Images) > 0 {
		p("## Maps and charts\n\n")
		for _, im := range s.Images {
			p("![%s](%s)\n\n*%s*\n\n", im.Caption, im.File, im.Caption)
		}
	}
	if len(s.Files) > 0 {
		p("## Files\n\n")
		for _, f := range s.Files {
			p("- [%s](%s)\n", f, f)
		}
		p("\nOpen the `.geojson` files in QGIS with Layer → Add Layer → Add Vector Layer (or drag them in); they are RFC 7946 GeoJSON in WGS84 (EPSG:4326).\n\n")
	}
	if len(s.Tables) > 0 {
		p("## Tables in the database\n\n")
		p("Written to `%s` in one transaction, geometries in EPSG:4326 with a GiST index; QGIS finds their styles in `public.layer_styles`:\n\n", s.Database)
		for _, t := range s.Tables {
			p("- `%s`\n", t)
		}
		p("\n")
	}
	p("## Sources\n\n")
	layers := make([]string, 0, len(ds.Sources))
	for l := range ds.Sources {
		layers = append(layers, string(l))
	}
	sort.Strings(layers)
	for _, l := range layers {
		tag := ""
		if ds.Synthetic[data.Layer(l)] {
			tag = " (synthetic demo layer)"
		}
		p("- %s: `%s`%s\n", l, ds.Sources[data.Layer(l)], tag)
	}
	for _, a := range ds.Attribution {
		p("- %s\n", a)
	}
	p("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeThreeWay sets the study's distances (a road network, a cost
// matrix) beside the city's published road km and the straight line, with
// the distance rule under each.
func writeThreeWay(p func(string, ...any), s Report) {
	km := func(r catchment.NearestRow) (float64, bool) { return r.DistanceM / 1000, r.Reached() }
	rule := func(v float64, ok bool) string {
		switch {
		case !ok:
			return "—"
		case v <= s.MaxKm:
			return "yes"
		}
		return "no"
	}
	straight := map[string]catchment.NearestRow{}
	for _, r := range s.Straight {
		straight[r.Office.ID] = r
	}
	p("### %s, the city's km and the straight line\n\n", metricName(s.metric()))
	p("| branch office | %s km | city's km | straight km | within %g km: %s / city / straight |\n|---|--:|--:|--:|---|\n", s.metric(), s.MaxKm, s.metric())
	agree, agreeLine, n := 0, 0, 0
	var sum, most float64
	for _, r := range s.Nearest {
		m, ok := km(r)
		l, lok := km(straight[r.Office.ID])
		city, cok := 0.0, r.Office.PublishedKm != nil
		if cok {
			city = *r.Office.PublishedKm
		}
		cell := func(v float64, ok bool) string {
			if !ok {
				return "—"
			}
			return fmt.Sprintf("%.2f", v)
		}
		p("| %s | %s | %s | %s | %s / %s / %s |\n", r.Office.Name, cell(m, ok), cell(city, cok), cell(l, lok), rule(m, ok), rule(city, cok), rule(l, lok))
		if ok && cok {
			n++
			if rule(m, ok) == rule(city, cok) {
				agree++
			}
			if rule(l, lok) == rule(city, cok) {
				agreeLine++
			}
			d := math.Abs(m - city)
			sum += d
			most = max(most, d)
		}
	}
	if n > 0 {
		p("\nOf the %d branch offices with a published figure, the %g km rule decides as the city does for %d by %s and %d by straight line; %s km differ from the city's by %.2f km on average, %.2f km at most.\n\n",
			n, s.MaxKm, agree, strings.ToLower(metricName(s.metric())), agreeLine, s.metric(), sum/float64(n), most)
	}
}

// metricName is the metric's name for a heading.
func metricName(m string) string {
	switch m {
	case "road":
		return "Road"
	case "time":
		return "Fastest route"
	}
	return strings.ToUpper(m[:1]) + m[1:]
}

// computed is this study's figure for a reference key, or "" when it has none.
func (s Report) computed(key string) string {
	ds := s.Study.Dataset()
	switch key {
	case "offices":
		return fmt.Sprint(len(ds.Offices))
	case "residents_per_office":
		if s.Assignment.OpenOffices == 0 {
			return ""
		}
		return whole(s.Assignment.ResidentsPerOffice()) + syntheticTag(ds, data.LayerDistricts)
	case "candidates":
		c := catchment.Candidates(s.Nearest, s.MaxKm)
		names := make([]string, len(c))
		for i, r := range c {
			names[i] = r.Office.Name
		}
		return fmt.Sprintf("%d by %s: %s", len(c), metricPhrase(s.metric()), strings.Join(names, ", "))
	case "stores":
		return fmt.Sprint(len(ds.Stores)) + syntheticTag(ds, data.LayerStores)
	case "gaps":
		if s.Gaps == nil {
			return ""
		}
		n := 0
		for _, g := range s.Gaps {
			if g.Gap {
				n++
			}
		}
		return fmt.Sprint(n) + syntheticTag(ds, data.LayerStores)
	}
	return ""
}

func syntheticTag(ds *data.Dataset, l data.Layer) string {
	if ds.Synthetic[l] {
		return " (synthetic layer)"
	}
	return ""
}

// metricPhrase names a metric in running text.
func metricPhrase(m string) string {
	switch m {
	case "road":
		return "road distance"
	case "time":
		return "road (fastest route)"
	}
	return "straight line"
}

// writeNearestSection writes the nearest ward office of each branch office
// and the distance rule's candidates.
func writeNearestSection(p func(string, ...any), s Report, cands []catchment.NearestRow) {
	p("## Nearest ward office of each branch office\n\n")
	switch s.metric() {
	case "road", "time":
		p("Distances are measured along the road network (%s metric) from the offices' positions. ", s.metric())
		p("The city's published figures are road distances too; the ratio shows how they compare.\n\n")
	default:
		p("Distances are geodesic (straight line on the WGS84 ellipsoid) from the offices' positions. ")
		p("The city's published figures are road distances, so they are longer; the ratio shows by how much.\n\n")
	}
	p("| branch office | nearest ward office | distance km | city's km | ratio | within %g km |\n|---|---|--:|--:|--:|---|\n", s.MaxKm)
	for _, r := range s.Nearest {
		pub, ratio := "", ""
		if r.Office.PublishedKm != nil {
			pub = fmt.Sprintf("%.1f", *r.Office.PublishedKm)
			ratio = fmt.Sprintf("%.2f", *r.Office.PublishedKm/(r.DistanceM/1000))
		}
		within := ""
		if r.Reached() && r.DistanceM <= s.MaxKm*1000 {
			within = "yes"
		}
		if !r.Reached() {
			p("| %s | — | — | %s | | not routed: %s |\n", r.Office.Name, pub, r.Note)
			continue
		}
		p("| %s | %s | %.2f | %s | %s | %s |\n", r.Office.Name, r.Nearest.Name, r.DistanceM/1000, pub, ratio, within)
	}
	var pubCands, both []string
	for _, r := range s.Nearest {
		if r.Office.PublishedKm != nil && *r.Office.PublishedKm <= s.MaxKm {
			pubCands = append(pubCands, r.Office.Name)
			if r.Reached() && r.DistanceM <= s.MaxKm*1000 {
				both = append(both, r.Office.Name)
			}
		}
	}
	p("\nCandidates by %s: %d. ", metricPhrase(s.metric()), len(cands))
	if len(pubCands) > 0 {
		p("Candidates by the city's road distances: %d (%s); %d are candidates under both.", len(pubCands), strings.Join(pubCands, ", "), len(both))
	}
	p("\n\n")
	if s.Straight != nil {
		writeThreeWay(p, s)
	}
}
