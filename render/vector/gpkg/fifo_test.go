//go:build unix

package gpkg

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/paulmach/orb"

	"github.com/kumamoto-gis/catchment/render/vector"
)

// TestWriteToPipe writes a GeoPackage into a FIFO as into /dev/stdout: the
// reader gets a whole SQLite file and the FIFO stays a FIFO.
func TestWriteToPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "out.gpkg")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	layers := []Layer{{Name: "p", Features: []vector.Feature{{ID: "a", Geometry: orb.Point{130.7, 32.8}}}}}
	if err := Write(fifo, layers); err != nil {
		t.Fatal(err)
	}
	b := <-got
	if !bytes.HasPrefix(b, []byte("SQLite format 3\x00")) {
		t.Errorf("the reader got %d bytes, not a SQLite file", len(b))
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO became %v (%v)", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files beside the FIFO", len(entries)-1)
	}
}
