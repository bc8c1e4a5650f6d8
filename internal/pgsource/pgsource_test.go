package pgsource

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in                      string
		conn, table, sql, shown string
	}{
		{"PG:dbname=city host=db user=gis password=pw tables=public.schools", "dbname=city host=db user=gis password=pw", "public.schools", "", "PG:dbname=city host=db user=gis"},
		{"PG:dbname='my city' password='p w' sql='SELECT * FROM t'", "dbname='my city' password='p w'", "", "SELECT * FROM t", "PG:dbname='my city'"},
		{"postgres://gis:pw@db:5433/city?table=schools&sslmode=disable", "postgres://gis:pw@db:5433/city?sslmode=disable", "schools", "", "postgres://gis:xxxxx@db:5433/city?sslmode=disable"},
		{"postgresql://db/city?sql=SELECT+1", "postgresql://db/city", "", "SELECT 1", "postgresql://db/city"},
	} {
		got, err := Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Conn != tc.conn || got.Table != tc.table || got.SQL != tc.sql || got.Name != tc.shown {
			t.Errorf("%s:\n got %+v\nwant conn %q table %q sql %q name %q", tc.in, got, tc.conn, tc.table, tc.sql, tc.shown)
		}
		if strings.Contains(got.Name, "pw") {
			t.Errorf("%s: the password shows in %q", tc.in, got.Name)
		}
	}
	if !IsSource("PG:dbname=x") || !IsSource("postgres://x") || IsSource("pg.geojson") {
		t.Error("IsSource")
	}
}
