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
	// What the cells need of each feature, kept until the CRS is known, in
	// chunks, so that a large layer is not copied as it grows.
	var pending [][]pendingCell
	n := 0
	raw, err := readWith(rd, opt.readFile, path, LayerPopulation, perLayer(opt.Tables, LayerPopulation), res, keys, true, func(r *record, sh shape) {
		if len(pending) == 0 || len(pending[len(pending)-1]) == cap(pending[len(pending)-1]) {
			pending = append(pending, make([]pendingCell, 0, 4096))
		}
		v, msg := populationValue(r.values[fieldPopulation])
		last := &pending[len(pending)-1]
		*last = append(*last, pendingCell{index: r.index, id: toText(r.values[fieldID]), population: v, msg: msg, shape: sh})
		n++
	})
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
	cells := make([]PopulationCell, 0, n)
	for ci, chunk := range pending {
		pending[ci] = nil // the cells replace them
		for _, pc := range chunk {
			if pc.msg != "" {
				p.errorf(featureAt(pc.index), fieldPopulation, "%s", pc.msg)
				continue
			}
			c := PopulationCell{ID: pc.id, Population: pc.population}
			if c.ID == "" {
				c.ID = fmt.Sprintf("population-%d", pc.index)
			}
			sh := pc.shape
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
					p.errorf(featureAt(pc.index), "geometry", "%s", msg)
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
					p.errorf(featureAt(pc.index), "geometry", "%s", strings.Replace(msg, "this layer needs Polygon or MultiPolygon geometries", "the population layer needs Points, Polygons or MultiPolygons", 1))
					continue
				}
				if !opt.CellPoints {
					c.Geometry = mp
				}
				c.Point = cellPoint(mp)
			}
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 && len(p.errs) == 0 {
		p.errorf("", "", "the population layer is empty (no features or rows)")
	}
	if err := p.err(); err != nil {
		return nil, p.warnings, err
	}
	return cells, p.warnings, nil
}

// pendingCell is what a population cell needs of a feature read by a
// Reader: its number, id, population (or why it has none) and geometry.
type pendingCell struct {
	index      int
	id         string
	population float64
	msg        string
	shape      shape
}

// featureAt names feature i in messages, as where does.
func featureAt(i int) string { return fmt.Sprintf("feature %d", i) }
