// Package files keeps evidence files — photos and PDFs that units attach to
// their projects, progress notes and reports — in a bucket: a directory on
// local disk, or any S3-compatible store. It knows nothing of who may see
// them; the platform decides that.
package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // s3:// URLs
	"gocloud.dev/gcerrors"
)

// Bucket is where the files' bytes are kept: each file under "files/{id}",
// an image's thumbnail under "thumbs/{id}".
type Bucket struct {
	b *blob.Bucket
}

// Open opens the bucket where says: a directory (created if absent), or an
// s3:// URL (s3://bucket?endpoint=…&region=…&use_path_style=true, with the
// credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
func Open(ctx context.Context, where string) (*Bucket, error) {
	if strings.HasPrefix(where, "s3://") {
		if _, err := url.Parse(where); err != nil {
			return nil, fmt.Errorf("files %q: %w", where, err)
		}
		b, err := blob.OpenBucket(ctx, where)
		if err != nil {
			return nil, fmt.Errorf("files %q: %w", where, err)
		}
		return &Bucket{b}, nil
	}
	if strings.Contains(where, "://") {
		return nil, fmt.Errorf("files %q: want a directory or an s3:// URL", where)
	}
	dir, err := filepath.Abs(where)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("files %q: %w", where, err)
	}
	// No .attrs sidecars: the database keeps each file's type and name.
	b, err := fileblob.OpenBucket(dir, &fileblob.Options{NoTempDir: true, Metadata: fileblob.MetadataDontWrite})
	if err != nil {
		return nil, fmt.Errorf("files %q: %w", where, err)
	}
	return &Bucket{b}, nil
}

// Close releases the bucket.
func (b *Bucket) Close() error { return b.b.Close() }

// FileKey and ThumbKey are where a file's bytes and its thumbnail are.
func FileKey(id string) string  { return "files/" + id }
func ThumbKey(id string) string { return "thumbs/" + id }

// Put writes an object whole, or not at all.
func (b *Bucket) Put(ctx context.Context, key string, data []byte, contentType string) error {
	return b.b.WriteAll(ctx, key, data, &blob.WriterOptions{ContentType: contentType})
}

// ErrMissing is an object the bucket does not have.
var ErrMissing = errors.New("files: no such object")

// Get opens an object to read, with its size.
func (b *Bucket) Get(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	r, err := b.b.NewReader(ctx, key, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, 0, ErrMissing
	}
	if err != nil {
		return nil, 0, err
	}
	return r, r.Size(), nil
}

// Delete removes objects; those already gone are no error.
func (b *Bucket) Delete(ctx context.Context, keys ...string) error {
	var errs []error
	for _, k := range keys {
		if err := b.b.Delete(ctx, k); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Object is an object of the bucket: its key and when it was written.
type Object struct {
	Key     string
	ModTime time.Time
}

// List lists the objects under a prefix ("files/", "thumbs/").
func (b *Bucket) List(ctx context.Context, prefix string) ([]Object, error) {
	var out []Object
	it := b.b.List(&blob.ListOptions{Prefix: prefix})
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Object{Key: o.Key, ModTime: o.ModTime})
	}
}
