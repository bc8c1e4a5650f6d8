package data_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/internal/synthetic"
)

var (
	nationOnce sync.Once
	nationDir  string
	nationErr  error
)

// TestMain removes the nation-scale set the benchmarks wrote, if any.
func TestMain(m *testing.M) {
	code := m.Run()
	if nationDir != "" {
		os.RemoveAll(nationDir)
	}
	os.Exit(code)
}

// nation writes the synthetic nation-scale set once per test binary (about
// 3 s) and returns its folder. CATCHMENT_NATION names a folder written by
// "catchment gen --scale nation" to use instead.
func nation(b *testing.B) string {
	b.Helper()
	if dir := os.Getenv("CATCHMENT_NATION"); dir != "" {
		return dir
	}
	nationOnce.Do(func() {
		spec, err := synthetic.SpecFor(synthetic.Nation)
		if err != nil {
			nationErr = err
			return
		}
		g, err := synthetic.Generate(spec)
		if err != nil {
			nationErr = err
			return
		}
		nationDir, nationErr = os.MkdirTemp("", "catchment-nation-bench-")
		if nationErr == nil {
			_, nationErr = g.WriteDir(nationDir, nil)
		}
	})
	if nationErr != nil {
		b.Fatal(nationErr)
	}
	return nationDir
}

func fileSize(b *testing.B, paths ...string) int64 {
	var n int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			b.Fatal(err)
		}
		n += st.Size()
	}
	return n
}

// BenchmarkLoadPopulationNation loads the nation's 394,049 population cells
// (86 MB of GeoJSON polygons).
func BenchmarkLoadPopulationNation(b *testing.B) {
	path := filepath.Join(nation(b), synthetic.PopulationFile)
	b.SetBytes(fileSize(b, path))
	b.ReportAllocs()
	for b.Loop() {
		cells, _, err := data.LoadPopulation(path, data.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(cells) != 394049 {
			b.Fatalf("%d cells", len(cells))
		}
	}
}

// BenchmarkLoadDirNation loads the nation's other layers: 18,976 districts,
// 56,000 stores, 24,000 post offices, 1,700 offices and the boundary.
func BenchmarkLoadDirNation(b *testing.B) {
	dir := nation(b)
	var files []string
	for _, f := range []string{"districts.geojson", "stores.geojson", "posts.geojson", "offices.csv", "boundary.geojson"} {
		files = append(files, filepath.Join(dir, f))
	}
	b.SetBytes(fileSize(b, files...))
	b.ReportAllocs()
	for b.Loop() {
		ds, _, err := data.LoadDir(dir, data.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(ds.Districts) != 18976 {
			b.Fatalf("%d districts", len(ds.Districts))
		}
	}
}

// BenchmarkDecodeGeoJSONNation decodes each GeoJSON input of the nation
// set into records (fields mapped, coordinates decoded where the fast
// decoder does so), with the fast decoder and with encoding/json alone.
func BenchmarkDecodeGeoJSONNation(b *testing.B) {
	dir := nation(b)
	for _, f := range []struct {
		file  string
		layer data.Layer
	}{{"population.geojson", data.LayerPopulation}, {"districts.geojson", data.LayerDistricts}, {"stores.geojson", data.LayerStores}} {
		text, err := os.ReadFile(filepath.Join(dir, f.file))
		if err != nil {
			b.Fatal(err)
		}
		for _, fast := range []bool{true, false} {
			name := "fast"
			if !fast {
				name = "encoding-json"
			}
			b.Run(f.file+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := data.DecodeGeoJSON(text, f.layer, fast); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// geoJSONFile is a FeatureCollection as a plain typed encoding/json decode
// sees it: the reference the loaders are measured against.
type geoJSONFile struct {
	Type     string `json:"type"`
	Features []struct {
		Type     string `json:"type"`
		Geometry struct {
			Type        string `json:"type"`
			Coordinates any    `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
}

// BenchmarkEncodingJSONNation decodes the nation's GeoJSON files (population
// and the other layers) with a plain typed encoding/json Unmarshal, doing
// nothing else: what reading them costs with the standard library.
func BenchmarkEncodingJSONNation(b *testing.B) {
	dir := nation(b)
	for _, f := range []string{"population.geojson", "districts.geojson", "stores.geojson", "posts.geojson", "boundary.geojson"} {
		b.Run(f, func(b *testing.B) {
			text, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				var fc geoJSONFile
				if err := json.Unmarshal(text, &fc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
