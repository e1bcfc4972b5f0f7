package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
	"golang.org/x/sys/unix"

	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/files/filestest"
	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
	"github.com/thidua/thidua/jobs"
)

// keptBoard is a server over the demo dataset, scored, whose leaderboard
// (at path) has been read once, and so is kept.
func keptBoard(tb testing.TB, db *store.DB) (srv *Server, path string, first *fasthttp.Response) {
	tb.Helper()
	ctx := context.Background()
	if err := demo.Load(ctx, db, demo.Generate(db.Now()), password.New(1024, 1).Hash); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.SaveRuleset(ctx, demo.CampaignSlug, demo.Ruleset, "yaml"); err != nil {
		tb.Fatal(err)
	}
	srv = NewServer(testConfig(), db, filestest.Disk(tb), slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if _, err := srv.Platform().Runner().Run(ctx, jobs.Request{Campaign: demo.CampaignSlug}); err != nil {
		tb.Fatal(err)
	}
	path = "/api/v1/campaigns/" + demo.CampaignSlug + "/leaderboard"
	var fctx fasthttp.RequestCtx
	fctx.Request.SetRequestURI(path)
	srv.App().Handler()(&fctx)
	first = new(fasthttp.Response)
	fctx.Response.CopyTo(first)
	if first.StatusCode() != fiber.StatusOK || len(first.Header.Peek(fiber.HeaderETag)) == 0 {
		tb.Fatalf("GET %s = %d, ETag %q", path, first.StatusCode(), first.Header.Peek(fiber.HeaderETag))
	}
	return srv, path, first
}

// TestKeptLeaderboard: the first page of a leaderboard, header and body,
// fits the buffer a connection writes through (so it leaves in one write),
// and a kept read of it costs no more allocations than it does now (9, and
// the test's own copy of the request).
func TestKeptLeaderboard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		srv, path, first := keptBoard(t, db)
		if n := len(first.Header.Header()) + len(first.Body()); n > srv.App().Config().WriteBufferSize {
			t.Errorf("GET %s: %d bytes, over the write buffer (%d)", path, n, srv.App().Config().WriteBufferSize)
		}
		var req fasthttp.Request
		req.SetRequestURI(path)
		addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
		var fctx fasthttp.RequestCtx
		h := srv.App().Handler()
		allocs := testing.AllocsPerRun(1000, func() {
			fctx.Init(&req, addr, nil)
			fctx.ResetUserValues() // as the server does after each request
			h(&fctx)
			if fctx.Response.StatusCode() != fiber.StatusOK || len(fctx.Response.Body()) != len(first.Body()) {
				t.Fatalf("GET %s = %d, %d bytes", path, fctx.Response.StatusCode(), len(fctx.Response.Body()))
			}
		})
		if allocs > 10 {
			t.Errorf("a kept read of %s: %v allocations, want at most 10", path, allocs)
		}
	})
}

// BenchmarkKeptLeaderboard serves the demo's leaderboard from the response
// cache to an anonymous caller through the whole chain of middleware
// (service), beside a bare Fiber handler setting the same headers and
// body (bare): what bench/leaderboard.sh compares over the network, here
// without it, so that the chain's own cost shows. cpu-ns/op is the time
// the benchmark's thread spent, the steady figure on a shared machine.
//
//	go test -run '^$' -bench KeptLeaderboard ./app/
func BenchmarkKeptLeaderboard(b *testing.B) {
	srv, path, first := keptBoard(b, dbtest.SQLite(b))
	var headers [][2][]byte
	first.Header.VisitAll(func(k, v []byte) {
		if string(k) != fiber.HeaderContentLength && string(k) != fiber.HeaderDate {
			headers = append(headers, [2][]byte{k, v})
		}
	})
	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bare.Get("/*", func(c *fiber.Ctx) error {
		for _, h := range headers {
			c.Response().Header.SetCanonical(h[0], h[1])
		}
		c.Response().SetBodyRaw(first.Body())
		return nil
	})
	for _, s := range []struct {
		name    string
		handler fasthttp.RequestHandler
	}{{"service", srv.App().Handler()}, {"bare", bare.Handler()}} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			var req fasthttp.Request
			req.SetRequestURI(path)
			addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
			var fctx fasthttp.RequestCtx
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu := threadCPU(b)
			for b.Loop() {
				fctx.Init(&req, addr, nil)
				fctx.ResetUserValues()
				s.handler(&fctx)
				if fctx.Response.StatusCode() != fiber.StatusOK || len(fctx.Response.Body()) != len(first.Body()) {
					b.Fatalf("GET %s = %d, %d bytes", path, fctx.Response.StatusCode(), len(fctx.Response.Body()))
				}
			}
			b.ReportMetric(float64(threadCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// threadCPU is the CPU time the calling thread has spent.
func threadCPU(b *testing.B) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ts.Nano())
}
