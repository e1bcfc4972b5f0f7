package platform

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// Participants are the units taking part in a campaign: All (every unit
// of the organiser's subtree, now and later), or the units of Codes.
type Participants struct {
	All   bool
	Codes []string
}

// UnmarshalJSON reads "all" or an array of codes.
func (p *Participants) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s != "all" {
			return &json.UnmarshalTypeError{Value: "string " + s, Type: reflect.TypeFor[[]string]()}
		}
		p.All = true
		return nil
	}
	return json.Unmarshal(b, &p.Codes)
}

// MarshalJSON writes "all" or the codes.
func (p Participants) MarshalJSON() ([]byte, error) {
	if p.All {
		return json.Marshal("all")
	}
	return json.Marshal(p.Codes)
}

// NewCampaign is a campaign to open. Organiser is the code of the unit in
// whose name it runs: by default the organiser's own unit, or the root of
// the unit tree for the admin.
type NewCampaign struct {
	Slug        string       `json:"slug" validate:"required,slug"`
	Name        string       `json:"name" validate:"required,max=300"`
	StartsOn    string       `json:"starts_on" validate:"required,date"`
	EndsOn      string       `json:"ends_on" validate:"required,date"`
	Organiser   string       `json:"organiser" validate:"omitempty,code"`
	SignerTitle string       `json:"signer_title" validate:"max=200"`
	Units       Participants `json:"units"`
}

// CreateCampaign opens a campaign with its participants, all inside its
// organiser's subtree.
func (s *Service) CreateCampaign(ctx context.Context, in NewCampaign) (*store.Campaign, error) {
	a := ActorFrom(ctx)
	if err := policy.Administer(a); err != nil {
		return nil, err
	}
	err := Validate(&in)
	starts, _ := store.ParseDate(in.StartsOn)
	ends, _ := store.ParseDate(in.EndsOn)
	if !starts.IsZero() && !ends.IsZero() && ends.Before(starts.Time) {
		err = also(err, "ends_on", "Ngày kết thúc phải sau ngày bắt đầu", "must not be before starts_on")
	}
	if !in.Units.All && len(in.Units.Codes) == 0 {
		err = also(err, "units", `đơn vị tham gia (units) phải là "all" (mọi đơn vị) hoặc danh sách mã đơn vị`, `units must be "all" or a list of unit codes`)
	}
	if err != nil {
		return nil, err
	}
	if in.Organiser == "" {
		o, err := s.defaultOrganiser(ctx, a)
		if err != nil {
			return nil, err
		}
		in.Organiser = o
	}
	var organiser policy.Place
	if in.Organiser != "" {
		p, err := s.tree.place(ctx, "organiser", in.Organiser)
		if err != nil {
			return nil, err
		}
		organiser = p
	}
	var participants []policy.Place
	if !in.Units.All {
		places, err := s.tree.places(ctx, in.Units.Codes...)
		if err != nil {
			return nil, err
		}
		for _, code := range in.Units.Codes {
			p, ok := places[code]
			if !ok {
				return nil, invalid("units", "không có đơn vị mã "+code, "unknown unit "+code)
			}
			participants = append(participants, p)
		}
	}
	if err := policy.CreateCampaign(a, organiser, participants); err != nil {
		return nil, err
	}
	for _, p := range participants {
		if organiser != nil && !p.Within(organiser.Code()) {
			return nil, invalid("units", "đơn vị "+p.Code()+" không thuộc đơn vị tổ chức "+organiser.Code(),
				"unit "+p.Code()+" is not below the organising unit "+organiser.Code())
		}
	}
	return s.db.CreateCampaign(ctx, store.NewCampaign{Slug: in.Slug, Name: in.Name, StartsOn: starts, EndsOn: ends,
		Organiser: in.Organiser, SignerTitle: in.SignerTitle, AllUnits: in.Units.All, Units: in.Units.Codes})
}

// defaultOrganiser is the unit a campaign is organised by when its
// creator names none: an organiser's own unit; for the admin, the root of
// the unit tree when it has one root, else none (a campaign of the
// platform).
func (s *Service) defaultOrganiser(ctx context.Context, a policy.Actor) (string, error) {
	if a.Role == policy.Organiser {
		return a.Unit, nil
	}
	roots, err := s.db.Roots(ctx)
	if err != nil || len(roots) != 1 {
		return "", err
	}
	return roots[0].Code, nil
}

// ManagedCampaigns lists the campaigns the actor manages, newest first:
// every campaign for the admin; for an organiser those organised inside
// its subtree.
func (s *Service) ManagedCampaigns(ctx context.Context, p store.Page) ([]store.Campaign, string, error) {
	within, err := policy.Manages(ActorFrom(ctx))
	if err != nil {
		return nil, "", err
	}
	return s.db.Campaigns(ctx, store.CampaignFilter{Within: within, Page: p})
}

// CampaignDesk is a campaign the actor manages with its desk: figures and
// queues (store.Desk).
type CampaignDesk struct {
	Campaign store.Campaign
	store.Desk
}

// ManagedDesks lists the campaigns the actor manages (ManagedCampaigns)
// with their desks, read together for every campaign of the page.
func (s *Service) ManagedDesks(ctx context.Context, p store.Page) ([]CampaignDesk, error) {
	camps, _, err := s.ManagedCampaigns(ctx, p)
	if err != nil {
		return nil, err
	}
	slugs := make([]string, len(camps))
	for i, c := range camps {
		slugs[i] = c.Slug
	}
	desks, err := s.db.Desks(ctx, slugs)
	if err != nil {
		return nil, err
	}
	out := make([]CampaignDesk, len(camps))
	for i, c := range camps {
		out[i] = CampaignDesk{Campaign: c, Desk: *desks[c.Slug]}
	}
	return out, nil
}

// NewIndicator is an indicator of a campaign with the target every unit
// pledges by default; a percent target is a fraction 0..1.
type NewIndicator struct {
	Key    string   `json:"key" validate:"required,key"`
	Title  string   `json:"title" validate:"required,max=300"`
	Unit   string   `json:"unit" validate:"required,oneof=percent count"`
	Target *float64 `json:"target" validate:"required,gte=0"`
}

// AddIndicator adds an indicator to a campaign the actor organises.
func (s *Service) AddIndicator(ctx context.Context, slug string, in NewIndicator) (*store.Indicator, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	if in.Unit == "percent" && *in.Target > 1 {
		return nil, invalid("target", "chỉ tiêu phần trăm ghi dạng tỉ lệ 0..1 (1 = 100%)", "a percent target is a fraction 0..1 (1 = 100%)")
	}
	return s.db.CreateIndicator(ctx, slug, store.Indicator{Key: in.Key, Title: in.Title, Unit: in.Unit, Target: *in.Target})
}

// Covenant is the targets a unit pledges, by indicator key.
type Covenant struct {
	Targets map[string]float64 `json:"targets" validate:"required,max=200,dive,keys,key,endkeys,gte=0"`
}

// SignCovenant records a unit's covenant, as those who act for it may.
func (s *Service) SignCovenant(ctx context.Context, slug, unit string, in Covenant) (*store.Covenant, error) {
	if _, err := s.actFor(ctx, slug, "", unit); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	return s.db.PutCovenant(ctx, slug, unit, in.Targets)
}

// OrganisedCampaign returns a campaign the actor organises, for the
// organisers' screens.
func (s *Service) OrganisedCampaign(ctx context.Context, slug string) (*store.Campaign, error) {
	return s.organise(ctx, slug)
}

// ManagedUnits lists the units the actor manages (see policy.Manages),
// narrowed by f, by code; f.Within narrows them to a subtree inside what
// the actor manages (one outside it is ignored).
func (s *Service) ManagedUnits(ctx context.Context, f store.UnitFilter) ([]store.Unit, string, error) {
	within, err := policy.Manages(ActorFrom(ctx))
	if err != nil {
		return nil, "", err
	}
	if f.Within != "" && within != "" {
		p, err := s.tree.places(ctx, f.Within)
		if err != nil {
			return nil, "", err
		}
		if !p[f.Within].Within(within) {
			f.Within = within
		}
	} else if within != "" {
		f.Within = within
	}
	return s.db.Units(ctx, f)
}
