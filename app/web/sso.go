package web

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/sso"
)

// ssoView is the page of a failed single sign-on.
type ssoView struct {
	page
	Message string
	Next    string
}

// ssoStart sends the visitor to the city's provider, keeping the sign-in's
// state, nonce and PKCE verifier in a cookie for the way back.
func (h *pages) ssoStart(c *fiber.Ctx) error {
	if h.SSO == nil {
		return errNotFound
	}
	next := localPath(c.Query("next"), "/me")
	authURL, cookie, err := h.SSO.Begin(c.UserContext(), h.siteURL(c)+sso.CookiePath+"/callback", next)
	if err != nil {
		return h.ssoFailed(c, err, "")
	}
	c.Cookie(&fiber.Cookie{Name: sso.CookieName, Value: cookie, Path: sso.CookiePath, MaxAge: 600,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(authURL, fiber.StatusSeeOther)
}

// ssoCallback is where the provider sends the visitor back: the answer is
// checked against the cookie (which is then forgotten: an answer is used
// once), and the visitor signs in as the user with the verified address.
func (h *pages) ssoCallback(c *fiber.Ctx) error {
	if h.SSO == nil {
		return errNotFound
	}
	cookie := c.Cookies(sso.CookieName)
	c.Cookie(&fiber.Cookie{Name: sso.CookieName, Value: "", Path: sso.CookiePath, MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
	q := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	id, next, err := h.SSO.Finish(c.UserContext(), h.siteURL(c)+sso.CookiePath+"/callback", cookie, q)
	if err != nil {
		return h.ssoFailed(c, err, "")
	}
	sess, err := h.Platform.SignInByEmail(c.UserContext(), id.Email)
	if err != nil {
		return h.ssoFailed(c, err, id.Email)
	}
	h.setCookie(c, sessionCookie, sess.Token, sess.ExpiresAt)
	h.clearCookie(c, presessionCookie)
	return c.Redirect(localPath(next, "/me"), fiber.StatusSeeOther)
}

// ssoFailed shows why a single sign-on failed, with a way to try again.
func (h *pages) ssoFailed(c *fiber.Ctx, err error, email string) error {
	var f *sso.Error
	lang := langOf(c)
	v := ssoView{page: h.base(c, text(lang, "sso.failed"))}
	status := fiber.StatusBadRequest
	switch {
	case errors.Is(err, platform.ErrUnknownPerson):
		status, v.Message = fiber.StatusForbidden, fmt.Sprintf(text(lang, "sso.unknown"), email)
	case errors.As(err, &f):
		h.Log.Warn("single sign-on refused", "failure", f.Failure, "err", f.Err)
		v.Message = text(lang, "sso."+string(f.Failure))
		switch f.Failure {
		case sso.NoEmail, sso.Refused:
			status = fiber.StatusForbidden
		case sso.Unreachable:
			status = fiber.StatusServiceUnavailable
		}
	default:
		return err
	}
	return h.render(c, status, "sso", "", v)
}
