// Command ourjobs runs the comparison harness's jobs with this module's
// code, as whole processes like the GeoPandas and QGIS runs (see
// bench/README.md):
//
//	ourjobs points  DIR OUT.geojson   population cell centroids as points (setup, untimed)
//	ourjobs nearest POINTS OFFICES OUT.csv   nearest office of every point: id,office_id,distance_m
//	ourjobs count   DISTRICTS STORES OUT.csv  stores per district: id,count
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"io"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ourjobs:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: ourjobs points|nearest|count ARGS (see the package doc)")
	}
	switch args[0] {
	case "points":
		cells, _, err := data.LoadPopulation(filepath.Join(args[1], "population.geojson"), data.Options{})
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(args[2], func(w io.Writer) error {
			bw := bufio.NewWriter(w)
			fmt.Fprint(bw, `{"type":"FeatureCollection","name":"population_points","features":[`+"\n")
			for i, c := range cells {
				sep := ","
				if i == len(cells)-1 {
					sep = ""
				}
				fmt.Fprintf(bw, `{"type":"Feature","geometry":{"type":"Point","coordinates":[%s,%s]},"properties":{"id":%q,"population":%s}}%s`+"\n",
					num(c.Point[0]), num(c.Point[1]), c.ID, num(c.Population), sep)
			}
			fmt.Fprint(bw, "]}\n")
			return bw.Flush()
		})
	case "nearest":
		if len(args) != 4 {
			return fmt.Errorf("usage: ourjobs nearest POINTS OFFICES OUT.csv")
		}
		cells, _, err := data.LoadPopulation(args[1], data.Options{})
		if err != nil {
			return err
		}
		ds, _, err := data.Load(data.Paths{data.LayerOffices: args[2]}, data.Options{})
		if err != nil {
			return err
		}
		// The cells are the origins of the geodesic metric, the offices its
		// destinations.
		origins := make([]catchment.Place, len(cells))
		for i, c := range cells {
			origins[i] = catchment.Place{ID: c.ID, Location: c.Point}
		}
		dests := make([]catchment.Place, len(ds.Offices))
		for i, o := range ds.Offices {
			dests[i] = catchment.Place{ID: o.ID, Location: o.Location}
		}
		costs, err := catchment.Geodesic{}.Measure(origins, dests)
		if err != nil {
			return err
		}
		reach, err := costs.Nearest(nil, nil)
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(args[3], func(w io.Writer) error {
			bw := bufio.NewWriter(w)
			fmt.Fprintln(bw, "id,office_id,distance_m")
			for i, r := range reach {
				fmt.Fprintf(bw, "%s,%s,%.3f\n", cells[i].ID, ds.Offices[r.To].ID, r.DistanceM)
			}
			return bw.Flush()
		})
	case "count":
		if len(args) != 4 {
			return fmt.Errorf("usage: ourjobs count DISTRICTS STORES OUT.csv")
		}
		ds, _, err := data.Load(data.Paths{data.LayerDistricts: args[1], data.LayerStores: args[2]}, data.Options{})
		if err != nil {
			return err
		}
		study, err := catchment.NewStudy(ds, catchment.Options{})
		if err != nil {
			return err
		}
		rows, err := study.Gaps()
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(args[3], func(w io.Writer) error {
			bw := bufio.NewWriter(w)
			fmt.Fprintln(bw, "id,count")
			for _, r := range rows {
				fmt.Fprintf(bw, "%s,%d\n", r.District.ID, r.Stores)
			}
			return bw.Flush()
		})
	}
	return fmt.Errorf("unknown job %q; jobs are points, nearest, count", args[0])
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
