package data_test

import (
	"os/exec"
	"strings"
	"testing"
)

// readerLibraries are the import path prefixes of the libraries that write
// workbooks and HTML pages.
var readerLibraries = []string{"github.com/xuri/", "github.com/richardlehane/", "github.com/yuin/goldmark"}

// parquetLibraries are the import path prefixes of the Parquet decoders.
var parquetLibraries = []string{"github.com/parquet-go/", "github.com/apache/arrow", "github.com/klauspost/compress", "github.com/andybalholm/brotli", "github.com/pierrec/lz4"}

// TestDependencies fails when a library user of package data, catchment
// (which imports data for the model) or geo would link SQLite, the
// OpenStreetMap decoders (protobuf, mongo BSON), the FlatBuffers runtime
// or the road network: those belong in the packages that need them
// (data/gpkg, network, data/fgb, catchment/road).
func TestDependencies(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("SKIPPING DEPENDENCY CHECK: the go command is not on PATH (%v)", err)
	}
	const module = "github.com/kumamoto-gis/catchment/"
	for _, c := range []struct {
		pkg       string
		forbidden []string // import path prefixes
	}{
		{module + "data", []string{"modernc.org/", "github.com/paulmach/osm", "google.golang.org/protobuf", "go.mongodb.org/"}},
		// FlatGeobuf's FlatBuffers runtime is in data/fgb, out of what a
		// GeoJSON-only program links.
		{module + "data", []string{"github.com/google/flatbuffers", module + "data/fgb"}},
		{module + "catchment", []string{"github.com/google/flatbuffers", module + "data/fgb"}},
		{module + "geo", []string{"github.com/google/flatbuffers"}},
		// The analysis core: no SQLite, no OpenStreetMap decoders, no road
		// network (the road metric is in catchment/road).
		{module + "catchment", []string{"modernc.org/", "github.com/paulmach/osm", "google.golang.org/protobuf", "go.mongodb.org/", module + "network"}},
		{module + "geo", []string{"modernc.org/", "github.com/paulmach/osm", "google.golang.org/protobuf", "go.mongodb.org/", module + "data"}},
		// The readers' formats: the workbook writer (excelize) and the
		// HTML page (goldmark) are in render/vector/xlsx and
		// render/htmldoc, out of what a GeoJSON writer links.
		{module + "catchment", readerLibraries},
		// GeoParquet (parquet-go and its compressors) is in data/geoparquet.
		{module + "data", parquetLibraries},
		{module + "catchment", parquetLibraries},
		{module + "geo", parquetLibraries},
		{module + "geo", readerLibraries},
		{module + "render/vector", readerLibraries},
		{module + "render", readerLibraries},
	} {
		t.Run(strings.TrimPrefix(c.pkg, module), func(t *testing.T) {
			out, err := exec.Command(gocmd, "list", "-deps", c.pkg).Output()
			if err != nil {
				var stderr []byte
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = ee.Stderr
				}
				t.Fatalf("go list -deps %s: %v\n%s", c.pkg, err, stderr)
			}
			deps := strings.Fields(string(out))
			if len(deps) == 0 {
				t.Fatalf("go list -deps %s listed nothing", c.pkg)
			}
			for _, f := range c.forbidden {
				var bad []string
				for _, d := range deps {
					if strings.HasPrefix(d, f) {
						bad = append(bad, d)
					}
				}
				if len(bad) > 0 {
					t.Errorf("%s links %s; keep it out (a reader that needs it goes in a package of its own, such as data/gpkg, given in data.Options.Readers)", c.pkg, strings.Join(bad, ", "))
				}
			}
		})
	}
}
