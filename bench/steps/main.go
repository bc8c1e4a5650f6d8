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
	s, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		return err
	}
	lap("study (representative points)")
	if _, err := s.Nearest(data.Branch, data.Ward); err != nil {
		return err
	}
	lap("nearest offices")
	if _, err := s.Assign(); err != nil {
		return err
	}
	lap("assign")
	if _, err := s.Gaps(); err != nil {
		return err
	}
	lap("gaps")
	if _, err := s.Catchments(catchment.Dissolve); err != nil {
		return err
	}
	lap("dissolve")
	if _, err := s.Catchments(catchment.Voronoi); err != nil {
		return err
	}
	lap("voronoi")
	w, err := s.WhatIf()
	if err != nil {
		return err
	}
	if _, err := w.Each(data.Branch, catchment.CompareOptions{MaxKm: catchment.DefaultMaxKm}); err != nil {
		return err
	}
	lap("what-if each branch")
	return nil
}
