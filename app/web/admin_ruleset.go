package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// dryRunRows is how many units the dry run's preview shows.
const dryRunRows = 20

type rulesetView struct {
	page
	Campaign *store.Campaign
	Version  int // the current version; 0 without one
	Source   string
	Problems rules.Problems
	Saved    int // the version just saved
	Preview  *dryRunView
}

// dryRunView is the leaderboard a candidate ruleset would give.
type dryRunView struct {
	Period string
	Total  int
	Rows   []boardRow
}

// rulesetForm is the ruleset editor, with the current version's source.
func (h *pages) rulesetForm(c *fiber.Ctx) error {
	v, err := h.rulesetPage(c)
	if err != nil {
		return err
	}
	rv, err := h.DB.Ruleset(c.UserContext(), v.Campaign.Slug, 0)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		v.Version, v.Source = rv.Version, rv.Source
	}
	v.Saved = c.QueryInt("saved")
	return h.render(c, fiber.StatusOK, "admin_ruleset", "", v)
}

// rulesetPost saves the edited ruleset as a new version, or with
// action=dry_run scores the campaign with it and shows the leaderboard it
// would give, saving nothing. An invalid ruleset's problems show in place
// with their path and position.
func (h *pages) rulesetPost(c *fiber.Ctx) error {
	v, err := h.rulesetPage(c)
	if err != nil {
		return err
	}
	ctx, slug := c.UserContext(), v.Campaign.Slug
	v.Source, v.Version = strings.ReplaceAll(c.FormValue("source"), "\r\n", "\n"), v.Campaign.RulesetVersion
	if c.FormValue("action") == "dry_run" {
		board, period, err := h.Platform.DryRun(ctx, slug, []byte(v.Source), "")
		if problem := h.rulesetProblem(err, v); problem != nil {
			return h.render(c, fiber.StatusUnprocessableEntity, "admin_ruleset", "", v)
		}
		if err != nil {
			return err
		}
		v.Preview = &dryRunView{Period: period.Key, Total: len(board.Results)}
		for _, r := range board.Results[:min(dryRunRows, len(board.Results))] {
			v.Preview.Rows = append(v.Preview.Rows, boardRow{Rank: r.Rank.Overall, Code: r.Code, Name: r.Name,
				Total: r.Total, Max: r.Max, Eligible: r.Eligible})
		}
		return h.render(c, fiber.StatusOK, "admin_ruleset", "", v)
	}
	rv, err := h.Platform.SaveRuleset(ctx, slug, []byte(v.Source), "yaml")
	if problem := h.rulesetProblem(err, v); problem != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "admin_ruleset", "", v)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/c/"+slug+"/ruleset?saved="+strconv.Itoa(rv.Version), fiber.StatusSeeOther)
}

// rulesetPage starts the editor's view for an organiser.
func (h *pages) rulesetPage(c *fiber.Ctx) (*rulesetView, error) {
	camp, err := h.Platform.OrganisedCampaign(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	return &rulesetView{page: h.campaignBase(c, text(langOf(c), "admin.ruleset")+" · "+camp.Name, camp), Campaign: camp}, nil
}

// rulesetProblem puts an invalid or empty ruleset's problems in the view;
// it returns nil for any other outcome.
func (h *pages) rulesetProblem(err error, v *rulesetView) error {
	var malf *platform.Malformed
	switch {
	case errors.As(err, &v.Problems):
		return err
	case errors.As(err, &malf):
		v.Problems = rules.Problems{{Message: malf.Text(v.Lang)}}
		return err
	}
	return nil
}
