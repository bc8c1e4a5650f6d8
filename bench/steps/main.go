// Command steps times each step of the report pipeline on a --data folder,
// optionally writing a CPU profile, to find what dominates at scale:
//
//	go run ./bench/steps --data /tmp/nation --cpuprofile /tmp/cpu.out
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

func main() {
	dir := flag.String("data", "", "folder to load")
	prof := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()
	if err := run(*dir, *prof); err != nil {
		fmt.Fprintln(os.Stderr, "steps:", err)
		os.Exit(1)
	}
}

func run(dir, prof string) error {
	if prof != "" {
		f, err := os.Create(prof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	t := time.Now()
	lap := func(name string) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Printf("%-22s %8.3f s  heap %6.0f MB\n", name, time.Since(t).Seconds(), float64(m.HeapAlloc)/1e6)
		t = time.Now()
	}
	ds, _, err := data.LoadDir(dir, data.Options{})
	if err != nil {
		return err
	}
	lap("load")
	pts := catchment.RepresentativePoints(ds.Districts)
	lap("representative points")
	if _, _, err := catchment.NearestOfficesBy(ds.Offices, data.Branch, data.Ward, nil, catchment.Geodesic{}); err != nil {
		return err
	}
	lap("nearest offices")
	a, _, err := catchment.AssignBy(ds.Districts, ds.Offices, pts, nil, catchment.Geodesic{})
	if err != nil {
		return err
	}
	lap("assign")
	if _, err := catchment.Gaps(ds.Districts, ds.Stores, ds.Posts, 0); err != nil {
		return err
	}
	lap("gaps")
	if _, err := catchment.DissolveCatchments(ds.Districts, ds.Offices, a); err != nil {
		return err
	}
	lap("dissolve")
	if _, err := catchment.VoronoiCatchments(ds.Districts, ds.Offices, ds.Boundary, a); err != nil {
		return err
	}
	lap("voronoi")
	return nil
}
