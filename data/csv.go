package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvHeader holds which columns of a CSV file hold our fields.
type csvHeader struct {
	cols  map[string]int    // our field -> column index
	names map[string]string // our field -> column name as written
	all   []string          // every column name, as written
}

// readCSV streams the data rows of a CSV file with a header row to fn.
// Problems of the file as a whole are returned as errors.
// onHeader is called with the header before the first row.
func readCSV(text []byte, layer Layer, res *resolver, onHeader func(csvHeader), fn func(*record)) (csvHeader, error) {
	var hdr csvHeader
	if err := checkLines(text); err != nil {
		return hdr, err
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return hdr, fmt.Errorf("the file is empty; a CSV layer needs a header row and at least one data row")
	}
	if err != nil {
		return hdr, csvError(err)
	}
	header = append([]string(nil), header...)
	hdr.all = header
	hdr.cols, hdr.names, err = res.columns(header)
	if err != nil {
		return hdr, err
	}
	fields := layerFields[layer]
	needs := func(f string) bool {
		for _, g := range fields {
			if g == f {
				return true
			}
		}
		return false
	}
	_, hasWKT := hdr.cols[fieldWKT]
	if needs(fieldLat) {
		_, hasLat := hdr.cols[fieldLat]
		_, hasLon := hdr.cols[fieldLon]
		for _, f := range []string{fieldLat, fieldLon} {
			if _, ok := hdr.cols[f]; !ok && !(hasWKT && !hasLat && !hasLon) {
				return hdr, fmt.Errorf("line 1: field %s: no %s column (%s) in the header %q, and no WKT column (%s) of points — rename the column or map it with --field %s.%s=COLUMN (or --field %s.wkt=COLUMN for WKT points)",
					f, map[string]string{fieldLat: "latitude", fieldLon: "longitude"}[f], strings.Join(aliases[f], ", "), clip(strings.Join(header, ","), 80), strings.Join(aliases[fieldWKT], ", "), layer, f, layer)
			}
		}
	} else if !hasWKT {
		return hdr, fmt.Errorf("line 1: field wkt: %s are polygons: give them as GeoJSON, or add a column of WKT polygons named %s (or map one with --field %s.wkt=COLUMN)",
			layer, strings.Join(aliases[fieldWKT], ", "), layer)
	}
	onHeader(hdr)
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return hdr, nil
		}
		if err != nil {
			return hdr, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		r := &record{index: line, csv: true, values: make(map[string]any, len(hdr.cols))}
		for f, c := range hdr.cols {
			r.values[f] = strings.TrimSpace(row[c])
		}
		fn(r)
	}
}

// csvError explains a CSV syntax error with its line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return fmt.Errorf("line %d: the row has a different number of columns than the header; quote values that contain commas", pe.Line)
		}
		return fmt.Errorf("line %d: invalid CSV: %v", pe.Line, pe.Err)
	}
	return fmt.Errorf("invalid CSV: %w", err)
}
