package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/outdir"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
)

// pictureFlags are the flags of every command that draws PNGs.
type pictureFlags struct {
	width  int
	dpi    float64
	font   string
	latin  bool
	counts string
	// projections lets the run's maps share projected district outlines.
	projections draw.ProjectionCache
}

func addPictureFlags(fs *flag.FlagSet) *pictureFlags {
	pf := &pictureFlags{}
	fs.IntVar(&pf.width, "width", 1600, "image width in pixels")
	fs.Float64Var(&pf.dpi, "dpi", 0, "dots per inch for text and line widths (0: 144 × width/1600)")
	fs.StringVar(&pf.font, "font", "", "Japanese font file (.ttf/.otf/.ttc); default: search the machine (IPAex Gothic, IPA, Takao, VL Gothic, Noto Sans CJK)")
	fs.BoolVar(&pf.latin, "latin", false, "draw romanised labels only, with no Japanese font")
	fs.StringVar(&pf.counts, "counts", "", "CSV of counter transactions per office and year (office_id,year,count; optional projected, certificates) for the trend chart")
	return pf
}

// fonts loads the font set once for all pictures of a command.
func (pf *pictureFlags) fonts(e *env, quiet bool) (*draw.Fonts, error) {
	if pf.width < 200 || pf.width > 20000 {
		return nil, fmt.Errorf("--width %d: want 200–20000 pixels", pf.width)
	}
	if pf.dpi < 0 {
		return nil, fmt.Errorf("--dpi must not be negative")
	}
	if pf.latin {
		return draw.LatinFonts(), nil
	}
	f, warns, err := draw.LoadFonts(pf.font)
	if err != nil {
		return nil, err
	}
	warn(e, quiet, warns)
	return f, nil
}

// picture is one PNG to write.
type picture struct {
	file, caption string
	draw          func() (image.Image, []string, error)
}

// studyPictures lists the maps and charts of a study, to be drawn: maps of
// the assignment a and gaps (may be nil), the scatter chart of nearest
// under the threshold maxKm, the trend chart of the counter counts.
func studyPictures(s *catchment.Study, a catchment.Assignment, gaps []catchment.GapRow, nearest []catchment.NearestRow, maxKm float64, fonts *draw.Fonts, pf *pictureFlags, kinds []string) []picture {
	ds := s.Dataset()
	md := render.StudyMapData(ds, a, gaps, nil)
	mopt := draw.MapOptions{Width: pf.width, DPI: pf.dpi, Fonts: fonts, Projections: &pf.projections}
	var pics []picture
	for _, k := range kinds {
		switch k {
		case "catchments", "distance", "gaps":
			kind := draw.MapKind(k)
			if kind == draw.MapGaps && gaps == nil {
				continue
			}
			file := "map_" + k + ".png"
			pics = append(pics, picture{file: file, caption: mapCaption(kind, s.Metric().Name()), draw: func() (image.Image, []string, error) {
				img, w, err := draw.RenderMap(kind, md, mopt)
				if err != nil {
					return nil, w, fmt.Errorf("%s map: %w", kind, err)
				}
				return img, w, nil
			}})
		case "scatter":
			pts := render.ScatterData(nearest)
			if len(pts) < 2 {
				continue
			}
			copt := draw.ChartOptions{Width: pf.width, Height: pf.width * 5 / 8, DPI: pf.dpi, Fonts: fonts, Threshold: maxKm, Source: render.SourceLine(ds)}
			pics = append(pics, picture{file: "chart_scatter.png", caption: scatterCaption(ds), draw: func() (image.Image, []string, error) {
				img, w, err := draw.RenderScatter(pts, copt)
				if err != nil {
					return nil, w, fmt.Errorf("scatter chart: %w", err)
				}
				return img, w, nil
			}})
		case "trend":
			series := render.TrendData(ds.Offices, ds.Counts)
			if len(series) == 0 {
				continue
			}
			copt := draw.ChartOptions{Width: pf.width, Height: pf.width * 5 / 8, DPI: pf.dpi, Fonts: fonts, Source: render.SourceLine(ds)}
			pics = append(pics, picture{file: "chart_trend.png", caption: trendCaption(ds), draw: func() (image.Image, []string, error) {
				img, w, err := draw.RenderTrend(series, copt)
				if err != nil {
					return nil, w, fmt.Errorf("trend chart: %w", err)
				}
				return img, w, nil
			}})
		}
	}
	return pics
}

// scatterCaption describes the scatter chart, flagging the embedded
// offices' DEMO counter counts.
func scatterCaption(ds *data.Dataset) string {
	c := "Distance to the nearest ward office vs counter transactions (branch offices)"
	if strings.HasPrefix(ds.Sources[data.LayerOffices], "embedded:") {
		c += "; counter counts are DEMO figures (fiscal 2014 of the DEMO series), not the city's"
	}
	return c
}

// trendCaption describes the trend chart, flagging DEMO counts.
func trendCaption(ds *data.Dataset) string {
	c := "Counter transactions per office and fiscal year: the ward offices, then each ward's branch offices on one shared scale; projected years dashed over a shaded band"
	if ds.Synthetic[data.LayerCounts] {
		c += "; DEMO figures following the plan's statements (data/kumamoto/README.md), not the city's"
	}
	return c
}

func mapCaption(k draw.MapKind, metric string) string {
	switch k {
	case draw.MapCatchments:
		return "Districts coloured by the office that serves them"
	case draw.MapDistance:
		return "Distance from each district to its nearest office (" + metric + ")"
	case draw.MapGaps:
		return "Districts with no convenience store, and the post offices that could issue certificates"
	}
	return string(k)
}

// loadCounts reads --counts into the dataset, replacing any embedded series.
func (pf *pictureFlags) loadCounts(e *env, ds *data.Dataset, quiet bool) error {
	if pf.counts == "" {
		return nil
	}
	counts, warns, err := data.LoadCounts(pf.counts, ds.Offices)
	for _, w := range warns {
		warn(e, quiet, []string{w.String()})
	}
	if err != nil {
		return err
	}
	ds.Counts = counts
	if ds.Sources == nil {
		ds.Sources = map[data.Layer]string{}
	}
	ds.Sources[data.LayerCounts] = pf.counts
	delete(ds.Synthetic, data.LayerCounts)
	return nil
}

// drawn is a picture drawn and encoded as PNG in memory, not yet written.
type drawn struct {
	name string // file name in the output folder
	png  []byte
}

// drawAll draws and encodes every picture in memory, printing their
// warnings; nothing is written, so a failure leaves the output folder as
// it was.
//
// Pictures are drawn on every core (each drawing makes its own font faces);
// warnings print in the pictures' order, and the first picture's error in
// that order is the one returned.
func drawAll(e *env, quiet bool, pics []picture) ([]drawn, error) {
	type result struct {
		png   []byte
		warns []string
		err   error
	}
	results := make([]result, len(pics))
	order := make([]int, len(pics))
	for i := range order {
		order[i] = i
	}
	onEveryCore(order, func(i int) {
		img, w, err := pics[i].draw()
		r := result{warns: w, err: err}
		if err == nil {
			var b bytes.Buffer
			if err := png.Encode(&b, img); err != nil {
				r.err = fmt.Errorf("encode %s: %w", pics[i].file, err)
			}
			r.png = b.Bytes()
		}
		results[i] = r
	})
	out := make([]drawn, 0, len(pics))
	for i, r := range results {
		warn(e, quiet, r.warns)
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, drawn{pics[i].file, r.png})
	}
	return out, nil
}

// publish writes a command's files and pictures into the folder dir as
// one unit (internal/outdir): a failure, a kill or a concurrent run leaves
// the folder as it was, and files the same command wrote before and not
// now are removed (except for render and chart, which draw a chosen part).
func publish(dir, command string, files []outputFile, pics []drawn) error {
	tx, err := outdir.Begin(dir, command)
	if err != nil {
		return err
	}
	defer tx.Abort()
	// render and chart write the maps asked for, beside the others.
	tx.Prune = command != "render" && command != "chart"
	for _, f := range files {
		if f.writePath != nil {
			path, err := tx.Path(f.name)
			if err != nil {
				return err
			}
			if err := f.writePath(path); err != nil {
				return fmt.Errorf("write %s: %w", filepath.Join(dir, f.name), err)
			}
			continue
		}
		if err := tx.WriteFile(f.name, f.write); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, f.name), err)
		}
	}
	for _, d := range pics {
		b := d.png
		if err := tx.WriteFile(d.name, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, d.name), err)
		}
	}
	return tx.Commit()
}

// pictureBytes are the drawn pictures' PNG bytes by file name, for a page
// that embeds them.
func pictureBytes(ds []drawn) map[string][]byte {
	out := make(map[string][]byte, len(ds))
	for _, d := range ds {
		out[d.name] = d.png
	}
	return out
}

func renderCommand() command {
	c := command{name: "render", summary: "PNG maps: catchments, distance to the nearest office, coverage gaps"}
	c.usage = `Draws maps of the study as PNG files in --out: map_catchments.png (districts
coloured by the office that serves them), map_distance.png (distance classes)
and map_gaps.png (districts with no convenience store). Labels are Japanese
when a Japanese font is found (install fonts-ipaexfont-gothic), romanised
otherwise.

Example:
  catchment render
  catchment render --map distance --width 2400 --out maps/
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.Layers...)
		mf := addMetricFlags(fs)
		pf := addPictureFlags(fs)
		which := fs.String("map", "all", "catchments|distance|gaps|all (comma-separated)")
		out := fs.String("out", "out", "output folder")
		if err := parse(fs, args); err != nil {
			return err
		}
		kinds, err := pickKinds(*which, []string{"catchments", "distance", "gaps"})
		if err != nil {
			return fmt.Errorf("--map: %w", err)
		}
		ds, err := begin(e, fs, nil, lf, nil, data.LayerOffices, data.LayerDistricts)
		if err != nil {
			return err
		}
		fonts, err := pf.fonts(e, lf.quiet)
		if err != nil {
			return err
		}
		s, err := lf.measuredStudy(e, ds, mf, 0)
		if err != nil {
			return err
		}
		a, err := s.Assign()
		if err != nil {
			printWarnings(e, lf.quiet, s.Warnings())
			return err
		}
		var gaps []catchment.GapRow
		if len(ds.Stores) > 0 {
			if gaps, err = s.Gaps(); err != nil {
				return err
			}
		}
		printWarnings(e, lf.quiet, s.Warnings())
		drawn, err := drawAll(e, lf.quiet, studyPictures(s, a, gaps, nil, 0, fonts, pf, kinds))
		if err != nil {
			return err
		}
		return publish(*out, "render", nil, drawn)
	}
	return c
}

func chartCommand() command {
	c := command{name: "chart", summary: "PNG charts: distance vs transactions (scatter), transactions per year (trend)"}
	c.usage = `Draws a chart as a PNG in --out. The first argument picks it:
  scatter  distance from each branch office to its nearest ward office (x, km)
           against its yearly counter transactions (y), with the --max-km
           threshold and a least-squares trend line (chart_scatter.png)
  trend    counter transactions per office and year: a panel of the ward
           offices, then one panel of branch offices per ward (all on one
           scale), each line named at its end; from --counts FILE.csv
           (office_id,year,count; optional projected = true/false, drawn
           dashed over shaded years, and certificates) (chart_trend.png)
The embedded default carries a DEMO series for fiscal 2012–2019 (2015 on
projected with the plan's assumptions); offices' counter_count is its fiscal
2014 figure.

Example:
  catchment chart scatter
  catchment chart trend --counts counts.csv --out charts/
`
	c.run = func(e *env, args []string) error {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
				fs := newFlagSet(e, &c)
				addPictureFlags(fs)
				fs.Usage()
				return flag.ErrHelp
			}
			fmt.Fprintln(e.stderr, "catchment chart: say which chart: scatter or trend (see catchment chart -h)")
			return errUsage
		}
		kind := args[0]
		if kind != "scatter" && kind != "trend" {
			fmt.Fprintf(e.stderr, "catchment chart: unknown chart %q: want scatter or trend\n", kind)
			return errUsage
		}
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.LayerOffices)
		mf := addMetricFlags(fs)
		pf := addPictureFlags(fs)
		out := fs.String("out", "out", "output folder")
		maxKm := fs.Float64("max-km", catchment.DefaultMaxKm, "threshold line of the scatter chart, km")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		ds, err := lf.load(e)
		if err != nil {
			return err
		}
		if err := pf.loadCounts(e, ds, lf.quiet); err != nil {
			return err
		}
		fonts, err := pf.fonts(e, lf.quiet)
		if err != nil {
			return err
		}
		var s *catchment.Study
		var nearest []catchment.NearestRow
		if kind == "scatter" {
			if s, err = lf.measuredStudy(e, ds, mf, 0); err != nil {
				return err
			}
			nearest, err = s.Nearest(data.Branch, data.Ward)
			printWarnings(e, lf.quiet, s.Warnings())
			if err != nil {
				return err
			}
		} else if s, err = lf.study(ds, nil, 0); err != nil {
			return err
		}
		pics := studyPictures(s, catchment.Assignment{}, nil, nearest, *maxKm, fonts, pf, []string{kind})
		if len(pics) == 0 {
			if kind == "trend" {
				return fmt.Errorf("no counter counts: give --counts FILE.csv (office_id,year,count)")
			}
			return fmt.Errorf("fewer than 2 branch offices have a counter_count and a nearest ward office")
		}
		drawn, err := drawAll(e, lf.quiet, pics)
		if err != nil {
			return err
		}
		return publish(*out, "chart", nil, drawn)
	}
	return c
}

// pickKinds parses a comma-separated list of names out of all ("all" = every one).
func pickKinds(s string, all []string) ([]string, error) {
	if s == "all" {
		return all, nil
	}
	var out []string
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		ok := false
		for _, a := range all {
			ok = ok || a == k
		}
		if !ok {
			return nil, fmt.Errorf("unknown %q: want %s or all", k, strings.Join(all, ", "))
		}
		out = append(out, k)
	}
	return out, nil
}

// onEveryCore calls work with each index of order, on as many goroutines
// as there are cores (at most one per index), taking the indices in
// order, and returns when every call has.
func onEveryCore(order []int, work func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				work(i)
			}
		}()
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
}
