package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/render"
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
		m, err := mf.measure(e, lf.quiet)
		if err != nil {
			return err
		}
		if *format != "geojson" && *format != "gpkg" {
			return fmt.Errorf("--format %q: want geojson (a .geojson and a QGIS .qml style per layer) or gpkg (one report.gpkg)", *format)
		}
		st, files, warns, err := buildReport(ds, *maxKm, *withinM, m, *format)
		warn(e, lf.quiet, warns)
		if err != nil {
			return err
		}
		var pics []picture
		if !*noMaps {
			fonts, err := pf.fonts(e, lf.quiet)
			if err != nil {
				return err
			}
			pics = studyPictures(ds, st, st.Gaps, fonts, pf, []string{"catchments", "distance", "gaps", "scatter", "trend"})
			for _, p := range pics {
				st.Images = append(st.Images, render.ReportImage{File: p.file, Caption: p.caption})
			}
		}
		whatif, err := eachSection(ds, st)
		if err != nil {
			return err
		}
		drawn, err := drawAll(e, lf.quiet, *out, pics)
		if err != nil {
			return err
		}
		files = append(files, outputFile{name: "report.md", write: func(w io.Writer) error {
			if err := render.WriteReportMarkdown(w, st); err != nil {
				return err
			}
			if whatif == nil {
				return nil
			}
			return render.WriteWhatIfMarkdown(w, *whatif)
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

// buildReport runs every analysis before anything is written, so that an
// error leaves the output folder as it was.
func buildReport(ds *data.Dataset, maxKm, withinM float64, m catchment.Measure, format string) (render.Study, []outputFile, []string, error) {
	st := render.Study{Data: ds, MaxKm: maxKm, Metric: m.Metric()}
	var err error
	var warns, w []string
	st.Nearest, w, err = catchment.NearestOfficesBy(ds.Offices, data.Branch, data.Ward, nil, m)
	warns = append(warns, w...)
	if err != nil {
		return st, nil, warns, err
	}
	st.Assignment, w, err = catchment.AssignBy(ds.Districts, ds.Offices, ds.DistrictPoints, nil, m)
	warns = append(warns, w...)
	if err != nil {
		return st, nil, warns, err
	}
	if len(ds.Stores) > 0 {
		if st.Gaps, err = catchment.Gaps(ds.Districts, ds.Stores, ds.Posts, withinM); err != nil {
			return st, nil, warns, err
		}
	}
	if st.Catchments, err = catchment.DissolveCatchments(ds.Districts, ds.Offices, st.Assignment); err != nil {
		return st, nil, warns, err
	}
	voronoi, err := catchment.VoronoiCatchments(ds.Districts, ds.Offices, ds.Boundary, st.Assignment)
	if err != nil {
		return st, nil, warns, err
	}
	table := func(t vector.Table) func(io.Writer) error {
		return func(w io.Writer) error { return t.WriteCSV(w) }
	}
	layer := func(name string, fs []vector.Feature) func(io.Writer) error {
		return func(w io.Writer) error { return vector.WriteGeoJSON(w, name, fs) }
	}
	files := []outputFile{
		{name: "nearest.csv", write: table(render.NearestTable(st.Nearest, 0, st.Metric))},
		{name: "candidates.csv", write: table(render.NearestTable(catchment.Candidates(st.Nearest, maxKm), maxKm, st.Metric))},
	}
	layers := []struct {
		name string
		fs   []vector.Feature
	}{
		{"districts", render.DistrictFeatures(ds.Districts, ds.Offices, st.Assignment, st.Gaps)},
		{"catchments", render.CatchmentFeatures(ds.Offices, st.Catchments)},
		{"catchments_voronoi", render.CatchmentFeatures(ds.Offices, voronoi)},
		{"offices", render.OfficeFeatures(ds.Offices, st.Nearest, maxKm, st.Assignment)},
	}
	if st.Gaps != nil {
		layers = append(layers, struct {
			name string
			fs   []vector.Feature
		}{"gaps", render.GapFeatures(ds.Districts, st.Gaps)})
	}
	var gpkgLayers []gpkg.Layer
	for _, l := range layers {
		style, err := layerQML(l.name, l.fs)
		if err != nil {
			return st, nil, warns, err
		}
		styled := style != ""
		switch format {
		case "gpkg":
			gpkgLayers = append(gpkgLayers, gpkg.Layer{Name: l.name, Features: l.fs, Style: style})
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
	if gpkgLayers != nil {
		files = append([]outputFile{{name: "report.gpkg", writePath: func(path string) error { return gpkg.Write(path, gpkgLayers) }}}, files...)
	}
	for _, f := range files {
		st.Files = append(st.Files, f.name)
	}
	return st, files, warns, nil
}

// eachSection is the report's what-if section: the impact of closing each
// branch office alone (geodesic; nil when there are no branch offices).
func eachSection(ds *data.Dataset, st render.Study) (*render.WhatIfReport, error) {
	hasBranch := false
	for _, o := range ds.Offices {
		hasBranch = hasBranch || o.Kind == data.Branch
	}
	if !hasBranch || len(ds.Offices) < 2 {
		return nil, nil
	}
	w, err := catchment.NewWhatIf(ds.Districts, ds.Offices, ds.DistrictPoints)
	if err != nil {
		return nil, err
	}
	each, err := w.Each(data.Branch, catchment.CompareOptions{MaxKm: st.MaxKm, Coverage: st.Gaps})
	if err != nil {
		return nil, err
	}
	r := &render.WhatIfReport{Scenario: "closing each branch office alone", Districts: ds.Districts, Offices: ds.Offices, Each: each,
		Description: "The table a planner wants first: every branch office ranked by the impact of closing it alone. Run `catchment whatif --close ID` for one office in detail, or `--scenario FILE` for staged plans."}
	for l, ok := range ds.Synthetic {
		if ok && l != data.LayerCounts {
			r.Synthetic = append(r.Synthetic, string(l))
		}
	}
	sort.Strings(r.Synthetic)
	return r, nil
}
