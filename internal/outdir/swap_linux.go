package outdir

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// swap puts stage in target's place atomically and returns where the old
// target now is ("" when there was none).
func swap(stage, target string) (string, error) {
	err := unix.Renameat2(unix.AT_FDCWD, stage, unix.AT_FDCWD, target, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return stage, nil
	case errors.Is(err, unix.ENOENT):
		if _, statErr := os.Stat(target); errors.Is(statErr, fs.ErrNotExist) {
			return "", os.Rename(stage, target)
		}
		return "", err
	case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS):
		return swapByRenames(stage, target)
	}
	return "", err
}
