package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/thidua/thidua/app/store"
)

// permission is something a role may do. Unit officers' permissions are
// further limited to their own unit (see actFor).
type permission string

const (
	permManageUsers     permission = "users:manage"
	permManageUnits     permission = "units:manage"
	permManageCampaigns permission = "campaigns:manage"
	permSignCovenant    permission = "covenants:sign"
	permReport          permission = "reports:put"
	permEditProject     permission = "projects:edit"
	permPostProgress    permission = "projects:progress"
	permReviewProject   permission = "projects:review" // verify or reject
	permReadAudit       permission = "audit:read"
	permRunScoring      permission = "runs:create"
	permGrantHonours    permission = "honours:grant"
	permManageJudging   permission = "judging:manage" // committees, assignments, lock
	permScore           permission = "judging:score"
	permReadScores      permission = "judging:read" // further limited by conflicts (see ProjectScores)
)

// rolePermissions is the one table of who may do what.
var rolePermissions = map[string][]permission{
	store.RoleAdmin: {permManageUsers, permManageUnits, permManageCampaigns, permSignCovenant, permReport,
		permEditProject, permReviewProject, permReadAudit, permManageJudging, permReadScores,
		permRunScoring, permGrantHonours},
	store.RoleUnit:  {permSignCovenant, permReport, permEditProject, permPostProgress},
	store.RoleJudge: {permScore, permReadScores},
}

func can(role string, p permission) bool {
	for _, q := range rolePermissions[role] {
		if q == p {
			return true
		}
	}
	return false
}

const userKey = "user"

// sessionCookie holds the token of a signed-in browser.
const sessionCookie = "thidua_session"

// authenticate reads a Bearer token (or the session cookie) and, if it is
// live, makes its user the request's actor. Whether a route needs a user is
// decided by require. The cookie signs in the pages, whose forms carry a
// CSRF token, and the API's reads; a write to the API needs the header, so
// that another site cannot make a signed-in browser send one.
func (s *Server) authenticate(c *fiber.Ctx) error {
	secret := ""
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
			return problemOf(fiber.StatusUnauthorized, "the Authorization header must be: Bearer <token>")
		}
		secret = tok
	} else if v := c.Cookies(sessionCookie); v != "" && (!strings.HasPrefix(c.Path(), "/api/") || safeMethod(c.Method())) {
		secret = v
	}
	if secret == "" {
		return c.Next()
	}
	u, err := s.db.UserByToken(c.UserContext(), hashToken(secret))
	if errors.Is(err, store.ErrNotFound) {
		if c.Get(fiber.HeaderAuthorization) != "" {
			return problemOf(fiber.StatusUnauthorized, "the token is invalid, expired or revoked")
		}
		return c.Next() // a stale cookie: browse as a visitor
	}
	if err != nil {
		return err
	}
	c.Locals(userKey, u)
	c.SetUserContext(store.WithActor(c.UserContext(), store.Actor{Username: u.Username, RequestID: requestID(c)}))
	return c.Next()
}

func currentUser(c *fiber.Ctx) *store.User {
	u, _ := c.Locals(userKey).(*store.User)
	return u
}

func currentUsername(c *fiber.Ctx) string {
	if u := currentUser(c); u != nil {
		return u.Username
	}
	return ""
}

// require lets a request through only when its user has the permission.
func require(p permission) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u == nil {
			return problemOf(fiber.StatusUnauthorized, "sign in first: POST /api/v1/auth/login")
		}
		if !can(u.Role, p) {
			return problemOf(fiber.StatusForbidden, "your role ("+u.Role+") may not do this")
		}
		return c.Next()
	}
}

// actFor checks that the signed-in user may act for the unit: an admin for
// any, a unit officer for their own unit only.
func actFor(c *fiber.Ctx, unit string) error {
	u := currentUser(c)
	switch {
	case u == nil:
		return problemOf(fiber.StatusUnauthorized, "sign in first")
	case u.Role == store.RoleAdmin:
		return nil
	case u.Role == store.RoleUnit && u.Unit == unit:
		return nil
	}
	return problemOf(fiber.StatusForbidden, "you may act only for your own unit")
}

func newToken() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashToken(secret)
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

type loginRequest struct {
	Username string `json:"username" validate:"required,max=64"`
	Password string `json:"password" validate:"required,max=256"`
}

// session is what a successful sign-in returns.
type session struct {
	Token     string      `json:"token"`
	ExpiresAt time.Time   `json:"expires_at"`
	User      *store.User `json:"user"`
}

// errWrongPassword is signIn's refusal of unknown users and wrong passwords.
var errWrongPassword = problemOf(fiber.StatusUnauthorized, "wrong username or password")

// signIn checks the credentials and opens a session.
func (s *Server) signIn(ctx context.Context, username, pw string) (*session, error) {
	u, err := s.db.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check, so usernames cannot be probed.
		s.hasher.Hash(ctx, pw)
		return nil, errWrongPassword
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.hasher.Verify(ctx, pw, u.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errWrongPassword
	}
	secret, hash := newToken()
	if err := s.db.CreateToken(ctx, hash, u.ID, s.cfg.TokenTTL); err != nil {
		return nil, err
	}
	return &session{Token: secret, ExpiresAt: time.Now().Add(s.cfg.TokenTTL).UTC(), User: u}, nil
}

func handleLogin(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req loginRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		sess, err := s.signIn(c.UserContext(), req.Username, req.Password)
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
		if err := s.db.RevokeToken(c.UserContext(), hashToken(tok)); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// loginLimiter slows down password guessing: per address and username.
func (s *Server) loginLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        20,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			var req struct{ Username string }
			json.Unmarshal(c.Body(), &req)
			return c.IP() + "|" + strings.ToLower(req.Username)
		},
		LimitReached: func(c *fiber.Ctx) error {
			return s.errorHandler(c, problemOf(fiber.StatusTooManyRequests, "too many sign-in attempts; wait a minute"))
		},
	})
}

// safeMethod reports whether an HTTP method only reads.
func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}
