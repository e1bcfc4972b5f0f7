package platform

import (
	"context"
	"time"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/remind"
	"github.com/thidua/thidua/app/store"
)

// Reminders finds what each person is reminded of, shared with the job
// that sends the digests.
func (s *Service) Reminders() *remind.Builder { return s.reminders }

// ReminderPreview is what one person's digest of today says, and how its
// sending went so far.
type ReminderPreview struct {
	remind.Digest
	Sections []remind.Section
	// Record is today's record of the digest; nil while not claimed.
	Record *store.Digest
}

// PreviewReminders shows, to the admin (everyone's) or an organiser (the
// people of its subtree), the digest each person gets today, links made
// from base.
func (s *Service) PreviewReminders(ctx context.Context, now time.Time, base string) ([]ReminderPreview, error) {
	within, err := policy.Manages(ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	digests, err := s.reminders.Build(ctx, now, within)
	if err != nil {
		return nil, err
	}
	records, err := s.db.Digests(ctx, remind.Day(now))
	if err != nil {
		return nil, err
	}
	out := make([]ReminderPreview, len(digests))
	for i, d := range digests {
		out[i] = ReminderPreview{Digest: d, Sections: remind.Sections(d, base)}
		if r, ok := records[d.UserID]; ok {
			out[i].Record = &r
		}
	}
	return out, nil
}

// UnsubscribeTarget is the user an unsubscribe link is for; a link that
// is not one of ours is store.ErrNotFound.
func (s *Service) UnsubscribeTarget(ctx context.Context, token string) (*store.User, error) {
	id, err := s.unsubscriber(ctx, token)
	if err != nil {
		return nil, err
	}
	return s.db.UserByID(ctx, id)
}

// Unsubscribe stops the reminders of the user an unsubscribe link is for:
// anyone holding the link may, as the link says.
func (s *Service) Unsubscribe(ctx context.Context, token string) (*store.User, error) {
	id, err := s.unsubscriber(ctx, token)
	if err != nil {
		return nil, err
	}
	return s.db.Unsubscribe(ctx, id)
}

func (s *Service) unsubscriber(ctx context.Context, token string) (int64, error) {
	key, err := s.db.SiteKey(ctx, remind.UnsubscribeKey)
	if err != nil {
		return 0, err
	}
	id, ok := remind.ParseUnsubscribeToken(key, token)
	if !ok {
		return 0, store.NewError(store.ErrNotFound, "", "no such link")
	}
	return id, nil
}
