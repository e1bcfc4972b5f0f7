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
	Projects   []store.Project
	Next       string // cursor of the next page, "" on the last
}

// gallery shows a campaign's model projects to copy, verified ones first,
// with how many units replicated each; it searches without accents and
// pages with a cursor. htmx asks for the results alone (searching as one
// types) or for the next cards (the "more" link).
func (h *pages) gallery(c *fiber.Ctx) error {
	ctx, slug := c.UserContext(), c.Params("slug")
	camp, err := h.DB.CampaignBySlug(ctx, slug)
	if err != nil {
		return err
	}
	v := galleryView{page: h.base(c, text(langOf(c), "gallery.title")+" · "+camp.Name), Campaign: camp,
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
	v.Projects, v.Next, err = h.galleryPage(ctx, slug, store.ProjectFilter{Q: v.Q, Category: v.Category}, statuses, c.Query("cursor"))
	if err != nil {
		return err
	}
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
// turn. Its cursor is "<index of the status>.<the store's cursor>".
func (h *pages) galleryPage(ctx context.Context, slug string, f store.ProjectFilter, statuses []string, cursor string) ([]store.Project, string, error) {
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
