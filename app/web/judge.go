package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

type judgeView struct {
	page
	Assignments []store.Assignment
	Progress    store.Progress
	// The queue's filters: State is "todo" (the default), "done" or
	// "all"; Campaign and Level "" for any.
	State, Campaign, Level string
	Campaigns              []judgeFilter // campaigns of the judge's assignments, with their counts
	Levels                 []judgeFilter // levels of units, with their counts
	// Shown counts the assignments the campaign and level filters keep,
	// for the state tabs.
	Shown   store.Progress
	Names   map[string]string // campaigns' names by slug
	Recused bool              // the judge just declared a conflict
	Multi   bool              // assignments in more than one campaign: name the campaign per row
	// Totals are the judge's scores of the scored rows, 0..100 as the
	// committee counts them, by project id.
	Totals map[int64]float64
}

// judgeFilter is one choice of a filter of the judge's queue, with how
// many assignments it holds and how many are scored.
type judgeFilter struct {
	Value, Name string
	store.Progress
}

// judgeHome is the judge's queue: the assignments left to score first,
// filtered by state, campaign and level of the projects' units, each
// choice with its count.
func (h *pages) judgeHome(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := judgeView{page: h.base(c, text(langOf(c), "judge.title")), State: c.Query("state", "todo"),
		Campaign: c.Query("campaign"), Level: c.Query("level"), Recused: c.Query("recused") != "", Names: map[string]string{}}
	f := store.AssignmentFilter{Campaign: v.Campaign, Level: v.Level, Page: store.Page{Limit: store.MaxLimit}}
	switch v.State {
	case "todo":
		f.Scored = ptr(false)
	case "done":
		f.Scored = ptr(true)
	case "all":
	default:
		return errNotFound
	}
	groups, err := h.Platform.MyAssignmentGroups(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		v.Names[g.Campaign] = g.CampaignName
		v.Campaigns = addFilter(v.Campaigns, g.Campaign, g.CampaignName, g.Progress)
		if v.Campaign == "" || v.Campaign == g.Campaign {
			v.Levels = addFilter(v.Levels, g.Level, label(v.Lang, "level", g.Level), g.Progress)
			if v.Level == "" || v.Level == g.Level {
				v.Shown.Done += g.Done
				v.Shown.Total += g.Total
			}
		}
	}
	v.Multi = len(v.Campaigns) > 1
	v.Assignments, _, v.Progress, err = h.Platform.MyAssignments(ctx, f)
	if err != nil {
		return err
	}
	if v.Totals, err = h.scoreTotals(c, v.Assignments); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "judge", "", v)
}

// scoreTotals computes the judge's total of each scored assignment, with
// each campaign's rubric read once.
func (h *pages) scoreTotals(c *fiber.Ctx, as []store.Assignment) (map[int64]float64, error) {
	totals := map[int64]float64{}
	rubrics := map[string]*rules.Judging{}
	for _, a := range as {
		if a.Score == nil {
			continue
		}
		j, ok := rubrics[a.Campaign]
		if !ok {
			var err error
			if j, err = h.Platform.CampaignRubric(c.UserContext(), a.Campaign); err != nil {
				return nil, err
			}
			rubrics[a.Campaign] = j
		}
		var given map[string]float64
		if j == nil || json.Unmarshal(a.Score.Criteria, &given) != nil {
			continue
		}
		totals[a.Project.ID] = 100 * scoring.JudgeTotal(*j, given)
	}
	return totals, nil
}

func ptr[T any](v T) *T { return &v }

// addFilter counts a group in the filter choice of its value, adding the
// choice when new.
func addFilter(fs []judgeFilter, value, name string, p store.Progress) []judgeFilter {
	for i := range fs {
		if fs[i].Value == value {
			fs[i].Done += p.Done
			fs[i].Total += p.Total
			return fs
		}
	}
	return append(fs, judgeFilter{Value: value, Name: name, Progress: p})
}

type scoreView struct {
	page
	Project *store.ProjectDetail
	Rubric  []criterionInput
	Comment string
	Scored  bool // the judge has a score of the project on record
	// Total is the judge's score as the committee counts it, 0..100, of
	// the values on record or typed (a script updates it as they are
	// typed); Points and MaxPoints the raw sum of the criteria.
	Total, Points, MaxPoints float64
	Reason                   string     // a conflict declared, as typed, when refused
	Others                   []scoreRow // every judge's score, once the judge's own is in
	Saved                    bool
	// Previous is the project scored just before, when the judge went on
	// with "save and score the next".
	Previous *store.ProjectRef
	// Next is the judge's next project to score once this one is saved
	// (the first unscored after it, or before it); nil when all are done.
	Next   *store.ProjectRef
	Errors formErrors

	rubric rules.Judging
}

// scoreRow is one judge's score, by rubric criterion.
type scoreRow struct {
	Judge   string
	Values  []float64
	Comment string
}

// criterionInput is one rubric criterion's field in the score form.
type criterionInput struct {
	rules.JudgingCriterion
	Name  string
	Value string
}

// judgeProject is the score form: the project and the rubric on one
// screen; the other judges' scores show once the judge's own is in.
func (h *pages) judgeProject(c *fiber.Ctx) error {
	v, err := h.scoreForm(c)
	if err != nil {
		return err
	}
	if v.Saved = c.Query("saved") != ""; v.Saved {
		if v.Next, err = h.nextToScore(c, v.Project.ID); err != nil {
			return err
		}
	}
	if prev, err := strconv.ParseInt(c.Query("after"), 10, 64); err == nil {
		if p, err := h.Platform.MyAssignment(c.UserContext(), prev); err == nil && p.Score != nil {
			v.Previous = &p.Project
		}
	}
	return h.render(c, fiber.StatusOK, "judgescore", "", v)
}

// nextToScore is the judge's next project left to score after project.
func (h *pages) nextToScore(c *fiber.Ctx, project int64) (*store.ProjectRef, error) {
	todo, _, _, err := h.Platform.MyAssignments(c.UserContext(), store.AssignmentFilter{Scored: ptr(false), Page: store.Page{Limit: store.MaxLimit}})
	if err != nil {
		return nil, err
	}
	return nextToScore(todo, project), nil
}

// nextToScore is the first unscored assignment after project (by id), or
// else before it: a judge with forty projects goes from one to the next.
func nextToScore(mine []store.Assignment, project int64) *store.ProjectRef {
	var first *store.ProjectRef
	for i := range mine {
		a := &mine[i]
		if a.Score != nil || a.Project.ID == project {
			continue
		}
		if a.Project.ID > project {
			return &a.Project
		}
		if first == nil {
			first = &a.Project
		}
	}
	return first
}

// judgeScore records the judge's score, checked against the rubric;
// problems show in place.
func (h *pages) judgeScore(c *fiber.Ctx) error {
	v, err := h.scoreForm(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	criteria := map[string]float64{}
	fields := map[string]string{}
	for i, in := range v.Rubric {
		fields["criteria."+in.Key] = in.Name
		raw, n, ok := ck.number(c, in.Name)
		v.Rubric[i].Value = raw
		if ok {
			criteria[in.Key] = n
		}
	}
	v.Comment = c.FormValue("comment")
	v.total(criteria)
	if len(ck.errors) == 0 {
		_, err = h.Platform.Score(c.UserContext(), v.Project.ID, platform.ScoreInput{Criteria: criteria, Comment: v.Comment})
		if err = ck.refused(err, fields); err != nil {
			return err
		}
	}
	if len(ck.errors) > 0 {
		v.Errors = ck.errors
		return h.render(c, ck.status(), "judgescore", "", v)
	}
	if c.FormValue("then") == "next" {
		next, err := h.nextToScore(c, v.Project.ID)
		if err != nil {
			return err
		}
		if next != nil {
			return c.Redirect(fmt.Sprintf("/judge/projects/%d?after=%d", next.ID, v.Project.ID), fiber.StatusSeeOther)
		}
	}
	return c.Redirect(fmt.Sprintf("/judge/projects/%d?saved=1", v.Project.ID), fiber.StatusSeeOther)
}

// judgeRecuse declares the judge's conflict of interest with a project:
// the assignment goes, with the score if one was given, and the judge is
// back at the queue.
func (h *pages) judgeRecuse(c *fiber.Ctx) error {
	v, err := h.scoreForm(c)
	if err != nil {
		return err
	}
	ck := &check{lang: v.Lang}
	v.Reason = strings.TrimSpace(c.FormValue("reason"))
	_, err = h.Platform.Recuse(c.UserContext(), v.Project.ID, platform.Recusal{Reason: v.Reason})
	if err == nil {
		return c.Redirect(fmt.Sprintf("/judge?recused=%d", v.Project.ID), fiber.StatusSeeOther)
	}
	if err := ck.refused(err, nil); err != nil {
		return err
	}
	v.Errors = ck.errors
	return h.render(c, ck.status(), "judgescore", "", v)
}

// scoreForm reads what the score form shows: the project, its rubric
// filled with the judge's score, and the scores the judge may see.
func (h *pages) scoreForm(c *fiber.Ctx) (*scoreView, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	ctx := c.UserContext()
	p, err := h.DB.ProjectByID(ctx, id)
	if err != nil {
		return nil, err
	}
	mine, err := h.Platform.MyAssignment(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errForbidden // not assigned to this judge
	}
	if err != nil {
		return nil, err
	}
	j, err := h.Platform.Rubric(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &scoreView{page: h.base(c, p.Title), Project: p}
	given := map[string]float64{}
	if sc := mine.Score; sc != nil {
		if err := json.Unmarshal(sc.Criteria, &given); err != nil {
			return nil, err
		}
		v.Scored, v.Comment = true, sc.Comment
		all, err := h.Platform.ProjectScores(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, s := range all {
			var m map[string]float64
			if err := json.Unmarshal(s.Criteria, &m); err != nil {
				return nil, err
			}
			row := scoreRow{Judge: s.Judge, Comment: s.Comment}
			for _, k := range j.Criteria {
				row.Values = append(row.Values, m[k.Key])
			}
			v.Others = append(v.Others, row)
		}
	}
	v.rubric = *j
	for _, k := range j.Criteria {
		in := criterionInput{JudgingCriterion: k, Name: "c." + k.Key}
		if g, ok := given[k.Key]; ok {
			in.Value = strconv.FormatFloat(g, 'f', -1, 64)
		}
		v.Rubric = append(v.Rubric, in)
	}
	v.total(given)
	return v, nil
}

// total computes the running total of the values given, as the committee
// counts a judge's score.
func (v *scoreView) total(given map[string]float64) {
	v.Total = 100 * scoring.JudgeTotal(v.rubric, given)
	v.Points, v.MaxPoints = 0, 0
	for _, k := range v.rubric.Criteria {
		v.Points += min(max(given[k.Key], 0), k.Max)
		v.MaxPoints += k.Max
	}
}
