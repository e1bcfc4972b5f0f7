package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// unitEvidence is how many evidence files a unit's page shows.
const unitEvidence = 12

type unitView struct {
	page
	Campaign   *store.Campaign
	Unit       *store.UnitDetail
	Clusters   []store.Cluster // the unit's
	Projects   []store.Project
	Evidence   []store.File    // the latest evidence of its projects and reports
	Covenant   *store.Covenant // nil when not signed
	Indicators []indicatorRow
	Periods    []string // the latest reported periods, newest first
	Reported   int      // how many periods the unit reported
	CanAct     bool     // the visitor may act for the unit
	Score      *unitScore
	Honours    []store.Honour
}

// unitScore is the unit's result in a run with what explains it, and its
// history over the runs.
type unitScore struct {
	Run        *store.Run
	Breakdown  *breakdown
	History    []store.HistoryPoint
	TotalChart *lineChart
	RankChart  *lineChart
}

// unitHistoryRuns is how many runs the unit's charts show, at most.
const unitHistoryRuns = 24

// indicatorRow is one indicator with the unit's pledge and latest values.
type indicatorRow struct {
	store.Indicator
	Pledge   *float64
	Reported []*float64 // by Periods
}

// unitReportColumns is how many periods the unit page shows.
const unitReportColumns = 4

// unit is a unit's page in a campaign: its place in the hierarchy, its
// clusters, its projects, its covenant and its reports.
func (h *pages) unit(c *fiber.Ctx) error {
	ctx, slug, code := c.UserContext(), c.Params("slug"), c.Params("code")
	camp, err := h.DB.CampaignBySlug(ctx, slug)
	if err != nil {
		return err
	}
	u, err := h.DB.UnitByCode(ctx, code)
	if err != nil {
		return err
	}
	v := unitView{page: h.campaignBase(c, u.Name, camp), Campaign: camp, Unit: u}
	v.Description = seoText(v.Lang, "unit", u.Name, camp.Name)
	v.CanAct = userOf(c) != nil && h.Platform.ActsFor(ctx, camp, code)
	all, err := h.DB.Clusters(ctx)
	if err != nil {
		return err
	}
	inds, err := h.DB.Indicators(ctx, slug)
	if err != nil {
		return err
	}
	if v.Score, err = h.unitScore(c, slug, code, inds, all); err != nil {
		return err
	}
	if v.Honours, _, err = h.DB.Honours(ctx, slug, store.HonourFilter{Unit: code, Page: store.Page{Limit: store.MaxLimit}}); err != nil {
		return err
	}
	for _, cl := range all {
		for _, code := range u.Clusters {
			if cl.Code == code {
				v.Clusters = append(v.Clusters, cl)
			}
		}
	}
	if v.Projects, _, err = h.DB.Projects(ctx, slug, store.ProjectFilter{Unit: code, Page: store.Page{Limit: store.MaxLimit}}); err != nil {
		return err
	}
	if v.Evidence, err = h.DB.UnitEvidence(ctx, slug, code, unitEvidence); err != nil {
		return err
	}
	v.Covenant, err = h.DB.Covenant(ctx, slug, code)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	reports, err := h.DB.Reports(ctx, slug, code)
	if err != nil {
		return err
	}
	v.Indicators, v.Periods = indicatorTable(inds, v.Covenant, reports)
	v.Reported = len(reports)
	return h.render(c, fiber.StatusOK, "unit", "", v)
}

// unitScore explains the unit's result in the run of the chosen period
// (the newest by default); nil before the campaign's first run or when the
// run did not score the unit.
func (h *pages) unitScore(c *fiber.Ctx, slug, code string, inds []store.Indicator, clusters []store.Cluster) (*unitScore, error) {
	ctx := c.UserContext()
	lb, err := h.Platform.Leaderboard(ctx, slug, c.Query("period"))
	if errors.Is(err, store.ErrNotFound) && c.Query("period") == "" {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	res, ok := lb.Table.Lookup(code)
	if !ok {
		return nil, nil
	}
	s := &unitScore{Run: lb.Run}
	if s.Breakdown, err = newBreakdown(langOf(c), res, lb, inds, clusters); err != nil {
		return nil, err
	}
	if s.History, err = h.DB.UnitHistory(ctx, slug, code, unitHistoryRuns); err != nil {
		return nil, err
	}
	s.TotalChart, s.RankChart = historyCharts(s.History, res.Max, len(lb.Table.Results), formatsFor(langOf(c)))
	return s, nil
}

// indicatorTable lays out a unit's pledges and its latest reports by indicator.
func indicatorTable(inds []store.Indicator, cov *store.Covenant, reports []store.Report) ([]indicatorRow, []string) {
	latest := reports[max(0, len(reports)-unitReportColumns):]
	periods := make([]string, len(latest))
	for i := range latest {
		periods[i] = latest[len(latest)-1-i].Period
	}
	rows := make([]indicatorRow, len(inds))
	for i, in := range inds {
		rows[i] = indicatorRow{Indicator: in, Reported: make([]*float64, len(latest))}
		if cov != nil {
			if t, ok := cov.Targets[in.Key]; ok {
				rows[i].Pledge = &t
			}
		}
		for j := range latest {
			if v, ok := latest[len(latest)-1-j].Values[in.Key]; ok {
				rows[i].Reported[j] = &v
			}
		}
	}
	return rows, periods
}
