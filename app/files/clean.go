package files

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"unicode"

	"github.com/disintegration/imaging"
	"github.com/gabriel-vasile/mimetype"
	_ "golang.org/x/image/webp" // WebP photos decode; they are stored re-encoded
	"golang.org/x/text/unicode/norm"
)

// The kinds of file accepted, by the type their bytes say.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	WebP = "image/webp"
	PDF  = "application/pdf"
)

// Accepted lists the accepted types, for forms and messages.
var Accepted = []string{JPEG, PNG, WebP, PDF}

// Why a file is refused.
var (
	ErrEmpty       = errors.New("the file is empty")
	ErrUnsupported = errors.New("the file is not a JPEG, PNG or WebP image or a PDF")
	ErrUnreadable  = errors.New("the image cannot be read")
	ErrHuge        = errors.New("the image has too many pixels")
)

// MaxPixels bounds an image's size once decoded (a phone's photo has some
// 12 to 50 million), so that a small file cannot expand into gigabytes.
const MaxPixels = 60_000_000

// ThumbSize is the longest side of a thumbnail, in pixels.
const ThumbSize = 480

// Clean is a file made safe to keep and serve: its type sniffed from its
// bytes, an image decoded, turned upright and encoded again (which leaves
// its EXIF data — GPS position, camera, time — behind), with a thumbnail.
type Clean struct {
	Name, Type    string
	Data, Thumb   []byte
	SHA256        string
	Width, Height int
}

// Sanitise turns data, uploaded as name, into a Clean file, or says why it
// is refused (ErrEmpty, ErrUnsupported, ErrUnreadable, ErrHuge). The type
// the client claimed is never asked: a ZIP named .jpg is refused, and a PNG
// named .jpg is kept as a PNG named .png. A PDF is kept as it is (it is
// only ever served as a download).
func Sanitise(name string, data []byte) (*Clean, error) {
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	out := &Clean{Type: mimetype.Detect(data).String()}
	if i := strings.IndexByte(out.Type, ';'); i >= 0 {
		out.Type = out.Type[:i]
	}
	switch out.Type {
	case PDF:
		out.Data = data
	case JPEG, PNG, WebP:
		if err := out.image(data); err != nil {
			return nil, err
		}
	default:
		return nil, ErrUnsupported
	}
	sum := sha256.Sum256(out.Data)
	out.SHA256 = hex.EncodeToString(sum[:])
	out.Name = fileName(name, out.Type)
	return out, nil
}

func (c *Clean) image(data []byte) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return ErrHuge
	}
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	b := img.Bounds()
	c.Width, c.Height = b.Dx(), b.Dy()
	var buf bytes.Buffer
	if c.Type == PNG || !opaque(img) {
		c.Type = PNG
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	} else {
		c.Type = JPEG
		err = jpeg.Encode(&buf, asRGBA(img), &jpeg.Options{Quality: 88})
	}
	if err != nil {
		return err
	}
	c.Data = buf.Bytes()
	thumb := imaging.Fit(img, ThumbSize, ThumbSize, imaging.Lanczos)
	if !opaque(img) { // a JPEG has no transparency: on white
		bg := imaging.New(thumb.Bounds().Dx(), thumb.Bounds().Dy(), color.White)
		thumb = imaging.Overlay(bg, thumb, image.Point{}, 1)
	}
	var tb bytes.Buffer
	if err := jpeg.Encode(&tb, asRGBA(thumb), &jpeg.Options{Quality: 80}); err != nil {
		return err
	}
	c.Thumb = tb.Bytes()
	return nil
}

// asRGBA is an opaque image as *image.RGBA, which the JPEG encoder reads
// in bulk rather than a pixel at a time: an opaque NRGBA image has the same
// bytes, shared, not copied.
func asRGBA(img image.Image) image.Image {
	if n, ok := img.(*image.NRGBA); ok && n.Opaque() {
		return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	return img
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// fileName is a file's name made safe to show and to send in a header:
// its last path element, NFC, without control characters, at most 120
// characters, with the extension of its real type.
func fileName(name, typ string) string {
	name = norm.NFC.String(path.Base(strings.ReplaceAll(name, `\`, "/")))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.TrimSuffix(name, path.Ext(name)))
	if name == "" || name == "." {
		name = "minh-chung"
	}
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	return name + map[string]string{JPEG: ".jpg", PNG: ".png", WebP: ".webp", PDF: ".pdf"}[typ]
}
