package sso

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

const (
	clientID = "thidua"
	secret   = "client-secret"
	redirect = "https://thidua.hanoi.gov.vn/auth/oidc/callback"
)

// provider is an OpenID provider on loopback that the test controls: it
// serves discovery, its keys and a token endpoint that checks the client,
// the PKCE verifier and that each code is used once, and signs the ID
// token the test describes.
type provider struct {
	srv    *httptest.Server
	key    *rsa.PrivateKey
	mu     sync.Mutex
	grants map[string]grant
	// claims changes the ID token's claims before it is signed.
	claims func(map[string]any)
}

type grant struct{ challenge, nonce string }

func newProvider(t *testing.T) *provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{key: key, grants: map[string]grant{}, claims: func(map[string]any) {}}
	mux := http.NewServeMux()
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	iss := p.srv.URL
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "authorization_endpoint": iss + "/authorize",
			"token_endpoint": iss + "/token", "jwks_uri": iss + "/keys", "userinfo_endpoint": iss + "/userinfo",
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"}})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		id, sec, ok := r.BasicAuth()
		if !ok {
			id, sec = r.FormValue("client_id"), r.FormValue("client_secret")
		}
		p.mu.Lock()
		g, found := p.grants[r.FormValue("code")]
		delete(p.grants, r.FormValue("code"))
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.FormValue("code_verifier")))
		if id != clientID || sec != secret || !found || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"invalid_grant"}`))
			return
		}
		now := time.Now()
		claims := map[string]any{"iss": iss, "aud": clientID, "sub": "u-42", "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
			"nonce": g.nonce, "email": "lan@hanoi.gov.vn", "email_verified": true}
		p.claims(claims)
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
		if err != nil {
			t.Error(err)
			return
		}
		body, _ := json.Marshal(claims)
		jws, _ := signer.Sign(body)
		tok, _ := jws.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": tok})
	})
	return p
}

// authorize plays the browser at the provider: the person signs in and
// the provider answers the callback's query.
func (p *provider) authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("client_id") != clientID || q.Get("redirect_uri") != redirect || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" || q.Get("response_type") != "code" {
		t.Fatalf("authorization request %s lacks PKCE, a nonce, a state or the client", authURL)
	}
	code := random()
	p.mu.Lock()
	p.grants[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce")}
	p.mu.Unlock()
	return url.Values{"code": {code}, "state": {q.Get("state")}}
}

func newClient(p *provider) *Client {
	return New(Config{Issuer: p.srv.URL, ClientID: clientID, ClientSecret: secret},
		func(context.Context) ([]byte, error) { return []byte("a site key of thirty-two bytes.."), nil })
}

func TestSignIn(t *testing.T) {
	ctx := context.Background()
	p := newProvider(t)
	c := newClient(p)
	authURL, cookie, err := c.Begin(ctx, redirect, "/me")
	if err != nil {
		t.Fatal(err)
	}
	answer := p.authorize(t, authURL)
	id, next, err := c.Finish(ctx, redirect, cookie, answer)
	if err != nil || id.Email != "lan@hanoi.gov.vn" || id.Subject != "u-42" || next != "/me" {
		t.Fatalf("Finish = %+v, %q, %v", id, next, err)
	}
	// The same answer again: the provider refuses its code a second time.
	if _, _, err := c.Finish(ctx, redirect, cookie, answer); !IsFailure(err, Exchange) {
		t.Errorf("a replayed answer: %v, want %s", err, Exchange)
	}
}

// TestForgedAnswers: every answer that is not the provider's to this
// browser's sign-in is refused, each with its reason.
func TestForgedAnswers(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		claims func(map[string]any)
		answer func(q url.Values, cookie string) (url.Values, string)
		clock  time.Duration // how long the person took
		want   Failure
	}{
		{name: "wrong state", answer: func(q url.Values, c string) (url.Values, string) { q.Set("state", random()); return q, c }, want: WrongState},
		{name: "no cookie", answer: func(q url.Values, _ string) (url.Values, string) { return q, "" }, want: NoAttempt},
		{name: "forged cookie", answer: func(q url.Values, c string) (url.Values, string) { return q, c[:len(c)-2] + "AA" }, want: NoAttempt},
		{name: "slow sign-in", clock: 11 * time.Minute, want: NoAttempt},
		{name: "refused at the provider", answer: func(q url.Values, c string) (url.Values, string) {
			q.Del("code")
			q.Set("error", "access_denied")
			return q, c
		}, want: Refused},
		{name: "another code", answer: func(q url.Values, c string) (url.Values, string) { q.Set("code", random()); return q, c }, want: Exchange},
		{name: "wrong audience", claims: func(m map[string]any) { m["aud"] = "another-client" }, want: BadToken},
		{name: "expired token", claims: func(m map[string]any) {
			m["iat"] = time.Now().Add(-time.Hour).Unix()
			m["exp"] = time.Now().Add(-30 * time.Minute).Unix()
		}, want: BadToken},
		{name: "wrong issuer", claims: func(m map[string]any) { m["iss"] = "https://evil.example" }, want: BadToken},
		{name: "wrong nonce", claims: func(m map[string]any) { m["nonce"] = random() }, want: WrongNonce},
		{name: "address not verified", claims: func(m map[string]any) { m["email_verified"] = false }, want: NoEmail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProvider(t)
			if tc.claims != nil {
				p.claims = tc.claims
			}
			c := newClient(p)
			authURL, cookie, err := c.Begin(ctx, redirect, "/me")
			if err != nil {
				t.Fatal(err)
			}
			q := p.authorize(t, authURL)
			if tc.answer != nil {
				q, cookie = tc.answer(q, cookie)
			}
			c.Now = func() time.Time { return time.Now().Add(tc.clock) }
			id, _, err := c.Finish(ctx, redirect, cookie, q)
			if !IsFailure(err, tc.want) {
				t.Errorf("Finish = %+v, %v; want failure %s", id, err, tc.want)
			}
		})
	}
}

func TestUnreachableProvider(t *testing.T) {
	c := New(Config{Issuer: "http://127.0.0.1:1", ClientID: clientID}, func(context.Context) ([]byte, error) { return []byte("k"), nil })
	if _, _, err := c.Begin(context.Background(), redirect, "/"); !IsFailure(err, Unreachable) {
		t.Errorf("Begin with the provider down: %v, want %s", err, Unreachable)
	}
}
