package outdir

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func put(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// contents lists dir's files (not the manifest) with their contents.
func contents(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ManifestName {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}

func siblings(t *testing.T, dir string) []string {
	entries, _ := os.ReadDir(filepath.Dir(dir))
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func run(t *testing.T, dir, cmd string, files map[string]string) {
	t.Helper()
	tx, err := Begin(dir, cmd)
	if err != nil {
		t.Fatal(err)
	}
	for n, s := range files {
		if err := tx.WriteFile(n, put(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestRunsReplaceTheirOwnFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	run(t, dir, "report", map[string]string{"report.md": "1", "map.png": "1", "sub/a.csv": "1"})
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "render", map[string]string{"map_extra.png": "r"})
	// A run with no maps drops the report's map of the run before, and keeps
	// the other command's file and the user's.
	run(t, dir, "report", map[string]string{"report.md": "2", "sub/a.csv": "2"})
	got := contents(t, dir)
	want := map[string]string{"report.md": "2", "sub/a.csv": "2", "map_extra.png": "r", "notes.txt": "mine"}
	if len(got) != len(want) {
		t.Errorf("files %v, want %v", got, want)
	}
	for n, s := range want {
		if got[n] != s {
			t.Errorf("%s = %q, want %q", n, got[n], s)
		}
	}
	if s := siblings(t, dir); len(s) != 2 || s[0] != ".out.lock" || s[1] != "out" {
		t.Errorf("beside the folder: %v", s)
	}
}

func TestAbortLeavesTheFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	run(t, dir, "report", map[string]string{"a.csv": "old", "b.csv": "old"})
	tx, err := Begin(dir, "report")
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.WriteFile("a.csv", put("new")); err != nil {
		t.Fatal(err)
	}
	// the staged file must not write through its hard link
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "old" {
		t.Fatalf("a.csv changed before commit: %q", b)
	}
	failed := tx.WriteFile("b.csv", func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("disk full")
	})
	if failed == nil {
		t.Fatal("no error")
	}
	tx.Abort()
	if got := contents(t, dir); got["a.csv"] != "old" || got["b.csv"] != "old" || len(got) != 2 {
		t.Errorf("after abort: %v", got)
	}
	if s := siblings(t, dir); len(s) != 2 {
		t.Errorf("left beside the folder: %v", s)
	}
}

func TestLockAndStaleStaging(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	first, err := Begin(dir, "report")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Begin(dir, "report"); err == nil || !strings.Contains(err.Error(), "another run is writing this folder") {
		t.Errorf("second run: %v", err)
	}
	first.Abort()
	// a staging folder left by a killed run is removed by the next
	stale := filepath.Join(filepath.Dir(dir), ".out.stage-123")
	if err := os.MkdirAll(filepath.Join(stale, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "report", map[string]string{"a": "1"})
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale staging folder kept: %v", err)
	}
}

func TestBadNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	tx, err := Begin(dir, "report")
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	for _, n := range []string{"../x", "/etc/passwd", ".", ManifestName} {
		if _, err := tx.Path(n); err == nil {
			t.Errorf("%q accepted", n)
		}
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOutputIsAFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Begin(f, "report"); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("got %v", err)
	}
}

func TestNoPruneKeepsEarlierFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	run(t, dir, "render", map[string]string{"map_a.png": "1", "map_b.png": "1"})
	tx, err := Begin(dir, "render")
	if err != nil {
		t.Fatal(err)
	}
	tx.Prune = false
	if err := tx.WriteFile("map_b.png", put("2")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := contents(t, dir); got["map_a.png"] != "1" || got["map_b.png"] != "2" {
		t.Errorf("got %v", got)
	}
}
