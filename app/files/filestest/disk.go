package filestest

import (
	"context"
	"testing"

	"github.com/thidua/thidua/app/files"
)

// Disk opens a bucket in a directory of the test's own.
func Disk(t testing.TB) *files.Bucket {
	t.Helper()
	b, err := files.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}
