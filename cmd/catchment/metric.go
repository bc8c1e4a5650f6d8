package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/network"
)

// metricFlags choose how distances are measured.
type metricFlags struct {
	metric   string
	network  string
	profile  string
	maxSnapM float64
}

func addMetricFlags(fs *flag.FlagSet) *metricFlags {
	mf := &metricFlags{}
	fs.StringVar(&mf.metric, "metric", "geodesic", "geodesic (straight line on WGS84) | road (route metres) | time (travel seconds); road and time need --network")
	fs.StringVar(&mf.network, "network", "", "road network: OpenStreetMap .osm.pbf, .osm (XML) or Overpass .json")
	fs.StringVar(&mf.profile, "profile", "car", "road network profile: car | walk")
	fs.Float64Var(&mf.maxSnapM, "max-snap-m", network.DefaultMaxSnapM, "points farther than this from any road are reported as outside the network, not routed")
	return mf
}

// measure returns the metric the flags name, loading the network if needed.
func (mf *metricFlags) measure(e *env, quiet bool) (catchment.Measure, error) {
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
	if mf.maxSnapM <= 0 {
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
	return catchment.Road{Graph: g, By: m, MaxSnapM: mf.maxSnapM}, nil
}

// nearest pairs every office of kind from with its nearest office of kind
// to under the flags' metric, printing warnings about offices not routed.
func (mf *metricFlags) nearest(e *env, quiet bool, ds *data.Dataset, from, to data.OfficeKind) ([]catchment.NearestRow, catchment.Measure, error) {
	m, err := mf.measure(e, quiet)
	if err != nil {
		return nil, nil, err
	}
	rows, warns, err := catchment.NearestOfficesBy(ds.Offices, from, to, nil, m)
	warn(e, quiet, warns)
	return rows, m, err
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
