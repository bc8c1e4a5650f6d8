// Package postgis writes layers into PostgreSQL/PostGIS as typed tables
// that QGIS opens: a primary key, typed columns, a geometry column in
// EPSG:4326 with a GiST index, and the layer's QGIS style in the
// layer_styles table QGIS reads. Every table of one Write goes in one
// transaction: a failure leaves the database as it was.
//
// It links the pgx driver; a library user who writes only files does not.
package postgis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/ewkb"

	"github.com/kumamoto-gis/catchment/internal/pgsource"
	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/kumamoto-gis/catchment/render/vector/internal/layer"
)

// Layer is one table: its name, its features (lon/lat degrees, as for
// vector.WriteGeoJSON; features without geometry make a table without a
// geometry column) and an optional QGIS style (.qml).
type Layer struct {
	Name     string
	Features []vector.Feature
	Style    string
}

// Options set where and how tables are written.
type Options struct {
	// Schema is the schema the tables go in, created when missing;
	// "" means "catchment".
	Schema string
	// Overwrite replaces tables that exist; without it an existing table
	// is an error and nothing is written.
	Overwrite bool
	// OnLayer, when set, is called after each table's rows are in, before
	// the commit: an error aborts the whole write (progress, tests).
	OnLayer func(name string, rows int) error
}

// srid is the SRID every geometry is written in: WGS 84 longitude/latitude.
const srid = 4326

// Write writes the layers to the database of conn ("PG:dbname=… host=…"
// or "postgres://…"), whole or not at all.
func Write(ctx context.Context, conn string, layers []Layer, opt Options) error {
	src, err := pgsource.Parse(conn)
	if err != nil {
		return err
	}
	schema := opt.Schema
	if schema == "" {
		schema = "catchment"
	}
	if err := checkNames(schema, layers); err != nil {
		return err
	}
	cfg, err := pgx.ParseConfig(src.Conn)
	if err != nil {
		return fmt.Errorf("the connection string cannot be read: %v", err)
	}
	cfg.ConnectTimeout = 15 * time.Second
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return pgsource.ConnectError(err, cfg)
	}
	defer c.Close(context.Background())
	var geomOID uint32
	if err := c.QueryRow(ctx, "SELECT 'geometry'::regtype::oid").Scan(&geomOID); err != nil {
		return fmt.Errorf("%s: the database has no PostGIS (CREATE EXTENSION postgis): %s", src.Name, pgsource.Message(err))
	}
	// PostGIS sends and receives geometries as EWKB: bytes as they are.
	c.TypeMap().RegisterType(&pgtype.Type{Name: "geometry", OID: geomOID, Codec: pgtype.ByteaCodec{}})
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("%s: %s", src.Name, pgsource.Message(err))
	}
	defer tx.Rollback(context.Background()) // a no-op after Commit
	if !opt.Overwrite {
		var taken []string
		for _, l := range layers {
			var exists bool
			if err := tx.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", quoteIdent(schema)+"."+quoteIdent(l.Name)).Scan(&exists); err != nil {
				return fmt.Errorf("%s: %s", src.Name, pgsource.Message(err))
			}
			if exists {
				taken = append(taken, schema+"."+l.Name)
			}
		}
		if len(taken) > 0 {
			return fmt.Errorf("%s: %s already exist: give --overwrite to replace them (nothing was written)", src.Name, strings.Join(taken, ", "))
		}
	}
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+quoteIdent(schema)); err != nil {
		return fmt.Errorf("%s: schema %s: %s", src.Name, schema, pgsource.Message(err))
	}
	if err := ensureStyles(ctx, tx); err != nil {
		return fmt.Errorf("%s: layer_styles: %s", src.Name, pgsource.Message(err))
	}
	for _, l := range layers {
		if err := writeLayer(ctx, tx, schema, l); err != nil {
			return fmt.Errorf("%s: table %s.%s: %w", src.Name, schema, l.Name, err)
		}
		if opt.OnLayer != nil {
			if err := opt.OnLayer(l.Name, len(l.Features)); err != nil {
				return fmt.Errorf("%s: table %s.%s: %w (nothing was written)", src.Name, schema, l.Name, err)
			}
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("%s: commit: %s", src.Name, pgsource.Message(err))
	}
	return nil
}

// checkNames refuses names PostgreSQL would truncate or that are empty.
func checkNames(schema string, layers []Layer) error {
	seen := map[string]bool{}
	for _, n := range append([]string{schema}, names(layers)...) {
		if n == "" || len(n) > 63 || strings.ContainsRune(n, 0) {
			return fmt.Errorf("the name %q is not a PostgreSQL name (1 to 63 bytes)", n)
		}
	}
	for _, n := range names(layers) {
		if seen[n] {
			return fmt.Errorf("two layers are called %q", n)
		}
		seen[n] = true
	}
	return nil
}

func names(layers []Layer) []string {
	out := make([]string, len(layers))
	for i, l := range layers {
		out[i] = l.Name
	}
	return out
}

// sqlType is the column type of a kind.
func sqlType(k layer.Kind) string {
	switch k {
	case layer.Int:
		return "bigint"
	case layer.Float:
		return "double precision"
	case layer.Bool:
		return "boolean"
	}
	return "text"
}

// writeLayer creates one table and copies its rows in.
func writeLayer(ctx context.Context, tx pgx.Tx, schema string, l Layer) error {
	props := make([][]layer.Property, len(l.Features))
	ids := make([]string, len(l.Features))
	geoms := make([]orb.Geometry, len(l.Features))
	spatial := false
	for i, f := range l.Features {
		props[i], ids[i], geoms[i] = f.Properties, f.ID, f.Geometry
		spatial = spatial || f.Geometry != nil
	}
	fields, err := layer.Schema(props, ids)
	if err != nil {
		return err
	}
	var m layer.Mix
	for _, g := range geoms {
		m.Add(g)
	}
	promote := m.Promotion()
	gtype := layer.GeometryType(geoms, promote)
	table := quoteIdent(schema) + "." + quoteIdent(l.Name)
	cols := []string{"fid integer PRIMARY KEY"}
	colNames := []string{"fid"}
	if spatial {
		cols = append(cols, fmt.Sprintf("geom geometry(%s, %d)", gtype, srid))
		colNames = append(colNames, "geom")
	}
	for _, f := range fields {
		if f.Key == "fid" || (spatial && f.Key == "geom") {
			return fmt.Errorf("property %q clashes with the table's own column", f.Key)
		}
		cols = append(cols, quoteIdent(f.Key)+" "+sqlType(f.Kind))
		colNames = append(colNames, f.Key)
	}
	for _, stmt := range []string{
		"DROP TABLE IF EXISTS " + table,
		"CREATE TABLE " + table + " (" + strings.Join(cols, ", ") + ")",
	} {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%s", pgsource.Message(err))
		}
	}
	rows := make([][]any, len(l.Features))
	for i, f := range l.Features {
		row := make([]any, 0, len(colNames))
		row = append(row, int32(i+1))
		if spatial {
			var blob any
			if f.Geometry != nil {
				g := promote.Promote(layer.AsPolygon(f.Geometry))
				if err := lonlat.CheckGeometry(g); err != nil {
					return fmt.Errorf("feature %d (id %q): %w", i, f.ID, err)
				}
				b, err := encode(g)
				if err != nil {
					return fmt.Errorf("feature %d (id %q): %w", i, f.ID, err)
				}
				blob = b
			}
			row = append(row, blob)
		}
		values := map[string]any{}
		for _, p := range f.Properties {
			values[p.Key] = p.Value
		}
		if _, ok := values["id"]; !ok && f.ID != "" {
			values["id"] = f.ID
		}
		for _, fl := range fields {
			v, err := layer.ScalarOf(values[fl.Key])
			if err != nil {
				return fmt.Errorf("feature %d property %q: %w", i, fl.Key, err)
			}
			row = append(row, sqlValue(v, fl.Kind))
		}
		rows[i] = row
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{schema, l.Name}, colNames, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy rows: %s", pgsource.Message(err))
	}
	if spatial {
		idx := quoteIdent(l.Name + "_geom_idx")
		if _, err := tx.Exec(ctx, "CREATE INDEX "+idx+" ON "+table+" USING GIST (geom)"); err != nil {
			return fmt.Errorf("spatial index: %s", pgsource.Message(err))
		}
	}
	if _, err := tx.Exec(ctx, "ANALYZE "+table); err != nil {
		return fmt.Errorf("%s", pgsource.Message(err))
	}
	if l.Style != "" && spatial {
		if _, err := tx.Exec(ctx, `DELETE FROM public.layer_styles WHERE f_table_schema = $1 AND f_table_name = $2 AND f_geometry_column = 'geom'`, schema, l.Name); err != nil {
			return fmt.Errorf("style: %s", pgsource.Message(err))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename, styleqml, stylesld, useasdefault, description, type)
			VALUES (current_database(), $1::text, $2::text, 'geom', $2::text, XMLPARSE(DOCUMENT $3::text), XMLPARSE(DOCUMENT '<StyledLayerDescriptor/>'), true, 'catchment', $4::text)`,
			schema, l.Name, l.Style, strings.TrimPrefix(strings.ToLower(gtype), "multi")); err != nil {
			return fmt.Errorf("style: %s", pgsource.Message(err))
		}
	}
	return nil
}

// ensureStyles creates QGIS's layer_styles table when the database has none.
func ensureStyles(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS public.layer_styles (
		id serial PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar, f_table_name varchar,
		f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean,
		description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml,
		update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar)`)
	return err
}

// sqlValue is the column value of a scalar of a column of kind k: NaN and
// ±Inf are NULL.
func sqlValue(v layer.Scalar, k layer.Kind) any {
	switch v.Kind {
	case layer.Null:
		return nil
	case layer.String:
		return v.Str
	case layer.Int:
		n, err := strconv.ParseInt(v.Str, 10, 64)
		if err != nil {
			return nil
		}
		if k == layer.Float {
			return float64(n)
		}
		return n
	case layer.Float:
		if !v.Finite() {
			return nil
		}
		return v.Num
	case layer.Bool:
		return v.B
	}
	return nil
}

// encode is the EWKB of g with SRID 4326, as PostGIS receives it.
func encode(g orb.Geometry) ([]byte, error) {
	gg, err := toGeom(g)
	if err != nil {
		return nil, err
	}
	return ewkb.Marshal(gg, ewkb.NDR)
}

// toGeom converts orb's types to go-geom's, in EPSG:4326.
func toGeom(g orb.Geometry) (geom.T, error) {
	flat := func(ps []orb.Point) []float64 {
		out := make([]float64, 0, 2*len(ps))
		for _, p := range ps {
			out = append(out, p[0], p[1])
		}
		return out
	}
	polyEnds := func(p orb.Polygon, flats []float64) ([]float64, []int) {
		var ends []int
		for _, r := range p {
			flats = append(flats, flat(r)...)
			ends = append(ends, len(flats))
		}
		return flats, ends
	}
	var out geom.T
	switch g := g.(type) {
	case orb.Point:
		out = geom.NewPointFlat(geom.XY, []float64{g[0], g[1]})
	case orb.MultiPoint:
		out = geom.NewMultiPointFlat(geom.XY, flat(g))
	case orb.LineString:
		out = geom.NewLineStringFlat(geom.XY, flat(g))
	case orb.MultiLineString:
		var flats []float64
		var ends []int
		for _, l := range g {
			flats = append(flats, flat(l)...)
			ends = append(ends, len(flats))
		}
		out = geom.NewMultiLineStringFlat(geom.XY, flats, ends)
	case orb.Polygon:
		flats, ends := polyEnds(g, nil)
		out = geom.NewPolygonFlat(geom.XY, flats, ends)
	case orb.MultiPolygon:
		var flats []float64
		var endss [][]int
		for _, p := range g {
			var ends []int
			flats, ends = polyEnds(p, flats)
			endss = append(endss, ends)
		}
		out = geom.NewMultiPolygonFlat(geom.XY, flats, endss)
	default:
		return nil, fmt.Errorf("a %s cannot be written", g.GeoJSONType())
	}
	return geom.SetSRID(out, srid)
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
