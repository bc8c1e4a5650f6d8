package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/locate"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/postgis"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/kumamoto-gis/catchment/render/vector/gpkg"
	pgwrite "github.com/kumamoto-gis/catchment/render/vector/postgis"
)

func reportCommand() command {
	c := command{name: "report", summary: "run every analysis and write tables, GeoJSON layers and report.md to --out"}
	c.usage = `Runs nearest, candidates, assign, gaps and catchments and writes to --out:
  nearest.csv, candidates.csv      branch → nearest ward office, and the candidates
  districts.geojson                districts with their office, distance and gap fields
  catchments.geojson               dissolved catchment per office
  catchments_voronoi.geojson       Voronoi catchment per office, clipped to the boundary
  offices.geojson                  offices with nearest ward office and candidate flag
  gaps.geojson                     districts with no convenience store
  service_*.csv, service_hours.geojson  the certificate service model (see
                                   catchment service -h) after closing the
                                   plan's candidates; --model FILE for your own
  report.md                        the key figures in a readable summary
  report.html                      report.md as one page, pictures embedded (prints on A4)
  report.xlsx                      the tables, one sheet each, after an about sheet
CSV files are UTF-8 with a byte-order mark, which Excel reads
(--csv-encoding utf-8 leaves the mark out; shift_jis for older software).
Each file is written whole or not at all.

Example:
  catchment report
  catchment report --data mycity/ --out out/mycity --max-km 4
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.Layers...)
		out := fs.String("out", "out", "output folder")
		maxKm := fs.Float64("max-km", catchment.DefaultMaxKm, "distance rule in km")
		withinM := fs.Float64("within-m", 0, "gaps: count points within this many metres of a district (0: inside only)")
		mf := addMetricFlags(fs)
		pf := addPictureFlags(fs)
		sf := addServiceFlags(fs)
		noMaps := fs.Bool("no-maps", false, "write no PNG maps or charts")
		format := fs.String("format", "geojson", "layers: geojson (one .geojson and .qml style per layer), gpkg (all layers in report.gpkg) or postgis (tables in the database of --pg-out)")
		pgOut := fs.String("pg-out", "", `with --format postgis: the database to write to, "PG:dbname=… host=… user=…" or postgres://… (the password from PGPASSWORD, ~/.pgpass or a service file)`)
		schema := fs.String("schema", "catchment", "with --format postgis: the schema of the tables")
		overwrite := fs.Bool("overwrite", false, "with --format postgis: replace tables that exist")
		rf := addReaderFlags(fs)
		if err := parse(fs, args); err != nil {
			return err
		}
		if err := rf.check(); err != nil {
			return err
		}
		if err := positiveFlag("max-km", *maxKm); err != nil {
			return err
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if err := sf.check(set); err != nil {
			return err
		}
		ph := newPhases(e, lf.quiet, "report")
		ds, err := lf.load(e)
		if err != nil {
			return err
		}
		ph.done("load")
		if err := require(ds, data.LayerOffices, data.LayerDistricts); err != nil {
			return err
		}
		if err := pf.loadCounts(e, ds, lf.quiet); err != nil {
			return err
		}
		switch {
		case *format != "geojson" && *format != "gpkg" && *format != "postgis":
			return fmt.Errorf("--format %q: want geojson (a .geojson and a QGIS .qml style per layer), gpkg (one report.gpkg) or postgis (tables in --pg-out)", *format)
		case *format == "postgis" && *pgOut == "":
			return fmt.Errorf("--format postgis needs --pg-out \"PG:dbname=… host=…\" (or a postgres:// URL)")
		case *format != "postgis" && (*pgOut != "" || *overwrite):
			return fmt.Errorf("--pg-out and --overwrite go with --format postgis")
		}
		s, err := lf.measuredStudy(e, ds, mf, *withinM)
		if err != nil {
			return err
		}
		ph.done("study (metric, population weights)")
		rep, err := s.ReportPhases(*maxKm, ph.done)
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		doc := render.Report{Study: s, Report: rep}
		files, tables, err := reportFiles(&doc, *format)
		if err != nil {
			return err
		}
		if tables != nil {
			doc.Database = (postgis.Reader{}).SourceName(*pgOut)
			for _, l := range tables {
				doc.Tables = append(doc.Tables, *schema+"."+l.Name)
			}
		}
		var pics []picture
		if !*noMaps {
			fonts, err := pf.fonts(e, lf.quiet)
			if err != nil {
				return err
			}
			pics = studyPictures(s, rep.Assignment, rep.Gaps, rep.Nearest, rep.MaxKm, fonts, pf, []string{"catchments", "distance", "gaps", "scatter", "trend"})
			for _, p := range pics {
				doc.Images = append(doc.Images, render.ReportImage{File: p.file, Caption: p.caption})
			}
		}
		access, accessNote, err := reportAccess(s, rep)
		if err != nil {
			return err
		}
		if access != nil {
			files = append(files, outputFile{name: "access.csv", write: func(w io.Writer) error {
				return render.AccessChangeTable(access.Comparison).WriteCSV(w)
			}})
			doc.Files = append(doc.Files, "access.csv")
			if !*noMaps {
				fonts, err := pf.fonts(e, true)
				if err != nil {
					return err
				}
				for _, ap := range accessPictures(s.Dataset(), access, fonts, pf) {
					pics = append(pics, ap)
					access.Images = append(access.Images, render.ReportImage{File: ap.file, Caption: ap.caption})
				}
			}
		}
		svc, svcNote, err := reportService(e, s, rep, sf, set["counts"], lf.quiet)
		if err != nil {
			return err
		}
		var svcSection render.ServiceSection
		if svc != nil {
			sfiles := serviceFiles(svc)
			var names []string
			for _, f := range sfiles {
				names = append(names, f.name)
			}
			files = append(files, sfiles...)
			var images []render.ReportImage
			if !*noMaps {
				fonts, err := pf.fonts(e, true)
				if err != nil {
					return err
				}
				for _, sp := range servicePictures(svc, fonts, pf) {
					pics = append(pics, sp)
					images = append(images, render.ReportImage{File: sp.file, Caption: sp.caption})
				}
			}
			svcSection = serviceSection(svc, images, names)
		}
		whatif := eachSection(s, rep)
		kept, keptSkip, err := keptSection(s, rep)
		if err != nil {
			return err
		}
		if keptSkip != "" {
			doc.Skipped = append(doc.Skipped, keptSkip)
		}
		for _, sk := range doc.Skipped {
			fmt.Fprintf(e.stderr, "skipped: %s\n", sk)
		}
		if kept != nil && !*noMaps {
			fonts, err := pf.fonts(e, lf.quiet)
			if err != nil {
				return err
			}
			kept.Chart = "chart_optimize.png"
			pics = append(pics, keptPicture(s, kept, fonts, pf))
		}
		ph.done("access, service and kept sections")
		drawn, err := drawAll(e, lf.quiet, pics)
		if err != nil {
			return err
		}
		if len(pics) > 0 {
			ph.done("maps and charts")
		}
		// report.html shows report.md: it is written once for both.
		files = append(files, outputFile{name: "report.md", write: onceWriter(func(w io.Writer) error {
			if err := render.WriteReportMarkdown(w, doc); err != nil {
				return err
			}
			switch {
			case access != nil:
				if err := render.WriteAccessMarkdown(w, *access); err != nil {
					return err
				}
			case accessNote != "":
				if _, err := fmt.Fprintf(w, "## Access to counter service\n\n%s\n\n", accessNote); err != nil {
					return err
				}
			}
			switch {
			case svc != nil:
				if err := render.WriteServiceMarkdown(w, svcSection); err != nil {
					return err
				}
			case svcNote != "":
				if _, err := fmt.Fprintf(w, "## Certificate service\n\n%s\n\n", svcNote); err != nil {
					return err
				}
			}
			if whatif != nil {
				if err := render.WriteWhatIfMarkdown(w, *whatif); err != nil {
					return err
				}
			}
			if kept == nil {
				return nil
			}
			return render.WriteKeptMarkdown(w, *kept)
		})})
		doc.Files = append(doc.Files, "report.html", "report.xlsx")
		files = append(files, rf.readerFiles("report", rf.title("catchment report", "窓口配置の分析結果（catchment report）"), s.Dataset(), s.Metric().Name(),
			files[len(files)-1].write, pictureBytes(drawn), reportTables(&doc, access, whatif, svc))...)
		if err := rf.encodeCSVFiles(files); err != nil {
			return err
		}
		// Every file is encoded in memory before the first is written, so
		// that an error leaves the output folder as it was.
		encoded, err := encodeFiles(files)
		if err != nil {
			return err
		}
		ph.done("encode files")
		// The database first, in one transaction: when it fails, no file
		// is written either.
		if tables != nil {
			progress := func(name string, rows int) error {
				if !lf.quiet {
					fmt.Fprintf(e.stderr, "wrote %s.%s (%d rows)\n", *schema, name, rows)
				}
				return nil
			}
			if err := pgwrite.Write(context.Background(), *pgOut, tables, pgwrite.Options{Schema: *schema, Overwrite: *overwrite, OnLayer: progress}); err != nil {
				return err
			}
		}
		for i := range files {
			if files[i].writePath == nil {
				b := encoded[i]
				files[i].write = func(w io.Writer) error { _, err := w.Write(b); return err }
			}
		}
		if err := publish(*out, "report", files, drawn); err != nil {
			return err
		}
		ph.done("write")
		path := filepath.Join(*out, "report.md")
		if !lf.quiet {
			fmt.Fprintf(e.stderr, "wrote %d files to %s (see %s)\n", len(files)+len(pics), *out, path)
		}
		return nil
	}
	return c
}

// outputFile is one file of the report, written by write, or by writePath
// for formats that need a file of their own (GeoPackage, written atomically).
type outputFile struct {
	name      string
	write     func(w io.Writer) error
	writePath func(path string) error
}

// reportFiles lists the report's tables and layers, to be encoded, and
// names them in doc.Files; with the postgis format the layers and tables
// are returned as database tables instead.
func reportFiles(doc *render.Report, format string) ([]outputFile, []pgwrite.Layer, error) {
	rep := doc.Report
	table := func(t vector.Table) func(io.Writer) error {
		return func(w io.Writer) error { return t.WriteCSV(w) }
	}
	layer := func(name string, fs []vector.Feature) func(io.Writer) error {
		return func(w io.Writer) error { return vector.WriteGeoJSON(w, name, fs) }
	}
	metric := doc.Study.Metric().Name()
	files := []outputFile{
		{name: "nearest.csv", write: table(render.NearestTable(rep.Nearest, 0, metric))},
		{name: "candidates.csv", write: table(render.NearestTable(rep.Candidates, rep.MaxKm, metric))},
	}
	layers := []struct {
		name string
		fs   []vector.Feature
	}{
		{"districts", render.DistrictFeatures(rep.Assignment, rep.Gaps)},
		{"catchments", render.CatchmentFeatures(rep.Dissolved)},
		{"catchments_voronoi", render.CatchmentFeatures(rep.Voronoi)},
		{"offices", render.OfficeFeatures(doc.Study.Offices(), rep.Nearest, rep.MaxKm, rep.Assignment)},
	}
	if rep.Gaps != nil {
		layers = append(layers, struct {
			name string
			fs   []vector.Feature
		}{"gaps", render.GapFeatures(rep.Gaps)})
	}
	var layersGPKG []gpkg.Layer
	var tables []pgwrite.Layer
	if format == "postgis" {
		tables = []pgwrite.Layer{
			{Name: "nearest", Features: render.NearestTable(rep.Nearest, 0, metric).Features()},
			{Name: "candidates", Features: render.NearestTable(rep.Candidates, rep.MaxKm, metric).Features()},
		}
		if rep.Each != nil {
			tables = append(tables, pgwrite.Layer{Name: "whatif_each", Features: render.WhatIfEachTable(rep.Each).Features()})
		}
	}
	for _, l := range layers {
		style, err := layerQML(l.name, l.fs, doc.Study.Dataset())
		if err != nil {
			return nil, nil, err
		}
		styled := style != ""
		switch format {
		case "postgis":
			tables = append(tables, pgwrite.Layer{Name: l.name, Features: l.fs, Style: style})
		case "gpkg":
			layersGPKG = append(layersGPKG, gpkg.Layer{Name: l.name, Features: l.fs, Style: style})
		default:
			files = append(files, outputFile{name: l.name + ".geojson", write: layer(l.name, l.fs)})
			if styled {
				files = append(files, outputFile{name: l.name + ".qml", write: func(w io.Writer) error {
					_, err := io.WriteString(w, style)
					return err
				}})
			}
		}
	}
	if layersGPKG != nil {
		files = append([]outputFile{{name: "report.gpkg", writePath: func(path string) error { return gpkg.Write(path, layersGPKG) }}}, files...)
	}
	for _, f := range files {
		doc.Files = append(doc.Files, f.name)
	}
	return files, tables, nil
}

// reportTables is the one list of the report's tables, the sheets of
// report.xlsx in order: a section that adds a table adds it here.
func reportTables(doc *render.Report, access *render.AccessSection, whatif *render.WhatIfReport, svc *serviceRun) []render.NamedTable {
	tables := render.ReportTables(*doc)
	if access != nil {
		tables = append(tables, render.AccessTables(*access)...)
	}
	if whatif != nil {
		tables = append(tables, render.WhatIfTables(nil, nil, whatif.Each)...)
	}
	if svc != nil {
		tables = append(tables, serviceTables(svc)...)
	}
	return tables
}

// eachSection is the report's what-if section: the impact of closing each
// branch office alone (nil when the report has no ranking).
func eachSection(s *catchment.Study, rep catchment.Report) *render.WhatIfReport {
	if rep.Each == nil {
		return nil
	}
	r := &render.WhatIfReport{Scenario: "closing each branch office alone", Each: rep.Each, NoPopulation: !s.HasPopulation(),
		Description: "The table a planner wants first: every branch office ranked by the impact of closing it alone. Run `catchment whatif --close ID` for one office in detail, or `--scenario FILE` for staged plans."}
	for l, ok := range s.Dataset().Synthetic {
		if ok && l != data.LayerCounts {
			r.Synthetic = append(r.Synthetic, string(l))
		}
	}
	sort.Strings(r.Synthetic)
	return r
}

// reportAccess is the report's access section: E2SFCA with PySAL's step
// decay at 5 km (10 min under a time metric), supply counter_count when
// every office has one (else 1 each), with every office open and after
// closing the plan's candidates. When the index cannot be computed (a
// district without population) it returns no section and a note saying
// why.
func reportAccess(s *catchment.Study, rep catchment.Report) (*render.AccessSection, string, error) {
	opt := catchment.AccessOptions{Method: catchment.AccessE2SFCA, Decay: catchment.DecayStep, Catchment: 5000, Supply: catchment.SupplyCounterCount}
	if s.Metric().Quantity() == catchment.Time {
		opt.Catchment = 600
	}
	for _, o := range s.Offices() {
		if o.CounterCount == nil {
			opt.Supply = catchment.SupplyNone
			break
		}
	}
	ch, plan := planClosures(rep, s)
	c, err := s.AccessCompare(ch, opt)
	if err != nil {
		var unknown *catchment.UnknownOfficeError
		if errors.As(err, &unknown) {
			return nil, "", err
		}
		return nil, fmt.Sprintf("Left out: %v.", err), nil
	}
	return &render.AccessSection{Comparison: c, Plan: plan}, "", nil
}

// planClosures are the branch offices the plan's distance rule marks: by
// the city's published road distances when every branch office has one
// (the plan's own list), else the report's candidates under the study's
// metric. The change is empty when none is marked.
func planClosures(rep catchment.Report, s *catchment.Study) (catchment.Change, string) {
	ch := catchment.Change{Name: "no closures"}
	published := len(rep.Nearest) > 0
	for _, r := range rep.Nearest {
		published = published && r.Office.PublishedKm != nil
	}
	how := metricName(s)
	if published {
		how = "the city's published road distances"
		for _, r := range rep.Nearest {
			if *r.Office.PublishedKm <= rep.MaxKm {
				ch.Close = append(ch.Close, r.Office.ID)
			}
		}
	} else {
		for _, c := range rep.Candidates {
			ch.Close = append(ch.Close, c.Office.ID)
		}
	}
	if len(ch.Close) == 0 {
		return ch, ""
	}
	ch.Name = fmt.Sprintf("closing the %d candidates", len(ch.Close))
	return ch, fmt.Sprintf("the %d branch offices within %g km of a ward office by %s", len(ch.Close), rep.MaxKm, how)
}

// metricName names the study's metric in running text.
func metricName(s *catchment.Study) string {
	if n := s.Metric().Name(); n != "geodesic" {
		return n + " metric"
	}
	return "straight line"
}

// accessPictures are the report's access maps: the index with every
// office open and, when the plan closes offices, its change.
func accessPictures(ds *data.Dataset, sec *render.AccessSection, fonts *draw.Fonts, pf *pictureFlags) []picture {
	mopt := draw.MapOptions{Width: pf.width, DPI: pf.dpi, Fonts: fonts, Projections: &pf.projections}
	c := sec.Comparison
	pics := []picture{{file: "map_access.png", caption: "Access to counter service by district, every office open (" + c.Before.Options.Describe(c.Before.Quantity) + ")",
		draw: func() (image.Image, []string, error) {
			return draw.RenderValueMap(render.AccessMapData(ds, c.Before, false), mopt)
		}}}
	if len(c.Change.Close) > 0 {
		pics = append(pics, picture{file: "map_access_change.png", caption: "Change of access after " + c.Change.Name + " (today's population-weighted mean = 1)",
			draw: func() (image.Image, []string, error) {
				return draw.RenderValueMap(render.AccessChangeMapData(ds, c, true), mopt)
			}})
	}
	return pics
}

// keptMost is the number of branch offices up to which the report works
// out the best plan for every K (each proven in milliseconds on such
// studies); larger studies are left to catchment optimize.
const keptMost = 40

// keptSection is the report's section "if K offices were kept": the best
// p-median plan for every K from the ward offices alone to every office,
// wards kept; nil, with the reason, when the study has no ward or branch
// offices, or too many branch offices.
func keptSection(s *catchment.Study, rep catchment.Report) (*render.KeptReport, string, error) {
	var wards int
	var branches []string
	for _, o := range s.Offices() {
		switch o.Kind {
		case data.Ward:
			wards++
		case data.Branch:
			branches = append(branches, o.ID)
		}
	}
	const what = "the best plans if K offices were kept: "
	switch {
	case wards == 0:
		return nil, what + "the study has no ward office to keep", nil
	case len(branches) == 0:
		return nil, what + "the study has no branch office to close", nil
	case len(branches) > keptMost:
		return nil, fmt.Sprintf("%s%d branch offices are more than the report works through (%d); run catchment optimize", what, len(branches), keptMost), nil
	}
	pb, err := locate.FromStudy(s, locate.StudyOptions{KeepKind: data.Ward})
	if err != nil {
		return nil, "", fmt.Errorf("if K offices were kept: %w", err)
	}
	r := &render.KeptReport{KeptKind: "ward offices", Branches: branches, Names: map[string]string{}, RuleKm: rep.MaxKm}
	for _, o := range s.Offices() {
		r.Names[o.ID] = o.Name
	}
	for k := wards; k <= wards+len(branches); k++ {
		sol, err := locate.Solve(context.Background(), pb, locate.Options{Model: locate.PMedian, K: k, TimeLimit: 10 * time.Second})
		if err != nil {
			return nil, "", fmt.Errorf("if %d offices were kept: %w", k, err)
		}
		r.Plans = append(r.Plans, render.PlanOf(pb, sol, s.Metric().Quantity(), s.Metric().Name()))
	}
	r.RuleClosed, r.RuleMeanM = ruleOutcome(s, rep.MaxKm)
	for l, ok := range s.Dataset().Synthetic {
		if ok && (l == data.LayerDistricts || l == data.LayerPopulation) {
			r.Synthetic = append(r.Synthetic, string(l))
		}
	}
	sort.Strings(r.Synthetic)
	return r, "", nil
}

// keptPicture draws the section's curve, with the distance rule's plan.
func keptPicture(s *catchment.Study, r *render.KeptReport, fonts *draw.Fonts, pf *pictureFlags) picture {
	names, namesEn := map[string]string{}, map[string]string{}
	for _, o := range s.Offices() {
		names[o.ID], namesEn[o.ID] = o.Name, o.NameEn
	}
	return picture{file: r.Chart, caption: "Best plans by the number of offices kept (p-median, ward offices kept)", draw: func() (image.Image, []string, error) {
		pts, text := render.CurveChart(r.Plans, names, namesEn)
		var marks []draw.CurveMark
		if s.Metric().Quantity() == catchment.Distance {
			if m, ok := ruleMark(s, r.RuleKm); ok {
				marks = append(marks, m)
			}
		}
		source := strings.TrimSpace(render.SourceLine(s.Dataset()) + "; ward offices kept in every plan.")
		img, w, err := draw.RenderCurve(pts, marks, text, draw.ChartOptions{Width: pf.width, Height: pf.width * 5 / 8, DPI: pf.dpi, Fonts: fonts, Source: source})
		if err != nil {
			return nil, w, fmt.Errorf("curve chart: %w", err)
		}
		return img, w, nil
	}}
}

// encodeFiles encodes every file that has a write function into memory,
// on every core. The list ends with the workbook and the HTML report, the
// slowest, so it is worked from the end; an error names the first failing
// file in the list's order.
func encodeFiles(files []outputFile) ([][]byte, error) {
	encoded := make([][]byte, len(files))
	errs := make([]error, len(files))
	var order []int
	for i := len(files) - 1; i >= 0; i-- {
		if files[i].write != nil {
			order = append(order, i)
		}
	}
	onEveryCore(order, func(i int) {
		var b bytes.Buffer
		if err := files[i].write(&b); err != nil {
			errs[i] = fmt.Errorf("%s: %w", files[i].name, err)
			return
		}
		encoded[i] = b.Bytes()
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return encoded, nil
}

// onceWriter returns a write function that runs write the first time it
// is called and writes the same bytes every time (safe from several
// goroutines at once).
func onceWriter(write func(io.Writer) error) func(io.Writer) error {
	var once sync.Once
	var b []byte
	var err error
	return func(w io.Writer) error {
		once.Do(func() {
			var buf bytes.Buffer
			err = write(&buf)
			b = buf.Bytes()
		})
		if err != nil {
			return err
		}
		_, werr := w.Write(b)
		return werr
	}
}
