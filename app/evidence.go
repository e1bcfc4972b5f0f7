package app

import (
	"io"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/files"
	"github.com/thidua/thidua/app/store"
)

// handleFileUpload keeps the multipart field "file" as an evidence file.
func handleFileUpload(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		fh, err := c.FormFile("file")
		if err != nil {
			return &invalidError{fields: []fieldError{{Field: "file", Message: msg(c,
				"hãy gửi tệp trong trường multipart \"file\"", `send the file as the multipart field "file"`)}}}
		}
		if fh.Size > s.svc.FileLimit() {
			return s.svc.TooLarge()
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, s.svc.FileLimit()+1))
		if err != nil {
			return err
		}
		kept, err := s.svc.UploadFile(c.UserContext(), fh.Filename, data)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(kept)
	}
}

// handleFileGet serves an evidence file (thumb false) or its thumbnail.
func handleFileGet(s *Server, thumb bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		name, err := url.PathUnescape(c.Params("name"))
		if err != nil {
			return problemOf(fiber.StatusNotFound, msg(c, "không có tệp này", "no such file"))
		}
		f, r, size, err := s.svc.OpenFile(c.UserContext(), c.Params("id"), name, thumb)
		if err != nil {
			return err
		}
		serveFile(c, f, thumb)
		if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && match == c.GetRespHeader(fiber.HeaderETag) {
			r.Close()
			return c.SendStatus(fiber.StatusNotModified)
		}
		return c.SendStream(r, int(size))
	}
}

// serveFile sets the headers of a file served: its type, never sniffed, in
// a sandbox that runs nothing; an image shown in place, anything else (a
// PDF, which may carry scripts) only downloaded.
func serveFile(c *fiber.Ctx, f *store.File, thumb bool) {
	typ, disposition, name := f.Type, "attachment", f.Name
	if thumb {
		typ, name = files.JPEG, strings.TrimSuffix(f.Name, "."+extension(f.Name))+"-thumb.jpg"
	}
	if strings.HasPrefix(typ, "image/") {
		disposition = "inline"
	}
	c.Set(fiber.HeaderContentType, typ)
	c.Set(fiber.HeaderContentDisposition, disposition+`; filename="`+asciiName(name)+`"; filename*=UTF-8''`+url.PathEscape(name))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	etag := `"` + f.SHA256
	if thumb {
		etag += "-t"
	}
	c.Set(fiber.HeaderETag, etag+`"`)
	if f.Attached {
		c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	} else {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
}

func extension(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}

// asciiName is a file name for clients that read only filename="…":
// letters outside ASCII as underscores.
func asciiName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			b.WriteByte('_')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
