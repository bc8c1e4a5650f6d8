package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// DefaultMaxInputBytes bounds an input file when Options.MaxInputBytes is
// 0: 1 GiB, ten times the largest layer we know of (the nation-scale
// population layer, 86 MB).
const DefaultMaxInputBytes int64 = 1 << 30

// readChunk is how much of a stream is read, and checked, at a time.
const readChunk = 1 << 20

// readFile reads one input file whole, within opt.MaxInputBytes: see
// readInput.
func (opt Options) readFile(path string) ([]byte, error) {
	max := opt.MaxInputBytes
	if max <= 0 {
		max = DefaultMaxInputBytes
	}
	return readInput(path, max)
}

// textInput says whether a file of this name must be text: GeoJSON, CSV,
// YAML and a Shapefile's .prj and .cpg.
func textInput(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json", ".csv", ".tsv", ".txt", ".yaml", ".yml", ".prj", ".cpg":
		return true
	}
	return false
}

// ReadInput reads an input file whole within DefaultMaxInputBytes, with
// the checks every layer gets: a folder, an empty file, a file too large,
// an endless stream and binary content in a text format (by extension)
// are refused at once, naming the file. Readers of other inputs (scenario
// and model files) use it.
func ReadInput(path string) ([]byte, error) {
	return readInput(path, DefaultMaxInputBytes)
}

// readInput reads an input file whole, refusing at once what cannot be an
// input: a folder, an empty file, a file larger than max, a stream (a
// device or pipe) that goes on past max, and NUL bytes in a text format
// (binary content, UTF-16, or a file full of zeros), which are found in
// the first megabyte read rather than after the whole file. Errors for
// missing files wrap fs.ErrNotExist.
func readInput(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case fi.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a file: give the layer's file (or the folder with --data)", path)
	case fi.Mode().IsRegular() && fi.Size() == 0:
		return nil, fmt.Errorf("%s: the file is empty (0 bytes)", path)
	case fi.Mode().IsRegular() && fi.Size() > max:
		return nil, fmt.Errorf("%s: the file is %s, more than the %s an input may be", path, byteSize(fi.Size()), byteSize(max))
	}
	text := textInput(path)
	capacity := int64(readChunk)
	if fi.Mode().IsRegular() {
		capacity = fi.Size() + 1 // +1 to see the end without growing
	}
	buf := make([]byte, 0, capacity)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := cap(buf) - len(buf)
		if room > readChunk {
			room = readChunk
		}
		n, err := f.Read(buf[len(buf) : len(buf)+room])
		chunk := buf[len(buf) : len(buf)+n]
		if text {
			if len(buf) == 0 && (bytes.HasPrefix(chunk, []byte{0xFF, 0xFE}) || bytes.HasPrefix(chunk, []byte{0xFE, 0xFF})) {
				return nil, fmt.Errorf("%s: the file is UTF-16 text; save it as UTF-8 (or Shift_JIS)", path)
			}
			if i := bytes.IndexByte(chunk, 0); i >= 0 {
				return nil, fmt.Errorf("%s: a NUL byte at byte %d: this is not a %s text file but binary data (or a file of zeros)", path, len(buf)+i, formatName(path))
			}
		}
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, fmt.Errorf("%s: more than %s read and no end yet: an input may be at most %s", path, byteSize(max), byteSize(max))
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(buf) == 0 {
		return nil, fmt.Errorf("%s: the file is empty (0 bytes)", path)
	}
	return buf, nil
}

// formatName is the format a file's extension promises, for messages.
func formatName(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json":
		return "GeoJSON"
	case ".csv", ".tsv", ".txt":
		return "CSV"
	case ".yaml", ".yml":
		return "YAML"
	}
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
}

// byteSize writes n bytes for people: "1.0 GiB", "86 MB".
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// MaxCSVLine bounds a line of a CSV file: a WKT polygon of 200,000
// vertices fits; a line longer than this is not a table of features.
const MaxCSVLine = 16 << 20

// checkLines refuses text with a line longer than MaxCSVLine, before the
// CSV parser spends seconds and gigabytes on it.
func checkLines(text []byte) error {
	line := 1
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			i = len(text)
		}
		if i > MaxCSVLine {
			return fmt.Errorf("line %d is longer than %s (%s): not a CSV table; is the file binary, or one record without line ends?", line, byteSize(MaxCSVLine), byteSize(int64(i)))
		}
		if i == len(text) {
			break
		}
		text = text[i+1:]
		line++
	}
	return nil
}
