// Package platform is what the platform does, as both front-ends ask it:
// the JSON API (package app) and the pages (package web) decode their input
// into this package's input types, call one of its operations, and encode
// or render the result. Each operation checks its input (the invariants of
// the data, refused as *Invalid naming every field), asks package policy
// whether the signed-in actor may do it (refused as *policy.Denied), and
// makes its store calls. No front-end decides a permission or an invariant
// of its own.
//
// The actor is the signed-in user that the request's context carries (see
// WithUser); operations without one act as an anonymous visitor.
package platform

import (
	"context"
	"log/slog"
	"time"

	"github.com/thidua/thidua/app/files"
	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/remind"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/webhook"
	"github.com/thidua/thidua/jobs"
	"github.com/thidua/thidua/scoring"
)

// Service is the platform's operations over its database.
type Service struct {
	db        *store.DB
	log       *slog.Logger
	hasher    *password.Hasher
	rulesets  *jobs.Rulesets
	runner    *jobs.Runner
	boards    *boards
	rounds    rounds
	tree      *tree
	tokenTTL  time.Duration
	files     *files.Bucket
	fileLimit int64
	tokens    tokens
	version   version
	reminders *remind.Builder

	webhooks webhook.Guard

	// OnRuleset, if set, is called once a new ruleset version is stored
	// (serve reschedules the campaign's jobs).
	OnRuleset func(ctx context.Context, slug string)
	// OnDelivery, if set, is called once a delivery to send at once is
	// queued (serve wakes the webhook worker).
	OnDelivery func()
}

// Options are the settings of a Service.
type Options struct {
	Hasher   *password.Hasher
	Log      *slog.Logger
	TokenTTL time.Duration // how long a sign-in lasts
	KeepRuns int           // newest runs per period that keep their snapshot; 0 keeps all
	// PollRuns is how often, at most, the leaderboards held in memory ask
	// whether another replica finished a run; 0 for every second.
	PollRuns time.Duration
	// Files is where evidence files are kept; FileLimit the largest, in bytes.
	Files     *files.Bucket
	FileLimit int64
	// Webhooks decides which webhook URLs may be subscribed.
	Webhooks webhook.Guard
	// RemindDays is how many days ahead reminders announce a report's
	// deadline.
	RemindDays int
}

// New returns the platform over an opened, migrated database.
func New(db *store.DB, o Options) *Service {
	s := &Service{db: db, log: o.Log, hasher: o.Hasher, tokenTTL: o.TokenTTL,
		tree: newTree(db), files: o.Files, fileLimit: o.FileLimit, webhooks: o.Webhooks}
	s.rulesets = jobs.NewRulesets(db)
	s.runner = jobs.NewRunner(db, s.rulesets, func() time.Time { return db.Now() })
	s.boards = newBoards(db, s.rulesets)
	s.reminders = &remind.Builder{DB: db, Rulesets: s.rulesets, DueDays: o.RemindDays}
	if o.PollRuns > 0 {
		s.boards.pollEvery = o.PollRuns
	}
	s.runner.Published = func(campaign string, run *store.Run, board *scoring.Board) {
		s.boards.publish(campaign, run, board)
		s.staleVersion()
	}
	s.runner.Keep, s.runner.Log = o.KeepRuns, o.Log
	return s
}

// Runner is the scoring runner, shared with the scheduler.
func (s *Service) Runner() *jobs.Runner { return s.runner }

// Rulesets is the cache of compiled rulesets, shared with the scheduler.
func (s *Service) Rulesets() *jobs.Rulesets { return s.rulesets }

type userKey struct{}

// WithUser returns a context in which the platform acts for u, and whose
// writes the store audits as u's.
func WithUser(ctx context.Context, u *store.User, requestID string) context.Context {
	ctx = context.WithValue(ctx, userKey{}, u)
	return store.WithActor(ctx, store.Actor{Username: u.Username, RequestID: requestID})
}

// UserFrom returns the context's signed-in user, or nil.
func UserFrom(ctx context.Context) *store.User {
	u, _ := ctx.Value(userKey{}).(*store.User)
	return u
}

// ActorFrom is the context's user as the policy sees it.
func ActorFrom(ctx context.Context) policy.Actor { return UserFrom(ctx).Actor() }
