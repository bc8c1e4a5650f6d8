package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/locate"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/kumamoto-gis/catchment/render/vector/gpkg"
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
  report.md                        the key figures in a readable summary
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
		noMaps := fs.Bool("no-maps", false, "write no PNG maps or charts")
		format := fs.String("format", "geojson", "layer files: geojson (one .geojson and .qml style per layer) or gpkg (all layers in report.gpkg)")
		if err := parse(fs, args); err != nil {
			return err
		}
		if *maxKm <= 0 {
			return fmt.Errorf("--max-km must be positive, got %g", *maxKm)
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
		if *format != "geojson" && *format != "gpkg" {
			return fmt.Errorf("--format %q: want geojson (a .geojson and a QGIS .qml style per layer) or gpkg (one report.gpkg)", *format)
		}
		s, err := lf.measuredStudy(e, ds, mf, *withinM)
		if err != nil {
			return err
		}
		rep, err := s.Report(*maxKm)
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		doc := render.Report{Study: s, Report: rep}
		files, err := reportFiles(&doc, *format)
		if err != nil {
			return err
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
		whatif := eachSection(s, rep)
		kept, err := keptSection(s, rep)
		if err != nil {
			return err
		}
		if kept != nil && !*noMaps {
			fonts, err := pf.fonts(e, lf.quiet)
			if err != nil {
				return err
			}
			kept.Chart = "chart_optimize.png"
			pics = append(pics, keptPicture(s, kept, fonts, pf))
		}
		drawn, err := drawAll(e, lf.quiet, *out, pics)
		if err != nil {
			return err
		}
		files = append(files, outputFile{name: "report.md", write: func(w io.Writer) error {
			if err := render.WriteReportMarkdown(w, doc); err != nil {
				return err
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
		}})
		// Every file is encoded in memory before the first is written, so
		// that an error leaves the output folder as it was.
		encoded := make([][]byte, len(files))
		for i, f := range files {
			if f.write == nil {
				continue
			}
			var b bytes.Buffer
			if err := f.write(&b); err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
			encoded[i] = b.Bytes()
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
		for i, f := range files {
			path := filepath.Join(*out, f.name)
			if f.writePath != nil {
				if err := f.writePath(path); err != nil {
					return fmt.Errorf("write %s: %w", path, err)
				}
				continue
			}
			if err := atomicfile.WriteFile(path, func(w io.Writer) error {
				_, err := w.Write(encoded[i])
				return err
			}); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
		}
		if err := writeAll(drawn); err != nil {
			return err
		}
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
// names them in doc.Files.
func reportFiles(doc *render.Report, format string) ([]outputFile, error) {
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
	for _, l := range layers {
		style, err := layerQML(l.name, l.fs)
		if err != nil {
			return nil, err
		}
		styled := style != ""
		switch format {
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
	return files, nil
}

// eachSection is the report's what-if section: the impact of closing each
// branch office alone (nil when the report has no ranking).
func eachSection(s *catchment.Study, rep catchment.Report) *render.WhatIfReport {
	if rep.Each == nil {
		return nil
	}
	r := &render.WhatIfReport{Scenario: "closing each branch office alone", Each: rep.Each,
		Description: "The table a planner wants first: every branch office ranked by the impact of closing it alone. Run `catchment whatif --close ID` for one office in detail, or `--scenario FILE` for staged plans."}
	for l, ok := range s.Dataset().Synthetic {
		if ok && l != data.LayerCounts {
			r.Synthetic = append(r.Synthetic, string(l))
		}
	}
	sort.Strings(r.Synthetic)
	return r
}

// keptMost is the number of branch offices up to which the report works
// out the best plan for every K (each proven in milliseconds on such
// studies); larger studies are left to catchment optimize.
const keptMost = 40

// keptSection is the report's section "if K offices were kept": the best
// p-median plan for every K from the ward offices alone to every office,
// wards kept (nil when the study has no ward or branch offices, or too
// many branch offices).
func keptSection(s *catchment.Study, rep catchment.Report) (*render.KeptReport, error) {
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
	if wards == 0 || len(branches) == 0 || len(branches) > keptMost {
		return nil, nil
	}
	pb, err := locate.FromStudy(s, locate.StudyOptions{KeepKind: data.Ward})
	if err != nil {
		return nil, fmt.Errorf("if K offices were kept: %w", err)
	}
	r := &render.KeptReport{KeptKind: "ward offices", Branches: branches, Names: map[string]string{}, RuleKm: rep.MaxKm}
	for _, o := range s.Offices() {
		r.Names[o.ID] = o.Name
	}
	for k := wards; k <= wards+len(branches); k++ {
		sol, err := locate.Solve(context.Background(), pb, locate.Options{Model: locate.PMedian, K: k, TimeLimit: 10 * time.Second})
		if err != nil {
			return nil, fmt.Errorf("if %d offices were kept: %w", k, err)
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
	return r, nil
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
