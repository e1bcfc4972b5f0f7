package platform

import (
	"context"
	"strings"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/jobs"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// CompileRuleset checks a candidate ruleset (YAML or JSON) against a
// campaign the actor organises: an invalid one, or one that would cost too
// much to evaluate (rules.MaxSteps), is rules.Problems; an empty one
// *Malformed.
func (s *Service) CompileRuleset(ctx context.Context, slug string, source []byte) (*rules.Ruleset, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	return s.compile(ctx, slug, source)
}

func (s *Service) compile(ctx context.Context, slug string, source []byte) (*rules.Ruleset, error) {
	if len(strings.TrimSpace(string(source))) == 0 {
		return nil, malformed("bộ quy tắc trống: hãy gửi bộ quy tắc dạng YAML hoặc JSON",
			"the ruleset is empty; send it as YAML or JSON")
	}
	keys, err := s.rulesets.Indicators(ctx, slug)
	if err != nil {
		return nil, err
	}
	return rules.Compile(source, keys)
}

// SaveRuleset stores a valid ruleset as the campaign's new version (format
// "yaml" or "json", as it was written); otherwise the current version
// stays in force.
func (s *Service) SaveRuleset(ctx context.Context, slug string, source []byte, format string) (*store.RulesetVersion, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	if _, err := s.compile(ctx, slug, source); err != nil {
		return nil, err
	}
	rv, err := s.db.SaveRuleset(ctx, slug, string(source), format)
	if err == nil && s.OnRuleset != nil {
		s.OnRuleset(ctx, slug)
	}
	return rv, err
}

// DryRun scores a campaign the actor organises with a candidate ruleset
// for a period ("" for the open one) and stores nothing.
func (s *Service) DryRun(ctx context.Context, slug string, source []byte, period string) (*scoring.Board, rules.Period, error) {
	rs, err := s.CompileRuleset(ctx, slug, source)
	if err != nil {
		return nil, rules.Period{}, err
	}
	return s.runner.DryRun(ctx, slug, rs, period)
}

// RunRequest asks for a run: of a period ("" for the open one), or with
// Close the period's final run, which grants its honours.
type RunRequest struct {
	Period string `json:"period" validate:"omitempty,max=16"`
	Close  bool   `json:"close"`
	// Early closes a period before it has ended, for Reason.
	Early  bool   `json:"early"`
	Reason string `json:"reason" validate:"required_if=Early true,max=2000"`
}

// Run scores a campaign the actor organises now, or closes a period. A
// run that failed while scoring is in the history as failed.
func (s *Service) Run(ctx context.Context, slug string, in RunRequest) (*store.Run, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	return s.runner.Run(ctx, jobs.Request{Campaign: slug, Period: in.Period, Close: in.Close, Early: in.Early,
		Reason: in.Reason, Trigger: jobs.TriggerManual})
}

// Reopening reopens a closed period, for a reason.
type Reopening struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// ReopenPeriod reopens a closed period of a campaign (policy.ReopenPeriod):
// its reports are accepted again and its closing run stays in the history,
// superseded; it returns that run.
func (s *Service) ReopenPeriod(ctx context.Context, slug, period string, in Reopening) (*store.Run, error) {
	if err := policy.ReopenPeriod(ActorFrom(ctx)); err != nil {
		return nil, err
	}
	if _, err := s.db.CampaignBySlug(ctx, slug); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	p, err := rules.ParsePeriod(period)
	if err != nil {
		return nil, store.NewError(store.ErrInvalid, "period", store.PeriodFormat, period)
	}
	return s.runner.Reopen(ctx, slug, p.Key, in.Reason)
}

// NewHonour is an honour granted by the organisers' decision, for a
// period of the campaign, perhaps for one of the unit's projects.
type NewHonour struct {
	Unit     string `json:"unit" validate:"required,code"`
	Title    string `json:"title" validate:"required,max=300"`
	Period   string `json:"period" validate:"required,max=16"`
	Citation string `json:"citation" validate:"required,max=2000"`
	Project  *int64 `json:"project" validate:"omitempty,gt=0"`
	// DecisionNo and DecidedOn are the decision's number ("125/QĐ-MTTQ")
	// and date, printed on the certificate.
	DecisionNo string `json:"decision_no" validate:"max=100"`
	DecidedOn  string `json:"decided_on" validate:"omitempty,date"`
}

// GrantHonour records an honour decided by a campaign's organisers.
func (s *Service) GrantHonour(ctx context.Context, slug string, in NewHonour) (*store.Honour, error) {
	if _, err := s.organise(ctx, slug); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	if _, err := rules.ParsePeriod(in.Period); err != nil {
		return nil, store.NewError(store.ErrInvalid, "period", store.PeriodFormat, in.Period)
	}
	n := store.NewHonour{Unit: in.Unit, Period: in.Period, Title: in.Title, Citation: in.Citation, Scope: "decision",
		Project: in.Project, DecisionNo: in.DecisionNo}
	if in.DecidedOn != "" {
		d, _ := store.ParseDate(in.DecidedOn)
		if d.After(s.db.Now()) {
			return nil, invalid("decided_on", "ngày quyết định chưa đến", "the decision's date is in the future")
		}
		n.DecidedOn = &d
	}
	return s.db.GrantHonour(ctx, slug, n)
}

// Revocation revokes an honour, for the reason given (an honour granted on
// falsified records, say).
type Revocation struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// RevokeHonour revokes an honour by its serial, as its campaign's
// organisers may; it stays on the roll, marked revoked.
func (s *Service) RevokeHonour(ctx context.Context, serial string, in Revocation) (*store.Honour, error) {
	if err := policy.SignedIn(ActorFrom(ctx)); err != nil {
		return nil, err
	}
	hn, err := s.db.HonourBySerial(ctx, serial)
	if err != nil {
		return nil, err
	}
	if _, err := s.organise(ctx, hn.Campaign); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	return s.db.RevokeHonour(ctx, serial, in.Reason)
}

// AuditLog lists who changed what, when, for the admin.
func (s *Service) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, string, error) {
	if err := policy.ReadAudit(ActorFrom(ctx)); err != nil {
		return nil, "", err
	}
	return s.db.AuditLog(ctx, f)
}
