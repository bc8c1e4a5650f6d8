package postgis_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/internal/datatest"
	"github.com/kumamoto-gis/catchment/data/postgis"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
	"github.com/kumamoto-gis/catchment/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// exec runs SQL statements on the database at url.
func execSQL(t *testing.T, url string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// pgSource is the GDAL form of a database URL of the test cluster.
func pgSource(t *testing.T, dbURL string) string { return pgSourceB(t, dbURL) }

func pgSourceB(t testing.TB, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("PG:host=%s port=%s dbname=%s user=postgres sslmode=disable", u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/"))
}

var opt = data.Options{Readers: []data.Reader{postgis.Reader{}}}

// TestEmbeddedThroughOgr2ogr loads the embedded Kumamoto layers into
// PostGIS with GDAL's ogr2ogr (independently of our writer) and reads them
// back: the same dataset, within a centimetre.
func TestEmbeddedThroughOgr2ogr(t *testing.T) {
	db := pgtest.Start(t)
	ogrtest.RequireOgr2ogr(t)
	pg := pgSource(t, db)
	for layer, file := range map[string]string{
		"offices": "../kumamoto/offices.csv", "districts": "../kumamoto/districts.geojson",
		"stores": "../kumamoto/stores.geojson", "posts": "../kumamoto/posts.geojson", "boundary": "../kumamoto/boundary.geojson",
	} {
		args := []string{"--config", "PG_USE_COPY", "YES", "-f", "PostgreSQL", pg, file, "-nln", "city." + layer, "-lco", "SCHEMA=city", "-lco", "GEOMETRY_NAME=geom"}
		if layer == "offices" {
			args = append(args, "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "KEEP_GEOM_COLUMNS=NO", "-a_srs", "EPSG:4326")
		}
		execSQL(t, db, "CREATE SCHEMA IF NOT EXISTS city")
		ogrtest.Convert(t, args...)
	}
	want, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	paths := data.Paths{}
	tables := map[data.Layer]string{}
	for _, l := range data.Layers {
		paths[l] = pg
		tables[l] = "city." + string(l)
	}
	o := opt
	o.Tables = tables
	got, warns, err := data.Load(paths, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warns {
		if !strings.Contains(w.String(), "repaired") {
			t.Logf("warning: %s", w)
		}
	}
	datatest.CompareDatasets(t, want, got, 0.01)
	if len(got.Stores) != len(want.Stores) || len(got.Boundary) != len(want.Boundary) {
		t.Errorf("stores %d, boundary %d polygons; want %d, %d", len(got.Stores), len(got.Boundary), len(want.Stores), len(want.Boundary))
	}
	// The sources as reports show them: no password.
	if s := got.Sources[data.LayerOffices]; !strings.HasPrefix(s, "PG:host=") {
		t.Errorf("source %q", s)
	}
}

// TestSourcesAndQueries reads through the URL and GDAL forms, a query, a
// projected table, and keeps the password out of every message.
func TestSourcesAndQueries(t *testing.T) {
	db := pgtest.Start(t)
	execSQL(t, db,
		`CREATE TABLE offices (id text PRIMARY KEY, name text, kind text, counter_count numeric, geom geometry(Point, 4326))`,
		`INSERT INTO offices VALUES ('a', '中央区役所', 'ward', 186400, ST_SetSRID(ST_MakePoint(130.7079, 32.8031), 4326)),
			('b', '大江出張所', 'branch', NULL, ST_SetSRID(ST_MakePoint(130.7248, 32.7938), 4326))`,
		`CREATE TABLE offices_6670 AS SELECT id, name, kind, ST_Transform(geom, 6670)::geometry(Point, 6670) AS geom FROM offices`,
	)
	u, _ := url.Parse(db)
	for _, tc := range []struct {
		name   string
		source string
		table  string
	}{
		{"url table", db + "&table=offices", ""},
		{"gdal table", pgSource(t, db) + " table=offices", ""},
		{"--layer", pgSource(t, db), "public.offices"},
		{"query", pgSource(t, db), "SELECT id, name, kind, counter_count, geom FROM offices ORDER BY id"},
		{"url sql", db + "&sql=" + url.QueryEscape("SELECT * FROM offices ORDER BY id"), ""},
		{"projected", pgSource(t, db), "offices_6670"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := opt
			if tc.table != "" {
				o.Tables = map[data.Layer]string{data.LayerOffices: tc.table}
			}
			ds, _, err := data.Load(data.Paths{data.LayerOffices: tc.source}, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Offices) != 2 || ds.Offices[0].ID != "a" || ds.Offices[0].Name != "中央区役所" {
				t.Fatalf("offices %+v", ds.Offices)
			}
			p := ds.Offices[0].Location
			if d := (p[0]-130.7079)*(p[0]-130.7079) + (p[1]-32.8031)*(p[1]-32.8031); d > 1e-14 {
				t.Errorf("position %v", p)
			}
			if tc.name == "url table" && (ds.Offices[0].CounterCount == nil || *ds.Offices[0].CounterCount != 186400) {
				t.Errorf("counter_count %v", ds.Offices[0].CounterCount)
			}
		})
	}
	// A password given in the source never shows.
	secret := fmt.Sprintf("PG:host=127.0.0.1 port=%s dbname=%s user=%s password=%s sslmode=disable table=nosuch",
		u.Port(), strings.TrimPrefix(u.Path, "/"), pgtest.SecretUser, pgtest.SecretPassword)
	_, _, err := data.Load(data.Paths{data.LayerOffices: secret}, opt)
	if err == nil || strings.Contains(err.Error(), pgtest.SecretPassword) || !strings.Contains(err.Error(), `no table "nosuch"`) {
		t.Errorf("err %v", err)
	}
	ds, _, err := data.Load(data.Paths{data.LayerOffices: strings.Replace(secret, "table=nosuch", "table=offices", 1)}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if s := ds.Sources[data.LayerOffices]; strings.Contains(s, pgtest.SecretPassword) || !strings.Contains(s, "user=secret") {
		t.Errorf("source shown as %q", s)
	}
}

func TestBadSources(t *testing.T) {
	db := pgtest.Start(t)
	execSQL(t, db,
		`CREATE TABLE pts (id serial PRIMARY KEY, name text, geom geometry(Point, 4326))`,
		`INSERT INTO pts (name, geom) VALUES ('x', ST_SetSRID(ST_MakePoint(130.7, 32.8), 4326))`,
		`CREATE TABLE districts (id text PRIMARY KEY, name text, geom geometry(Polygon, 4326))`,
		`INSERT INTO districts VALUES ('d1', 'one', ST_GeomFromText('POLYGON((130.7 32.8, 130.71 32.8, 130.71 32.81, 130.7 32.81, 130.7 32.8))', 4326)),
			('d2', 'null', NULL),
			('d3', 'bowtie', ST_GeomFromText('POLYGON((130.7 32.8, 130.71 32.81, 130.71 32.8, 130.7 32.81, 130.7 32.8))', 4326))`,
		`CREATE TABLE nosrid (id text, name text, kind text, geom geometry(Point))`,
		`INSERT INTO nosrid VALUES ('a', 'A', 'ward', ST_MakePoint(130.7, 32.8))`,
	)
	u, _ := url.Parse(db)
	pg := pgSource(t, db)
	for _, tc := range []struct {
		name   string
		layer  data.Layer
		source string
		table  string
		want   []string
	}{
		{"unreachable", data.LayerOffices, "PG:host=127.0.0.1 port=1 dbname=x user=postgres sslmode=disable connect_timeout=2", "pts", []string{"cannot connect to PostgreSQL at 127.0.0.1:1"}},
		{"wrong password", data.LayerOffices, fmt.Sprintf("postgres://%s:wrong@127.0.0.1:%s%s?sslmode=disable", pgtest.SecretUser, u.Port(), u.Path), "pts", []string{`refuses user "secret": wrong password`}},
		{"no database", data.LayerOffices, fmt.Sprintf("PG:host=127.0.0.1 port=%s dbname=nope user=postgres sslmode=disable", u.Port()), "pts", []string{`has no database "nope"`}},
		{"missing table", data.LayerOffices, pg, "nosuch", []string{`no table "nosuch"`, "public.pts"}},
		{"wrong type", data.LayerDistricts, pg, "pts", []string{"table public.pts: column geom holds POINT; the districts layer needs POLYGON or MULTIPOLYGON"}},
		{"no srid", data.LayerOffices, pg, "nosrid", []string{"column geom has no SRID (0)", "UpdateGeometrySRID"}},
		{"bad query", data.LayerOffices, pg, "SELECT nope FROM pts", []string{"the query fails", "nope"}},
		{"null and bowtie", data.LayerDistricts, pg, "districts", []string{"(table public.districts): feature 1 (id=d2): field geometry: the geometry is empty (null)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := opt
			o.Tables = map[data.Layer]string{tc.layer: tc.table}
			_, _, err := data.Load(data.Paths{tc.layer: tc.source}, o)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "wrong@") || strings.Contains(err.Error(), pgtest.SecretPassword) {
				t.Errorf("a password in the message: %v", err)
			}
		})
	}
}

// TestOgrinfoReadsSource checks the GDAL form of our source strings with
// GDAL itself.
func TestOgrinfoReadsSource(t *testing.T) {
	db := pgtest.Start(t)
	ogrinfo := ogrtest.RequireOgrinfo(t)
	execSQL(t, db, `CREATE TABLE pts (id serial PRIMARY KEY, geom geometry(Point, 4326))`)
	out, err := exec.Command(ogrinfo, "-so", pgSource(t, db), "pts").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Geometry: Point") {
		t.Errorf("ogrinfo: %v\n%s", err, out)
	}
}
