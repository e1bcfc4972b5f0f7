package platform

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/thidua/thidua/app/files"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// FileLimit is the largest file the platform keeps, in bytes.
func (s *Service) FileLimit() int64 { return s.fileLimit }

// UploadFile keeps a file uploaded as name (policy.UploadFile): its type
// sniffed from its bytes, an image cleaned of its EXIF data, with a
// thumbnail. It is the uploader's alone until attached to a project, a
// progress note or a report (evidence_files). Nothing is left behind when it
// is refused or fails: no object without its record.
func (s *Service) UploadFile(ctx context.Context, name string, data []byte) (*store.File, error) {
	if err := policy.UploadFile(ActorFrom(ctx)); err != nil {
		return nil, err
	}
	if int64(len(data)) > s.fileLimit {
		return nil, s.tooLarge()
	}
	c, err := files.Sanitise(name, data)
	switch {
	case errors.Is(err, files.ErrEmpty):
		return nil, invalid("file", "tệp rỗng", "the file is empty")
	case errors.Is(err, files.ErrUnsupported):
		return nil, &Unsupported{Field: "file", msg: message{"chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF (xét theo nội dung tệp, không theo tên)",
			"only JPEG, PNG or WebP images and PDF files are accepted (by their content, not their name)"}}
	case errors.Is(err, files.ErrUnreadable):
		return nil, invalid("file", "không đọc được ảnh: tệp bị hỏng", "the image cannot be read: the file is damaged")
	case errors.Is(err, files.ErrHuge):
		return nil, invalid("file", fmt.Sprintf("ảnh quá lớn (tối đa %d triệu điểm ảnh)", files.MaxPixels/1_000_000),
			fmt.Sprintf("the image is too large (at most %d million pixels)", files.MaxPixels/1_000_000))
	case err != nil:
		return nil, err
	}
	f := &store.File{ID: newFileID(), Name: c.Name, Type: c.Type, Size: int64(len(c.Data)), SHA256: c.SHA256,
		Width: c.Width, Height: c.Height, Thumb: c.Thumb != nil}
	keys := []string{files.FileKey(f.ID)}
	if err = s.files.Put(ctx, keys[0], c.Data, c.Type); err == nil && f.Thumb {
		keys = append(keys, files.ThumbKey(f.ID))
		err = s.files.Put(ctx, keys[1], c.Thumb, files.JPEG)
	}
	if err == nil {
		err = s.db.CreateFile(ctx, f)
	}
	if err != nil {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if derr := s.files.Delete(ctx, keys...); derr != nil {
			s.log.Error("an upload failed and its objects remain until the sweep", "file", f.ID, "err", derr)
		}
		return nil, err
	}
	return f, nil
}

func (s *Service) tooLarge() *TooLarge {
	mib := s.fileLimit >> 20
	return &TooLarge{Field: "file", msg: message{fmt.Sprintf("tệp lớn hơn %d MB", mib), fmt.Sprintf("the file is larger than %d MiB", mib)}}
}

// TooLarge is the refusal of a file over the limit, for front-ends that see
// the size before reading it.
func (s *Service) TooLarge() error { return s.tooLarge() }

// newFileID is a random id: file addresses cannot be guessed or counted.
func newFileID() string {
	b := make([]byte, 15)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// OpenFile opens an evidence file to serve, or its thumbnail, for those who
// may see it (policy.SeeFile); to others, and when name is not its name, it
// is unknown. The caller closes the reader.
func (s *Service) OpenFile(ctx context.Context, id, name string, thumb bool) (*store.File, io.ReadCloser, int64, error) {
	f, err := s.db.FileByID(ctx, id)
	if err != nil {
		return nil, nil, 0, err
	}
	if !policy.SeeFile(ActorFrom(ctx), f.UploadedBy, f.Attached) || (!thumb && name != f.Name) || (thumb && !f.Thumb) {
		return nil, nil, 0, store.NewError(store.ErrNotFound, "", "no file %q", id)
	}
	key := files.FileKey(id)
	if thumb {
		key = files.ThumbKey(id)
	}
	r, size, err := s.files.Get(ctx, key)
	if errors.Is(err, files.ErrMissing) {
		s.log.Error("a recorded file has no object in the file store", "file", id, "key", key)
		return nil, nil, 0, store.NewError(store.ErrNotFound, "", "no file %q", id)
	}
	if err != nil {
		return nil, nil, 0, err
	}
	return f, r, size, nil
}

// Sweeping: an upload not attached within staleUpload is abandoned; an
// object without a record (an upload cut off between the two) is removed
// once older than strayObject.
const (
	staleUpload = 24 * time.Hour
	strayObject = time.Hour
)

// SweepFiles deletes abandoned uploads and stray objects, and returns how
// many files and objects it removed.
func (s *Service) SweepFiles(ctx context.Context) (int, error) {
	now := s.db.Now()
	removed := 0
	for {
		stale, err := s.db.StaleFiles(ctx, now.Add(-staleUpload), 500)
		if err != nil {
			return removed, err
		}
		if len(stale) == 0 {
			break
		}
		gone, err := s.db.DeleteFiles(ctx, stale)
		if err != nil {
			return removed, err
		}
		for _, id := range gone {
			if err := s.files.Delete(ctx, files.FileKey(id), files.ThumbKey(id)); err != nil {
				return removed, err
			}
		}
		removed += len(gone)
		if len(gone) < len(stale) {
			break
		}
	}
	for _, prefix := range []string{"files/", "thumbs/"} {
		objs, err := s.files.List(ctx, prefix)
		if err != nil {
			return removed, err
		}
		ids := make([]string, len(objs))
		for i, o := range objs {
			ids[i] = strings.TrimPrefix(o.Key, prefix)
		}
		known, err := s.db.KnownFiles(ctx, ids)
		if err != nil {
			return removed, err
		}
		for i, o := range objs {
			if !known[ids[i]] && o.ModTime.Before(now.Add(-strayObject)) {
				if err := s.files.Delete(ctx, o.Key); err != nil {
					return removed, err
				}
				removed++
			}
		}
	}
	return removed, nil
}
