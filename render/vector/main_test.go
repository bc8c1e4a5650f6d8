package vector

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update rewrites the golden files under testdata/render instead of
// comparing against them: go test ./render/vector/ -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/render")

// textGoldenDir holds the expected text outputs (GeoJSON, tables) of this package.
var textGoldenDir = filepath.Join("..", "..", "testdata", "render")

// assertGolden compares got with testdata/render/name, or rewrites that
// file when -update is given.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(textGoldenDir, name)
	if *update {
		if err := os.MkdirAll(textGoldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render/vector/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./render/vector/ -update if the change is intended)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
