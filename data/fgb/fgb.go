// Package fgb reads FlatGeobuf files (.fgb) for the loaders of package
// data. It is a package of its own because it links the FlatBuffers
// runtime (github.com/google/flatbuffers), which a program that reads only
// GeoJSON, CSV or Shapefiles does not need. Give its Reader to the loader:
//
//	opt := data.Options{Readers: []data.Reader{fgb.Reader{}}}
//	ds, warnings, err := data.Load(data.Paths{data.LayerDistricts: "wards.fgb"}, opt)
//
// The file is read whole (through data's input limits). The loader streams
// its features (Reader.Stream) and only the properties it reads are
// decoded. The packed Hilbert R-tree is used only when a request gives a
// study area (data.ReadRequest.Bound), which the loader does not.
package fgb

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/fgb/internal/fgbschema"
)

// Reader is the data.Reader (and data.StreamReader) of FlatGeobuf files,
// of extension .fgb. A FlatGeobuf file holds one layer; its CRS comes from
// the header (EPSG code, or WKT), its properties from the header's columns
// (or a feature's own columns). Z and M values are ignored.
type Reader struct{}

// Accepts reports whether source is a FlatGeobuf file, by its extension.
func (Reader) Accepts(source string) bool {
	return strings.EqualFold(path.Ext(filepath.ToSlash(source)), ".fgb")
}

// Read reads the features of the FlatGeobuf file req.Source, as Stream
// does, and returns them in RawLayer.Features.
func (Reader) Read(req data.ReadRequest) (*data.RawLayer, error) {
	raw, err := req.ReadFile(req.Source)
	if err != nil {
		return nil, err
	}
	return collect(raw, req)
}

// Stream reads the features of the FlatGeobuf file req.Source one at a
// time, with the properties req.Fields asks for; with req.Bound, through
// the packed R-tree when the file has one.
func (Reader) Stream(req data.ReadRequest, fn func(data.RawFeature)) (*data.RawLayer, error) {
	raw, err := req.ReadFile(req.Source)
	if err != nil {
		return nil, err
	}
	return decode(raw, req, true, nil, fn)
}

// maxHeaderBytes bounds the header, as the reference implementation does
// (10 MB); a larger size means a damaged file.
const maxHeaderBytes = 10 << 20

// nodeItemBytes is the size of one node of the packed R-tree: four
// float64 bounds and a uint64 offset.
const nodeItemBytes = 40

// Decode decodes a whole FlatGeobuf file. Errors of the file as a whole
// (not FlatGeobuf, a damaged header or index, a truncated feature) are
// returned; a feature's geometry that cannot be read goes in its
// GeometryErr.
func Decode(b []byte) (*data.RawLayer, error) {
	return collect(b, data.ReadRequest{})
}

// collect decodes b into a RawLayer with its Features.
func collect(b []byte, req data.ReadRequest) (*data.RawLayer, error) {
	var fs []data.RawFeature
	layer, err := decode(b, req, false, func(n int) { fs = make([]data.RawFeature, 0, n) }, func(f data.RawFeature) { fs = append(fs, f) })
	if err != nil {
		return nil, err
	}
	layer.Features = fs
	return layer, nil
}

// decode decodes the FlatGeobuf file b, passing each feature req asks for
// (its Fields and Bound) to fn. With reuse, one Properties map serves every
// feature. sized, when not nil, is told how many features to expect at
// most, before the first.
func decode(b []byte, req data.ReadRequest, reuse bool, sized func(int), fn func(data.RawFeature)) (*data.RawLayer, error) {
	// The magic bytes: "fgb", the major version, "fgb", the patch version.
	if len(b) < 8 || string(b[:3]) != "fgb" || string(b[4:7]) != "fgb" {
		return nil, fmt.Errorf("not a FlatGeobuf file: it does not start with the magic bytes \"fgb\\x03fgb\"")
	}
	if b[3] != 3 {
		return nil, fmt.Errorf("FlatGeobuf version %d: only version 3 (GDAL 3.1 and later) is read; convert with ogr2ogr -f FlatGeobuf", b[3])
	}
	pos := 8
	if len(b) < pos+4 {
		return nil, fmt.Errorf("truncated: the file ends before the header size")
	}
	headerSize := binary.LittleEndian.Uint32(b[pos:])
	pos += 4
	if headerSize < 8 || headerSize > maxHeaderBytes {
		return nil, fmt.Errorf("damaged header: its size is %d bytes (8 to %d expected)", headerSize, maxHeaderBytes)
	}
	if uint64(len(b)-pos) < uint64(headerSize) {
		return nil, fmt.Errorf("truncated: the header of %d bytes goes past the end of the file (%d bytes)", headerSize, len(b))
	}
	h, err := readHeader(b[pos : pos+int(headerSize)])
	if err != nil {
		return nil, err
	}
	pos += int(headerSize)
	out := &data.RawLayer{CRS: h.crs}
	var hits []hit
	filter := false
	if h.nodeSize > 0 && h.count > 0 {
		size, ok := indexBytes(h.count, h.nodeSize)
		if !ok || size > uint64(len(b)-pos) {
			return nil, fmt.Errorf("truncated or damaged: the spatial index of %d features (node size %d) goes past the end of the file", h.count, h.nodeSize)
		}
		if req.Bound != nil {
			if hits, err = search(b[pos:pos+int(size)], h.count, h.nodeSize, *req.Bound); err != nil {
				return nil, err
			}
			filter = true
		}
		pos += int(size)
	}
	if sized != nil {
		// A feature takes at least 4 + 12 bytes: do not trust the declared
		// count for the allocation.
		capacity := (len(b) - pos) / 16
		if h.count > 0 && h.count < uint64(capacity) {
			capacity = int(h.count)
		}
		if filter {
			capacity = min(capacity, len(hits))
		}
		sized(capacity)
	}
	d := newPropertyDecoder(h.columns, req, reuse)
	start := pos
	n := 0
	for i := 0; pos < len(b); i++ {
		if len(b)-pos < 4 {
			return nil, fmt.Errorf("feature %d: truncated: the file ends inside its size", i)
		}
		size := binary.LittleEndian.Uint32(b[pos:])
		if uint64(size) > uint64(len(b)-pos-4) {
			return nil, fmt.Errorf("feature %d: truncated: its size is %d bytes, %d are left in the file", i, size, len(b)-pos-4)
		}
		if filter {
			if len(hits) == 0 || hits[0].index != uint64(i) {
				pos += 4 + int(size)
				n++
				continue
			}
			if hits[0].offset != uint64(pos-start) {
				return nil, fmt.Errorf("damaged spatial index: feature %d is at byte %d of the features, the index says %d", i, pos-start, hits[0].offset)
			}
			hits = hits[1:]
		}
		pos += 4
		f, err := readFeature(b[pos:pos+int(size)], h, d)
		if err != nil {
			return nil, fmt.Errorf("feature %d: %w", i, err)
		}
		f.Index = i
		fn(f)
		n++
		pos += int(size)
	}
	if h.count > 0 && uint64(n) != h.count {
		return nil, fmt.Errorf("truncated or damaged: the header declares %d features, the file holds %d", h.count, n)
	}
	if len(hits) > 0 {
		return nil, fmt.Errorf("damaged spatial index: it names feature %d of %d", hits[0].index, n)
	}
	out.Names = d.names()
	return out, nil
}

// indexBytes is the size of the packed Hilbert R-tree of count items with
// nodes of nodeSize children; ok is false when it overflows.
func indexBytes(count uint64, nodeSize uint16) (uint64, bool) {
	if nodeSize < 2 {
		return 0, false
	}
	// As the reference implementation: at least one level above the
	// leaves, so that one feature has a root node too.
	n, nodes := count, count
	for {
		n = (n + uint64(nodeSize) - 1) / uint64(nodeSize)
		nodes += n
		if n <= 1 {
			break
		}
	}
	if nodes > math.MaxUint64/nodeItemBytes {
		return 0, false
	}
	return nodes * nodeItemBytes, true
}

// header is what the reader keeps of a FlatGeobuf header.
type header struct {
	geomType fgbschema.GeometryType
	columns  []column
	count    uint64
	nodeSize uint16
	crs      data.CRS
}

// column is one attribute column.
type column struct {
	name string
	typ  fgbschema.ColumnType
}

// decodeError turns a panic of the generated accessors on a damaged
// buffer (an offset out of range) into an error.
func decodeError(what string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("damaged %s: %v", what, r)
	}
}

// readHeader reads the header table from its bytes.
func readHeader(b []byte) (h header, err error) {
	defer decodeError("header", &err)
	fh := fgbschema.GetRootAsHeader(b, 0)
	h.geomType = fh.GeometryType()
	h.count = fh.FeaturesCount()
	h.nodeSize = fh.IndexNodeSize()
	if h.nodeSize == 1 {
		return h, fmt.Errorf("damaged header: index node size 1 (0, or 2 and more, expected)")
	}
	h.columns, err = readColumns(fh.ColumnsLength(), fh.Columns, len(b))
	if err != nil {
		return h, fmt.Errorf("header: %w", err)
	}
	var c fgbschema.Crs
	if fh.Crs(&c) == nil {
		h.crs = data.CRS{Name: "undefined (no CRS in the FlatGeobuf header)"}
		return h, nil
	}
	org := string(c.Org())
	if org == "" {
		org = "EPSG"
	}
	h.crs = data.CRS{Authority: org, Code: int(c.Code()), WKT: string(c.Wkt())}
	if h.crs.Code == 0 {
		h.crs.Authority = ""
		if h.crs.WKT == "" {
			h.crs.Name = "undefined (a FlatGeobuf CRS without code or WKT)"
			if s := string(c.CodeString()); s != "" {
				h.crs.Name = fmt.Sprintf("%s:%s", org, s)
			}
		}
	}
	return h, nil
}

// readColumns reads n columns with get, checking n against the size of
// the buffer (each column takes at least 4 bytes).
func readColumns(n int, get func(*fgbschema.Column, int) bool, bufLen int) ([]column, error) {
	if n > bufLen/4 {
		return nil, fmt.Errorf("%d columns declared in %d bytes", n, bufLen)
	}
	cols := make([]column, n)
	var c fgbschema.Column
	for j := range cols {
		if !get(&c, j) {
			return nil, fmt.Errorf("column %d missing", j)
		}
		name := string(c.Name())
		if !utf8.ValidString(name) {
			return nil, fmt.Errorf("column %d: its name is not UTF-8", j)
		}
		cols[j] = column{name: name, typ: c.Type()}
	}
	return cols, nil
}

// readFeature reads one feature from its bytes.
func readFeature(b []byte, h header, d *propertyDecoder) (f data.RawFeature, err error) {
	defer decodeError("feature", &err)
	if len(b) < 8 {
		return f, fmt.Errorf("damaged: %d bytes", len(b))
	}
	ff := fgbschema.GetRootAsFeature(b, 0)
	cols := h.columns
	own := false
	if n := ff.ColumnsLength(); n > 0 {
		if cols, err = readColumns(n, ff.Columns, len(b)); err != nil {
			return f, err
		}
		own = true
	}
	f.Properties, err = d.read(ff.PropertiesBytes(), cols, own)
	if err != nil {
		return f, err
	}
	var g fgbschema.Geometry
	if ff.Geometry(&g) != nil {
		f.Geometry, f.GeometryErr = readGeometry(&g, h.geomType, len(b), 0)
	}
	return f, nil
}

// propertyDecoder decodes the properties of features, keeping those its
// request asks for and noting the names of the others.
type propertyDecoder struct {
	cols    []column
	req     data.ReadRequest
	reuse   bool
	props   map[string]any
	want    []bool          // per header column
	seen    []bool          // per header column: held by some feature
	ownSeen map[string]bool // names of features' own columns
}

func newPropertyDecoder(cols []column, req data.ReadRequest, reuse bool) *propertyDecoder {
	d := &propertyDecoder{cols: cols, req: req, reuse: reuse, want: make([]bool, len(cols)), seen: make([]bool, len(cols))}
	for i, c := range cols {
		d.want[i] = req.Wants(c.name)
	}
	return d
}

// names lists the names of the properties held by some feature when the
// request leaves some out; nil when it asks for all.
func (d *propertyDecoder) names() []string {
	if d.req.Fields == nil {
		return nil
	}
	names := []string{}
	for i, seen := range d.seen {
		if seen {
			names = append(names, d.cols[i].name)
		}
	}
	for n := range d.ownSeen {
		names = append(names, n)
	}
	return names
}

// read decodes the properties buffer: pairs of a uint16 column index and a
// little-endian value of the column's type; text, JSON, date-time and
// binary values are a uint32 length and the bytes. Every value is checked,
// the ones not asked for too. own says that cols are the feature's own.
func (d *propertyDecoder) read(p []byte, cols []column, own bool) (map[string]any, error) {
	var props map[string]any
	if d.reuse && d.props != nil {
		props = d.props
		clear(props)
	} else {
		props = make(map[string]any, len(cols))
		if d.reuse {
			d.props = props
		}
	}
	for pos := 0; pos < len(p); {
		if len(p)-pos < 2 {
			return nil, fmt.Errorf("properties: truncated column index")
		}
		ci := int(binary.LittleEndian.Uint16(p[pos:]))
		pos += 2
		if ci >= len(cols) {
			return nil, fmt.Errorf("properties: column index %d, the file has %d columns", ci, len(cols))
		}
		c := cols[ci]
		var want bool
		if own {
			want = d.req.Wants(c.name)
			if d.req.Fields != nil {
				if d.ownSeen == nil {
					d.ownSeen = map[string]bool{}
				}
				d.ownSeen[c.name] = true
			}
		} else {
			want = d.want[ci]
			d.seen[ci] = true
		}
		need := fixedSize(c.typ)
		if need == 0 {
			if len(p)-pos < 4 {
				return nil, fmt.Errorf("property %q: truncated length", c.name)
			}
			n := binary.LittleEndian.Uint32(p[pos:])
			pos += 4
			if uint64(n) > uint64(len(p)-pos) {
				return nil, fmt.Errorf("property %q: a value of %d bytes, %d left", c.name, n, len(p)-pos)
			}
			v := p[pos : pos+int(n)]
			pos += int(n)
			if c.typ == fgbschema.ColumnTypeBinary {
				if want {
					props[c.name] = fmt.Sprintf("%x", v)
				}
				continue
			}
			if !utf8.Valid(v) {
				return nil, fmt.Errorf("property %q: the text is not UTF-8", c.name)
			}
			if want {
				props[c.name] = string(v)
			}
			continue
		}
		if need < 0 {
			return nil, fmt.Errorf("property %q: unknown column type %d", c.name, c.typ)
		}
		if len(p)-pos < need {
			return nil, fmt.Errorf("property %q: truncated value", c.name)
		}
		v := p[pos : pos+need]
		pos += need
		if want {
			props[c.name] = fixedValue(c.typ, v)
		}
	}
	return props, nil
}

// fixedSize is the size of a value of type t: 0 for values with a length
// prefix, -1 for an unknown type.
func fixedSize(t fgbschema.ColumnType) int {
	switch t {
	case fgbschema.ColumnTypeByte, fgbschema.ColumnTypeUByte, fgbschema.ColumnTypeBool:
		return 1
	case fgbschema.ColumnTypeShort, fgbschema.ColumnTypeUShort:
		return 2
	case fgbschema.ColumnTypeInt, fgbschema.ColumnTypeUInt, fgbschema.ColumnTypeFloat:
		return 4
	case fgbschema.ColumnTypeLong, fgbschema.ColumnTypeULong, fgbschema.ColumnTypeDouble:
		return 8
	case fgbschema.ColumnTypeString, fgbschema.ColumnTypeJson, fgbschema.ColumnTypeDateTime, fgbschema.ColumnTypeBinary:
		return 0
	}
	return -1
}

// fixedValue decodes a value of fixed size as the Go value the loader
// reads (integers, floats, bool).
func fixedValue(t fgbschema.ColumnType, v []byte) any {
	le := binary.LittleEndian
	switch t {
	case fgbschema.ColumnTypeByte:
		return int8(v[0])
	case fgbschema.ColumnTypeUByte:
		return v[0]
	case fgbschema.ColumnTypeBool:
		return v[0] != 0
	case fgbschema.ColumnTypeShort:
		return int16(le.Uint16(v))
	case fgbschema.ColumnTypeUShort:
		return le.Uint16(v)
	case fgbschema.ColumnTypeInt:
		return int32(le.Uint32(v))
	case fgbschema.ColumnTypeUInt:
		return le.Uint32(v)
	case fgbschema.ColumnTypeLong:
		return int64(le.Uint64(v))
	case fgbschema.ColumnTypeULong:
		return le.Uint64(v)
	case fgbschema.ColumnTypeFloat:
		return math.Float32frombits(le.Uint32(v))
	}
	return math.Float64frombits(le.Uint64(v)) // Double
}

// maxDepth bounds the nesting of geometry parts.
const maxDepth = 4

// readGeometry reads g, of type t unless the header leaves it Unknown (t
// is then the geometry's own). Empty geometries are nil.
func readGeometry(g *fgbschema.Geometry, t fgbschema.GeometryType, bufLen, depth int) (orb.Geometry, error) {
	if t == fgbschema.GeometryTypeUnknown {
		t = g.Type()
	}
	xy, err := coords(g)
	if err != nil {
		return nil, err
	}
	switch t {
	case fgbschema.GeometryTypePoint:
		if len(xy) == 0 {
			return nil, nil
		}
		return xy[0], nil
	case fgbschema.GeometryTypeMultiPoint:
		if len(xy) == 0 {
			return nil, nil
		}
		return orb.MultiPoint(xy), nil
	case fgbschema.GeometryTypeLineString:
		if len(xy) == 0 {
			return nil, nil
		}
		return orb.LineString(xy), nil
	case fgbschema.GeometryTypeMultiLineString, fgbschema.GeometryTypePolygon:
		if t == fgbschema.GeometryTypePolygon && len(xy) > 0 && !hasEnds(g) {
			return orb.Polygon{orb.Ring(xy)}, nil // one ring: no parts to split
		}
		rings, err := split(g, xy)
		if err != nil || len(rings) == 0 {
			return nil, err
		}
		if t == fgbschema.GeometryTypePolygon {
			poly := make(orb.Polygon, len(rings))
			for i, r := range rings {
				poly[i] = orb.Ring(r)
			}
			return poly, nil
		}
		ml := make(orb.MultiLineString, len(rings))
		for i, r := range rings {
			ml[i] = orb.LineString(r)
		}
		return ml, nil
	case fgbschema.GeometryTypeMultiPolygon:
		if depth >= maxDepth {
			return nil, fmt.Errorf("geometry nested more than %d deep", maxDepth)
		}
		n := g.PartsLength()
		if n > bufLen/4 {
			return nil, fmt.Errorf("%d polygons declared in %d bytes", n, bufLen)
		}
		var mp orb.MultiPolygon
		var part fgbschema.Geometry
		for i := 0; i < n; i++ {
			if !g.Parts(&part, i) {
				return nil, fmt.Errorf("polygon %d missing", i)
			}
			pg, err := readGeometry(&part, fgbschema.GeometryTypePolygon, bufLen, depth+1)
			if err != nil {
				return nil, fmt.Errorf("polygon %d: %w", i, err)
			}
			if pg != nil {
				mp = append(mp, pg.(orb.Polygon))
			}
		}
		if len(mp) == 0 {
			return nil, nil
		}
		return mp, nil
	}
	name := fgbschema.EnumNamesGeometryType[t]
	if name == "" {
		name = fmt.Sprintf("type %d", t)
	}
	return nil, fmt.Errorf("unsupported geometry type %s: only points, lines and polygons are read (linearise curves with ogr2ogr -nlt CONVERT_TO_LINEAR)", name)
}

// vector returns the bytes of the vector in field (its vtable offset) of
// t, elem bytes an element; nil when the field is absent.
func vector(t flatbuffers.Table, field flatbuffers.VOffsetT, elem int) ([]byte, error) {
	o := flatbuffers.UOffsetT(t.Offset(field))
	if o == 0 {
		return nil, nil
	}
	n := uint64(t.VectorLen(o))
	start := uint64(t.Vector(o))
	if start > uint64(len(t.Bytes)) || n > (uint64(len(t.Bytes))-start)/uint64(elem) {
		return nil, fmt.Errorf("a vector of %d values goes past the end of the feature", n)
	}
	return t.Bytes[start : start+n*uint64(elem)], nil
}

// Vtable offsets of the Geometry table's fields (feature.fbs).
const (
	fieldEnds = 4
	fieldXY   = 6
)

// coords reads the flat xy array as points, straight from the buffer.
func coords(g *fgbschema.Geometry) ([]orb.Point, error) {
	v, err := vector(g.Table(), fieldXY, 8)
	if err != nil {
		return nil, err
	}
	if len(v)%16 != 0 {
		return nil, fmt.Errorf("an odd number (%d) of x/y values", len(v)/8)
	}
	pts := make([]orb.Point, len(v)/16)
	for i := range pts {
		pts[i] = orb.Point{
			math.Float64frombits(binary.LittleEndian.Uint64(v[16*i:])),
			math.Float64frombits(binary.LittleEndian.Uint64(v[16*i+8:])),
		}
	}
	return pts, nil
}

// hasEnds reports whether g has an ends vector, of its parts.
func hasEnds(g *fgbschema.Geometry) bool {
	t := g.Table()
	return t.Offset(fieldEnds) != 0
}

// split cuts xy at the geometry's ends (one part when it has none).
func split(g *fgbschema.Geometry, xy []orb.Point) ([][]orb.Point, error) {
	if len(xy) == 0 {
		return nil, nil
	}
	ends, err := vector(g.Table(), fieldEnds, 4)
	if err != nil {
		return nil, err
	}
	if len(ends) == 0 {
		return [][]orb.Point{xy}, nil
	}
	n := len(ends) / 4
	parts := make([][]orb.Point, 0, n)
	start := uint32(0)
	for i := 0; i < n; i++ {
		end := binary.LittleEndian.Uint32(ends[4*i:])
		if end < start || uint64(end) > uint64(len(xy)) {
			return nil, fmt.Errorf("part %d ends at point %d, outside %d..%d", i, end, start, len(xy))
		}
		parts = append(parts, xy[start:end:end])
		start = end
	}
	if int(start) != len(xy) {
		return nil, fmt.Errorf("the parts end at point %d of %d", start, len(xy))
	}
	return parts, nil
}

// hit is a feature the spatial index finds: its number and its offset in
// bytes from the first feature.
type hit struct{ index, offset uint64 }

// search walks the packed Hilbert R-tree idx of count features (nodes of
// nodeSize children, the root first, the leaves last in feature order) and
// returns the features whose boxes meet bound, in feature order.
func search(idx []byte, count uint64, nodeSize uint16, bound orb.Bound) ([]hit, error) {
	// The levels, leaves first: the number of nodes of each and where it
	// starts, counted in nodes from the root's level at 0.
	sizes := []uint64{count}
	for n := count; ; {
		n = (n + uint64(nodeSize) - 1) / uint64(nodeSize)
		sizes = append(sizes, n)
		if n <= 1 {
			break
		}
	}
	starts := make([]uint64, len(sizes))
	total := uint64(len(idx)) / nodeItemBytes
	end := total
	for l, n := range sizes {
		starts[l] = end - n
		end -= n
	}
	node := func(i uint64) (orb.Bound, uint64) {
		b := idx[i*nodeItemBytes:]
		f := func(k int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[8*k:])) }
		return orb.Bound{Min: orb.Point{f(0), f(1)}, Max: orb.Point{f(2), f(3)}}, binary.LittleEndian.Uint64(b[32:])
	}
	var hits []hit
	type item struct {
		first uint64 // the node's first child, counted from the root
		level int
	}
	queue := []item{{0, len(sizes) - 1}}
	for len(queue) > 0 {
		it := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		levelEnd := starts[it.level] + sizes[it.level]
		if it.first < starts[it.level] || it.first >= levelEnd {
			return nil, fmt.Errorf("damaged spatial index: a node points to node %d, outside its level", it.first)
		}
		for i := it.first; i < min(it.first+uint64(nodeSize), levelEnd); i++ {
			b, off := node(i)
			if b.Min[0] > bound.Max[0] || b.Max[0] < bound.Min[0] || b.Min[1] > bound.Max[1] || b.Max[1] < bound.Min[1] {
				continue
			}
			if it.level == 0 {
				hits = append(hits, hit{index: i - starts[0], offset: off})
				continue
			}
			queue = append(queue, item{off, it.level - 1})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.index, b.index) })
	return hits, nil
}
