//go:build unix

package store

import (
	"fmt"
	"os"
	"syscall"
)

// LockFile takes an exclusive advisory lock on path+".lock", waiting for
// it, so that two processes starting on one SQLite file migrate one after
// the other. Call the returned function to release it.
func LockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
