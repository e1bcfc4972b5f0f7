package web

import (
	_ "embed"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// dryRunRows is how many units the dry run's preview shows.
const dryRunRows = 20

// rulesetTemplate is the editor's starting point for a campaign without a
// ruleset: a small valid ruleset with Vietnamese comments.
//
//go:embed ruleset_template.yaml
var rulesetTemplate string

type rulesetView struct {
	page
	Campaign *store.Campaign
	Version  int // the current version; 0 without one
	Source   string
	Template bool // Source is the starting template: no ruleset yet
	Opened   int  // an older version opened in the editor, to restore
	Problems []problemView
	Saved    int // the version just saved
	Preview  *dryRunView
	// Lines are the source line by line, each with its problems and the
	// words of its schedule, for the annotated listing.
	Lines []sourceLine
	Crons []cronNote
	// Versions are the campaign's versions, newest first; Diff the change
	// a version made, when asked for.
	Versions []store.RulesetVersion
	Diff     *rulesetDiff
}

// problemView is a problem of the ruleset with the line of the source it
// is about (At, 0 when unknown).
type problemView struct {
	Path, Text   string
	Line, Column int // inside the expression
	At           int
}

// sourceLine is one line of the ruleset's source with what is said of it.
type sourceLine struct {
	N        int
	Text     string
	Problems []string
	Cron     string
}

// cronNote is a schedule's cron spec put in words.
type cronNote struct {
	Field, Spec, Words string
	Line               int
}

// annotate lays the source out line by line with its problems beside
// their lines and its cron specs in words.
func (v *rulesetView) annotate(problems rules.Problems) {
	src := []byte(v.Source)
	for _, p := range problems {
		v.Problems = append(v.Problems, problemView{Path: p.Path, Text: p.Text(v.Lang), Line: p.Line, Column: p.Column, At: p.SourceLine(src)})
	}
	if strings.TrimSpace(v.Source) == "" {
		return
	}
	for i, text := range strings.Split(v.Source, "\n") {
		v.Lines = append(v.Lines, sourceLine{N: i + 1, Text: text})
	}
	for _, c := range rules.CronSpecs(src) {
		n := cronNote{Field: c.Field, Spec: c.Spec, Line: c.Line, Words: describeCron(v.Lang, c.Spec)}
		v.Crons = append(v.Crons, n)
		if c.Line >= 1 && c.Line <= len(v.Lines) && n.Words != "" {
			v.Lines[c.Line-1].Cron = n.Words
		}
	}
	for _, p := range v.Problems {
		if p.At >= 1 && p.At <= len(v.Lines) {
			l := &v.Lines[p.At-1]
			l.Problems = append(l.Problems, p.Text)
		}
	}
}

// dryRunView is the leaderboard a candidate ruleset would give.
type dryRunView struct {
	Period string
	Total  int
	Rows   []boardRow
}

// rulesetForm is the ruleset editor, with the current version's source
// (?version=N opens an older one, to restore it as a new version; the
// starting template without any), the campaign's versions and, with
// ?diff=N, what version N changed.
func (h *pages) rulesetForm(c *fiber.Ctx) error {
	v, err := h.rulesetPage(c)
	if err != nil {
		return err
	}
	ctx, slug := c.UserContext(), v.Campaign.Slug
	v.Opened = c.QueryInt("version")
	rv, err := h.DB.Ruleset(ctx, slug, v.Opened)
	switch {
	case errors.Is(err, store.ErrNotFound) && v.Opened == 0:
		v.Source, v.Template = rulesetTemplate, true
	case err != nil:
		return err
	default:
		v.Version, v.Source = v.Campaign.RulesetVersion, rv.Source
	}
	if v.Opened == v.Version {
		v.Opened = 0
	}
	v.Saved = c.QueryInt("saved")
	if n := c.QueryInt("diff"); n > 1 {
		if v.Diff, err = h.rulesetDiff(c, slug, n); err != nil {
			return err
		}
	}
	if err := h.rulesetHistory(c, v, nil); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_ruleset", "", v)
}

// rulesetHistory loads the campaign's versions and lays the source out
// with its problems.
func (h *pages) rulesetHistory(c *fiber.Ctx, v *rulesetView, problems rules.Problems) error {
	v.annotate(problems)
	var err error
	v.Versions, err = h.DB.RulesetVersions(c.UserContext(), v.Campaign.Slug)
	return err
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
		if problems := h.rulesetProblems(err, v); problems != nil {
			if err := h.rulesetHistory(c, v, problems); err != nil {
				return err
			}
			return h.render(c, fiber.StatusUnprocessableEntity, "admin_ruleset", "", v)
		}
		if err != nil {
			return err
		}
		if err := h.rulesetHistory(c, v, nil); err != nil {
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
	if problems := h.rulesetProblems(err, v); problems != nil {
		if err := h.rulesetHistory(c, v, problems); err != nil {
			return err
		}
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

// rulesetProblems are an invalid or empty ruleset's problems; nil for
// any other outcome.
func (h *pages) rulesetProblems(err error, v *rulesetView) rules.Problems {
	var (
		problems rules.Problems
		malf     *platform.Malformed
	)
	switch {
	case errors.As(err, &problems):
		return problems
	case errors.As(err, &malf):
		return rules.Problems{{Message: malf.Text(v.Lang)}}
	}
	return nil
}

// rulesetDiff is what a version changed from the one before, line by
// line; long runs of unchanged lines are folded.
type rulesetDiff struct {
	From, To int
	Lines    []diffLine
}

// diffLine is a line of a diff: Kind is "=", "-" (only in From) or "+"
// (only in To), or "…" for folded unchanged lines.
type diffLine struct {
	Kind     string
	Old, New int // line numbers, 0 where the line is not in that version
	Text     string
}

// diffContext is how many unchanged lines a diff keeps around a change.
const diffContext = 2

// rulesetDiff compares version n of a campaign's ruleset with the one
// before it.
func (h *pages) rulesetDiff(c *fiber.Ctx, slug string, n int) (*rulesetDiff, error) {
	ctx := c.UserContext()
	to, err := h.DB.Ruleset(ctx, slug, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	from, err := h.DB.Ruleset(ctx, slug, n-1)
	if err != nil {
		return nil, err
	}
	return &rulesetDiff{From: n - 1, To: n, Lines: diffLines(from.Source, to.Source)}, nil
}

// diffLines compares two texts line by line (sergi/go-diff's line mode)
// and folds the unchanged lines far from a change.
func diffLines(a, b string) []diffLine {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var all []diffLine
	oldN, newN := 0, 0
	for _, d := range diffs {
		for _, text := range strings.SplitAfter(d.Text, "\n") {
			if text == "" {
				continue
			}
			text = strings.TrimSuffix(text, "\n")
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				oldN++
				newN++
				all = append(all, diffLine{Kind: "=", Old: oldN, New: newN, Text: text})
			case diffmatchpatch.DiffDelete:
				oldN++
				all = append(all, diffLine{Kind: "-", Old: oldN, Text: text})
			case diffmatchpatch.DiffInsert:
				newN++
				all = append(all, diffLine{Kind: "+", New: newN, Text: text})
			}
		}
	}
	near := make([]bool, len(all))
	for i, l := range all {
		if l.Kind != "=" {
			for j := max(0, i-diffContext); j <= min(len(all)-1, i+diffContext); j++ {
				near[j] = true
			}
		}
	}
	var out []diffLine
	for i, l := range all {
		switch {
		case near[i]:
			out = append(out, l)
		case len(out) == 0 || out[len(out)-1].Kind != "…":
			out = append(out, diffLine{Kind: "…"})
		}
	}
	return out
}
