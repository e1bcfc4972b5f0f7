package platform

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/jobs"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// Review is a period's review pack (sơ kết, tổng kết): what a campaign's
// units achieved in the period, read from one run's snapshot: the run that
// closed the period or, while it is open, its newest run, whose figures
// are then provisional. The lists that grow with the campaign (Units,
// Coverage.Clusters, Heads) are complete: a document shows their heads.
type Review struct {
	Campaign *store.Campaign
	// Period has its dates, the campaign's own for the whole campaign.
	Period rules.Period
	Run    *store.Run
	// Final is whether Run closed the period; if not, every figure is
	// provisional (the period may still change).
	Final bool
	// Issuer is the unit in whose name the review is made: the campaign's
	// organiser (or the root of the units); Signer the title of who signs
	// for it ("Chủ tịch"), "" for none.
	Issuer string
	Signer string
	// Made is when the pack was made, in the campaign's time zone.
	Made time.Time

	Coverage   ReviewCoverage
	Indicators []IndicatorResult
	// Heads are the leaderboards' heads: overall, then each level's and
	// each cluster's.
	Heads []Head
	// Units are every unit in overall order, with its result in the
	// previous period when there is one.
	Units    []ReviewUnit
	Honours  ReviewHonours
	Replicas ReviewReplication
	Judging  ReviewJudging
	// Change compares the period with the previous one; nil when the
	// previous period has no run (or for the whole campaign).
	Change *ReviewChange
}

// Provisional is how a review of a period still open is marked.
const Provisional = "Số liệu tạm tính, kỳ chưa chốt"

// ReviewCoverage is the movement's core requirement at the period's end:
// the units with at least one project, overall, by level and by cluster.
type ReviewCoverage struct {
	Total    CoverageLine
	Levels   []CoverageLine
	Clusters []CoverageLine
}

// CoverageLine counts the units of a group and those with a project.
type CoverageLine struct {
	Group       string // the level or the cluster's code; "" for every unit
	Name        string // the cluster's name; "" for a level
	Units       int
	WithProject int
}

// Share is the fraction of the units with a project, 0 without units.
func (c CoverageLine) Share() float64 {
	if c.Units == 0 {
		return 0
	}
	return float64(c.WithProject) / float64(c.Units)
}

// IndicatorResult is an indicator against its target in the period: the
// mean of the values the units reported (as on the campaign page), and how
// many of the units reporting reached their own target (a covenant's, or
// the campaign's).
type IndicatorResult struct {
	store.Indicator
	Reported int
	Mean     float64 // of the values reported; 0 when none was
	Sum      float64 // of the values reported, for a count
	Met      int
}

// Achieved is the mean as a fraction of the target, 0 without a target.
func (r IndicatorResult) Achieved() float64 {
	if r.Target <= 0 {
		return 0
	}
	return r.Mean / r.Target
}

// Head is the head of one leaderboard: its units ranked at most Top.
type Head struct {
	Scope   scoring.Scope
	Name    string // the cluster's name; "" otherwise
	Units   int    // units in the scope
	Entries []HeadEntry
}

// HeadEntry is a unit's line in a leaderboard's head.
type HeadEntry struct {
	Rank  int
	Code  string
	Name  string
	Score float64
	Max   float64
}

// The heads' sizes: the overall leaderboard's and each level's or
// cluster's. Ties at the border are kept, up to twice as many lines.
const (
	headOverall = 10
	headGroup   = 3
)

// ReviewUnit is a unit's result in the period, and in the previous one.
type ReviewUnit struct {
	Rank     int // overall, 0 when ineligible
	Code     string
	Name     string
	Level    string
	Clusters []string
	Score    float64
	Max      float64
	Eligible bool
	Projects int // registered by the period's end
	Previous *PreviousResult
}

// PreviousResult is a unit's result in the previous period's snapshot.
type PreviousResult struct {
	Rank  int // 0 when unranked
	Score float64
}

// ReviewHonours are the honours granted for the period, revoked ones
// included (marked so): their tally by title, and the first of them.
type ReviewHonours struct {
	Tally []store.HonourTally
	List  []store.Honour
	Total int
}

// reviewHonours bounds the honours a review lists.
const reviewHonours = 5000

// ReviewReplication is the models other units replicated: adopted
// projects, the most adopted first, by the period's end.
type ReviewReplication struct {
	List      []store.Replication
	Projects  int // adopted projects
	Adoptions int
}

// reviewReplicas bounds the adopted projects a review lists.
const reviewReplicas = 1000

// ReviewJudging summarises the committee's judging: from the snapshot, how
// many projects had a final score and their mean score (0..1); and the
// projects with the best final scores in the committee's current results.
type ReviewJudging struct {
	Projects int
	Mean     float64
	Top      []JudgedProject
}

// JudgedProject is a project and its final judging score (0..1).
type JudgedProject struct {
	store.ProjectRef
	Score  float64
	Judges int
}

// reviewJudged is how many of the best judged projects a review names.
const reviewJudged = 10

// ReviewChange is the change since the previous period: units whose
// overall rank rose, fell or held, those newly ranked or no longer ranked,
// the mean total of the units in each, and the units that moved most.
type ReviewChange struct {
	Period                string
	Final                 bool // whether the previous period's figures are final
	Up, Down, Same        int
	Entered, Left         int
	MeanBefore, MeanNow   float64
	Risers, Fallers       []Move
	UnitsBefore, UnitsNow int
}

// Move is a unit's overall rank and total in the two periods.
type Move struct {
	Code, Name              string
	Before, After           int
	ScoreBefore, ScoreAfter float64
}

// reviewMoves is how many risers and fallers a review names.
const reviewMoves = 10

// Review assembles a period's review pack of a campaign, for anyone: an
// unknown campaign is store.ErrNotFound; a period that does not parse, is
// not of the campaign's scoring granularity or lies outside the campaign is
// *store.Error invalid on "period"; a period never scored is
// store.ErrNotFound.
func (s *Service) Review(ctx context.Context, slug, period string) (*Review, error) {
	camp, err := s.db.CampaignBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	current, _, err := s.rulesets.Get(ctx, slug, 0)
	if err != nil {
		return nil, err
	}
	p, err := jobs.ScoredPeriod(current, camp, period, s.db.Now())
	if err != nil {
		return nil, err
	}
	rv := &Review{Campaign: camp, Period: p, Signer: camp.SignerTitle}
	var lb *Leaderboard
	if rv.Run, rv.Final, lb, err = s.reviewSnapshot(ctx, slug, p.Key); err != nil {
		return nil, err
	}
	rs, _, err := s.rulesets.Get(ctx, slug, rv.Run.RulesetVersion)
	if err != nil {
		return nil, err
	}
	rv.Made = s.db.Now().In(rs.Location)
	if rv.Issuer, err = s.issuer(ctx, camp); err != nil {
		return nil, err
	}

	levels, err := s.db.Levels(ctx, "")
	if err != nil {
		return nil, err
	}
	names, err := s.db.ClusterNames(ctx)
	if err != nil {
		return nil, err
	}
	inds, err := s.db.Indicators(ctx, slug)
	if err != nil {
		return nil, err
	}
	board := lb.Table
	rv.Coverage = coverageOf(board, levels, names)
	rv.Indicators = indicatorsOf(board, inds)
	rv.Heads = headsOf(board, levels, names)
	rv.Units = unitsOf(board)
	rv.Judging = judgingOf(board)

	if err := s.reviewChange(ctx, slug, p, rv); err != nil {
		return nil, err
	}
	list, tally, err := s.db.PeriodHonours(ctx, slug, p.Key, reviewHonours)
	if err != nil {
		return nil, err
	}
	rv.Honours = ReviewHonours{Tally: tally, List: list}
	for _, t := range tally {
		rv.Honours.Total += t.Granted
	}
	start := time.Date(p.Start.Year(), p.Start.Month(), p.Start.Day(), 0, 0, 0, 0, rs.Location)
	end := time.Date(p.End.Year(), p.End.Month(), p.End.Day(), 0, 0, 0, 0, rs.Location)
	r := &rv.Replicas
	if r.List, r.Projects, r.Adoptions, err = s.db.Replications(ctx, slug, start, end, reviewReplicas); err != nil {
		return nil, err
	}
	if rv.Judging.Top, err = s.bestJudged(ctx, slug, current.Judging); err != nil {
		return nil, err
	}
	return rv, nil
}

// reviewSnapshot is the run a period's review reads, whether it is final,
// and its board: the board held in memory when it is that run's.
func (s *Service) reviewSnapshot(ctx context.Context, slug, period string) (*store.Run, bool, *Leaderboard, error) {
	run, final, err := s.db.ReviewRun(ctx, slug, period)
	if err != nil {
		return nil, false, nil, err
	}
	lb, err := s.boards.get(ctx, slug, period)
	if err != nil {
		return nil, false, nil, err
	}
	if lb.Run.ID != run.ID {
		table, err := s.boards.loadTable(ctx, slug, run)
		if err != nil {
			return nil, false, nil, err
		}
		lb = &Leaderboard{Run: run, Table: table}
	}
	return run, final, lb, nil
}

// issuer is the unit in whose name a campaign's review is made: its
// organiser, or the root of the units when there is one.
func (s *Service) issuer(ctx context.Context, camp *store.Campaign) (string, error) {
	if camp.Organiser != nil {
		return camp.Organiser.Name, nil
	}
	roots, err := s.db.Roots(ctx)
	if err != nil || len(roots) != 1 {
		return "", err
	}
	return roots[0].Name, nil
}

// reviewChange compares the review's units with the previous period's
// snapshot, when the previous period lies in the campaign and has a run.
func (s *Service) reviewChange(ctx context.Context, slug string, p rules.Period, rv *Review) error {
	prev := p.Previous()
	if prev.Key == p.Key || !prev.End.After(rv.Campaign.StartsOn.Time) {
		return nil
	}
	_, final, lb, err := s.reviewSnapshot(ctx, slug, prev.Key)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	rv.Change = changeOf(rv.Units, lb.Table)
	rv.Change.Period, rv.Change.Final = prev.Key, final
	return nil
}

// bestJudged names the projects with the best final scores in the
// committee's current results; nil for a campaign without a rubric.
func (s *Service) bestJudged(ctx context.Context, slug string, j rules.Judging) ([]JudgedProject, error) {
	if len(j.Criteria) == 0 {
		return nil, nil
	}
	var results map[int64]scoring.ProjectResult
	lock, locked, err := s.db.JudgingLocked(ctx, slug)
	if err != nil {
		return nil, err
	}
	if locked { // a locked round's results are kept
		r, err := s.round(ctx, slug, lock.LockedAt, j)
		if err != nil {
			return nil, err
		}
		results = r.results
	} else {
		c := scoring.NewCommittee(j)
		if err := s.db.EachJudgeScore(ctx, slug, func(sc store.JudgeScore) error {
			c.Add(scoring.JudgeScore(sc))
			return nil
		}); err != nil {
			return nil, err
		}
		results = c.Results()
	}
	var best []scoring.ProjectResult
	for _, r := range results {
		if r.Final {
			best = append(best, r)
		}
	}
	slices.SortFunc(best, func(a, b scoring.ProjectResult) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Project, b.Project))
	})
	best = best[:min(len(best), reviewJudged)]
	ids := make([]int64, len(best))
	for i, r := range best {
		ids[i] = r.Project
	}
	refs, err := s.db.ProjectRefs(ctx, slug, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]store.ProjectRef, len(refs))
	for _, r := range refs {
		byID[r.ID] = r
	}
	out := make([]JudgedProject, 0, len(best))
	for _, r := range best {
		if ref, ok := byID[r.Project]; ok {
			out = append(out, JudgedProject{ProjectRef: ref, Score: r.Score, Judges: r.Judges})
		}
	}
	return out, nil
}
