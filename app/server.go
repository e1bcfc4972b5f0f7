package app

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/web"
	"github.com/thidua/thidua/jobs"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// Server is the platform's HTTP service.
type Server struct {
	cfg      Config
	db       *store.DB
	log      *slog.Logger
	app      *fiber.App
	val      *validation
	hasher   *password.Hasher
	metrics  *metrics
	openapi  []byte
	rulesets *jobs.Rulesets
	runner   *jobs.Runner
	boards   *boards
	// onRuleset, if set, is called once a new ruleset version is stored
	// (serve reschedules the campaign's jobs).
	onRuleset func(ctx context.Context, slug string)
}

// NewServer builds the service over an opened, migrated database.
func NewServer(cfg Config, db *store.DB, log *slog.Logger) *Server {
	s := &Server{
		cfg:     cfg,
		db:      db,
		log:     log,
		val:     newValidation(),
		hasher:  newHasher(cfg),
		metrics: newMetrics(),
	}
	s.rulesets = jobs.NewRulesets(db)
	s.runner = jobs.NewRunner(db, s.rulesets, func() time.Time { return db.Now() })
	s.boards = newBoards(db, s.rulesets)
	s.runner.Published = s.boards.publish
	s.runner.Keep, s.runner.Log = cfg.KeepRuns, log
	s.app = fiber.New(fiber.Config{
		AppName:               "thidua",
		BodyLimit:             cfg.BodyLimit,
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Values from the request (params, queries, headers) are copied, so that
		// keeping one — a cache key, a metric label — never sees Fiber reuse its buffer.
		Immutable: true,
	})
	s.app.Use(
		recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
			s.log.Error("panic", "panic", e, "request_id", requestID(c))
		}}),
		requestid.New(requestid.Config{Generator: utils.UUIDv4}),
		s.observe,
		checkQuery,
		s.authenticate,
	)
	s.routes()
	web.Register(s.app, s.pageDeps())
	s.app.Use(func(c *fiber.Ctx) error {
		return problemOf(fiber.StatusNotFound, "no such path: "+c.Path())
	})
	return s
}

// pageDeps gives the pages the service's sessions and the API's checks, so
// that a form and its API call behave the same.
func (s *Server) pageDeps() web.Deps {
	return web.Deps{
		DB:        s.db,
		Log:       s.log,
		PublicURL: s.cfg.PublicURL,
		SignIn: func(ctx context.Context, username, password string) (web.Session, error) {
			sess, err := s.signIn(ctx, username, password)
			if errors.Is(err, errWrongPassword) {
				return web.Session{}, web.ErrWrongPassword
			}
			if err != nil {
				return web.Session{}, err
			}
			return web.Session{Token: sess.Token, Expires: sess.ExpiresAt, User: sess.User}, nil
		},
		User: func(ctx context.Context, token string) (*store.User, error) {
			return s.db.UserByToken(ctx, hashToken(token))
		},
		SignOut:        func(ctx context.Context, token string) error { return s.db.RevokeToken(ctx, hashToken(token)) },
		ReportingEvery: s.reportingEvery,
		ImportUnits: func(c *fiber.Ctx, csv []byte) (int, error) {
			units, lines, err := s.parseUnitCSV(c, csv)
			var me *malformedError
			if errors.As(err, &me) {
				return 0, &store.Error{Kind: store.ErrInvalid, Field: "file", Detail: me.detail}
			}
			if err != nil {
				return 0, err
			}
			return s.db.ImportUnits(c.UserContext(), units, lines)
		},
		Leaderboard: func(ctx context.Context, slug, period string) (*web.Leaderboard, error) {
			snap, err := s.boards.get(ctx, slug, period)
			if err != nil {
				return nil, err
			}
			rs, _, err := s.rulesets.Get(ctx, slug, snap.run.RulesetVersion)
			if err != nil {
				return nil, err
			}
			return &web.Leaderboard{Run: snap.run, Ruleset: rs, Board: snap.board, Scope: snap.scope, RankChange: snap.rankChange}, nil
		},
		Compile: func(ctx context.Context, slug string, source []byte) (*rules.Ruleset, error) {
			keys, err := s.rulesets.Indicators(ctx, slug)
			if err != nil {
				return nil, err
			}
			return rules.Compile(source, keys)
		},
		SaveRuleset: func(ctx context.Context, slug string, source []byte) (*store.RulesetVersion, error) {
			keys, err := s.rulesets.Indicators(ctx, slug)
			if err != nil {
				return nil, err
			}
			if _, err := rules.Compile(source, keys); err != nil {
				return nil, err
			}
			rv, err := s.db.SaveRuleset(ctx, slug, string(source), "yaml")
			if err == nil && s.onRuleset != nil {
				s.onRuleset(ctx, slug)
			}
			return rv, err
		},
		DryRun: func(ctx context.Context, slug string, rs *rules.Ruleset, period string) (*scoring.Board, string, error) {
			board, p, err := s.runner.DryRun(ctx, slug, rs, period)
			return board, p.Key, err
		},
		Score: func(ctx context.Context, slug, period string, close bool) (*store.Run, error) {
			return s.runner.Run(ctx, jobs.Request{Campaign: slug, Period: period, Close: close, Trigger: jobs.TriggerManual})
		},
		Judging: s.judging,
		CreateUser: func(ctx context.Context, username, password, role, unit string) (*store.User, error) {
			hash, err := s.hasher.Hash(ctx, password)
			if err != nil {
				return nil, err
			}
			return s.db.CreateUser(ctx, store.NewUser{Username: username, PasswordHash: hash, Role: role, Unit: unit})
		},
	}
}

// newHasher bounds concurrent password hashing to half the cores.
func newHasher(cfg Config) *password.Hasher {
	return password.New(cfg.Argon2Memory, max(1, runtime.NumCPU()/2))
}

// Runner is the server's scoring runner, shared with the scheduler.
func (s *Server) Runner() *jobs.Runner { return s.runner }

// Rulesets is the server's cache of compiled rulesets.
func (s *Server) Rulesets() *jobs.Rulesets { return s.rulesets }

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
	s.log.Log(c.UserContext(), level, "request",
		"request_id", requestID(c), "method", c.Method(), "path", c.Path(), "route", route,
		"status", status, "duration_ms", float64(elapsed.Microseconds())/1000, "user", currentUsername(c))
	return nil
}
