//go:build unix

package data

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileInputs: inputs that cannot be layers end within a second or
// two, in bounded memory, with a message saying what is wrong and no more
// than a short excerpt of the content. Before: /dev/zero as a .geojson was
// read until killed (5.3 GB after 60 s), a 2 GB sparse .geojson was read
// whole (17 s, 2.1 GB), 1 GB of NUL bytes as a .csv hung (5.3 GB after 60 s)
// and a CSV of one 76 MiB line took 6.5 s and 554 MB.
func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sparse := filepath.Join(dir, "sparse.geojson")
	if err := os.WriteFile(sparse, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(sparse, 64<<20); err != nil {
		t.Fatal(err)
	}
	zeros := filepath.Join(dir, "zeros.csv")
	if err := os.WriteFile(zeros, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(zeros, 8<<20); err != nil {
		t.Fatal(err)
	}
	devZero := filepath.Join(dir, "zero.geojson")
	if err := os.Symlink("/dev/zero", devZero); err != nil {
		t.Fatal(err)
	}
	long := write("long.csv", []byte("id,name,lat,lon\n"+strings.Repeat("x", MaxCSVLine+10)+"\n"))
	utf16 := write("utf16.csv", []byte("\xff\xfei\x00d\x00"))
	empty := write("empty.geojson", nil)
	sub := filepath.Join(dir, "folder.geojson")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "endless.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		line := []byte(strings.Repeat("s1,store,32.8,130.7\n", 1000))
		f.Write([]byte("id,name,lat,lon\n"))
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := f.Write(line); err != nil {
				return
			}
		}
	}()
	for _, tc := range []struct {
		name, file string
		max        int64
		want       string
	}{
		{"sparse file over the limit", sparse, 32 << 20, "more than the 32 MiB an input may be"},
		{"zeros as CSV", zeros, 0, "a NUL byte at byte 0: this is not a CSV text file"},
		{"/dev/zero", devZero, 0, "a NUL byte at byte 0: this is not a GeoJSON text file"},
		{"one long line", long, 0, "line 2 is longer than 16 MiB"},
		{"UTF-16", utf16, 0, "UTF-16"},
		{"empty", empty, 0, "the file is empty (0 bytes)"},
		{"folder", sub, 0, "is a folder, not a file"},
		{"endless stream", fifo, 8 << 20, "more than 8 MiB read and no end yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, _, err := Load(Paths{LayerStores: tc.file}, Options{MaxInputBytes: tc.max})
			took := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if len(err.Error()) > 400 {
				t.Errorf("the message is %d bytes long", len(err.Error()))
			}
			if took > 3*time.Second {
				t.Errorf("took %v", took)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
		})
	}
}

// TestNoIDColumn: a layer whose records all lack an id gets one error
// listing the file's columns, not one per record.
func TestNoIDColumn(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "offices.csv")
	rows := "name,lat,lon,kind\n"
	for i := 0; i < 19; i++ {
		rows += "office,32.8,130.7,branch\n"
	}
	if err := os.WriteFile(p, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := Load(Paths{LayerOffices: p}, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.Count(msg, "id") > 6 || !strings.Contains(msg, "none of the 19 records has an id") || !strings.Contains(msg, "kind, lat, lon, name") || !strings.Contains(msg, "--field offices.id=NAME") {
		t.Errorf("got %q", msg)
	}
}
