package platform

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
)

// TestTokenCache: one lookup a second per token; an expired session is
// refused at once by the store's clock; a refusal is remembered; a failure
// of the database is not; a forgotten token is asked again.
func TestTokenCache(t *testing.T) {
	var c tokens
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	asked := 0
	var answer error
	lookup := func(context.Context, string) (*store.User, time.Time, error) {
		asked++
		if answer != nil {
			return nil, time.Time{}, answer
		}
		return &store.User{Username: "dinhcong"}, now.Add(time.Hour), nil
	}
	for range 3 {
		u, err := c.get(ctx, "h", now, lookup)
		if err != nil || u.Username != "dinhcong" {
			t.Fatalf("get = %v, %v", u, err)
		}
		u.Username = "changed by a caller"
	}
	if asked != 1 {
		t.Errorf("asked the database %d times for three requests within a second, want 1", asked)
	}
	if _, err := c.get(ctx, "h", now.Add(2*time.Hour), lookup); err != nil || asked != 2 {
		t.Errorf("past its expiry the session is asked again: asked %d, %v", asked, err)
	}
	c.forget("h")
	answer = store.NewError(store.ErrNotFound, "", "no such session")
	for range 2 {
		if _, err := c.get(ctx, "h", now, lookup); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a revoked token: %v", err)
		}
	}
	if asked != 3 {
		t.Errorf("asked %d times, want the refusal remembered (3)", asked)
	}
	answer = errors.New("connection refused")
	c.forget("x")
	for range 2 {
		if _, err := c.get(ctx, "x", now, lookup); err == nil {
			t.Error("a database failure passed")
		}
	}
	if asked != 5 {
		t.Errorf("asked %d times, want a failure never remembered (5)", asked)
	}
}
