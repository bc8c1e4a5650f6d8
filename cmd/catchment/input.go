package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/fgb"
	"github.com/kumamoto-gis/catchment/data/geoparquet"
	"github.com/kumamoto-gis/catchment/data/gpkg"
	"github.com/kumamoto-gis/catchment/data/postgis"
)

// layerFlags are the input flags every command shares.
type layerFlags struct {
	paths  map[data.Layer]*string
	dir    string
	fields fieldFlag
	crs    fieldFlag // --crs EPSG:NNNN or layer=EPSG:NNNN
	tables fieldFlag // --layer TABLE or layer=TABLE
	preset string
	quiet  bool
	// population is the optional population layer (--population); "" = none.
	population *string
	// cells is the population layer read by load, if any.
	cells []data.PopulationCell
	// opt are the loading options load used; the road network is read
	// with them too.
	opt data.Options
	// pointDistricts lets the districts layer hold points (demand points
	// for optimize).
	pointDistricts bool
	// populationUnused says that the command's output does not depend on
	// the districts' population: a population.* in --data is then not read
	// (--population still is).
	populationUnused bool
}

// fieldFlag collects repeated --field layer.ours=theirs flags.
type fieldFlag []string

func (f *fieldFlag) String() string     { return strings.Join(*f, ",") }
func (f *fieldFlag) Set(s string) error { *f = append(*f, s); return nil }

// addLayerFlags registers the layer flags; need lists the layers the command reads.
func addLayerFlags(fs *flag.FlagSet, need ...data.Layer) *layerFlags {
	lf := &layerFlags{paths: map[data.Layer]*string{}}
	help := map[data.Layer]string{
		data.LayerOffices:   "offices: points with id, name, kind (ward|branch) (.geojson, .json, .csv, .shp, .gpkg, .fgb or GeoParquet .parquet)",
		data.LayerDistricts: "districts: polygons with id, name, population (.geojson, .json, .csv with WKT, .shp, .gpkg, .fgb or GeoParquet .parquet)",
		data.LayerStores:    "convenience stores: points (.geojson, .json, .csv, .shp, .gpkg, .fgb or GeoParquet .parquet)",
		data.LayerPosts:     "post offices: points (.geojson, .json, .csv, .shp, .gpkg, .fgb or GeoParquet .parquet)",
		data.LayerBoundary:  "study-area boundary: polygons (.geojson, .json, .csv with WKT, .shp, .gpkg, .fgb or GeoParquet .parquet)",
	}
	for _, l := range need {
		lf.paths[l] = fs.String(string(l), "", help[l])
		if l == data.LayerDistricts {
			lf.population = fs.String("population", "", "population layer: points or mesh cells with a population field (.geojson, .json, .csv, .fgb, .gpkg or GeoParquet .parquet); districts then take their population and a population-weighted representative point from it")
		}
	}
	fs.StringVar(&lf.dir, "data", "", "folder holding offices.*, districts.*, stores.*, posts.*, boundary.*")
	fs.Var(&lf.fields, "field", "map a field of your file: layer.field=your_field (repeatable), e.g. districts.name=A27_004")
	fs.Var(&lf.crs, "crs", "CRS of the input coordinates when the file does not say or says wrong: EPSG:NNNN for every layer, or layer=EPSG:NNNN (repeatable), e.g. EPSG:6670 (JGD2011 plane rectangular zone II)")
	fs.Var(&lf.tables, "layer", "GeoPackage table to read: NAME for every .gpkg input, or layer=NAME (repeatable), e.g. districts=A27")
	fs.StringVar(&lf.preset, "preset", "", "field mapping preset: ksj (国土数値情報 A27, A32, N03, P05, P30, P02 attribute codes)")
	fs.BoolVar(&lf.quiet, "quiet", false, "print no warnings")
	return lf
}

// load reads the dataset the flags name, or the embedded default when none
// is given, and prints warnings on stderr.
func (lf *layerFlags) load(e *env) (*data.Dataset, error) {
	opt := data.Options{Fields: map[data.Layer]map[string]string{}, Readers: []data.Reader{gpkg.Reader{}, fgb.Reader{}, geoparquet.Reader{}, postgis.Reader{}}, PointDistricts: lf.pointDistricts}
	for _, f := range lf.fields {
		l, ours, theirs, err := data.ParseFieldFlag(f)
		if err != nil {
			return nil, fmt.Errorf("--field %s: %w", f, err)
		}
		if opt.Fields[l] == nil {
			opt.Fields[l] = map[string]string{}
		}
		opt.Fields[l][ours] = theirs
	}
	for _, f := range []struct {
		name string
		vals fieldFlag
		dst  *map[data.Layer]string
	}{{"crs", lf.crs, &opt.CRS}, {"layer", lf.tables, &opt.Tables}} {
		for _, v := range f.vals {
			l, val, err := data.ParseLayerOption(v)
			if err != nil {
				return nil, fmt.Errorf("--%s %w", f.name, err)
			}
			if f.name == "crs" {
				if err := data.ParseCRS(val); err != nil {
					return nil, fmt.Errorf("--crs %w", err)
				}
			}
			if *f.dst == nil {
				*f.dst = map[data.Layer]string{}
			}
			(*f.dst)[l] = val
		}
	}
	opt.Preset = lf.preset
	// A folder gives the layers the command has flags for, no others.
	for _, l := range data.Layers {
		if _, ok := lf.paths[l]; ok {
			opt.Layers = append(opt.Layers, l)
		}
	}
	paths := data.Paths{}
	for l, p := range lf.paths {
		if *p != "" {
			paths[l] = *p
		}
	}
	// The population layer, the largest input by far, is read while the
	// other layers are.
	var pop populationRead
	popPath := lf.populationPath()
	popDone := make(chan struct{})
	popOpt := opt
	popOpt.CellPoints = true // the study uses the cells' points only
	go func() {
		defer close(popDone)
		if popPath != "" && (lf.dir == "" || len(paths) == 0) {
			pop.cells, pop.warnings, pop.err = data.LoadPopulation(popPath, popOpt)
		}
	}()
	defer func() { <-popDone }()
	var (
		ds   *data.Dataset
		warn []data.Warning
		err  error
	)
	switch {
	case lf.dir != "" && len(paths) > 0:
		return nil, fmt.Errorf("give either --data or layer flags, not both")
	case lf.dir != "":
		ds, warn, err = data.LoadDir(lf.dir, opt)
	case len(paths) > 0:
		ds, warn, err = data.Load(paths, opt)
	default:
		if onlyNetwork(opt) != nil || len(lf.tables) > 0 || lf.preset != "" {
			return nil, fmt.Errorf("--field, --crs, --layer and --preset need input files (--data or layer flags); with the embedded data only network.* mappings apply")
		}
		ds, warn, err = data.Default()
	}
	lf.opt = opt
	if err != nil {
		return nil, err
	}
	if !lf.quiet {
		for _, w := range warn {
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
	}
	if popPath == "" {
		return ds, nil
	}
	if len(ds.Districts) == 0 {
		return nil, fmt.Errorf("--population %s: needs a districts layer", popPath)
	}
	<-popDone
	if !lf.quiet {
		for _, w := range pop.warnings {
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
	}
	if pop.err != nil {
		return nil, pop.err
	}
	// The study weights the districts by the population layer.
	lf.cells = pop.cells
	if ds.Sources == nil {
		ds.Sources = map[data.Layer]string{}
	}
	ds.Sources[data.LayerPopulation] = popPath
	delete(ds.Synthetic, data.LayerPopulation)
	return ds, nil
}

// populationRead is what data.LoadPopulation returned.
type populationRead struct {
	cells    []data.PopulationCell
	warnings []data.Warning
	err      error
}

// populationPath is the population layer the command reads: --population,
// or population.* in --data when the command's output uses the districts'
// population; "" for none.
func (lf *layerFlags) populationPath() string {
	if lf.population == nil {
		return ""
	}
	if *lf.population != "" || lf.dir == "" || lf.populationUnused {
		return *lf.population
	}
	for _, ext := range []string{".geojson", ".json", ".csv", ".fgb", ".gpkg", ".parquet", ".geoparquet"} {
		if p := filepath.Join(lf.dir, "population"+ext); fileExists(p) {
			return p
		}
	}
	return ""
}

// onlyNetwork returns the first --field or --crs that names a layer other
// than the road network, or nil when there is none.
func onlyNetwork(opt data.Options) error {
	for l := range opt.Fields {
		if l != data.LayerNetwork {
			return fmt.Errorf("--field %s.…", l)
		}
	}
	for l := range opt.CRS {
		if l != data.LayerNetwork {
			return fmt.Errorf("--crs %s", l)
		}
	}
	return nil
}

// measuredStudy is study under the metric mf names.
func (lf *layerFlags) measuredStudy(e *env, ds *data.Dataset, mf *metricFlags, withinM float64) (*catchment.Study, error) {
	m, err := mf.measure(e, lf.quiet, lf.opt)
	if err != nil {
		return nil, err
	}
	return lf.study(ds, m, withinM)
}

// study makes the study of a command: the dataset weighted by the
// population layer, if any, under metric m (nil: geodesic), counting
// stores and post offices within withinM metres of a district.
func (lf *layerFlags) study(ds *data.Dataset, m catchment.Metric, withinM float64) (*catchment.Study, error) {
	return catchment.NewStudy(ds, catchment.Options{Metric: m, Population: lf.cells, WithinM: withinM})
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// require checks that the dataset has the layers a command needs.
func require(ds *data.Dataset, layers ...data.Layer) error {
	for _, l := range layers {
		var n int
		switch l {
		case data.LayerOffices:
			n = len(ds.Offices)
		case data.LayerDistricts:
			n = len(ds.Districts)
		case data.LayerStores:
			n = len(ds.Stores)
		case data.LayerPosts:
			n = len(ds.Posts)
		case data.LayerBoundary:
			n = len(ds.Boundary)
		}
		if n == 0 {
			return fmt.Errorf("this command needs the %s layer: give --%s FILE or --data DIR", l, l)
		}
	}
	return nil
}
