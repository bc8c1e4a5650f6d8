package data

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

// writeDistricts writes a GeoJSON layer of n districts: squares of 9
// vertices on a grid over Kumamoto.
func writeDistricts(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "districts.geojson")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, `{"type":"FeatureCollection","features":[`)
	const side = 0.001
	cols := 150
	for i := range n {
		if i > 0 {
			w.WriteString(",\n")
		}
		x, y := 130.55+side*float64(i%cols), 32.65+side*float64(i/cols)
		fmt.Fprintf(w, `{"type":"Feature","properties":{"id":"D%d","name":"校区%d","population":%d},"geometry":{"type":"Polygon","coordinates":[[`, i, i, 1000+i)
		pts := [][2]float64{{0, 0}, {0.5, 0}, {1, 0}, {1, 0.5}, {1, 1}, {0.5, 1}, {0, 1}, {0, 0.5}, {0, 0}}
		for k, p := range pts {
			if k > 0 {
				w.WriteString(",")
			}
			fmt.Fprintf(w, "[%.6f,%.6f]", x+side*0.9*p[0], y+side*0.9*p[1])
		}
		w.WriteString("]]}}")
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// BenchmarkLoadDistricts20k loads 20,000 polygons: decode, ring checks and
// validity of every polygon.
func BenchmarkLoadDistricts20k(b *testing.B) {
	path := writeDistricts(b, 20000)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for b.Loop() {
		ds, _, err := Load(Paths{LayerDistricts: path}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(ds.Districts) != 20000 {
			b.Fatalf("%d districts", len(ds.Districts))
		}
	}
}

// BenchmarkLoadStoresCSV20k loads 20,000 points from CSV.
func BenchmarkLoadStoresCSV20k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "stores.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("id,name,lat,lon\n")
	for i := range 20000 {
		fmt.Fprintf(w, "S%d,店舗%d,%.6f,%.6f\n", i, i, 32.65+float64(i%200)*0.001, 130.55+float64(i/200)*0.003)
	}
	w.Flush()
	f.Close()
	b.ResetTimer()
	for b.Loop() {
		ds, _, err := Load(Paths{LayerStores: path}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(ds.Stores) != 20000 {
			b.Fatalf("%d stores", len(ds.Stores))
		}
	}
}

func BenchmarkPlaneRectangularInverse(b *testing.B) {
	c := epsgCRS(6670)
	p := orb.Point{-20000, -30000}
	for b.Loop() {
		p = c.toLonLat(orb.Point{-20000 + p[0]*1e-9, -30000})
	}
}
