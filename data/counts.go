package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
)

// CounterCount is the number of counter transactions at one office in one
// (fiscal) year.
type CounterCount struct {
	OfficeID string
	Year     int
	Count    float64
	// Certificates is the part of Count that is certificate issuing
	// (証明書発行), nil when the file does not say.
	Certificates *float64
	// Projected marks a forecast (見込み), not a recorded figure.
	Projected bool
}

// countColumns are the accepted headers of a counts CSV, per field.
var countColumns = map[string][]string{
	"office_id":    {"office_id", "id", "office", "窓口id", "事務所id"},
	"year":         {"year", "fiscal_year", "年度", "年"},
	"count":        {"count", "counter_count", "transactions", "件数", "取扱件数"},
	"certificates": {"certificates", "certificate_count", "証明書", "証明書発行件数"},
	"projected":    {"projected", "projection", "is_projected", "見込み", "推計"},
}

// projectedValues are the accepted values of the projected column; an empty
// cell is a recorded figure.
var projectedValues = map[string]bool{
	"": false, "false": false, "no": false, "0": false, "actual": false, "実績": false,
	"true": true, "yes": true, "1": true, "projected": true, "見込み": true, "推計": true,
}

// LoadCounts reads a CSV of counter transactions per office and year
// (columns office_id, year, count; optional certificates, the part of count
// that is certificate issuing, and projected, true for a forecast; UTF-8 or
// Shift_JIS) and checks every row against the offices: unknown office ids,
// duplicate (office, year) rows, certificates above the count and a recorded
// year after a projected one of the same office are errors naming the line.
func LoadCounts(path string, offices []Office) ([]CounterCount, []Warning, error) {
	b, err := readInput(path, DefaultMaxInputBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("load counts: %w", err)
	}
	return ReadCounts(b, path, offices)
}

// LoadCountsFS is LoadCounts on a file system.
func LoadCountsFS(fsys fs.FS, name string, offices []Office) ([]CounterCount, []Warning, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, nil, fmt.Errorf("load counts: %w", err)
	}
	return ReadCounts(b, name, offices)
}

// ReadCounts parses the bytes of a counts CSV named file.
func ReadCounts(b []byte, file string, offices []Office) ([]CounterCount, []Warning, error) {
	p := &problems{file: file}
	dt, err := decodeText(b)
	if err != nil {
		return nil, nil, &InputError{File: file, Message: err.Error()}
	}
	if dt.note != "" {
		p.warnf("", "", "%s", dt.note)
	}
	text := dt.text
	if err := checkLines(text); err != nil {
		return nil, nil, &InputError{File: file, Message: err.Error()}
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, nil, &InputError{File: file, Message: "empty file: want a header office_id,year,count and one row per office and year"}
	}
	if err != nil {
		return nil, nil, &InputError{File: file, Feature: "line 1", Message: err.Error()}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		for field, names := range countColumns {
			for _, n := range names {
				if h == n {
					if _, dup := col[field]; !dup {
						col[field] = i
					}
				}
			}
		}
	}
	for _, f := range []string{"office_id", "year", "count"} {
		if _, ok := col[f]; !ok {
			return nil, nil, &InputError{File: file, Feature: "line 1", Field: f,
				Message: fmt.Sprintf("no %s column in the header %q; accepted names: %s", f, strings.Join(header, ","), strings.Join(countColumns[f], ", "))}
		}
	}
	known := map[string]bool{}
	for _, o := range offices {
		known[o.ID] = true
	}
	seen := map[string]int{}
	var out []CounterCount
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		where := fmt.Sprintf("line %d", line)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				where = fmt.Sprintf("line %d", pe.Line)
			}
			p.errorf(where, "", "%v", err)
			break
		}
		get := func(f string) string {
			if i := col[f]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		id := get("office_id")
		if id == "" {
			p.errorf(where, "office_id", "missing office id")
			continue
		}
		if len(offices) > 0 && !known[id] {
			p.errorf(where, "office_id", "unknown office id %q; it must be an id of the offices layer", id)
			continue
		}
		year, err := strconv.Atoi(get("year"))
		if err != nil || year < 1900 || year > 2200 {
			p.errorf(where, "year", "%q is not a year (want e.g. 2024)", get("year"))
			continue
		}
		count, err := strconv.ParseFloat(strings.ReplaceAll(get("count"), ",", ""), 64)
		if err != nil || math.IsNaN(count) || math.IsInf(count, 0) || count < 0 {
			p.errorf(where, "count", "%q is not a count (want a number ≥ 0)", get("count"))
			continue
		}
		key := fmt.Sprintf("%s/%d", id, year)
		if prev, ok := seen[key]; ok {
			p.errorf(where, "year", "office %s has a second row for %d (first on line %d)", id, year, prev)
			continue
		}
		cc := CounterCount{OfficeID: id, Year: year, Count: count}
		if _, ok := col["certificates"]; ok && get("certificates") != "" {
			v, err := strconv.ParseFloat(strings.ReplaceAll(get("certificates"), ",", ""), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > count {
				p.errorf(where, "certificates", "%q is not a certificate count from 0 to the row's count %g", get("certificates"), count)
				continue
			}
			cc.Certificates = &v
		}
		if _, ok := col["projected"]; ok {
			v, known := projectedValues[strings.ToLower(get("projected"))]
			if !known {
				p.errorf(where, "projected", "%q is not a yes/no value (want true or false; empty is false)", get("projected"))
				continue
			}
			cc.Projected = v
		}
		seen[key] = line
		out = append(out, cc)
	}
	if err := p.err(); err != nil {
		return nil, p.warnings, err
	}
	if len(out) == 0 {
		return nil, p.warnings, &InputError{File: file, Message: "no rows: want one row per office and year"}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].OfficeID != out[j].OfficeID {
			return out[i].OfficeID < out[j].OfficeID
		}
		return out[i].Year < out[j].Year
	})
	// Recorded figures come before projections: a recorded year after a
	// projected one is a mislabelled row.
	for i := 1; i < len(out); i++ {
		a, b := out[i-1], out[i]
		if a.OfficeID == b.OfficeID && a.Projected && !b.Projected {
			p.errorf(fmt.Sprintf("line %d", seen[fmt.Sprintf("%s/%d", b.OfficeID, b.Year)]), "projected",
				"office %s: %d is recorded but %d before it is projected (line %d); projections must come after the recorded years",
				b.OfficeID, b.Year, a.Year, seen[fmt.Sprintf("%s/%d", a.OfficeID, a.Year)])
		}
	}
	if err := p.err(); err != nil {
		return nil, p.warnings, err
	}
	return out, p.warnings, nil
}
