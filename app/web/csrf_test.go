package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// TestCSRFToken: the token is the HMAC-SHA256 of the message under the
// browser's secret, whatever the secret's length (a key longer than the
// hash's block is hashed first).
func TestCSRFToken(t *testing.T) {
	for _, n := range []int{0, 1, 32, 43, 63, 64, 65, 100, 200} {
		secret := strings.Repeat("sẻ", n)[:n]
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte("thidua form token v1"))
		want := base64.RawURLEncoding.EncodeToString(m.Sum(nil))
		if got := csrfToken(secret); got != want {
			t.Errorf("csrfToken(%d bytes) = %s, want %s", n, got, want)
		}
	}
	if a, b := csrfToken("one secret"), csrfToken("another"); a == b {
		t.Errorf("two secrets, one token %s", a)
	}
}

// BenchmarkCSRFToken: a page's token, one allocation (the string).
func BenchmarkCSRFToken(b *testing.B) {
	b.ReportAllocs()
	secret := strings.Repeat("x", 43)
	for b.Loop() {
		csrfToken(secret)
	}
}
