// Package postgis reads layers from PostgreSQL/PostGIS for package data: a
// data.Reader for sources written as GDAL writes them ("PG:dbname=city
// host=db user=gis") or as URLs ("postgres://gis@db/city?table=schools"),
// with a table, or a query, named by the source (table=, sql=) or by
// data.Options.Tables (the --layer flag). Passwords come from the source,
// PGPASSWORD, ~/.pgpass or a service file, as libpq finds them, and are
// never shown: SourceName hides them.
//
// It links the pgx driver; a library user who reads only files does not.
package postgis

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/pgsource"
)

// Reader reads PostGIS tables and queries. Its zero value is ready to use.
type Reader struct {
	// Timeout bounds connecting and reading; 0 means 10 minutes for the
	// read and 15 seconds to connect.
	Timeout time.Duration
}

// Accepts reports whether source is a PostgreSQL connection: "PG:…",
// "postgres://…" or "postgresql://…".
func (Reader) Accepts(source string) bool { return pgsource.IsSource(source) }

// SourceName is the source as messages and reports may show it: without
// its password.
func (Reader) SourceName(s string) string {
	src, err := pgsource.Parse(s)
	if err != nil {
		return "PostgreSQL source"
	}
	return src.Name
}

// Read reads one table or query.
func (r Reader) Read(req data.ReadRequest) (*data.RawLayer, error) {
	src, err := pgsource.Parse(req.Source)
	if err != nil {
		return nil, err
	}
	if req.Table != "" {
		if looksLikeQuery(req.Table) {
			src.Table, src.SQL = "", req.Table
		} else {
			src.Table, src.SQL = req.Table, ""
		}
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cfg, err := pgx.ParseConfig(src.Conn)
	if err != nil {
		return nil, fmt.Errorf("the connection string cannot be read: %v", err)
	}
	cfg.ConnectTimeout = 15 * time.Second
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, pgsource.ConnectError(err, cfg)
	}
	defer conn.Close(context.Background())
	return readLayer(ctx, conn, req.Layer, src)
}

// looksLikeQuery tells a query from a table name.
func looksLikeQuery(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(t, "select ") || strings.HasPrefix(t, "with ") || strings.HasPrefix(t, "select\n") || strings.HasPrefix(t, "(")
}

// geomColumn is a table's geometry column as geometry_columns lists it.
type geomColumn struct {
	schema, table, column, kind string
	srid                        int
}

// readLayer reads the features of a table or a query.
func readLayer(ctx context.Context, conn *pgx.Conn, layer data.Layer, src pgsource.Source) (*data.RawLayer, error) {
	var geomOID uint32
	if err := conn.QueryRow(ctx, "SELECT 'geometry'::regtype::oid").Scan(&geomOID); err != nil {
		return nil, fmt.Errorf("the database has no PostGIS geometry type (CREATE EXTENSION postgis): %v", pgsource.Message(err))
	}
	var from, label, gcol, pk string
	var srid int
	var kind string
	if src.SQL != "" {
		from, label = "("+strings.TrimRight(strings.TrimSpace(src.SQL), ";")+")", "query"
		rows, err := conn.Query(ctx, "SELECT * FROM "+from+" AS q LIMIT 0")
		if err != nil {
			return nil, fmt.Errorf("the query fails: %s", pgsource.Message(err))
		}
		for _, f := range rows.FieldDescriptions() {
			if f.DataTypeOID == geomOID && gcol == "" {
				gcol = f.Name
			}
		}
		rows.Close()
		if gcol == "" {
			return nil, fmt.Errorf("the query returns no geometry column")
		}
	} else {
		gc, err := pickTable(ctx, conn, layer, src.Table)
		if err != nil {
			return nil, err
		}
		from = quoteIdent(gc.schema) + "." + quoteIdent(gc.table)
		label = gc.schema + "." + gc.table
		gcol, srid, kind = gc.column, gc.srid, gc.kind
		if srid == 0 {
			return nil, fmt.Errorf("table %s: column %s has no SRID (0): give it the CRS its coordinates are in, e.g. SELECT UpdateGeometrySRID('%s', '%s', '%s', 6668) for JGD2011 degrees", label, gcol, gc.schema, gc.table, gcol)
		}
		if msg := kindProblem(layer, kind); msg != "" {
			return nil, fmt.Errorf("table %s: column %s holds %s; %s", label, gcol, kind, msg)
		}
		pk = primaryKey(ctx, conn, gc.schema, gc.table)
	}
	q := fmt.Sprintf(`SELECT q.*, ST_AsBinary(q.%[1]s) AS "__catchment_wkb", ST_SRID(q.%[1]s) AS "__catchment_srid" FROM %[2]s AS q`, quoteIdent(gcol), from)
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", label, pgsource.Message(err))
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	out := &data.RawLayer{Table: label}
	sridSeen := srid
	for i := 0; rows.Next(); i++ {
		vals, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %s", label, i, pgsource.Message(err))
		}
		f := data.RawFeature{Index: i, Properties: make(map[string]any, len(fields))}
		var blob []byte
		for j, fd := range fields {
			switch {
			case fd.Name == "__catchment_wkb":
				blob, _ = vals[j].([]byte)
			case fd.Name == "__catchment_srid":
				if s, ok := vals[j].(int32); ok && s != 0 {
					if sridSeen == 0 {
						sridSeen = int(s)
					} else if int(s) != sridSeen {
						return nil, fmt.Errorf("%s: row %d: SRID %d, but earlier rows have %d; give one CRS (ST_Transform)", label, i, s, sridSeen)
					}
				}
			case fd.Name == gcol || fd.DataTypeOID == geomOID:
			case fd.Name == pk:
				f.ID = value(vals[j])
				f.Properties[fd.Name] = value(vals[j])
			default:
				f.Properties[fd.Name] = value(vals[j])
			}
		}
		if blob != nil {
			f.Geometry, f.GeometryErr = decode(blob)
		}
		out.Features = append(out.Features, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %s", label, pgsource.Message(err))
	}
	if sridSeen == 0 {
		if len(out.Features) > 0 {
			return nil, fmt.Errorf("%s: the geometries have no SRID (0): give them one (ST_SetSRID) in the query", label)
		}
	} else {
		out.CRS = data.CRS{Authority: "EPSG", Code: sridSeen}
	}
	return out, nil
}

// pickTable finds the table to read in geometry_columns: the one named,
// else the only one, else the one named like the layer.
func pickTable(ctx context.Context, conn *pgx.Conn, layer data.Layer, want string) (geomColumn, error) {
	rows, err := conn.Query(ctx, `SELECT f_table_schema, f_table_name, f_geometry_column, srid, type FROM geometry_columns ORDER BY f_table_schema, f_table_name, f_geometry_column`)
	if err != nil {
		return geomColumn{}, fmt.Errorf("geometry_columns cannot be read: %s", pgsource.Message(err))
	}
	var all []geomColumn
	for rows.Next() {
		var g geomColumn
		if err := rows.Scan(&g.schema, &g.table, &g.column, &g.srid, &g.kind); err != nil {
			rows.Close()
			return geomColumn{}, fmt.Errorf("geometry_columns: %s", pgsource.Message(err))
		}
		all = append(all, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return geomColumn{}, fmt.Errorf("geometry_columns: %s", pgsource.Message(err))
	}
	var names []string
	for _, g := range all {
		names = append(names, g.schema+"."+g.table)
	}
	match := func(schema, table string) []geomColumn {
		var out []geomColumn
		for _, g := range all {
			if strings.EqualFold(g.table, table) && (schema == "" || strings.EqualFold(g.schema, schema)) {
				out = append(out, g)
			}
		}
		return out
	}
	switch {
	case want != "":
		schema, table, ok := strings.Cut(want, ".")
		if !ok {
			schema, table = "", want
		}
		m := match(schema, table)
		if len(m) == 0 {
			return geomColumn{}, fmt.Errorf("no table %q with a geometry column (geometry_columns lists %s); name it with --layer %s=SCHEMA.TABLE", want, list(names), layer)
		}
		if len(m) > 1 && schema == "" && m[0].schema != m[1].schema {
			return geomColumn{}, fmt.Errorf("table %q is in several schemas (%s.%s, %s.%s); name one: --layer %s=SCHEMA.TABLE", want, m[0].schema, m[0].table, m[1].schema, m[1].table, layer)
		}
		return m[0], nil
	case len(all) == 1:
		return all[0], nil
	case len(all) == 0:
		return geomColumn{}, fmt.Errorf("the database has no table with a geometry column (geometry_columns is empty)")
	}
	if m := match("", string(layer)); len(m) > 0 {
		return m[0], nil
	}
	return geomColumn{}, fmt.Errorf("%d tables have geometry (%s): name one with --layer %s=TABLE or table= in the source", len(all), list(names), layer)
}

func list(names []string) string {
	if len(names) > 12 {
		return strings.Join(names[:12], ", ") + fmt.Sprintf(", … (%d more)", len(names)-12)
	}
	return strings.Join(names, ", ")
}

// primaryKey is the single-column primary key of a table, or "".
func primaryKey(ctx context.Context, conn *pgx.Conn, schema, table string) string {
	var col string
	err := conn.QueryRow(ctx, `SELECT a.attname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		WHERE i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass AND i.indisprimary AND array_length(i.indkey, 1) = 1`, schema, table).Scan(&col)
	if err != nil {
		return ""
	}
	return col
}

// kindProblem says what is wrong with a geometry column of type kind for
// the layer, or "".
func kindProblem(layer data.Layer, kind string) string {
	k := strings.ToUpper(strings.TrimRight(kind, "ZM"))
	var ok []string
	switch layer {
	case data.LayerOffices, data.LayerStores, data.LayerPosts:
		ok = []string{"POINT", "MULTIPOINT"}
	case data.LayerDistricts, data.LayerBoundary:
		ok = []string{"POLYGON", "MULTIPOLYGON"}
	case data.LayerNetwork:
		ok = []string{"LINESTRING", "MULTILINESTRING"}
	default:
		return ""
	}
	if k == "GEOMETRY" || k == "GEOMETRYCOLLECTION" {
		return ""
	}
	for _, o := range ok {
		if k == o {
			return ""
		}
	}
	return fmt.Sprintf("the %s layer needs %s", layer, strings.Join(ok, " or "))
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// value turns a column value into one the loader reads: numbers as Go
// numbers, text as string; others as text.
func value(v any) any {
	switch v := v.(type) {
	case nil, string, bool, int16, int32, int64, float32, float64:
		return v
	case pgtype.Numeric:
		f, err := v.Float64Value()
		if err != nil || !f.Valid {
			return nil
		}
		return f.Float64
	case time.Time:
		return v.Format(time.RFC3339)
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", v[0:4], v[4:6], v[6:8], v[8:10], v[10:])
	case []byte:
		return nil
	}
	return fmt.Sprint(v)
}

// decode reads a WKB geometry into orb's types; nil for an empty one.
func decode(b []byte) (orb.Geometry, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("the geometry's WKB cannot be read: %v", err)
	}
	if g.Empty() {
		return nil, nil
	}
	return toOrb(g)
}

// toOrb converts a go-geom geometry (2D, or the first two coordinates).
func toOrb(g geom.T) (orb.Geometry, error) {
	pt := func(c geom.Coord) orb.Point { return orb.Point{c[0], c[1]} }
	ring := func(cs []geom.Coord) orb.Ring {
		r := make(orb.Ring, len(cs))
		for i, c := range cs {
			r[i] = pt(c)
		}
		return r
	}
	poly := func(rings [][]geom.Coord) orb.Polygon {
		p := make(orb.Polygon, len(rings))
		for i, r := range rings {
			p[i] = ring(r)
		}
		return p
	}
	switch g := g.(type) {
	case *geom.Point:
		c := g.Coords()
		if math.IsNaN(c[0]) {
			return nil, nil
		}
		return pt(c), nil
	case *geom.MultiPoint:
		cs := g.Coords()
		out := make(orb.MultiPoint, len(cs))
		for i, c := range cs {
			out[i] = pt(c)
		}
		return out, nil
	case *geom.LineString:
		return orb.LineString(ring(g.Coords())), nil
	case *geom.MultiLineString:
		cs := g.Coords()
		out := make(orb.MultiLineString, len(cs))
		for i, c := range cs {
			out[i] = orb.LineString(ring(c))
		}
		return out, nil
	case *geom.Polygon:
		return poly(g.Coords()), nil
	case *geom.MultiPolygon:
		cs := g.Coords()
		out := make(orb.MultiPolygon, len(cs))
		for i, c := range cs {
			out[i] = poly(c)
		}
		return out, nil
	}
	return nil, fmt.Errorf("the geometry is a %T, which no layer takes", g)
}
