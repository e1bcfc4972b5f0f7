// Package webhook sends the platform's events to the URLs subscribed to
// them. The store queues a delivery in the transaction of the change that
// caused its event (an outbox); the Worker claims the deliveries that are
// due, posts each as JSON signed with its subscription's secret, and
// records the answer: a 2xx delivers it, anything else is tried again
// later, with exponential backoff, up to MaxAttempts, then the delivery is
// marked failed. Delivery is at least once: a receiver dedupes by the
// body's id.
//
// Where a webhook may go, the Guard decides, when the subscription is made
// and again at every connection: never to loopback, link-local or private
// addresses unless the operator allows it, with a short timeout and no
// redirects followed.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/thidua/thidua/app/store"
)

// Headers of a delivery.
const (
	HeaderSignature = "X-Thidua-Signature" // sha256=<hex HMAC-SHA256 of the body, keyed with the secret>
	HeaderEvent     = "X-Thidua-Event"     // the event's type
	HeaderDelivery  = "X-Thidua-Delivery"  // the delivery's id, as in the body
	HeaderTimestamp = "X-Thidua-Timestamp" // when this attempt was sent, in Unix seconds
)

// Defaults of a Worker.
const (
	// MaxAttempts is how many times a delivery is tried before it is
	// marked failed: over about four and a quarter hours with the default
	// backoff.
	MaxAttempts = 10
	// Timeout bounds one attempt, from connecting to the end of the answer.
	Timeout = 10 * time.Second
	// FirstRetry is the wait after the first failed attempt; it doubles
	// after each one, up to MaxBackoff.
	FirstRetry = 30 * time.Second
	MaxBackoff = 6 * time.Hour

	dialTimeout = 5 * time.Second
	batch       = 8                // deliveries claimed and sent at once
	maxError    = 500              // bytes of an error kept in the log
	maxAnswer   = 64 << 10         // bytes of an answer read (and discarded)
	pollEvery   = 5 * time.Second  // how often a worker looks for due deliveries
	leaseFor    = 2 * time.Minute  // a claim's lease: far longer than an attempt
	retryStore  = 10 * time.Second // the wait after the database failed
	pruneEvery  = time.Hour        // how often finished deliveries are pruned

	// KeepFor is how long the log keeps a delivery once delivered or failed.
	KeepFor = 30 * 24 * time.Hour
)

// Sign is the value of the signature header for a body: "sha256=" and the
// hex HMAC-SHA256 of the body keyed with the secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Backoff is the wait after a delivery's attempt-th failed attempt:
// FirstRetry doubled each time, at most MaxBackoff.
func Backoff(attempt int) time.Duration {
	d := FirstRetry
	for i := 1; i < attempt && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}

// Options are a Worker's settings; zero values take the defaults.
type Options struct {
	Guard       Guard
	Log         *slog.Logger
	MaxAttempts int
	Timeout     time.Duration
	// Backoff is the wait after the attempt-th failed attempt.
	Backoff func(attempt int) time.Duration
	// Poll is how often the worker looks for due deliveries.
	Poll time.Duration
}

// Worker sends the queued deliveries. Every replica may run one: a
// delivery is leased to one worker at a time (see store.ClaimDeliveries),
// and one that a stopped worker held is sent again once its lease ends.
type Worker struct {
	db          *store.DB
	log         *slog.Logger
	tls, plain  *http.Client
	maxAttempts int
	backoff     func(int) time.Duration
	poll        time.Duration
	wake        chan struct{}
}

// New returns a worker over db; it sends nothing until Run or Drain.
func New(db *store.DB, o Options) *Worker {
	w := &Worker{db: db, log: o.Log, maxAttempts: o.MaxAttempts, backoff: o.Backoff, poll: o.Poll, wake: make(chan struct{}, 1)}
	if w.log == nil {
		w.log = slog.Default()
	}
	w.log = w.log.With("component", "webhooks")
	if w.maxAttempts <= 0 {
		w.maxAttempts = MaxAttempts
	}
	if w.backoff == nil {
		w.backoff = Backoff
	}
	if w.poll <= 0 {
		w.poll = pollEvery
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = Timeout
	}
	w.tls, w.plain = o.Guard.client(true, timeout), o.Guard.client(false, timeout)
	return w
}

// client posts over https (tls) or plain http, dialling only what the
// guard allows, through no proxy, following no redirect.
func (g Guard) client(tls bool, timeout time.Duration) *http.Client {
	t := &http.Transport{
		Proxy:                 nil, // a proxy would connect for us, past the guard
		DialContext:           dial(g.dialer(tls)),
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       time.Minute,
	}
	if !tls {
		// A plain-http client never upgrades: an https URL goes to the other one.
		t.DialTLSContext = func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("webhook: https through the plain-http client")
		}
	}
	return &http.Client{Transport: t, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Wake asks a running worker to look for due deliveries now (a test event
// was just queued).
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends due deliveries until ctx ends, looking for them every poll
// interval or when woken; the attempts in flight then finish. Every hour it
// removes the deliveries finished more than KeepFor ago.
func (w *Worker) Run(ctx context.Context) {
	w.log.Info("webhook worker started", "max_attempts", w.maxAttempts)
	var pruned time.Time
	for {
		if time.Since(pruned) >= pruneEvery {
			pruned = time.Now()
			if n, err := w.db.PruneDeliveries(ctx, w.db.Now().Add(-KeepFor)); err != nil && ctx.Err() == nil {
				w.log.Warn("prune webhook deliveries", "err", err)
			} else if n > 0 {
				w.log.Info("pruned webhook deliveries", "removed", n)
			}
		}
		wait := w.poll
		if _, err := w.Drain(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("webhook deliveries: the database failed", "err", err)
			wait = max(wait, retryStore)
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-time.After(wait):
		}
	}
}

// Drain sends every delivery that is due, until none is (a delivery tried
// again at once counts again), and returns how many attempts it made.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		claims, err := w.db.ClaimDeliveries(ctx, batch, leaseFor)
		if err != nil || len(claims) == 0 {
			return n, err
		}
		var wg sync.WaitGroup
		for _, c := range claims {
			wg.Go(func() { w.attempt(ctx, c) })
		}
		wg.Wait()
		n += len(claims)
	}
	return n, nil
}

// attempt sends a claimed delivery once and records how it went.
func (w *Worker) attempt(ctx context.Context, c store.Claim) {
	a := w.send(context.WithoutCancel(ctx), c) // bounded by the timeout: at shutdown, it finishes
	if !a.Delivered {
		if c.Attempts >= w.maxAttempts {
			a.GiveUp = true
		} else {
			a.Next = w.db.Now().Add(w.backoff(c.Attempts))
		}
	}
	log := w.log.With("delivery", c.ID, "webhook", c.SubscriptionID, "event", c.Event, "attempt", c.Attempts)
	if err := w.db.RecordAttempt(ctx, c, a); err != nil {
		log.Error("record a webhook delivery's attempt", "err", err)
		return
	}
	switch {
	case a.Delivered:
		log.Debug("webhook delivered", "status", a.Status)
	case a.GiveUp:
		log.Warn("webhook delivery failed for good: no more attempts", "url", c.URL, "status", a.Status, "err", a.Error)
	default:
		log.Info("webhook delivery failed: will try again", "status", a.Status, "err", a.Error, "next", a.Next)
	}
}

// send posts the delivery's body to its URL.
func (w *Worker) send(ctx context.Context, c store.Claim) store.Attempt {
	u, err := url.Parse(c.URL)
	if err != nil {
		return store.Attempt{Error: "bad URL: " + err.Error()}
	}
	client := w.tls
	if u.Scheme == "http" {
		client = w.plain
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, strings.NewReader(c.Body))
	if err != nil {
		return store.Attempt{Error: "bad URL: " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Thidua-Webhook/1")
	req.Header.Set(HeaderEvent, c.Event)
	req.Header.Set(HeaderDelivery, c.ID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(time.Now().Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(c.Secret, []byte(c.Body)))
	resp, err := client.Do(req)
	if err != nil {
		return store.Attempt{Error: describe(err)}
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return store.Attempt{Status: code, Delivered: true}
	case code >= 300 && code < 400:
		return store.Attempt{Status: code, Error: clip(fmt.Sprintf("redirect to %q not followed", resp.Header.Get("Location")))}
	default:
		return store.Attempt{Status: code, Error: "HTTP " + resp.Status}
	}
}

// describe says why an attempt got no answer, briefly.
func describe(err error) string {
	var refused *Refused
	var ue *url.Error
	switch {
	case errors.As(err, &refused):
		return "refused: " + refused.EN
	case errors.As(err, &ue) && ue.Timeout():
		return "timed out: no answer within the time allowed"
	case errors.As(err, &ue):
		return clip(ue.Err.Error())
	}
	return clip(err.Error())
}

func clip(s string) string {
	if len(s) <= maxError {
		return s
	}
	return strings.ToValidUTF8(s[:maxError], "") + "…"
}
