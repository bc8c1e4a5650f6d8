package data

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// loadPopulationWith reads a population layer with one of opt.Readers
// (a FlatGeobuf or GeoPackage file): Points, Polygons or MultiPolygons
// with a population property, converted to longitude/latitude from the
// CRS the file declares.
func loadPopulationWith(rd Reader, path string, opt Options) ([]PopulationCell, []Warning, error) {
	res, err := populationResolver(opt)
	if err != nil {
		return nil, nil, err
	}
	shown := shownName(rd, path)
	p := &problems{file: shown}
	keys := map[string]bool{}
	shapes := map[*record]shape{}
	var recs []*record
	raw, err := readWith(rd, opt.readFile, path, LayerPopulation, perLayer(opt.Tables, LayerPopulation), res, keys, shapes, func(r *record) { recs = append(recs, r) })
	if err != nil {
		return nil, nil, err
	}
	for _, w := range raw.Warnings {
		p.warnf("", "", "%s", w)
	}
	var conv func(orb.Point) orb.Point
	if crs := raw.CRS.info(); crs != nil {
		if c := perLayer(opt.CRS, LayerPopulation); c != "" {
			o := lookupCRS(c)
			crs = &o
		}
		switch {
		case crs.problem != "":
			return nil, p.warnings, fmt.Errorf("%s: crs: %s", shown, crs.problem)
		case crs.projected:
			return nil, p.warnings, fmt.Errorf("%s: crs: %s", shown, projectedAdvice(*crs))
		case crs.approx != "":
			p.warnf("", "crs", "the coordinates are on %s: %s", crs.name, crs.approx)
		case crs.undefined:
			p.warnf("", "crs", "the file declares no CRS (%s); the coordinates are read as WGS84 longitude/latitude", crs.name)
		}
		conv = crs.toLonLat
	}
	if !anyKey(keys, res) {
		return nil, p.warnings, fmt.Errorf("%s: field population: no feature has a population property (population, 人口); map yours with --field population.population=NAME", shown)
	}
	cells := make([]PopulationCell, 0, len(recs))
	for i, r := range recs {
		recs[i] = nil
		v, msg := populationValue(r.values[fieldPopulation])
		if msg != "" {
			p.errorf(where(r), fieldPopulation, "%s", msg)
			continue
		}
		c := PopulationCell{ID: toText(r.values[fieldID]), Population: v}
		if c.ID == "" {
			c.ID = fmt.Sprintf("population-%d", r.index)
		}
		sh := shapes[r]
		delete(shapes, r)
		switch sh.g.(type) {
		case orb.Point, orb.MultiPoint:
			pt, msg := sh.point()
			if msg == "" && conv != nil {
				pt = convertPoint(conv, pt)
			}
			if msg == "" {
				msg = positionMessage(pt, LayerPopulation)
			}
			if msg != "" {
				p.errorf(where(r), "geometry", "%s", msg)
				continue
			}
			c.Point = pt
		default:
			mp, multi, msg := sh.polygons()
			if msg == "" && conv != nil {
				mp = convertPolygons(conv, mp)
			}
			if msg == "" {
				msg = checkRings(mp, multi, LayerPopulation)
			}
			if msg != "" {
				p.errorf(where(r), "geometry", "%s", strings.Replace(msg, "this layer needs Polygon or MultiPolygon geometries", "the population layer needs Points, Polygons or MultiPolygons", 1))
				continue
			}
			if !opt.CellPoints {
				c.Geometry = mp
			}
			c.Point = cellPoint(mp)
		}
		cells = append(cells, c)
	}
	if len(cells) == 0 && len(p.errs) == 0 {
		p.errorf("", "", "the population layer is empty (no features or rows)")
	}
	if err := p.err(); err != nil {
		return nil, p.warnings, err
	}
	return cells, p.warnings, nil
}
