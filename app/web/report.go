package web

import (
	"net/url"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

type reportFormView struct {
	page
	Campaign *store.Campaign
	Unit     *store.UnitDetail
	Periods  []periodChoice // newest first
	Period   string
	Inputs   []indicatorInput
	Errors   formErrors
	Saved    bool
	Current  *store.Report  // the period's report, if sent
	Reports  []store.Report // every report of the unit, newest first, with its status
	Files    evidenceField  // the period's report's evidence
}

// periodChoice is a reporting period in the form's picker, with where the
// unit stands on it.
type periodChoice struct {
	rules.Period
	// State is reported (sent, and verified or awaiting verification),
	// returned, missing (late, not sent), due (ended, not sent, not late
	// yet) or open (not ended).
	State string
	// LastDay is the last day a report of it is on time.
	LastDay time.Time
}

// reportContext is what both report handlers load: the campaign, the unit
// (when the user may act for it), the campaign's indicators and the
// periods that have started, newest first.
func (h *pages) reportContext(c *fiber.Ctx) (reportFormView, []store.Indicator, error) {
	ctx := c.UserContext()
	var v reportFormView
	var err error
	slug := c.Params("slug")
	if v.Campaign, v.Unit, err = h.unitWork(c); err != nil {
		return v, nil, err
	}
	every, deadline, err := h.Platform.ReportDeadline(ctx, slug)
	if err != nil {
		return v, nil, err
	}
	for _, p := range startedPeriods(every, v.Campaign, h.DB.Now()) {
		v.Periods = append(v.Periods, periodChoice{Period: p, LastDay: deadline(p).AddDate(0, 0, -1)})
	}
	inds, err := h.DB.Indicators(ctx, slug)
	v.page = h.campaignBase(c, text(langOf(c), "report.title"), v.Campaign)
	return v, inds, err
}

// startedPeriods lists the campaign's reporting periods that have started
// by now, newest first.
func startedPeriods(every rules.Granularity, camp *store.Campaign, now time.Time) []rules.Period {
	ps := rules.Periods(every, camp.StartsOn.Time, camp.EndsOn.AddDate(0, 0, 1))
	ps = slices.DeleteFunc(ps, func(p rules.Period) bool { return p.Start.After(now) })
	slices.Reverse(ps)
	return ps
}

func (h *pages) reportForm(c *fiber.Ctx) error {
	v, inds, err := h.reportContext(c)
	if err != nil {
		return err
	}
	v.Period, v.Saved = c.Query("period"), c.Query("saved") == "1"
	if err := h.reportsOf(c, &v); err != nil {
		return err
	}
	if !slices.ContainsFunc(v.Periods, func(p periodChoice) bool { return p.Key == v.Period }) {
		v.Period = latestDue(v.Periods)
		v.pickCurrent()
	}
	var values map[string]float64
	v.Files = h.evidenceOf(nil)
	if v.Current != nil {
		values, v.Files = v.Current.Values, h.evidenceOf(v.Current.EvidenceFiles)
	}
	v.Inputs = indicatorInputs(inds, values)
	return h.render(c, fiber.StatusOK, "report", "", v)
}

// reportPut records the unit's values for one period: the values typed in
// replace the stored ones, the others stay.
func (h *pages) reportPut(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v, inds, err := h.reportContext(c)
	if err != nil {
		return err
	}
	ck := &check{lang: langOf(c)}
	v.Period = c.FormValue("period")
	i := slices.IndexFunc(v.Periods, func(p periodChoice) bool { return p.Key == v.Period })
	if i < 0 {
		ck.fail("period", "form.choose")
	}
	v.Inputs = indicatorInputs(inds, nil)
	values := readIndicators(c, ck, v.Inputs)
	if len(values) == 0 && len(ck.errors) == 0 {
		ck.fail("", "report.empty")
	}
	ids, files, err := h.readEvidence(c, ck)
	if err != nil {
		return err
	}
	if len(ck.errors) == 0 {
		_, err := h.Platform.PutReport(ctx, v.Campaign.Slug, v.Unit.Code, v.Period, platform.Report{Values: values, EvidenceFiles: &ids})
		if err == nil {
			q := url.Values{"period": {v.Period}, "saved": {"1"}}
			return c.Redirect(c.Path()+"?"+q.Encode(), fiber.StatusSeeOther)
		}
		if err := ck.refused(err, indicatorFields(v.Inputs)); err != nil {
			return err
		}
	}
	v.Errors, v.Files = ck.errors, files.shown(ck.errors)
	if err := h.reportsOf(c, &v); err != nil {
		return err
	}
	return h.render(c, ck.status(), "report", "", v)
}

// reportsOf loads the unit's reports, newest first, and the chosen
// period's, for their statuses and a returned report's reason.
func (h *pages) reportsOf(c *fiber.Ctx, v *reportFormView) error {
	reports, err := h.DB.Reports(c.UserContext(), v.Campaign.Slug, v.Unit.Code)
	if err != nil {
		return err
	}
	slices.Reverse(reports)
	v.Reports = reports
	v.pickCurrent()
	now := h.DB.Now()
	for i := range v.Periods {
		p := &v.Periods[i]
		j := slices.IndexFunc(reports, func(r store.Report) bool { return r.Period == p.Key })
		switch {
		case j >= 0 && reports[j].Status == store.ReportReturned:
			p.State = "returned"
		case j >= 0:
			p.State = "reported"
		case p.End.After(now):
			p.State = "open"
		case now.Before(p.LastDay.AddDate(0, 0, 1)):
			p.State = "due"
		default:
			p.State = "missing"
		}
	}
	return nil
}

// pickCurrent finds the chosen period's report, if sent.
func (v *reportFormView) pickCurrent() {
	v.Current = nil
	if i := slices.IndexFunc(v.Reports, func(r store.Report) bool { return r.Period == v.Period }); i >= 0 {
		v.Current = &v.Reports[i]
	}
}

// latestDue is the period the form opens on: the newest returned or not
// yet sent among those that have ended, else the newest that has ended,
// else the open one.
func latestDue(ps []periodChoice) string {
	for _, want := range []func(p periodChoice) bool{
		func(p periodChoice) bool { return p.State == "returned" || p.State == "due" || p.State == "missing" },
		func(p periodChoice) bool { return p.State != "open" },
		func(periodChoice) bool { return true },
	} {
		if i := slices.IndexFunc(ps, want); i >= 0 {
			return ps[i].Key
		}
	}
	return ""
}
