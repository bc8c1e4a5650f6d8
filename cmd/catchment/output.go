package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/render"
)

// outputFlags are --format and -o.
type outputFlags struct {
	format  string
	out     string
	formats []string
}

func addOutputFlags(fs *flag.FlagSet, formats ...string) *outputFlags {
	of := &outputFlags{formats: formats}
	fs.StringVar(&of.format, "format", "table", "output format: "+strings.Join(formats, "|"))
	fs.StringVar(&of.out, "o", "", "write to FILE instead of standard output (written whole or not at all)")
	return of
}

func (of *outputFlags) check() error {
	for _, f := range of.formats {
		if f == of.format {
			return nil
		}
	}
	return fmt.Errorf("--format %q: want one of %s", of.format, strings.Join(of.formats, ", "))
}

// write sends the output to -o (atomically) or to stdout.
func (of *outputFlags) write(e *env, fn func(w io.Writer) error) error {
	if of.out == "" {
		return fn(e.stdout)
	}
	if err := atomicfile.WriteFile(of.out, fn); err != nil {
		return fmt.Errorf("write %s: %w", of.out, err)
	}
	return nil
}

// emit writes a table, or the features as GeoJSON when --format geojson.
func (of *outputFlags) emit(e *env, t render.Table, layer string, features func() []render.Feature) error {
	return of.write(e, func(w io.Writer) error {
		if of.format == "geojson" {
			return render.WriteGeoJSON(w, layer, features())
		}
		return render.WriteTable(w, of.format, t)
	})
}
