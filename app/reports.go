package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
)

type reportRequest struct {
	Values map[string]float64 `json:"values" validate:"required,min=1,max=200,dive,keys,key,endkeys,gte=0"`
}

// handleReportPut records a unit's indicator values for one reporting
// period, in the granularity the campaign's ruleset sets.
func handleReportPut(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, slug, unit := c.UserContext(), c.Params("slug"), c.Params("code")
		if err := actFor(c, unit); err != nil {
			return err
		}
		camp, err := s.db.CampaignBySlug(ctx, slug)
		if err != nil {
			return err
		}
		every, err := s.reportingEvery(ctx, slug)
		if err != nil {
			return err
		}
		p, err := rules.ParsePeriod(c.Params("period"))
		switch {
		case err != nil:
			return invalidField("period", err.Error())
		case p.Granularity != every:
			return invalidField("period", msg(c, "kỳ báo cáo của phong trào này là "+string(every),
				"this campaign reports by "+string(every)))
		case !p.End.After(camp.StartsOn.Time) || p.Start.After(camp.EndsOn.Time):
			return invalidField("period", msg(c, "kỳ báo cáo nằm ngoài thời gian phong trào", "the period is outside the campaign"))
		case p.Start.After(s.db.Now()):
			return invalidField("period", msg(c, "kỳ báo cáo chưa bắt đầu", "the period has not started yet"))
		}
		var req reportRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		r, err := s.db.PutReport(ctx, slug, unit, store.ReportPeriod{Key: p.Key, Start: store.Date{Time: p.Start}, End: store.Date{Time: p.End}}, req.Values)
		if err != nil {
			return err
		}
		return c.JSON(r)
	}
}

func handleReportList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		items, err := s.db.Reports(c.UserContext(), c.Params("slug"), c.Params("code"))
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, ""))
	}
}
