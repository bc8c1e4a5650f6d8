package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// numberRange is the values a numeric flag accepts.
type numberRange struct {
	min, max float64
	what     string // what the value is, for the message
}

// halfEquatorKm bounds every distance: no two points on Earth are farther
// apart along the ellipsoid.
const halfEquatorKm = 20037.5

// rangeOf is the range of the numeric flag name, from its name: a unit
// suffix (-km, -m, -min) makes it a distance or time ≥ 0, -share a fraction.
// Every numeric flag must be finite whatever its name.
func rangeOf(name string) numberRange {
	switch {
	case name == "width":
		return numberRange{200, 20000, "an image width in pixels"}
	case name == "dpi":
		return numberRange{0, 2400, "dots per inch (0: automatic)"}
	case name == "beta":
		return numberRange{1e-9, 10, "an exponent"}
	case name == "stage":
		return numberRange{0, 1e6, "a stage number (0: the last)"}
	case name == "time-limit":
		return numberRange{0, 7 * 24 * 3600, "seconds"}
	case strings.HasSuffix(name, "-km"):
		return numberRange{0, halfEquatorKm, "a distance in km"}
	case strings.HasSuffix(name, "-m"):
		return numberRange{0, halfEquatorKm * 1000, "a distance in metres"}
	case strings.HasSuffix(name, "-min"):
		return numberRange{0, 7 * 24 * 60, "a time in minutes"}
	case strings.HasSuffix(name, "-share"):
		return numberRange{0, 1, "a fraction"}
	}
	return numberRange{math.Inf(-1), math.Inf(1), "a number"}
}

// checkNumbers refuses numeric flags given as NaN, ±Inf or out of their
// range, naming the flag: a NaN distance would otherwise compare false
// everywhere and give an empty answer with exit 0.
func checkNumbers(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err != nil {
			return
		}
		g, ok := f.Value.(flag.Getter)
		if !ok {
			return
		}
		var v float64
		switch x := g.Get().(type) {
		case float64:
			v = x
		case int:
			v = float64(x)
		case int64:
			v = float64(x)
		case uint:
			v = float64(x)
		case uint64:
			v = float64(x)
		default:
			return
		}
		r := rangeOf(f.Name)
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			err = fmt.Errorf("--%s %s: want %s, a finite number", f.Name, f.Value, r.what)
		case v < r.min || v > r.max:
			err = fmt.Errorf("--%s %s: want %s %s", f.Name, f.Value, r.what, between(r))
		}
	})
	return err
}

func between(r numberRange) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case math.IsInf(r.max, 1):
		return "≥ " + f(r.min)
	case r.min == 1e-9:
		return "above 0 and at most " + f(r.max)
	}
	return "from " + f(r.min) + " to " + f(r.max)
}
