// Package filestest serves a real S3 protocol endpoint on loopback for
// tests (gofakes3 over HTTP), and makes the images tests upload.
package filestest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 starts an S3-compatible server with an empty bucket "evidence" for
// the test, and returns the THIDUA_FILES URL of that bucket; the test's
// environment holds the credentials.
func S3(t testing.TB) string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("evidence"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	return "s3://evidence?endpoint=" + srv.URL + "&region=us-east-1&use_path_style=true"
}

// Secret is the text PhotoWithGPS hides in its EXIF data.
const Secret = "Nha van hoa to dan pho 5"

// PhotoWithGPS is a w×h JPEG, as a phone takes it: EXIF data with GPS
// coordinates (21.0285 N), a description (Secret) and orientation 6 (the
// camera was turned: the image shows upright rotated to h×w).
func PhotoWithGPS(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	plain := buf.Bytes()
	exif := exifSegment()
	out := append([]byte{}, plain[:2]...) // SOI
	out = append(out, exif...)
	return append(out, plain[2:]...)
}

// exifSegment is an APP1 segment: IFD0 with an orientation, a description
// and a pointer to a GPS IFD with a latitude.
func exifSegment() []byte {
	le := binary.LittleEndian
	var t []byte
	u16 := func(v uint16) { t = le.AppendUint16(t, v) }
	u32 := func(v uint32) { t = le.AppendUint32(t, v) }
	desc := append([]byte(Secret), 0)
	const ifd0 = 8
	descAt := uint32(ifd0 + 2 + 3*12 + 4)
	gpsAt := descAt + uint32(len(desc))
	if gpsAt%2 == 1 {
		gpsAt++
	}
	latAt := gpsAt + 2 + 2*12 + 4
	t = append(t, 'I', 'I')
	u16(42)
	u32(ifd0)
	u16(3)
	u16(0x010E) // ImageDescription
	u16(2)
	u32(uint32(len(desc)))
	u32(descAt)
	u16(0x0112) // Orientation
	u16(3)
	u32(1)
	u16(6)
	u16(0)
	u16(0x8825) // GPS IFD
	u16(4)
	u32(1)
	u32(gpsAt)
	u32(0)
	t = append(t, desc...)
	for uint32(len(t)) < gpsAt {
		t = append(t, 0)
	}
	u16(2)
	u16(0x0001) // GPSLatitudeRef
	u16(2)
	u32(2)
	t = append(t, 'N', 0, 0, 0)
	u16(0x0002) // GPSLatitude
	u16(5)
	u32(3)
	u32(latAt)
	u32(0)
	for _, r := range [][2]uint32{{21, 1}, {1, 1}, {426, 100}} {
		u32(r[0])
		u32(r[1])
	}
	body := append([]byte("Exif\x00\x00"), t...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(body)+2))
	return append(seg, body...)
}
