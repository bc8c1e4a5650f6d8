// Package geoparquet reads GeoParquet files (GeoParquet 1.0 and 1.1, WKB
// geometries) for the loaders of package data. It is a package of its own
// because Parquet needs a columnar decoder and its compressors
// (github.com/parquet-go/parquet-go), which a program that reads only
// GeoJSON, CSV or Shapefiles does not need. Give its Reader to the loader:
//
//	opt := data.Options{Readers: []data.Reader{geoparquet.Reader{}}}
//	ds, warnings, err := data.Load(data.Paths{data.LayerDistricts: "districts.parquet"}, opt)
package geoparquet

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/kumamoto-gis/catchment/data"
)

// Reader is the data.Reader (and data.StreamReader) of GeoParquet files,
// of extension .parquet or .geoparquet. It reads the primary geometry
// column named in the file's `geo` metadata (WKB encoded) and the other
// top-level columns of strings, integers, floating-point numbers,
// booleans, dates or timestamps as properties (those data.ReadRequest.Fields
// asks for); nested columns and other binary columns are left out with a
// warning.
type Reader struct{}

// Accepts reports whether source is a GeoParquet file, by its extension.
func (Reader) Accepts(source string) bool {
	ext := strings.ToLower(path.Ext(filepath.ToSlash(source)))
	return ext == ".parquet" || ext == ".geoparquet"
}

// maxExpansion bounds the uncompressed size the file's metadata declares,
// as a multiple of the file's size: a corrupt or hostile footer cannot make
// the reader allocate gigabytes for a small file.
const maxExpansion = 200

// convertAdvice says how to make a GeoParquet file the reader reads.
const convertAdvice = "write it with ogr2ogr -f Parquet -lco GEOMETRY_ENCODING=WKB OUT.parquet IN.geojson (GDAL ≥ 3.8) or GeoPandas to_parquet"

// Read reads the GeoParquet file req.Source (through req.ReadFile, which
// applies the loader's size limits), with the columns req.Fields asks for.
func (r Reader) Read(req data.ReadRequest) (*data.RawLayer, error) {
	var fs []data.RawFeature
	layer, err := r.stream(req, false, func(n int) { fs = make([]data.RawFeature, 0, n) }, func(f data.RawFeature) { fs = append(fs, f) })
	if err != nil {
		return nil, err
	}
	layer.Features = fs
	return layer, nil
}

// Stream reads the GeoParquet file req.Source one row at a time, decoding
// only the geometry and the columns req.Fields asks for.
func (r Reader) Stream(req data.ReadRequest, fn func(data.RawFeature)) (*data.RawLayer, error) {
	return r.stream(req, true, nil, fn)
}

// stream reads req.Source, passing its rows to fn; sized, when not nil, is
// told the number of rows before the first.
func (Reader) stream(req data.ReadRequest, reuse bool, sized func(int), fn func(data.RawFeature)) (layer *data.RawLayer, err error) {
	raw, err := req.ReadFile(req.Source)
	if err != nil {
		return nil, err
	}
	// A corrupt file can make the decoder index out of range; report it as
	// the corrupt file it is.
	defer func() {
		if r := recover(); r != nil {
			layer, err = nil, fmt.Errorf("corrupt Parquet file: %v", r)
		}
	}()
	return read(raw, req, reuse, sized, fn)
}

// geoMetadata is the `geo` key of a GeoParquet file's metadata.
type geoMetadata struct {
	Version       string                    `json:"version"`
	PrimaryColumn string                    `json:"primary_column"`
	Columns       map[string]columnMetadata `json:"columns"`
}

// columnMetadata describes one geometry column.
type columnMetadata struct {
	Encoding string `json:"encoding"`
	// CRS is PROJJSON, JSON null (undefined) or absent (OGC:CRS84).
	CRS   json.RawMessage `json:"crs"`
	Edges string          `json:"edges"`
}

// read decodes the GeoParquet file raw, passing each row to fn with the
// properties req asks for. With reuse, one Properties map serves every row;
// sized, when not nil, is told the number of rows before the first.
func read(raw []byte, req data.ReadRequest, reuse bool, sized func(int), fn func(data.RawFeature)) (*data.RawLayer, error) {
	if len(raw) < 12 || string(raw[:4]) != "PAR1" || string(raw[len(raw)-4:]) != "PAR1" {
		return nil, fmt.Errorf("not a Parquet file: it does not begin and end with PAR1 (truncated, or another format)")
	}
	f, err := parquet.OpenFile(bytes.NewReader(raw), int64(len(raw)), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("corrupt Parquet file: %w", err)
	}
	if err := checkSizes(f.Metadata(), int64(len(raw))); err != nil {
		return nil, err
	}
	if err := checkPages(f.Metadata(), raw); err != nil {
		return nil, err
	}
	text, ok := f.Lookup("geo")
	if !ok {
		return nil, fmt.Errorf("plain Parquet, not GeoParquet: the file has no `geo` metadata naming its geometry column; %s", convertAdvice)
	}
	var meta geoMetadata
	if err := json.Unmarshal([]byte(text), &meta); err != nil {
		return nil, fmt.Errorf("the `geo` metadata is not valid JSON: %w", err)
	}
	if meta.Version != "" && !strings.HasPrefix(meta.Version, "1.") && !strings.HasPrefix(meta.Version, "0.") {
		return nil, fmt.Errorf("GeoParquet version %s: this reader reads versions 1.0 and 1.1", meta.Version)
	}
	if meta.PrimaryColumn == "" {
		return nil, fmt.Errorf("the `geo` metadata names no primary_column")
	}
	gc, ok := meta.Columns[meta.PrimaryColumn]
	if !ok {
		return nil, fmt.Errorf("the `geo` metadata does not describe its primary_column %q", meta.PrimaryColumn)
	}
	if !strings.EqualFold(gc.Encoding, "WKB") {
		return nil, fmt.Errorf("geometry column %q: encoding %q (GeoArrow native) is not read; write WKB geometries instead: %s", meta.PrimaryColumn, gc.Encoding, convertAdvice)
	}
	crs, err := readCRS(gc.CRS)
	if err != nil {
		return nil, fmt.Errorf("geometry column %q: %w", meta.PrimaryColumn, err)
	}
	layer := &data.RawLayer{CRS: crs}
	if strings.EqualFold(gc.Edges, "spherical") {
		layer.Warnings = append(layer.Warnings, "the `geo` metadata says the polygon edges are spherical; they are read as straight lines in longitude/latitude")
	}

	// Top-level columns: the geometry and the properties.
	geomCol := -1
	var props []property
	for _, c := range f.Root().Columns() {
		name := c.Name()
		if name == meta.PrimaryColumn {
			if !c.Leaf() || c.Type().Kind() != parquet.ByteArray {
				return nil, fmt.Errorf("geometry column %q is not a binary column of WKB", name)
			}
			geomCol = c.Index()
			continue
		}
		if _, other := meta.Columns[name]; other {
			layer.Warnings = append(layer.Warnings, fmt.Sprintf("column %s: a second geometry column, not read", name))
			continue
		}
		p, ok := newProperty(c)
		if !ok {
			layer.Warnings = append(layer.Warnings, fmt.Sprintf("column %s: nested or binary, not read", name))
			continue
		}
		props = append(props, p)
	}
	if geomCol < 0 {
		return nil, fmt.Errorf("the primary_column %q named in the `geo` metadata is not a column of the file", meta.PrimaryColumn)
	}
	// Only the geometry and the columns asked for are decoded.
	byLeaf := map[int]int{}
	var asked []property
	for _, p := range props {
		if req.Wants(p.name) {
			byLeaf[p.leaf] = len(asked)
			asked = append(asked, p)
		}
	}

	n := f.NumRows()
	if n < 0 || n > int64(len(raw)) { // a row takes at least a bit
		return nil, fmt.Errorf("corrupt Parquet file: it declares %d rows in %d bytes", n, len(raw))
	}
	if sized != nil {
		sized(int(n))
	}
	var values map[string]any
	count := 0
	buf := make([]parquet.Row, 128)
	for g, rg := range f.RowGroups() {
		chunks := rg.ColumnChunks()
		var cols []parquet.ColumnChunk
		for i, c := range chunks {
			if _, ok := byLeaf[i]; ok || i == geomCol {
				cols = append(cols, c)
			}
		}
		rows := parquet.NewColumnChunkRowReader(cols)
		for {
			k, err := rows.ReadRows(buf)
			for _, row := range buf[:k] {
				if !reuse || values == nil {
					values = make(map[string]any, len(asked))
				}
				ft := data.RawFeature{Index: count, Properties: values}
				count++
				for _, p := range asked {
					values[p.name] = nil
				}
				for _, v := range row {
					col := v.Column()
					if col == geomCol {
						if !v.IsNull() {
							ft.Geometry, ft.GeometryErr = decodeWKB(v.ByteArray())
						}
						continue
					}
					if i, ok := byLeaf[col]; ok && !v.IsNull() {
						values[asked[i].name] = asked[i].value(v)
					}
				}
				fn(ft)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("corrupt Parquet file: row group %d: %w", g, err)
			}
			if k == 0 {
				rows.Close()
				return nil, fmt.Errorf("corrupt Parquet file: row group %d ends before its rows", g)
			}
			if count > int(n) {
				rows.Close()
				return nil, fmt.Errorf("corrupt Parquet file: more rows than the %d it declares", n)
			}
		}
		rows.Close()
	}
	if req.Fields != nil && count > 0 {
		layer.Names = make([]string, len(props))
		for i, p := range props {
			layer.Names[i] = p.name
		}
	}
	return layer, nil
}

// checkSizes refuses a file whose metadata declares far more data than the
// file could hold compressed.
func checkSizes(md *format.FileMetaData, size int64) error {
	var total int64
	for _, rg := range md.RowGroups {
		for _, c := range rg.Columns {
			u := c.MetaData.TotalUncompressedSize
			if u < 0 || c.MetaData.TotalCompressedSize < 0 || c.MetaData.TotalCompressedSize > size {
				return fmt.Errorf("corrupt Parquet file: a column chunk declares %d bytes in a file of %d", c.MetaData.TotalCompressedSize, size)
			}
			total += u
			if total > maxExpansion*size+1<<20 {
				return fmt.Errorf("corrupt Parquet file: its columns declare more than %d bytes uncompressed, %d× the file's size", total, maxExpansion)
			}
		}
	}
	return nil
}

// checkPages walks the page headers of every column chunk before the
// decoder does, refusing pages that claim more bytes than their chunk holds
// or that uncompress to far more than the file: the decoder allocates a
// page's buffer from its header, so a corrupt header could make it
// allocate gigabytes.
func checkPages(md *format.FileMetaData, raw []byte) error {
	size := int64(len(raw))
	limit := maxExpansion*size + 1<<20
	var total int64
	for g, rg := range md.RowGroups {
		for c, cc := range rg.Columns {
			start := cc.MetaData.DataPageOffset
			if d := cc.MetaData.DictionaryPageOffset; d > 0 && d < start {
				start = d
			}
			end := start + cc.MetaData.TotalCompressedSize
			if start < 4 || end <= start || end > size {
				return fmt.Errorf("corrupt Parquet file: row group %d column %d lies at bytes %d–%d of a file of %d", g, c, start, end, size)
			}
			for pos := start; pos < end; {
				r := bytes.NewReader(raw[pos:end])
				var h format.PageHeader
				var compact thrift.CompactProtocol
				if err := thrift.NewDecoder(compact.NewReader(r)).Decode(&h); err != nil {
					return fmt.Errorf("corrupt Parquet file: row group %d column %d: page header at byte %d: %v", g, c, pos, err)
				}
				body := int64(r.Len())
				if h.CompressedPageSize < 0 || int64(h.CompressedPageSize) > body || h.UncompressedPageSize < 0 {
					return fmt.Errorf("corrupt Parquet file: row group %d column %d: a page at byte %d declares %d bytes, %d are left in its column chunk", g, c, pos, h.CompressedPageSize, body)
				}
				total += int64(h.UncompressedPageSize)
				if total > limit {
					return fmt.Errorf("corrupt Parquet file: its pages declare more than %d bytes uncompressed, %d× the file's size", total, maxExpansion)
				}
				pos = end - body + int64(h.CompressedPageSize)
			}
		}
	}
	return nil
}

// readCRS reads the crs member of a geometry column: absent is OGC:CRS84
// (WGS84 longitude/latitude), null is undefined, PROJJSON is read by its id.
func readCRS(raw json.RawMessage) (data.CRS, error) {
	if len(raw) == 0 {
		return data.CRS{}, nil
	}
	if string(raw) == "null" {
		return data.CRS{Name: "undefined (GeoParquet crs null)"}, nil
	}
	var pj struct {
		Name string `json:"name"`
		ID   *struct {
			Authority string          `json:"authority"`
			Code      json.RawMessage `json:"code"`
		} `json:"id"`
	}
	if err := json.Unmarshal(raw, &pj); err != nil {
		return data.CRS{}, fmt.Errorf("crs is not PROJJSON: %w", err)
	}
	if pj.ID == nil {
		return data.CRS{}, fmt.Errorf("crs %q is PROJJSON without an id (authority and code); reproject the file to EPSG:4326 or EPSG:6668 with ogr2ogr -t_srs EPSG:4326, or name its EPSG code with --crs LAYER=EPSG:NNNN", pj.Name)
	}
	code := strings.Trim(string(pj.ID.Code), `"`)
	if strings.EqualFold(pj.ID.Authority, "OGC") && (code == "CRS84" || code == "CRS84h") {
		return data.CRS{}, nil
	}
	n, err := strconv.Atoi(code)
	if err != nil {
		return data.CRS{}, fmt.Errorf("crs %s:%s (%s) is not a CRS this reader knows; reproject the file with ogr2ogr -t_srs EPSG:4326, or name its EPSG code with --crs LAYER=EPSG:NNNN", pj.ID.Authority, code, pj.Name)
	}
	return data.CRS{Authority: strings.ToUpper(pj.ID.Authority), Code: n}, nil
}

// property is a column read as a property.
type property struct {
	name  string
	leaf  int
	value func(parquet.Value) any
}

// newProperty returns how column c is read, or false for a column that is
// not read (nested, binary, or of a type not meant as an attribute).
func newProperty(c *parquet.Column) (property, bool) {
	if !c.Leaf() || c.Repeated() {
		return property{}, false
	}
	p := property{name: c.Name(), leaf: c.Index()}
	t := c.Type()
	var lv format.LogicalTypeValue
	if lt := t.LogicalType(); lt != nil {
		lv = lt.Value
	}
	var ct deprecated.ConvertedType = -1
	if c := t.ConvertedType(); c != nil {
		ct = *c
	}
	switch t.Kind() {
	case parquet.Boolean:
		p.value = func(v parquet.Value) any { return v.Boolean() }
	case parquet.Int32, parquet.Int64:
		dec, isDec := lv.(*format.DecimalType)
		ts, isTS := lv.(*format.TimestampType)
		it, isInt := lv.(*format.IntType)
		_, isDate := lv.(*format.DateType)
		switch {
		case isDec:
			scale := math.Pow10(-int(dec.Scale))
			p.value = func(v parquet.Value) any { return float64(integer(v)) * scale }
		case isDate || ct == deprecated.Date:
			p.value = func(v parquet.Value) any {
				return time.Unix(integer(v)*86400, 0).UTC().Format(time.DateOnly)
			}
		case isTS && ts.Unit.Value != nil:
			unit := ts.Unit.Value.Duration()
			p.value = func(v parquet.Value) any {
				return time.Unix(0, 0).Add(time.Duration(v.Int64()) * unit).UTC().Format(time.RFC3339Nano)
			}
		case isInt && !it.IsSigned || ct >= deprecated.Uint8 && ct <= deprecated.Uint64:
			if t.Kind() == parquet.Int32 {
				p.value = func(v parquet.Value) any { return uint64(uint32(v.Int32())) }
			} else {
				p.value = func(v parquet.Value) any { return uint64(v.Int64()) }
			}
		default:
			p.value = func(v parquet.Value) any { return integer(v) }
		}
	case parquet.Float:
		p.value = func(v parquet.Value) any { return float64(v.Float()) }
	case parquet.Double:
		p.value = func(v parquet.Value) any { return v.Double() }
	case parquet.ByteArray, parquet.FixedLenByteArray:
		switch lv.(type) {
		case *format.StringType, *format.EnumType, *format.JsonType:
		default:
			if ct != deprecated.UTF8 && ct != deprecated.Enum && ct != deprecated.Json {
				return property{}, false
			}
		}
		p.value = func(v parquet.Value) any { return string(v.ByteArray()) }
	default: // INT96 timestamps
		return property{}, false
	}
	return p, true
}

// integer is the value of an INT32 or INT64 column.
func integer(v parquet.Value) int64 {
	if v.Kind() == parquet.Int32 {
		return int64(v.Int32())
	}
	return v.Int64()
}

// decodeWKB reads a WKB geometry into its orb form; an empty geometry is nil.
func decodeWKB(b []byte) (orb.Geometry, error) {
	if g, ok := quickWKB(b); ok {
		return g, nil
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("geometry: not valid WKB: %w", err)
	}
	if g == nil || g.Empty() {
		return nil, nil
	}
	return toOrb(g)
}

// toOrb converts a go-geom geometry to orb, keeping x and y.
func toOrb(g geom.T) (orb.Geometry, error) {
	switch g := g.(type) {
	case *geom.Point:
		c := g.FlatCoords()
		if math.IsNaN(c[0]) && math.IsNaN(c[1]) { // WKB's empty point
			return nil, nil
		}
		return orb.Point{c[0], c[1]}, nil
	case *geom.MultiPoint:
		mp := make(orb.MultiPoint, 0, g.NumPoints())
		for i := 0; i < g.NumPoints(); i++ {
			c := g.Point(i).FlatCoords()
			mp = append(mp, orb.Point{c[0], c[1]})
		}
		return mp, nil
	case *geom.LineString:
		return ring(g.FlatCoords(), g.Stride()), nil
	case *geom.MultiLineString:
		ml := make(orb.MultiLineString, 0, g.NumLineStrings())
		for i := 0; i < g.NumLineStrings(); i++ {
			l := g.LineString(i)
			ml = append(ml, orb.LineString(ring(l.FlatCoords(), l.Stride())))
		}
		return ml, nil
	case *geom.Polygon:
		return polygon(g), nil
	case *geom.MultiPolygon:
		mp := make(orb.MultiPolygon, 0, g.NumPolygons())
		for i := 0; i < g.NumPolygons(); i++ {
			mp = append(mp, polygon(g.Polygon(i)))
		}
		return mp, nil
	case *geom.GeometryCollection:
		var col orb.Collection
		for _, m := range g.Geoms() {
			o, err := toOrb(m)
			if err != nil {
				return nil, err
			}
			if o != nil {
				col = append(col, o)
			}
		}
		return col, nil
	}
	return nil, fmt.Errorf("geometry: WKB type %T is not read", g)
}

// ring returns the x, y of flat coordinates of the given stride.
func ring(flat []float64, stride int) orb.LineString {
	out := make(orb.LineString, 0, len(flat)/stride)
	for i := 0; i+1 < len(flat); i += stride {
		out = append(out, orb.Point{flat[i], flat[i+1]})
	}
	return out
}

// polygon converts a go-geom polygon.
func polygon(p *geom.Polygon) orb.Polygon {
	out := make(orb.Polygon, 0, p.NumLinearRings())
	for i := 0; i < p.NumLinearRings(); i++ {
		r := p.LinearRing(i)
		out = append(out, orb.Ring(ring(r.FlatCoords(), r.Stride())))
	}
	return out
}

// WKB geometry types read by quickWKB (2D only).
const (
	wkbPoint        = 1
	wkbPolygon      = 3
	wkbMultiPolygon = 6
)

// quickWKB reads the common geometries straight into orb, as decodeWKB
// would through go-geom: a 2D Point, or a Polygon or MultiPolygon of
// non-empty parts, which fills b exactly. ok is false for anything else
// (other types, Z or M, empty parts, damage), left to go-geom and its
// messages.
func quickWKB(b []byte) (g orb.Geometry, ok bool) {
	r := wkbReader{b: b}
	switch r.header() {
	case wkbPoint:
		x, y := r.float(), r.float()
		if r.bad || len(r.b) != 0 {
			return nil, false
		}
		if math.IsNaN(x) && math.IsNaN(y) { // WKB's empty point
			return nil, true
		}
		return orb.Point{x, y}, true
	case wkbPolygon:
		p := r.polygon()
		if r.bad || len(r.b) != 0 {
			return nil, false
		}
		return p, true
	case wkbMultiPolygon:
		n := r.count(9) // a polygon takes at least 9 bytes
		mp := make(orb.MultiPolygon, 0, n)
		for i := 0; i < n && !r.bad; i++ {
			if r.header() != wkbPolygon {
				return nil, false
			}
			mp = append(mp, r.polygon())
		}
		if r.bad || n == 0 || len(r.b) != 0 {
			return nil, false
		}
		return mp, true
	}
	return nil, false
}

// wkbReader reads WKB values from b; bad is set, and zeros read, once b
// ends early or holds something quickWKB leaves to go-geom.
type wkbReader struct {
	b   []byte
	le  bool
	bad bool
}

// header reads a byte order and a geometry type.
func (r *wkbReader) header() uint32 {
	if len(r.b) < 1 || r.b[0] > 1 {
		r.bad = true
		return 0
	}
	r.le = r.b[0] == 1
	r.b = r.b[1:]
	return r.uint32()
}

func (r *wkbReader) uint32() uint32 {
	if r.bad || len(r.b) < 4 {
		r.bad = true
		return 0
	}
	var v uint32
	if r.le {
		v = binary.LittleEndian.Uint32(r.b)
	} else {
		v = binary.BigEndian.Uint32(r.b)
	}
	r.b = r.b[4:]
	return v
}

func (r *wkbReader) float() float64 {
	if r.bad || len(r.b) < 8 {
		r.bad = true
		return 0
	}
	var v uint64
	if r.le {
		v = binary.LittleEndian.Uint64(r.b)
	} else {
		v = binary.BigEndian.Uint64(r.b)
	}
	r.b = r.b[8:]
	return math.Float64frombits(v)
}

// count reads a count of items of at least size bytes; 0 and bad when
// fewer bytes are left.
func (r *wkbReader) count(size int) int {
	n := r.uint32()
	if r.bad || uint64(n)*uint64(size) > uint64(len(r.b)) {
		r.bad = true
		return 0
	}
	return int(n)
}

// polygon reads the rings of a polygon, after its header; a polygon
// without rings or with an empty ring is bad.
func (r *wkbReader) polygon() orb.Polygon {
	n := r.count(4)
	if n == 0 {
		r.bad = true
		return nil
	}
	p := make(orb.Polygon, n)
	for i := range p {
		k := r.count(16)
		if k == 0 {
			r.bad = true
			return nil
		}
		ring := make(orb.Ring, k)
		for j := range ring {
			ring[j] = orb.Point{r.float(), r.float()}
		}
		p[i] = ring
	}
	return p
}
