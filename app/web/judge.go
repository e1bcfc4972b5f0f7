package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

type judgeView struct {
	page
	Assignments []store.Assignment
	Progress    store.Progress
}

// judgeHome lists the signed-in judge's assignments with their progress.
func (h *pages) judgeHome(c *fiber.Ctx) error {
	v := judgeView{page: h.base(c, text(langOf(c), "judge.title"))}
	var err error
	v.Assignments, _, v.Progress, err = h.Platform.MyAssignments(c.UserContext(),
		store.AssignmentFilter{Page: store.Page{Limit: store.MaxLimit}})
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "judge", "", v)
}

type scoreView struct {
	page
	Project *store.ProjectDetail
	Rubric  []criterionInput
	Comment string
	Scored  bool       // the judge has a score of the project on record
	Others  []scoreRow // every judge's score, once the judge's own is in
	Saved   bool
	// Next is the judge's next project to score once this one is saved
	// (the first unscored after it, or before it); nil when all are done.
	Next   *store.ProjectRef
	Errors formErrors
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
		mine, _, _, err := h.Platform.MyAssignments(c.UserContext(), store.AssignmentFilter{Page: store.Page{Limit: store.MaxLimit}})
		if err != nil {
			return err
		}
		v.Next = nextToScore(mine, v.Project.ID)
	}
	return h.render(c, fiber.StatusOK, "judgescore", "", v)
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
	return c.Redirect(fmt.Sprintf("/judge/projects/%d?saved=1", v.Project.ID), fiber.StatusSeeOther)
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
	for _, k := range j.Criteria {
		in := criterionInput{JudgingCriterion: k, Name: "c." + k.Key}
		if g, ok := given[k.Key]; ok {
			in.Value = strconv.FormatFloat(g, 'f', -1, 64)
		}
		v.Rubric = append(v.Rubric, in)
	}
	return v, nil
}
