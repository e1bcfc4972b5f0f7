package app

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/thidua/thidua/app/files"
	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/respcache"
	"github.com/thidua/thidua/app/sso"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/web"
)

// Server is the platform's HTTP service: its JSON API, and its pages
// (package web), both over the same platform.
type Server struct {
	cfg     Config
	db      *store.DB
	log     *slog.Logger
	app     *fiber.App
	hasher  *password.Hasher
	metrics *metrics
	openapi []byte
	svc     *platform.Service
	// cache keeps the public pages and the API's public reads.
	cache *respcache.Cache
	// warming is true while a start reads the newest leaderboards into
	// memory: the replica is not ready until it can answer its first
	// reader at once (see warmBoards).
	warming atomic.Bool
}

// maxFormFiles is how many files one form of the pages may carry.
const maxFormFiles = 10

// writeBuffer is the buffer a connection writes its responses through: a
// response that fits, its header and its body (a page of a leaderboard, a
// list), leaves in one write. Fiber's 4 KB would send a leaderboard's first
// page in two, each a trip through both ends' network stacks, which cost
// more than all the handlers do. Each connection holds one while it is open.
const writeBuffer = 16 << 10

// NewServer builds the service over an opened, migrated database and the
// bucket of evidence files.
func NewServer(cfg Config, db *store.DB, bucket *files.Bucket, log *slog.Logger) *Server {
	s := &Server{
		cfg:     cfg,
		db:      db,
		log:     log,
		hasher:  newHasher(cfg),
		metrics: newMetrics(),
	}
	s.metrics.reg.MustRegister(sharedWrites(db)...)
	s.svc = platform.New(db, platform.Options{Hasher: s.hasher, Log: log, TokenTTL: cfg.TokenTTL, KeepRuns: cfg.KeepRuns,
		PollRuns: cfg.pollRuns, Files: bucket, FileLimit: cfg.FileLimit, Webhooks: cfg.webhookGuard(), RemindDays: cfg.RemindDays})
	s.cache = respcache.New(s.svc.DataVersion)
	s.app = fiber.New(fiber.Config{
		AppName: "thidua",
		// Uploads (multipart) may carry files; every other body is held to
		// THIDUA_BODY_LIMIT by limitBodies.
		BodyLimit: max(cfg.BodyLimit, int(cfg.FileLimit)*maxFormFiles+cfg.BodyLimit),
		// Bodies are read when asked for, so that limitBodies refuses one
		// over its limit from its length, before reading it.
		StreamRequestBody:     true,
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           2 * time.Minute, // a phone's photos over a slow connection
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		WriteBufferSize:       writeBuffer,
		// Values from the request (params, queries, headers) are copied, so that
		// keeping one — a cache key, a metric label — never sees Fiber reuse its buffer.
		Immutable: true,
		// A path is one route: /API/v1/… or /c/x/ is no other route's path.
		CaseSensitive: true,
		StrictRouting: true,
		// X-Forwarded-For, -Host and -Proto are read only from the proxies of
		// THIDUA_TRUSTED_PROXIES; anyone else's are ignored.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg),
	})
	s.app.Use(
		recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
			s.log.Error("panic", "panic", e, "request_id", requestID(c))
		}}),
		// A request's id must be unique, never secret (a client may send
		// its own): a random start, counted on, rather than a random
		// number drawn per request.
		requestid.New(requestid.Config{Generator: utils.UUID}),
		securityHeaders(len(cfg.TrustedProxies) > 0),
		s.observe,
		s.limitBodies,
		s.authenticate,
	)
	s.routes()
	deps := web.Deps{Platform: s.svc, DB: db, Log: log, PublicURL: cfg.PublicURL, Cache: s.cache,
		Mail: cfg.SMTPURL != "", LocalLogin: cfg.LocalLogin}
	if cfg.OIDCIssuer != "" {
		deps.SSO = sso.New(sso.Config{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret},
			func(ctx context.Context) ([]byte, error) { return db.SiteKey(ctx, "oidc") })
	}
	web.Register(s.app, deps)
	s.app.Use(func(c *fiber.Ctx) error {
		return problemOf(fiber.StatusNotFound, msg(c, "không có đường dẫn: ", "no such path: ")+c.Path())
	})
	return s
}

// proxyHeader is where the client's address is read when trusted proxies
// are configured: X-Forwarded-For, from them only.
func proxyHeader(cfg Config) string {
	if len(cfg.TrustedProxies) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// newHasher bounds concurrent password hashing to half the cores.
func newHasher(cfg Config) *password.Hasher {
	return password.New(cfg.Argon2Memory, max(1, runtime.NumCPU()/2))
}

// Platform is the server's platform, shared with the scheduler.
func (s *Server) Platform() *platform.Service { return s.svc }

// App is the Fiber application, for app.Test in tests.
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on the configured address until ctx ends, then stops
// accepting, lets in-flight requests finish and returns.
func (s *Server) Listen(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listen(s.cfg.Addr) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests")
	return s.app.ShutdownWithTimeout(30 * time.Second)
}

// limitBodies holds a body to THIDUA_BODY_LIMIT, or an upload (multipart)
// to maxFormFiles files of THIDUA_FILE_LIMIT: refused (413) from its length
// before it is read. A body of unsaid length (chunked) is read up to the
// limit; an upload must say its length (411).
func (s *Server) limitBodies(c *fiber.Ctx) error {
	limit, upload := s.cfg.BodyLimit, strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm)
	if upload {
		limit = s.uploadLimit()
	}
	n := c.Request().Header.ContentLength()
	switch {
	case n > limit:
		c.Set(fiber.HeaderConnection, "close")
		return fiber.ErrRequestEntityTooLarge
	case n == -1 && upload:
		c.Set(fiber.HeaderConnection, "close")
		return problemOf(fiber.StatusLengthRequired, msg(c, "tệp tải lên phải ghi rõ Content-Length", "an upload must say its Content-Length"))
	case n == -1:
		body, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), int64(limit)+1))
		if err != nil {
			return &malformedError{"không đọc được nội dung yêu cầu", "the request body cannot be read: " + err.Error()}
		}
		if len(body) > limit {
			c.Set(fiber.HeaderConnection, "close")
			return fiber.ErrRequestEntityTooLarge
		}
		c.Request().SetBody(body)
	}
	return c.Next()
}

// uploadLimit is the largest upload: a form's files and its fields.
func (s *Server) uploadLimit() int { return int(s.cfg.FileLimit)*maxFormFiles + s.cfg.BodyLimit }

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestid.ConfigDefault.ContextKey).(string)
	return id
}

// observe logs each request and counts it in the metrics, by route template.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	c.SetUserContext(store.WithActor(c.UserContext(), store.Actor{Username: "anonymous", RequestID: requestID(c)}))
	err := c.Next()
	if err != nil {
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	elapsed := time.Since(start)
	route := c.Route().Path
	s.metrics.observe(c.Method(), route, status, elapsed)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	// Asked first, so that a level that leaves requests out costs no record.
	if ctx := c.UserContext(); s.log.Enabled(ctx, level) {
		s.log.Log(ctx, level, "request",
			"request_id", requestID(c), "method", c.Method(), "path", c.Path(), "route", route,
			"status", status, "duration_ms", float64(elapsed.Microseconds())/1000, "user", currentUsername(c))
	}
	return nil
}
