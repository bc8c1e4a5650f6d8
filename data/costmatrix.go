package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// CostTable is a table of costs between places keyed by their ids, as read
// from a cost-matrix file: travel times from OSRM or Valhalla, distances
// from another tool.
type CostTable struct {
	// Source names the file.
	Source string
	// Time is true when the costs are travel times in seconds, false when
	// they are distances in metres.
	Time bool
	// HasDistance is true when the rows carry distances (always, for a
	// distance table; for a time table when it has a distance column).
	HasDistance bool
	// HasWeight is true when the rows carry their origin's weight (a
	// weight or population column), for location models run on the
	// table alone.
	HasWeight bool
	Rows      []CostRow
}

// CostRow is the cost from one place to another.
type CostRow struct {
	Origin, Dest string
	// Cost is metres (a distance table) or seconds (a time table).
	Cost float64
	// DistanceM is the length of the way in metres; NaN when unknown.
	DistanceM float64
	// Weight is the origin's weight (its population, say); NaN when the
	// table has no weight column.
	Weight float64
	// Line is the row's line in the file.
	Line int
}

// CostUnits are the units a cost column may be given in (--cost-unit).
var CostUnits = map[string]struct {
	Time  bool
	Scale float64 // to metres or seconds
}{
	"m": {false, 1}, "km": {false, 1000},
	"s": {true, 1}, "min": {true, 60}, "h": {true, 3600},
}

// costColumns are the names a cost column may have, with the unit its name
// says ("" for none: the unit must be given).
var costColumns = map[string]string{
	"cost": "", "value": "",
	"cost_m": "m", "distance_m": "m", "distance": "m", "meters": "m", "metres": "m",
	"cost_km": "km", "distance_km": "km", "km": "km",
	"cost_s": "s", "time_s": "s", "duration_s": "s", "duration": "s", "seconds": "s",
	"cost_min": "min", "time_min": "min", "duration_min": "min", "minutes": "min",
	"cost_h": "h", "time_h": "h", "hours": "h",
}

var (
	weightColumns = []string{"weight", "population", "demand"}
	originColumns = []string{"origin", "origin_id", "from", "from_id", "source", "src", "o"}
	destColumns   = []string{"dest", "destination", "dest_id", "destination_id", "to", "to_id", "target", "dst", "d"}
)

// LoadCostMatrix reads a cost-matrix CSV: a header naming an origin column
// (origin, from, ...), a destination column (dest, to, ...) and a cost
// column whose name gives its unit (distance_m, distance_km, time_s,
// time_min, duration, ...) or a plain "cost" column in unit (m, km, s, min
// or h). A time table may add a distance_m column, read as each route's
// length. Ids are matched to districts and offices by the metric. Every
// cost must be a finite number ≥ 0 and every origin–destination pair
// appear once. A weight (or population) column, when present, gives each
// origin's weight, the same on all its rows. UTF-8 (with or without BOM)
// and Shift_JIS are read.
func LoadCostMatrix(path, unit string) (*CostTable, []Warning, error) {
	b, err := readInput(path, DefaultMaxInputBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("cost matrix: %w", err)
	}
	return ReadCostMatrix(b, path, unit)
}

// ReadCostMatrix is LoadCostMatrix on the bytes of a file named source.
func ReadCostMatrix(b []byte, source, unit string) (*CostTable, []Warning, error) {
	p := &problems{file: source}
	fail := func(line int, field, format string, a ...any) (*CostTable, []Warning, error) {
		where := ""
		if line > 0 {
			where = fmt.Sprintf("line %d", line)
		}
		return nil, p.warnings, &InputError{File: source, Feature: where, Field: field, Message: fmt.Sprintf(format, a...)}
	}
	if unit != "" {
		if _, ok := CostUnits[unit]; !ok {
			return nil, nil, fmt.Errorf("cost unit %q: want m, km, s, min or h", unit)
		}
	}
	dt, err := decodeText(b)
	if err != nil {
		return fail(0, "", "%v", err)
	}
	if dt.note != "" {
		p.warnf("", "", "%s", dt.note)
	}
	text := dt.text
	if err := checkLines(text); err != nil {
		return fail(0, "", "%v", err)
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fail(0, "", "the file is empty; a cost matrix needs a header row (origin,dest,cost) and data rows")
	}
	if err != nil {
		return fail(0, "", "%v", csvError(err))
	}
	header = append([]string(nil), header...) // the reader reuses its record
	cols := map[string]int{}
	costCol, distCol, costUnit := -1, -1, ""
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		cols[name] = i
	}
	find := func(names []string) int {
		for _, n := range names {
			if i, ok := cols[n]; ok {
				return i
			}
		}
		return -1
	}
	oc, dc := find(originColumns), find(destColumns)
	if oc < 0 || dc < 0 {
		return fail(1, "", "the header %q has no origin or destination column: name them origin and dest (or from and to)", strings.Join(header, ","))
	}
	// The cost column: a time column first (a time table may carry
	// distances too), then a distance column, then a plain cost column.
	var timeCols, distCols, plainCols []string
	for name, u := range costColumns {
		if _, ok := cols[name]; !ok {
			continue
		}
		switch {
		case u == "":
			plainCols = append(plainCols, name)
		case CostUnits[u].Time:
			timeCols = append(timeCols, name)
		default:
			distCols = append(distCols, name)
		}
	}
	for _, group := range [][]string{timeCols, distCols, plainCols} {
		if len(group) > 1 {
			return fail(1, "", "the header names %d cost columns of one kind (%s); keep one", len(group), strings.Join(group, ", "))
		}
	}
	switch {
	case len(timeCols) == 1:
		costCol, costUnit = cols[timeCols[0]], costColumns[timeCols[0]]
		if len(distCols) == 1 {
			if costColumns[distCols[0]] != "m" {
				return fail(1, distCols[0], "a time table's distance column must be in metres: name it distance_m")
			}
			distCol = cols[distCols[0]]
		}
	case len(distCols) == 1:
		costCol, costUnit = cols[distCols[0]], costColumns[distCols[0]]
	case len(plainCols) == 1:
		costCol = cols[plainCols[0]]
		if unit == "" {
			return fail(1, plainCols[0], "the cost column has no unit: give --cost-unit m, km, s, min or h, or name the column distance_m, distance_km, time_s or time_min")
		}
		costUnit = unit
	default:
		return fail(1, "", "the header %q has no cost column: add one named distance_m, distance_km, time_s, time_min or cost (with --cost-unit)", strings.Join(header, ","))
	}
	if unit != "" && unit != costUnit {
		return fail(1, header[costCol], "the column says its unit is %s but --cost-unit says %s; leave --cost-unit out or rename the column", costUnit, unit)
	}
	u := CostUnits[costUnit]
	weightCol := find(weightColumns)
	t := &CostTable{Source: source, Time: u.Time, HasDistance: !u.Time || distCol >= 0, HasWeight: weightCol >= 0}
	weightOf := map[string]struct {
		w    float64
		line int
	}{}
	// Ids are interned, and pairs keyed by the ids' numbers: a matrix of
	// a million rows repeats each id a thousand times.
	idNum := map[string]uint64{}
	intern := func(id string) (string, uint64) {
		if n, ok := idNum[id]; ok {
			return id, n
		}
		id = strings.Clone(id)
		n := uint64(len(idNum))
		idNum[id] = n
		return id, n
	}
	seen := map[uint64]int{}
	if n := bytes.Count(text, []byte("\n")); n > 0 {
		t.Rows = make([]CostRow, 0, n)
	}
	number := func(line int, field, s string) (float64, bool) {
		what := "cost"
		if weightCol >= 0 && field == header[weightCol] {
			what = "weight"
		}
		v, msg := parseNumber(s)
		switch {
		case msg == "empty":
			p.errorf(fmt.Sprintf("line %d", line), field, "missing; every row needs a %s", what)
		case msg != "":
			p.errorf(fmt.Sprintf("line %d", line), field, "%q %s; give a number ≥ 0", s, msg)
		case v < 0:
			p.errorf(fmt.Sprintf("line %d", line), field, "negative %s %v; give a number ≥ 0", what, v)
		default:
			return v, true
		}
		return 0, false
	}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.errs = append(p.errs, &InputError{File: source, Message: csvError(err).Error()})
			break
		}
		line, _ := cr.FieldPos(0)
		at := func() string { return fmt.Sprintf("line %d", line) }
		o, d := strings.TrimSpace(row[oc]), strings.TrimSpace(row[dc])
		if o == "" || d == "" {
			p.errorf(at(), "origin/dest", "empty id; every row needs an origin and a destination id")
			continue
		}
		o, on := intern(o)
		d, dn := intern(d)
		c, ok := number(line, header[costCol], row[costCol])
		if !ok {
			continue
		}
		r := CostRow{Origin: o, Dest: d, Cost: c * u.Scale, DistanceM: math.NaN(), Weight: math.NaN(), Line: line}
		if weightCol >= 0 {
			w, ok := number(line, header[weightCol], row[weightCol])
			if !ok {
				continue
			}
			if prev, seen := weightOf[o]; seen && prev.w != w {
				p.errorf(at(), header[weightCol], "origin %s has weight %v here but %v on line %d; give each origin one weight", o, w, prev.w, prev.line)
				continue
			} else if !seen {
				weightOf[o] = struct {
					w    float64
					line int
				}{w, line}
			}
			r.Weight = w
		}
		if !u.Time {
			r.DistanceM = r.Cost
		} else if distCol >= 0 && strings.TrimSpace(row[distCol]) != "" {
			if v, ok := number(line, header[distCol], row[distCol]); ok {
				r.DistanceM = v
			}
		}
		key := on<<32 | dn
		if first, dup := seen[key]; dup {
			p.errorf(at(), "origin/dest", "the pair %s → %s is given twice (also on line %d); keep one", o, d, first)
			continue
		}
		seen[key] = line
		t.Rows = append(t.Rows, r)
	}
	if err := p.err(); err != nil {
		return nil, p.warnings, err
	}
	if len(t.Rows) == 0 {
		return fail(0, "", "the cost matrix has no rows")
	}
	return t, p.warnings, nil
}
