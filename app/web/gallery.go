package web

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// galleryStatuses are the statuses of model projects, in the gallery's
// order: verified by the organiser first, then completed.
var galleryStatuses = []string{store.StatusVerified, store.StatusCompleted}

const galleryPageSize = 24

type galleryView struct {
	page
	Campaign   *store.Campaign
	Q          string
	Status     string
	Category   string
	Statuses   []string
	Categories []string
	Projects   []galleryCard
	Next       string // cursor of the next page, "" on the last
}

// galleryCard is a project's card, with the titles of the honours naming it.
type galleryCard struct {
	store.Project
	Honours []string
}

// gallery shows a campaign's model projects to copy, honoured ones first
// (each with its honours' titles), then verified ones, with how many units
// replicated each; it searches without accents and
// pages with a cursor. htmx asks for the results alone (searching as one
// types) or for the next cards (the "more" link).
func (h *pages) gallery(c *fiber.Ctx) error {
	ctx, slug := c.UserContext(), c.Params("slug")
	camp, err := h.DB.CampaignBySlug(ctx, slug)
	if err != nil {
		return err
	}
	v := galleryView{page: h.campaignBase(c, text(langOf(c), "gallery.title")+" · "+camp.Name, camp), Campaign: camp,
		Q: strings.TrimSpace(c.Query("q")), Status: c.Query("status"), Category: c.Query("category"),
		Statuses: store.Statuses, Categories: store.Categories}
	statuses := galleryStatuses
	if slices.Contains(store.Statuses, v.Status) {
		statuses = []string{v.Status}
	} else {
		v.Status = ""
	}
	if !slices.Contains(store.Categories, v.Category) {
		v.Category = ""
	}
	honoured, err := h.DB.HonouredProjects(ctx, slug, store.HonouredFilter{Statuses: statuses, Category: v.Category, Q: v.Q})
	if err != nil {
		return err
	}
	cursor := c.Query("cursor")
	shown := make(map[int64]bool, len(honoured))
	for _, p := range honoured {
		shown[p.ID] = true
		if cursor == "" {
			v.Projects = append(v.Projects, galleryCard{Project: p.Project, Honours: p.Honours})
		}
	}
	rest, next, err := h.galleryPage(ctx, slug, store.ProjectFilter{Q: v.Q, Category: v.Category}, statuses, cursor, shown)
	if err != nil {
		return err
	}
	for _, p := range rest {
		v.Projects = append(v.Projects, galleryCard{Project: p})
	}
	v.Next = next
	fragment := ""
	if isHTMX(c) {
		fragment = "results"
		if c.Get("HX-Target") == "more" {
			fragment = "cards"
		}
	}
	return h.render(c, fiber.StatusOK, "gallery", fragment, v)
}

// galleryPage reads a page of the gallery: the projects of each status in
// turn, leaving out those shown first as honoured. Its cursor is "<index of
// the status>.<the store's cursor>".
func (h *pages) galleryPage(ctx context.Context, slug string, f store.ProjectFilter, statuses []string, cursor string, shown map[int64]bool) ([]store.Project, string, error) {
	phase, inner := 0, ""
	if cursor != "" {
		i, rest, ok := strings.Cut(cursor, ".")
		n, err := strconv.Atoi(i)
		if !ok || err != nil || n < 0 || n >= len(statuses) {
			return nil, "", errBadRequest
		}
		phase, inner = n, rest
	}
	var out []store.Project
	for ; phase < len(statuses); phase++ {
		f.Status, f.Page = statuses[phase], store.Page{Limit: galleryPageSize - len(out), Cursor: inner}
		items, next, err := h.DB.Projects(ctx, slug, f)
		if err != nil {
			return nil, "", err
		}
		items = slices.DeleteFunc(items, func(p store.Project) bool { return shown[p.ID] })
		out, inner = append(out, items...), ""
		switch {
		case next != "":
			return out, strconv.Itoa(phase) + "." + next, nil
		case len(out) == galleryPageSize && phase+1 < len(statuses):
			return out, strconv.Itoa(phase+1) + ".", nil
		}
	}
	return out, "", nil
}
