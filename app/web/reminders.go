package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/remind"
	"github.com/thidua/thidua/app/store"
)

type remindersView struct {
	page
	Day     string
	Items   []platform.ReminderPreview
	Sending bool // an SMTP server is configured
}

// reminders shows the admin or an organiser what each person gets in
// today's digest (the people of its subtree), with how sending went.
func (h *pages) reminders(c *fiber.Ctx) error {
	now := h.DB.Now()
	items, err := h.Platform.PreviewReminders(c.UserContext(), now, h.siteURL(c))
	if err != nil {
		return err
	}
	v := remindersView{page: h.base(c, text(langOf(c), "reminders.heading")), Items: items,
		Day: remind.Day(now).Format("02/01/2006"), Sending: h.Mail}
	return h.render(c, fiber.StatusOK, "admin_reminders", "", v)
}

type unsubscribeView struct {
	page
	Email string // masked
	Done  bool
}

// unsubscribeForm asks the holder of an unsubscribe link to confirm: a
// link opened by a mail scanner stops nothing.
func (h *pages) unsubscribeForm(c *fiber.Ctx) error {
	u, err := h.Platform.UnsubscribeTarget(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	v := unsubscribeView{page: h.base(c, text(langOf(c), "unsubscribe.heading")), Email: masked(u.Email),
		Done: u.UnsubscribedAt != nil}
	return h.render(c, fiber.StatusOK, "unsubscribe", "", v)
}

// unsubscribe stops the reminders of the link's user, and says so.
func (h *pages) unsubscribe(c *fiber.Ctx) error {
	u, err := h.Platform.Unsubscribe(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	v := unsubscribeView{page: h.base(c, text(langOf(c), "unsubscribe.heading")), Email: masked(u.Email), Done: true}
	return h.render(c, fiber.StatusOK, "unsubscribe", "", v)
}

// masked shows an address without most of its local part:
// l***@phunu.dinhcong.vn.
func masked(email *string) string {
	if email == nil {
		return ""
	}
	local, domain, ok := strings.Cut(*email, "@")
	if !ok || local == "" {
		return "***"
	}
	return string([]rune(local)[:1]) + "***@" + domain
}

// recordStatus names a digest record's state for the preview.
func recordStatus(r *store.Digest) string {
	if r == nil {
		return "pending"
	}
	return r.Status
}
