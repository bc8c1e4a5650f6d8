package data

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	// The pure-Go SQLite driver: no cgo, so the CLI cross-compiles for the
	// Windows PCs GIS staff use.
	_ "modernc.org/sqlite"
)

// gpkgInfo is what a GeoPackage table says besides its rows.
type gpkgInfo struct {
	table string
	crs   *crsInfo
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// readGeoPackage reads one feature table of a GeoPackage given as bytes:
// the table named want, else the only feature table, else the one named
// like the layer. Each row goes to fn, its geometry to shapes.
func readGeoPackage(raw []byte, layer Layer, want string, res *resolver, keys map[string]bool, shapes map[*record]shape, fn func(*record)) (gpkgInfo, error) {
	var info gpkgInfo
	if len(raw) < 100 || string(raw[:16]) != "SQLite format 3\x00" {
		return info, fmt.Errorf("not a GeoPackage: the file is not an SQLite database")
	}
	// SQLite reads files, not bytes: work on a private copy.
	tmp, err := os.CreateTemp("", "catchment-*.gpkg")
	if err != nil {
		return info, fmt.Errorf("copy the GeoPackage: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return info, fmt.Errorf("copy the GeoPackage: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return info, fmt.Errorf("copy the GeoPackage: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+tmp.Name()+"?mode=ro")
	if err != nil {
		return info, fmt.Errorf("open the GeoPackage: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return info, readGPKGTable(db, &info, layer, want, res, keys, shapes, fn)
}

func readGPKGTable(db *sql.DB, info *gpkgInfo, layer Layer, want string, res *resolver, keys map[string]bool, shapes map[*record]shape, fn func(*record)) error {
	rows, err := db.Query(`SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name`)
	if err != nil {
		return fmt.Errorf("not a GeoPackage (no gpkg_contents or gpkg_geometry_columns table: %v)", sqlMessage(err))
	}
	type table struct {
		name, column string
		srs          int64
	}
	var tables []table
	for rows.Next() {
		var t table
		var srs sql.NullInt64
		if err := rows.Scan(&t.name, &t.column, &srs); err != nil {
			rows.Close()
			return fmt.Errorf("read gpkg_contents: %v", sqlMessage(err))
		}
		t.srs = srs.Int64
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return fmt.Errorf("read gpkg_contents: %v", sqlMessage(err))
	}
	rows.Close()
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.name
	}
	list := strings.Join(names, ", ")
	var pick *table
	switch {
	case want != "":
		for i := range tables {
			if tables[i].name == want {
				pick = &tables[i]
			}
		}
		if pick == nil {
			return fmt.Errorf("no feature table %q; its feature tables are %s", want, orNone(list))
		}
	case len(tables) == 1:
		pick = &tables[0]
	default:
		for i := range tables {
			if strings.EqualFold(tables[i].name, string(layer)) {
				pick = &tables[i]
			}
		}
		if pick == nil {
			if len(tables) == 0 {
				return fmt.Errorf("the GeoPackage has no feature tables")
			}
			return fmt.Errorf("the GeoPackage has %d feature tables (%s); choose one with --layer %s=TABLE", len(tables), list, layer)
		}
	}
	info.table = pick.name
	crs, err := gpkgCRS(db, pick.srs)
	if err != nil {
		return err
	}
	info.crs = crs

	// The primary key, for ids when the table has no id column.
	pk := ""
	if prow, err := db.Query(`SELECT name FROM pragma_table_info(?) WHERE pk > 0`, pick.name); err == nil {
		for prow.Next() {
			_ = prow.Scan(&pk)
		}
		prow.Close()
	}
	rows, err = db.Query(`SELECT * FROM ` + quoteIdent(pick.name))
	if err != nil {
		return fmt.Errorf("table %s: %v", pick.name, sqlMessage(err))
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("table %s: %v", pick.name, sqlMessage(err))
	}
	for i := 0; rows.Next(); i++ {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for j := range vals {
			ptrs[j] = &vals[j]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("table %s: row %d: %v", pick.name, i, sqlMessage(err))
		}
		props := map[string]any{}
		var fid any
		var sh shape
		for j, c := range cols {
			switch {
			case strings.EqualFold(c, pick.column):
				b, _ := vals[j].([]byte)
				if s, ok := vals[j].(string); ok {
					b = []byte(s)
				}
				sh = decodeGPKGGeometry(b)
			case c == pk:
				fid = sqlValue(vals[j])
			default:
				if _, isBlob := vals[j].([]byte); !isBlob {
					props[c] = sqlValue(vals[j])
				}
			}
		}
		r := featureRecord(i, &rawFeature{ID: fid, Properties: props}, res, keys)
		shapes[r] = sh
		fn(r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("table %s: %v", pick.name, sqlMessage(err))
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// sqlMessage is the text of a driver error.
func sqlMessage(err error) string { return err.Error() }

// sqlValue turns a column value into what the loader expects from JSON:
// numbers as json.Number, text as string.
func sqlValue(v any) any {
	switch v := v.(type) {
	case int64:
		return json.Number(strconv.FormatInt(v, 10))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return json.Number(strconv.FormatFloat(v, 'g', -1, 64))
	case bool:
		return v
	case string:
		return v
	case nil:
		return nil
	}
	return fmt.Sprint(v)
}

// gpkgCRS reads the CRS of srs id from gpkg_spatial_ref_sys.
func gpkgCRS(db *sql.DB, srs int64) (*crsInfo, error) {
	var org, def sql.NullString
	var code sql.NullInt64
	err := db.QueryRow(`SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?`, srs).Scan(&org, &code, &def)
	switch {
	case err == sql.ErrNoRows:
		return nil, fmt.Errorf("the geometry column names srs_id %d, which gpkg_spatial_ref_sys does not define; the file is damaged", srs)
	case err != nil:
		return nil, fmt.Errorf("read gpkg_spatial_ref_sys: %v", sqlMessage(err))
	}
	if srs == 0 || srs == -1 {
		c := crsInfo{name: fmt.Sprintf("undefined (srs_id %d)", srs)}
		return &c, nil
	}
	if strings.EqualFold(org.String, "EPSG") {
		if c := epsgCRS(int(code.Int64)); c.known {
			return &c, nil
		}
	}
	c := crsFromWKT(def.String)
	if c.name == "" {
		c.name = fmt.Sprintf("%s:%d", org.String, code.Int64)
	}
	return &c, nil
}

// gpkgEnvelopeBytes is the envelope size for each envelope indicator.
var gpkgEnvelopeBytes = [8]int{0, 32, 48, 48, 64, -1, -1, -1}

// decodeGPKGGeometry decodes a GeoPackage geometry blob: the "GP" header,
// then standard WKB.
func decodeGPKGGeometry(b []byte) shape {
	if b == nil {
		return shape{}
	}
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return shape{msg: "the geometry is not a GeoPackage geometry blob (no \"GP\" header)"}
	}
	flags := b[3]
	env := gpkgEnvelopeBytes[(flags>>1)&7]
	if env < 0 {
		return shape{msg: fmt.Sprintf("the geometry header has an invalid envelope code %d", (flags>>1)&7)}
	}
	if flags&0x10 != 0 {
		return shape{} // empty geometry
	}
	if 8+env > len(b) {
		return shape{msg: "the geometry blob is cut short"}
	}
	g, err := geom.UnmarshalWKB(b[8+env:], geom.NoValidate{})
	if err != nil {
		return shape{msg: "the geometry's WKB cannot be read: " + err.Error()}
	}
	if g.IsEmpty() {
		return shape{}
	}
	switch {
	case g.IsPoint():
		xy, _ := g.MustAsPoint().XY()
		return shape{g: orb.Point{xy.X, xy.Y}}
	case g.IsMultiPoint():
		mp := g.MustAsMultiPoint()
		out := make(orb.MultiPoint, 0, mp.NumPoints())
		for i := 0; i < mp.NumPoints(); i++ {
			if xy, ok := mp.PointN(i).XY(); ok {
				out = append(out, orb.Point{xy.X, xy.Y})
			}
		}
		return shape{g: out}
	case g.IsPolygon(), g.IsMultiPolygon():
		mp, _ := fromGeom(g)
		if len(mp) == 1 && g.IsPolygon() {
			return shape{g: mp[0]}
		}
		return shape{g: mp}
	}
	return shape{msg: fmt.Sprintf("the geometry is a %s; a layer needs points or polygons", g.Type())}
}
