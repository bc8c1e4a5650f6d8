package outdir

import (
	"errors"
	"io/fs"
	"os"
)

// swapByRenames swaps with two renames where the system cannot exchange
// two names at once: the target moves aside, the stage takes its name.
// Between the two, the target's files are under the aside name; a failure
// of the second rename moves them back.
func swapByRenames(stage, target string) (string, error) {
	if _, err := os.Stat(target); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(stage, target)
	}
	aside := stage + ".old"
	if err := os.Rename(target, aside); err != nil {
		return "", err
	}
	if err := os.Rename(stage, target); err != nil {
		os.Rename(aside, target)
		return "", err
	}
	return aside, nil
}
