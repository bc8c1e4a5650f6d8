// Package geoparquetwrite converts a GeoJSON FeatureCollection to a
// GeoParquet 1.1 file (WKB geometries, one row group per RowGroupRows
// features). It makes the test fixtures and the benchmark inputs of
// data/geoparquet when neither GDAL's Parquet driver nor pyarrow is at
// hand; it is not a general writer.
package geoparquetwrite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/parquet-go/parquet-go"
	"github.com/twpayne/go-geom/encoding/geojson"
	"github.com/twpayne/go-geom/encoding/wkb"
)

// Options shape the file written.
type Options struct {
	// CRS is the geometry column's crs member as JSON (PROJJSON or
	// "null"); empty leaves it out, meaning OGC:CRS84.
	CRS string
	// Encoding is the geometry encoding the metadata declares; "" is WKB.
	Encoding string
	// NoGeo leaves out the `geo` metadata: a plain Parquet file.
	NoGeo bool
	// RowGroupRows is the number of rows per row group; 0 is 10000.
	RowGroupRows int
	// Compression is the column codec; nil is Snappy.
	Compression parquet.WriterOption
}

// kinds of property columns.
const (
	kindString = iota
	kindInt
	kindDouble
	kindBool
)

// FromGeoJSON converts the FeatureCollection text to GeoParquet.
func FromGeoJSON(text []byte, opt Options) ([]byte, error) {
	var fc geojson.FeatureCollection
	if err := json.Unmarshal(text, &fc); err != nil {
		return nil, fmt.Errorf("read GeoJSON: %w", err)
	}
	// Column types: integers when every value is whole, else doubles;
	// strings win over everything; other JSON values are written as JSON.
	kinds := map[string]int{}
	for _, f := range fc.Features {
		for k, v := range f.Properties {
			if k == "geometry" {
				continue
			}
			prev, seen := kinds[k]
			var kind int
			switch v := v.(type) {
			case nil:
				continue
			case bool:
				kind = kindBool
			case float64:
				kind = kindDouble
				if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
					kind = kindInt
				}
			default:
				kind = kindString
			}
			switch {
			case !seen:
				kinds[k] = kind
			case prev == kind:
			case (prev == kindInt || prev == kindDouble) && (kind == kindInt || kind == kindDouble):
				kinds[k] = kindDouble
			default:
				kinds[k] = kindString
			}
		}
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	group := parquet.Group{"geometry": parquet.Optional(parquet.Leaf(parquet.ByteArrayType))}
	for _, k := range names {
		var n parquet.Node
		switch kinds[k] {
		case kindString:
			n = parquet.String()
		case kindInt:
			n = parquet.Int(64)
		case kindDouble:
			n = parquet.Leaf(parquet.DoubleType)
		case kindBool:
			n = parquet.Leaf(parquet.BooleanType)
		}
		group[k] = parquet.Optional(n)
	}
	schema := parquet.NewSchema("features", group)
	// The Group orders its columns by name.
	col := map[string]int{}
	for i, path := range schema.Columns() {
		col[path[0]] = i
	}
	options := []parquet.WriterOption{schema, parquet.Compression(&parquet.Snappy)}
	if opt.Compression != nil {
		options = append(options, opt.Compression)
	}
	if !opt.NoGeo {
		enc := opt.Encoding
		if enc == "" {
			enc = "WKB"
		}
		gc := map[string]any{"encoding": enc, "geometry_types": []string{}}
		if opt.CRS != "" {
			gc["crs"] = json.RawMessage(opt.CRS)
		}
		meta, err := json.Marshal(map[string]any{"version": "1.1.0", "primary_column": "geometry", "columns": map[string]any{"geometry": gc}})
		if err != nil {
			return nil, err
		}
		options = append(options, parquet.KeyValueMetadata("geo", string(meta)))
	}
	var out bytes.Buffer
	w := parquet.NewWriter(&out, options...)
	per := opt.RowGroupRows
	if per <= 0 {
		per = 10000
	}
	rows := make([]parquet.Row, 0, per)
	flush := func() error {
		if _, err := w.WriteRows(rows); err != nil {
			return err
		}
		rows = rows[:0]
		return w.Flush()
	}
	for i, f := range fc.Features {
		row := make(parquet.Row, len(col))
		for k, c := range col {
			row[c] = parquet.NullValue().Level(0, 0, c)
			if k == "geometry" {
				if f.Geometry != nil {
					b, err := wkb.Marshal(f.Geometry, wkb.NDR)
					if err != nil {
						return nil, fmt.Errorf("feature %d: %w", i, err)
					}
					row[c] = parquet.ByteArrayValue(b).Level(0, 1, c)
				}
				continue
			}
			v, ok := f.Properties[k]
			if !ok || v == nil {
				continue
			}
			var pv parquet.Value
			switch kinds[k] {
			case kindString:
				s, isString := v.(string)
				if !isString {
					b, _ := json.Marshal(v)
					s = string(b)
				}
				pv = parquet.ByteArrayValue([]byte(s))
			case kindInt:
				pv = parquet.Int64Value(int64(v.(float64)))
			case kindDouble:
				pv = parquet.DoubleValue(v.(float64))
			case kindBool:
				pv = parquet.BooleanValue(v.(bool))
			}
			row[c] = pv.Level(0, 1, c)
		}
		rows = append(rows, row)
		if len(rows) == per {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if len(rows) > 0 {
		if err := flush(); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
