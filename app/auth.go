package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// sessionCookie holds the token of a signed-in browser.
const sessionCookie = "thidua_session"

// authenticate reads a Bearer token (or the session cookie) and, if it is
// live, makes its user the actor of the request's context, for the API and
// the pages alike. Whether a route needs a user, and whether the cookie may
// sign it in, its guard decides (the pages' forms carry a CSRF token; the
// API's writes need the header).
func (s *Server) authenticate(c *fiber.Ctx) error {
	secret := ""
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
			return problemOf(fiber.StatusUnauthorized, msg(c, "tiêu đề Authorization phải có dạng: Bearer <token>", "the Authorization header must be: Bearer <token>"))
		}
		secret = tok
	} else if v := c.Cookies(sessionCookie); v != "" {
		secret = v
		c.Locals(cookieKey, true)
	}
	if secret == "" {
		return c.Next()
	}
	u, err := s.svc.Authenticate(c.UserContext(), secret)
	if errors.Is(err, store.ErrNotFound) {
		if c.Get(fiber.HeaderAuthorization) != "" {
			return problemOf(fiber.StatusUnauthorized, msg(c, "mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi", "the token is invalid, expired or revoked"))
		}
		return c.Next() // a stale cookie: browse as a visitor
	}
	if err != nil {
		return err
	}
	c.SetUserContext(platform.WithUser(c.UserContext(), u, requestID(c)))
	return c.Next()
}

// cookieKey marks a request signed in by the session cookie.
const cookieKey = "auth.cookie"

// byCookie reports whether the session cookie signed the request in.
func byCookie(c *fiber.Ctx) bool {
	v, _ := c.Locals(cookieKey).(bool)
	return v && currentUser(c) != nil
}

func currentUser(c *fiber.Ctx) *store.User { return platform.UserFrom(c.UserContext()) }

func currentUsername(c *fiber.Ctx) string {
	if u := currentUser(c); u != nil {
		return u.Username
	}
	return ""
}

type loginRequest struct {
	Username string `json:"username" validate:"required,max=64"`
	Password string `json:"password" validate:"required,max=256"`
}

func handleLogin(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !s.cfg.LocalLogin {
			return problemOf(fiber.StatusForbidden, msg(c, "đăng nhập bằng mật khẩu đã tắt: hãy đăng nhập bằng tài khoản thành phố",
				"password sign-in is off: sign in with the city account"))
		}
		var req loginRequest
		if err := decode(c, &req); err != nil {
			return err
		}
		if err := platform.Validate(&req); err != nil {
			return err
		}
		sess, err := s.svc.SignIn(c.UserContext(), req.Username, req.Password, c.IP())
		if errors.Is(err, platform.ErrWrongPassword) {
			return problemOf(fiber.StatusUnauthorized, msg(c, "sai tên đăng nhập hoặc mật khẩu", "wrong username or password"))
		}
		if err != nil {
			return err
		}
		return c.JSON(sess)
	}
}

func handleLogout(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, tok, _ := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
		if tok == "" {
			tok = c.Cookies(sessionCookie)
		}
		if err := s.svc.SignOut(c.UserContext(), tok); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

func handleMe(c *fiber.Ctx) error { return c.JSON(currentUser(c)) }

// safeMethod reports whether an HTTP method only reads.
func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}
