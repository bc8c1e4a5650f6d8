// Command togeoparquet converts GeoJSON FeatureCollections to GeoParquet
// (WKB, Snappy) for bench/geoparquet.sh, where GDAL's Parquet driver is
// absent: togeoparquet IN.geojson OUT.parquet.
package main

import (
	"fmt"
	"os"

	"github.com/kumamoto-gis/catchment/internal/geoparquetwrite"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: togeoparquet IN.geojson OUT.parquet")
		os.Exit(2)
	}
	text, err := os.ReadFile(os.Args[1])
	if err == nil {
		var b []byte
		if b, err = geoparquetwrite.FromGeoJSON(text, geoparquetwrite.Options{}); err == nil {
			err = os.WriteFile(os.Args[2], b, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "togeoparquet:", err)
		os.Exit(1)
	}
}
