package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

type projectRequest struct {
	Unit        string `json:"unit" validate:"required,code"`
	Title       string `json:"title" validate:"required,max=300"`
	Summary     string `json:"summary" validate:"max=5000"`
	Category    string `json:"category" validate:"required,category"`
	StartsOn    string `json:"starts_on" validate:"omitempty,date"`
	EndsOn      string `json:"ends_on" validate:"omitempty,date"`
	AdoptedFrom *int64 `json:"adopted_from" validate:"omitempty,gt=0"`
}

func handleProjectCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req projectRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		if err := actFor(c, req.Unit); err != nil {
			return err
		}
		starts, _ := store.ParseDate(req.StartsOn)
		ends, _ := store.ParseDate(req.EndsOn)
		if !starts.IsZero() && !ends.IsZero() && ends.Before(starts.Time) {
			return invalidField("ends_on", msg(c, "ngày kết thúc phải sau ngày bắt đầu", "must not be before starts_on"))
		}
		p, err := s.db.CreateProject(c.UserContext(), c.Params("slug"), store.NewProject{
			Unit: req.Unit, Title: req.Title, Summary: req.Summary, Category: req.Category,
			StartsOn: starts, EndsOn: ends, AdoptedFrom: req.AdoptedFrom,
		})
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(p)
	}
}

func handleProjectList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		if st := c.Query("status"); st != "" && !slices.Contains(store.Statuses, st) {
			return invalidField("status", msg(c, "trạng thái không hợp lệ", "unknown status"))
		}
		items, next, err := s.db.Projects(c.UserContext(), c.Params("slug"), store.ProjectFilter{
			Unit: c.Query("unit"), Status: c.Query("status"), Category: c.Query("category"), Q: c.Query("q"), Page: p,
		})
		if err != nil {
			return err
		}
		return c.JSON(listOf(items, next))
	}
}

func handleProjectGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		p, err := s.db.ProjectByID(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.JSON(p)
	}
}

type projectPatch struct {
	Title        *string `json:"title" validate:"omitempty,min=1,max=300"`
	Summary      *string `json:"summary" validate:"omitempty,max=5000"`
	Category     *string `json:"category" validate:"omitempty,category"`
	StartsOn     *string `json:"starts_on" validate:"omitempty,date"`
	EndsOn       *string `json:"ends_on" validate:"omitempty,date"`
	Status       *string `json:"status" validate:"omitempty,status"`
	RejectReason *string `json:"reject_reason" validate:"omitempty,max=2000"`
}

// handleProjectPatch edits a project. Its unit's officer and the admin may
// edit and move it along; only the admin may verify or reject it.
func handleProjectPatch(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		unit, err := s.db.ProjectUnit(c.UserContext(), id)
		if err != nil {
			return err
		}
		if err := actFor(c, unit); err != nil {
			return err
		}
		var req projectPatch
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		if req.Status != nil && (*req.Status == store.StatusVerified || *req.Status == store.StatusRejected) &&
			!can(currentUser(c).Role, permReviewProject) {
			return problemOf(fiber.StatusForbidden, "only the organiser may verify or reject a project")
		}
		ch := store.ProjectChanges{Title: req.Title, Summary: req.Summary, Category: req.Category,
			Status: req.Status, RejectReason: req.RejectReason, ByOfficer: !can(currentUser(c).Role, permReviewProject)}
		for _, d := range []struct {
			in  *string
			out **store.Date
		}{{req.StartsOn, &ch.StartsOn}, {req.EndsOn, &ch.EndsOn}} {
			if d.in != nil {
				v, _ := store.ParseDate(*d.in)
				*d.out = &v
			}
		}
		p, err := s.db.UpdateProject(c.UserContext(), id, ch)
		if err != nil {
			return err
		}
		return c.JSON(p)
	}
}

type progressRequest struct {
	Note         string             `json:"note" validate:"required,max=5000"`
	EvidenceURLs []string           `json:"evidence_urls" validate:"max=20,dive,required,http_url,max=2000"`
	Figures      map[string]float64 `json:"figures" validate:"max=50,dive,keys,key,endkeys"`
}

func handleProgressCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		unit, err := s.db.ProjectUnit(c.UserContext(), id)
		if err != nil {
			return err
		}
		if u := currentUser(c); u.Role != store.RoleUnit || u.Unit != unit {
			return problemOf(fiber.StatusForbidden, "only an officer of the project's unit may report its progress")
		}
		var req progressRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		n, err := s.db.AddProgress(c.UserContext(), id, req.Note, req.EvidenceURLs, req.Figures)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(n)
	}
}
