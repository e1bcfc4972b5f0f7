package respcache

import (
	"context"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// TestMadeOnce: many visitors asking at once for a page not kept under
// the data's version make it once and all get it, as those who come after
// do; a new version makes it anew. A response that is someone's is made
// for each.
func TestMadeOnce(t *testing.T) {
	version := atomic.Value{}
	version.Store("v1")
	k := New(func(context.Context) (string, error) { return version.Load().(string), nil })
	k.now = func() time.Time { return time.Unix(6000, 0) } // the minute does not turn mid-test
	const visitors = 16
	var arrived, made atomic.Int64
	release := make(chan struct{})
	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error { arrived.Add(1); return c.Next() })
	app.Use(k.Handler(Rules{Private: func(c *fiber.Ctx) bool { return c.Query("private") != "" }}))
	app.Get("/board", func(c *fiber.Ctx) error {
		<-release
		return c.SendString("bảng xếp hạng " + strconv.FormatInt(made.Add(1), 10))
	})
	visit := func(target string) []string {
		t.Helper()
		arrived.Store(0)
		bodies := make([]string, visitors)
		var wg sync.WaitGroup
		for i := range visitors {
			wg.Go(func() {
				res, err := app.Test(httptest.NewRequest("GET", target, nil), -1)
				if err != nil || res.StatusCode != fiber.StatusOK {
					t.Errorf("GET %s: %v, %v", target, res, err)
					return
				}
				b, _ := io.ReadAll(res.Body)
				bodies[i] = string(b)
			})
		}
		for arrived.Load() < visitors {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // past the lookup, into the wait
		release <- struct{}{}             // the one making it
		close(release)                    // any other
		wg.Wait()
		release = make(chan struct{})
		return bodies
	}
	same := func(bodies []string, want string) bool {
		for _, b := range bodies {
			if b != want {
				return false
			}
		}
		return true
	}
	if b := visit("/board"); made.Load() != 1 || !same(b, "bảng xếp hạng 1") {
		t.Errorf("%d visitors at once: made %d times, got %q; want once", visitors, made.Load(), b)
	}
	version.Store("v2")
	if b := visit("/board"); made.Load() != 2 || !same(b, "bảng xếp hạng 2") {
		t.Errorf("after a new version: made %d times in all, got %q; want twice", made.Load(), b)
	}
	if b := visit("/board?private=1"); made.Load() != 2+visitors {
		t.Errorf("someone's page: made %d times in all (%q); want once for each visitor more", made.Load(), b)
	}
}

// TestMadeOnceWhileWritten: while figures are written (a new version for
// every visitor), visitors who come while the page is being made wait for
// the next making, which starts after they came: it serves them all, under
// the version of its start.
func TestMadeOnceWhileWritten(t *testing.T) {
	var writes atomic.Int64
	k := New(func(context.Context) (string, error) { return "v" + strconv.FormatInt(writes.Add(1), 10), nil })
	k.now = func() time.Time { return time.Unix(6000, 0) }
	const visitors = 16
	var arrived, made atomic.Int64
	started := make(chan struct{}, visitors)
	release := make(chan struct{})
	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error { arrived.Add(1); return c.Next() })
	app.Use(k.Handler(Rules{}))
	app.Get("/board", func(c *fiber.Ctx) error {
		started <- struct{}{}
		<-release
		return c.SendString("bảng xếp hạng " + strconv.FormatInt(made.Add(1), 10))
	})
	bodies := make([]string, visitors)
	var wg sync.WaitGroup
	get := func(i int) {
		res, err := app.Test(httptest.NewRequest("GET", "/board", nil), -1)
		if err != nil || res.StatusCode != fiber.StatusOK {
			t.Errorf("GET /board: %v, %v", res, err)
			return
		}
		b, _ := io.ReadAll(res.Body)
		bodies[i] = string(b)
	}
	wg.Go(func() { get(0) })
	<-started // the first visitor's page is being made
	for i := 1; i < visitors; i++ {
		wg.Go(func() { get(i) })
	}
	for arrived.Load() < visitors {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // past the lookup, into the wait
	close(release)
	wg.Wait()
	if made.Load() != 2 || bodies[0] != "bảng xếp hạng 1" {
		t.Fatalf("made %d times, the first visitor got %q; want twice, the first making", made.Load(), bodies[0])
	}
	for i, b := range bodies[1:] {
		if b != "bảng xếp hạng 2" {
			t.Errorf("visitor %d got %q, want the second making", i+1, b)
		}
	}
}
