package data

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// LayerPopulation is the optional population layer: points or mesh cells
// with a population count, read with LoadPopulation.
const LayerPopulation Layer = "population"

// PopulationCell is where some people live: a point, or a cell of a
// population mesh (such as the 500 m mesh of the census).
type PopulationCell struct {
	ID         string
	Population float64
	// Point stands for the cell in distance and point-in-polygon tests: the
	// point itself, or the area centroid of a polygon (its first vertex when
	// the polygon has no area).
	Point orb.Point
	// Geometry is the cell's polygon; nil for point features.
	Geometry orb.MultiPolygon
}

// populationFields are the fields of the population layer.
var populationFields = []string{fieldID, fieldPopulation, fieldLat, fieldLon}

// LoadPopulation reads a population layer: a GeoJSON FeatureCollection of
// Points or Polygons/MultiPolygons with a population property (人口), or a
// CSV with population, lat and lon columns, or a file one of
// Options.Readers accepts (FlatGeobuf, GeoPackage). Options.Fields[LayerPopulation]
// maps our fields (id, population, lat, lon) to the file's names. Features
// without a usable population or geometry are errors naming the feature (or
// CSV line) and field; a population of 0 is kept.
func LoadPopulation(path string, opt Options) ([]PopulationCell, []Warning, error) {
	if rd := opt.reader(path); rd != nil {
		return loadPopulationWith(rd, path, opt)
	}
	raw, err := opt.readFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("layer population: %w", err)
	}
	dt, err := decodeText(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	text := dt.text
	res, err := populationResolver(opt)
	if err != nil {
		return nil, nil, err
	}
	p := &problems{file: path}
	var cells []PopulationCell
	if !strings.EqualFold(filepath.Ext(path), ".csv") {
		// As many cells as features, most likely: no growing and copying.
		cells = make([]PopulationCell, 0, min(bytes.Count(text, []byte(`"Feature"`)), len(text)/64+1))
	}
	add := func(r *record, g orb.Geometry) {
		v, msg := populationValue(r.values[fieldPopulation])
		if msg != "" {
			p.errorf(where(r), fieldPopulation, "%s", msg)
			return
		}
		c := PopulationCell{ID: toText(r.values[fieldID]), Population: v}
		if c.ID == "" {
			c.ID = fmt.Sprintf("population-%d", r.index)
		}
		switch g := g.(type) {
		case orb.Point:
			c.Point = g
		case orb.MultiPolygon:
			if !opt.CellPoints {
				c.Geometry = g
			}
			c.Point = cellPoint(g)
		}
		cells = append(cells, c)
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		if err := readPopulationCSV(text, res, p, add); err != nil {
			return nil, p.warnings, fmt.Errorf("%s: %w", path, err)
		}
	} else {
		keys := map[string]bool{}
		use := reuseRecord
		if opt.CellPoints {
			use = reuseAll
		}
		hdr, err := readGeoJSON(text, res, keys, use, func(r *record) {
			g := geometryOf(r.geom)
			switch g.Type {
			case "Point", "MultiPoint":
				pt, msg := pointGeometry(r.geom)
				if msg == "" {
					msg = positionMessage(pt, LayerPopulation)
				}
				if msg != "" {
					p.errorf(where(r), "geometry", "%s", msg)
					return
				}
				add(r, pt)
			default:
				mp, multi, msg := polygonGeometry(r.geom)
				if msg == "" {
					msg = checkRings(mp, multi, LayerPopulation)
				}
				if msg != "" {
					p.errorf(where(r), "geometry", "%s", strings.Replace(msg, "this layer needs Polygon or MultiPolygon geometries", "the population layer needs Points, Polygons or MultiPolygons", 1))
					return
				}
				add(r, mp)
			}
		}, func() {
			cells = cells[:0]
			p = &problems{file: path}
		})
		if err != nil {
			return nil, p.warnings, fmt.Errorf("%s: %w", path, err)
		}
		if c := hdr.crs; c != nil && (c.converts() || c.problem != "" || c.projected) {
			return nil, p.warnings, fmt.Errorf("%s: member crs: the file says its coordinates are in %s; the population layer is read in WGS 84 longitude/latitude only — convert it first: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson", path, c.name)
		}
		for _, w := range hdr.notes {
			p.warnf("", "", "%s", w)
		}
		if !anyKey(keys, res) {
			return nil, p.warnings, fmt.Errorf("%s: field population: no feature has a population property (population, 人口); map yours with --field population.population=NAME", path)
		}
	}
	if dt.note != "" {
		p.warnf("", "", "%s", dt.note)
	}
	if len(cells) == 0 && len(p.errs) == 0 {
		p.errorf("", "", "the population layer is empty (no features or rows)")
	}
	if err := p.err(); err != nil {
		return nil, p.warnings, err
	}
	return cells, p.warnings, nil
}

// anyKey reports whether some property name of the file maps to population.
func anyKey(keys map[string]bool, res *resolver) bool {
	for k := range keys {
		if res.field(k) == fieldPopulation {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// populationValue reads a population count: a non-negative finite number.
func populationValue(v any) (float64, string) {
	if v == nil {
		return 0, "missing; every feature needs a population count (0 is allowed)"
	}
	if n, ok := v.(json.Number); ok {
		// A plain JSON number: what toText and parseNumber would make of
		// it, without formatting it and parsing it again.
		if f, err := strconv.ParseFloat(string(n), 64); err == nil {
			if f < 0 {
				return 0, fmt.Sprintf("negative population %v; give a count ≥ 0", f)
			}
			return f, ""
		}
	}
	s := toText(v)
	if _, isBool := v.(bool); isBool {
		return 0, fmt.Sprintf("%s is not a number", s)
	}
	f, msg := parseNumber(s)
	switch {
	case msg == "empty":
		return 0, "missing; every feature needs a population count (0 is allowed)"
	case msg != "":
		return 0, fmt.Sprintf("%q %s; give a count ≥ 0", s, msg)
	case f < 0:
		return 0, fmt.Sprintf("negative population %v; give a count ≥ 0", f)
	}
	return f, ""
}

// cellPoint is the area centroid of mp in degrees (the cells are small, so
// the planar centroid in lon/lat is within centimetres of the projected
// one), or its first vertex when it has no area. Holes count negatively
// whatever the orientation of their rings.
func cellPoint(mp orb.MultiPolygon) orb.Point {
	var a, cx, cy float64
	for _, poly := range mp {
		for k, ring := range poly {
			var ra, rx, ry float64
			for i := 0; i+1 < len(ring); i++ {
				p, q := ring[i], ring[i+1]
				w := p[0]*q[1] - q[0]*p[1]
				ra += w
				rx += (p[0] + q[0]) * w
				ry += (p[1] + q[1]) * w
			}
			if (ra < 0) == (k == 0) { // outer rings add, holes subtract
				ra, rx, ry = -ra, -rx, -ry
			}
			a += ra
			cx += rx
			cy += ry
		}
	}
	if a == 0 || math.IsNaN(a) {
		return mp[0][0][0]
	}
	return orb.Point{cx / (3 * a), cy / (3 * a)}
}

// readPopulationCSV reads rows with population, lat and lon columns.
func readPopulationCSV(text []byte, res *resolver, p *problems, add func(r *record, g orb.Geometry)) error {
	if err := checkLines(text); err != nil {
		return err
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("the file is empty; a CSV population layer needs a header row (population, lat, lon) and data rows")
	}
	if err != nil {
		return csvError(err)
	}
	header = append([]string(nil), header...)
	cols, _, err := res.columns(header)
	if err != nil {
		return err
	}
	for _, f := range []string{fieldPopulation, fieldLat, fieldLon} {
		if _, ok := cols[f]; !ok {
			return fmt.Errorf("line 1: field %s: no column %s in the header %q — rename the column or map it with --field population.%s=COLUMN",
				f, strings.Join(aliases[f], ", "), strings.Join(header, ","), f)
		}
	}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return csvError(err)
		}
		line, _ := cr.FieldPos(0)
		r := &record{index: line, csv: true, values: map[string]any{}}
		for f, c := range cols {
			r.values[f] = strings.TrimSpace(row[c])
		}
		at := fmt.Sprintf("line %d", line)
		var pt orb.Point
		ok := true
		for i, f := range []string{fieldLon, fieldLat} {
			v, msg := parseNumber(toText(r.values[f]))
			if msg != "" {
				p.errorf(at, f, "%q: %s; give decimal degrees", toText(r.values[f]), strings.Replace(msg, "empty", "missing", 1))
				ok = false
				break
			}
			pt[i] = v
		}
		if !ok {
			continue
		}
		if msg := positionMessage(pt, LayerPopulation); msg != "" {
			p.errorf(at, "lat/lon", "%s", msg)
			continue
		}
		add(r, pt)
	}
}

// where names a record in messages: "feature N" or "line N" (CSV).
func where(r *record) string {
	if r.csv {
		return fmt.Sprintf("line %d", r.index)
	}
	return fmt.Sprintf("feature %d", r.index)
}

// populationResolver resolves the population layer's fields: their usual
// names, or the user's --field population.NAME=… mappings.
func populationResolver(opt Options) (*resolver, error) {
	res := &resolver{layer: LayerPopulation, fields: populationFields, names: map[string][]string{}, mapped: map[string]bool{}, cache: map[string][]match{}}
	for _, f := range populationFields {
		res.names[f] = aliases[f]
	}
	for ours, theirs := range opt.Fields[LayerPopulation] {
		ours = strings.ToLower(ours)
		if !containsString(populationFields, ours) {
			return nil, fmt.Errorf("field mapping population.%s=%s: layer population has no field %q; its fields are %s", ours, theirs, ours, strings.Join(populationFields, ", "))
		}
		res.names[ours] = []string{theirs}
		res.mapped[ours] = true
	}
	return res, nil
}
