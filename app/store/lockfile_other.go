//go:build !unix

package store

// LockFile is a no-op where flock is unavailable: run one process per SQLite
// file there.
func LockFile(path string) (unlock func(), err error) { return func() {}, nil }
