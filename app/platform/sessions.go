package platform

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/thidua/thidua/app/store"
)

// Session is a sign-in: its secret token and its user.
type Session struct {
	Token     string      `json:"token"`
	ExpiresAt time.Time   `json:"expires_at"`
	User      *store.User `json:"user"`
}

// ErrWrongPassword refuses an unknown username or a wrong password alike.
var ErrWrongPassword = errors.New("wrong username or password")

// SignIn checks the credentials and opens a session; usernames are matched
// without regard to case or the spaces around them. Attempts are limited
// whichever front-end they come through and whichever replica serves them
// (see limitSignIn): past the limit the answer is *RateLimited.
func (s *Service) SignIn(ctx context.Context, username, password, client string) (*Session, error) {
	username = strings.TrimSpace(username)
	if err := s.limitSignIn(ctx, username, client); err != nil {
		return nil, err
	}
	u, err := s.db.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the same time as a real check, so usernames cannot be probed.
		s.hasher.Hash(ctx, password)
		return nil, ErrWrongPassword
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.hasher.Verify(ctx, password, u.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrWrongPassword
	}
	secret, hash := newToken()
	if err := s.db.CreateToken(ctx, hash, u.ID, s.tokenTTL); err != nil {
		return nil, err
	}
	return &Session{Token: secret, ExpiresAt: time.Now().Add(s.tokenTTL).UTC(), User: u}, nil
}

// ErrUnknownPerson refuses a single sign-on whose address is no user's.
var ErrUnknownPerson = errors.New("no user has this e-mail address")

// SignInByEmail opens a session for the user whose address the city's
// provider verified (package sso checked it); an address that is no
// user's is ErrUnknownPerson.
func (s *Service) SignInByEmail(ctx context.Context, email string) (*Session, error) {
	u, err := s.db.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownPerson
	}
	if err != nil {
		return nil, err
	}
	secret, hash := newToken()
	if err := s.db.CreateToken(ctx, hash, u.ID, s.tokenTTL); err != nil {
		return nil, err
	}
	s.log.Info("signed in by single sign-on", "user", u.Username)
	return &Session{Token: secret, ExpiresAt: time.Now().Add(s.tokenTTL).UTC(), User: u}, nil
}

// Authenticate returns the user of a live session token; a token that is
// not live (unknown, expired, revoked) is store.ErrNotFound. Answers are
// cached for a second (see tokens): a token revoked on another replica is
// refused here within that second.
func (s *Service) Authenticate(ctx context.Context, token string) (*store.User, error) {
	return s.tokens.get(ctx, hashToken(token), s.db.Now(), s.db.UserByToken)
}

// SignOut revokes a session token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	hash := hashToken(token)
	err := s.db.RevokeToken(ctx, hash)
	s.tokens.forget(hash)
	return err
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
