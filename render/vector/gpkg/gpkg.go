// Package gpkg writes GeoPackage files (OGC GeoPackage 1.2): feature tables
// of vector.Feature values in EPSG:4326 with typed fields, an R-tree
// spatial index and optional QGIS styles. It links a pure-Go SQLite, which
// is why it is a package of its own: a program that writes only GeoJSON or
// CSV (package vector) does not carry SQLite.
package gpkg

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/internal/atomicfile"
	"github.com/kumamoto-gis/catchment/render/internal/lonlat"
	"github.com/kumamoto-gis/catchment/render/vector"
	"github.com/kumamoto-gis/catchment/render/vector/internal/layer"

	// Pure-Go SQLite: no cgo, so the CLI cross-compiles for Windows.
	_ "modernc.org/sqlite"
)

// Layer is one feature table of a GeoPackage: its name, its features
// (lon/lat degrees, as for vector.WriteGeoJSON) and an optional QGIS style
// (a .qml document, see vector.Style) that QGIS applies when the layer is
// opened.
type Layer struct {
	Name     string
	Features []vector.Feature
	Style    string
}

// gpkgSRS is the SRS every layer is written in: WGS 84 longitude/latitude.
const gpkgSRS = 4326

// Write writes layers as one GeoPackage 1.2 file at path, whole or
// not at all (a temporary file is renamed), making its folder when
// missing. Each layer gets its geometry
// type, SRS EPSG:4326, an R-tree spatial index and typed fields: REAL for
// floats, INTEGER for integers, BOOLEAN for booleans, TEXT for strings. A
// feature's ID becomes a TEXT field "id" unless a property has that name.
//
// A path that is a device or pipe (/dev/stdout) gets the file's bytes
// written into it; a symbolic link is followed.
func Write(path string, layers []Layer) (err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	dir := filepath.Dir(path)
	special := false
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("geopackage %s: path is a directory", path)
		}
		special, dir = true, os.TempDir()
	}
	// A missing folder is made, as internal/atomicfile makes it for
	// GeoJSON and CSV.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("geopackage %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("geopackage %s: %w", path, err)
	}
	name := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(name)
			os.Remove(name + "-journal")
		}
	}()
	if err := writeGPKG(name, layers); err != nil {
		return fmt.Errorf("geopackage %s: %w", path, err)
	}
	if special {
		defer os.Remove(name)
		return atomicfile.WriteFile(path, func(w io.Writer) error {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(w, f)
			return err
		})
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return fmt.Errorf("geopackage %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("geopackage %s: %w", path, err)
	}
	return nil
}

// gpkgField is one attribute column.
type gpkgField struct {
	key, typ string
}

// gpkgSchema finds the columns and geometry type of a layer.
func gpkgSchema(l Layer) ([]gpkgField, string, error) {
	props := make([][]layer.Property, len(l.Features))
	ids := make([]string, len(l.Features))
	geoms := make([]orb.Geometry, len(l.Features))
	for i, f := range l.Features {
		props[i], ids[i], geoms[i] = f.Properties, f.ID, f.Geometry
	}
	schema, err := layer.Schema(props, ids)
	if err != nil {
		return nil, "", err
	}
	fields := make([]gpkgField, len(schema))
	for i, f := range schema {
		typ := map[layer.Kind]string{layer.Int: "INTEGER", layer.Float: "REAL", layer.Bool: "BOOLEAN"}[f.Kind]
		if typ == "" {
			typ = "TEXT"
		}
		fields[i] = gpkgField{key: f.Key, typ: typ}
	}
	// The GeoJSON names upper-cased are the GeoPackage ones.
	return fields, layer.GeometryType(geoms, promotions(l.Features)), nil
}

// promotions is the Promotion of a layer's geometries.
func promotions(features []vector.Feature) layer.Promotion {
	var m layer.Mix
	for _, f := range features {
		m.Add(f.Geometry)
	}
	return m.Promotion()
}

// gpkgBlob encodes g as a GeoPackage geometry (GeoPackage 1.2, 2.1.3): the
// "GP" header with the SRS id and the XY envelope, then little-endian WKB.
func gpkgBlob(g orb.Geometry) ([]byte, orb.Bound, error) {
	body, err := marshalWKB(g)
	if err != nil {
		return nil, orb.Bound{}, err
	}
	b := g.Bound()
	buf := make([]byte, 8, 8+32+len(body))
	buf[0], buf[1], buf[2], buf[3] = 'G', 'P', 0, 0x03 // version 0; little endian, XY envelope
	binary.LittleEndian.PutUint32(buf[4:], uint32(gpkgSRS))
	for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
	}
	return append(buf, body...), b, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

const gpkgPreamble = `
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10200;
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
`

// rtreeTriggers are the GeoPackage spatial index triggers (GeoPackage 1.2,
// F.3); %[1]s is the table, %[2]s the rtree table. They are created after
// the rows are in, since the ST_ functions they call exist only in readers
// that edit GeoPackages (GDAL, QGIS).
const rtreeTriggers = `
CREATE TRIGGER "%[2]s_insert" AFTER INSERT ON "%[1]s" WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO "%[2]s" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "%[2]s_update1" AFTER UPDATE OF geom ON "%[1]s" WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO "%[2]s" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "%[2]s_update2" AFTER UPDATE OF geom ON "%[1]s" WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM "%[2]s" WHERE id = OLD.fid; END;
CREATE TRIGGER "%[2]s_update3" AFTER UPDATE ON "%[1]s" WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM "%[2]s" WHERE id = OLD.fid; INSERT OR REPLACE INTO "%[2]s" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "%[2]s_update4" AFTER UPDATE ON "%[1]s" WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM "%[2]s" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "%[2]s_delete" AFTER DELETE ON "%[1]s" WHEN old.geom NOT NULL BEGIN DELETE FROM "%[2]s" WHERE id = OLD.fid; END;
`

func writeGPKG(file string, layers []Layer) error {
	db, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(gpkgPreamble); err != nil {
		return fmt.Errorf("create metadata tables: %w", err)
	}
	seen := map[string]bool{}
	styled := false
	for _, l := range layers {
		if l.Name == "" || strings.HasPrefix(strings.ToLower(l.Name), "gpkg_") || strings.HasPrefix(strings.ToLower(l.Name), "rtree_") || strings.EqualFold(l.Name, "layer_styles") {
			return fmt.Errorf("layer name %q is empty or reserved", l.Name)
		}
		if seen[strings.ToLower(l.Name)] {
			return fmt.Errorf("layer %q appears twice", l.Name)
		}
		seen[strings.ToLower(l.Name)] = true
		if err := writeLayer(tx, l); err != nil {
			return fmt.Errorf("layer %q: %w", l.Name, err)
		}
		if l.Style != "" {
			if !styled {
				if _, err := tx.Exec(`CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles');`); err != nil {
					return fmt.Errorf("create layer_styles: %w", err)
				}
				styled = true
			}
			if _, err := tx.Exec(`INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) VALUES ('', '', ?, 'geom', ?, ?, '', 1, 'catchment map style', '', '')`, l.Name, l.Name, l.Style); err != nil {
				return fmt.Errorf("layer %q: style: %w", l.Name, err)
			}
		}
	}
	return tx.Commit()
}

func writeLayer(tx *sql.Tx, l Layer) error {
	fields, gtype, err := gpkgSchema(l)
	if err != nil {
		return err
	}
	t := quoteIdent(l.Name)
	var cols strings.Builder
	cols.WriteString("fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom " + gtype)
	for _, f := range fields {
		cols.WriteString(", " + quoteIdent(f.key) + " " + f.typ)
	}
	if _, err := tx.Exec("CREATE TABLE " + t + " (" + cols.String() + ")"); err != nil {
		return err
	}
	rtree := "rtree_" + l.Name + "_geom"
	if _, err := tx.Exec("CREATE VIRTUAL TABLE " + quoteIdent(rtree) + " USING rtree(id, minx, maxx, miny, maxy)"); err != nil {
		return fmt.Errorf("spatial index: %w", err)
	}
	placeholders := strings.Repeat(", ?", len(fields)+1)
	names := "geom"
	for _, f := range fields {
		names += ", " + quoteIdent(f.key)
	}
	ins, err := tx.Prepare("INSERT INTO " + t + " (" + names + ") VALUES (" + placeholders[2:] + ")")
	if err != nil {
		return err
	}
	defer ins.Close()
	idx, err := tx.Prepare("INSERT INTO " + quoteIdent(rtree) + " VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer idx.Close()
	promote := promotions(l.Features)
	extent := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, f := range l.Features {
		args := make([]any, 0, len(fields)+1)
		var bound orb.Bound
		if f.Geometry != nil {
			g := promote.Promote(layer.AsPolygon(f.Geometry))
			if err := lonlat.CheckGeometry(g); err != nil {
				return fmt.Errorf("feature %d (id %q): %w", i, f.ID, err)
			}
			blob, b, err := gpkgBlob(g)
			if err != nil {
				return fmt.Errorf("feature %d (id %q): %w", i, f.ID, err)
			}
			args = append(args, blob)
			bound = b
			extent = extent.Union(b)
		} else {
			args = append(args, nil)
		}
		props := map[string]any{}
		for _, p := range f.Properties {
			props[p.Key] = p.Value
		}
		if _, ok := props["id"]; !ok && f.ID != "" {
			props["id"] = f.ID
		}
		for _, fl := range fields {
			v, err := layer.ScalarOf(props[fl.key])
			if err != nil {
				return fmt.Errorf("feature %d property %q: %w", i, fl.key, err)
			}
			args = append(args, sqlArg(v))
		}
		res, err := ins.Exec(args...)
		if err != nil {
			return fmt.Errorf("feature %d (id %q): %w", i, f.ID, err)
		}
		if f.Geometry != nil {
			fid, _ := res.LastInsertId()
			if _, err := idx.Exec(fid, bound.Min[0], bound.Max[0], bound.Min[1], bound.Max[1]); err != nil {
				return fmt.Errorf("feature %d: spatial index: %w", i, err)
			}
		}
	}
	var minX, minY, maxX, maxY any
	if extent.Min[0] <= extent.Max[0] {
		minX, minY, maxX, maxY = extent.Min[0], extent.Min[1], extent.Max[0], extent.Max[1]
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?)`,
		l.Name, l.Name, minX, minY, maxX, maxY, gpkgSRS); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`, l.Name, gtype, gpkgSRS); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, l.Name); err != nil {
		return err
	}
	esc := strings.ReplaceAll(l.Name, `"`, `""`)
	if _, err := tx.Exec(fmt.Sprintf(rtreeTriggers, esc, strings.ReplaceAll(rtree, `"`, `""`))); err != nil {
		return fmt.Errorf("spatial index triggers: %w", err)
	}
	return nil
}

// sqlArg is the SQLite value of a scalar; NaN and ±Inf are NULL.
func sqlArg(v layer.Scalar) any {
	switch v.Kind {
	case layer.String:
		return v.Str
	case layer.Int:
		n, err := strconv.ParseInt(v.Str, 10, 64)
		if err != nil {
			return v.Str
		}
		return n
	case layer.Float:
		if !v.Finite() {
			return nil
		}
		return v.Num
	case layer.Bool:
		if v.B {
			return int64(1)
		}
		return int64(0)
	}
	return nil
}
