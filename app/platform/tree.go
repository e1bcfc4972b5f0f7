package platform

import (
	"context"
	"errors"
	"sync"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// tree remembers the places of units (their ancestry) that decisions
// needed, the unit of each project asked about, and campaigns (their id
// and organiser's place). Units never move, a project never changes unit,
// and a campaign is never deleted nor given another organiser, so what was
// once read stays true; units, projects and campaigns only ever appear, and
// an unknown one is read again the next time.
type tree struct {
	db        *store.DB
	mu        sync.RWMutex
	m         map[string]policy.Place
	projects  map[int64]string         // a project's unit's code
	campaigns map[string]campaignPlace // by slug
}

// campaignPlace is what the policy and the lists need of a campaign.
type campaignPlace struct {
	id    int64
	place policy.Campaign
}

// treeProjects bounds the projects remembered: past it, they are read afresh.
const treeProjects = 100_000

func newTree(db *store.DB) *tree {
	return &tree{db: db, m: map[string]policy.Place{}, projects: map[int64]string{}, campaigns: map[string]campaignPlace{}}
}

// campaign returns a campaign's id and its place for the policy.
func (t *tree) campaign(ctx context.Context, slug string) (int64, policy.Campaign, error) {
	t.mu.RLock()
	c, ok := t.campaigns[slug]
	t.mu.RUnlock()
	if ok {
		return c.id, c.place, nil
	}
	camp, err := t.db.CampaignBySlug(ctx, slug)
	if err != nil {
		return 0, policy.Campaign{}, err
	}
	c = campaignPlace{id: camp.ID, place: policy.Campaign{Slug: camp.Slug}}
	if camp.Organiser != nil {
		ps, err := t.places(ctx, camp.Organiser.Code)
		if err != nil {
			return 0, policy.Campaign{}, err
		}
		c.place.Organiser = ps[camp.Organiser.Code]
	}
	t.mu.Lock()
	t.campaigns[slug] = c
	t.mu.Unlock()
	return c.id, c.place, nil
}

// projectPlace returns the place of a project's unit.
func (t *tree) projectPlace(ctx context.Context, id int64) (policy.Place, error) {
	t.mu.RLock()
	unit, ok := t.projects[id]
	t.mu.RUnlock()
	if !ok {
		p, err := t.db.ProjectOwnerOf(ctx, id)
		if err != nil {
			return nil, err
		}
		unit = p.Unit
		t.mu.Lock()
		if len(t.projects) >= treeProjects {
			t.projects = map[int64]string{}
		}
		t.projects[id] = unit
		t.mu.Unlock()
	}
	return t.place(ctx, "", unit)
}

// places returns the place of each code that names a unit; unknown codes
// are left out.
func (t *tree) places(ctx context.Context, codes ...string) (map[string]policy.Place, error) {
	out := make(map[string]policy.Place, len(codes))
	var missing []string
	t.mu.RLock()
	for _, c := range codes {
		if p, ok := t.m[c]; ok {
			out[c] = p
		} else {
			missing = append(missing, c)
		}
	}
	t.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	paths, err := t.db.UnitPaths(ctx, missing)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	for code, path := range paths {
		t.m[code] = path
		out[code] = path
	}
	t.mu.Unlock()
	return out, nil
}

// place returns a unit's place; an unknown code is an invalid field.
func (t *tree) place(ctx context.Context, field, code string) (policy.Place, error) {
	return t.placeFrom(ctx, field, code, false)
}

// placeFrom is place, from what the tree holds alone when cached:
// errUncached when it does not hold the unit.
func (t *tree) placeFrom(ctx context.Context, field, code string, cached bool) (policy.Place, error) {
	if cached {
		t.mu.RLock()
		p, ok := t.m[code]
		t.mu.RUnlock()
		if !ok {
			return nil, errUncached
		}
		return p, nil
	}
	ps, err := t.places(ctx, code)
	if err != nil {
		return nil, err
	}
	p, ok := ps[code]
	if !ok {
		return nil, invalid(field, "không có đơn vị mã "+code, "unknown unit "+code)
	}
	return p, nil
}

// campaign loads a campaign with its place in the unit tree, for the policy.
func (s *Service) campaign(ctx context.Context, slug string) (*store.Campaign, policy.Campaign, error) {
	camp, err := s.db.CampaignBySlug(ctx, slug)
	if err != nil {
		return nil, policy.Campaign{}, err
	}
	pc, err := s.policyCampaign(ctx, camp)
	return camp, pc, err
}

// policyCampaign is a campaign as the policy sees it.
func (s *Service) policyCampaign(ctx context.Context, camp *store.Campaign) (policy.Campaign, error) {
	return s.policyCampaignFrom(ctx, camp, false)
}

// policyCampaignFrom is policyCampaign, from what the tree holds alone
// when cached (errUncached when it does not hold the organiser).
func (s *Service) policyCampaignFrom(ctx context.Context, camp *store.Campaign, cached bool) (policy.Campaign, error) {
	pc := policy.Campaign{Slug: camp.Slug}
	if camp.Organiser != nil {
		if cached {
			p, err := s.tree.placeFrom(ctx, "", camp.Organiser.Code, true)
			pc.Organiser = p
			return pc, err
		}
		ps, err := s.tree.places(ctx, camp.Organiser.Code)
		if err != nil {
			return pc, err
		}
		pc.Organiser = ps[camp.Organiser.Code]
	}
	return pc, nil
}

// errUncached says that a check made inside a write's transaction needed
// what the caches do not hold (yet): the write is abandoned, and made
// again after the checks have read what they need outside it.
var errUncached = errors.New("platform: not in the caches")

// Organises reports whether the context's actor may manage the campaign,
// for pages that hide what it may not use.
func (s *Service) Organises(ctx context.Context, camp *store.Campaign) bool {
	pc, err := s.policyCampaign(ctx, camp)
	return err == nil && policy.Organise(ActorFrom(ctx), pc) == nil
}

// ActsFor reports whether the context's actor may act for the unit in the
// campaign, for pages that hide what it may not use.
func (s *Service) ActsFor(ctx context.Context, camp *store.Campaign, unit string) bool {
	pc, err := s.policyCampaign(ctx, camp)
	if err != nil {
		return false
	}
	p, err := s.tree.place(ctx, "unit", unit)
	return err == nil && policy.ActFor(ActorFrom(ctx), pc, p, "unit") == nil
}

// organise loads a campaign that the context's actor may manage.
func (s *Service) organise(ctx context.Context, slug string) (*store.Campaign, error) {
	camp, pc, err := s.campaign(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := policy.Organise(ActorFrom(ctx), pc); err != nil {
		return nil, err
	}
	return camp, nil
}

// actFor loads a campaign and checks that the context's actor may act for
// the unit in it; field names the request field that chose the unit.
func (s *Service) actFor(ctx context.Context, slug, field, unit string) (*store.Campaign, error) {
	camp, pc, err := s.campaign(ctx, slug)
	if err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	if !a.SignedIn() {
		return nil, policy.ActFor(a, pc, nil, field)
	}
	p, err := s.tree.place(ctx, field, unit)
	if err != nil {
		return nil, err
	}
	if err := policy.ActFor(a, pc, p, field); err != nil {
		return nil, err
	}
	return camp, nil
}

// ActingFor returns the campaign when the actor may act for the unit in
// it, for the screens where a unit's work is done.
func (s *Service) ActingFor(ctx context.Context, slug, unit string) (*store.Campaign, error) {
	return s.actFor(ctx, slug, "", unit)
}

// UnitsActedFor lists, by code, the units the actor acts for at most (see
// policy.ActsFor), up to limit; all is true for the admin, who acts for
// every unit and gets no list.
func (s *Service) UnitsActedFor(ctx context.Context, limit int) (units []store.Unit, all bool, err error) {
	unit, subtree, all := policy.ActsFor(ActorFrom(ctx))
	switch {
	case all || unit == "":
		return nil, all, nil
	case subtree:
		units, _, err = s.db.Units(ctx, store.UnitFilter{Within: unit, Page: store.Page{Limit: limit}})
		return units, false, err
	}
	u, err := s.db.UnitByCode(ctx, unit)
	if err != nil {
		return nil, false, err
	}
	return []store.Unit{u.Unit}, false, nil
}
