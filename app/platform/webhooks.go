package platform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/webhook"
)

// NewWebhook is a subscription to a campaign's events (every campaign's
// when Campaign is empty: the admin's alone). Without a secret, one is
// made; either way it is shown only in the answer that creates the
// subscription.
type NewWebhook struct {
	URL      string   `json:"url" validate:"required,max=2000"`
	Events   []string `json:"events" validate:"required,min=1,max=6,dive,oneof=run.succeeded run.failed period.closed honour.granted honour.revoked report.returned"`
	Secret   string   `json:"secret" validate:"omitempty,min=16,max=200"`
	Campaign string   `json:"campaign" validate:"omitempty,slug"`
}

// WebhookView is a subscription as shown: its secret masked, except in the
// answer that created it.
type WebhookView struct {
	*store.Webhook
	Secret string `json:"secret"`
}

// maskSecret shows a secret's last four letters only.
func maskSecret(s string) string {
	r := []rune(s)
	if len(r) < 16 {
		return "…"
	}
	return "…" + string(r[len(r)-4:])
}

// CreateWebhook subscribes a URL to events, as policy.ManageWebhook lets
// the actor; a URL the webhook guard refuses (not https, or resolving to
// an internal address) is invalid on url.
func (s *Service) CreateWebhook(ctx context.Context, in NewWebhook) (*WebhookView, error) {
	a := ActorFrom(ctx)
	if err := policy.Administer(a); err != nil {
		return nil, err
	}
	err := Validate(&in)
	switch {
	case in.Campaign == "":
		if err := policy.ManageWebhook(a, nil); err != nil {
			return nil, err
		}
	case !hasField(err, "campaign"):
		if _, cerr := s.organise(ctx, in.Campaign); errors.Is(cerr, store.ErrNotFound) {
			err = also(err, "campaign", "không có phong trào "+in.Campaign, "no campaign "+in.Campaign)
		} else if cerr != nil {
			return nil, cerr
		}
	}
	if in.URL != "" && !hasField(err, "url") {
		var refused *webhook.Refused
		if cerr := s.webhooks.CheckURL(ctx, in.URL); errors.As(cerr, &refused) {
			err = also(err, "url", refused.VI, refused.EN)
		} else if cerr != nil {
			return nil, cerr
		}
	}
	if err != nil {
		return nil, err
	}
	slices.Sort(in.Events)
	in.Events = slices.Compact(in.Events)
	if in.Secret == "" {
		b := make([]byte, 24)
		rand.Read(b)
		in.Secret = "whsec_" + hex.EncodeToString(b)
	}
	w, err := s.db.CreateWebhook(ctx, store.NewWebhook{Campaign: in.Campaign, URL: in.URL, Events: in.Events, Secret: in.Secret})
	if err != nil {
		return nil, err
	}
	return &WebhookView{Webhook: w, Secret: w.Secret}, nil
}

// hasField reports whether err is an *Invalid listing field.
func hasField(err error, field string) bool {
	var inv *Invalid
	return errors.As(err, &inv) && slices.ContainsFunc(inv.Fields, func(f FieldError) bool { return f.Field == field })
}

// Webhooks lists the subscriptions the actor manages, oldest first.
func (s *Service) Webhooks(ctx context.Context) ([]WebhookView, error) {
	a := ActorFrom(ctx)
	if err := policy.Administer(a); err != nil {
		return nil, err
	}
	all, err := s.db.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]WebhookView, 0, len(all))
	for i := range all {
		pc, err := s.webhookCampaign(ctx, &all[i])
		if err != nil {
			return nil, err
		}
		if policy.ManageWebhook(a, pc) == nil {
			out = append(out, WebhookView{Webhook: &all[i], Secret: maskSecret(all[i].Secret)})
		}
	}
	return out, nil
}

// Webhook reads a subscription the actor manages.
func (s *Service) Webhook(ctx context.Context, id int64) (*WebhookView, error) {
	a := ActorFrom(ctx)
	if err := policy.Administer(a); err != nil {
		return nil, err
	}
	w, err := s.db.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	pc, err := s.webhookCampaign(ctx, w)
	if err != nil {
		return nil, err
	}
	if err := policy.ManageWebhook(a, pc); err != nil {
		return nil, err
	}
	return &WebhookView{Webhook: w, Secret: maskSecret(w.Secret)}, nil
}

// webhookCampaign is a subscription's campaign as the policy sees it (nil
// for every campaign).
func (s *Service) webhookCampaign(ctx context.Context, w *store.Webhook) (*policy.Campaign, error) {
	if w.Campaign == nil {
		return nil, nil
	}
	pc := &policy.Campaign{Slug: *w.Campaign}
	if w.OrganiserCode != "" {
		ps, err := s.tree.places(ctx, w.OrganiserCode)
		if err != nil {
			return nil, err
		}
		pc.Organiser = ps[w.OrganiserCode]
	}
	return pc, nil
}

// DeleteWebhook removes a subscription the actor manages, and its
// deliveries: those pending are not sent.
func (s *Service) DeleteWebhook(ctx context.Context, id int64) error {
	if _, err := s.Webhook(ctx, id); err != nil {
		return err
	}
	return s.db.DeleteWebhook(ctx, id)
}

// Deliveries lists the deliveries of a subscription the actor manages,
// newest first.
func (s *Service) Deliveries(ctx context.Context, id int64, p store.Page) ([]store.Delivery, string, error) {
	if _, err := s.Webhook(ctx, id); err != nil {
		return nil, "", err
	}
	return s.db.Deliveries(ctx, id, p)
}

// TestWebhook queues a test event (webhook.test) for a subscription the
// actor manages and has it sent at once.
func (s *Service) TestWebhook(ctx context.Context, id int64) (*store.Delivery, error) {
	if _, err := s.Webhook(ctx, id); err != nil {
		return nil, err
	}
	d, err := s.db.TestWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.OnDelivery != nil {
		s.OnDelivery()
	}
	return d, nil
}
