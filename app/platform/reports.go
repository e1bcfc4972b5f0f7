package platform

import (
	"context"
	"errors"
	"time"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// Report is a unit's indicator values for one reporting period.
type Report struct {
	Values map[string]float64 `json:"values" validate:"required,min=1,max=200,dive,keys,key,endkeys,gte=0"`
	// EvidenceFiles, when present, replaces the files attached as evidence:
	// ids of files the caller uploaded (POST /api/v1/files).
	EvidenceFiles *[]string `json:"evidence_files" validate:"omitempty,max=20,dive,required,max=64"`
}

// PutReport records a unit's values for a period (a key of the campaign's
// reporting granularity, inside the campaign and already begun), as those
// who act for the unit may. Who may, and by which rules, is decided
// against the campaign as the write's transaction reads it, from what the
// caches hold; when they do not hold it yet, the checks read it first, as
// they did before the write read the campaign itself.
func (s *Service) PutReport(ctx context.Context, slug, unit, period string, in Report) (*store.Report, error) {
	p, perr := rules.ParsePeriod(period)
	sp := store.ReportPeriod{Key: p.Key, Start: store.Date{Time: p.Start}, End: store.Date{Time: p.End}}
	if ActorFrom(ctx).SignedIn() { // refusing the others takes no transaction
		// The unit's place is read now if the tree does not hold it (an
		// unknown unit is said by the checks below): otherwise the first
		// write of each unit would be abandoned and made again.
		_, _ = s.tree.place(ctx, "", unit)
		r, err := s.db.PutCheckedReport(ctx, slug, unit, sp, in.Values, in.EvidenceFiles, func(camp *store.Campaign) error {
			if camp == nil {
				return errUncached // the checks below say which is missing
			}
			return s.mayPutReport(ctx, camp, unit, p, perr, &in, true)
		})
		if !errors.Is(err, errUncached) {
			return r, err
		}
	}
	camp, err := s.db.CampaignBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if err := s.mayPutReport(ctx, camp, unit, p, perr, &in, false); err != nil {
		return nil, err
	}
	return s.db.PutReport(ctx, slug, unit, sp, in.Values, in.EvidenceFiles)
}

// mayPutReport checks a report's write against its campaign: the actor
// acts for the unit, the period (p, or perr when it did not parse) is of
// the campaign's granularity, inside it and begun, and the values are
// valid. cached checks from the caches alone: errUncached when they miss.
func (s *Service) mayPutReport(ctx context.Context, camp *store.Campaign, unit string, p rules.Period, perr error, in *Report, cached bool) error {
	pc, err := s.policyCampaignFrom(ctx, camp, cached)
	if err != nil {
		return err
	}
	a := ActorFrom(ctx)
	if !a.SignedIn() {
		return policy.ActFor(a, pc, nil, "")
	}
	place, err := s.tree.placeFrom(ctx, "", unit, cached)
	if err != nil {
		return err
	}
	if err := policy.ActFor(a, pc, place, ""); err != nil {
		return err
	}
	every, err := s.reportingEveryFrom(ctx, camp, cached)
	if err != nil {
		return err
	}
	switch {
	case perr != nil:
		return invalid("period", "kỳ báo cáo không hợp lệ: ghi dạng 2026-12 (tháng), 2026-Q4 (quý) hoặc 2026-W49 (tuần)", perr.Error())
	case p.Granularity != every:
		return invalid("period", "phong trào này báo cáo theo "+store.ValueText("vi", string(every)), "this campaign reports by "+string(every))
	case !p.End.After(camp.StartsOn.Time) || p.Start.After(camp.EndsOn.Time):
		return invalid("period", "kỳ báo cáo nằm ngoài thời gian phong trào", "the period is outside the campaign")
	case p.Start.After(s.db.Now()):
		return invalid("period", "kỳ báo cáo chưa bắt đầu", "the period has not started yet")
	}
	return Validate(in)
}

// ReportingEvery is how often a campaign's units report: as its current
// ruleset says, monthly while it has none.
func (s *Service) ReportingEvery(ctx context.Context, slug string) (rules.Granularity, error) {
	camp, err := s.db.CampaignBySlug(ctx, slug)
	if err != nil {
		return "", err
	}
	return s.reportingEvery(ctx, camp)
}

// reportingEvery is ReportingEvery of a campaign already read.
func (s *Service) reportingEvery(ctx context.Context, camp *store.Campaign) (rules.Granularity, error) {
	return s.reportingEveryFrom(ctx, camp, false)
}

// reportingEveryFrom is reportingEvery, from the cache alone when cached
// (errUncached when it does not hold the ruleset).
func (s *Service) reportingEveryFrom(ctx context.Context, camp *store.Campaign, cached bool) (rules.Granularity, error) {
	if camp.RulesetVersion == 0 {
		return rules.Month, nil
	}
	rs, err := s.ruleset(ctx, camp.Slug, camp.RulesetVersion, cached)
	if err != nil {
		return "", err
	}
	return rs.Reporting.Every, nil
}

// ruleset is a campaign's compiled ruleset of a version (not 0), from the
// cache alone when cached: errUncached when it is not compiled yet.
func (s *Service) ruleset(ctx context.Context, slug string, version int, cached bool) (*rules.Ruleset, error) {
	if !cached {
		rs, _, err := s.rulesets.Get(ctx, slug, version)
		return rs, err
	}
	if rs, ok := s.rulesets.Cached(slug, version); ok {
		return rs, nil
	}
	return nil, errUncached
}

// ReportDeadline is how often a campaign's units report and the instant
// from which a report of a reporting period is late, by its current
// ruleset; before it has one, monthly, due rules.DefaultDueDays days after.
func (s *Service) ReportDeadline(ctx context.Context, slug string) (rules.Granularity, func(rules.Period) time.Time, error) {
	rs, _, err := s.rulesets.Get(ctx, slug, 0)
	if err == nil {
		return rs.Reporting.Every, rs.Deadline, nil
	}
	every, err := s.ReportingEvery(ctx, slug)
	if err != nil {
		return "", nil, err
	}
	loc, err := time.LoadLocation(rules.DefaultTimeZone)
	if err != nil {
		return "", nil, err
	}
	def := &rules.Ruleset{Reporting: rules.Reporting{Every: every, DueDays: rules.DefaultDueDays}, Location: loc}
	return every, def.Deadline, nil
}

// Decision is a verifier's decision on a report: "verified", or
// "returned" with the reason the unit must correct.
type Decision struct {
	Decision string `json:"decision" validate:"required,oneof=verified returned"`
	Reason   string `json:"reason" validate:"required_if=Decision returned,max=2000"`
}

// VerifyReport records the level above's decision on a unit's report for
// a period (policy.VerifyReport).
func (s *Service) VerifyReport(ctx context.Context, slug, unit, period string, in Decision) (*store.Report, error) {
	a := ActorFrom(ctx)
	if err := policy.SignedIn(a); err != nil {
		return nil, err
	}
	_, pc, err := s.campaign(ctx, slug)
	if err != nil {
		return nil, err
	}
	place, err := s.tree.place(ctx, "", unit)
	if err != nil {
		return nil, err
	}
	if err := policy.VerifyReport(a, pc, place); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	return s.db.VerifyReport(ctx, slug, unit, period, in.Decision, in.Reason)
}

// ReportQueue is what a verifier has to do in a campaign: the reports it
// verifies, by status.
type ReportQueue struct {
	Counts map[string]int    `json:"counts"`
	Items  []store.ReportRow `json:"items"`
	Next   string            `json:"-"`
}

// VerifierScope names the reports of a campaign that the context's actor
// verifies (policy.Verifies): "all", or "below " and the unit whose
// subtree's they are. Callers with the same scope are shown the same
// queue. An actor who verifies none, or a campaign that is not, is an
// error (Reports says which).
func (s *Service) VerifierScope(ctx context.Context, slug string) (string, error) {
	_, pc, err := s.tree.campaign(ctx, slug)
	if err != nil {
		return "", err
	}
	below, _, err := policy.Verifies(ActorFrom(ctx), pc)
	if err != nil || below == "" {
		return "all", err
	}
	return "below " + below, nil
}

// Reports lists the campaign's reports the actor verifies (policy.Verifies),
// with a status ("" for all), oldest first, and how many there are of each
// status.
func (s *Service) Reports(ctx context.Context, slug, status string, p store.Page) (*ReportQueue, error) {
	id, pc, err := s.tree.campaign(ctx, slug)
	if err != nil {
		return nil, err
	}
	below, _, err := policy.Verifies(ActorFrom(ctx), pc)
	if err != nil {
		return nil, err
	}
	switch status {
	case "", store.ReportSubmitted, store.ReportVerified, store.ReportReturned:
	default:
		return nil, invalid("status", "trạng thái phải là submitted (đã gửi), verified (đã thẩm định) hoặc returned (trả lại)", "status must be submitted, verified or returned")
	}
	q := &ReportQueue{}
	q.Items, q.Next, q.Counts, err = s.db.QueuedReports(ctx, id, slug, store.ReportFilter{Status: status, Below: below, Page: p})
	if err != nil {
		return nil, err
	}
	return q, nil
}
