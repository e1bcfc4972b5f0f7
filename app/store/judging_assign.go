package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Assignment is a judge's assignment to a project, with the judge's score
// of it once given.
type Assignment struct {
	Campaign   string     `json:"campaign"`
	Project    ProjectRef `json:"project"`
	Judge      string     `json:"judge"`
	AssignedAt time.Time  `json:"assigned_at"`
	AssignedBy string     `json:"assigned_by"`
	Score      *Score     `json:"score"`
}

type assignmentRow struct {
	ProjectID  int64
	UserID     int64
	AssignedAt time.Time
	AssignedBy string
}

func (assignmentRow) TableName() string { return "judge_assignments" }

// Assign assigns a committee member to a project by hand. A judge who is
// conflicted with the project, or not on the committee, is ErrConflict;
// assigning again changes nothing.
func (db *DB) Assign(ctx context.Context, project int64, username string) (*Assignment, error) {
	var out *Assignment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, uid, err := assignable(tx, project, username, false)
		if err != nil {
			return err
		}
		if bad, err := conflicted(tx, p.CampaignID, username, project); err != nil || bad {
			if err == nil {
				err = conflict("username", "%q has a conflict of interest with project %d", username, project)
			}
			return err
		}
		var n int64
		if err := tx.Model(&assignmentRow{}).Where("project_id = ? AND user_id = ?", project, uid).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			row := assignmentRow{ProjectID: project, UserID: uid, AssignedAt: db.Now(), AssignedBy: ActorFrom(ctx).Username}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			if err := db.audit(ctx, tx, "assign", "judge_assignment", judgeKey(project, username), nil, row); err != nil {
				return err
			}
		}
		as, err := assignments(tx.Where("a.project_id = ? AND a.user_id = ?", project, uid), Page{Limit: 1})
		if err == nil {
			out = &as[0]
		}
		return err
	})
	return out, err
}

// Unassign takes a project from a judge; a judge who has scored it keeps it
// (ErrConflict).
func (db *DB) Unassign(ctx context.Context, project int64, username string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		// Alone: a score being saved for this assignment must land first
		// (and then keeps it), never after it is gone.
		_, uid, err := assignable(tx, project, username, true)
		if err != nil {
			return err
		}
		var scored int64
		if err := tx.Model(&Score{}).Where("project_id = ? AND user_id = ?", project, uid).Count(&scored).Error; err != nil {
			return err
		}
		if scored > 0 {
			return conflict("", "%q has already scored project %d; the score stays", username, project)
		}
		var rows []assignmentRow
		if err := tx.Where("project_id = ? AND user_id = ?", project, uid).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("%q is not assigned to project %d", username, project)
		}
		if err := tx.Delete(&assignmentRow{}, "project_id = ? AND user_id = ?", project, uid).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "unassign", "judge_assignment", judgeKey(project, username), rows[0], nil)
	})
}

// assignable checks that the admin may change who judges the project: it
// exists, is in competition, its round is open, and the user is on the
// committee (a user who is not is ErrConflict here: the admin must add them).
// It holds the campaign, alone or not (see holdCampaign).
func assignable(tx *gorm.DB, project int64, username string, alone bool) (projectInfo, int64, error) {
	p, err := projectOf(tx, project)
	if err != nil {
		return p, 0, err
	}
	if err := holdCampaign(tx, p.CampaignID, alone); err != nil {
		return p, 0, err
	}
	if p.Status == StatusRejected || p.Status == StatusWithdrawn {
		return p, 0, conflict("", "project %d is %s", project, p.Status)
	}
	if err := unlocked(tx, p.CampaignID); err != nil {
		return p, 0, err
	}
	uid, err := member(tx, p.CampaignID, username)
	if se, ok := err.(*Error); ok && se.Kind == ErrForbidden {
		err = conflict("username", "%q is not on this campaign's judging committee: add them first", username)
	}
	return p, uid, err
}

// AssignmentFilter narrows a judge's assignments.
type AssignmentFilter struct {
	Campaign string // slug; "" for every campaign
	// Scored keeps the assignments the judge has scored (true) or those
	// left to score (false: of projects in competition only); nil keeps
	// every one.
	Scored *bool
	Level  string // the level of the project's unit; "" for any
	Page
}

// AssignmentGroup counts a judge's assignments of projects in competition
// in one campaign at one level of units: the filters of the judge's queue.
type AssignmentGroup struct {
	Campaign     string
	CampaignName string
	Level        string
	Progress
}

// AssignmentGroups counts a judge's assignments of projects in competition,
// scored and in all, by campaign and level of the projects' units: one
// grouped query.
func (db *DB) AssignmentGroups(ctx context.Context, username string) ([]AssignmentGroup, error) {
	var out []AssignmentGroup
	err := db.gorm.WithContext(ctx).Table("judge_assignments a").
		Select("c.slug AS campaign, c.name AS campaign_name, u.level, COUNT(*) AS total, COUNT(s.id) AS done").
		Joins("JOIN users us ON us.id = a.user_id").
		Joins("JOIN projects p ON p.id = a.project_id").
		Joins("JOIN campaigns c ON c.id = p.campaign_id").
		Joins("JOIN units u ON u.id = p.unit_id").
		Joins("LEFT JOIN judge_scores s ON s.project_id = a.project_id AND s.user_id = a.user_id").
		Where("us.username = ? AND "+activeProject, username).
		Group("c.slug, c.name, c.starts_on, u.level").Order("c.starts_on DESC, c.slug, u.level").Scan(&out).Error
	return out, err
}

// MyAssignments lists the projects assigned to a judge, by project id, with
// the judge's scores, and their progress over every page.
func (db *DB) MyAssignments(ctx context.Context, username string, f AssignmentFilter) ([]Assignment, string, Progress, error) {
	var (
		out  []Assignment
		next string
		prog Progress
	)
	var after int64
	if err := f.decode(&after); err != nil {
		return nil, "", prog, err
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Where("us.username = ?", username)
		if f.Campaign != "" {
			if _, err := campaignID(tx, f.Campaign); err != nil {
				return err
			}
			q = q.Where("c.slug = ?", f.Campaign)
		}
		list := q
		switch {
		case f.Scored == nil:
		case *f.Scored:
			list = list.Where("s.id IS NOT NULL")
		default:
			list = list.Where("s.id IS NULL AND " + activeProject)
		}
		if f.Level != "" {
			list = list.Where("u.level = ?", f.Level)
		}
		var err error
		if out, err = assignments(list.Where("a.project_id > ?", after), Page{Limit: f.limit() + 1}); err != nil {
			return err
		}
		out, next = paginate(out, f.limit(), func(a Assignment) any { return a.Project.ID })
		q = tx.Table("judge_assignments a").
			Select("COUNT(*) AS total, COUNT(s.id) AS done").
			Joins("JOIN users us ON us.id = a.user_id").
			Joins("JOIN projects p ON p.id = a.project_id").
			Joins("JOIN campaigns c ON c.id = p.campaign_id").
			Joins("LEFT JOIN judge_scores s ON s.project_id = a.project_id AND s.user_id = a.user_id").
			Where("us.username = ? AND "+activeProject, username)
		if f.Campaign != "" {
			q = q.Where("c.slug = ?", f.Campaign)
		}
		return q.Scan(&prog).Error
	})
	return out, next, prog, err
}

// assignments reads assignments with their projects and scores, by
// project id; tx carries the conditions.
func assignments(tx *gorm.DB, p Page) ([]Assignment, error) {
	var rows []struct {
		Campaign   string
		ID         int64
		Title      string
		Unit       string
		UnitName   string
		Status     string
		Judge      string
		AssignedAt time.Time
		AssignedBy string
		ScoreID    *int64
		Criteria   JSON
		Comment    string
		CreatedAt  *time.Time
		UpdatedAt  *time.Time
	}
	err := tx.Table("judge_assignments a").
		Select(`c.slug AS campaign, p.id, p.title, u.code AS unit, u.name AS unit_name, p.status,
			us.username AS judge, a.assigned_at, a.assigned_by,
			s.id AS score_id, s.criteria, COALESCE(s.comment, '') AS comment, s.created_at, s.updated_at`).
		Joins("JOIN users us ON us.id = a.user_id").
		Joins("JOIN projects p ON p.id = a.project_id").
		Joins("JOIN campaigns c ON c.id = p.campaign_id").
		Joins("JOIN units u ON u.id = p.unit_id").
		Joins("LEFT JOIN judge_scores s ON s.project_id = a.project_id AND s.user_id = a.user_id").
		Order("a.project_id").Limit(p.limit()).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]Assignment, len(rows))
	for i, r := range rows {
		out[i] = Assignment{
			Campaign: r.Campaign, Judge: r.Judge, AssignedAt: r.AssignedAt, AssignedBy: r.AssignedBy,
			Project: ProjectRef{ID: r.ID, Title: r.Title, Unit: r.Unit, UnitName: r.UnitName, Status: r.Status},
		}
		if r.ScoreID != nil {
			out[i].Score = &Score{ID: *r.ScoreID, ProjectID: r.ID, Judge: r.Judge, Criteria: r.Criteria,
				Comment: r.Comment, CreatedAt: *r.CreatedAt, UpdatedAt: *r.UpdatedAt}
		}
	}
	return out, nil
}

// AutoAssign asks that every project in competition have PerProject judges.
type AutoAssign struct {
	PerProject int
	// Partial assigns what is possible when some projects cannot get
	// PerProject judges free of conflict; without it nothing is assigned
	// and the error lists those projects.
	Partial bool
}

// Shortfall is a project that cannot get enough judges free of conflict.
type Shortfall struct {
	Project  int64 `json:"project"`
	Assigned int   `json:"assigned"` // after this run
	Wanted   int   `json:"wanted"`
}

// AssignResult is what an auto-assignment did.
type AssignResult struct {
	PerProject int            `json:"per_project"`
	Projects   int            `json:"projects"` // in competition
	Added      int            `json:"added"`
	Short      []Shortfall    `json:"short"`
	Loads      map[string]int `json:"loads"` // each judge's assignments now
}

// AutoAssign gives every project of the campaign that is in competition
// (not rejected or withdrawn) a.PerProject judges of its committee, never a
// conflicted one, keeping every existing assignment and score: running it
// again only fills gaps. Judges' loads are kept within one of each other
// where conflicts allow. When some projects cannot be served, it is
// ErrConflict naming them and nothing is written, unless a.Partial.
func (db *DB) AutoAssign(ctx context.Context, slug string, a AutoAssign) (*AssignResult, error) {
	var res *AssignResult
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := heldCampaign(tx, slug)
		if err != nil {
			return err
		}
		if err := unlocked(tx, cid); err != nil {
			return err
		}
		var projects []int64
		if err := tx.Table("projects p").Where("p.campaign_id = ? AND "+activeProject, cid).
			Order("p.id").Pluck("p.id", &projects).Error; err != nil {
			return err
		}
		judges, err := committee(tx, cid, "", Page{})
		if err != nil {
			return err
		}
		var existing []assignmentRow
		if err := tx.Table("judge_assignments a").Select("a.project_id, a.user_id").
			Joins("JOIN projects p ON p.id = a.project_id").
			Where("p.campaign_id = ? AND "+activeProject, cid).Scan(&existing).Error; err != nil {
			return err
		}
		conflicts, err := conflictPairs(tx, cid)
		if err != nil {
			return err
		}
		ids := make([]int64, len(judges))
		for i, j := range judges {
			ids[i] = j.UserID
		}
		plan := planAssignments(projects, ids, existing, conflicts, a.PerProject)
		if len(plan.short) > 0 && !a.Partial {
			return shortError(plan.short, a.PerProject)
		}
		now, by := db.Now(), ActorFrom(ctx).Username
		rows := make([]assignmentRow, len(plan.add))
		for i, p := range plan.add {
			rows[i] = assignmentRow{ProjectID: p.project, UserID: p.user, AssignedAt: now, AssignedBy: by}
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(&rows, 1000).Error; err != nil {
				return err
			}
		}
		res = &AssignResult{PerProject: a.PerProject, Projects: len(projects), Added: len(rows),
			Short: plan.short, Loads: make(map[string]int, len(judges))}
		if res.Short == nil {
			res.Short = []Shortfall{}
		}
		names := make(map[int64]string, len(judges))
		for _, j := range judges {
			names[j.UserID] = j.Username
			res.Loads[j.Username] = plan.load[j.UserID]
		}
		added := make([]string, len(plan.add))
		for i, p := range plan.add {
			added[i] = judgeKey(p.project, names[p.user])
		}
		return db.audit(ctx, tx, "auto_assign", "judging", slug, nil, map[string]any{
			"per_project": a.PerProject, "added": added, "short": res.Short})
	})
	return res, err
}

// shortFormat says which projects (#id, with the judges they could get)
// cannot get k judges.
const shortFormat = "%d project(s) cannot get %d judges free of conflicts of interest: %s; nothing was assigned: " +
	"add judges, lower per_project, or send \"partial\": true to assign what is possible"

func shortError(short []Shortfall, k int) error {
	ids := make([]string, len(short))
	for i, s := range short {
		ids[i] = fmt.Sprintf("#%d (%d)", s.Project, s.Assigned)
	}
	return conflict("per_project", shortFormat, len(short), k, strings.Join(ids, ", "))
}

// assignmentPlan is what planAssignments decides.
type assignmentPlan struct {
	add   []pair
	short []Shortfall
	load  map[int64]int // judge → assignments, existing and added
}

// planAssignments chooses judges for the projects, k each, keeping the
// existing assignments. It serves the most constrained projects first
// (fewest eligible judges), each with the least-loaded eligible judges (ties
// by id), then moves new assignments from the most to the least loaded
// judges while their loads differ by more than one and a conflict-free move
// exists. Each project gets as many judges as it can; it is pure and
// deterministic.
func planAssignments(projects, judges []int64, existing []assignmentRow, conflicts map[pair]bool, k int) assignmentPlan {
	plan := assignmentPlan{load: make(map[int64]int, len(judges))}
	taken := make(map[pair]bool, len(existing))
	have := make(map[int64]int, len(projects))
	isJudge := make(map[int64]bool, len(judges))
	for _, j := range judges {
		isJudge[j] = true
		plan.load[j] = 0
	}
	for _, a := range existing {
		taken[pair{a.UserID, a.ProjectID}] = true
		have[a.ProjectID]++
		if isJudge[a.UserID] {
			plan.load[a.UserID]++
		}
	}
	eligible := func(j, p int64) bool { return !conflicts[pair{j, p}] && !taken[pair{j, p}] }

	type need struct {
		project int64
		free    []int64
	}
	var needs []need
	for _, p := range projects {
		if have[p] >= k {
			continue
		}
		n := need{project: p}
		for _, j := range judges {
			if eligible(j, p) {
				n.free = append(n.free, j)
			}
		}
		needs = append(needs, n)
	}
	slices.SortStableFunc(needs, func(a, b need) int { return cmp.Compare(len(a.free), len(b.free)) })
	for _, n := range needs {
		slices.SortStableFunc(n.free, func(a, b int64) int {
			return cmp.Or(cmp.Compare(plan.load[a], plan.load[b]), cmp.Compare(a, b))
		})
		want := k - have[n.project]
		got := min(want, len(n.free))
		for _, j := range n.free[:got] {
			plan.add = append(plan.add, pair{j, n.project})
			taken[pair{j, n.project}] = true
			plan.load[j]++
		}
		if got < want {
			plan.short = append(plan.short, Shortfall{Project: n.project, Assigned: have[n.project] + got, Wanted: k})
		}
	}
	slices.SortFunc(plan.short, func(a, b Shortfall) int { return cmp.Compare(a.Project, b.Project) })

	// Each move lowers the sum of squared loads, so this ends.
	for moved := true; moved; {
		moved = false
		for i, a := range plan.add {
			best := a.user
			for _, j := range judges {
				if plan.load[j] < plan.load[best] && plan.load[a.user]-plan.load[j] > 1 && eligible(j, a.project) {
					best = j
				}
			}
			if best == a.user {
				continue
			}
			delete(taken, a)
			plan.load[a.user]--
			plan.add[i].user = best
			taken[plan.add[i]] = true
			plan.load[best]++
			moved = true
		}
	}
	slices.SortFunc(plan.add, func(a, b pair) int { return cmp.Or(cmp.Compare(a.project, b.project), cmp.Compare(a.user, b.user)) })
	return plan
}
