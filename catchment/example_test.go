package catchment_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
)

// A study of the embedded Kumamoto data: load, build the study, then ask
// it for the assignment, the coverage gaps and a what-if.
func Example() {
	ds, _, err := data.Default() // 19 real offices; districts, stores and posts are synthetic
	if err != nil {
		log.Fatal(err)
	}
	study, err := catchment.NewStudy(ds, catchment.Options{}) // geodesic distances
	if err != nil {
		log.Fatal(err)
	}

	a, err := study.Assign()
	if err != nil {
		log.Fatal(err)
	}
	d := a.Districts[0]
	fmt.Printf("%s is served by %s, %.1f km away\n", d.District.Name, d.Office.Name, d.DistanceM/1000)

	gaps, err := study.Gaps()
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for _, g := range gaps {
		if g.Gap {
			n++
		}
	}
	fmt.Printf("%d of %d districts have no convenience store\n", n, len(gaps))

	w, err := study.WhatIf()
	if err != nil {
		log.Fatal(err)
	}
	c, err := w.Compare(catchment.Change{Name: "close 大江", Close: []string{"oe"}}, catchment.CompareOptions{MaxKm: 5, Coverage: gaps})
	if err != nil {
		log.Fatal(err)
	}
	s := c.Summary
	fmt.Printf("closing 大江 moves %d districts (%.0f residents) %.2f km farther on average\n", s.MovedDistricts, s.MovedPopulation, s.WeightedChangeM/1000)
	// Output:
	// 第1校区 (synthetic) is served by 中央区役所, 0.3 km away
	// 11 of 90 districts have no convenience store
	// closing 大江 moves 5 districts (50370 residents) 0.74 km farther on average
}

// The reorganisation candidates of the plan's rule: branch offices whose
// nearest ward office is within 5 km.
func ExampleStudy_Candidates() {
	ds, _, err := data.Default()
	if err != nil {
		log.Fatal(err)
	}
	study, err := catchment.NewStudy(ds, catchment.Options{})
	if err != nil {
		log.Fatal(err)
	}
	rows, err := study.Candidates(catchment.DefaultMaxKm)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows[:3] {
		fmt.Printf("%s → %s %.2f km\n", r.Office.Name, r.Nearest.Name, r.DistanceM/1000)
	}
	// Output:
	// 秋津出張所 → 東区役所 1.16 km
	// 東部出張所 → 東区役所 1.53 km
	// 大江出張所 → 中央区役所 1.68 km
}

// Plugging in a cost matrix: travel times from OSRM or Valhalla, keyed by
// district and office ids (here a tiny hand-made table).
func ExampleCostMatrix() {
	ds, _, err := data.Default()
	if err != nil {
		log.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("origin,dest,time_min\n")
	for _, d := range ds.Districts[:2] {
		fmt.Fprintf(&csv, "%s,chuo,12\n%s,oe,7.5\n", d.ID, d.ID)
	}
	table, _, err := data.ReadCostMatrix([]byte(csv.String()), "times.csv", "")
	if err != nil {
		log.Fatal(err)
	}
	study, err := catchment.NewStudy(ds, catchment.Options{Metric: catchment.NewCostMatrix(table)})
	if err != nil {
		log.Fatal(err)
	}
	a, err := study.Assign()
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range a.Districts[:3] {
		if d.Reached() {
			fmt.Printf("%s → %s in %.1f min\n", d.District.ID, d.Office.ID, d.TimeS/60)
		} else {
			fmt.Printf("%s: %s\n", d.District.ID, d.Note)
		}
	}
	fmt.Printf("%d districts are not in the matrix; %d warnings name them and the offices no district reaches\n", a.Unreached, len(study.Warnings()))
	// Output:
	// d01 → oe in 7.5 min
	// d02 → oe in 7.5 min
	// d03: the cost matrix has no cost to an open office
	// 88 districts are not in the matrix; 2 warnings name them and the offices no district reaches
}
