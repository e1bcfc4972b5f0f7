package platform

import (
	"context"
	"errors"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

// Report is a unit's indicator values for one reporting period.
type Report struct {
	Values map[string]float64 `json:"values" validate:"required,min=1,max=200,dive,keys,key,endkeys,gte=0"`
}

// PutReport records a unit's values for a period (a key of the campaign's
// reporting granularity, inside the campaign and already begun), as those
// who act for the unit may.
func (s *Service) PutReport(ctx context.Context, slug, unit, period string, in Report) (*store.Report, error) {
	camp, err := s.actFor(ctx, slug, "", unit)
	if err != nil {
		return nil, err
	}
	every, err := s.ReportingEvery(ctx, slug)
	if err != nil {
		return nil, err
	}
	p, err := rules.ParsePeriod(period)
	switch {
	case err != nil:
		return nil, invalid("period", "kỳ báo cáo không hợp lệ: "+err.Error(), err.Error())
	case p.Granularity != every:
		return nil, invalid("period", "kỳ báo cáo của phong trào này là "+string(every), "this campaign reports by "+string(every))
	case !p.End.After(camp.StartsOn.Time) || p.Start.After(camp.EndsOn.Time):
		return nil, invalid("period", "kỳ báo cáo nằm ngoài thời gian phong trào", "the period is outside the campaign")
	case p.Start.After(s.db.Now()):
		return nil, invalid("period", "kỳ báo cáo chưa bắt đầu", "the period has not started yet")
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	return s.db.PutReport(ctx, slug, unit, store.ReportPeriod{Key: p.Key, Start: store.Date{Time: p.Start}, End: store.Date{Time: p.End}}, in.Values)
}

// ReportingEvery is how often a campaign's units report: as its current
// ruleset says, monthly while it has none.
func (s *Service) ReportingEvery(ctx context.Context, slug string) (rules.Granularity, error) {
	rs, _, err := s.rulesets.Get(ctx, slug, 0)
	if err == nil {
		return rs.Reporting.Every, nil
	}
	if errors.Is(err, store.ErrNotFound) {
		if _, err := s.db.CampaignBySlug(ctx, slug); err != nil {
			return "", err
		}
		return rules.Month, nil
	}
	return "", err
}
