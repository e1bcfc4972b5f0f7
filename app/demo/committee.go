package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// The judging committee: the demo's five judges score each completed
// project, three judges to a project, never one with a conflict of interest
// (RULES.md, API.md). Judges differ in how harsh they are, so that the
// committee's z-score normalisation has something to correct.

// Rubric keys of the demo campaign's judging section (RULES.md example).
const (
	CriterionInnovation    = "innovation"
	CriterionEffectiveness = "effectiveness"
	CriterionReplicability = "replicability"
)

// RubricMax is the highest value of every rubric criterion.
const RubricMax = 10

// JudgesPerProject is how many judges score each project.
const JudgesPerProject = 3

// Assignment is a project (an index in Dataset.Projects) given to a judge
// (a username) at a time.
type Assignment struct {
	Project int
	Judge   string
	At      time.Time
}

// Score is a judge's score of an assigned project: 0..RubricMax for each
// rubric criterion, with a comment.
type Score struct {
	Project  int
	Judge    string
	Criteria map[string]float64
	Comment  string
	At       time.Time
}

// committeeSeed seeds each project's own random source, so that a project's
// judging depends only on the project, whatever now is.
const committeeSeed = 20250515

// bias is how each judge's marks lean, in points out of 10.
var bias = map[string]float64{"judge1": 0, "judge2": -0.5, "judge3": -1.5, "judge4": 0.5, "judge5": 1}

var comments = []string{
	"Cách làm sáng tạo, phù hợp với thực tiễn địa phương.",
	"Hiệu quả rõ, có số liệu minh chứng; nên tổng kết để nhân rộng.",
	"Ý tưởng tốt nhưng cần thêm minh chứng về kết quả.",
	"Mô hình dễ áp dụng ở các phường, xã khác.",
	"Người dân tham gia đông, được đánh giá cao.",
	"Cần duy trì thường xuyên, tránh hình thức.",
}

// committee plans the judging of every completed project over the whole
// campaign, in order of completion (so a later now only adds), and cuts it
// at now. Indices follow cutProjects: the plans created by now, in order.
func committee(plans []*plan, infos []unitInfo, now time.Time) (judges []string, as []Assignment, scores []Score) {
	unitOf := map[string]string{}
	for _, u := range users() {
		if u.Role == RoleJudge {
			judges = append(judges, u.Username)
			unitOf[u.Username] = u.Unit
		}
	}
	conflicts := conflictUnits(infos, unitOf)
	index := map[*plan]int{}
	for _, p := range plans {
		if !p.created.After(now) {
			index[p] = len(index)
		}
	}
	done := slices.DeleteFunc(slices.Clone(plans), func(p *plan) bool { return p.completed.IsZero() })
	slices.SortStableFunc(done, func(a, b *plan) int { return cmp.Or(a.completed.Compare(b.completed), cmp.Compare(a.serial, b.serial)) })
	load := map[string]int{}
	for _, p := range done {
		r := rand.New(rand.NewPCG(committeeSeed, uint64(p.serial)))
		free := slices.DeleteFunc(slices.Clone(judges), func(j string) bool { return conflicts[j][p.unit] })
		slices.SortStableFunc(free, func(a, b string) int { return cmp.Or(cmp.Compare(load[a], load[b]), cmp.Compare(a, b)) })
		free = free[:min(JudgesPerProject, len(free))]
		quality := 4 + 5*r.Float64()
		scoring := len(free) // most projects get every score; some wait for one or two
		if x := r.Float64(); x < 0.2 {
			scoring = len(free) - 1 - r.IntN(2)
		}
		assigned := officeHour(p.completed.AddDate(0, 0, 1+r.IntN(5)), r)
		for i, j := range free {
			load[j]++
			scoredAt := officeHour(assigned.AddDate(0, 0, 2+r.IntN(40)), r)
			criteria := map[string]float64{}
			for _, k := range []string{CriterionInnovation, CriterionEffectiveness, CriterionReplicability} {
				criteria[k] = math.Round(min(RubricMax, max(0, quality+bias[j]+3*(r.Float64()-0.5))))
			}
			comment := comments[r.IntN(len(comments))]
			idx, ok := index[p]
			if !ok || assigned.After(now) {
				continue
			}
			as = append(as, Assignment{Project: idx, Judge: j, At: assigned})
			if i < scoring && !scoredAt.After(now) {
				scores = append(scores, Score{Project: idx, Judge: j, Criteria: criteria, Comment: comment, At: scoredAt})
			}
		}
	}
	return judges, as, scores
}

func officeHour(d time.Time, r *rand.Rand) time.Time {
	return dateOf(d).Add(time.Duration(1+r.IntN(9))*time.Hour + time.Duration(r.IntN(60))*time.Minute)
}

// conflictUnits lists, for each judge with a unit, the units whose projects
// they may not judge: their own, those above it but the root, and, unless
// their unit is the root, those below it.
func conflictUnits(infos []unitInfo, unitOf map[string]string) map[string]map[string]bool {
	parent := map[string]string{}
	children := map[string][]string{}
	for _, u := range infos {
		parent[u.unit.Code] = u.unit.Parent
		if u.unit.Parent != "" {
			children[u.unit.Parent] = append(children[u.unit.Parent], u.unit.Code)
		}
	}
	out := map[string]map[string]bool{}
	for judge, unit := range unitOf {
		if unit == "" {
			continue
		}
		near := map[string]bool{unit: true}
		for up := parent[unit]; up != "" && parent[up] != ""; up = parent[up] {
			near[up] = true
		}
		if parent[unit] != "" {
			for stack := slices.Clone(children[unit]); len(stack) > 0; {
				u := stack[len(stack)-1]
				stack = append(stack[:len(stack)-1], children[u]...)
				near[u] = true
			}
		}
		out[judge] = near
	}
	return out
}
