package geoparquet_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/geoparquet"
	"github.com/kumamoto-gis/catchment/internal/geoparquetwrite"
)

// nationFile is CATCHMENT_NATION/name (a folder written by `catchment gen
// --scale nation`) converted to GeoParquet in a temporary folder.
func nationFile(b *testing.B, name string) (geojson, parquet string) {
	dir := os.Getenv("CATCHMENT_NATION")
	if dir == "" {
		b.Skip("set CATCHMENT_NATION to a folder written by catchment gen --scale nation")
	}
	geojson = filepath.Join(dir, name+".geojson")
	return geojson, convert(b, geojson, b.TempDir(), geoparquetwrite.Options{})
}

// BenchmarkReadNationDistricts reads the 18,976 nation-scale districts
// with the GeoParquet reader alone.
func BenchmarkReadNationDistricts(b *testing.B) {
	_, file := nationFile(b, "districts")
	st, _ := os.Stat(file)
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, err := readRaw(file); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadNationDistricts loads the nation-scale districts (read,
// mapped, validated) from GeoJSON and from GeoParquet.
func BenchmarkLoadNationDistricts(b *testing.B) {
	src, file := nationFile(b, "districts")
	for name, path := range map[string]string{"GeoJSON": src, "GeoParquet": file} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := data.Load(data.Paths{data.LayerDistricts: path}, data.Options{Readers: []data.Reader{geoparquet.Reader{}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadNationPopulation loads the 394,049 nation-scale population
// cells from GeoJSON and from GeoParquet.
func BenchmarkLoadNationPopulation(b *testing.B) {
	src, file := nationFile(b, "population")
	for name, path := range map[string]string{"GeoJSON": src, "GeoParquet": file} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := data.LoadPopulation(path, data.Options{Readers: []data.Reader{geoparquet.Reader{}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
