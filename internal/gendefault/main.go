// Command gendefault rewrites the synthetic demo layers of the embedded
// Kumamoto default (data/kumamoto): boundary, districts, stores and posts.
// The output is deterministic; run it from the module root:
//
//	go run ./internal/gendefault
//
// offices.csv is hand-written and is not touched; the DEMO counter series
// (counter_counts.csv, fiscal 2012–2019) is derived from its counter_count
// column, which holds each office's fiscal 2014 (last recorded) figure.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/internal/gendefault/synth"
)

func main() {
	dir := flag.String("dir", filepath.Join("data", "kumamoto"), "directory to write the layers to")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	files, err := synth.Files()
	if err != nil {
		return err
	}
	ds, _, err := data.Load(data.Paths{data.LayerOffices: filepath.Join(dir, "offices.csv")}, data.Options{})
	if err != nil {
		return err
	}
	var ids []string
	var recorded []float64
	for _, o := range ds.Offices {
		if o.CounterCount == nil {
			return fmt.Errorf("office %s has no counter_count", o.ID)
		}
		ids = append(ids, o.ID)
		recorded = append(recorded, *o.CounterCount)
	}
	if files[synth.CountsFile], err = synth.Counts(ids, recorded); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		b := files[name]
		if err := atomicfile.WriteFile(path, func(w io.Writer) error {
			_, err := w.Write(b)
			return err
		}); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes)\n", path, len(b))
	}
	return nil
}
