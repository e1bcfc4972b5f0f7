// Package sso signs people in with the city's OpenID Connect provider
// (github.com/coreos/go-oidc and golang.org/x/oauth2): the authorization
// code flow with PKCE, a state and a nonce kept in a short-lived signed
// cookie, and the ID token's signature, issuer, audience and expiry
// verified. It says who came back — an e-mail address the provider has
// verified — and leaves to its caller which user that is.
package sso

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// CookieName is the cookie that holds a sign-in under way; CookiePath the
// path it is sent to.
const (
	CookieName = "thidua_oidc"
	CookiePath = "/auth/oidc"
)

// attemptTTL is how long a sign-in may take at the provider.
const attemptTTL = 10 * time.Minute

// Config names the provider and this client at it.
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string
}

// Client signs people in at one provider. The provider's discovery
// document is read at first use and kept, so that a provider out of reach
// when the service starts does not stop it.
type Client struct {
	cfg  Config
	key  func(context.Context) ([]byte, error) // signs the cookie
	http *http.Client
	// Now is the clock for the cookie's and the ID token's expiry.
	Now func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
}

// New returns a client of the provider; key gives the secret that signs
// the sign-in cookie (the same on every replica).
func New(cfg Config, key func(context.Context) ([]byte, error)) *Client {
	return &Client{cfg: cfg, key: key, http: &http.Client{Timeout: 15 * time.Second}, Now: time.Now}
}

// Failure is why a sign-in failed, for the page that says so.
type Failure string

// The failures.
const (
	NoAttempt   Failure = "no_attempt"  // no sign-in under way here, or it expired, or it was used
	WrongState  Failure = "state"       // the answer is not to this browser's request
	Refused     Failure = "refused"     // the provider said no (the person cancelled, or an error)
	Exchange    Failure = "exchange"    // the code was refused (used twice, expired, not ours)
	BadToken    Failure = "token"       // the ID token's signature, issuer, audience or expiry is wrong
	WrongNonce  Failure = "nonce"       // the ID token was made for another sign-in
	NoEmail     Failure = "email"       // the provider has no verified address for the person
	Unreachable Failure = "unreachable" // the provider cannot be reached
)

// Error is a failed sign-in.
type Error struct {
	Failure Failure
	Err     error
}

func (e *Error) Error() string { return fmt.Sprintf("single sign-on: %s: %v", e.Failure, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

func fail(f Failure, format string, args ...any) *Error {
	return &Error{Failure: f, Err: fmt.Errorf(format, args...)}
}

// attempt is a sign-in under way, as the cookie keeps it.
type attempt struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Expires  int64  `json:"e"`
}

// Begin starts a sign-in: the provider's address to send the browser to,
// and the cookie's value to set. next is where the caller goes once signed
// in; redirect is this site's callback address.
func (c *Client) Begin(ctx context.Context, redirect, next string) (authURL, cookie string, err error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", "", err
	}
	a := attempt{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Next: next,
		Expires: c.Now().Add(attemptTTL).Unix()}
	if cookie, err = c.seal(ctx, a); err != nil {
		return "", "", err
	}
	authURL = c.oauth(p, redirect).AuthCodeURL(a.State, oidc.Nonce(a.Nonce), oauth2.S256ChallengeOption(a.Verifier))
	return authURL, cookie, nil
}

// Identity is who came back from the provider.
type Identity struct {
	Subject string
	Email   string // verified by the provider
}

// Finish completes a sign-in from the provider's answer (the callback's
// query) and the browser's cookie: the state must be the cookie's, the
// code is exchanged with the PKCE verifier, the ID token verified (its
// signature by the provider's keys, issuer, audience, expiry) and its
// nonce compared with the cookie's; the e-mail address must be verified.
// It returns who signed in and where they were going; a failure is *Error.
func (c *Client) Finish(ctx context.Context, redirect, cookie string, q url.Values) (Identity, string, error) {
	a, err := c.open(ctx, cookie)
	if err != nil {
		return Identity{}, "", err
	}
	if !hmac.Equal([]byte(q.Get("state")), []byte(a.State)) {
		return Identity{}, "", fail(WrongState, "the state does not match this browser's sign-in")
	}
	if e := q.Get("error"); e != "" {
		return Identity{}, "", fail(Refused, "%s: %s", e, q.Get("error_description"))
	}
	p, err := c.discover(ctx)
	if err != nil {
		return Identity{}, "", err
	}
	ctx = oidc.ClientContext(ctx, c.http)
	tok, err := c.oauth(p, redirect).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(a.Verifier))
	if err != nil {
		return Identity{}, "", fail(Exchange, "%v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, "", fail(BadToken, "the provider sent no ID token")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID, Now: c.Now}).Verify(ctx, raw)
	if err != nil {
		return Identity{}, "", fail(BadToken, "%v", err)
	}
	if !hmac.Equal([]byte(idt.Nonce), []byte(a.Nonce)) {
		return Identity{}, "", fail(WrongNonce, "the ID token's nonce is not this sign-in's")
	}
	var claims struct {
		Email    string `json:"email"`
		Verified *bool  `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, "", fail(BadToken, "%v", err)
	}
	if claims.Email == "" { // some providers say it at the userinfo endpoint only
		info, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return Identity{}, "", fail(NoEmail, "userinfo: %v", err)
		}
		if info.Subject != idt.Subject {
			return Identity{}, "", fail(BadToken, "userinfo is of another subject")
		}
		verified := info.EmailVerified
		claims.Email, claims.Verified = info.Email, &verified
	}
	if claims.Email == "" || claims.Verified == nil || !*claims.Verified {
		return Identity{}, "", fail(NoEmail, "no verified e-mail address (email %q)", claims.Email)
	}
	return Identity{Subject: idt.Subject, Email: claims.Email}, a.Next, nil
}

// discover reads the provider's discovery document once.
func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.http), c.cfg.Issuer)
	if err != nil {
		return nil, &Error{Failure: Unreachable, Err: err}
	}
	c.provider = p
	return p, nil
}

func (c *Client) oauth(p *oidc.Provider, redirect string) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: redirect, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// seal signs the attempt into the cookie's value.
func (c *Client) seal(ctx context.Context, a attempt) (string, error) {
	key, err := c.key(ctx)
	if err != nil {
		return "", err
	}
	b, _ := json.Marshal(a)
	body := base64.RawURLEncoding.EncodeToString(b)
	return body + "." + mac(key, body), nil
}

// open checks the cookie's signature and expiry.
func (c *Client) open(ctx context.Context, cookie string) (attempt, error) {
	var a attempt
	body, sig, ok := strings.Cut(cookie, ".")
	if !ok {
		return a, fail(NoAttempt, "no sign-in under way in this browser")
	}
	key, err := c.key(ctx)
	if err != nil {
		return a, err
	}
	if !hmac.Equal([]byte(sig), []byte(mac(key, body))) {
		return a, fail(NoAttempt, "the sign-in cookie is not ours")
	}
	b, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || json.Unmarshal(b, &a) != nil {
		return a, fail(NoAttempt, "the sign-in cookie cannot be read")
	}
	if c.Now().Unix() > a.Expires {
		return a, fail(NoAttempt, "the sign-in took longer than %v", attemptTTL)
	}
	return a, nil
}

func mac(key []byte, body string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("thidua oidc attempt v1\x00" + body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func random() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// IsFailure reports whether err is a failed sign-in of kind f.
func IsFailure(err error, f Failure) bool {
	var e *Error
	return errors.As(err, &e) && e.Failure == f
}
