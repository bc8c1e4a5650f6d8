package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/service"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

func whatifCommand() command {
	c := command{name: "whatif", summary: "close or downgrade offices and compare with today (--close, --downgrade, --scenario, --each)"}
	c.usage = `Compares the baseline (every office open) with a scenario: offices closed,
downgraded to service corners (証明書発行のみ: certificates only) or opened.
A district goes to its nearest office with full counter service; for
certificates, to its nearest office not closed (service corners count) or a
store or post office in the district. A closed office's counter_count is
shared out to the offices that take over its districts, in proportion to the
population each takes (a corner keeps --certificate-share of it).

A scenario file (YAML or JSON) has a name, options and stages applied in
order; each stage is compared with the baseline:
  name: staged plan
  options: {max_km: 5, certificate_share: 0.4}
  stages:
    - name: 2026 corners
      downgrade: [oe, akitsu]
    - name: 2028 closures
      close: [oe, akitsu]
      open: [{id: new1, name: 新出張所, lat: 32.80, lon: 130.79}]
Options in the file apply unless the flag is given.

--each closes every branch office alone and ranks them, least impact
(added person-km = residents × added distance) first.

With --metric road or time and --network FILE (an OpenStreetMap extract) the
baseline and every stage are routed on the road network (one multi-source
search from the open offices per stage): distance_m is the route length
(for time, the length of the fastest route) and time_s columns follow.
Districts and offices farther than --max-snap-m from any road are not routed:
they are named in warnings, such districts are listed with a note, counted in
the totals and left out of every distance figure.

Tables (--table): summary (one row per stage), districts (moved districts;
--all for every district), offices, each. With --format table and no --table,
the summary, offices and moved districts are printed together.
--out DIR writes everything instead: whatif_summary.csv, whatif_districts.csv,
whatif_offices.csv, whatif.geojson, whatif_offices.geojson, whatif_each.csv
(with --each), whatif.md (the report section), whatif.html (it as one page)
and whatif.xlsx (the tables); with --maps also whatif_before.png and
whatif_after.png, embedded in whatif.html. --format xlsx -o FILE.xlsx writes
the tables (--table picks one) as a workbook.

With counter counts (the embedded DEMO series, or --counts FILE) the
certificate service model (--model FILE; default the embedded model of the
plan) runs on the stage shown: the text output ends with its staff and cost
per certificate, and --out adds the service_*.csv tables and its section in
whatif.md (--maps: its charts and maps). See catchment service -h.

Example:
  catchment whatif --close oe
  catchment whatif --downgrade oe,akitsu --format csv --table offices
  catchment whatif --scenario plan.yaml --out out/plan --maps
  catchment whatif --each
  catchment whatif --close oe --metric time --network chuo.json --profile car
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.Layers...)
		of := addOutputFlags(fs, "table", "csv", "json", "geojson")
		closeIDs := fs.String("close", "", "ids of offices to close, comma-separated")
		downIDs := fs.String("downgrade", "", "ids of offices to downgrade to service corners (certificates only), comma-separated")
		scenarioPath := fs.String("scenario", "", "scenario file (.yaml, .yml or .json) with stages")
		each := fs.Bool("each", false, "rank every branch office by the impact of closing it alone")
		maxKm := fs.Float64("max-km", catchment.DefaultMaxKm, "count districts farther than this from full counter service (km)")
		share := fs.Float64("certificate-share", 0, "fraction (0..1) of a service corner's counter_count it keeps for certificates")
		withinM := fs.Float64("within-m", 0, "stores and post offices within this many metres of a district cover it (0: inside only)")
		table := fs.String("table", "", "table to write: summary|districts|offices|each")
		all := fs.Bool("all", false, "districts table: list every district, not only those that move")
		stage := fs.Int("stage", 0, "stage whose districts and offices are shown (default: the last)")
		outDir := fs.String("out", "", "write every what-if file to this folder")
		maps := fs.Bool("maps", false, "with --out: also draw whatif_before.png and whatif_after.png (and the service charts and maps)")
		mf := addMetricFlags(fs)
		sf := addServiceFlags(fs)
		cf := &pictureFlags{width: 1600}
		fs.StringVar(&cf.counts, "counts", "", "CSV of counter transactions per office and year, for the certificate service section")
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
		switch {
		case *scenarioPath != "" && (*closeIDs != "" || *downIDs != ""):
			return fmt.Errorf("give either --scenario or --close/--downgrade, not both")
		case *scenarioPath == "" && *closeIDs == "" && *downIDs == "" && !*each:
			return fmt.Errorf("nothing to compare: give --close, --downgrade, --scenario or --each")
		case *outDir != "" && of.out != "":
			return fmt.Errorf("give either --out DIR or -o FILE, not both")
		case *maps && *outDir == "":
			return fmt.Errorf("--maps needs --out DIR")
		}

		// The scenario, before any data is loaded: a bad file fails fast.
		var sc *catchment.Scenario
		if *scenarioPath != "" {
			s, err := catchment.LoadScenario(*scenarioPath)
			if err != nil {
				return err
			}
			sc = &s
		} else if *closeIDs != "" || *downIDs != "" {
			cl, err := catchment.ParseIDList(*closeIDs)
			if err != nil {
				return fmt.Errorf("--close: %w", err)
			}
			dg, err := catchment.ParseIDList(*downIDs)
			if err != nil {
				return fmt.Errorf("--downgrade: %w", err)
			}
			sc = &catchment.Scenario{Name: flagScenarioName(cl, dg), Source: "--close/--downgrade",
				Stages: []catchment.Stage{{Name: flagScenarioName(cl, dg), Close: cl, Downgrade: dg}}}
		}
		if sc != nil {
			if v := sc.Options.MaxKm; v != nil && !set["max-km"] {
				*maxKm = *v
			}
			if v := sc.Options.CertificateShare; v != nil && !set["certificate-share"] {
				*share = *v
			}
			if v := sc.Options.WithinM; v != nil && !set["within-m"] {
				*withinM = *v
			}
		}
		switch {
		case *maxKm < 0:
			return fmt.Errorf("--max-km must be positive (or 0 for none), got %g", *maxKm)
		case *share < 0 || *share > 1:
			return fmt.Errorf("--certificate-share must be between 0 and 1, got %g", *share)
		case *withinM < 0:
			return fmt.Errorf("--within-m must not be negative, got %g", *withinM)
		}
		tables := []string{"summary", "districts", "offices", "each"}
		if *table != "" && !contains(tables, *table) {
			return fmt.Errorf("--table %q: want one of %s", *table, strings.Join(tables, ", "))
		}
		if sc == nil && *table != "" && *table != "each" {
			return fmt.Errorf("--table %s needs a scenario (--close, --downgrade or --scenario)", *table)
		}
		if *table == "each" && !*each {
			return fmt.Errorf("--table each needs --each")
		}
		spatial := of.format == "geojson" || of.format == "gpkg" || of.format == "csvwkt"
		if spatial && sc == nil {
			return fmt.Errorf("--format %s needs a scenario (--close, --downgrade or --scenario)", of.format)
		}
		if spatial && *table != "" {
			return fmt.Errorf("--table goes with --format table, csv or json; --format %s writes the districts of the scenario as a layer", of.format)
		}

		ds, err := lf.load(e)
		if err != nil {
			return err
		}
		if err := require(ds, data.LayerOffices, data.LayerDistricts); err != nil {
			return err
		}
		of.dataset = ds
		if err := cf.loadCounts(e, ds, lf.quiet); err != nil {
			return err
		}
		s, err := lf.measuredStudy(e, ds, mf, *withinM)
		if err != nil {
			return err
		}
		var gaps []catchment.GapRow
		if len(ds.Stores)+len(ds.Posts) > 0 {
			if gaps, err = s.Gaps(); err != nil {
				return err
			}
		}
		w, err := s.WhatIf()
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		opt := catchment.CompareOptions{MaxKm: *maxKm, CertificateShare: *share, Coverage: gaps}
		var stages []catchment.StageComparison
		if sc != nil {
			if stages, err = w.Run(*sc, opt); err != nil {
				return err
			}
			seen := map[string]bool{}
			for _, st := range stages {
				for _, wn := range st.Outcome.Warnings {
					if !seen[wn.String()] {
						seen[wn.String()] = true
						printWarnings(e, lf.quiet, []data.Warning{wn})
					}
				}
			}
		}
		var impacts []catchment.Impact
		if *each {
			if impacts, err = w.Each(data.Branch, opt); err != nil {
				return err
			}
		}
		var shown catchment.StageComparison
		if len(stages) > 0 {
			k := len(stages)
			if *stage != 0 {
				if *stage < 1 || *stage > len(stages) {
					return fmt.Errorf("--stage %d: the scenario has stages 1 to %d", *stage, len(stages))
				}
				k = *stage
			}
			shown = stages[k-1]
		}

		// The certificate service model on the stage shown, when the study
		// has counter counts (or the model names some).
		var svc *serviceRun
		if sc != nil && (len(ds.Counts) > 0 || sf.model != "") {
			m, err := sf.load(e, ds, set["counts"], lf.quiet)
			if err != nil {
				return err
			}
			if svc, err = analyseService(s, m, &shown.Comparison, gaps, *maxKm); err != nil {
				return err
			}
		}
		if *outDir != "" {
			return writeWhatIfDir(e, *outDir, s, sc, stages, shown, impacts, gaps, *maps, of.readerFlags, lf.quiet, svc, cf)
		}
		if of.format == "xlsx" {
			return of.writeWorkbook(e, whatIfSheets(stages, shown, sc != nil, impacts, *table)...)
		}
		if spatial {
			return of.emit(e, vector.Table{}, "whatif", func() []vector.Feature { return render.WhatIfFeatures(shown.Comparison) })
		}
		return of.write(e, func(out io.Writer) error {
			switch {
			case *table == "" && of.format == "table":
				if err := writeWhatIfText(out, sc, stages, shown, ds, impacts, *all); err != nil {
					return err
				}
				if svc != nil {
					// Today's network in the same year, so that the change is
					// not credited with the fall in volume.
					base, err := service.Analyse(s, svc.model, service.Options{Counts: ds.Counts, Gaps: gaps})
					if err != nil {
						return err
					}
					_, err = fmt.Fprintf(out, "\n%s\n", render.WhatIfServiceText(svc.analysis, base, svc.demo))
					return err
				}
				return nil
			}
			name := *table
			if name == "" {
				name = "summary"
				if sc == nil {
					name = "each"
				}
			}
			var t vector.Table
			switch name {
			case "summary":
				t = render.WhatIfSummaryTable(stages)
			case "districts":
				t = render.WhatIfDistrictTable(shown.Comparison, !*all)
			case "offices":
				t = render.WhatIfOfficeTable(shown.Comparison)
			case "each":
				t = render.WhatIfEachTable(impacts)
			}
			return vector.WriteTable(out, of.format, t)
		})
	}
	return c
}

// whatIfSheets are the tables of a what-if workbook: with a scenario its
// summary, every district and the offices of the stage shown, and with
// --each the ranking; --table picks one.
func whatIfSheets(stages []catchment.StageComparison, shown catchment.StageComparison, scenario bool, impacts []catchment.Impact, table string) []render.NamedTable {
	var c *catchment.Comparison
	if scenario {
		c = &shown.Comparison
	}
	tables := render.WhatIfTables(stages, c, impacts)
	if table == "" {
		return tables
	}
	for _, t := range tables {
		if t.Name == "whatif_"+table {
			return []render.NamedTable{t}
		}
	}
	return nil
}

// flagScenarioName names the scenario of --close/--downgrade.
func flagScenarioName(closeIDs, downIDs []string) string {
	var parts []string
	if len(closeIDs) > 0 {
		parts = append(parts, "close "+strings.Join(closeIDs, ", "))
	}
	if len(downIDs) > 0 {
		parts = append(parts, "downgrade "+strings.Join(downIDs, ", "))
	}
	return strings.Join(parts, "; ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// writeWhatIfText prints the summary, offices and moved districts for a
// terminal, and the ranking with --each.
func writeWhatIfText(w io.Writer, sc *catchment.Scenario, stages []catchment.StageComparison, shown catchment.StageComparison, ds *data.Dataset, impacts []catchment.Impact, all bool) error {
	var b strings.Builder
	section := func(title string, t vector.Table) error {
		fmt.Fprintf(&b, "%s\n\n", title)
		if err := t.WriteText(&b); err != nil {
			return err
		}
		b.WriteString("\n")
		return nil
	}
	if sc != nil {
		fmt.Fprintf(&b, "What if: %s — each stage compared with every office open.\n", sc.Name)
		for _, st := range stages {
			fmt.Fprintf(&b, "  stage %d: %s\n", st.Stage, st.Outcome.Change.Name)
		}
		b.WriteString("\n")
		if err := section("Summary", render.WhatIfSummaryFigures(stages)); err != nil {
			return err
		}
		label := fmt.Sprintf("stage %d (%s)", shown.Stage, shown.Outcome.Change.Name)
		if err := section("Offices after "+label, render.WhatIfOfficeTable(shown.Comparison)); err != nil {
			return err
		}
		title := "Districts that move, " + label
		if all {
			title = "Districts, " + label
		}
		if err := section(title, render.WhatIfDistrictTable(shown.Comparison, !all)); err != nil {
			return err
		}
		fmt.Fprintf(&b, "Counter load: %s\n\n", catchment.CounterRule)
	}
	if impacts != nil {
		if err := section("Closing each branch office alone, least impact (added person-km) first", render.WhatIfEachTable(impacts)); err != nil {
			return err
		}
	}
	if synth := syntheticLayers(ds); len(synth) > 0 {
		fmt.Fprintf(&b, "Note: %s are SYNTHETIC demo layers; populations and coverage are not real.\n", strings.Join(synth, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// syntheticLayers lists the dataset's synthetic layers, sorted.
func syntheticLayers(ds *data.Dataset) []string {
	var out []string
	for l, ok := range ds.Synthetic {
		if ok {
			out = append(out, string(l))
		}
	}
	sort.Strings(out)
	return out
}

// writeWhatIfDir renders every output first, then writes the files, each
// whole or not at all.
func writeWhatIfDir(e *env, dir string, s *catchment.Study, sc *catchment.Scenario, stages []catchment.StageComparison, shown catchment.StageComparison, impacts []catchment.Impact, gaps []catchment.GapRow, maps bool, rf *readerFlags, quiet bool, svc *serviceRun, pf *pictureFlags) error {
	ds := s.Dataset()
	var files []outputFile
	table := func(t vector.Table) func(io.Writer) error {
		return func(w io.Writer) error { return t.WriteCSV(w) }
	}
	layer := func(name string, fs []vector.Feature) func(io.Writer) error {
		return func(w io.Writer) error { return vector.WriteGeoJSON(w, name, fs) }
	}
	// styled adds a layer's GeoJSON and its QGIS style.
	styled := func(name string, fs []vector.Feature) ([]outputFile, error) {
		out := []outputFile{{name: name + ".geojson", write: layer(name, fs)}}
		qml, err := layerQML(name, fs, ds)
		if err != nil || qml == "" {
			return out, err
		}
		return append(out, outputFile{name: name + ".qml", write: func(w io.Writer) error { _, err := io.WriteString(w, qml); return err }}), nil
	}
	rep := render.WhatIfReport{Stages: stages, Each: impacts, Synthetic: syntheticLayers(ds)}
	if sc != nil {
		rep.Scenario, rep.Description = sc.Name, sc.Description
		files = append(files,
			outputFile{name: "whatif_summary.csv", write: table(render.WhatIfSummaryTable(stages))},
			outputFile{name: "whatif_districts.csv", write: table(render.WhatIfDistrictTable(shown.Comparison, false))},
			outputFile{name: "whatif_offices.csv", write: table(render.WhatIfOfficeTable(shown.Comparison))},
		)
		for _, l := range []struct {
			name string
			fs   []vector.Feature
		}{{"whatif", render.WhatIfFeatures(shown.Comparison)}, {"whatif_offices", render.WhatIfOfficeFeatures(shown.Comparison)}} {
			fs, err := styled(l.name, l.fs)
			if err != nil {
				return err
			}
			files = append(files, fs...)
		}
	} else {
		rep.Scenario = "closing each branch office alone"
	}
	if impacts != nil {
		files = append(files, outputFile{name: "whatif_each.csv", write: table(render.WhatIfEachTable(impacts))})
	}
	var pics []picture
	if maps && sc != nil {
		source := render.SourceLine(ds)
		before, after := render.WhatIfMaps(ds, shown.Comparison, gaps, source)
		for _, m := range []struct {
			name, caption string
			md            draw.MapData
		}{
			{"whatif_before.png", "Distance to full counter service, every office open", before},
			{"whatif_after.png", "Distance to full counter service after " + shown.Outcome.Change.Name, after},
		} {
			pics = append(pics, picture{file: m.name, caption: m.caption, draw: func() (image.Image, []string, error) {
				img, warns, err := draw.RenderMap(draw.MapDistance, m.md, draw.MapOptions{})
				if err != nil {
					return nil, warns, fmt.Errorf("map %s: %w", m.name, err)
				}
				for i, w := range warns {
					warns[i] = m.name + ": " + w
				}
				return img, warns, nil
			}})
			rep.Images = append(rep.Images, render.ReportImage{File: m.name, Caption: m.caption})
		}
	}
	var svcSection render.ServiceSection
	if svc != nil {
		sfiles := serviceFiles(svc)
		var names []string
		for _, f := range sfiles {
			names = append(names, f.name)
		}
		files = append(files, sfiles...)
		var svcImages []render.ReportImage
		if maps {
			fonts, err := pf.fonts(e, true)
			if err != nil {
				return err
			}
			for _, p := range servicePictures(svc, fonts, pf) {
				pics = append(pics, p)
				svcImages = append(svcImages, render.ReportImage{File: p.file, Caption: p.caption})
			}
		}
		svcSection = serviceSection(svc, svcImages, names)
	}
	images, err := drawAll(e, quiet, pics)
	if err != nil {
		return err
	}
	for _, f := range files {
		rep.Files = append(rep.Files, f.name)
	}
	rep.Files = append(rep.Files, "whatif.html", "whatif.xlsx")
	markdown := func(w io.Writer) error {
		if _, err := io.WriteString(w, "# What-if report\n\n"); err != nil {
			return err
		}
		if err := render.WriteWhatIfMarkdown(w, rep); err != nil {
			return err
		}
		if svc == nil {
			return nil
		}
		return render.WriteServiceMarkdown(w, svcSection)
	}
	var shownComparison *catchment.Comparison
	if sc != nil {
		shownComparison = &shown.Comparison
	}
	files = append(files, outputFile{name: "whatif.md", write: markdown})
	files = append(files, rf.readerFiles("whatif", rf.title("catchment whatif: ", "再編案の比較（catchment whatif）: ")+rep.Scenario, ds, s.Metric().Name(),
		markdown, pictureBytes(images), whatIfDirTables(stages, shownComparison, impacts, svc))...)
	if err := rf.encodeCSVFiles(files); err != nil {
		return err
	}
	// Everything is encoded before the first file is written.
	for i, f := range files {
		if f.write == nil {
			continue
		}
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		encoded := b.Bytes()
		files[i].write = func(w io.Writer) error { _, err := w.Write(encoded); return err }
	}
	if err := publish(dir, "whatif", files, images); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(e.stderr, "wrote %d files to %s (see %s)\n", len(files)+len(images), dir, filepath.Join(dir, "whatif.md"))
	}
	return nil
}

// whatIfDirTables are the sheets of whatif.xlsx: the what-if tables, then
// the service model's when it ran.
func whatIfDirTables(stages []catchment.StageComparison, shown *catchment.Comparison, impacts []catchment.Impact, svc *serviceRun) []render.NamedTable {
	tables := render.WhatIfTables(stages, shown, impacts)
	if svc != nil {
		tables = append(tables, serviceTables(svc)...)
	}
	return tables
}
