package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The vendored htmx and Pico CSS, the editor's monospace font (see
// static/VERSIONS), and our own CSS and script.
//
//go:embed static/*.js static/*.css static/*.woff2
var staticFS embed.FS

// asset is one static file, with its gzipped form and its content hash.
type asset struct {
	body, gz []byte
	ctype    string
	hash     string
}

// assets are the static files, read and compressed once at start-up. Pages
// link them as /static/<name>?v=<hash>: the hash changes with the content,
// so browsers may keep them for a year.
type assets struct {
	byName map[string]*asset
}

func mustLoadAssets() *assets {
	a := &assets{byName: map[string]*asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(body)
		w.Close()
		ctype := mime.TypeByExtension(path.Ext(p))
		if path.Ext(p) == ".woff2" { // not in every system's table
			ctype = "font/woff2"
		}
		a.byName[path.Base(p)] = &asset{body: body, gz: gz.Bytes(), ctype: ctype, hash: hex.EncodeToString(sum[:6])}
		return nil
	})
	if err != nil {
		panic(err) // the files are embedded: this cannot fail at run time
	}
	return a
}

// url is the versioned address of a static file, for the templates.
func (a *assets) url(name string) (string, error) {
	f, ok := a.byName[name]
	if !ok {
		return "", fs.ErrNotExist
	}
	return "/static/" + name + "?v=" + f.hash, nil
}

// serve sends a static file, gzipped when the browser accepts it, with its
// hash as ETag; a versioned request is cacheable for a year.
func (a *assets) serve(c *fiber.Ctx) error {
	f, ok := a.byName[c.Params("name")]
	if !ok {
		return c.SendStatus(fiber.StatusNotFound)
	}
	etag := `"` + f.hash + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if c.Query("v") == f.hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, f.ctype)
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(f.gz)
	}
	return c.Send(f.body)
}
