package main

import (
	"fmt"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/render"
	"github.com/kumamoto-gis/catchment/render/vector"
)

func nearestCommand() command {
	c := command{name: "nearest", summary: "each branch office's nearest ward office and the distance"}
	c.usage = `Lists every office of one kind (default: branch) with the nearest office of
another kind (default: ward) and the geodesic distance on the WGS84 ellipsoid.
published_km is the city's own (road) distance where the data has it, and
published_ratio = published_km / distance_km.

With --metric road or time and --network FILE (an OpenStreetMap extract) the
distance is measured along roads (car or walk profile); offices farther than
--max-snap-m from any road are listed with a note instead of a distance.

Example:
  catchment nearest --format json
  catchment nearest --metric road --network kumamoto.osm.pbf --profile car
  catchment nearest --offices offices.csv --format csv -o nearest.csv
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.LayerOffices)
		of := addOutputFlags(fs, "table", "csv", "json")
		from := fs.String("from", "branch", "kind of the offices listed")
		to := fs.String("to", "ward", "kind of the offices searched")
		mf := addMetricFlags(fs)
		ds, err := begin(e, fs, args, lf, of, data.LayerOffices)
		if err != nil {
			return err
		}
		s, err := lf.measuredStudy(e, ds, mf, 0)
		if err != nil {
			return err
		}
		rows, err := s.Nearest(data.OfficeKind(*from), data.OfficeKind(*to))
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		return of.emit(e, render.NearestTable(rows, 0, s.Metric().Name()), "nearest", nil)
	}
	return c
}

func candidatesCommand() command {
	c := command{name: "candidates", summary: "branch offices within --max-km of a ward office (reorganisation candidates)"}
	c.usage = `Lists the branch offices whose nearest ward office is within --max-km
(Kumamoto's rule: 5 km), nearest first.

Example:
  catchment candidates
  catchment candidates --max-km 3 --format json
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.LayerOffices)
		of := addOutputFlags(fs, "table", "csv", "json")
		maxKm := fs.Float64("max-km", catchment.DefaultMaxKm, "distance rule in km")
		mf := addMetricFlags(fs)
		if err := parse(fs, args); err != nil {
			return err
		}
		if *maxKm <= 0 {
			return fmt.Errorf("--max-km must be positive, got %g", *maxKm)
		}
		ds, err := begin(e, fs, nil, lf, of, data.LayerOffices)
		if err != nil {
			return err
		}
		s, err := lf.measuredStudy(e, ds, mf, 0)
		if err != nil {
			return err
		}
		rows, err := s.Candidates(*maxKm)
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		return of.emit(e, render.NearestTable(rows, *maxKm, s.Metric().Name()), "candidates", nil)
	}
	return c
}

func assignCommand() command {
	c := command{name: "assign", summary: "every district → its nearest open office, and what each office serves"}
	c.usage = `Assigns every district to the nearest office of any kind, measured on the
WGS84 ellipsoid from the district's representative point (its area centroid, or
a point on its surface when the centroid falls outside).

Example:
  catchment assign --format csv -o assign.csv
  catchment assign --districts a27.geojson --offices offices.csv --field districts.name=A27_004 --format geojson -o assign.geojson
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.LayerOffices, data.LayerDistricts)
		of := addOutputFlags(fs, "table", "csv", "json", "geojson")
		mf := addMetricFlags(fs)
		ds, err := begin(e, fs, args, lf, of, data.LayerOffices, data.LayerDistricts)
		if err != nil {
			return err
		}
		s, err := lf.measuredStudy(e, ds, mf, 0)
		if err != nil {
			return err
		}
		a, err := s.Assign()
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		if a.Unreached == len(a.Districts) {
			return fmt.Errorf("no district reaches an office under the %s metric (%s)", s.Metric().Name(), a.Districts[0].Note)
		}
		return of.emit(e, render.AssignTable(a), "assign", func() []vector.Feature {
			return render.DistrictFeatures(a, nil)
		})
	}
	return c
}

func gapsCommand() command {
	c := command{name: "gaps", summary: "districts with no convenience store (and whether a post office is there)"}
	c.usage = `Counts the convenience stores and post offices in every district. A district
with no store is a gap: residents cannot print certificates nearby, so the
office or a post office must serve them. --within-m counts points within that
distance of the district instead of inside it.

Example:
  catchment gaps
  catchment gaps --within-m 500 --format geojson -o gaps.geojson
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.LayerDistricts, data.LayerStores, data.LayerPosts)
		of := addOutputFlags(fs, "table", "csv", "json", "geojson")
		withinM := fs.Float64("within-m", 0, "count points within this many metres of the district (0: inside only)")
		if err := parse(fs, args); err != nil {
			return err
		}
		// Only the gap layer carries the districts' population.
		lf.populationUnused = !of.features()
		ds, err := begin(e, fs, nil, lf, of, data.LayerDistricts, data.LayerStores)
		if err != nil {
			return err
		}
		s, err := lf.study(ds, nil, *withinM)
		if err != nil {
			return err
		}
		gaps, err := s.Gaps()
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		return of.emit(e, render.GapsTable(gaps), "gaps", func() []vector.Feature {
			return render.GapFeatures(gaps)
		})
	}
	return c
}

func catchmentsCommand() command {
	c := command{name: "catchments", summary: "catchment polygons per office (dissolved districts or Voronoi cells)"}
	c.usage = `Draws the area each open office serves: --method dissolve unions the
districts assigned to it; --method voronoi takes the office's Voronoi cell
clipped to the boundary (or to the districts' extent).

Example:
  catchment catchments --format geojson -o catchments.geojson
  catchment catchments --method voronoi --format table
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		lf := addLayerFlags(fs, data.LayerOffices, data.LayerDistricts, data.LayerBoundary)
		of := addOutputFlags(fs, "table", "csv", "json", "geojson")
		method := fs.String("method", "dissolve", "dissolve|voronoi")
		ds, err := begin(e, fs, args, lf, of, data.LayerOffices)
		if err != nil {
			return err
		}
		m := catchment.Method(*method)
		if m != catchment.Dissolve && m != catchment.Voronoi {
			return fmt.Errorf("--method %q: want dissolve or voronoi", m)
		}
		if m == catchment.Dissolve {
			if err := require(ds, data.LayerOffices, data.LayerDistricts); err != nil {
				return err
			}
		}
		s, err := lf.study(ds, nil, 0)
		if err != nil {
			return err
		}
		cs, err := s.Catchments(m)
		printWarnings(e, lf.quiet, s.Warnings())
		if err != nil {
			return err
		}
		return of.emit(e, render.CatchmentsTable(cs), "catchments", func() []vector.Feature {
			return render.CatchmentFeatures(cs)
		})
	}
	return c
}
