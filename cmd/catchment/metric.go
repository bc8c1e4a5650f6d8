package main

import (
	"flag"
	"fmt"
	"math"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/road"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/network"
)

// metricFlags choose how distances are measured.
type metricFlags struct {
	metric     string
	network    string
	profile    string
	maxSnapM   float64
	costMatrix string
	costUnit   string
	fs         *flag.FlagSet
}

func addMetricFlags(fs *flag.FlagSet) *metricFlags {
	mf := &metricFlags{fs: fs}
	fs.StringVar(&mf.metric, "metric", "geodesic", "geodesic (straight line on WGS84) | road (route metres) | time (travel seconds); road and time need --network")
	fs.StringVar(&mf.network, "network", "", "road network: OpenStreetMap .osm.pbf, .osm (XML) or Overpass .json")
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

// measure returns the metric the flags name, loading the network or the
// cost matrix if needed.
func (mf *metricFlags) measure(e *env, quiet bool) (catchment.Metric, error) {
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
	g, st, err := network.Load(mf.network, p)
	if err != nil {
		return nil, err
	}
	if !quiet {
		fmt.Fprintf(e.stderr, "network %s (%s): %s, loaded in %v\n", mf.network, p, st, time.Since(start).Round(time.Millisecond))
	}
	return road.Metric{Graph: g, By: m, MaxSnapM: mf.maxSnapM, Source: mf.network}, nil
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

// printWarnings prints warnings on stderr unless quiet.
func printWarnings(e *env, quiet bool, ws []data.Warning) {
	if quiet {
		return
	}
	for _, w := range ws {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
}

// warn prints warnings unless quiet.
func warn(e *env, quiet bool, msgs []string) {
	if quiet {
		return
	}
	for _, m := range msgs {
		fmt.Fprintf(e.stderr, "warning: %s\n", m)
	}
}
