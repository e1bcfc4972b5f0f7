package respcache

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestBounds: the cache keeps responses until their bodies would pass
// maxBytes, then starts afresh; a response made again replaces its
// bytes, not adds to them.
func TestBounds(t *testing.T) {
	k := New(func(context.Context) (string, error) { return "v1", nil })
	app := fiber.New()
	app.Use(k.Handler(Rules{}))
	const n = 1 << 20
	body := strings.Repeat("x", n)
	app.Get("/p/:n", func(c *fiber.Ctx) error { return c.SendString(body) })
	get := func(i int) {
		t.Helper()
		res, err := app.Test(httptest.NewRequest("GET", "/p/"+strconv.Itoa(i), nil))
		if err != nil || res.StatusCode != fiber.StatusOK {
			t.Fatalf("GET /p/%d: %v, %v", i, res, err)
		}
	}
	per := maxBytes / n
	for i := range per {
		get(i)
	}
	if len(k.m) != per || k.bytes != maxBytes {
		t.Fatalf("after %d pages of 1 MiB: %d kept, %d bytes; want %d, %d", per, len(k.m), k.bytes, per, maxBytes)
	}
	k.m["GET /p/0|false"].version = "v0" // made again: replaced
	get(0)
	if len(k.m) != per || k.bytes != maxBytes {
		t.Fatalf("after a page made again: %d kept, %d bytes; want %d, %d", len(k.m), k.bytes, per, maxBytes)
	}
	get(per)
	if len(k.m) != 1 || k.bytes != n {
		t.Errorf("past %d bytes: %d kept, %d bytes; want 1, %d", maxBytes, len(k.m), k.bytes, n)
	}
}
