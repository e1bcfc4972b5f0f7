package web

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// boardPageSize is how many units a page of the leaderboard shows.
const boardPageSize = 50

type campaignView struct {
	page
	Campaign *store.Campaign
	Coverage *store.Coverage
	Board    *boardView // nil before the campaign's first run
	Progress *progressChart
	Q        string
	Units    []store.Unit // units matching Q
}

// boardView is one page of a scope's leaderboard, with its pickers.
type boardView struct {
	Run     *store.Run
	Scope   string
	Period  string
	Periods []string // periods with a run, newest first
	Levels  []string // the levels of the board's units, for the filter in sight
	// Kinds are the kinds of the board's units (a ward's Front committee,
	// the mass organisations…), for the filter in sight; Kind is the one
	// shown ("" for every kind), with the ranks of the scope.
	Kinds    []string
	Kind     string
	Clusters []store.Cluster
	// Since is the period the rank changes compare with when not the
	// board's own ("" for the previous run of the same period).
	Since string
	Rows  []boardRow
	Total int // units in the scope
	Page  int // 1-based
	Pages int
}

// boardRow is one unit's line in a leaderboard.
type boardRow struct {
	Rank     int // 0: not ranked (ineligible)
	Code     string
	Name     string
	Total    float64
	Max      float64
	Eligible bool
	Change   *int
}

// campaign is a campaign's page: its figures, its leaderboard in a scope
// and period, a search that jumps to a unit, and its indicators' progress
// against the city's targets.
func (h *pages) campaign(c *fiber.Ctx) error {
	ctx, slug := c.UserContext(), c.Params("slug")
	camp, err := h.DB.CampaignCounted(ctx, slug)
	if err != nil {
		return err
	}
	v := campaignView{page: h.campaignBase(c, camp.Name, camp), Campaign: camp, Q: strings.TrimSpace(c.Query("q"))}
	if v.Q != "" {
		if v.Units, _, err = h.DB.Units(ctx, store.UnitFilter{Q: v.Q, Page: store.Page{Limit: 20}}); err != nil {
			return err
		}
		if len(v.Units) == 1 {
			return c.Redirect("/c/"+slug+"/u/"+v.Units[0].Code, fiber.StatusSeeOther)
		}
	}
	if v.Coverage, err = h.DB.Coverage(ctx, slug, store.CoverageFilter{Totals: true}); err != nil {
		return err
	}
	lb, err := h.Platform.Leaderboard(ctx, slug, c.Query("period"))
	switch {
	case errors.Is(err, store.ErrNotFound) && c.Query("period") != "":
		return err
	case errors.Is(err, store.ErrNotFound): // no run yet
	case err != nil:
		return err
	default:
		if v.Board, err = h.boardPage(ctx, slug, lb, c.Query("scope", rules.ScopeOverall), c.Query("kind"), c.QueryInt("page", 1)); err != nil {
			return err
		}
	}
	inds, err := h.DB.Indicators(ctx, slug)
	if err != nil {
		return err
	}
	v.Progress = newProgressChart(inds, lb, formatsFor(v.Lang))
	return h.render(c, fiber.StatusOK, "campaign", "", v)
}

// boardPage lays out a page of a scope's leaderboard, of the units of a
// kind or of every kind, with the pickers' choices: every level, kind and
// cluster, and every period with a run.
func (h *pages) boardPage(ctx context.Context, slug string, lb *platform.Leaderboard, scope, kind string, pageNo int) (*boardView, error) {
	sc, err := scoring.ParseScope(scope)
	if err != nil {
		return nil, errBadRequest
	}
	entries, err := lb.Scope(sc.String())
	if err != nil {
		return nil, err
	}
	v := &boardView{Run: lb.Run, Scope: sc.String(), Period: lb.Run.Period, Since: lb.PreviousPeriod}
	for _, l := range levels {
		if slices.ContainsFunc(lb.Table.Results, func(r scoring.Standing) bool { return r.Level == l }) {
			v.Levels = append(v.Levels, l)
		}
	}
	v.Kinds = lb.Kinds()
	slices.SortFunc(v.Kinds, func(a, b string) int { return cmp.Compare(kindOrder(a), kindOrder(b)) })
	if slices.Contains(v.Kinds, kind) {
		v.Kind = kind
		if entries, err = lb.ScopeOfKind(sc.String(), kind); err != nil {
			return nil, err
		}
	}
	v.Total, v.Pages = len(entries), max(1, (len(entries)+boardPageSize-1)/boardPageSize)
	if pageNo < 1 || pageNo > v.Pages {
		return nil, errNotFound
	}
	v.Page = pageNo
	if v.Clusters, err = h.DB.Clusters(ctx); err != nil {
		return nil, err
	}
	if v.Periods, err = h.runPeriods(ctx, slug); err != nil {
		return nil, err
	}
	for _, e := range entries[(pageNo-1)*boardPageSize : min(pageNo*boardPageSize, len(entries))] {
		r := e.Result
		v.Rows = append(v.Rows, boardRow{Rank: e.Rank, Code: r.Code, Name: r.Name, Total: r.Total, Max: r.Max,
			Eligible: r.Eligible, Change: lb.RankChange(sc, e)})
	}
	return v, nil
}

// kindOrder places the Front's committees (the wards' and communes' own
// boards) before the mass organisations, each in the order of their
// labels; a kind without a label last.
func kindOrder(kind string) string {
	if kind == "front" {
		return ""
	}
	if _, ok := texts["kind."+kind]; ok {
		return "1" + kind
	}
	return "2" + kind
}

// runPeriods are the periods a campaign's leaderboard can show, newest
// first: its closed periods and the period of its newest run.
func (h *pages) runPeriods(ctx context.Context, slug string) ([]string, error) {
	closed, err := h.DB.ClosedPeriods(ctx, slug)
	if err != nil {
		return nil, err
	}
	latest, err := h.DB.LatestPeriod(ctx, slug)
	if err != nil {
		return nil, err
	}
	periods := slices.Clone(closed)
	if !slices.Contains(periods, latest) {
		periods = append(periods, latest)
	}
	slices.Reverse(periods)
	return periods, nil
}
