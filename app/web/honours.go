package web

import (
	"context"
	"encoding/xml"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// honourPageSize is how many honours a page of the roll shows.
const honourPageSize = 100

type honoursView struct {
	page
	Campaign *store.Campaign
	Period   string   // the chosen period, "" for all
	Periods  []string // closed periods, newest first
	Groups   []honourGroup
	Next     string // cursor of the next page, "" on the last
}

// honourGroup is the honours of one period granted by one rule, or by the
// organisers' decision.
type honourGroup struct {
	Period   string
	Title    string // the rule's honour title; "" for decisions
	Decision bool
	Honours  []store.Honour
}

// honours is the campaign's honour roll, newest first, grouped by period
// and by the rule or decision that granted each honour.
func (h *pages) honours(c *fiber.Ctx) error {
	ctx, slug := c.UserContext(), c.Params("slug")
	camp, err := h.DB.CampaignBySlug(ctx, slug)
	if err != nil {
		return err
	}
	v := honoursView{page: h.campaignBase(c, text(langOf(c), "honours.title")+" · "+camp.Name, camp), Campaign: camp}
	if v.Periods, err = h.DB.ClosedPeriods(ctx, slug); err != nil {
		return err
	}
	slices.Reverse(v.Periods)
	v.Period = c.Query("period")
	list, next, err := h.DB.Honours(ctx, slug, store.HonourFilter{Period: v.Period,
		Page: store.Page{Limit: honourPageSize, Cursor: c.Query("cursor")}})
	if err != nil {
		return err
	}
	v.Groups, v.Next = groupHonours(list), next
	return h.render(c, fiber.StatusOK, "honours", "", v)
}

// groupHonours groups honours by period and rule (or decision), keeping
// the order in which each group first appears.
func groupHonours(list []store.Honour) []honourGroup {
	var groups []honourGroup
	at := map[[2]string]int{}
	for _, hn := range list {
		key := [2]string{hn.Period, hn.HonourKey}
		i, ok := at[key]
		if !ok {
			i = len(groups)
			at[key] = i
			g := honourGroup{Period: hn.Period, Decision: hn.HonourKey == ""}
			if !g.Decision {
				g.Title = hn.Title
			}
			groups = append(groups, g)
		}
		groups[i].Honours = append(groups[i].Honours, hn)
	}
	return groups
}

// feedSize is how many of the newest honours the feed carries.
const feedSize = 50

// atomFeed is an Atom 1.0 feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string     `xml:"title"`
	ID      string     `xml:"id"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Summary string     `xml:"summary"`
}

// honoursFeed is the honour roll as an Atom feed: the newest honours, each
// linking to the page that verifies it and to its certificate.
func (h *pages) honoursFeed(c *fiber.Ctx) error {
	ctx, slug := c.UserContext(), c.Params("slug")
	camp, err := h.DB.CampaignBySlug(ctx, slug)
	if err != nil {
		return err
	}
	list, _, err := h.DB.Honours(ctx, slug, store.HonourFilter{Latest: true, Page: store.Page{Limit: feedSize}})
	if err != nil {
		return err
	}
	lang, base := langOf(c), h.siteURL(c)
	roll := base + "/c/" + slug + "/honours"
	feed := atomFeed{Lang: lang, Title: text(lang, "honours.title") + " · " + camp.Name, ID: roll,
		Updated: camp.UpdatedAt.UTC().Format(time.RFC3339), Author: atomAuthor{Name: feedAuthor(lang, camp)},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: roll + ".atom"}, {Rel: "alternate", Type: "text/html", Href: roll}}}
	for i, hn := range list {
		at, title, summary := hn.GrantedAt, hn.Title+" · "+hn.UnitName, hn.Citation
		if hn.Revoked() { // the revocation is news of its own
			at, title, summary = *hn.RevokedAt, text(lang, "honours.revoked")+": "+title, text(lang, "honours.revoke_reason")+": "+hn.RevokeReason
		}
		updated := at.UTC().Format(time.RFC3339)
		if i == 0 {
			feed.Updated = updated
		}
		feed.Entries = append(feed.Entries, atomEntry{
			Title: title, ID: "urn:thidua:honour:" + hn.Serial, Updated: updated,
			Summary: summary,
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: base + "/verify/" + hn.Serial},
				{Rel: "enclosure", Type: "application/pdf", Href: base + "/honours/" + hn.Serial + ".pdf"}},
		})
	}
	out, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(append([]byte(xml.Header), out...))
}

type verifyView struct {
	page
	Honour   *store.Honour
	Campaign *store.Campaign
}

// verify shows the honour a certificate's serial belongs to, so that anyone
// holding the paper can check it is genuine.
func (h *pages) verify(c *fiber.Ctx) error {
	ctx := c.UserContext()
	hn, err := h.DB.HonourBySerial(ctx, c.Params("serial"))
	if err != nil {
		return err
	}
	camp, err := h.campaignOf(ctx, hn)
	if err != nil {
		return err
	}
	v := verifyView{page: h.campaignBase(c, text(langOf(c), "verify.title"), camp), Honour: hn, Campaign: camp}
	return h.render(c, fiber.StatusOK, "verify", "", v)
}

// campaignOf is the campaign an honour belongs to.
func (h *pages) campaignOf(ctx context.Context, hn *store.Honour) (*store.Campaign, error) {
	return h.DB.CampaignBySlug(ctx, hn.Campaign)
}

// feedAuthor is who publishes a campaign's honours: its organising unit,
// or the platform for a campaign of its own.
func feedAuthor(lang string, camp *store.Campaign) string {
	if camp.Organiser != nil {
		return camp.Organiser.Name
	}
	return text(lang, "site.name")
}
