package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kumamoto-gis/catchment/catchment"
	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/ogrtest"
	"github.com/paulmach/orb/geojson"
)

// townPoints is the city's town and 小字 points (Geolonia), real places
// that the GEOS test gives a made-up population to.
const townPoints = "../../../shared/data/geolonia_town_points_kumamoto_city.csv"

// TestIsochronesGEOS checks the isochrone GeoPackage as QGIS sees it, with
// GDAL's SQLite dialect (SpatiaLite on GEOS), on the real 中央区
// OpenStreetMap car network and on the city-wide MLIT link network with a
// population layer (issue 11):
//   - every polygon is valid (ST_IsValid);
//   - the offices' bands of a limit do not overlap: their areas sum to the
//     area of their union (within 0.1 %), which is the union band's;
//   - an office's bands nest: nothing of a band lies outside the next;
//   - each band's districts and population are those of the districts'
//     representative points (the ones the routing uses, population-weighted
//     with --population) that lie in its polygon;
//   - -o into a folder that does not exist yet works.
func TestIsochronesGEOS(t *testing.T) {
	ogrtest.RequireOgrinfo(t)
	ogrtest.RequireOgr2ogr(t)
	for _, tc := range []struct {
		name, network string
		population    bool
		args          []string
	}{
		{"中央区 OSM car", chuoDrive, false, []string{"--minutes", "5,10,15"}},
		{"city MLIT car, population", cityNetwork, true, []string{"--profile", "car", "--minutes", "10,20,30"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireShared(t, tc.network)
			dir := t.TempDir()
			args := append([]string{"--network", tc.network, "--quiet"}, tc.args...)
			var cells []data.PopulationCell
			if tc.population {
				requireShared(t, townPoints)
				path := writeTownPopulation(t, dir)
				var err error
				if cells, _, err = data.LoadPopulation(path, data.Options{}); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--population", path)
			}
			out := filepath.Join(dir, "not", "yet", "iso.gpkg")
			code, _, stderr := runIsochrones(t, append(args, "--format", "gpkg", "-o", out)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkIsochronesGEOS(t, out, dir, cells)
		})
	}
}

// writeTownPopulation writes the town points as a population layer, each
// with a made-up population of 20–499, and returns its path.
func writeTownPopulation(t *testing.T, dir string) string {
	t.Helper()
	f, err := os.Open(townPoints)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"id", "population", "lat", "lon"})
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i, r := range rows[1:] {
		if r[col["lat"]] == "" || r[col["lng"]] == "" {
			continue
		}
		w.Write([]string{fmt.Sprintf("t%d", i), strconv.Itoa(20 + i*37%480), r[col["lat"]], r[col["lng"]]})
	}
	w.Flush()
	path := filepath.Join(dir, "population.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkIsochronesGEOS checks the isochrones layer of the GeoPackage gpkg
// with ogrinfo; the districts' representative points are those of the
// embedded default districts weighted by cells (none: their own).
func checkIsochronesGEOS(t *testing.T, gpkg, dir string, cells []data.PopulationCell) {
	t.Helper()
	// Every polygon valid.
	for _, r := range ogrtest.SQL(t, gpkg, "SELECT office_id, minutes, ST_IsValidReason(geom) AS reason FROM isochrones WHERE NOT ST_IsValid(geom)") {
		t.Errorf("invalid band (%s, %s min): %s", r["office_id"], r["minutes"], r["reason"])
	}
	// The offices' bands of a limit partition the union band.
	parts := ogrtest.SQL(t, gpkg, `SELECT o.minutes AS minutes, o.n AS n, o.summed AS summed, ST_Area(o.g, 1) AS unioned, ST_Area(u.geom, 1) AS band,
		ST_Area(ST_SymDifference(u.geom, o.g), 1) AS differ, o.districts AS districts, u.districts AS union_districts
		FROM (SELECT minutes, count(*) AS n, sum(ST_Area(geom, 1)) AS summed, ST_Union(geom) AS g,
			sum(districts) AS districts FROM isochrones WHERE scope = 'office' GROUP BY minutes) AS o
		JOIN isochrones AS u ON u.scope = 'union' AND u.minutes = o.minutes ORDER BY o.minutes`)
	if len(parts) != 3 {
		t.Fatalf("%d limits with office and union bands, want 3: %v", len(parts), parts)
	}
	for _, r := range parts {
		summed, unioned, band, differ := num(t, r["summed"]), num(t, r["unioned"]), num(t, r["band"]), num(t, r["differ"])
		t.Logf("%s min: %s offices' bands sum to %.3f km², their union %.3f km², the union band %.3f km²", r["minutes"], r["n"], summed/1e6, unioned/1e6, band/1e6)
		if !(unioned > 0) || math.Abs(summed-unioned) > 0.001*unioned {
			t.Errorf("%s min: the offices' bands overlap: they sum to %.3f km², their union is %.3f km²", r["minutes"], summed/1e6, unioned/1e6)
		}
		if differ > 0.001*band {
			t.Errorf("%s min: the union band (%.3f km²) and the union of the offices' bands differ by %.3f km²", r["minutes"], band/1e6, differ/1e6)
		}
		if r["districts"] != r["union_districts"] {
			t.Errorf("%s min: the offices' bands hold %s districts, the union band %s", r["minutes"], r["districts"], r["union_districts"])
		}
	}
	// Each office's bands nest: each lies inside the next (GEOS covers).
	for _, r := range ogrtest.SQL(t, gpkg, `SELECT a.office_id AS office_id, a.minutes AS small, b.minutes AS big, ST_Covers(b.geom, a.geom) AS covered
		FROM isochrones AS a JOIN isochrones AS b ON a.scope = b.scope AND (a.office_id = b.office_id OR a.scope = 'union')
		AND b.minutes = (SELECT min(minutes) FROM isochrones WHERE minutes > a.minutes)`) {
		if r["covered"] != "1" {
			t.Errorf("%s: the %s min band is not inside the %s min band", r["office_id"], r["small"], r["big"])
		}
	}

	// The districts' points, as the routing uses them, beside the bands.
	ds, _, err := data.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := catchment.NewStudy(ds, catchment.Options{Population: cells})
	if err != nil {
		t.Fatal(err)
	}
	fc := geojson.NewFeatureCollection()
	for i, d := range s.Districts() {
		f := geojson.NewFeature(s.Points()[i])
		f.Properties = geojson.Properties{"district_id": d.ID, "population": d.Pop()}
		fc.Append(f)
	}
	b, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	points := filepath.Join(dir, "points.geojson")
	if err := os.WriteFile(points, b, 0o644); err != nil {
		t.Fatal(err)
	}
	check := filepath.Join(dir, "check.gpkg")
	ogrtest.Convert(t, "-f", "GPKG", check, gpkg)
	ogrtest.Convert(t, "-update", "-nln", "points", check, points)
	rows := ogrtest.SQL(t, check, `SELECT b.office_id AS office_id, b.minutes AS minutes, b.districts AS districts, b.population AS population, b.district_ids AS ids,
		count(p.district_id) AS n, total(p.population) AS pop, group_concat(p.district_id, ' ') AS inside
		FROM isochrones AS b LEFT JOIN points AS p ON ST_Intersects(b.geom, p.geom) GROUP BY b.fid`)
	if len(rows) == 0 {
		t.Fatal("no bands")
	}
	var people float64
	for _, r := range rows {
		got, want := strings.Fields(r["ids"]), strings.Fields(r["inside"])
		slices.Sort(got)
		slices.Sort(want)
		people += num(t, r["population"])
		if r["districts"] != r["n"] || math.Abs(num(t, r["population"])-num(t, r["pop"])) > 0.5 || !slices.Equal(got, want) {
			t.Errorf("band (%s, %s min): %s districts, population %s (%v); the points in its polygon: %s, %s (%v)",
				r["office_id"], r["minutes"], r["districts"], r["population"], got, r["n"], r["pop"], want)
		}
	}
	if people == 0 {
		t.Error("no band holds anyone")
	}
}

// num parses a number ogrinfo printed; NULL (absent) is 0.
func num(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("ogrinfo value %q: %v", s, err)
	}
	return v
}

// TestIsochronesHelpStatesRules checks that -h states what the GEOS test
// checks: partition, nesting, validity and the one counting rule.
func TestIsochronesHelpStatesRules(t *testing.T) {
	code, out, stderr := runIsochrones(t, "-h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	help := strings.Join(strings.Fields(out+stderr), " ")
	for _, want := range []string{
		"belongs to the office it is cheapest to reach",
		"the offices' bands partition the union's",
		"An office's bands nest",
		"valid under the OGC rules",
		"Counting rule: a band's districts and population are those of the districts whose representative point lies inside the band's polygon",
		"population-weighted with --population",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("-h does not say %q:\n%s", want, out+stderr)
		}
	}
}
