package main

import (
	"fmt"
	"os"
	"time"

	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

func main() {
	spec, err := synthetic.SpecFor(synthetic.Scale(os.Args[1]))
	if err != nil {
		panic(err)
	}
	t := time.Now()
	ds, err := synthetic.Generate(spec)
	if err != nil {
		panic(err)
	}
	fmt.Println("generate", time.Since(t))
	tot := 0
	for _, c := range ds.Population {
		tot += c.Population
	}
	multi, holes := 0, 0
	for _, d := range ds.Districts {
		if len(d.Geometry) > 1 {
			multi++
		}
		for _, p := range d.Geometry {
			if len(p) > 1 {
				holes++
			}
		}
	}
	fmt.Println("districts", len(ds.Districts), "multi", multi, "holes", holes, "cells", len(ds.Population), "pop", tot, "offices", len(ds.Offices), "stores", len(ds.Stores), "posts", len(ds.Posts), "boundary parts", len(ds.Boundary))
	files, err := ds.WriteDir(os.Args[2], nil)
	fmt.Println(files, err, time.Since(t))
}
