package app

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/review"
)

// The review pack of a period (sơ kết, tổng kết), as a PDF or a workbook.

func handleReviewPDF(s *Server) fiber.Handler {
	return handleReview(s, "pdf", "application/pdf", review.PDF)
}

func handleReviewXLSX(s *Server) fiber.Handler {
	return handleReview(s, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", review.XLSX)
}

func handleReview(s *Server, ext, ctype string, render func(*platform.Review) ([]byte, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		rv, err := s.svc.Review(c.UserContext(), c.Params("slug"), c.Params("period"))
		if err != nil {
			return err
		}
		body, err := render(rv)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, ctype)
		c.Set(fiber.HeaderContentDisposition, attachment(fileName(review.FileName(rv.Campaign.Slug, rv.Period.Key))+"."+ext,
			review.Heading(rv)+"."+ext))
		c.Set(fiber.HeaderCacheControl, "no-cache") // a provisional pack changes with each run, a final one with revocations
		return c.Send(body)
	}
}

// attachment is a Content-Disposition for a download: an ASCII name for
// every client, and the full name in UTF-8 (RFC 6266, RFC 8187) for those
// that read it.
func attachment(ascii, full string) string {
	full = strings.NewReplacer("/", "-", `\`, "-").Replace(full)
	var b strings.Builder
	for _, c := range []byte(full) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + b.String()
}
