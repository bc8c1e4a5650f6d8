//go:build unix

package fgb_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kumamoto-gis/catchment/data"
	"github.com/kumamoto-gis/catchment/data/fgb"
)

// TestEndlessStream gives the loader a FIFO named stores.fgb that never
// ends: it is refused at the input limit, naming the file, in seconds.
func TestEndlessStream(t *testing.T) {
	good, err := os.ReadFile(convert(t, t.TempDir(), "../kumamoto/posts.geojson", "EPSG:4326", true))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "stores.fgb")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		chunk := bytes.Repeat(good, 16)
		for {
			if _, err := w.Write(chunk); err != nil {
				return // the reader gave up
			}
		}
	}()
	start := time.Now()
	_, _, err = data.Load(data.Paths{data.LayerStores: fifo}, data.Options{Readers: []data.Reader{fgb.Reader{}}, MaxInputBytes: 8 << 20})
	if err == nil || !strings.Contains(err.Error(), "no end yet") || !strings.Contains(err.Error(), fifo) {
		t.Errorf("endless stream: error %v, want one naming %s and saying it has no end", err, fifo)
	}
	if d := time.Since(start); d > 15*time.Second { // a loaded 2-core machine
		t.Errorf("endless stream: refused after %v", d)
	}
}
