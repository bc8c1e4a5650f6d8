package main

import (
	"bytes"
	"flag"
	"fmt"
	stdpng "image/png"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/catchment/road"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/pgsource"
	"github.com/kumamoto-gis/catchment/network"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/draw"
	"github.com/kumamoto-gis/catchment/render/vector"
)

func isochronesCommand() command {
	c := command{name: "isochrones", summary: "service areas: where each office is reached within --minutes (or --km) on the road network"}
	c.usage = `Draws nested service areas (isochrones) on a road network: for every office
on the network and for all offices together, the places from which the
nearest office is reached within each limit. With --metric time (the default)
the limits are --minutes of travel; with --metric road they are --km of road.
A place counts when it lies within --buffer-m of a reached road; the areas
follow a --cell-m grid and keep holes where no road reaches. A place belongs
to the office it is cheapest to reach (on a tie, the office listed first), so
at each limit the offices' bands partition the union's: they do not overlap
and leave nothing out. An office's bands nest (its 10 min band lies inside its
20 min band). Every polygon is valid under the OGC rules (GEOS, QGIS).

Counting rule: a band's districts and population are those of the districts
whose representative point lies inside the band's polygon. That point is the
one every route is measured from: population-weighted with --population, else
the district's area centroid (a point inside it when the centroid falls
outside). A point exactly on a border counts in the band east of it (north of
it on an east-west border), so it counts in one office's band. Any
point-in-polygon tool reproduces the counts from the polygons; a district
whose point lies beyond --buffer-m of every reached road counts in no band.
Offices and districts farther than --max-snap-m from any road are left out,
with warnings naming the offices.

Outputs: a table (--format table|csv|json|xlsx) or a layer (--format
geojson|gpkg|csvwkt) with office_id, office_name, kind, scope (office|union),
metric, profile, minutes or km, area_km2, districts, population,
district_ids; or, with --out DIR, isochrones.geojson (and its QGIS style
isochrones.qml), isochrones.csv and the map isochrones.png.

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
		of.dataset = ds
		s, err := lf.measuredStudy(e, ds, mf, 0)
		if err != nil {
			return err
		}
		rm, ok := s.Metric().(road.Metric)
		if !ok {
			return fmt.Errorf("isochrones need a road network (--metric time or road)")
		}
		sa, err := s.ServiceAreas(catchment.AreaOptions{Limits: limits, BufferM: *bufferM, CellM: *cellM})
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		profile := string(rm.Graph.Profile)
		if *outDir != "" {
			return writeIsochronesDir(e, *outDir, s, sa, profile, mf.network, *bufferM, of.readerFlags, lf.quiet)
		}
		return of.emit(e, render.IsochroneTable(sa, profile), "isochrones", func() []vector.Feature {
			return render.IsochroneFeatures(sa, profile)
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

// writeIsochronesDir renders the table, the layer and the map, then writes
// each file whole or not at all.
func writeIsochronesDir(e *env, dir string, s *catchment.Study, sa catchment.ServiceAreas, profile, networkPath string, bufferM float64, rf *readerFlags, quiet bool) error {
	ds := s.Dataset()
	roads := filepath.Base(networkPath)
	if pgsource.IsSource(networkPath) {
		roads = "PostGIS" // the connection string may hold a password
	}
	credit := "; roads: " + roads + " (OpenStreetMap contributors, ODbL)"
	lines, err := isLineLayer(networkPath)
	if err != nil {
		return err
	}
	if lines { // a line layer (MLIT links, the city's roads), not OpenStreetMap
		credit = "; roads: " + roads
	}
	md := render.IsochroneMap(s, sa, profile, render.SourceLine(ds)+credit)
	md.BufferM, md.LineRoads = bufferM, lines
	img, warns, err := draw.RenderIsochroneMap(md, draw.MapOptions{})
	if err != nil {
		return fmt.Errorf("map isochrones.png: %w", err)
	}
	if !quiet {
		for _, w := range warns {
			fmt.Fprintf(e.stderr, "warning: isochrones.png: %s\n", w)
		}
	}
	t := render.IsochroneTable(sa, profile)
	files := []outputFile{
		{name: "isochrones.geojson", write: func(w io.Writer) error {
			return vector.WriteGeoJSON(w, "isochrones", render.IsochroneFeatures(sa, profile))
		}},
		{name: "isochrones.qml", write: func(w io.Writer) error {
			qml, err := layerQML("isochrones", render.IsochroneFeatures(sa, profile), s.Dataset())
			if err != nil {
				return err
			}
			_, err = io.WriteString(w, qml)
			return err
		}},
		{name: "isochrones.csv", write: t.WriteCSV},
	}
	if err := rf.encodeCSVFiles(files); err != nil {
		return err
	}
	var png bytes.Buffer
	if err := stdpng.Encode(&png, img); err != nil {
		return err
	}
	if err := publish(dir, "isochrones", files, []drawn{{"isochrones.png", png.Bytes()}}); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(e.stderr, "wrote isochrones.geojson, isochrones.csv and isochrones.png to %s\n", dir)
	}
	return nil
}
