package web

import (
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/thidua/thidua/app/store"
)

// sessionCookie holds a signed-in browser's session token (the API reads
// the same cookie). The token is random; the database keeps only its
// SHA-256.
const sessionCookie = "thidua_session"

// Keys of what the session middleware leaves for the handlers.
const (
	localLang  = "web.lang"
	localUser  = "web.user"
	localToken = "web.token"
	localCSRF  = "web.csrf"
)

// session reads the page's language and the visitor's session, and gives
// the page its CSRF token. A stale session cookie is dropped: the visitor
// browses as anyone.
func (h *pages) session(c *fiber.Ctx) error {
	if err := h.loadSession(c); err != nil {
		return err
	}
	return c.Next()
}

// loadSession does the session middleware's work, for handlers outside it.
func (h *pages) loadSession(c *fiber.Ctx) error {
	c.Locals(localLang, pickLang(c))
	key := ""
	if tok := c.Cookies(sessionCookie); tok != "" {
		u, err := h.User(c.UserContext(), tok)
		switch {
		case err == nil:
			c.Locals(localUser, u)
			c.Locals(localToken, tok)
			key = tok
			c.SetUserContext(store.WithActor(c.UserContext(), store.Actor{Username: u.Username, RequestID: requestID(c)}))
		case errors.Is(err, store.ErrNotFound):
			h.clearCookie(c, sessionCookie)
		default:
			return err
		}
	}
	if key == "" {
		key = h.presession(c)
	}
	c.Locals(localCSRF, csrfToken(key))
	return nil
}

func langOf(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return vi
}

func userOf(c *fiber.Ctx) *store.User {
	u, _ := c.Locals(localUser).(*store.User)
	return u
}

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
}

func (h *pages) loginForm(c *fiber.Ctx) error {
	if userOf(c) != nil {
		return c.Redirect(localPath(c.Query("next"), "/me"), fiber.StatusSeeOther)
	}
	v := loginView{page: h.base(c, text(langOf(c), "login.title")), Next: localPath(c.Query("next"), "")}
	return h.render(c, fiber.StatusOK, "login", "", v)
}

// login checks the credentials, sets the session cookie and goes on to the
// page the visitor came for.
func (h *pages) login(c *fiber.Ctx) error {
	username, pw := strings.TrimSpace(c.FormValue("username")), c.FormValue("password")
	v := loginView{page: h.base(c, text(langOf(c), "login.title")), Username: username,
		Next: localPath(c.FormValue("next"), "")}
	if username == "" || pw == "" {
		v.Error = text(v.Lang, "login.missing")
		return h.render(c, fiber.StatusUnprocessableEntity, "login", "", v)
	}
	sess, err := h.SignIn(c.UserContext(), username, pw)
	if errors.Is(err, ErrWrongPassword) {
		v.Error = text(v.Lang, "login.wrong")
		return h.render(c, fiber.StatusUnauthorized, "login", "", v)
	}
	if err != nil {
		return err
	}
	h.setCookie(c, sessionCookie, sess.Token, sess.Expires)
	h.clearCookie(c, presessionCookie)
	return c.Redirect(localPath(v.Next, "/me"), fiber.StatusSeeOther)
}

// logout revokes the session and forgets its cookie.
func (h *pages) logout(c *fiber.Ctx) error {
	if tok, ok := c.Locals(localToken).(string); ok {
		if err := h.SignOut(c.UserContext(), tok); err != nil {
			return err
		}
	}
	h.clearCookie(c, sessionCookie)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// loginLimiter slows down password guessing through the form: per address
// and username, as the API's sign-in.
func (h *pages) loginLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        20,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			return "web|" + c.IP() + "|" + strings.ToLower(c.FormValue("username"))
		},
		LimitReached: func(c *fiber.Ctx) error {
			v := loginView{page: h.base(c, text(langOf(c), "login.title")), Error: text(langOf(c), "login.limited")}
			return h.render(c, fiber.StatusTooManyRequests, "login", "", v)
		},
	})
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

// requireUser returns the signed-in user, or errSignIn, which sends the
// visitor to the sign-in form and back.
func requireUser(c *fiber.Ctx) (*store.User, error) {
	if u := userOf(c); u != nil {
		return u, nil
	}
	return nil, errSignIn
}

// requireRole returns the signed-in user when they have the role.
func requireRole(c *fiber.Ctx, role string) (*store.User, error) {
	u, err := requireUser(c)
	if err != nil {
		return nil, err
	}
	if u.Role != role {
		return nil, errForbidden
	}
	return u, nil
}

// requireAdmin returns the signed-in organiser.
func requireAdmin(c *fiber.Ctx) (*store.User, error) {
	return requireRole(c, store.RoleAdmin)
}

// actFor checks on the server that the user may act for the unit: an admin
// for any, a unit officer for their own only.
func actFor(u *store.User, unit string) error {
	if u.Role == store.RoleAdmin || (u.Role == store.RoleUnit && u.Unit == unit) {
		return nil
	}
	return errForbidden
}
