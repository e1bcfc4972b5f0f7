package web

import (
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// queueRows is how many reports the verifier's screen lists at once, and
// queueHistory how many earlier reports of the unit each shows beside it.
const (
	queueRows    = 50
	queueHistory = 2
)

type queueView struct {
	page
	Campaign   *store.Campaign
	Status     string // the status listed
	Statuses   []string
	Counts     map[string]int
	Indicators []store.Indicator
	Items      []queueItem
	Next       string
	Done       string // what was just decided, for the notice
	Errors     formErrors
}

// queueItem is a report to decide on, with the unit's reports before it.
type queueItem struct {
	store.ReportRow
	Earlier []store.Report // newest first
}

// reportQueue is the verifier's screen: the reports it verifies with a
// status (submitted by default), each beside the unit's earlier figures,
// to verify or return in one step each.
func (h *pages) reportQueue(c *fiber.Ctx) error {
	v, err := h.queuePage(c, c.Query("status", store.ReportSubmitted), c.Query("cursor"))
	if err != nil {
		return err
	}
	v.Done = c.Query("done")
	return h.render(c, fiber.StatusOK, "verify_queue", "", v)
}

// reportVerify records a decision on a report, as POST …/verify does; a
// refusal shows above the list.
func (h *pages) reportVerify(c *fiber.Ctx) error {
	slug, status := c.Params("slug"), c.FormValue("status", store.ReportSubmitted)
	unit, period := c.FormValue("unit"), c.FormValue("period")
	in := platform.Decision{Decision: c.FormValue("decision"), Reason: c.FormValue("reason")}
	_, err := h.Platform.VerifyReport(c.UserContext(), slug, unit, period, in)
	ck := &check{lang: langOf(c)}
	if err := ck.refused(err, map[string]string{"reason": "", "decision": "", "period": ""}); err != nil {
		return err
	}
	if len(ck.errors) == 0 {
		q := url.Values{"status": {status}, "done": {in.Decision + ":" + unit + ":" + period}}
		return c.Redirect("/admin/c/"+slug+"/reports?"+q.Encode(), fiber.StatusSeeOther)
	}
	v, err := h.queuePage(c, status, "")
	if err != nil {
		return err
	}
	v.Errors = ck.errors
	return h.render(c, ck.status(), "verify_queue", "", v)
}

func (h *pages) queuePage(c *fiber.Ctx, status, cursor string) (*queueView, error) {
	ctx := c.UserContext()
	camp, err := h.DB.CampaignBySlug(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	q, err := h.Platform.Reports(ctx, camp.Slug, status, store.Page{Limit: queueRows, Cursor: cursor})
	if err != nil {
		return nil, err
	}
	v := &queueView{page: h.campaignBase(c, text(langOf(c), "vetting.queue")+" · "+camp.Name, camp), Campaign: camp,
		Status: status, Statuses: []string{store.ReportSubmitted, store.ReportReturned, store.ReportVerified}, Counts: q.Counts, Next: q.Next}
	if v.Indicators, err = h.DB.Indicators(ctx, camp.Slug); err != nil {
		return nil, err
	}
	units := make([]string, 0, len(q.Items))
	for _, r := range q.Items {
		units = append(units, r.Unit)
	}
	history, err := h.DB.ReportsOf(ctx, camp.Slug, units)
	if err != nil {
		return nil, err
	}
	for _, r := range q.Items {
		item := queueItem{ReportRow: r}
		for _, e := range slices.Backward(history[r.Unit]) {
			if e.PeriodStart.Before(r.PeriodStart.Time) && len(item.Earlier) < queueHistory {
				item.Earlier = append(item.Earlier, e)
			}
		}
		v.Items = append(v.Items, item)
	}
	return v, nil
}
