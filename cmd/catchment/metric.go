package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/road"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/pgsource"
	"github.com/kumamoto-gis/catchment/network"
)

// metricFlags choose how distances are measured.
type metricFlags struct {
	metric         string
	network        string
	profile        string
	maxSnapM       float64
	nodeToleranceM float64
	nodeAtVertices bool
	costMatrix     string
	costUnit       string
	fs             *flag.FlagSet
}

func addMetricFlags(fs *flag.FlagSet) *metricFlags {
	mf := &metricFlags{fs: fs}
	fs.StringVar(&mf.metric, "metric", "geodesic", "geodesic (straight line on WGS84) | road (route metres) | time (travel seconds); road and time need --network")
	fs.StringVar(&mf.network, "network", "", "road network: OpenStreetMap .osm.pbf, .osm (XML) or Overpass .json, or a layer of lines (GeoJSON, Shapefile, GeoPackage, CSV with WKT; map its fields with --field network.oneway=…, network.speed_kmh=…, network.class=…)")
	fs.Float64Var(&mf.nodeToleranceM, "node-tolerance-m", network.DefaultNodeToleranceM, "with a line layer as --network: line ends closer than this many metres are joined")
	fs.BoolVar(&mf.nodeAtVertices, "node-at-vertices", false, "with a line layer as --network: join lines also where they share a vertex (for data not split at junctions)")
	fs.StringVar(&mf.profile, "profile", "car", "road network profile: car | walk")
	fs.Float64Var(&mf.maxSnapM, "max-snap-m", network.DefaultMaxSnapM, "points farther than this from any road are reported as outside the network, not routed")
	fs.StringVar(&mf.costMatrix, "cost-matrix", "", "measure with your own costs: a CSV of origin,dest and a cost column (distance_m, distance_km, time_s, time_min, or cost with --cost-unit) keyed by district and office ids, e.g. a travel-time table from OSRM or Valhalla")
	fs.StringVar(&mf.costUnit, "cost-unit", "", "unit of a plain cost column of --cost-matrix: m | km | s | min | h")
	return mf
}

// set reports whether the flag name was given on the command line.
func (mf *metricFlags) set(name string) bool {
	given := false
	mf.fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// measure returns the metric the flags name, loading the network (a line
// layer with the layer options opt) or the cost matrix if needed.
func (mf *metricFlags) measure(e *env, quiet bool, opt data.Options) (catchment.Metric, error) {
	if mf.costMatrix != "" {
		t, err := mf.table(e, quiet)
		if err != nil {
			return nil, err
		}
		return catchment.NewCostMatrix(t), nil
	}
	if mf.costUnit != "" {
		return nil, fmt.Errorf("--cost-unit goes with --cost-matrix")
	}
	m, err := network.ParseMetric(mf.metric)
	if err != nil {
		return nil, fmt.Errorf("--metric: %w", err)
	}
	if m == network.Geodesic {
		if mf.network != "" {
			return nil, fmt.Errorf("--network is used only with --metric road or time")
		}
		return catchment.Geodesic{}, nil
	}
	if mf.network == "" {
		return nil, fmt.Errorf("--metric %s needs --network FILE (an OpenStreetMap extract: .osm.pbf, .osm or Overpass .json)", m)
	}
	p, err := network.ParseProfile(mf.profile)
	if err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	if !(mf.maxSnapM > 0) || math.IsInf(mf.maxSnapM, 0) {
		return nil, fmt.Errorf("--max-snap-m must be positive, got %g", mf.maxSnapM)
	}
	start := time.Now()
	g, summary, err := mf.loadNetwork(e, quiet, p, opt)
	if err != nil {
		return nil, err
	}
	if !quiet {
		fmt.Fprintf(e.stderr, "network %s (%s): %s, loaded in %v\n", mf.network, p, summary, time.Since(start).Round(time.Millisecond))
	}
	return road.Metric{Graph: g, By: m, MaxSnapM: mf.maxSnapM, Source: mf.network}, nil
}

// loadNetwork reads --network: an OpenStreetMap extract, or a layer of
// lines joined into a network.
func (mf *metricFlags) loadNetwork(e *env, quiet bool, p network.Profile, opt data.Options) (*network.Graph, fmt.Stringer, error) {
	lines, err := isLineLayer(mf.network)
	if err != nil {
		return nil, nil, fmt.Errorf("--network: %w", err)
	}
	if !lines {
		if mf.set("node-tolerance-m") || mf.nodeAtVertices {
			return nil, nil, fmt.Errorf("--node-tolerance-m and --node-at-vertices apply to a line layer, not to an OpenStreetMap extract")
		}
		g, st, err := network.Load(mf.network, p)
		return g, st, err
	}
	links, warns, err := data.LoadNetwork(mf.network, opt)
	printWarnings(e, quiet, warns)
	if err != nil {
		return nil, nil, err
	}
	var ls []network.Line
	for _, l := range links {
		for _, part := range l.Geometry {
			ls = append(ls, network.Line{Points: part, Oneway: l.Oneway, SpeedKmh: l.SpeedKmh, Class: l.Class})
		}
	}
	g, st, err := network.FromLines(ls, p, network.LineOptions{NodeToleranceM: mf.nodeToleranceM, NodeAtVertices: mf.nodeAtVertices})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", mf.network, err)
	}
	if st.DefaultSpeed > 0 && !quiet && p == network.Car {
		fmt.Fprintf(e.stderr, "warning: %s: %d of %d lines have neither a speed nor a known road class and are driven at %g km/h in both directions unless a oneway field says otherwise; map them with --field network.speed_kmh=… or network.class=…\n",
			mf.network, st.DefaultSpeed, st.Used, network.DefaultCarSpeedKmh)
	}
	return g, st, nil
}

// isLineLayer tells a line layer from an OpenStreetMap extract: by the
// extension, and for JSON by whether the file holds Overpass "elements"
// or a GeoJSON FeatureCollection.
func isLineLayer(path string) (bool, error) {
	lower := strings.ToLower(path)
	switch {
	case pgsource.IsSource(path):
		return true, nil // a PostGIS table of lines: --layer network=TABLE
	case strings.HasSuffix(lower, ".osm"), strings.HasSuffix(lower, ".pbf"), strings.HasSuffix(lower, ".osm.xml"):
		return false, nil
	case strings.HasSuffix(lower, ".shp"), strings.HasSuffix(lower, ".gpkg"), strings.HasSuffix(lower, ".fgb"), strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".geojson"):
		return true, nil
	case strings.HasSuffix(lower, ".json"):
		f, err := os.Open(path)
		if err != nil {
			return false, err
		}
		defer f.Close()
		head := make([]byte, 4096)
		n, _ := io.ReadFull(f, head)
		h := string(head[:n])
		if strings.Contains(h, `"elements"`) {
			return false, nil
		}
		return strings.Contains(h, `"FeatureCollection"`) || strings.Contains(h, `"features"`), nil
	}
	return false, fmt.Errorf("%s: unknown network format: give an OpenStreetMap extract (.osm.pbf, .osm, Overpass .json) or a layer of lines (.geojson, .shp, .gpkg, .fgb, .csv with WKT)", path)
}

// table loads --cost-matrix, checking that no other metric is asked for.
func (mf *metricFlags) table(e *env, quiet bool) (*data.CostTable, error) {
	if mf.set("metric") || mf.network != "" {
		return nil, fmt.Errorf("give either --cost-matrix or --metric/--network, not both")
	}
	start := time.Now()
	t, warns, err := data.LoadCostMatrix(mf.costMatrix, mf.costUnit)
	printWarnings(e, quiet, warns)
	if err != nil {
		return nil, err
	}
	if !quiet {
		kind := "distances"
		if t.Time {
			kind = "travel times"
		}
		fmt.Fprintf(e.stderr, "cost matrix %s: %d %s, loaded in %v\n", mf.costMatrix, len(t.Rows), kind, time.Since(start).Round(time.Millisecond))
	}
	return t, nil
}

// printWarnings prints warnings on stderr unless quiet, each once a run.
func printWarnings(e *env, quiet bool, ws []data.Warning) {
	msgs := make([]string, len(ws))
	for i, w := range ws {
		msgs[i] = w.String()
	}
	warn(e, quiet, msgs)
}

// warn prints warnings unless quiet, each once a run: analyses of one run
// (a report's sections) may meet the same unusable place.
func warn(e *env, quiet bool, msgs []string) {
	if quiet {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range msgs {
		if e.printed[m] {
			continue
		}
		if e.printed == nil {
			e.printed = map[string]bool{}
		}
		e.printed[m] = true
		fmt.Fprintf(e.stderr, "warning: %s\n", m)
	}
}
