package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
	"github.com/thidua/thidua/app/webhook"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const secret = "a-secret-of-the-receiver-1234"

// received is a delivery as a receiver saw it.
type received struct{ ID, Event string }

// receiver is a subscriber's endpoint: it checks each delivery's signature
// against the secret, and answers what answer says for the n-th request.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	got    []received
	ids    map[string]int
	answer func(n int, w http.ResponseWriter, r *http.Request)
	calls  atomic.Int64
}

func newReceiver(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	rc := &receiver{t: t, ids: map[string]int{}, answer: answer}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	n := int(rc.calls.Add(1))
	body, _ := io.ReadAll(r.Body)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	if got := r.Header.Get(webhook.HeaderSignature); !hmac.Equal([]byte(got), []byte(want)) {
		rc.t.Errorf("signature %q, want %q", got, want)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var env store.Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		rc.t.Errorf("body %s: %v", body, err)
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || env.ID == "" ||
		r.Header.Get(webhook.HeaderDelivery) != env.ID || r.Header.Get(webhook.HeaderEvent) != env.Type || r.Header.Get(webhook.HeaderTimestamp) == "" {
		rc.t.Errorf("delivery %s %v: %s", r.Method, r.Header, body)
	}
	rc.mu.Lock()
	rc.ids[env.ID]++
	rc.got = append(rc.got, received{ID: env.ID, Event: env.Type})
	rc.mu.Unlock()
	if rc.answer != nil {
		rc.answer(n, w, r)
	}
}

// subscribe subscribes the URL to every campaign's events and queues a
// test event for it, returning the delivery's id.
func subscribe(t *testing.T, db *store.DB, url string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	w, err := db.CreateWebhook(ctx, store.NewWebhook{URL: url, Events: store.Events, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.TestWebhook(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	return w.ID, d.ID
}

func delivery(t *testing.T, db *store.DB, webhookID int64) store.Delivery {
	t.Helper()
	ds, _, err := db.Deliveries(context.Background(), webhookID, store.Page{})
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries = %v, %v; want one", ds, err)
	}
	return ds[0]
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func worker(db *store.DB, o webhook.Options) *webhook.Worker {
	if o.Backoff == nil {
		o.Backoff = func(int) time.Duration { return 0 } // try again at once
	}
	o.Log = quiet()
	return webhook.New(db, o)
}

var private = webhook.Guard{AllowPrivate: true}

// TestDelivery: a delivery is signed and sent; a 500 is tried again until
// a 2xx; one that never succeeds fails after the last attempt; a receiver
// that hangs times out; a redirect is not followed.
func TestDelivery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t.Run("retried after a 500 until delivered", func(t *testing.T) {
			rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n < 3 {
					w.WriteHeader(http.StatusInternalServerError)
				}
			})
			id, uid := subscribe(t, db, rc.srv.URL+"/hook")
			if _, err := worker(db, webhook.Options{Guard: private, MaxAttempts: 5}).Drain(ctx); err != nil {
				t.Fatal(err)
			}
			d := delivery(t, db, id)
			if d.Status != store.DeliveryDelivered || d.Attempts != 3 || d.LastStatus == nil || *d.LastStatus != 200 || d.FinishedAt == nil {
				t.Errorf("delivery = %+v, want delivered at the 3rd attempt", d)
			}
			if rc.ids[uid] != 3 || len(rc.got) != 3 || rc.got[0].Event != store.EventTest {
				t.Errorf("received %v, want the test event 3 times (the same id)", rc.got)
			}
		})
		t.Run("fails after the last attempt", func(t *testing.T) {
			rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
			id, _ := subscribe(t, db, rc.srv.URL)
			if _, err := worker(db, webhook.Options{Guard: private, MaxAttempts: 3}).Drain(ctx); err != nil {
				t.Fatal(err)
			}
			d := delivery(t, db, id)
			if d.Status != store.DeliveryFailed || d.Attempts != 3 || *d.LastStatus != 500 || !strings.Contains(d.LastError, "500") {
				t.Errorf("delivery = %+v, want failed after 3 attempts with the 500", d)
			}
			if rc.calls.Load() != 3 {
				t.Errorf("the receiver was called %d times, want 3", rc.calls.Load())
			}
		})
		t.Run("a hanging receiver times out", func(t *testing.T) {
			release := make(chan struct{})
			rc := newReceiver(t, func(_ int, _ http.ResponseWriter, r *http.Request) {
				select {
				case <-release:
				case <-r.Context().Done():
				}
			})
			defer close(release)
			id, _ := subscribe(t, db, rc.srv.URL)
			start := time.Now()
			if _, err := worker(db, webhook.Options{Guard: private, MaxAttempts: 1, Timeout: 300 * time.Millisecond}).Drain(ctx); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("the attempt took %v, want about the 300 ms timeout", took)
			}
			d := delivery(t, db, id)
			if d.Status != store.DeliveryFailed || d.LastStatus != nil || !strings.Contains(d.LastError, "timed out") {
				t.Errorf("delivery = %+v, want failed, timed out", d)
			}
		})
		t.Run("a redirect is not followed", func(t *testing.T) {
			target := newReceiver(t, nil)
			rc := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.srv.URL+"/elsewhere", http.StatusFound)
			})
			id, _ := subscribe(t, db, rc.srv.URL)
			if _, err := worker(db, webhook.Options{Guard: private, MaxAttempts: 1}).Drain(ctx); err != nil {
				t.Fatal(err)
			}
			d := delivery(t, db, id)
			if d.Status != store.DeliveryFailed || *d.LastStatus != 302 || !strings.Contains(d.LastError, "not followed") {
				t.Errorf("delivery = %+v, want failed with the 302", d)
			}
			if n := target.calls.Load(); n != 0 {
				t.Errorf("the redirect's target was called %d times", n)
			}
		})
		t.Run("waits out the backoff", func(t *testing.T) {
			rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					w.WriteHeader(http.StatusServiceUnavailable)
				}
			})
			id, _ := subscribe(t, db, rc.srv.URL)
			w := webhook.New(db, webhook.Options{Guard: private, Log: quiet()}) // the default backoff
			if n, err := w.Drain(ctx); err != nil || n != 1 {
				t.Fatalf("Drain = %d, %v; want one attempt, the next not due", n, err)
			}
			d := delivery(t, db, id)
			if wait := d.NextAttemptAt.Sub(db.Now()); d.Status != store.DeliveryPending || wait < 25*time.Second || wait > webhook.FirstRetry {
				t.Errorf("delivery = %+v, want pending, next in about %v", d, webhook.FirstRetry)
			}
		})
	})
}

// TestDialGuard: without THIDUA_WEBHOOK_ALLOW_PRIVATE, an attempt to a URL
// that resolves to loopback is refused when connecting, whatever was
// checked when the subscription was made.
func TestDialGuard(t *testing.T) {
	db := dbtest.SQLite(t)
	rc := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Error("the guard let a webhook through to loopback")
	}))
	defer rc.Close()
	port := rc.URL[strings.LastIndex(rc.URL, ":"):]
	id, _ := subscribe(t, db, "https://localhost"+port+"/hook")
	if _, err := worker(db, webhook.Options{MaxAttempts: 1}).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := delivery(t, db, id)
	if d.Status != store.DeliveryFailed || !strings.Contains(d.LastError, "refused") || !strings.Contains(d.LastError, "internal") {
		t.Errorf("delivery = %+v, want refused: internal address", d)
	}
}

// TestCheckURL: the URLs a subscription may have.
func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		url     string
		private bool
		ok      bool
	}{
		{"https://93.184.215.14/hook", false, true},
		{"https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook", false, true},
		{"https://169.254.169.254/latest/meta-data", false, false},
		{"https://10.0.0.1/hook", false, false},
		{"https://172.16.5.4/hook", false, false},
		{"https://192.168.1.1/hook", false, false},
		{"https://100.64.0.1/hook", false, false},
		{"https://[::1]/hook", false, false},
		{"https://[fd00::1]/hook", false, false},
		{"https://[fe80::1]/hook", false, false},
		{"https://[::ffff:10.0.0.1]/hook", false, false},
		{"https://0.0.0.0/hook", false, false},
		{"https://localhost/hook", false, false},
		{"https://api.localhost/hook", false, false},
		{"http://93.184.215.14/hook", false, false},
		{"ftp://93.184.215.14/hook", false, false},
		{"https://user:pw@93.184.215.14/hook", false, false},
		{"/relative", false, false},
		{"https://10.0.0.1/hook", true, true},
		{"http://127.0.0.1:8080/hook", true, true},
		{"http://localhost:8080/hook", true, true},
		{"http://10.0.0.1/hook", true, false}, // plain http: loopback only
		{"https://webhook.invalid/hook", false, true},
	} {
		err := webhook.Guard{AllowPrivate: tc.private}.CheckURL(ctx, tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("CheckURL(%q, private %v) = %v, want ok %v", tc.url, tc.private, err, tc.ok)
		}
	}
}

// TestOneWorkerPerDelivery: two replicas (two handles on one database)
// draining at once send each delivery exactly once.
func TestOneWorkerPerDelivery(t *testing.T) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			var dbURL, file string
			if dialect == store.Postgres {
				dbURL = dbtest.PostgresURL(t)
			} else {
				file = filepath.Join(t.TempDir(), "shared.db")
			}
			open := func() *store.DB {
				db, err := store.Open(ctx, dbURL, file)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return db
			}
			a, b := open(), open()
			rc := newReceiver(t, func(int, http.ResponseWriter, *http.Request) { time.Sleep(5 * time.Millisecond) })
			w, err := a.CreateWebhook(ctx, store.NewWebhook{URL: rc.srv.URL, Events: store.Events, Secret: secret})
			if err != nil {
				t.Fatal(err)
			}
			const n = 60
			for range n {
				if _, err := a.TestWebhook(ctx, w.ID); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			var sent atomic.Int64
			for _, db := range []*store.DB{a, b, a, b} { // two workers per replica
				wg.Go(func() {
					k, err := worker(db, webhook.Options{Guard: private}).Drain(ctx)
					if err != nil {
						t.Error(err)
					}
					sent.Add(int64(k))
				})
			}
			wg.Wait()
			if len(rc.ids) != n || sent.Load() != n {
				t.Errorf("received %d deliveries in %d attempts, want %d once each", len(rc.ids), sent.Load(), n)
			}
			for id, k := range rc.ids {
				if k != 1 {
					t.Errorf("delivery %s received %d times", id, k)
				}
			}
		})
	}
}

// TestRestart: a delivery whose worker stopped mid-attempt (its lease held,
// nothing recorded) is sent by a new worker once the lease ends; one queued
// while no worker ran is sent by the next.
func TestRestart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rc := newReceiver(t, nil)
		first, _ := subscribe(t, db, rc.srv.URL)
		if claims, err := db.ClaimDeliveries(ctx, 10, 2*time.Minute); err != nil || len(claims) != 1 {
			t.Fatalf("claim = %v, %v", claims, err)
		}
		second, _ := subscribe(t, db, rc.srv.URL)
		if _, err := worker(db, webhook.Options{Guard: private}).Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if d := delivery(t, db, first); d.Status != store.DeliveryPending {
			t.Errorf("a leased delivery was sent by another worker: %+v", d)
		}
		if d := delivery(t, db, second); d.Status != store.DeliveryDelivered {
			t.Errorf("queued delivery = %+v, want delivered", d)
		}
		now := db.Now()
		db.Now = func() time.Time { return now.Add(3 * time.Minute) } // the lease is over
		if _, err := worker(db, webhook.Options{Guard: private}).Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if d := delivery(t, db, first); d.Status != store.DeliveryDelivered || d.Attempts != 2 {
			t.Errorf("delivery after the restart = %+v, want delivered at the 2nd attempt", d)
		}
	})
}

// TestRunUntilStopped: a running worker sends what is queued when woken,
// and returns once its context ends.
func TestRunUntilStopped(t *testing.T) {
	db := dbtest.SQLite(t)
	got := make(chan struct{}, 1)
	rc := newReceiver(t, func(int, http.ResponseWriter, *http.Request) { got <- struct{}{} })
	w := worker(db, webhook.Options{Guard: private, Poll: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	subscribe(t, db, rc.srv.URL)
	w.Wake()
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("a woken worker sent nothing")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not stop")
	}
}

// TestBackoff: the documented schedule.
func TestBackoff(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 9: 128 * time.Minute, 12: 6 * time.Hour, 40: 6 * time.Hour} {
		if got := webhook.Backoff(attempt); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempt, got, want)
		}
	}
}
