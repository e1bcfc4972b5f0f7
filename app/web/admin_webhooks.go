package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/webhook"
)

// webhookRows is how many deliveries the log shows at once.
const webhookRows = 50

type webhooksView struct {
	page
	Webhooks []platform.WebhookView
	// The form: the campaigns the visitor may subscribe to, and whether it
	// may subscribe to every campaign's events (the admin).
	Campaigns []store.Campaign
	Every     bool
	Events    []string
	// What was typed.
	URL, Campaign string
	Picked        map[string]bool
	// Created is the subscription just made: its secret is shown this once.
	Created *platform.WebhookView
	Deleted bool
	Errors  formErrors
}

// webhooks lists the subscriptions the visitor manages, with the form to
// add one.
func (h *pages) webhooks(c *fiber.Ctx) error {
	v, err := h.webhooksPage(c)
	if err != nil {
		return err
	}
	v.Deleted = c.Query("deleted") != ""
	return h.render(c, fiber.StatusOK, "admin_webhooks", "", v)
}

// webhookCreate subscribes a URL and shows its secret, once.
func (h *pages) webhookCreate(c *fiber.Ctx) error {
	v, err := h.webhooksPage(c)
	if err != nil {
		return err
	}
	v.URL, v.Campaign = strings.TrimSpace(c.FormValue("url")), c.FormValue("campaign")
	in := platform.NewWebhook{URL: v.URL, Campaign: v.Campaign, Secret: c.FormValue("secret")}
	for _, e := range c.Context().PostArgs().PeekMulti("events") {
		in.Events = append(in.Events, string(e))
		v.Picked[string(e)] = true
	}
	ck := &check{lang: v.Lang}
	created, err := h.Platform.CreateWebhook(c.UserContext(), in)
	if err := ck.refused(err, nil); err != nil {
		return err
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "admin_webhooks", "", v)
	}
	// No redirect: the secret is shown in this answer only.
	v.Created, v.URL, v.Campaign, v.Picked = created, "", "", map[string]bool{}
	if v.Webhooks, err = h.Platform.Webhooks(c.UserContext()); err != nil {
		return err
	}
	return h.render(c, fiber.StatusCreated, "admin_webhooks", "", v)
}

func (h *pages) webhooksPage(c *fiber.Ctx) (*webhooksView, error) {
	ctx := c.UserContext()
	hooks, err := h.Platform.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	camps, _, err := h.Platform.ManagedCampaigns(ctx, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	return &webhooksView{page: h.base(c, text(langOf(c), "admin.webhooks")), Webhooks: hooks, Campaigns: camps,
		Every: policy.ManageWebhook(actorOf(c), nil) == nil, Events: store.Events, Picked: map[string]bool{}}, nil
}

type webhookLogView struct {
	page
	Webhook     *platform.WebhookView
	Deliveries  []store.Delivery
	Next        string // the cursor of older deliveries
	MaxAttempts int
	Tested      bool
}

// webhookLog shows a subscription and its deliveries, newest first.
func (h *pages) webhookLog(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	ctx := c.UserContext()
	w, err := h.Platform.Webhook(ctx, id)
	if err != nil {
		return err
	}
	v := webhookLogView{page: h.base(c, text(langOf(c), "webhook.log")+" · "+w.URL), Webhook: w,
		MaxAttempts: webhook.MaxAttempts, Tested: c.Query("tested") != ""}
	if v.Deliveries, v.Next, err = h.Platform.Deliveries(ctx, id, store.Page{Limit: webhookRows, Cursor: c.Query("cursor")}); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_webhook", "", v)
}

// webhookTest queues a test event, sent at once; the log shows how it went.
func (h *pages) webhookTest(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if _, err := h.Platform.TestWebhook(c.UserContext(), id); err != nil {
		return err
	}
	return c.Redirect("/admin/webhooks/"+c.Params("id")+"?tested=1", fiber.StatusSeeOther)
}

// webhookDelete removes a subscription and its log.
func (h *pages) webhookDelete(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := h.Platform.DeleteWebhook(c.UserContext(), id); err != nil {
		return err
	}
	return c.Redirect("/admin/webhooks?deleted=1", fiber.StatusSeeOther)
}
