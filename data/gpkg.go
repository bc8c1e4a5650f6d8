package data

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	// The pure-Go SQLite driver: no cgo, so the CLI cross-compiles for the
	// Windows PCs GIS staff use.
	_ "modernc.org/sqlite"
)

// gpkgReader reads a feature table of a GeoPackage, a file of extension
// .gpkg.
type gpkgReader struct{}

// Accepts reports whether source is a GeoPackage file.
func (gpkgReader) Accepts(source string) bool {
	return strings.EqualFold(path.Ext(filepath.ToSlash(source)), ".gpkg")
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Read reads one feature table of the GeoPackage req.Source: the table
// req.Table, else the only feature table, else the one named like the
// layer.
func (gpkgReader) Read(req ReadRequest) (*RawLayer, error) {
	raw, err := req.ReadFile(req.Source)
	if err != nil {
		return nil, err
	}
	if len(raw) < 100 || string(raw[:16]) != "SQLite format 3\x00" {
		return nil, fmt.Errorf("not a GeoPackage: the file is not an SQLite database")
	}
	// SQLite reads files, not bytes: work on a private copy.
	tmp, err := os.CreateTemp("", "catchment-*.gpkg")
	if err != nil {
		return nil, fmt.Errorf("copy the GeoPackage: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("copy the GeoPackage: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("copy the GeoPackage: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+tmp.Name()+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("open the GeoPackage: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return readGPKGTable(db, req.Layer, req.Table)
}

func readGPKGTable(db *sql.DB, layer Layer, want string) (*RawLayer, error) {
	rows, err := db.Query(`SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("not a GeoPackage (no gpkg_contents or gpkg_geometry_columns table: %v)", sqlMessage(err))
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
			return nil, fmt.Errorf("read gpkg_contents: %v", sqlMessage(err))
		}
		t.srs = srs.Int64
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("read gpkg_contents: %v", sqlMessage(err))
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
			return nil, fmt.Errorf("no feature table %q; its feature tables are %s", want, orNone(list))
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
				return nil, fmt.Errorf("the GeoPackage has no feature tables")
			}
			return nil, fmt.Errorf("the GeoPackage has %d feature tables (%s); choose one with --layer %s=TABLE", len(tables), list, layer)
		}
	}
	out := &RawLayer{Table: pick.name}
	out.CRS, err = gpkgCRS(db, pick.srs)
	if err != nil {
		return nil, err
	}

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
		return nil, fmt.Errorf("table %s: %v", pick.name, sqlMessage(err))
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("table %s: %v", pick.name, sqlMessage(err))
	}
	for i := 0; rows.Next(); i++ {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for j := range vals {
			ptrs[j] = &vals[j]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("table %s: row %d: %v", pick.name, i, sqlMessage(err))
		}
		f := RawFeature{Index: i, Properties: map[string]any{}}
		for j, c := range cols {
			switch {
			case strings.EqualFold(c, pick.column):
				b, _ := vals[j].([]byte)
				if s, ok := vals[j].(string); ok {
					b = []byte(s)
				}
				sh := decodeGPKGGeometry(b)
				f.Geometry = sh.g
				if sh.msg != "" {
					f.GeometryErr = errors.New(sh.msg)
				}
			case c == pk:
				f.ID = vals[j]
			default:
				if _, isBlob := vals[j].([]byte); !isBlob {
					f.Properties[c] = vals[j]
				}
			}
		}
		out.Features = append(out.Features, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("table %s: %v", pick.name, sqlMessage(err))
	}
	return out, nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// sqlMessage is the text of a driver error.
func sqlMessage(err error) string { return err.Error() }

// gpkgCRS reads the CRS of srs id from gpkg_spatial_ref_sys.
func gpkgCRS(db *sql.DB, srs int64) (CRS, error) {
	var org, def sql.NullString
	var code sql.NullInt64
	err := db.QueryRow(`SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?`, srs).Scan(&org, &code, &def)
	switch {
	case err == sql.ErrNoRows:
		return CRS{}, fmt.Errorf("the geometry column names srs_id %d, which gpkg_spatial_ref_sys does not define; the file is damaged", srs)
	case err != nil:
		return CRS{}, fmt.Errorf("read gpkg_spatial_ref_sys: %v", sqlMessage(err))
	}
	if srs == 0 || srs == -1 {
		return CRS{Name: fmt.Sprintf("undefined (srs_id %d)", srs)}, nil
	}
	return CRS{Authority: org.String, Code: int(code.Int64), WKT: def.String}, nil
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
