package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/paulmach/orb"
)

func isochronesCommand() command {
	c := command{name: "isochrones", summary: "service areas: where each office is reached within --minutes (or --km) on the road network"}
	c.usage = `Draws nested service areas (isochrones) on a road network: for every office
on the network and for all offices together, the places from which the
nearest office is reached within each limit. With --metric time (the default)
the limits are --minutes of travel; with --metric road they are --km of road.
A place counts when it lies within --buffer-m of a reached road; the areas
follow a --cell-m grid and keep holes where no road reaches. An office's bands
hold only the places it is the nearest office of, so the offices' bands
partition the union's.

Districts and population inside each band are counted by each district's
representative point and its route to its nearest office. Offices and
districts farther than --max-snap-m from any road are left out, with
warnings naming the offices.

Outputs: a table (--format table|csv|json) or GeoJSON (--format geojson) with
office_id, office_name, kind, scope (office|union), metric, profile, minutes
or km, area_km2, districts, population, district_ids; or, with --out DIR,
isochrones.geojson, isochrones.csv and the map isochrones.png.

Example:
  catchment isochrones --network chuo.json --minutes 10,20,30 --out out/iso
  catchment isochrones --network chuo.json --profile walk --minutes 10,20
  catchment isochrones --network chuo.json --metric road --km 1,2,3 --format geojson -o iso.geojson
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.LayerOffices, data.LayerDistricts, data.LayerBoundary)
		of := addOutputFlags(fs, "table", "csv", "json", "geojson")
		mf := addMetricFlags(fs)
		minutes := fs.String("minutes", "10,20,30", "with --metric time: band limits in minutes, ascending, comma-separated")
		km := fs.String("km", "1,2,3", "with --metric road: band limits in km, ascending, comma-separated")
		bufferM := fs.Float64("buffer-m", 100, "a place within this many metres of a reached road is served")
		cellM := fs.Float64("cell-m", 25, "grid cell size of the areas, metres")
		outDir := fs.String("out", "", "write isochrones.geojson, isochrones.csv and isochrones.png to this folder")
		if err := parse(fs, args); err != nil {
			return err
		}
		if err := of.check(); err != nil {
			return err
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["metric"] {
			mf.metric = string(network.Time)
		}
		metric, err := network.ParseMetric(mf.metric)
		if err != nil {
			return fmt.Errorf("--metric: %w", err)
		}
		var limits []float64
		switch metric {
		case network.Geodesic:
			return fmt.Errorf("--metric geodesic has no service areas: use --metric time (with --minutes) or road (with --km)")
		case network.Time:
			if set["km"] {
				return fmt.Errorf("--km goes with --metric road; with --metric time give --minutes")
			}
			mins, err := parseLimits(*minutes, "--minutes", 24*60)
			if err != nil {
				return err
			}
			for _, v := range mins {
				limits = append(limits, v*60)
			}
		case network.Road:
			if set["minutes"] {
				return fmt.Errorf("--minutes goes with --metric time; with --metric road give --km")
			}
			kms, err := parseLimits(*km, "--km", 1000)
			if err != nil {
				return err
			}
			for _, v := range kms {
				limits = append(limits, v*1000)
			}
		}
		switch {
		case mf.network == "":
			return fmt.Errorf("isochrones need --network FILE (an OpenStreetMap extract: .osm.pbf, .osm or Overpass .json)")
		case !(*bufferM > 0) || math.IsInf(*bufferM, 0):
			return fmt.Errorf("--buffer-m must be positive, got %g", *bufferM)
		case !(*cellM > 0) || math.IsInf(*cellM, 0):
			return fmt.Errorf("--cell-m must be positive, got %g", *cellM)
		case *outDir != "" && of.out != "":
			return fmt.Errorf("give either --out DIR or -o FILE, not both")
		}

		ds, err := lf.load(e)
		if err != nil {
			return err
		}
		if err := require(ds, data.LayerOffices); err != nil {
			return err
		}
		m, err := mf.measure(e, lf.quiet)
		if err != nil {
			return err
		}
		road, ok := m.(catchment.Road)
		if !ok {
			return fmt.Errorf("isochrones need a road network (--metric time or road)")
		}
		facs := make([]orb.Point, len(ds.Offices))
		for i, o := range ds.Offices {
			facs[i] = o.Location
		}
		pts := catchment.RepresentativePoints(ds.Districts)
		pops := make([]float64, len(ds.Districts))
		for i, d := range ds.Districts {
			pops[i] = d.Pop()
		}
		sa, nwarns, err := road.Graph.ServiceAreas(facs, pts, pops, road.By, road.MaxSnapM,
			network.IsochroneOptions{Limits: limits, BufferM: *bufferM, CellM: *cellM})
		warn(e, lf.quiet, describeAreaWarnings(ds, nwarns, road.MaxSnapM))
		if err != nil {
			return err
		}
		profile := string(road.Graph.Profile)
		if *outDir != "" {
			return writeIsochronesDir(e, *outDir, ds, sa, profile, mf.network, lf.quiet)
		}
		return of.emit(e, render.IsochroneTable(ds.Offices, ds.Districts, sa, profile), "isochrones", func() []vector.Feature {
			return render.IsochroneFeatures(ds.Offices, ds.Districts, sa, profile)
		})
	}
	return c
}

// parseLimits reads ascending positive limits such as "10,20,30" given to
// flag name; each must be at most maxV.
func parseLimits(s, name string, maxV float64) ([]float64, error) {
	var out []float64
	for i, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("%s %q: item %d is empty", name, s, i+1)
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s %q: item %d (%q) is not a number", name, s, i+1, f)
		}
		if v <= 0 || v > maxV {
			return nil, fmt.Errorf("%s %q: item %d (%g) must be above 0 and at most %g", name, s, i+1, v, maxV)
		}
		if len(out) > 0 && v <= out[len(out)-1] {
			return nil, fmt.Errorf("%s %q: limits must ascend (%g after %g)", name, s, v, out[len(out)-1])
		}
		out = append(out, v)
	}
	if len(out) > 250 {
		return nil, fmt.Errorf("%s: %d limits, at most 250", name, len(out))
	}
	return out, nil
}

// describeAreaWarnings names the offices left out of the service areas, one
// warning each, and sums up the districts outside the network in one.
func describeAreaWarnings(ds *data.Dataset, warns []network.Warning, maxSnapM float64) []string {
	if maxSnapM <= 0 {
		maxSnapM = network.DefaultMaxSnapM
	}
	var out, far []string
	for _, w := range warns {
		switch {
		case w.Facility >= 0:
			o := ds.Offices[w.Facility]
			out = append(out, fmt.Sprintf("office %s (%s) is %.0f m from the road network (limit %.0f m): outside its coverage, no service area", o.Name, o.ID, w.SnapM, maxSnapM))
		case w.Point >= 0:
			far = append(far, ds.Districts[w.Point].ID)
		}
	}
	if len(far) > 0 {
		list := far
		if len(list) > 12 {
			list = append(append([]string(nil), far[:12]...), fmt.Sprintf("… (%d more)", len(far)-12))
		}
		out = append(out, fmt.Sprintf("%d of %d districts have their representative point more than %.0f m from the road network and count in no band: %s",
			len(far), len(ds.Districts), maxSnapM, strings.Join(list, ", ")))
	}
	return out
}

// writeIsochronesDir renders the table, the layer and the map, then writes
// each file whole or not at all.
func writeIsochronesDir(e *env, dir string, ds *data.Dataset, sa network.ServiceAreas, profile, networkPath string, quiet bool) error {
	md := render.IsochroneMap(ds.Offices, ds.Districts, ds.Boundary, sa, profile,
		render.SourceLine(ds)+"; roads: "+filepath.Base(networkPath)+" (OpenStreetMap contributors, ODbL)")
	img, warns, err := draw.RenderIsochroneMap(md, draw.MapOptions{})
	if err != nil {
		return fmt.Errorf("map isochrones.png: %w", err)
	}
	if !quiet {
		for _, w := range warns {
			fmt.Fprintf(e.stderr, "warning: isochrones.png: %s\n", w)
		}
	}
	t := render.IsochroneTable(ds.Offices, ds.Districts, sa, profile)
	files := []outputFile{
		{name: "isochrones.geojson", write: func(w io.Writer) error {
			return vector.WriteGeoJSON(w, "isochrones", render.IsochroneFeatures(ds.Offices, ds.Districts, sa, profile))
		}},
		{name: "isochrones.csv", write: t.WriteCSV},
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := atomicfile.WriteFile(path, f.write); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := draw.WritePNG(filepath.Join(dir, "isochrones.png"), img); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(e.stderr, "wrote isochrones.geojson, isochrones.csv and isochrones.png to %s\n", dir)
	}
	return nil
}
