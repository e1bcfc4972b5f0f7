package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/thidua/thidua/app/files"
	"github.com/thidua/thidua/app/files/filestest"
)

func TestSanitisePhoto(t *testing.T) {
	photo := filestest.PhotoWithGPS(t, 1200, 600)
	if !bytes.Contains(photo, []byte("Exif")) || !bytes.Contains(photo, []byte(filestest.Secret)) {
		t.Fatal("the test photo carries no EXIF data")
	}
	c, err := files.Sanitise(`C:\Ảnh\lớp học kỹ năng số.JPG`, photo)
	if err != nil {
		t.Fatal(err)
	}
	if c.Type != files.JPEG || c.Name != "lớp học kỹ năng số.jpg" {
		t.Errorf("type %s, name %q", c.Type, c.Name)
	}
	for _, leak := range []string{"Exif", filestest.Secret} {
		if bytes.Contains(c.Data, []byte(leak)) || bytes.Contains(c.Thumb, []byte(leak)) {
			t.Errorf("%q kept after cleaning", leak)
		}
	}
	// Orientation 6: the stored image is turned upright, 600×1200.
	img, _, err := image.DecodeConfig(bytes.NewReader(c.Data))
	if err != nil || img.Width != 600 || img.Height != 1200 || c.Width != 600 || c.Height != 1200 {
		t.Errorf("stored %dx%d (%v), recorded %dx%d; want 600x1200", img.Width, img.Height, err, c.Width, c.Height)
	}
	th, _, err := image.DecodeConfig(bytes.NewReader(c.Thumb))
	if err != nil || th.Height != files.ThumbSize || th.Width != files.ThumbSize/2 {
		t.Errorf("thumbnail %dx%d (%v), want %dx%d", th.Width, th.Height, err, files.ThumbSize/2, files.ThumbSize)
	}
	if len(c.SHA256) != 64 {
		t.Errorf("sha256 %q", c.SHA256)
	}
}

func TestSanitiseByTheBytes(t *testing.T) {
	var pngData bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 10, 10))
	img.Set(1, 1, color.NRGBA{255, 0, 0, 128}) // some transparency: stays PNG
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	var zipData bytes.Buffer
	zw := zip.NewWriter(&zipData)
	w, _ := zw.Create("virus.exe")
	w.Write([]byte("MZ"))
	zw.Close()
	webp, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	for _, tc := range []struct {
		name     string
		data     []byte
		err      error
		typ, out string
	}{
		{"ảnh.jpg", pngData.Bytes(), nil, files.PNG, "ảnh.png"}, // a PNG that says it is a JPEG
		{"photo.jpg", zipData.Bytes(), files.ErrUnsupported, "", ""},
		{"empty.jpg", nil, files.ErrEmpty, "", ""},
		{"note.txt", []byte("Báo cáo"), files.ErrUnsupported, "", ""},
		{"broken.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00garbage"), files.ErrUnreadable, "", ""},
		{"huge.png", hugePNG(t), files.ErrHuge, "", ""},
		{"chợ.webp", webp, nil, files.JPEG, "chợ.jpg"}, // stored as a JPEG, without its metadata
		{"../../etc/kế hoạch.pdf", pdf, nil, files.PDF, "kế hoạch.pdf"},
		{"\u202etxt.exe", pdf, nil, files.PDF, "txt.pdf"},
	} {
		c, err := files.Sanitise(tc.name, tc.data)
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.err)
			continue
		}
		if err != nil {
			continue
		}
		if c.Type != tc.typ || c.Name != tc.out {
			t.Errorf("%s: %s %q, want %s %q", tc.name, c.Type, c.Name, tc.typ, tc.out)
		}
	}
	c, _ := files.Sanitise("a.pdf", pdf)
	if !bytes.Equal(c.Data, pdf) || c.Thumb != nil {
		t.Error("a PDF is kept as it is, without a thumbnail")
	}
}

// hugePNG is a tiny file whose header claims 100,000 × 100,000 pixels.
func hugePNG(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], 100_000)
	binary.BigEndian.PutUint32(b[20:], 100_000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// TestBuckets writes, reads, lists and deletes on local disk and on an S3
// server (gofakes3, over HTTP on loopback).
func TestBuckets(t *testing.T) {
	for name, where := range map[string]func(t *testing.T) string{
		"disk": func(t *testing.T) string { return t.TempDir() + "/files" },
		"s3":   func(t *testing.T) string { return filestest.S3(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b, err := files.Open(ctx, where(t))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			data := filestest.PhotoWithGPS(t, 64, 32)
			if err := b.Put(ctx, files.FileKey("abc"), data, files.JPEG); err != nil {
				t.Fatal(err)
			}
			if err := b.Put(ctx, files.ThumbKey("abc"), []byte("thumb"), files.JPEG); err != nil {
				t.Fatal(err)
			}
			r, size, err := b.Get(ctx, files.FileKey("abc"))
			if err != nil || size != int64(len(data)) {
				t.Fatalf("get: size %d, %v", size, err)
			}
			var got bytes.Buffer
			got.ReadFrom(r)
			r.Close()
			if !bytes.Equal(got.Bytes(), data) {
				t.Error("read back other bytes")
			}
			if objs, err := b.List(ctx, "files/"); err != nil || len(objs) != 1 || objs[0].Key != "files/abc" ||
				time.Since(objs[0].ModTime) > time.Minute {
				t.Errorf("list %v, %v", objs, err)
			}
			if err := b.Delete(ctx, files.FileKey("abc"), files.ThumbKey("abc"), files.FileKey("gone")); err != nil {
				t.Fatal(err)
			}
			if _, _, err := b.Get(ctx, files.FileKey("abc")); !errors.Is(err, files.ErrMissing) {
				t.Errorf("get after delete: %v, want ErrMissing", err)
			}
			if objs, _ := b.List(ctx, ""); len(objs) != 0 {
				t.Errorf("left %v", objs)
			}
		})
	}
	if _, err := files.Open(context.Background(), "ftp://x/y"); err == nil {
		t.Error("an ftp:// store opened")
	}
}

// BenchmarkSanitisePhoto cleans a phone's 12-megapixel photo: decode, turn
// upright, encode again, thumbnail.
func BenchmarkSanitisePhoto(b *testing.B) {
	photo := filestest.PhotoWithGPS(b, 4000, 3000)
	b.SetBytes(int64(len(photo)))
	for b.Loop() {
		if _, err := files.Sanitise("ảnh.jpg", photo); err != nil {
			b.Fatal(err)
		}
	}
}
