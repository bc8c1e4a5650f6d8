package postgis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/internal/ogrtest"
	"github.com/kumamoto-gis/catchment/internal/pgtest"
	"github.com/kumamoto-gis/catchment/render/vector"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func sample() []Layer {
	sq := orb.Polygon{{{130.70, 32.80}, {130.71, 32.80}, {130.71, 32.81}, {130.70, 32.81}, {130.70, 32.80}}, {{130.702, 32.802}, {130.702, 32.804}, {130.704, 32.804}, {130.704, 32.802}, {130.702, 32.802}}}
	return []Layer{
		{Name: "districts", Style: "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22\"><renderer-v2 type=\"singleSymbol\"/></qgis>\n", Features: []vector.Feature{
			{ID: "d1", Geometry: sq, Properties: []vector.Property{{"name", "第1校区"}, {"population", 10910}, {"distance_m", 334.4}, {"gap", false}, {"note", nil}}},
			{ID: "d2", Geometry: orb.MultiPolygon{sq}, Properties: []vector.Property{{"name", "第2校区"}, {"population", 10030}, {"distance_m", math.NaN()}, {"gap", true}, {"note", "unreached"}}},
		}},
		{Name: "offices", Features: []vector.Feature{
			{ID: "chuo", Geometry: orb.Point{130.7079, 32.8031}, Properties: []vector.Property{{"name", "中央区役所"}, {"counter_count", 186400}}},
		}},
		{Name: "roads", Features: []vector.Feature{{ID: "r", Geometry: orb.LineString{{130.7, 32.8}, {130.71, 32.8}}}}},
		{Name: "ranking", Features: []vector.Feature{{Properties: []vector.Property{{"rank", 1}, {"office_id", "akitsu"}, {"added_person_km", 2241.3}}}}},
	}
}

func query(t *testing.T, db, q string, args ...any) [][]any {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestWriteReadBack(t *testing.T) {
	db := pgtest.Start(t)
	ctx := context.Background()
	if err := Write(ctx, db, sample(), Options{Schema: "results"}); err != nil {
		t.Fatal(err)
	}
	// Types, SRID, geometry type, keys.
	cols := query(t, db, `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'results' AND table_name = 'districts' ORDER BY ordinal_position`)
	got := fmt.Sprint(cols)
	want := "[[fid integer] [geom USER-DEFINED] [id text] [name text] [population bigint] [distance_m double precision] [gap boolean] [note text]]"
	if got != want {
		t.Errorf("columns\n%s\nwant\n%s", got, want)
	}
	gc := query(t, db, `SELECT f_table_name, type, srid FROM geometry_columns WHERE f_table_schema = 'results' ORDER BY f_table_name`)
	if fmt.Sprint(gc) != "[[districts MULTIPOLYGON 4326] [offices POINT 4326] [roads LINESTRING 4326]]" {
		t.Errorf("geometry_columns %v", gc)
	}
	rows := query(t, db, `SELECT id, population, distance_m, gap, note, ST_NumInteriorRings(ST_GeometryN(geom, 1)), ST_Area(geom::geography) FROM results.districts ORDER BY fid`)
	if len(rows) != 2 || rows[0][0] != "d1" || rows[0][1] != int64(10910) || rows[1][2] != nil || rows[1][3] != true || rows[0][5] != int32(1) {
		t.Errorf("rows %v", rows)
	}
	if idx := query(t, db, `SELECT indexdef FROM pg_indexes WHERE schemaname = 'results' AND tablename = 'districts' AND indexdef LIKE '%gist%'`); len(idx) != 1 {
		t.Errorf("spatial index: %v", idx)
	}
	if r := query(t, db, `SELECT rank, office_id FROM results.ranking`); fmt.Sprint(r) != "[[1 akitsu]]" {
		t.Errorf("ranking %v", r)
	}
	if s := query(t, db, `SELECT f_table_schema, f_table_name, useasdefault, styleqml::text LIKE '%singleSymbol%' FROM public.layer_styles`); fmt.Sprint(s) != "[[results districts true true]]" {
		t.Errorf("layer_styles %v", s)
	}
	// GDAL reads what QGIS reads.
	if ogrinfo := ogrtest.RequireOgrinfo(t); ogrinfo != "" {
		u, _ := url.Parse(db)
		pg := fmt.Sprintf("PG:host=127.0.0.1 port=%s dbname=%s user=postgres", u.Port(), strings.TrimPrefix(u.Path, "/"))
		out, err := exec.Command(ogrinfo, "-so", pg, "results.districts").CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo: %v\n%s", err, out)
		}
		for _, w := range []string{"Geometry: Multi Polygon", "Feature Count: 2", "EPSG\",4326", "population: Integer64", "distance_m: Real", "gap: Integer(Boolean)"} {
			if !strings.Contains(string(out), w) {
				t.Errorf("ogrinfo lacks %q:\n%s", w, out)
			}
		}
	}
}

func TestOverwriteAndAtomicity(t *testing.T) {
	db := pgtest.Start(t)
	ctx := context.Background()
	if err := Write(ctx, db, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	count := func(table string) int {
		return len(query(t, db, "SELECT 1 FROM catchment."+table))
	}
	// Without --overwrite: refused, nothing changed.
	more := sample()
	more[0].Features = more[0].Features[:1]
	err := Write(ctx, db, more, Options{})
	if err == nil || !strings.Contains(err.Error(), "catchment.districts, catchment.offices, catchment.roads, catchment.ranking already exist: give --overwrite") {
		t.Fatalf("err %v", err)
	}
	if count("districts") != 2 {
		t.Error("a refused write changed the table")
	}
	// A failure in the middle of an overwrite: the first table was
	// already replaced inside the transaction, which is rolled back.
	boom := errors.New("injected failure")
	err = Write(ctx, db, more, Options{Overwrite: true, OnLayer: func(name string, _ int) error {
		if name == "offices" {
			return boom
		}
		return nil
	}})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("err %v", err)
	}
	if count("districts") != 2 {
		t.Error("a failed write left the districts table replaced")
	}
	// With --overwrite: replaced.
	if err := Write(ctx, db, more, Options{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if count("districts") != 1 {
		t.Error("overwrite did not replace the table")
	}
	if n := len(query(t, db, `SELECT 1 FROM public.layer_styles WHERE f_table_name = 'districts'`)); n != 1 {
		t.Errorf("%d styles for districts after overwrite, want 1", n)
	}
}

func TestWriteErrors(t *testing.T) {
	db := pgtest.Start(t)
	ctx := context.Background()
	u, _ := url.Parse(db)
	for _, tc := range []struct {
		name, conn string
		layers     []Layer
		want       string
	}{
		{"unreachable", "PG:host=127.0.0.1 port=1 dbname=x user=postgres connect_timeout=2", sample(), "cannot connect to PostgreSQL at 127.0.0.1:1"},
		{"password", fmt.Sprintf("postgres://%s:nope@127.0.0.1:%s%s", pgtest.SecretUser, u.Port(), u.Path), sample(), "wrong password"},
		{"clash", db, []Layer{{Name: "x", Features: []vector.Feature{{Geometry: orb.Point{130, 32}, Properties: []vector.Property{{"fid", 1}}}}}}, `property "fid" clashes`},
		{"mixed", db, []Layer{{Name: "x", Features: []vector.Feature{{Properties: []vector.Property{{"k", "a"}}}, {Properties: []vector.Property{{"k", true}}}}}}, `property "k" is boolean in feature 1 but string before`},
		{"bad position", db, []Layer{{Name: "x", Features: []vector.Feature{{Geometry: orb.Point{math.NaN(), 32}}}}}, "feature 0"},
		{"long name", db, []Layer{{Name: strings.Repeat("n", 64)}}, "not a PostgreSQL name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Write(ctx, tc.conn, tc.layers, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "nope@") {
				t.Errorf("password in %v", err)
			}
		})
	}
	if n := len(query(t, db, `SELECT 1 FROM information_schema.tables WHERE table_schema = 'catchment'`)); n != 0 {
		t.Errorf("%d tables left by failed writes", n)
	}
}
