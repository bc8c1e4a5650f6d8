//go:build !unix

package outdir

// lock does nothing where advisory locks are not available.
func lock(path string) (func(), error) { return func() {}, nil }
