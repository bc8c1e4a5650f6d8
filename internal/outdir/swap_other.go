//go:build !linux

package outdir

// swap puts stage in target's place and returns where the old target now
// is ("" when there was none).
func swap(stage, target string) (string, error) {
	return swapByRenames(stage, target)
}
