package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// sessionCookie holds a signed-in browser's session token (the API reads
// the same cookie). The token is random; the database keeps only its
// SHA-256.
const sessionCookie = "thidua_session"

// Keys of what the session middleware leaves for the handlers.
const (
	localLang = "web.lang"
	localCSRF = "web.csrf"
)

// session reads the page's language and gives the page its CSRF token. The
// visitor's user is the one the service's authentication found for the
// session cookie; a stale cookie is dropped, and the visitor browses as
// anyone.
func (h *pages) session(c *fiber.Ctx) error {
	h.loadSession(c)
	return c.Next()
}

// loadSession does the session middleware's work, for handlers outside it.
func (h *pages) loadSession(c *fiber.Ctx) {
	c.Locals(localLang, pickLang(c))
	key := ""
	if tok := c.Cookies(sessionCookie); tok != "" {
		if userOf(c) != nil {
			key = tok
		} else {
			h.clearCookie(c, sessionCookie)
		}
	}
	if key == "" {
		key = h.presession(c)
	}
	c.Locals(localCSRF, csrfToken(key))
}

func langOf(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return vi
}

// userOf is the signed-in visitor, or nil.
func userOf(c *fiber.Ctx) *store.User { return platform.UserFrom(c.UserContext()) }

// actorOf is the visitor as the policy sees it.
func actorOf(c *fiber.Ctx) policy.Actor { return platform.ActorFrom(c.UserContext()) }

func csrfOf(c *fiber.Ctx) string {
	s, _ := c.Locals(localCSRF).(string)
	return s
}

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure over https.
func (h *pages) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", Expires: expires,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
}

func (h *pages) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
}

// loginView is the sign-in form.
type loginView struct {
	page
	Username string
	Next     string
	Error    string
	SSO      bool // the city's sign-in is offered
	Local    bool // the password form is
}

func (h *pages) loginForm(c *fiber.Ctx) error {
	if userOf(c) != nil {
		return c.Redirect(localPath(c.Query("next"), "/me"), fiber.StatusSeeOther)
	}
	v := loginView{page: h.base(c, text(langOf(c), "login.title")), Next: localPath(c.Query("next"), ""),
		SSO: h.SSO != nil, Local: h.LocalLogin}
	return h.render(c, fiber.StatusOK, "login", "", v)
}

// login checks the credentials, sets the session cookie and goes on to the
// page the visitor came for.
func (h *pages) login(c *fiber.Ctx) error {
	username, pw := strings.TrimSpace(c.FormValue("username")), c.FormValue("password")
	v := loginView{page: h.base(c, text(langOf(c), "login.title")), Username: username,
		Next: localPath(c.FormValue("next"), ""), SSO: h.SSO != nil, Local: h.LocalLogin}
	if !h.LocalLogin {
		v.Error = text(v.Lang, "login.local_off")
		return h.render(c, fiber.StatusForbidden, "login", "", v)
	}
	if username == "" || pw == "" {
		v.Error = text(v.Lang, "login.missing")
		return h.render(c, fiber.StatusUnprocessableEntity, "login", "", v)
	}
	sess, err := h.Platform.SignIn(c.UserContext(), username, pw, c.IP())
	var limited *platform.RateLimited
	switch {
	case errors.Is(err, platform.ErrWrongPassword):
		v.Error = text(v.Lang, "login.wrong")
		return h.render(c, fiber.StatusUnauthorized, "login", "", v)
	case errors.As(err, &limited):
		v.Error = limited.Text(v.Lang)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(limited.Seconds()))
		return h.render(c, fiber.StatusTooManyRequests, "login", "", v)
	case err != nil:
		return err
	}
	h.setCookie(c, sessionCookie, sess.Token, sess.ExpiresAt)
	h.clearCookie(c, presessionCookie)
	return c.Redirect(localPath(v.Next, "/me"), fiber.StatusSeeOther)
}

// logout revokes the session and forgets its cookie.
func (h *pages) logout(c *fiber.Ctx) error {
	if tok := c.Cookies(sessionCookie); tok != "" && userOf(c) != nil {
		if err := h.Platform.SignOut(c.UserContext(), tok); err != nil {
			return err
		}
	}
	h.clearCookie(c, sessionCookie)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// localPath keeps a redirect target on this site: a path, not a URL
// elsewhere ("//evil.example" or "/\evil.example" included).
func localPath(p, fallback string) string {
	// Browsers drop tabs and newlines and read "\" as "/", so "/\t/evil"
	// would lead off the site: a path with any of them is refused whole.
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\") ||
		strings.ContainsFunc(p, unicode.IsControl) {
		return fallback
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return p
}
