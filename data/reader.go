package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// A Reader reads the features of a source that package data does not read
// itself: a file format whose reader brings heavy dependencies (GeoPackage
// needs SQLite; its reader is gpkg.Reader in
// github.com/kumamoto-gis/catchment/data/gpkg) or, later, a database.
// Readers are given to the loader in Options.Readers; there is no global
// registry. The loader asks them in order and the first that accepts a
// source reads it; sources no reader accepts are read by the loader's own
// GeoJSON, CSV and Shapefile readers.
//
// A Reader only reads: the loader maps the properties to its fields
// (aliases, --field mappings, presets), converts the coordinates from the
// source's CRS, validates every feature and writes the messages, exactly
// as for the formats it reads itself.
type Reader interface {
	// Accepts reports whether the reader reads source, a file path (told
	// by its extension, such as ".gpkg") or a connection string (told by
	// its prefix, such as "PG:" or "postgres://").
	Accepts(source string) bool
	// Read reads one table of the source. An error is a problem of the
	// source as a whole (it cannot be opened, it has no such table); the
	// loader prefixes it with the source. A problem of one feature's
	// geometry goes in that feature's GeometryErr instead, so that every
	// bad feature is reported.
	Read(req ReadRequest) (*RawLayer, error)
}

// A StreamReader is a Reader that can also hand its features over one at a
// time, so that a large source is never held as a slice of RawFeatures.
// The loader streams from readers that implement it and calls Read on the
// others.
type StreamReader interface {
	Reader
	// Stream reads what Read reads but calls fn once per feature, in the
	// source's order, instead of returning them: the RawLayer it returns
	// has no Features. Its errors are those of Read; on an error, fn may
	// already have been called for the features before the problem. The
	// feature's Properties map is valid only during the call to fn: the
	// reader may reuse it for the next feature.
	Stream(req ReadRequest, fn func(RawFeature)) (*RawLayer, error)
}

// SourceNamer is implemented by Readers whose sources may hold secrets,
// such as a database password in a connection string: SourceName is the
// source as messages, warnings and reports show it.
type SourceNamer interface {
	SourceName(source string) string
}

// sourceName is the source as messages may show it.
func (opt Options) sourceName(source string) string {
	if n, ok := opt.reader(source).(SourceNamer); ok {
		return n.SourceName(source)
	}
	return source
}

// ReadRequest is what the loader asks a Reader to read.
type ReadRequest struct {
	// Source is the file path or connection string as given in Paths.
	Source string
	// Layer is the layer being loaded. A reader of a source of several
	// tables reads, when Table is "", its only table, else the one named
	// like the layer.
	Layer Layer
	// Table names the table to read (from Options.Tables, the --layer
	// flag); "" when none was given. A database reader may take a query.
	Table string
	// ReadFile reads a file of the loader's file system: the disk for Load
	// and LoadDir, the fs.FS given to LoadFS. File readers read through
	// it, not through package os, so that embedded and in-memory sources
	// work; its errors are reported as the loader reports a missing file.
	ReadFile func(name string) ([]byte, error)
	// Fields are the property names the loader reads, as it matches them:
	// ignoring case and surrounding spaces (see Wants). nil asks for every
	// property. A reader may leave the other properties out of
	// RawFeature.Properties; it then lists in RawLayer.Names every property
	// name it saw, so that messages can still name them.
	Fields []string
	// Bound, when not nil, is the study area: a reader with a spatial index
	// may leave out the features whose bounding box does not meet it, and
	// other readers ignore it. The loader does not set it (see the README,
	// FlatGeobuf).
	Bound *orb.Bound
}

// Wants reports whether the loader reads the property called name: true
// when Fields is nil or holds name, compared as the loader compares names.
func (r ReadRequest) Wants(name string) bool {
	if r.Fields == nil {
		return true
	}
	name = strings.TrimSpace(name)
	for _, f := range r.Fields {
		if strings.EqualFold(name, f) {
			return true
		}
	}
	return false
}

// RawLayer is what a Reader returns: the features of one table as the
// source holds them, before the loader maps and checks them.
type RawLayer struct {
	// Table names the table read, for messages ("districts.gpkg (table
	// A27)"); "" for a source without tables.
	Table string
	// CRS is the coordinate reference system the source declares for its
	// geometries; the zero CRS when it declares none, and the coordinates
	// are then read as WGS84 longitude/latitude.
	CRS CRS
	// Features are the features in the source's order.
	Features []RawFeature
	// Warnings are problems of the source as a whole that do not stop
	// loading; the loader reports them with the source's name.
	Warnings []string
	// Names are the property names the features hold, when the reader left
	// some out of Properties because ReadRequest.Fields did not ask for
	// them: every name that at least one feature holds (with a value or
	// empty), in any order. nil when Properties hold every name.
	Names []string
}

// RawFeature is one feature of a RawLayer.
type RawFeature struct {
	// Index numbers the feature in messages ("feature 3"): its position in
	// the source, from 0.
	Index int
	// ID is the feature's id outside its properties (a primary key), or
	// nil; it is the feature's id when no property holds one.
	ID any
	// Properties holds the feature's attributes keyed by their names in
	// the source. Values are nil, string, bool, json.Number or any Go
	// integer or floating-point type (NaN and ±Inf count as empty); other
	// values are read as their fmt.Sprint text.
	Properties map[string]any
	// Geometry is the feature's geometry in the source's CRS: a Point,
	// MultiPoint, Polygon or MultiPolygon for the loader to accept, any
	// other type to be reported. It is nil for a null or empty geometry.
	Geometry orb.Geometry
	// GeometryErr says why the geometry could not be read; Geometry is then
	// nil.
	GeometryErr error
}

// CRS is the coordinate reference system a source declares, as files
// declare it: by a code such as EPSG:6670, or by a WKT definition.
type CRS struct {
	// Authority and Code name the CRS in a registry, such as "EPSG" and
	// 6670; the loader converts the EPSG codes it knows (see the README)
	// and refuses others that come without a WKT definition.
	Authority string
	Code      int
	// WKT is the CRS definition (WKT 1 in OGC or ESRI style, or WKT 2),
	// read when the code is not one the loader knows: by its datum and,
	// when projected, its transverse Mercator parameters.
	WKT string
	// Name calls an undefined CRS, one that has neither a code nor a
	// definition, such as "undefined (srs_id 0)"; the coordinates are then
	// read as longitude/latitude with a warning.
	Name string
}

// info interprets c for the loader; nil for the zero CRS (none declared).
func (c CRS) info() *crsInfo {
	if c == (CRS{}) {
		return nil
	}
	code := fmt.Sprintf("%s:%d", c.Authority, c.Code)
	if strings.EqualFold(c.Authority, "EPSG") {
		if ci := epsgCRS(c.Code); ci.known {
			return &ci
		}
	}
	ci := crsInfo{name: c.Name}
	switch {
	case c.WKT != "":
		ci = crsFromWKT(c.WKT)
		if ci.name == "" {
			ci.name = code
		}
	case c.Name == "" && strings.EqualFold(c.Authority, "EPSG"):
		ci = epsgCode(c.Code)
	case c.Name == "":
		ci = crsInfo{name: code, problem: fmt.Sprintf("%s is not a CRS this loader converts; %s", code, crsAdvice)}
	case c.Authority == "" && c.Code == 0:
		ci.undefined = true
	}
	return &ci
}

// reader returns the first of opt.Readers that accepts source, or nil.
func (opt Options) reader(source string) Reader {
	for _, r := range opt.Readers {
		if r != nil && r.Accepts(source) {
			return r
		}
	}
	return nil
}

// readFileError marks an error of ReadRequest.ReadFile, so that the loader
// reports it as it reports a file it cannot read itself.
type readFileError struct{ err error }

func (e *readFileError) Error() string { return e.err.Error() }
func (e *readFileError) Unwrap() error { return e.err }

// readWith reads file with r and passes each feature to fn as a record and
// its geometry. With reuse, fn is handed one record, written over for
// each feature. It returns the layer for its table, CRS and warnings. It
// streams the features when r is a StreamReader.
func readWith(r Reader, readFile func(string) ([]byte, error), file string, layer Layer, table string, res *resolver, keys map[string]bool, reuse bool, fn func(*record, shape)) (*RawLayer, error) {
	req := ReadRequest{
		Source: file,
		Layer:  layer,
		Table:  table,
		ReadFile: func(name string) ([]byte, error) {
			b, err := readFile(name)
			if err != nil {
				return nil, &readFileError{err}
			}
			return b, nil
		},
		Fields: res.wanted(),
	}
	// Scratch space: records keep values, not these maps.
	props, best := map[string]any{}, map[string]bestName{}
	var rec *record
	add := func(f RawFeature) {
		clear(props)
		for k, v := range f.Properties {
			props[k] = rawValue(v)
		}
		if rec == nil || !reuse {
			rec = &record{values: make(map[string]any, 4)}
		}
		clear(rec.values)
		*rec = record{index: f.Index, values: rec.values}
		fillRecord(rec, best, &rawFeature{ID: rawValue(f.ID), Properties: props}, res, keys)
		sh := shape{g: f.Geometry}
		if f.GeometryErr != nil {
			sh = shape{msg: f.GeometryErr.Error()}
		}
		fn(rec, sh)
	}
	var raw *RawLayer
	var err error
	sr, stream := r.(StreamReader)
	if stream {
		raw, err = sr.Stream(req, add)
	} else {
		raw, err = r.Read(req)
	}
	var rf *readFileError
	switch {
	case errors.As(err, &rf):
		return nil, fmt.Errorf("layer %s: %w", layer, rf.err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", shownName(r, file), err)
	case raw == nil:
		return nil, fmt.Errorf("%s: the reader returned no layer", shownName(r, file))
	}
	if !stream {
		for _, f := range raw.Features {
			add(f)
		}
	}
	for _, n := range raw.Names {
		keys[n] = true
	}
	return raw, nil
}

// shownName is source as r lets messages show it.
func shownName(r Reader, source string) string {
	if n, ok := r.(SourceNamer); ok {
		return n.SourceName(source)
	}
	return source
}

// rawValue turns a property value of a Reader into what the loader expects
// from JSON: numbers as json.Number, text as string.
func rawValue(v any) any {
	switch v := v.(type) {
	case nil, string, bool, json.Number:
		return v
	case int:
		return json.Number(strconv.FormatInt(int64(v), 10))
	case int8:
		return json.Number(strconv.FormatInt(int64(v), 10))
	case int16:
		return json.Number(strconv.FormatInt(int64(v), 10))
	case int32:
		return json.Number(strconv.FormatInt(int64(v), 10))
	case int64:
		return json.Number(strconv.FormatInt(v, 10))
	case uint:
		return json.Number(strconv.FormatUint(uint64(v), 10))
	case uint8:
		return json.Number(strconv.FormatUint(uint64(v), 10))
	case uint16:
		return json.Number(strconv.FormatUint(uint64(v), 10))
	case uint32:
		return json.Number(strconv.FormatUint(uint64(v), 10))
	case uint64:
		return json.Number(strconv.FormatUint(v, 10))
	case float32:
		return floatValue(float64(v), 32)
	case float64:
		return floatValue(v, 64)
	}
	return fmt.Sprint(v)
}

// floatValue renders a float of bitSize bits as the shortest json.Number
// that reads back as it; NaN and ±Inf, which JSON cannot hold, are empty.
func floatValue(f float64, bitSize int) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, bitSize))
}
