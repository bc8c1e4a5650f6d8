package geo

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// moduleRoot is the repository root, found from this file's location.
func moduleRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test source file")
	}
	return filepath.Dir(filepath.Dir(file))
}

// readTable reads a whitespace-separated numeric table from
// testdata/geo/name. Columns that are not numbers are kept as NaN-free
// strings in words; nums holds the parsed numbers of each line.
func readTable(t testing.TB, name string) (words [][]string, nums [][]float64) {
	t.Helper()
	path := filepath.Join(moduleRoot(t), "testdata", "geo", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("reference data: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		row := make([]float64, len(fields))
		for i, s := range fields {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				v = 0
			}
			row[i] = v
		}
		words = append(words, fields)
		nums = append(nums, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(nums) == 0 {
		t.Fatalf("%s: no reference lines", path)
	}
	return words, nums
}

// sharedData returns the path of a file in ../shared/data, skipping the test
// loudly when that folder is absent.
func sharedData(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("SKIPPING: real-data test needs %s (absent: %v); CI always has it", dir, err)
	}
	return filepath.Join(dir, name)
}
