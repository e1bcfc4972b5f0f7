package platform

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// The judging committee: the campaign's organisers put judges on it,
// assign them projects and lock the round; judges score what they are
// assigned. Which judge may score or see what, the committee's rules in
// the store decide (assignments, conflicts of interest, the lock).

// JudgeRef names a judge by username.
type JudgeRef struct {
	Username string `json:"username" validate:"required,max=64"`
}

// AddJudge puts a judge on a campaign's committee.
func (s *Service) AddJudge(ctx context.Context, slug string, in JudgeRef) (*store.Judge, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	return s.db.AddJudge(ctx, slug, in.Username)
}

// Judges lists a campaign's committee with each judge's progress.
func (s *Service) Judges(ctx context.Context, slug string, p store.Page) ([]store.Judge, string, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, "", err
	}
	return s.db.Judges(ctx, slug, p)
}

// RemoveJudge takes a judge off the committee with their assignments; a
// judge who has scored stays unless withdraw, which withdraws their scores.
func (s *Service) RemoveJudge(ctx context.Context, slug, username string, withdraw bool) (*store.JudgeRemoval, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	return s.db.RemoveJudge(ctx, slug, username, withdraw)
}

// AutoAssign is how to assign judges automatically.
type AutoAssign struct {
	// PerProject defaults to the ruleset's judging.min_judges.
	PerProject *int `json:"per_project" validate:"omitempty,min=1,max=50"`
	// Partial assigns what is possible when some projects cannot get
	// per_project judges free of conflict; otherwise that is a conflict
	// and nothing is assigned.
	Partial bool `json:"partial"`
}

// AutoAssign gives every project in competition its judges: balanced,
// conflict-free, only filling gaps.
func (s *Service) AutoAssign(ctx context.Context, slug string, in AutoAssign) (*store.AssignResult, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	if in.PerProject == nil {
		j, err := s.judging(ctx, slug)
		if err != nil {
			return nil, err
		}
		if j == nil {
			return nil, invalid("per_project", "phong trào chưa có bộ quy tắc: hãy nêu số giám khảo mỗi công trình",
				"the campaign has no ruleset yet: send per_project")
		}
		in.PerProject = &j.MinJudges
	}
	return s.db.AutoAssign(ctx, slug, store.AutoAssign{PerProject: *in.PerProject, Partial: in.Partial})
}

// organiseProject loads a project whose campaign the actor organises.
func (s *Service) organiseProject(ctx context.Context, id int64) (*store.Project, error) {
	p, err := s.db.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.organise(ctx, p.Campaign); err != nil {
		return nil, err
	}
	return p, nil
}

// Assign assigns a judge of the committee to a project by hand.
func (s *Service) Assign(ctx context.Context, project int64, username string) (*store.Assignment, error) {
	if _, err := s.organiseProject(ctx, project); err != nil {
		return nil, err
	}
	return s.db.Assign(ctx, project, username)
}

// Unassign takes a project from a judge who has not scored it.
func (s *Service) Unassign(ctx context.Context, project int64, username string) error {
	if _, err := s.organiseProject(ctx, project); err != nil {
		return err
	}
	return s.db.Unassign(ctx, project, username)
}

// LockJudging locks a campaign's round: its scores become final.
func (s *Service) LockJudging(ctx context.Context, slug string) (*store.JudgingLock, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	return s.db.LockJudging(ctx, slug)
}

// UnlockJudging reopens a campaign's round.
func (s *Service) UnlockJudging(ctx context.Context, slug string) error {
	if _, err := s.organise(ctx, slug); err != nil {
		return err
	}
	return s.db.UnlockJudging(ctx, slug)
}

// JudgingOverview is the committee chair's view of a round.
type JudgingOverview struct {
	Locked   bool               `json:"locked"`
	Lock     *store.JudgingLock `json:"lock"`
	Judging  *rules.Judging     `json:"judging"` // the rubric and aggregation used; null without a ruleset
	Projects []ProjectJudging   `json:"projects"`
	Judges   []store.Judge      `json:"judges"`
}

// ProjectJudging is a project's line in the overview. Aggregate (0..1) and
// Spread (highest minus lowest judge's score) are null until it is scored.
type ProjectJudging struct {
	store.ProjectJudging
	Aggregate *float64 `json:"aggregate"`
	Spread    *float64 `json:"spread"`
	Final     bool     `json:"final"` // scored by at least min_judges
}

// JudgingOverview is a round's every project with its scores aggregated
// as the runs do, and every judge's progress.
func (s *Service) JudgingOverview(ctx context.Context, slug string) (*JudgingOverview, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	j, err := s.judging(ctx, slug)
	if err != nil {
		return nil, err
	}
	o, err := s.db.JudgingOverview(ctx, slug)
	if err != nil {
		return nil, err
	}
	out := &JudgingOverview{Locked: o.Lock != nil, Lock: o.Lock, Judging: j, Judges: o.Judges,
		Projects: make([]ProjectJudging, len(o.Projects))}
	var results map[int64]scoring.ProjectResult
	if j != nil {
		c := scoring.NewCommittee(*j)
		for _, sc := range o.Scores {
			c.Add(scoring.JudgeScore(sc))
		}
		results = c.Results()
	}
	for i, p := range o.Projects {
		out.Projects[i].ProjectJudging = p
		if r, ok := results[p.ID]; ok {
			out.Projects[i].Aggregate, out.Projects[i].Spread, out.Projects[i].Final = &r.Score, &r.Spread, r.Final
		}
	}
	if out.Judges == nil {
		out.Judges = []store.Judge{}
	}
	return out, nil
}

// ScoreInput is a judge's score of a project: a value in 0..max for each
// rubric criterion, by key, and a comment.
type ScoreInput struct {
	Criteria map[string]float64 `json:"criteria" validate:"required"`
	Comment  string             `json:"comment" validate:"max=5000"`
}

// Score records or revises the signed-in judge's score of a project,
// checked against the rubric of the campaign's current ruleset.
func (s *Service) Score(ctx context.Context, project int64, in ScoreInput) (*store.Score, error) {
	a := ActorFrom(ctx)
	if err := policy.Score(a); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	// The rubric is that of the ruleset the write's transaction reads, from
	// the cache; when it does not hold it yet, it is read first, as before
	// the write read the project's campaign itself.
	sc, err := s.db.SaveCheckedScore(ctx, project, a.Username, in.Criteria, in.Comment, func(owner store.ProjectOwner) error {
		j, err := s.rubricOf(ctx, owner, true)
		if err != nil {
			return err
		}
		return checkCriteria(j.Criteria, in.Criteria)
	})
	if !errors.Is(err, errUncached) {
		return sc, err
	}
	j, err := s.Rubric(ctx, project)
	if err != nil {
		return nil, err
	}
	if err := checkCriteria(j.Criteria, in.Criteria); err != nil {
		return nil, err
	}
	return s.db.SaveScore(ctx, project, a.Username, in.Criteria, in.Comment)
}

// Rubric is the judging section of the current ruleset of a project's
// campaign; a campaign without a rubric yet is a Conflict.
func (s *Service) Rubric(ctx context.Context, project int64) (*rules.Judging, error) {
	owner, err := s.db.ProjectOwnerOf(ctx, project)
	if err != nil {
		return nil, err
	}
	return s.rubricOf(ctx, owner, false)
}

// rubricOf is Rubric of a project whose owner is read, from the cache
// alone when cached (errUncached when it does not hold the ruleset).
func (s *Service) rubricOf(ctx context.Context, owner store.ProjectOwner, cached bool) (*rules.Judging, error) {
	var j *rules.Judging
	if owner.RulesetVersion > 0 {
		rs, err := s.ruleset(ctx, owner.Campaign, owner.RulesetVersion, cached)
		if err != nil {
			return nil, err
		}
		j = &rs.Judging
	}
	if j == nil || len(j.Criteria) == 0 {
		return nil, conflict("", "bộ quy tắc của phong trào chưa có tiêu chí chấm", "the campaign's ruleset has no judging rubric yet")
	}
	return j, nil
}

// CampaignRubric is the judging section of a campaign's current ruleset
// (public, as the ruleset is), or nil while it has none.
func (s *Service) CampaignRubric(ctx context.Context, slug string) (*rules.Judging, error) {
	return s.judging(ctx, slug)
}

// checkCriteria checks a score against the rubric: every criterion given,
// each in 0..max, and nothing else. Every problem is listed, named
// criteria.<key>.
func checkCriteria(rubric []rules.JudgingCriterion, criteria map[string]float64) error {
	var fields []FieldError
	known := make(map[string]bool, len(rubric))
	for _, k := range rubric {
		known[k.Key] = true
		v, ok := criteria[k.Key]
		switch {
		case !ok:
			fields = append(fields, FieldError{Field: "criteria." + k.Key, msg: message{"tiêu chí này là bắt buộc", "this criterion is required"}})
		case v < 0 || v > k.Max:
			fields = append(fields, FieldError{Field: "criteria." + k.Key,
				msg: message{fmt.Sprintf("phải từ 0 đến %g", k.Max), fmt.Sprintf("must be from 0 to %g", k.Max)}})
		}
	}
	var unknown []string
	for key := range criteria {
		if !known[key] {
			unknown = append(unknown, key)
		}
	}
	slices.Sort(unknown)
	for _, key := range unknown {
		fields = append(fields, FieldError{Field: "criteria." + key,
			msg: message{"không phải tiêu chí chấm của phong trào", "not a criterion of the campaign's rubric"}})
	}
	if len(fields) > 0 {
		return &Invalid{Fields: fields}
	}
	return nil
}

// ProjectScores lists a project's scores by judge: all of them to its
// campaign's organisers; to a judge once they have scored it, never when
// conflicted (the store decides, as store.ErrForbidden).
func (s *Service) ProjectScores(ctx context.Context, project int64) ([]store.Score, error) {
	a := ActorFrom(ctx)
	p, err := s.db.Project(ctx, project)
	if err != nil {
		return nil, err
	}
	if _, err := s.organise(ctx, p.Campaign); err == nil {
		return s.db.ProjectScores(ctx, project, a.Username, true)
	}
	if err := policy.Score(a); err != nil {
		return nil, err
	}
	return s.db.ProjectScores(ctx, project, a.Username, false)
}

// Recusal is a judge's declaration of a conflict of interest.
type Recusal struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// Recuse records the signed-in judge's conflict of interest with a project.
func (s *Service) Recuse(ctx context.Context, project int64, in Recusal) (*store.Recusal, error) {
	a := ActorFrom(ctx)
	if err := policy.Score(a); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	return s.db.Recuse(ctx, project, a.Username, in.Reason)
}

// MyAssignments lists the signed-in judge's assignments with their scores,
// and the judge's progress.
func (s *Service) MyAssignments(ctx context.Context, f store.AssignmentFilter) ([]store.Assignment, string, store.Progress, error) {
	a := ActorFrom(ctx)
	if err := policy.Score(a); err != nil {
		return nil, "", store.Progress{}, err
	}
	return s.db.MyAssignments(ctx, a.Username, f)
}

// MyAssignmentGroups counts the signed-in judge's assignments, scored and
// in all, by campaign and level: the filters of the judge's queue.
func (s *Service) MyAssignmentGroups(ctx context.Context) ([]store.AssignmentGroup, error) {
	a := ActorFrom(ctx)
	if err := policy.Score(a); err != nil {
		return nil, err
	}
	return s.db.AssignmentGroups(ctx, a.Username)
}

// MyAssignment is one of the signed-in judge's assignments.
func (s *Service) MyAssignment(ctx context.Context, project int64) (*store.Assignment, error) {
	a := ActorFrom(ctx)
	if err := policy.Score(a); err != nil {
		return nil, err
	}
	return s.db.MyAssignment(ctx, a.Username, project)
}

// JudgeAssignments lists a committee member's assignments in a campaign,
// for the campaign's organisers.
func (s *Service) JudgeAssignments(ctx context.Context, slug, judge string, p store.Page) ([]store.Assignment, string, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, "", err
	}
	items, next, _, err := s.db.MyAssignments(ctx, judge, store.AssignmentFilter{Campaign: slug, Page: p})
	return items, next, err
}
