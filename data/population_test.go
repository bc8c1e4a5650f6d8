package data

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadPopulation(t *testing.T) {
	square := `{"type":"Polygon","coordinates":[[[130,32],[130.01,32],[130.01,32.01],[130,32.01],[130,32]]]}`
	// A 3×3 square with (nearly) its left third cut out: centroid x ≈ 2.
	holed := `{"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[0,3],[0,0]],[[0.001,0.001],[0.001,2.999],[1,2.999],[1,0.001],[0.001,0.001]]]}`
	tests := []struct {
		name    string
		file    string
		text    string
		opt     Options
		want    []PopulationCell // compared on ID, Population, Point
		wantErr []string
	}{
		{
			name: "points", file: "p.geojson",
			text: `{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[130.7,32.8]},"properties":{"id":"a","population":120}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[130.71,32.81]},"properties":{"人口":"1,500"}}]}`,
			want: []PopulationCell{{ID: "a", Population: 120, Point: [2]float64{130.7, 32.8}}, {ID: "population-1", Population: 1500, Point: [2]float64{130.71, 32.81}}},
		},
		{
			name: "mesh cell", file: "p.geojson",
			text: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":` + square + `,"properties":{"id":"m1","population":0}}]}`,
			want: []PopulationCell{{ID: "m1", Population: 0, Point: [2]float64{130.005, 32.005}}},
		},
		{
			name: "cell with a hole", file: "p.geojson",
			text: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":` + holed + `,"properties":{"id":"h","population":5}}]}`,
			want: []PopulationCell{{ID: "h", Population: 5, Point: [2]float64{1.9985, 1.5}}},
		},
		{
			name: "mapped field", file: "p.geojson", opt: Options{Fields: map[Layer]map[string]string{LayerPopulation: {"population": "T001"}}},
			text: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[130.7,32.8]},"properties":{"id":"a","T001":7,"population":99}}]}`,
			want: []PopulationCell{{ID: "a", Population: 7, Point: [2]float64{130.7, 32.8}}},
		},
		{
			name: "csv", file: "p.csv",
			text: "id,lat,lon,population\nx,32.8,130.7,10\ny,32.9,130.8,20\n",
			want: []PopulationCell{{ID: "x", Population: 10, Point: [2]float64{130.7, 32.8}}, {ID: "y", Population: 20, Point: [2]float64{130.8, 32.9}}},
		},
		{
			name: "csv without lat", file: "p.csv", text: "id,lon,population\nx,130.7,10\n",
			wantErr: []string{"p.csv", "field lat", "no column"},
		},
		{
			name: "csv bad latitude", file: "p.csv", text: "id,lat,lon,population\nx,abc,130.7,10\n",
			wantErr: []string{"line 2", "field lat", "not a number"},
		},
		{
			name: "negative", file: "p.geojson",
			text:    `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[130.7,32.8]},"properties":{"population":-3}}]}`,
			wantErr: []string{"p.geojson", "feature 0", "population", "negative"},
		},
		{
			name: "missing value", file: "p.geojson",
			text: `{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[130.7,32.8]},"properties":{"population":3}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[130.7,32.8]},"properties":{"population":null}}]}`,
			wantErr: []string{"feature 1", "population", "missing"},
		},
		{
			name: "no population property", file: "p.geojson",
			text:    `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[130.7,32.8]},"properties":{"pop":3}}]}`,
			wantErr: []string{"no feature has a population property", "--field population.population"},
		},
		{
			name: "line geometry", file: "p.geojson",
			text:    `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[130.7,32.8],[130.8,32.8]]},"properties":{"population":3}}]}`,
			wantErr: []string{"feature 0", "geometry", "LineString"},
		},
		{
			name: "projected coordinates", file: "p.geojson",
			text:    `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[-27000,-48000]},"properties":{"population":3}}]}`,
			wantErr: []string{"feature 0", "geometry", "projected"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, _, err := LoadPopulation(path, tc.opt)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("no error; want one mentioning %q", tc.wantErr)
				}
				for _, s := range tc.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d cells, want %d", len(got), len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.ID != w.ID || g.Population != w.Population || math.Abs(g.Point[0]-w.Point[0]) > 1e-3 || math.Abs(g.Point[1]-w.Point[1]) > 1e-3 {
					t.Errorf("cell %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// TestLoadPopulationCellPoints: with CellPoints the cells are those of a
// full load without their Geometry, though the fast decoder writes each
// cell's coordinates over the last one's.
func TestLoadPopulationCellPoints(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range 3000 {
		if i > 0 {
			b.WriteString(",")
		}
		x, y := 130+float64(i%60)*0.005, 32+float64(i/60)*0.005
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"id":"c%d","population":%d},"geometry":{"type":"%s","coordinates":`, i, i%17, map[bool]string{true: "MultiPolygon", false: "Polygon"}[i%5 == 0])
		ring := fmt.Sprintf(`[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]`, x, y, x+0.005, y, x+0.005, y+0.005+float64(i%3)*0.001, x, y+0.005, x, y)
		if i%5 == 0 {
			fmt.Fprintf(&b, `[[%s]]}}`, ring)
		} else {
			fmt.Fprintf(&b, `[%s]}}`, ring)
		}
	}
	b.WriteString(`]}`)
	path := filepath.Join(t.TempDir(), "population.geojson")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	full, _, err := LoadPopulation(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	points, _, err := LoadPopulation(path, Options{CellPoints: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 3000 || len(points) != len(full) {
		t.Fatalf("%d and %d cells, want 3000", len(full), len(points))
	}
	for i := range full {
		f, p := full[i], points[i]
		if f.Geometry == nil || p.Geometry != nil {
			t.Fatalf("cell %d: geometry kept %v, with CellPoints %v", i, f.Geometry != nil, p.Geometry)
		}
		f.Geometry = nil
		if !reflect.DeepEqual(f, p) {
			t.Fatalf("cell %d: %+v, with CellPoints %+v", i, f, p)
		}
	}
}
