// Package outdir changes an output folder as one unit: a run writes its
// files into a staging folder beside the target, which already holds hard
// links to the target's files, and the staging folder then takes the
// target's place in one rename. A run that fails or is killed leaves the
// target exactly as it was; the next run removes its staging folder.
//
// Each command owns the files it wrote: files the same command wrote in an
// earlier run and does not write now are removed (a report run with
// --no-maps drops the maps of the run before), files of other commands and
// of the user are kept. A lock beside the target makes a second run into
// the same folder fail at once with a clear message instead of mixing the
// two runs' files.
package outdir

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ManifestName is the file in the output folder that lists which command
// wrote which file.
const ManifestName = ".catchment-outputs"

// Tx is one run's change to an output folder.
type Tx struct {
	// Prune removes, at Commit, the files this command wrote in an earlier
	// run and not in this one (true from Begin). Commands that write a
	// chosen part of their files (one map of several) turn it off.
	Prune bool

	target  string // the output folder, absolute
	stage   string // the staging folder beside it
	command string
	written map[string]bool // names written by this run
	unlock  func()
	done    bool
}

// Begin starts a change to the folder dir by command (e.g. "report"). It
// takes the folder's lock, removes staging folders left by killed runs and
// stages the folder's current files.
func Begin(dir, command string) (*Tx, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if wd, err := os.Getwd(); err == nil {
		if real, err := filepath.EvalSymlinks(wd); err == nil && real == abs {
			return nil, fmt.Errorf("output folder %s is the folder you are in: give a subfolder, e.g. out/", dir)
		}
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("output folder %s is a file, not a folder", dir)
	}
	parent, base := filepath.Split(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	unlock, err := lock(filepath.Join(parent, "."+base+".lock"))
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	tx := &Tx{Prune: true, target: abs, command: command, written: map[string]bool{}, unlock: unlock}
	if err := tx.begin(parent, base); err != nil {
		tx.Abort()
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	return tx, nil
}

func (tx *Tx) begin(parent, base string) error {
	// Staging folders of killed runs: we hold the lock, so no run uses them.
	stale, _ := filepath.Glob(filepath.Join(parent, "."+base+".stage-*"))
	for _, s := range stale {
		if err := os.RemoveAll(s); err != nil {
			return fmt.Errorf("remove the staging folder of an earlier run: %w", err)
		}
	}
	stage, err := os.MkdirTemp(parent, "."+base+".stage-")
	if err != nil {
		return err
	}
	tx.stage = stage
	if err := os.Chmod(stage, 0o755); err != nil {
		return err
	}
	if fi, err := os.Stat(tx.target); err == nil {
		os.Chmod(stage, fi.Mode().Perm())
		return linkTree(tx.target, stage)
	}
	return nil
}

// linkTree fills dst with hard links to the files of src, recursively
// (copies where the file system has no hard links).
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "." {
			return nil
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, to)
		}
		if err := os.Link(p, to); err == nil {
			return nil
		}
		return copyFile(p, to)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Path is where the file name (relative to the output folder) is to be
// written in this run; the caller writes it there, whole, and then calls
// nothing else: Commit publishes it. A name of an earlier run is
// replaced, not written through (its hard link is removed first).
func (tx *Tx) Path(name string) (string, error) {
	clean := filepath.Clean(name)
	if filepath.IsAbs(clean) || clean == "." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || clean == ".." || clean == ManifestName {
		return "", fmt.Errorf("output %q: not a file name inside the output folder", name)
	}
	p := filepath.Join(tx.stage, clean)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	// The staged file may be a hard link to the target's: writing through
	// it would change the target before Commit.
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	tx.written[filepath.ToSlash(clean)] = true
	return p, nil
}

// Stage is the staging folder, for writers that write a whole folder
// themselves; Mark then names the files they wrote. Files of the target
// already there are hard links: replace them, never write into them.
func (tx *Tx) Stage() string { return tx.stage }

// Mark records files written directly into Stage as this run's.
func (tx *Tx) Mark(names ...string) {
	for _, n := range names {
		tx.written[filepath.ToSlash(filepath.Clean(n))] = true
	}
}

// WriteFile writes the file name of the output folder through write.
func (tx *Tx) WriteFile(name string, write func(w io.Writer) error) error {
	p, err := tx.Path(name)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// Commit publishes the run: the files this command wrote before and not
// now are removed, the manifest is updated, everything is synced and the
// staging folder takes the target's place. After an error the target is
// as it was.
func (tx *Tx) Commit() error {
	if tx.done {
		return errors.New("output folder: the run is already committed or aborted")
	}
	if err := tx.commit(); err != nil {
		tx.Abort()
		return fmt.Errorf("output folder %s: %w", tx.target, err)
	}
	tx.done = true
	tx.unlock()
	return nil
}

func (tx *Tx) commit() error {
	owners, err := readManifest(filepath.Join(tx.stage, ManifestName))
	if err != nil {
		return err
	}
	for name, cmd := range owners {
		if tx.Prune && cmd == tx.command && !tx.written[name] {
			if err := os.Remove(filepath.Join(tx.stage, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			delete(owners, name)
		}
	}
	for name := range tx.written {
		owners[name] = tx.command
	}
	if err := writeManifest(filepath.Join(tx.stage, ManifestName), owners); err != nil {
		return err
	}
	if err := syncTree(tx.stage); err != nil {
		return err
	}
	old, err := swap(tx.stage, tx.target)
	if err != nil {
		return err
	}
	tx.stage = old // now the previous contents, or nothing
	if old != "" {
		os.RemoveAll(old)
	}
	syncDir(filepath.Dir(tx.target))
	return nil
}

// Abort drops the run: the staging folder is removed and the lock freed.
// It is safe to call after Commit.
func (tx *Tx) Abort() {
	if tx.done {
		return
	}
	tx.done = true
	if tx.stage != "" {
		os.RemoveAll(tx.stage)
	}
	if tx.unlock != nil {
		tx.unlock()
	}
}

// Files lists the files the run has written, sorted.
func (tx *Tx) Files() []string {
	var out []string
	for n := range tx.written {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// readManifest reads "command<TAB>file" lines; a missing file is empty.
func readManifest(path string) (map[string]string, error) {
	owners := map[string]string{}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return owners, nil
	}
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		cmd, name, ok := strings.Cut(line, "\t")
		if ok && name != "" {
			owners[name] = cmd
		}
	}
	return owners, nil
}

func writeManifest(path string, owners map[string]string) error {
	names := make([]string, 0, len(owners))
	for n := range owners {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# which catchment command wrote which file (kept by the next run of the same command)\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%s\t%s\n", owners[n], n)
	}
	os.Remove(path) // a hard link to the target's manifest
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// syncTree flushes every file and folder of dir to disk, so that the
// swap never publishes files whose contents are not yet written.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := f.Sync(); err != nil && !d.IsDir() {
			return fmt.Errorf("sync %s: %w", p, err)
		}
		return nil
	})
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
