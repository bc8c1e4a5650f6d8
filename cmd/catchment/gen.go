package main

import (
	"fmt"
	"time"

	"github.com/kumamoto-gis/catchment/internal/outdir"
	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

func genCommand() command {
	c := command{name: "gen", summary: "write a deterministic SYNTHETIC study area (city, prefecture or nation scale) for tests and benchmarks"}
	c.usage = `Writes a synthetic study area into --out, in the formats --data DIR reads:
  offices.csv          offices (about a quarter ward, the rest branch)
  districts.geojson    school districts with population; some with holes
                       (enclaves) and some MultiPolygons (coastal islands)
  stores.geojson       convenience stores, clustered where people live
  posts.geojson        post offices, spread more evenly
  boundary.geojson     the land
  population.geojson   populated mesh cells with a population field
Sizes: city ≈ Kumamoto City (90 districts); prefecture ≈ Kumamoto Prefecture
(350 districts); nation ≈ Japan (19,000 districts, 56,000 stores, 24,000 post
offices, 1,700 offices, 125 million people in about 400,000 cells).
The same scale always gives the same files. None of it is real data.

Example:
  catchment gen --scale nation --out /tmp/nation
  catchment report --data /tmp/nation --out /tmp/nation-report
`
	c.run = func(e *env, args []string) error {
		fs := newFlagSet(e, &c)
		scale := fs.String("scale", "city", "city, prefecture or nation")
		out := fs.String("out", "", "output folder (required)")
		quiet := fs.Bool("quiet", false, "print nothing but errors")
		if err := parse(fs, args); err != nil {
			return err
		}
		if *out == "" {
			return fmt.Errorf("--out DIR is required")
		}
		spec, err := synthetic.SpecFor(synthetic.Scale(*scale))
		if err != nil {
			return fmt.Errorf("--scale: %w", err)
		}
		start := time.Now()
		p := newProgress(e, *quiet, "gen "+*scale)
		p.step("generating")
		ds, err := synthetic.Generate(spec)
		if err != nil {
			p.done()
			return err
		}
		p.step("writing")
		tx, err := outdir.Begin(*out, "gen")
		if err != nil {
			p.done()
			return err
		}
		defer tx.Abort()
		files, err := ds.WriteDir(tx.Stage(), p.update)
		p.done()
		if err != nil {
			return err
		}
		for _, f := range files {
			tx.Mark(f.Name)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		if !*quiet {
			for _, f := range files {
				fmt.Fprintf(e.stderr, "%-20s %9d features %8.1f MB\n", f.Name, f.Features, float64(f.Bytes)/1e6)
			}
			fmt.Fprintf(e.stderr, "wrote %s scale to %s in %v (synthetic data)\n", *scale, *out, time.Since(start).Round(time.Millisecond))
		}
		return nil
	}
	return c
}
