package web

import (
	"encoding/json"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

type projectView struct {
	page
	Project     *store.ProjectDetail
	Judging     *platform.JudgingResult // once the round is locked
	Progress    []progressEntry
	CanEdit     bool // the visitor may edit the project
	CanProgress bool // the visitor may report its progress: an officer of its unit
	CanAdopt    bool // the visitor is an officer of another unit, who may replicate it
	// Done says what the visitor just did: "created" or "saved" the
	// project, for the notice that confirms it.
	Done string
}

// progressEntry is a progress note with its evidence and figures decoded.
type progressEntry struct {
	store.ProgressNote
	Evidence []string
	Figures  []figure
}

type figure struct {
	Name  string
	Value float64
}

// project is a project's page: its status history, progress with evidence,
// and who replicated it.
func (h *pages) project(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	pv, err := h.Platform.Project(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := pv.ProjectDetail
	ctx := c.UserContext()
	camp, err := h.DB.CampaignBySlug(ctx, p.Campaign)
	if err != nil {
		return err
	}
	v := projectView{page: h.campaignBase(c, p.Title, camp), Project: p, Judging: pv.Judging, Progress: make([]progressEntry, len(p.Progress))}
	if userOf(c) != nil {
		switch {
		case c.Query("created") == "1":
			v.Done = "created"
		case c.Query("saved") == "1":
			v.Done = "saved"
		}
	}
	if userOf(c) != nil {
		// Once verified or rejected, the content is the organisers' to change.
		decided := p.Status == store.StatusVerified || p.Status == store.StatusRejected
		v.CanEdit = h.Platform.ActsFor(ctx, camp, p.Unit) && (!decided || h.Platform.Organises(ctx, camp))
		v.CanProgress = h.Platform.ReportsProgress(ctx, &p.Project)
		v.CanAdopt = h.Platform.Replicates(ctx, &p.Project) && p.Status != store.StatusRejected && p.Status != store.StatusWithdrawn
	}
	for i, n := range p.Progress {
		e := progressEntry{ProgressNote: n}
		var figures map[string]float64
		// Both were written by the store from a []string and a map: a
		// document that does not decode shows as no evidence.
		json.Unmarshal(n.EvidenceURLs, &e.Evidence)
		json.Unmarshal(n.Figures, &figures)
		for k, f := range figures {
			e.Figures = append(e.Figures, figure{k, f})
		}
		sort.Slice(e.Figures, func(a, b int) bool { return e.Figures[a].Name < e.Figures[b].Name })
		v.Progress[len(p.Progress)-1-i] = e // newest first
	}
	return h.render(c, fiber.StatusOK, "project", "", v)
}

// pathID reads the project id from the path; anything but a positive
// integer is a page that does not exist.
func pathID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}
