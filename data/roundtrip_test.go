package data

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestRoundTrip writes random offices as CSV and as GeoJSON and checks that
// loading gives them back exactly.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	names := []string{"中央区役所", "幸田出張所", "Office, \"quoted\"", "  spaced  ", "城山 総合出張所"}
	kinds := []string{"ward", "branch", "区役所", "出張所", "総合出張所", "支所", "Ward_Office", "branch-office"}
	for trial := range 20 {
		n := 1 + r.IntN(30)
		var want []Office
		csvRows := [][]string{{"ID", "名称", "種別", "ward", "counter_count", "緯度", "経度"}}
		var features []map[string]any
		for i := range n {
			o := Office{
				ID:       fmt.Sprintf("%d", 100+i),
				Name:     names[r.IntN(len(names))],
				Ward:     []string{"", "中央区", "南区"}[r.IntN(3)],
				Location: [2]float64{130.55 + 0.3*r.Float64(), 32.65 + 0.25*r.Float64()},
			}
			if i%2 == 1 {
				o.ID = fmt.Sprintf("K-%d", i)
			}
			kind := kinds[r.IntN(len(kinds))]
			o.Kind, _ = parseKind(kind)
			count := ""
			if r.IntN(2) == 0 {
				c := float64(r.IntN(100000))
				o.CounterCount = &c
				count = strconv.Itoa(int(c))
			}
			csvRows = append(csvRows, []string{o.ID, o.Name, kind, o.Ward, count,
				strconv.FormatFloat(o.Location[1], 'f', -1, 64), strconv.FormatFloat(o.Location[0], 'f', -1, 64)})
			props := map[string]any{"name": o.Name, "kind": kind, "ward": o.Ward}
			if o.CounterCount != nil {
				props["counter_count"] = *o.CounterCount
			}
			f := map[string]any{"type": "Feature", "properties": props,
				"geometry": map[string]any{"type": "Point", "coordinates": []float64{o.Location[0], o.Location[1]}}}
			if i%2 == 0 {
				f["id"] = 100 + i // numeric Feature id
			} else {
				props["id"] = o.ID
			}
			features = append(features, f)
			o.Name = toText(o.Name) // loading trims spaces
			want = append(want, o)
		}
		dir := t.TempDir()
		csvPath, jsonPath := filepath.Join(dir, "offices.csv"), filepath.Join(dir, "offices.geojson")
		cf, err := os.Create(csvPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := csv.NewWriter(cf).WriteAll(csvRows); err != nil {
			t.Fatal(err)
		}
		cf.Close()
		js, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": features})
		if err := os.WriteFile(jsonPath, js, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{csvPath, jsonPath} {
			ds, _, err := Load(Paths{LayerOffices: path}, Options{})
			if err != nil {
				t.Fatalf("trial %d %s: %v", trial, filepath.Base(path), err)
			}
			if len(ds.Offices) != len(want) {
				t.Fatalf("trial %d %s: %d offices, want %d", trial, filepath.Base(path), len(ds.Offices), len(want))
			}
			for i, got := range ds.Offices {
				w := want[i]
				if got.ID != w.ID || got.Name != w.Name || got.Kind != w.Kind || got.Ward != w.Ward || got.Location != w.Location ||
					(got.CounterCount == nil) != (w.CounterCount == nil) || got.CounterCount != nil && *got.CounterCount != *w.CounterCount {
					t.Fatalf("trial %d %s: office %d = %+v, want %+v", trial, filepath.Base(path), i, got, w)
				}
			}
		}
	}
}
