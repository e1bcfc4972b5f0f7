package remind

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/thidua/thidua/app/mail"
	"github.com/thidua/thidua/app/store"
)

// Mailer sends one message (package mail's Mailer).
type Mailer interface {
	Send(ctx context.Context, msg mail.Message) error
}

// Sender is the job that sends the day's digests. Every replica may run
// one: each digest is claimed — a row per person and day, inserted or, after
// a failure, taken over in one statement — before it is sent, so that
// exactly one replica sends it.
//
// What that promises: a person gets at most one digest a day. A digest the
// SMTP server refused, or lost its connection before accepting, is marked
// failed and claimed again by a later tick that day (MaxAttempts in all);
// past that day, the next day's digest carries what is still to be done. A
// replica that dies between claiming and recording leaves the digest
// "sending": it is not sent again (it may have gone out), so a restart
// never resends. The one duplicate SMTP cannot exclude: a server that
// accepted a message but vanished before its answer arrived is taken as
// not having accepted it, and a later attempt sends it again.
type Sender struct {
	Builder *Builder
	Mailer  Mailer
	Log     *slog.Logger
	// Base is the site's address, the start of every link.
	Base string
	// Hour is the hour of the day (in Zone) from which digests are sent.
	Hour int
	// MaxAttempts bounds the tries of one person's digest in one day.
	MaxAttempts int
	// Replica names this replica in its claims.
	Replica string
	// Now is the clock (time.Now by default).
	Now func() time.Time
	// SendTimeout bounds the sending of one message (a minute by default).
	SendTimeout time.Duration
}

// Result counts what a tick did.
type Result struct {
	Sent, Failed, Skipped int
}

// ReplicaID names this process: host name, process id and a random suffix.
func ReplicaID() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
}

// Tick sends the digests of today not sent yet: nothing before Hour. A
// digest another replica claimed is skipped. Once ctx ends it starts no
// other send; the one under way finishes and is recorded.
func (s *Sender) Tick(ctx context.Context) (Result, error) {
	var res Result
	now := s.now()
	if now.In(Zone).Hour() < s.Hour {
		return res, nil
	}
	day := Day(now)
	done, err := s.Builder.DB.Digests(ctx, day)
	if err != nil {
		return res, err
	}
	digests, err := s.Builder.Build(ctx, now, "")
	if err != nil {
		return res, err
	}
	key, err := s.Builder.DB.SiteKey(ctx, UnsubscribeKey)
	if err != nil {
		return res, err
	}
	for _, d := range digests {
		if ctx.Err() != nil {
			break
		}
		if r, ok := done[d.UserID]; ok && (r.Status != store.DigestFailed || r.Attempts >= s.MaxAttempts) {
			continue
		}
		claimed, err := s.Builder.DB.ClaimDigest(ctx, d.UserID, day, len(d.Items), s.Replica, s.MaxAttempts)
		if err != nil {
			return res, err
		}
		if !claimed {
			res.Skipped++
			continue
		}
		msg := Compose(d, day, s.Base, s.Base+"/unsubscribe/"+UnsubscribeToken(key, d.UserID))
		// The send and its record outlive ctx: a claimed digest is always
		// recorded as sent or failed unless the process dies.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.sendTimeout())
		sendErr := s.Mailer.Send(sctx, msg)
		err = s.Builder.DB.FinishDigest(sctx, d.UserID, day, s.Replica, sendErr)
		cancel()
		if err != nil {
			return res, err
		}
		if sendErr != nil {
			res.Failed++
			s.Log.Warn("reminder digest not sent: retried later", "user", d.Username, "day", day.String(), "err", sendErr)
		} else {
			res.Sent++
		}
	}
	return res, nil
}

// Run ticks every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		res, err := s.Tick(ctx)
		if err != nil {
			s.Log.Error("reminder digests", "err", err)
		} else if res != (Result{}) {
			s.Log.Info("reminder digests", "sent", res.Sent, "failed", res.Failed, "claimed_elsewhere", res.Skipped)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) sendTimeout() time.Duration {
	if s.SendTimeout > 0 {
		return s.SendTimeout
	}
	return time.Minute
}
