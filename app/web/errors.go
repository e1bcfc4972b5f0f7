package web

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/thidua/thidua/app/store"
)

// pageError is a failure shown as a page with a status and a message.
type pageError struct {
	status int
	key    string // of the message in the translation table
}

func (e *pageError) Error() string { return e.key }

var (
	errNotFound   = &pageError{fiber.StatusNotFound, "error.not_found"}
	errForbidden  = &pageError{fiber.StatusForbidden, "error.forbidden"}
	errCSRF       = &pageError{fiber.StatusForbidden, "error.csrf"}
	errSignIn     = &pageError{fiber.StatusUnauthorized, "error.sign_in"}
	errBadRequest = &pageError{fiber.StatusBadRequest, "error.bad_request"}
)

// pageFunc is a page handler: it returns the errors it does not show in
// place, and handle turns them into error pages.
type pageFunc func(c *fiber.Ctx) error

func (h *pages) handle(fn pageFunc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := fn(c); err != nil {
			return h.fail(c, err)
		}
		return nil
	}
}

// errorView is an error page.
type errorView struct {
	page
	Status  int
	Message string
}

// fail shows an error as a page: sign-in required goes to the sign-in form
// and back; unknown things are 404; anything unexpected is logged with the
// request id and shown as an internal error, never with its text.
func (h *pages) fail(c *fiber.Ctx, err error) error {
	if errors.Is(err, errSignIn) {
		return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	pe := &pageError{fiber.StatusInternalServerError, "error.internal"}
	switch {
	case errors.As(err, &pe):
	case errors.Is(err, store.ErrNotFound):
		pe = errNotFound
	case errors.Is(err, store.ErrInvalid):
		pe = errBadRequest // a forged cursor or query: forms show their own problems in place
	default:
		h.Log.ErrorContext(c.UserContext(), "page failed", "err", err, "request_id", requestID(c),
			"method", c.Method(), "route", c.Route().Path)
	}
	lang := langOf(c)
	v := errorView{page: h.base(c, text(lang, "error.title")), Status: pe.status, Message: text(lang, pe.key)}
	return h.render(c, pe.status, "error", "", v)
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestid.ConfigDefault.ContextKey).(string)
	return id
}
