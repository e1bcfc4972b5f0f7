package app

import (
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// problem is an RFC 9457 problem document, the body of every failure.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []fieldError `json:"errors,omitempty"`
}

// problemKinds gives each status its stable type and titles (vi, en).
var problemKinds = map[int]struct {
	typ   string
	title [2]string
}{
	400: {"/problems/malformed", [2]string{"Yêu cầu không đúng định dạng", "Malformed request"}},
	401: {"/problems/unauthenticated", [2]string{"Chưa đăng nhập", "Not signed in"}},
	403: {"/problems/forbidden", [2]string{"Không có quyền", "Forbidden"}},
	404: {"/problems/not-found", [2]string{"Không tìm thấy", "Not found"}},
	405: {"/problems/method-not-allowed", [2]string{"Phương thức không được hỗ trợ", "Method not allowed"}},
	409: {"/problems/conflict", [2]string{"Xung đột", "Conflict"}},
	413: {"/problems/too-large", [2]string{"Nội dung quá lớn", "Request body too large"}},
	415: {"/problems/unsupported-media-type", [2]string{"Kiểu nội dung không được hỗ trợ", "Unsupported media type"}},
	422: {"/problems/invalid", [2]string{"Dữ liệu không hợp lệ", "Invalid input"}},
	429: {"/problems/rate-limited", [2]string{"Quá nhiều yêu cầu", "Too many requests"}},
	500: {"/problems/internal", [2]string{"Lỗi hệ thống", "Internal error"}},
	503: {"/problems/unavailable", [2]string{"Dịch vụ chưa sẵn sàng", "Service unavailable"}},
}

// errorHandler turns every error a handler returns into a problem document.
// Internal errors are logged with the request id; clients never see their text.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	p := s.problemFor(c, err)
	c.Set(fiber.HeaderContentType, "application/problem+json; charset=utf-8")
	c.Vary(fiber.HeaderAcceptLanguage) // the problem is in the caller's language
	return c.Status(p.Status).JSON(p, "application/problem+json; charset=utf-8")
}

func (s *Server) problemFor(c *fiber.Ctx, err error) problem {
	var (
		status int
		detail string
		fields []fieldError
	)
	var (
		fe   *fiber.Error
		st   *statusError
		se   *store.Error
		ie   *invalidError
		me   *malformedError
		inv  *platform.Invalid
		pm   *platform.Malformed
		pc   *platform.Conflict
		rl   *platform.RateLimited
		big  *platform.TooLarge
		uns  *platform.Unsupported
		den  *policy.Denied
		rps  rules.Problems
		lang = lang(c)
	)
	switch {
	case errors.As(err, &ie):
		status, fields = fiber.StatusUnprocessableEntity, ie.fields
	case errors.As(err, &me):
		status, detail = fiber.StatusBadRequest, me.text(lang)
	case errors.As(err, &inv):
		status, fields = fiber.StatusUnprocessableEntity, fieldsOf(c, inv)
	case errors.As(err, &pm):
		status, detail = fiber.StatusBadRequest, pm.Text(lang)
	case errors.As(err, &rps):
		status = fiber.StatusUnprocessableEntity
		for _, p := range rps {
			fields = append(fields, fieldError{Field: p.Path, Message: p.Text(lang), Line: p.Line, Column: p.Column})
		}
	case errors.As(err, &pc):
		status, detail = fiber.StatusConflict, pc.Text(lang)
		if pc.Field != "" {
			fields = []fieldError{{Field: pc.Field, Message: detail}}
		}
	case errors.As(err, &den):
		status, detail = fiber.StatusForbidden, den.Text(lang)
		if den.SignIn {
			status = fiber.StatusUnauthorized
		}
		if den.Field != "" {
			fields = []fieldError{{Field: den.Field, Message: detail}}
		}
	case errors.As(err, &big):
		status, detail = fiber.StatusRequestEntityTooLarge, big.Text(lang)
		fields = []fieldError{{Field: big.Field, Message: detail}}
	case errors.As(err, &uns):
		status, detail = fiber.StatusUnsupportedMediaType, uns.Text(lang)
		fields = []fieldError{{Field: uns.Field, Message: detail}}
	case errors.As(err, &rl):
		status, detail = fiber.StatusTooManyRequests, rl.Text(lang)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(rl.Seconds()))
	case errors.As(err, &se):
		detail = se.Text(lang)
		switch {
		case errors.Is(se, store.ErrNotFound):
			status = fiber.StatusNotFound
		case errors.Is(se, store.ErrConflict):
			status = fiber.StatusConflict
		case errors.Is(se, store.ErrForbidden):
			status = fiber.StatusForbidden
		default:
			status = fiber.StatusUnprocessableEntity
		}
		if se.Field != "" {
			fields = []fieldError{{Field: se.Field, Message: detail}}
		}
	case errors.As(err, &st):
		status, detail = st.status, st.detail
	case errors.As(err, &fe): // Fiber's own refusals: its English text is replaced
		status, detail = fe.Code, fiberDetail(fe.Code, lang)
	case errors.Is(err, context.DeadlineExceeded): // before Unavailable, to which it is a net.Error
		status, detail = fiber.StatusServiceUnavailable, msg(c, "yêu cầu mất quá nhiều thời gian; hãy thử lại sau", "the request took too long; try again later")
	case store.Unavailable(err):
		status, detail = fiber.StatusServiceUnavailable, msg(c, "cơ sở dữ liệu tạm thời không phục vụ được; hãy thử lại sau ít giây",
			"the database is unavailable for a moment; try again in a few seconds")
		c.Set(fiber.HeaderRetryAfter, retryAfterOutage)
		s.log.WarnContext(c.UserContext(), "database unavailable", "err", err, "request_id", requestID(c), "route", c.Route().Path)
	default:
		status = fiber.StatusInternalServerError
	}
	kind, ok := problemKinds[status]
	if !ok {
		kind = problemKinds[500]
		kind.typ = "about:blank"
	}
	if status >= 500 && status != fiber.StatusServiceUnavailable {
		s.log.ErrorContext(c.UserContext(), "request failed", "err", err, "request_id", requestID(c),
			"method", c.Method(), "route", c.Route().Path)
		detail = ""
	}
	title := kind.title[0]
	if lang == langEN {
		title = kind.title[1]
	}
	return problem{Type: kind.typ, Title: title, Status: status, Detail: detail, Errors: fields}
}

// retryAfterOutage is how many seconds a client is asked to wait while the
// database is unavailable.
const retryAfterOutage = "5"

// statusError is a failure of a status with a detail already in the
// caller's language.
type statusError struct {
	status int
	detail string
}

func (e *statusError) Error() string { return strconv.Itoa(e.status) + ": " + e.detail }

// problemOf wraps a status as an error for the handler; detail is in the
// caller's language (msg).
func problemOf(status int, detail string) error { return &statusError{status, detail} }

// fiberDetails say Fiber's own refusals (whose text is English) in both
// languages, by status.
var fiberDetails = map[int][2]string{
	fiber.StatusBadRequest:                  {"không đọc được yêu cầu", "the request cannot be read"},
	fiber.StatusNotFound:                    {"không có đường dẫn này", "no such path"},
	fiber.StatusMethodNotAllowed:            {"đường dẫn này không nhận phương thức này", "this path does not take this method"},
	fiber.StatusRequestTimeout:              {"yêu cầu gửi đến quá chậm", "the request came too slowly"},
	fiber.StatusRequestEntityTooLarge:       {"nội dung gửi lên lớn hơn giới hạn cho phép", "the request body is larger than the limit"},
	fiber.StatusRequestHeaderFieldsTooLarge: {"phần đầu của yêu cầu quá lớn", "the request headers are too large"},
	fiber.StatusUnsupportedMediaType:        {"kiểu nội dung không được hỗ trợ", "unsupported content type"},
}

// fiberDetail is the detail of a refusal of Fiber's of status.
func fiberDetail(status int, lang string) string {
	d, ok := fiberDetails[status]
	if !ok {
		d = fiberDetails[fiber.StatusBadRequest]
	}
	if lang == langEN {
		return d[1]
	}
	return d[0]
}
