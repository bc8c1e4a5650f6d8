package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
)

// shapefileInfo is what a Shapefile says besides its records.
type shapefileInfo struct {
	crs   *crsInfo // from the .prj; nil without one
	prj   string   // the .prj's path
	notes []string // warnings about the file as a whole
}

// Shape types of the ESRI Shapefile specification.
const (
	shpNull        = 0
	shpPoint       = 1
	shpPolyLine    = 3
	shpPolygon     = 5
	shpMultiPoint  = 8
	shpPointZ      = 11
	shpPolyLineZ   = 13
	shpPolygonZ    = 15
	shpMultiPointZ = 18
	shpPointM      = 21
	shpPolyLineM   = 23
	shpPolygonM    = 25
	shpMultiPointM = 28
	shpMultiPatch  = 31
)

var shapeTypeNames = map[int]string{
	shpNull: "Null", shpPoint: "Point", shpPolyLine: "PolyLine", shpPolygon: "Polygon", shpMultiPoint: "MultiPoint",
	shpPointZ: "PointZ", shpPolyLineZ: "PolyLineZ", shpPolygonZ: "PolygonZ", shpMultiPointZ: "MultiPointZ",
	shpPointM: "PointM", shpPolyLineM: "PolyLineM", shpPolygonM: "PolygonM", shpMultiPointM: "MultiPointM", shpMultiPatch: "MultiPatch",
}

// sibling reads the file beside shp with extension ext (".dbf"), trying the
// lower- and upper-case spellings. It returns nil, nil when there is none.
func sibling(readFile func(string) ([]byte, error), shp, ext string) ([]byte, string, error) {
	base := strings.TrimSuffix(shp, path.Ext(filepath.ToSlash(shp)))
	for _, e := range []string{ext, strings.ToUpper(ext)} {
		b, err := readFile(base + e)
		if err == nil {
			return b, base + e, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, os.ErrNotExist) {
			return nil, base + e, err
		}
	}
	return nil, "", nil
}

// readShapefile reads the .shp named file with its .dbf, .prj and .cpg and
// passes one record per shape to fn; the geometry of each goes to shapes.
// The .shx index is not needed: records are read in order from the .shp.
func readShapefile(readFile func(string) ([]byte, error), file string, res *resolver, keys map[string]bool, shapes map[*record]shape, fn func(*record)) (shapefileInfo, error) {
	var info shapefileInfo
	shp, err := readFile(file)
	if err != nil {
		return info, err
	}
	dbfBytes, dbfName, err := sibling(readFile, file, ".dbf")
	if err != nil {
		return info, err
	}
	if dbfBytes == nil {
		return info, fmt.Errorf("no .dbf beside the .shp: a Shapefile's attributes (names, ids) are in its .dbf; copy all its files (.shp, .shx, .dbf, .prj, .cpg) together")
	}
	cpg, _, err := sibling(readFile, file, ".cpg")
	if err != nil {
		return info, err
	}
	prj, prjName, err := sibling(readFile, file, ".prj")
	if err != nil {
		return info, err
	}
	if prj != nil {
		c := crsFromWKT(string(prj))
		info.crs, info.prj = &c, prjName
	} else {
		info.notes = append(info.notes, "no .prj beside the .shp: the coordinates are taken as WGS84/JGD2011 longitude/latitude (give --crs EPSG:NNNN if they are not)")
	}
	table, err := readDBF(dbfBytes, string(cpg))
	if err != nil {
		return info, fmt.Errorf("%s: %w", filepath.Base(dbfName), err)
	}
	if table.note != "" {
		info.notes = append(info.notes, table.note)
	}
	geoms, err := readSHP(shp, res.layer == LayerNetwork)
	if err != nil {
		return info, err
	}
	if len(geoms) != len(table.rows) {
		return info, fmt.Errorf("the .shp has %d shapes but the .dbf %d records; the files do not belong together or one is damaged", len(geoms), len(table.rows))
	}
	for i, g := range geoms {
		if table.deleted[i] {
			continue
		}
		props := make(map[string]any, len(table.fields))
		for j, f := range table.fields {
			props[f.name] = table.rows[i][j]
		}
		r := featureRecord(i, &rawFeature{Properties: props}, res, keys)
		shapes[r] = shape(g)
		fn(r)
	}
	return info, nil
}

// shpGeometry is one decoded shape, or why it cannot be read.
type shpGeometry struct {
	g   orb.Geometry
	msg string
}

// readSHP decodes the shapes of a .shp file; lines says whether the layer
// takes lines (a road network). Problems of the file as a whole are errors;
// problems of one shape are kept in its msg.
func readSHP(b []byte, lines bool) ([]shpGeometry, error) {
	if len(b) < 100 {
		return nil, fmt.Errorf("the .shp is %d bytes, shorter than its 100-byte header; the file is damaged or not a Shapefile", len(b))
	}
	if code := binary.BigEndian.Uint32(b[0:4]); code != 9994 {
		return nil, fmt.Errorf("not a Shapefile: the .shp starts with %d, not the file code 9994", code)
	}
	typ := int(binary.LittleEndian.Uint32(b[32:36]))
	name, ok := shapeTypeNames[typ]
	if !ok {
		return nil, fmt.Errorf("the .shp has unknown shape type %d; the file is damaged", typ)
	}
	isLine := typ == shpPolyLine || typ == shpPolyLineZ || typ == shpPolyLineM
	switch {
	case typ == shpMultiPatch || (isLine && !lines):
		return nil, fmt.Errorf("the .shp holds %s shapes (lines or surfaces); a layer needs points or polygons", name)
	case lines && !isLine && typ != shpNull:
		return nil, fmt.Errorf("the .shp holds %s shapes; a road network needs PolyLine shapes", name)
	}
	var out []shpGeometry
	for off := 100; off < len(b); {
		if off+8 > len(b) {
			return nil, fmt.Errorf("shape %d: the record header is cut off at byte %d; the file is truncated", len(out), off)
		}
		n := int(binary.BigEndian.Uint32(b[off+4:off+8])) * 2
		if n < 4 || off+8+n > len(b) || n < 0 {
			return nil, fmt.Errorf("shape %d: the record length %d runs past the end of the file (%d bytes); the file is truncated or damaged", len(out), n, len(b))
		}
		out = append(out, decodeShape(b[off+8:off+8+n]))
		off += 8 + n
	}
	return out, nil
}

// decodeShape decodes one record's content (after the record header).
func decodeShape(c []byte) shpGeometry {
	typ := int(binary.LittleEndian.Uint32(c[0:4]))
	f64 := func(at int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(c[at : at+8])) }
	short := func(what string) shpGeometry {
		return shpGeometry{msg: fmt.Sprintf("the %s shape is cut short (%d bytes); the .shp is damaged", what, len(c))}
	}
	switch typ {
	case shpNull:
		return shpGeometry{}
	case shpPoint, shpPointZ, shpPointM:
		if len(c) < 20 {
			return short("point")
		}
		return shpGeometry{g: orb.Point{f64(4), f64(12)}}
	case shpMultiPoint, shpMultiPointZ, shpMultiPointM:
		if len(c) < 40 {
			return short("multipoint")
		}
		n := int(binary.LittleEndian.Uint32(c[36:40]))
		if n < 0 || n > (len(c)-40)/16 {
			return short("multipoint")
		}
		mp := make(orb.MultiPoint, n)
		for i := range mp {
			mp[i] = orb.Point{f64(40 + 16*i), f64(48 + 16*i)}
		}
		return shpGeometry{g: mp}
	case shpPolyLine, shpPolyLineZ, shpPolyLineM:
		parts, msg := shapeParts(c, "polyline")
		if msg != "" {
			return shpGeometry{msg: msg}
		}
		mls := make(orb.MultiLineString, len(parts))
		for i, p := range parts {
			mls[i] = orb.LineString(p)
		}
		return shpGeometry{g: mls}
	case shpPolygon, shpPolygonZ, shpPolygonM:
		if len(c) < 44 {
			return short("polygon")
		}
		nParts := int(binary.LittleEndian.Uint32(c[36:40]))
		nPoints := int(binary.LittleEndian.Uint32(c[40:44]))
		if nParts < 0 || nPoints < 0 || nParts > (len(c)-44)/4 || nPoints > (len(c)-44-4*nParts)/16 {
			return short("polygon")
		}
		pts := 44 + 4*nParts
		var rings []orb.Ring
		for i := 0; i < nParts; i++ {
			start := int(binary.LittleEndian.Uint32(c[44+4*i:]))
			end := nPoints
			if i+1 < nParts {
				end = int(binary.LittleEndian.Uint32(c[48+4*i:]))
			}
			if start < 0 || end > nPoints || start > end {
				return shpGeometry{msg: fmt.Sprintf("ring %d has point indexes %d to %d outside the shape's %d points; the .shp is damaged", i, start, end, nPoints)}
			}
			ring := make(orb.Ring, end-start)
			for k := range ring {
				at := pts + 16*(start+k)
				ring[k] = orb.Point{f64(at), f64(at + 8)}
			}
			rings = append(rings, ring)
		}
		return shpGeometry{g: assemblePolygons(rings)}
	}
	return shpGeometry{msg: fmt.Sprintf("shape type %d is not a point or a polygon", typ)}
}

// shapeParts reads the parts of a polyline record: a bounding box, the part
// count, the point count, the part starts, then the points.
func shapeParts(c []byte, what string) ([][]orb.Point, string) {
	if len(c) < 44 {
		return nil, fmt.Sprintf("the %s shape is cut short (%d bytes); the .shp is damaged", what, len(c))
	}
	f64 := func(at int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(c[at : at+8])) }
	nParts := int(binary.LittleEndian.Uint32(c[36:40]))
	nPoints := int(binary.LittleEndian.Uint32(c[40:44]))
	if nParts < 0 || nPoints < 0 || nParts > (len(c)-44)/4 || nPoints > (len(c)-44-4*nParts)/16 {
		return nil, fmt.Sprintf("the %s shape is cut short (%d bytes); the .shp is damaged", what, len(c))
	}
	pts := 44 + 4*nParts
	out := make([][]orb.Point, 0, nParts)
	for i := 0; i < nParts; i++ {
		start := int(binary.LittleEndian.Uint32(c[44+4*i:]))
		end := nPoints
		if i+1 < nParts {
			end = int(binary.LittleEndian.Uint32(c[48+4*i:]))
		}
		if start < 0 || end > nPoints || start > end {
			return nil, fmt.Sprintf("part %d has point indexes %d to %d outside the shape's %d points; the .shp is damaged", i, start, end, nPoints)
		}
		part := make([]orb.Point, end-start)
		for k := range part {
			at := pts + 16*(start+k)
			part[k] = orb.Point{f64(at), f64(at + 8)}
		}
		out = append(out, part)
	}
	return out, ""
}

// assemblePolygons groups Shapefile rings into polygons: clockwise rings are
// outer rings, counter-clockwise rings are holes of the outer ring that
// contains them. A hole inside no outer ring becomes an outer ring itself
// (as GDAL reads it), and so does every ring when none runs clockwise.
func assemblePolygons(rings []orb.Ring) orb.Geometry {
	var outers []orb.Polygon
	var holes []orb.Ring
	for _, r := range rings {
		if shoelace(r) < 0 {
			outers = append(outers, orb.Polygon{r})
		} else {
			holes = append(holes, r)
		}
	}
	if len(outers) == 0 {
		for _, h := range holes {
			outers = append(outers, orb.Polygon{h})
		}
		holes = nil
	}
	for _, h := range holes {
		placed := false
		if len(h) > 0 {
			for i := range outers {
				if ringContains(outers[i][0], h[0]) {
					outers[i] = append(outers[i], h)
					placed = true
					break
				}
			}
		}
		if !placed {
			outers = append(outers, orb.Polygon{h})
		}
	}
	if len(outers) == 1 {
		return outers[0]
	}
	return orb.MultiPolygon(outers)
}

// shoelace is twice the signed planar area of r: positive counter-clockwise.
func shoelace(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	x0, y0 := r[0][0], r[0][1]
	s := 0.0
	for i := 1; i+1 < len(r); i++ {
		s += (r[i][0]-x0)*(r[i+1][1]-y0) - (r[i+1][0]-x0)*(r[i][1]-y0)
	}
	return s
}

// ringContains is an even-odd point-in-ring test.
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}
