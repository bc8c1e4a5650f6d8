package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

var errBoom = errors.New("boom")

func failAfter(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		io.WriteString(w, s)
		return errBoom
	}
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	tests := []struct {
		name     string
		existing *string // content before the write, nil for no file
		write    func(io.Writer) error
		wantErr  bool
		want     *string // content after, nil for no file
	}{
		{name: "new file", write: writeString("hello\n"), want: ptr("hello\n")},
		{name: "replace", existing: ptr("old"), write: writeString("new"), want: ptr("new")},
		{name: "empty output", existing: ptr("old"), write: writeString(""), want: ptr("")},
		{name: "failing writer leaves no file", write: failAfter("partial"), wantErr: true},
		{name: "existing file survives a failed write", existing: ptr("old"), write: failAfter("partial"), wantErr: true, want: ptr("old")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.geojson")
			if tt.existing != nil {
				if err := os.WriteFile(path, []byte(*tt.existing), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteFile(path, tt.write)
			if (err != nil) != tt.wantErr {
				t.Fatalf("WriteFile error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				if !errors.Is(err, errBoom) {
					t.Errorf("error %v does not wrap the writer's error", err)
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("error %q does not name the file", err)
				}
			}
			got, readErr := os.ReadFile(path)
			switch {
			case tt.want == nil && readErr == nil:
				t.Errorf("file exists with %q, want no file", got)
			case tt.want == nil && !os.IsNotExist(readErr):
				t.Errorf("stat: %v", readErr)
			case tt.want != nil && readErr != nil:
				t.Errorf("read: %v", readErr)
			case tt.want != nil && string(got) != *tt.want:
				t.Errorf("content = %q, want %q", got, *tt.want)
			}
			var wantNames []string
			if tt.want != nil {
				wantNames = []string{"out.geojson"}
			}
			if names := entries(t, dir); strings.Join(names, ",") != strings.Join(wantNames, ",") {
				t.Errorf("directory holds %q, want %q (temp file left behind?)", names, wantNames)
			}
			if tt.want != nil && !tt.wantErr {
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != Mode {
					t.Errorf("mode = %v, want %v", fi.Mode().Perm(), Mode)
				}
			}
		})
	}
}

func ptr(s string) *string { return &s }

func TestWriteFileCreatesParent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "out.csv")
	if err := WriteFile(path, writeString("x,y\n")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "x,y\n" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestWriteFileOverDirectoryFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, writeString("x")); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "sub" {
		t.Errorf("directory holds %q, want only sub", names)
	}
}

func TestWriteFilePanicRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.png")
	func() {
		defer func() { recover() }()
		WriteFile(path, func(io.Writer) error { panic("writer bug") })
	}()
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %q after a panic, want nothing", names)
	}
}

// TestWriteFileThroughSymlink replaces the file a link points to and keeps
// the link.
func TestWriteFileThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.csv")
	link := filepath.Join(dir, "latest.csv")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.csv", link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	if err := WriteFile(link, func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
}
