//go:build unix

package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// asCLI runs the command line of a child process started by cliProcess,
// with the file size limit CATCHMENT_TEST_FSIZE if set.
func asCLI() int {
	if v := os.Getenv("CATCHMENT_TEST_FSIZE"); v != "" {
		n, _ := strconv.ParseUint(v, 10, 64)
		syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n})
	}
	return run(os.Args[1:], os.Stdout, os.Stderr)
}

// cliProcess is the command line as a child process.
func cliProcess(t *testing.T, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "CATCHMENT_TEST_AS_CLI=1"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return cmd
}

// folderState is every file of a folder with a hash of its contents.
func folderState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameState(a, b map[string]string) string {
	var diff []string
	for n, h := range a {
		if b[n] != h {
			diff = append(diff, n)
		}
	}
	for n := range b {
		if _, ok := a[n]; !ok {
			diff = append(diff, n)
		}
	}
	sort.Strings(diff)
	return strings.Join(diff, ", ")
}

// staging lists what runs left beside dir apart from the folder and its lock.
func staging(dir string) []string {
	entries, _ := os.ReadDir(filepath.Dir(dir))
	var out []string
	for _, e := range entries {
		if e.Name() != filepath.Base(dir) && e.Name() != "."+filepath.Base(dir)+".lock" {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestReportFolderIsOneUnit: a report folder is the old run's or the new
// run's, never a mix, whether the run is killed, runs out of disk, or
// meets a second run; the next run removes what a killed one left; a run
// with --no-maps drops the maps of the run before. Before: a kill -9 left 5
// of 16 files and a stale temporary file, a full disk left the folder half
// old and half new, and 2 of 20 concurrent pairs left a mixed folder with
// both runs exiting 0.
func TestReportFolderIsOneUnit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts report runs as child processes")
	}
	root := t.TempDir()
	out := filepath.Join(root, "out")
	// The reference: what a report run writes, and what a --no-maps run
	// writes; the old state every failed run must leave.
	if code, _, stderr := runCLI(t, "report", "--quiet", "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	full := folderState(t, out)
	if code, _, stderr := runCLI(t, "report", "--quiet", "--no-maps", "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	noMaps := folderState(t, out)
	for n := range noMaps {
		if strings.HasSuffix(n, ".png") {
			t.Errorf("%s from the run before stays beside a --no-maps report", n)
		}
	}
	if len(noMaps) >= len(full) {
		t.Fatalf("--no-maps: %d files, with maps %d", len(noMaps), len(full))
	}

	t.Run("killed", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 4; i++ {
			cmd := cliProcess(t, nil, "report", "--quiet", "--out", out)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(300+r.IntN(2000)) * time.Millisecond)
			cmd.Process.Kill()
			cmd.Wait()
			got := folderState(t, out)
			if d := sameState(got, noMaps); d != "" && sameState(got, full) != "" {
				t.Fatalf("kill %d: the folder is neither the old run nor the new: %s", i, d)
			}
			if sameState(got, full) == "" {
				// the run finished before the kill: back to the old state
				if code, _, stderr := runCLI(t, "report", "--quiet", "--no-maps", "--out", out); code != 0 {
					t.Fatal(stderr)
				}
			}
		}
		if code, _, stderr := runCLI(t, "report", "--quiet", "--no-maps", "--out", out); code != 0 {
			t.Fatal(stderr)
		}
		if left := staging(out); len(left) > 0 {
			t.Errorf("left beside the folder after the next run: %v", left)
		}
	})

	t.Run("disk full", func(t *testing.T) {
		// A 64 KiB file size limit: the report's larger files cannot be written.
		cmd := cliProcess(t, []string{"CATCHMENT_TEST_FSIZE=65536"}, "report", "--quiet", "--out", out)
		err := cmd.Run()
		if err == nil {
			t.Fatal("the run succeeded under a 64 KiB file size limit")
		}
		if d := sameState(folderState(t, out), noMaps); d != "" {
			t.Errorf("a failed run changed the folder: %s", d)
		}
		if stderr := cmd.Stderr.(*bytes.Buffer).String(); stderr != "" && !strings.Contains(stderr, "file too large") {
			t.Logf("stderr: %s", stderr)
		}
	})

	t.Run("concurrent", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			a := cliProcess(t, nil, "report", "--quiet", "--no-maps", "--out", out)
			b := cliProcess(t, nil, "report", "--quiet", "--no-maps", "--out", out)
			if err := a.Start(); err != nil {
				t.Fatal(err)
			}
			if err := b.Start(); err != nil {
				t.Fatal(err)
			}
			errA, errB := a.Wait(), b.Wait()
			for _, c := range []struct {
				err error
				cmd *exec.Cmd
			}{{errA, a}, {errB, b}} {
				stderr := c.cmd.Stderr.(*bytes.Buffer).String()
				if c.err != nil && !strings.Contains(stderr, "another run is writing this folder") {
					t.Errorf("a concurrent run failed for another reason: %v: %s", c.err, stderr)
				}
			}
			if errA != nil && errB != nil {
				t.Error("both runs failed")
			}
			if d := sameState(folderState(t, out), noMaps); d != "" {
				t.Errorf("pair %d: the folder is not one run's: %s", i, d)
			}
		}
	})
}
