package platform

import (
	"context"
	"slices"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// NewProject is a project to register for a unit, perhaps adopted from
// another unit's project (nhân rộng).
type NewProject struct {
	Unit        string `json:"unit" validate:"required,code"`
	Title       string `json:"title" validate:"required,max=300"`
	Summary     string `json:"summary" validate:"max=5000"`
	Category    string `json:"category" validate:"required,category"`
	StartsOn    string `json:"starts_on" validate:"omitempty,date"`
	EndsOn      string `json:"ends_on" validate:"omitempty,date"`
	AdoptedFrom *int64 `json:"adopted_from" validate:"omitempty,gt=0"`
	// EvidenceFiles are ids of files the caller uploaded (POST /api/v1/files).
	EvidenceFiles []string `json:"evidence_files" validate:"max=20,dive,required,max=64"`
}

// CreateProject registers a project for a unit the actor acts for.
func (s *Service) CreateProject(ctx context.Context, slug string, in NewProject) (*store.Project, error) {
	if err := policy.SignedIn(ActorFrom(ctx)); err != nil {
		return nil, err
	}
	err := Validate(&in)
	starts, _ := store.ParseDate(in.StartsOn)
	ends, _ := store.ParseDate(in.EndsOn)
	if !starts.IsZero() && !ends.IsZero() && ends.Before(starts.Time) {
		err = also(err, "ends_on", "Ngày kết thúc phải sau ngày bắt đầu", "must not be before starts_on")
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.actFor(ctx, slug, "unit", in.Unit); err != nil {
		return nil, err
	}
	return s.db.CreateProject(ctx, slug, store.NewProject{Unit: in.Unit, Title: in.Title, Summary: in.Summary,
		Category: in.Category, StartsOn: starts, EndsOn: ends, AdoptedFrom: in.AdoptedFrom, EvidenceFiles: in.EvidenceFiles})
}

// ProjectChanges edits a project: absent fields stay as they are. Status
// moves it along its lifecycle; rejecting needs a reason.
type ProjectChanges struct {
	Title        *string `json:"title" validate:"omitempty,min=1,max=300"`
	Summary      *string `json:"summary" validate:"omitempty,max=5000"`
	Category     *string `json:"category" validate:"omitempty,category"`
	StartsOn     *string `json:"starts_on" validate:"omitempty,date"`
	EndsOn       *string `json:"ends_on" validate:"omitempty,date"`
	Status       *string `json:"status" validate:"omitempty,status"`
	RejectReason *string `json:"reject_reason" validate:"omitempty,max=2000"`
	// EvidenceFiles, when present, replaces the files attached as evidence.
	EvidenceFiles *[]string `json:"evidence_files" validate:"omitempty,max=20,dive,required,max=64"`
}

// UpdateProject edits a project and moves its status, as those who act
// for its unit may; verifying and rejecting it, and changing it once
// verified or rejected, are its campaign's organisers' (policy.ReviewProject).
func (s *Service) UpdateProject(ctx context.Context, id int64, in ProjectChanges) (*store.Project, error) {
	p, err := s.db.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	camp, err := s.actFor(ctx, p.Campaign, "", p.Unit)
	if err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	pc, err := s.policyCampaign(ctx, camp)
	if err != nil {
		return nil, err
	}
	reviewer := policy.ReviewProject(a, pc) == nil
	if in.Status != nil && (*in.Status == store.StatusVerified || *in.Status == store.StatusRejected) && !reviewer {
		return nil, policy.ReviewProject(a, pc)
	}
	ch := store.ProjectChanges{Title: in.Title, Summary: in.Summary, Category: in.Category,
		Status: in.Status, RejectReason: in.RejectReason, EvidenceFiles: in.EvidenceFiles, ByOfficer: !reviewer}
	for _, d := range []struct {
		in  *string
		out **store.Date
	}{{in.StartsOn, &ch.StartsOn}, {in.EndsOn, &ch.EndsOn}} {
		if d.in != nil {
			v, _ := store.ParseDate(*d.in)
			*d.out = &v
		}
	}
	return s.db.UpdateProject(ctx, id, ch)
}

// Moves lists the statuses the actor may move a project to: the
// lifecycle's moves, without verifying and rejecting for those who do not
// review the campaign's projects.
func (s *Service) Moves(ctx context.Context, p *store.Project) []string {
	camp, pc, err := s.campaign(ctx, p.Campaign)
	if err != nil || camp == nil {
		return nil
	}
	reviewer := policy.ReviewProject(ActorFrom(ctx), pc) == nil
	var out []string
	for _, to := range store.Statuses {
		if store.CanMove(p.Status, to) && (reviewer || (to != store.StatusVerified && to != store.StatusRejected)) {
			out = append(out, to)
		}
	}
	return out
}

// Progress is a progress report on a project, with its evidence.
type Progress struct {
	Note         string             `json:"note" validate:"required,max=5000"`
	EvidenceURLs []string           `json:"evidence_urls" validate:"max=20,dive,required,http_url,max=2000"`
	Figures      map[string]float64 `json:"figures" validate:"max=50,dive,keys,key,endkeys"`
	// EvidenceFiles are ids of files the caller uploaded (POST /api/v1/files).
	EvidenceFiles []string `json:"evidence_files" validate:"max=20,dive,required,max=64"`
}

// AddProgress records a project's progress, as the officers of its unit
// may (policy.ReportProgress).
func (s *Service) AddProgress(ctx context.Context, id int64, in Progress) (*store.ProgressNote, error) {
	place, err := s.tree.projectPlace(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := policy.ReportProgress(ActorFrom(ctx), place); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	return s.db.AddProgress(ctx, id, in.Note, in.EvidenceURLs, in.EvidenceFiles, in.Figures)
}

// ProjectView is a project with its history, progress and adoptions, and
// once its campaign's judging round is locked, its judging result.
type ProjectView struct {
	*store.ProjectDetail
	Judging *JudgingResult `json:"judging"`
}

// Project returns a project as the actor may see it: the judging result
// to everyone once the round is locked, the judges' comments only to the
// campaign's organisers and the officers of the project's unit.
func (s *Service) Project(ctx context.Context, id int64) (*ProjectView, error) {
	d, err := s.db.ProjectByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &ProjectView{ProjectDetail: d}
	if v.Judging, err = s.judgingResult(ctx, &d.Project); err != nil {
		return nil, err
	}
	if v.Judging == nil {
		return v, nil
	}
	camp, pc, err := s.campaign(ctx, d.Campaign)
	if err != nil || camp == nil {
		return nil, err
	}
	place, err := s.tree.place(ctx, "", d.Unit)
	if err != nil {
		return nil, err
	}
	if !policy.SeeJudgingComments(ActorFrom(ctx), pc, place) {
		return v, nil
	}
	scores, err := s.db.ProjectScores(ctx, id, "", true)
	if err != nil {
		return nil, err
	}
	v.Judging.Comments = []string{}
	for _, sc := range scores {
		if sc.Comment != "" {
			v.Judging.Comments = append(v.Judging.Comments, sc.Comment)
		}
	}
	slices.Sort(v.Judging.Comments) // in no judge's order
	return v, nil
}

// ReportsProgress reports whether the actor may report the project's
// progress, for pages that hide what it may not use.
func (s *Service) ReportsProgress(ctx context.Context, p *store.Project) bool {
	place, err := s.tree.place(ctx, "", p.Unit)
	return err == nil && policy.ReportProgress(ActorFrom(ctx), place) == nil
}

// Replicates reports whether the actor may adopt the project for a unit of
// its own, for pages that hide what it may not use.
func (s *Service) Replicates(ctx context.Context, p *store.Project) bool {
	place, err := s.tree.place(ctx, "", p.Unit)
	return err == nil && policy.Replicates(ActorFrom(ctx), place)
}
