// Package gpkg reads GeoPackage feature tables for the loaders of package
// data. It is a package of its own because a GeoPackage is an SQLite
// database: importing it links the pure-Go SQLite driver
// (modernc.org/sqlite), which a program that reads only GeoJSON, CSV or
// Shapefiles does not need. Give its Reader to the loader:
//
//	opt := data.Options{Readers: []data.Reader{gpkg.Reader{}}}
//	ds, warnings, err := data.Load(data.Paths{data.LayerDistricts: "A27.gpkg"}, opt)
package gpkg

import (
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"github.com/kumamoto-gis/catchment/data"

	// The pure-Go SQLite driver: no cgo, so the CLI cross-compiles for the
	// Windows PCs GIS staff use.
	_ "modernc.org/sqlite"
)

// Reader is the data.Reader of GeoPackages, files of extension .gpkg. It
// reads one feature table: the one named in data.Options.Tables (--layer),
// else the only feature table, else the one named like the layer. The CRS
// comes from gpkg_spatial_ref_sys, the ids from the primary key when the
// table has no id column (the primary key is a property too); blob columns
// other than the geometry are not read.
type Reader struct{}

// Accepts reports whether source is a GeoPackage file, by its extension.
func (Reader) Accepts(source string) bool {
	return strings.EqualFold(path.Ext(filepath.ToSlash(source)), ".gpkg")
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Read reads one feature table of the GeoPackage req.Source: the table
// req.Table, else the only feature table, else the one named like the
// layer.
func (r Reader) Read(req data.ReadRequest) (*data.RawLayer, error) {
	var features []data.RawFeature
	out, err := r.read(req, false, func(f data.RawFeature) { features = append(features, f) })
	if err != nil {
		return nil, err
	}
	out.Features = features
	return out, nil
}

// Stream reads what Read reads, row by row: fn is called once per feature
// with only the properties req.Fields asks for, in a map it reuses; the
// layer's Names lists every property name the rows hold.
func (r Reader) Stream(req data.ReadRequest, fn func(data.RawFeature)) (*data.RawLayer, error) {
	return r.read(req, true, fn)
}

// read opens the GeoPackage of req and reads its table, handing each
// feature to fn; stream selects Stream's behaviour (see there).
func (Reader) read(req data.ReadRequest, stream bool, fn func(data.RawFeature)) (*data.RawLayer, error) {
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
	raw = nil // the copy on disk is what SQLite reads
	db, err := sql.Open("sqlite", "file:"+tmp.Name()+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("open the GeoPackage: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	wants := func(string) bool { return true }
	if stream {
		wants = req.Wants
	}
	return readTable(db, req.Layer, req.Table, wants, stream, fn)
}

// readTable reads the feature table want of db, or picks one for layer,
// and hands each feature to fn with the properties wants asks for. With
// reuse, every feature gets the same Properties map, and the layer's Names
// lists the property names the rows hold.
func readTable(db *sql.DB, layer data.Layer, want string, wants func(string) bool, reuse bool, fn func(data.RawFeature)) (*data.RawLayer, error) {
	lines := layer == data.LayerNetwork // a road network's lines
	if err := checkContents(db); err != nil {
		return nil, err
	}
	rows, err := db.Query(`SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("the GeoPackage lists feature tables but its gpkg_geometry_columns table cannot be read (%v); the file is damaged", sqlMessage(err))
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
	out := &data.RawLayer{Table: pick.name}
	out.CRS, err = readCRS(db, pick.srs)
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
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for j := range vals {
		ptrs[j] = &vals[j]
	}
	held := make([]bool, len(cols)) // the columns some row holds as a property
	props := map[string]any{}
	for i := 0; rows.Next(); i++ {
		// Scan hands over copies: vals may be scanned into again.
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("table %s: row %d: %v", pick.name, i, sqlMessage(err))
		}
		if reuse {
			clear(props)
		} else {
			props = map[string]any{}
		}
		f := data.RawFeature{Index: i, Properties: props}
		for j, c := range cols {
			switch {
			case strings.EqualFold(c, pick.column):
				b, _ := vals[j].([]byte)
				if s, ok := vals[j].(string); ok {
					b = []byte(s)
				}
				f.Geometry, f.GeometryErr = decodeGeometry(b)
				if lines {
					f.Geometry, f.GeometryErr = decodeLines(b)
				}
			case c == pk:
				// The primary key is the feature's id, and a property that
				// --field can name, as GDAL shows it ("FID Column = fid").
				f.ID = vals[j]
				held[j] = true
				if wants(c) {
					props[c] = vals[j]
				}
			default:
				if _, isBlob := vals[j].([]byte); !isBlob {
					held[j] = true
					if wants(c) {
						props[c] = vals[j]
					}
				}
			}
		}
		fn(f)
	}
	if reuse {
		out.Names = []string{}
		for j, c := range cols {
			if held[j] {
				out.Names = append(out.Names, c)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("table %s: %v", pick.name, sqlMessage(err))
	}
	return out, nil
}

// checkContents checks that db is a GeoPackage (it has gpkg_contents) that
// holds features, not only rasters.
func checkContents(db *sql.DB) error {
	rows, err := db.Query(`SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("not a GeoPackage (it has no gpkg_contents table: %v)", sqlMessage(err))
	}
	defer rows.Close()
	features := 0
	var rasters []string
	for rows.Next() {
		var name, typ sql.NullString
		if err := rows.Scan(&name, &typ); err != nil {
			return fmt.Errorf("read gpkg_contents: %v", sqlMessage(err))
		}
		switch typ.String {
		case "features":
			features++
		case "tiles", "2d-gridded-coverage":
			if len(rasters) < 5 {
				rasters = append(rasters, fmt.Sprintf("%q (%s)", clip(name.String), typ.String))
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read gpkg_contents: %v", sqlMessage(err))
	}
	if features == 0 && len(rasters) > 0 {
		return fmt.Errorf("the GeoPackage holds only raster data (%s), no table of features; a layer needs points or polygons: give a GeoPackage of vector features, a Shapefile or GeoJSON", strings.Join(rasters, ", "))
	}
	return nil
}

// clip shortens a name quoted from a file.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// sqlMessage is the text of a driver error.
func sqlMessage(err error) string { return err.Error() }

// readCRS reads the CRS of srs id from gpkg_spatial_ref_sys.
func readCRS(db *sql.DB, srs int64) (data.CRS, error) {
	var org, def sql.NullString
	var code sql.NullInt64
	err := db.QueryRow(`SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?`, srs).Scan(&org, &code, &def)
	switch {
	case err == sql.ErrNoRows:
		return data.CRS{}, fmt.Errorf("the geometry column names srs_id %d, which gpkg_spatial_ref_sys does not define; the file is damaged", srs)
	case err != nil:
		return data.CRS{}, fmt.Errorf("read gpkg_spatial_ref_sys: %v", sqlMessage(err))
	}
	if srs == 0 || srs == -1 {
		return data.CRS{Name: fmt.Sprintf("undefined (srs_id %d)", srs)}, nil
	}
	return data.CRS{Authority: org.String, Code: int(code.Int64), WKT: def.String}, nil
}

// envelopeBytes is the envelope size for each envelope indicator.
var envelopeBytes = [8]int{0, 32, 48, 48, 64, -1, -1, -1}

// decodeGeometry decodes a GeoPackage geometry blob: the "GP" header, then
// standard WKB (ISO, with XY, XYZ, XYM or XYZM coordinates, of which XY is
// kept), decoded with simplefeatures, whose parser checks every count
// against the bytes left before it allocates. It returns nil for a null or
// empty geometry, and an error saying why a geometry cannot be used.
func decodeGeometry(b []byte) (orb.Geometry, error) {
	if b == nil {
		return nil, nil
	}
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, errors.New("the geometry is not a GeoPackage geometry blob (no \"GP\" header)")
	}
	flags := b[3]
	env := envelopeBytes[(flags>>1)&7]
	if env < 0 {
		return nil, fmt.Errorf("the geometry header has an invalid envelope code %d", (flags>>1)&7)
	}
	if flags&0x10 != 0 {
		return nil, nil // empty geometry
	}
	if 8+env > len(b) {
		return nil, errors.New("the geometry blob is cut short")
	}
	if kind := unreadType(b[8+env:]); kind != "" {
		return nil, errors.New(kind)
	}
	g, err := geom.UnmarshalWKB(b[8+env:], geom.NoValidate{})
	if err != nil {
		return nil, errors.New("the geometry's WKB cannot be read: " + err.Error())
	}
	if g.IsEmpty() {
		return nil, nil
	}
	switch {
	case g.IsPoint():
		xy, _ := g.MustAsPoint().XY()
		return orb.Point{xy.X, xy.Y}, nil
	case g.IsMultiPoint():
		mp := g.MustAsMultiPoint()
		out := make(orb.MultiPoint, 0, mp.NumPoints())
		for i := 0; i < mp.NumPoints(); i++ {
			if xy, ok := mp.PointN(i).XY(); ok {
				out = append(out, orb.Point{xy.X, xy.Y})
			}
		}
		return out, nil
	case g.IsPolygon():
		return orbPolygon(g.MustAsPolygon()), nil
	case g.IsMultiPolygon():
		var out orb.MultiPolygon
		for _, p := range g.MustAsMultiPolygon().Dump() {
			if !p.IsEmpty() {
				out = append(out, orbPolygon(p))
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("the geometry is a %s; a layer needs points or polygons", g.Type())
}

// decodeLines decodes the geometry blob of a road-network layer: a
// LineString or MultiLineString.
func decodeLines(b []byte) (orb.Geometry, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, errors.New("the geometry is not a GeoPackage geometry blob (no \"GP\" header)")
	}
	flags := b[3]
	env := envelopeBytes[(flags>>1)&7]
	if env < 0 {
		return nil, fmt.Errorf("the geometry header has an invalid envelope code %d", (flags>>1)&7)
	}
	if flags&0x10 != 0 || 8+env > len(b) {
		return nil, errors.New("the geometry is empty or cut short")
	}
	if why := unreadType(b[8+env:]); why != "" {
		return nil, errors.New(why)
	}
	g, err := geom.UnmarshalWKB(b[8+env:], geom.NoValidate{})
	if err != nil {
		return nil, errors.New("the geometry's WKB cannot be read: " + err.Error())
	}
	line := func(seq geom.Sequence) orb.LineString {
		out := make(orb.LineString, seq.Length())
		for k := range out {
			xy := seq.GetXY(k)
			out[k] = orb.Point{xy.X, xy.Y}
		}
		return out
	}
	switch {
	case g.IsLineString():
		return line(g.MustAsLineString().Coordinates()), nil
	case g.IsMultiLineString():
		m := g.MustAsMultiLineString()
		out := make(orb.MultiLineString, m.NumLineStrings())
		for i := range out {
			out[i] = line(m.LineStringN(i).Coordinates())
		}
		return out, nil
	}
	return nil, fmt.Errorf("the geometry is a %s; a road network needs LineString or MultiLineString geometries", g.Type())
}

// wkbCurves names the ISO WKB geometry types (code modulo 1000) that the
// WKB decoder does not read: curves and surfaces.
var wkbCurves = map[uint32]string{8: "CircularString", 9: "CompoundCurve", 10: "CurvePolygon", 11: "MultiCurve", 12: "MultiSurface",
	13: "Curve", 14: "Surface", 15: "PolyhedralSurface", 16: "TIN", 17: "Triangle"}

// unreadType says why a WKB geometry of a type the decoder does not read
// is not read, or returns "".
func unreadType(wkb []byte) string {
	if len(wkb) < 5 || wkb[0] > 1 {
		return ""
	}
	code := binary.LittleEndian.Uint32(wkb[1:5])
	if wkb[0] == 0 {
		code = binary.BigEndian.Uint32(wkb[1:5])
	}
	kind, ok := wkbCurves[code%1000]
	switch {
	case !ok || code >= 4000:
		return ""
	case code%1000 <= 14:
		return fmt.Sprintf("the geometry is a %s, with curved edges, which are not read; linearise the curves first, e.g. ogr2ogr -nlt CONVERT_TO_LINEAR out.gpkg in.gpkg", kind)
	}
	return fmt.Sprintf("the geometry is a %s; a layer needs points or polygons", kind)
}

// orbPolygon converts a polygon ring by ring, as the file holds it.
func orbPolygon(p geom.Polygon) orb.Polygon {
	var out orb.Polygon
	for _, seq := range p.Coordinates() {
		ring := make(orb.Ring, seq.Length())
		for k := range ring {
			xy := seq.GetXY(k)
			ring[k] = orb.Point{xy.X, xy.Y}
		}
		out = append(out, ring)
	}
	return out
}
