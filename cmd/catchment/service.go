package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/service"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

func serviceCommand() command {
	c := command{name: "service", summary: "the certificate service model: certificates by channel, costs, counter work and staff per office, the forecast, opening hours"}
	c.usage = `Applies the certificate service model (--model FILE; default: the embedded
model of Kumamoto City's plan, data/kumamoto/service_model.yaml) to the
study's counter counts and to today's network or a scenario (--close,
--downgrade, --scenario FILE, --stage N), per fiscal year:
  - certificates by channel (counters, service corners, stores, post offices)
  - cost per certificate, today's staff (not reorganised) and staff set by
    workload in the network analysed (reorganised)
  - the plan's 350 / 250 / 680 yen reproduced from the model's inputs, with
    the arithmetic and which inputs are the plan's and which assumed
  - each office's counter work after the load shift, and the staff it needs
  - the counter forecast to the model's target year, offices below the
    work-per-staff threshold flagged
  - certificate hours a week within --within-km, and the nearest point open
    at --at (today and after the change)

Tables (--table): plan, inputs, years, offices, forecast, hours. With
--format table and no --table, a summary of them all is printed.
--out DIR writes every table (service_*.csv), service_hours.geojson, the
charts chart_service_cost.png and chart_service_channels.png, the maps
map_service_hours.png and map_service_at.png (with a change that alters some
district's hours or nearest open point, also map_service_hours_after.png and
map_service_at_after.png) and service.md.

Example:
  catchment service
  catchment service --close oe,akitsu --at "Sat 10:00" --out out/service
  catchment service --model my_model.yaml --counts counts.csv --table years --format csv
  catchment service --scenario plan.yaml --table forecast
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.Layers...)
		of := addOutputFlags(fs, "table", "csv", "json")
		sf := addServiceFlags(fs)
		sc := addScenarioFlags(fs)
		maxKm := fs.Float64("max-km", catchment.DefaultMaxKm, "distance rule in km: the forecast marks its candidates")
		table := fs.String("table", "", "table to write: plan|inputs|years|offices|forecast|hours")
		outDir := fs.String("out", "", "write every table, chart, map and service.md to this folder")
		noMaps := fs.Bool("no-maps", false, "with --out: write no PNG charts or maps")
		mf := addMetricFlags(fs)
		pf := addPictureFlags(fs)
		if err := parse(fs, args); err != nil {
			return err
		}
		if err := of.check(); err != nil {
			return err
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if err := sf.check(set); err != nil {
			return err
		}
		if err := positiveFlag("max-km", *maxKm); err != nil {
			return err
		}
		tables := []string{"plan", "inputs", "years", "offices", "forecast", "hours"}
		switch {
		case *table != "" && !contains(tables, *table):
			return fmt.Errorf("--table %q: want one of %s", *table, strings.Join(tables, ", "))
		case *outDir != "" && (of.out != "" || *table != ""):
			return fmt.Errorf("give either --out DIR or --table/-o, not both")
		case *noMaps && *outDir == "":
			return fmt.Errorf("--no-maps goes with --out DIR")
		}
		scen, err := sc.scenario()
		if err != nil {
			return err
		}
		ds, err := lf.load(e)
		if err != nil {
			return err
		}
		if err := require(ds, data.LayerOffices, data.LayerDistricts); err != nil {
			return err
		}
		if err := pf.loadCounts(e, ds, lf.quiet); err != nil {
			return err
		}
		m, err := sf.load(e, ds, set["counts"], lf.quiet)
		if err != nil {
			return err
		}
		s, err := lf.measuredStudy(e, ds, mf, 0)
		if err != nil {
			return err
		}
		run, err := runService(s, m, scen, sc.stage, *maxKm)
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		warn(e, lf.quiet, run.hours.Notes)
		if *outDir != "" {
			return writeServiceDir(e, *outDir, run, pf, *noMaps, lf.quiet)
		}
		return of.write(e, func(w io.Writer) error {
			if *table == "" && of.format == "table" {
				return writeServiceText(w, run)
			}
			name := *table
			if name == "" {
				name = "years"
			}
			return vector.WriteTable(w, of.format, serviceTable(run, name))
		})
	}
	return c
}

// errNoCounts is the service model's error when the study has no counter
// counts.
var errNoCounts = errors.New("the service model needs counter counts: give --counts FILE.csv (office_id,year,count[,certificates,projected]) or name one in the model (counts: FILE)")

// serviceFlags are the flags of the service model.
type serviceFlags struct {
	model    string
	withinKm float64
	at       string
	trend    string
	target   int
}

func addServiceFlags(fs *flag.FlagSet) *serviceFlags {
	sf := &serviceFlags{}
	fs.StringVar(&sf.model, "model", "", "service model file (YAML); default: the embedded model of Kumamoto City's plan")
	fs.Float64Var(&sf.withinKm, "within-km", 0, "opening hours: a certificate point within this many km of a district counts (default: the model's accessibility.within_km)")
	fs.StringVar(&sf.at, "at", "", `opening hours: the time of the week asked about, e.g. "Sat 10:00" (default: the model's accessibility.at)`)
	fs.StringVar(&sf.trend, "trend", "", "forecast trend: flat|linear|exponential (default: the model's forecast.trend)")
	fs.IntVar(&sf.target, "target-year", 0, "forecast target fiscal year (default: the model's forecast.target_year)")
	return sf
}

// check checks the flags that were given.
func (sf *serviceFlags) check(set map[string]bool) error {
	if set["within-km"] && (!(sf.withinKm > 0) || math.IsInf(sf.withinKm, 0)) {
		return fmt.Errorf("--within-km must be a positive number of km, got %g", sf.withinKm)
	}
	if set["at"] {
		if _, err := data.ParseWeekTime(sf.at); err != nil {
			return fmt.Errorf("--at %w", err)
		}
	}
	if set["trend"] {
		switch data.Trend(sf.trend) {
		case data.TrendFlat, data.TrendLinear, data.TrendExponential:
		default:
			return fmt.Errorf("--trend %q: want flat, linear or exponential", sf.trend)
		}
	}
	if set["target-year"] && (sf.target < 1900 || sf.target > 2200) {
		return fmt.Errorf("--target-year %d is not a fiscal year (want e.g. 2025)", sf.target)
	}
	return nil
}

// load reads the model (checked against the offices), applies the flags
// that override it, and reads the counts the model names unless --counts
// was given.
func (sf *serviceFlags) load(e *env, ds *data.Dataset, countsGiven, quiet bool) (*data.ServiceModel, error) {
	var m *data.ServiceModel
	var err error
	if sf.model == "" {
		m, err = data.DefaultServiceModel(ds.Offices)
	} else {
		m, err = data.LoadServiceModel(sf.model, ds.Offices)
	}
	if err != nil {
		return nil, err
	}
	if sf.withinKm > 0 {
		m.Access.WithinKm = data.Figure{Value: sf.withinKm, Source: "--within-km"}
	}
	if sf.at != "" {
		m.Access.At, _ = data.ParseWeekTime(sf.at)
	}
	if sf.trend != "" {
		m.Forecast.Trend = data.Trend(sf.trend)
	}
	if sf.target != 0 {
		if sf.target < m.ReferenceYear {
			return nil, fmt.Errorf("--target-year %d is before the model's reference year %d", sf.target, m.ReferenceYear)
		}
		m.Forecast.TargetYear = sf.target
	}
	if m.CountsFile != "" && !countsGiven {
		path := m.CountsFile
		if !filepath.IsAbs(path) && sf.model != "" {
			path = filepath.Join(filepath.Dir(sf.model), path)
		}
		counts, warns, err := data.LoadCounts(path, ds.Offices)
		for _, w := range warns {
			warn(e, quiet, []string{w.String()})
		}
		if err != nil {
			return nil, fmt.Errorf("the model's counts: %w", err)
		}
		ds.Counts = counts
		if ds.Sources == nil {
			ds.Sources = map[data.Layer]string{}
		}
		ds.Sources[data.LayerCounts] = path
		delete(ds.Synthetic, data.LayerCounts)
	}
	if len(ds.Counts) == 0 {
		return nil, errNoCounts
	}
	return m, nil
}

// scenarioFlags are --close, --downgrade, --scenario and --stage.
type scenarioFlags struct {
	closeIDs, downIDs, path string
	stage                   int
}

func addScenarioFlags(fs *flag.FlagSet) *scenarioFlags {
	sc := &scenarioFlags{}
	fs.StringVar(&sc.closeIDs, "close", "", "ids of offices to close, comma-separated")
	fs.StringVar(&sc.downIDs, "downgrade", "", "ids of offices to downgrade to service corners (certificates only), comma-separated")
	fs.StringVar(&sc.path, "scenario", "", "scenario file (.yaml, .yml or .json), as whatif reads")
	fs.IntVar(&sc.stage, "stage", 0, "the scenario's stage analysed (default: the last)")
	return sc
}

// scenario reads the scenario of the flags (nil: none), before any data
// is loaded, so that a bad file fails fast.
func (sc *scenarioFlags) scenario() (*catchment.Scenario, error) {
	switch {
	case sc.path != "" && (sc.closeIDs != "" || sc.downIDs != ""):
		return nil, fmt.Errorf("give either --scenario or --close/--downgrade, not both")
	case sc.path != "":
		s, err := catchment.LoadScenario(sc.path)
		if err != nil {
			return nil, err
		}
		return &s, nil
	case sc.closeIDs != "" || sc.downIDs != "":
		cl, err := catchment.ParseIDList(sc.closeIDs)
		if err != nil {
			return nil, fmt.Errorf("--close: %w", err)
		}
		dg, err := catchment.ParseIDList(sc.downIDs)
		if err != nil {
			return nil, fmt.Errorf("--downgrade: %w", err)
		}
		name := flagScenarioName(cl, dg)
		return &catchment.Scenario{Name: name, Source: "--close/--downgrade", Stages: []catchment.Stage{{Name: name, Close: cl, Downgrade: dg}}}, nil
	case sc.stage != 0:
		return nil, fmt.Errorf("--stage needs --scenario")
	}
	return nil, nil
}

// serviceRun is the service model applied to one network.
type serviceRun struct {
	study      *catchment.Study
	model      *data.ServiceModel
	analysis   *service.Analysis
	hours      *service.Hours
	limit      string
	candidates map[string]bool
	demo       bool
}

// runService analyses today's network, or the scenario's stage (the last
// when stage is 0), with its opening hours before and after.
func runService(s *catchment.Study, m *data.ServiceModel, sc *catchment.Scenario, stage int, maxKm float64) (*serviceRun, error) {
	ds := s.Dataset()
	var gaps []catchment.GapRow
	var err error
	if len(ds.Stores)+len(ds.Posts) > 0 {
		if gaps, err = s.Gaps(); err != nil {
			return nil, err
		}
	}
	var cmp *catchment.Comparison
	if sc != nil {
		w, err := s.WhatIf()
		if err != nil {
			return nil, err
		}
		stages, err := w.Run(*sc, catchment.CompareOptions{MaxKm: maxKm, Coverage: gaps})
		if err != nil {
			return nil, err
		}
		k := len(stages)
		if stage != 0 {
			if stage < 1 || stage > len(stages) {
				return nil, fmt.Errorf("--stage %d: the scenario has stages 1 to %d", stage, len(stages))
			}
			k = stage
		}
		cmp = &stages[k-1].Comparison
	}
	return analyseService(s, m, cmp, gaps, maxKm)
}

// analyseService runs the model and the opening hours on a comparison (nil:
// today's network).
func analyseService(s *catchment.Study, m *data.ServiceModel, cmp *catchment.Comparison, gaps []catchment.GapRow, maxKm float64) (*serviceRun, error) {
	ds := s.Dataset()
	a, err := service.Analyse(s, m, service.Options{Counts: ds.Counts, Comparison: cmp, Gaps: gaps})
	if err != nil {
		return nil, err
	}
	metric, limit := hoursMetric(s, m.Access.WithinKm.Value)
	h, err := service.HoursAccess(s, m, service.HoursOptions{Metric: metric, Limit: limit, At: m.Access.At, Comparison: cmp, Gaps: gaps})
	if err != nil {
		return nil, err
	}
	run := &serviceRun{study: s, model: m, analysis: a, hours: h, limit: fmt.Sprintf("%g km", m.Access.WithinKm.Value),
		demo: ds.Synthetic[data.LayerCounts], candidates: map[string]bool{}}
	if nearest, err := s.Nearest(data.Branch, data.Ward); err == nil {
		rep := catchment.Report{MaxKm: maxKm, Nearest: nearest, Candidates: catchment.Candidates(nearest, maxKm)}
		ch, _ := planClosures(rep, s)
		for _, id := range ch.Close {
			run.candidates[id] = true
		}
	}
	return run, nil
}

// hoursMetric is the metric of the opening hours and its limit: the
// study's when it measures distance along roads or straight lines, else
// straight lines (a time metric's or a cost matrix's costs do not reach
// stores and post offices in km).
func hoursMetric(s *catchment.Study, km float64) (catchment.Metric, float64) {
	m := s.Metric()
	if _, matrix := m.(*catchment.CostMatrix); matrix || m.Quantity() != catchment.Distance {
		return catchment.Geodesic{}, km * 1000
	}
	return m, km * 1000
}

// serviceTable is one of the service tables by name.
func serviceTable(r *serviceRun, name string) vector.Table {
	switch name {
	case "plan":
		return render.ServicePlanTable(r.analysis)
	case "inputs":
		return render.ServiceInputsTable(r.model)
	case "offices":
		return render.ServiceOfficeTable(r.analysis)
	case "forecast":
		return render.ServiceForecastTable(r.analysis)
	case "hours":
		return render.ServiceHoursTable(r.hours)
	}
	return render.ServiceYearTable(r.analysis)
}

// writeServiceText prints the summary for a terminal.
func writeServiceText(w io.Writer, r *serviceRun) error {
	var b strings.Builder
	a := r.analysis
	network := "today's network"
	if a.Change.Name != "" {
		network = a.Change.Name
	}
	fmt.Fprintf(&b, "Certificate service: %s — model %q (%s)\n", network, r.model.Name, r.model.Source)
	if r.demo {
		fmt.Fprintf(&b, "Counter counts are DEMO figures (not the city's statistics): every volume, cost per year and flag illustrates the method.\n")
	}
	b.WriteString("\nThe plan's unit costs from the model's inputs (--table plan, --table inputs):\n")
	t := render.ServicePlanTable(a)
	for _, row := range t.Rows {
		ok := "reproduced"
		if row[4] != true {
			ok = "NOT reproduced"
		}
		fmt.Fprintf(&b, "  %s: plan about %v yen (%v); model %.1f yen, %s\n    = %s\n", row[0], row[1], row[2], row[3], ok, row[5])
	}
	section := func(title string, t vector.Table) error {
		fmt.Fprintf(&b, "\n%s\n\n", title)
		return t.WriteText(&b)
	}
	years := vector.Table{Columns: []string{"year", "projected", "certificates", "counter", "corner", "store", "post", "staff_today", "staff_needed", "counter_yen_not_reorganised", "counter_yen_reorganised", "store_yen"}}
	for _, y := range a.Years {
		years.Rows = append(years.Rows, []any{y.Year, !y.Recorded, math.Round(y.Demand), math.Round(y.Counter), math.Round(y.Corner), math.Round(y.Store), math.Round(y.Post),
			y.NotReorganised.Staff, y.Reorganised.Staff, yenCell(y.NotReorganised.PerCertificate), yenCell(y.Reorganised.PerCertificate), yenCell(y.StoreCost.PerCertificate)})
	}
	if err := section("Certificates by channel and cost per certificate (yen), per fiscal year (--table years):", years); err != nil {
		return err
	}
	tgt := r.model.Forecast.TargetYear
	fc := vector.Table{Columns: []string{"office_id", "office_name", "status", "recorded_work", "work", "staff", "work_per_staff", "below", "candidate", "work_after"}}
	for _, f := range a.Forecast {
		fc.Rows = append(fc.Rows, []any{f.Office.ID, f.Office.Name, string(f.Status), math.Round(f.Recorded), math.Round(f.Work), f.Staff, math.Round(f.PerStaff), f.Below, r.candidates[f.Office.ID], math.Round(f.WorkAfter)})
	}
	title := fmt.Sprintf("Counter forecast: each office's own work, fiscal %d → %d, %s trend; below %s a staff member (today's staff) flagged; work_after: in the network analysed (--table forecast, --table offices):",
		a.Projection.LastRecorded, tgt, a.Projection.Trend, fmt.Sprintf("%.0f", r.model.Forecast.ThresholdPerStaff.Value))
	if err := section(title, fc); err != nil {
		return err
	}
	h := r.hours
	fmt.Fprintf(&b, "\nOpening hours within %s (--table hours):\n", r.limit)
	states := []*service.HoursState{&h.Before}
	if h.After != nil {
		states = append(states, h.After)
	}
	for _, st := range states {
		count := map[float64]int{}
		var sum, n float64
		for _, d := range st.Districts {
			count[d.HoursPerWeek]++
			if d.Nearest >= 0 {
				sum += d.Population * d.DistanceM
				n += d.Population
			}
		}
		fmt.Fprintf(&b, "  %s: districts by hours a week %s; nearest point open at %s: %.2f km (population-weighted mean)\n", st.Name, hoursCounts(count), h.At, sum/math.Max(n, 1)/1000)
	}
	for _, n := range a.Notes {
		fmt.Fprintf(&b, "\nNote: %s", n)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// hoursCounts lists "115.5 h: 60, 43.75 h: 20, …", most hours first.
func hoursCounts(count map[float64]int) string {
	var hs []float64
	for h := range count {
		hs = append(hs, h)
	}
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && hs[j] > hs[j-1]; j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
	var parts []string
	for _, h := range hs {
		parts = append(parts, fmt.Sprintf("%g h: %d", h, count[h]))
	}
	return strings.Join(parts, ", ")
}

func yenCell(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return math.Round(v*10) / 10
}

// positiveFlag rejects a flag value that is not a positive finite number.
func positiveFlag(name string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return fmt.Errorf("--%s must be a positive number, got %g", name, v)
	}
	return nil
}

// servicePictures are the service charts and maps: the cost and channel
// charts, and the hours and open-at maps today (and after a change).
func servicePictures(r *serviceRun, fonts *draw.Fonts, pf *pictureFlags) []picture {
	ds := r.study.Dataset()
	a, h := r.analysis, r.hours
	copt := draw.ChartOptions{Width: pf.width, Height: pf.width * 5 / 8, DPI: pf.dpi, Fonts: fonts, Source: render.SourceLine(ds) + "; service model: " + r.model.Source}
	mopt := draw.MapOptions{Width: pf.width, DPI: pf.dpi, Fonts: fonts, Projections: &pf.projections}
	demo := ""
	if r.demo {
		demo = " (DEMO counter counts)"
	}
	network := "with today's network and staff, and with the network staffed to its work"
	if a.Change.Name != "" {
		network = "with today's network and staff, and after " + a.Change.Name + " staffed to its work"
	}
	pics := []picture{
		{file: "chart_service_cost.png", caption: "Cost per certificate by fiscal year " + network + ", and at stores; the plan's figures dotted" + demo,
			draw: func() (image.Image, []string, error) {
				return draw.RenderYearLines(render.ServiceCostChart(a, r.demo), copt)
			}},
		{file: "chart_service_channels.png", caption: "Certificates by channel and fiscal year" + demo,
			draw: func() (image.Image, []string, error) {
				return draw.RenderYearBars(render.ServiceChannelChart(a, r.demo), copt)
			}},
	}
	states := []*service.HoursState{&h.Before}
	if n, _ := h.Changed(); n > 0 {
		states = append(states, h.After) // else the same maps again
	}
	for i, st := range states {
		suffix, when := "", "today"
		if i > 0 {
			suffix, when = "_after", "after "+st.Name
		}
		pics = append(pics,
			picture{file: "map_service_hours" + suffix + ".png", caption: fmt.Sprintf("Certificate hours a week within %s, %s", r.limit, when),
				draw: func() (image.Image, []string, error) {
					return draw.RenderValueMap(render.HoursMapData(ds, h, st, r.limit), mopt)
				}},
			picture{file: "map_service_at" + suffix + ".png", caption: fmt.Sprintf("Distance to the nearest certificate point open at %s, %s", h.At, when),
				draw: func() (image.Image, []string, error) {
					return draw.RenderValueMap(render.OpenAtMapData(ds, h, st), mopt)
				}},
		)
	}
	return pics
}

// serviceFiles are the service tables and layer as files.
func serviceFiles(r *serviceRun) []outputFile {
	table := func(t vector.Table) func(io.Writer) error {
		return func(w io.Writer) error { return t.WriteCSV(w) }
	}
	return []outputFile{
		{name: "service_plan.csv", write: table(render.ServicePlanTable(r.analysis))},
		{name: "service_inputs.csv", write: table(render.ServiceInputsTable(r.model))},
		{name: "service_years.csv", write: table(render.ServiceYearTable(r.analysis))},
		{name: "service_offices.csv", write: table(render.ServiceOfficeTable(r.analysis))},
		{name: "service_forecast.csv", write: table(render.ServiceForecastTable(r.analysis))},
		{name: "service_hours.csv", write: table(render.ServiceHoursTable(r.hours))},
		{name: "service_hours.geojson", write: func(w io.Writer) error {
			return vector.WriteGeoJSON(w, "service_hours", render.ServiceHoursFeatures(r.hours))
		}},
	}
}

// serviceTables are the service tables as workbook sheets.
func serviceTables(r *serviceRun) []render.NamedTable {
	return []render.NamedTable{
		render.Named("service_plan", render.ServicePlanTable(r.analysis)),
		render.Named("service_inputs", render.ServiceInputsTable(r.model)),
		render.Named("service_years", render.ServiceYearTable(r.analysis)),
		render.Named("service_offices", render.ServiceOfficeTable(r.analysis)),
		render.Named("service_forecast", render.ServiceForecastTable(r.analysis)),
		render.Named("service_hours", render.ServiceHoursTable(r.hours)),
	}
}

// serviceSection is the service section of a Markdown document.
func serviceSection(r *serviceRun, images []render.ReportImage, files []string) render.ServiceSection {
	return render.ServiceSection{Analysis: r.analysis, Hours: r.hours, Limit: r.limit, Demo: r.demo, Candidates: r.candidates, Images: images, Files: files}
}

// writeServiceDir encodes and draws everything in memory, then writes the
// files, each whole or not at all.
func writeServiceDir(e *env, dir string, r *serviceRun, pf *pictureFlags, noMaps, quiet bool) error {
	files := serviceFiles(r)
	var names []string
	for _, f := range files {
		names = append(names, f.name)
	}
	var pics []picture
	var images []render.ReportImage
	if !noMaps {
		fonts, err := pf.fonts(e, quiet)
		if err != nil {
			return err
		}
		pics = servicePictures(r, fonts, pf)
		for _, p := range pics {
			images = append(images, render.ReportImage{File: p.file, Caption: p.caption})
		}
	}
	files = append(files, outputFile{name: "service.md", write: func(w io.Writer) error {
		if _, err := io.WriteString(w, "# Certificate service report\n\n"); err != nil {
			return err
		}
		return render.WriteServiceMarkdown(w, serviceSection(r, images, names))
	}})
	for i, f := range files {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		encoded := b.Bytes()
		files[i].write = func(w io.Writer) error { _, err := w.Write(encoded); return err }
	}
	drawn, err := drawAll(e, quiet, pics)
	if err != nil {
		return err
	}
	if err := publish(dir, "service", files, drawn); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(e.stderr, "wrote %d files to %s (see %s)\n", len(files)+len(drawn), dir, filepath.Join(dir, "service.md"))
	}
	return nil
}

// reportService is the report's service section: the model (--model, or
// the embedded one) on the study's counts, after closing the plan's
// candidates (as the access section). Without counter counts it returns a
// note saying why the section is left out; a bad model file is an error.
func reportService(e *env, s *catchment.Study, rep catchment.Report, sf *serviceFlags, countsGiven, quiet bool) (*serviceRun, string, error) {
	ds := s.Dataset()
	if len(ds.Counts) == 0 && sf.model == "" {
		return nil, "Left out: the study has no counter counts (give `--counts FILE.csv`, or a service model with `--model FILE` that names its counts).", nil
	}
	m, err := sf.load(e, ds, countsGiven, quiet)
	if err != nil {
		return nil, "", err
	}
	ch, _ := planClosures(rep, s)
	var cmp *catchment.Comparison
	if len(ch.Close) > 0 {
		w, err := s.WhatIf()
		if err != nil {
			return nil, "", err
		}
		c, err := w.Compare(ch, catchment.CompareOptions{MaxKm: rep.MaxKm, Coverage: rep.Gaps})
		if err != nil {
			return nil, "", err
		}
		cmp = &c
	}
	r, err := analyseService(s, m, cmp, rep.Gaps, rep.MaxKm)
	if err != nil {
		return nil, fmt.Sprintf("Left out: %v.", err), nil
	}
	warn(e, quiet, r.hours.Notes)
	return r, "", nil
}
