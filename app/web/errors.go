package web

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
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
	// errUnavailable is the database out of reach for a moment.
	errUnavailable = &pageError{fiber.StatusServiceUnavailable, "error.unavailable"}
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
// and back; a refusal of the policy or of the data's state says why;
// unknown things are 404; anything unexpected is logged with the request
// id and shown as an internal error, never with its text.
func (h *pages) fail(c *fiber.Ctx, err error) error {
	var denied *policy.Denied
	if errors.Is(err, errSignIn) || (errors.As(err, &denied) && denied.SignIn) {
		return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	lang := langOf(c)
	pe := &pageError{fiber.StatusInternalServerError, "error.internal"}
	message := ""
	var conflict *platform.Conflict
	switch {
	case errors.As(err, &pe):
	case errors.As(err, &denied):
		pe, message = errForbidden, denied.Text(lang)
	case errors.As(err, &conflict):
		pe, message = &pageError{fiber.StatusConflict, "error.conflict"}, conflict.Text(lang)
	case store.Unavailable(err):
		pe = errUnavailable
		c.Set(fiber.HeaderRetryAfter, "5")
		h.Log.WarnContext(c.UserContext(), "database unavailable", "err", err, "request_id", requestID(c), "route", c.Route().Path)
	case errors.Is(err, store.ErrNotFound):
		pe = errNotFound
	case errors.Is(err, store.ErrForbidden):
		pe = errForbidden
	case errors.Is(err, store.ErrInvalid):
		pe = errBadRequest // a forged cursor or query: forms show their own problems in place
	default:
		h.Log.ErrorContext(c.UserContext(), "page failed", "err", err, "request_id", requestID(c),
			"method", c.Method(), "route", c.Route().Path)
	}
	if message == "" {
		message = text(lang, pe.key)
	}
	v := errorView{page: h.base(c, text(lang, "error.title")), Status: pe.status, Message: message}
	return h.render(c, pe.status, "error", "", v)
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestid.ConfigDefault.ContextKey).(string)
	return id
}
