package platform

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// Todo is what an officer has to do for the units it acts for, campaign
// by campaign: built from one read of the units' work (store.UnitWork) and
// the published boards held in memory.
type Todo struct {
	Campaigns []CampaignTodo
	// More is whether the officer acts for more units than the list holds.
	More bool
}

// CampaignTodo is one campaign's part of a to-do list.
type CampaignTodo struct {
	Campaign store.Campaign
	// Period is the period of the campaign's newest scoring run; "" before
	// the first.
	Period string
	Units  []UnitTodo
}

// UnitTodo is what there is to do for one unit in one campaign.
type UnitTodo struct {
	Code, Name string
	// Covenant is whether its covenant is signed: signing is then done.
	Covenant bool
	// Projects are its projects in the campaign, oldest first; none means
	// one must be registered.
	Projects []store.Project
	// Score is its place on the campaign's newest board; nil before the
	// first run or when the board leaves it out.
	Score *UnitScore
	// Due are the ended reporting periods without a report, newest first,
	// at most maxDue; DueMore counts those left out.
	Due     []DueReport
	DueMore int
	// Next is the period under way, whose report is due once it ends.
	Next *DueReport
	// Returned are its reports sent back for correction, with the reason.
	Returned []store.ReportState
}

// UnitScore is a unit's total and ranks on a board.
type UnitScore struct {
	Total, Max float64
	// Eligible is false for a unit that misses a required criterion: it has
	// no rank.
	Eligible bool
	// Rank is its overall rank among Ranked units; LevelRank among
	// LevelRanked units of its level.
	Rank, Ranked           int
	LevelRank, LevelRanked int
	Level                  string
}

// DueReport is a reporting period to report, with its deadline.
type DueReport struct {
	Period   rules.Period
	Deadline time.Time // the first instant the report is late
	Late     bool
}

// vietnam is the default time zone of rulesets (rules.DefaultTimeZone),
// without daylight saving, for campaigns that have none yet.
var vietnam = time.FixedZone("ICT", 7*3600)

// maxDue bounds the periods due listed per unit; the oldest are counted.
const maxDue = 6

// Todo lists what the signed-in officer has to do for the units it acts
// for (at most limit of them), in every campaign they take part in where
// the policy lets it act for them. The admin and those who act for no unit
// get an empty list.
func (s *Service) Todo(ctx context.Context, limit int) (*Todo, error) {
	a := ActorFrom(ctx)
	if err := policy.SignedIn(a); err != nil {
		return nil, err
	}
	units, all, err := s.UnitsActedFor(ctx, limit+1)
	if err != nil || all {
		return &Todo{}, err
	}
	out := &Todo{More: len(units) > limit}
	units = units[:min(len(units), limit)]
	codes := make([]string, len(units))
	for i, u := range units {
		codes[i] = u.Code
	}
	work, err := s.db.UnitWork(ctx, codes)
	if err != nil {
		return nil, err
	}
	// Every place a decision needs, in one read of the tree.
	need := slices.Clone(codes)
	for _, c := range work.Campaigns {
		if c.Organiser != nil {
			need = append(need, c.Organiser.Code)
		}
	}
	places, err := s.tree.places(ctx, need...)
	if err != nil {
		return nil, err
	}
	now := s.db.Now()
	for _, camp := range work.Campaigns {
		pc := policy.Campaign{Slug: camp.Slug}
		if camp.Organiser != nil {
			pc.Organiser = places[camp.Organiser.Code]
		}
		ct := CampaignTodo{Campaign: camp}
		for _, p := range work.Participations {
			if p.Campaign == camp.Slug && policy.ActFor(a, pc, places[p.Unit], "unit") == nil {
				ct.Units = append(ct.Units, UnitTodo{Code: p.Unit, Name: p.UnitName, Covenant: p.Covenant})
			}
		}
		if len(ct.Units) == 0 {
			continue
		}
		if err := s.fillTodo(ctx, &ct, work, now); err != nil {
			return nil, err
		}
		out.Campaigns = append(out.Campaigns, ct)
	}
	return out, nil
}

// fillTodo adds to a campaign's units their projects, reports due and
// returned, and places on the newest board.
func (s *Service) fillTodo(ctx context.Context, ct *CampaignTodo, work *store.UnitWork, now time.Time) error {
	slug := ct.Campaign.Slug
	rs, _, err := s.rulesets.Get(ctx, slug, 0)
	switch {
	case errors.Is(err, store.ErrNotFound): // no ruleset yet: monthly reports, due after the default days
		rs = &rules.Ruleset{Reporting: rules.Reporting{Every: rules.Month, DueDays: rules.DefaultDueDays}, Location: vietnam}
	case err != nil:
		return err
	}
	board, err := s.boards.get(ctx, slug, "")
	switch {
	case errors.Is(err, store.ErrNotFound):
		board = nil
	case err != nil:
		return err
	default:
		ct.Period = board.Run.Period
	}
	at := make(map[string]int, len(ct.Units))
	for i, u := range ct.Units {
		at[u.Code] = i
	}
	for _, p := range work.Projects {
		if i, ok := at[p.Unit]; ok && p.Campaign == slug {
			ct.Units[i].Projects = append(ct.Units[i].Projects, p)
		}
	}
	reported := map[[2]string]bool{}
	for _, r := range work.Reports {
		if i, ok := at[r.Unit]; ok && r.Campaign == slug {
			reported[[2]string{r.Unit, r.Period}] = true
			if r.Status == store.ReportReturned {
				ct.Units[i].Returned = append(ct.Units[i].Returned, r)
			}
		}
	}
	periods := rules.Periods(rs.Reporting.Every, ct.Campaign.StartsOn.Time, ct.Campaign.EndsOn.AddDate(0, 0, 1))
	for i := range ct.Units {
		u := &ct.Units[i]
		for j := len(periods) - 1; j >= 0; j-- {
			p := periods[j]
			if p.Start.After(now) || reported[[2]string{u.Code, p.Key}] {
				continue
			}
			d := DueReport{Period: p, Deadline: rs.Deadline(p)}
			d.Late = !now.Before(d.Deadline)
			switch {
			case p.End.After(now):
				u.Next = &d
			case len(u.Due) < maxDue:
				u.Due = append(u.Due, d)
			default:
				u.DueMore++
			}
		}
	}
	if board != nil {
		scoreTodo(ct, board)
	}
	return nil
}

// scoreTodo puts each unit's place on the board, counting the ranked units
// overall and per level in one pass.
func scoreTodo(ct *CampaignTodo, board *Leaderboard) {
	at := make(map[string]int, len(ct.Units))
	for i, u := range ct.Units {
		at[u.Code] = i
	}
	ranked, byLevel := 0, map[string]int{}
	for i := range board.Table.Results {
		r := &board.Table.Results[i]
		if r.Eligible {
			ranked++
			byLevel[r.Level]++
		}
		if j, ok := at[r.Code]; ok {
			ct.Units[j].Score = &UnitScore{Total: r.Total, Max: r.Max, Eligible: r.Eligible,
				Rank: int(r.Rank.Overall), LevelRank: int(r.Rank.Level), Level: r.Level}
		}
	}
	for i := range ct.Units {
		if sc := ct.Units[i].Score; sc != nil {
			sc.Ranked, sc.LevelRanked = ranked, byLevel[sc.Level]
		}
	}
}
