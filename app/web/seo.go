package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/store"
)

// What a search engine or a chat app that previews a link reads: the
// description and Open Graph tags of the pages (in the layout), the icon,
// robots.txt and the sitemap.

// seoTexts are the descriptions of pages, in Vietnamese and English.
var seoTexts = map[string][2]string{
	"site": {"Nền tảng thi đua: bảng xếp hạng, tiêu chí chấm điểm, mô hình tiêu biểu và khen thưởng của các phong trào thi đua.",
		"The emulation-campaign platform: leaderboards, scoring criteria, model projects and honours of emulation campaigns."},
	"campaign": {"Bảng xếp hạng phong trào “%s”%s: %s đơn vị tham gia, điểm từng tiêu chí, mô hình tiêu biểu và khen thưởng.",
		"Leaderboard of the campaign “%s”%s: %s participating units, points per criterion, model projects and honours."},
	"organiser": {" do %s phát động", " run by %s"},
	"unit": {"%s trong phong trào “%s”: điểm, thứ hạng và điểm từng tiêu chí.",
		"%s in the campaign “%s”: score, rank and the points of every criterion."},
}

func seoText(lang, key string, args ...any) string {
	t := seoTexts[key][0]
	if lang == en {
		t = seoTexts[key][1]
	}
	if len(args) == 0 {
		return t
	}
	return fmt.Sprintf(t, args...)
}

// campaignDescription describes a campaign's pages.
func campaignDescription(lang string, camp *store.Campaign) string {
	by := ""
	if camp.Organiser != nil {
		by = seoText(lang, "organiser", camp.Organiser.Name)
	}
	return seoText(lang, "campaign", camp.Name, by, formatsFor(lang).number(float64(camp.Units)))
}

// robots lets crawlers read the public pages, not the forms, the signed-in
// pages or the API, and points them to the sitemap.
func (h *pages) robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.SendString("User-agent: *\n" +
		"Disallow: /admin\nDisallow: /judge\nDisallow: /me\nDisallow: /login\nDisallow: /api/\n" +
		"Disallow: /c/*/projects/new\nDisallow: /c/*/u/*/report\nDisallow: /c/*/u/*/covenant\n" +
		"\nSitemap: " + h.siteURL(c) + "/sitemap.xml\n")
}

// sitemapSize is the most addresses one sitemap lists (the protocol's
// limit is 50,000); past it, /sitemap.xml is an index of its pages,
// /sitemap.xml?page=N.
var sitemapSize = 50000

type urlSet struct {
	XMLName xml.Name    `xml:"urlset"`
	NS      string      `xml:"xmlns,attr"`
	URLs    []sitemapAt `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name    `xml:"sitemapindex"`
	NS       string      `xml:"xmlns,attr"`
	Sitemaps []sitemapAt `xml:"sitemap"`
}

type sitemapAt struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// campaignPages are the public pages of a campaign the sitemap lists
// before its units' pages.
var campaignPages = []string{"", "/honours", "/projects", "/coverage"}

// sitemap lists the public pages: the home page, each campaign's pages and
// the page of each of its participating units.
func (h *pages) sitemap(c *fiber.Ctx) error {
	ctx, base := c.UserContext(), h.siteURL(c)
	camps, err := h.allCampaigns(ctx)
	if err != nil {
		return err
	}
	total := 1
	for _, camp := range camps {
		total += len(campaignPages) + camp.Units
	}
	pages := (total + sitemapSize - 1) / sitemapSize
	pageNo := c.QueryInt("page", 0)
	if c.Query("page") != "" && (pageNo < 1 || pageNo > pages) {
		return errNotFound
	}
	var doc any
	switch {
	case pageNo == 0 && pages > 1:
		index := sitemapIndex{NS: sitemapNS}
		for i := 1; i <= pages; i++ {
			index.Sitemaps = append(index.Sitemaps, sitemapAt{Loc: base + "/sitemap.xml?page=" + strconv.Itoa(i)})
		}
		doc = index
	default:
		pageNo = max(pageNo, 1)
		set := urlSet{NS: sitemapNS}
		if set.URLs, err = h.sitemapPage(ctx, base, camps, (pageNo-1)*sitemapSize, sitemapSize); err != nil {
			return err
		}
		doc = set
	}
	out, err := xml.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}

// sitemapPage lists n addresses from the offset-th, reading the units of
// only the campaigns that fall in that range.
func (h *pages) sitemapPage(ctx context.Context, base string, camps []store.Campaign, offset, n int) ([]sitemapAt, error) {
	var out []sitemapAt
	at := 0
	add := func(loc, lastmod string) {
		if at >= offset && len(out) < n {
			out = append(out, sitemapAt{Loc: loc, LastMod: lastmod})
		}
		at++
	}
	add(base+"/", "")
	for _, camp := range camps {
		if at+len(campaignPages)+camp.Units <= offset || len(out) == n {
			at += len(campaignPages) + camp.Units
			continue
		}
		for _, p := range campaignPages {
			add(base+"/c/"+camp.Slug+p, "")
		}
		for cursor := ""; ; {
			cov, err := h.DB.Coverage(ctx, camp.Slug, store.CoverageFilter{Page: store.Page{Limit: store.MaxLimit, Cursor: cursor}})
			if err != nil {
				return nil, err
			}
			codes := make([]string, 0, len(cov.UnitsWith)+len(cov.UnitsWithout))
			for _, u := range append(cov.UnitsWith, cov.UnitsWithout...) {
				codes = append(codes, u.Code)
			}
			sort.Strings(codes)
			for _, code := range codes {
				add(base+"/c/"+camp.Slug+"/u/"+code, "")
			}
			if cov.NextCursor == nil || len(out) == n {
				break
			}
			cursor = *cov.NextCursor
		}
	}
	return out, nil
}

// allCampaigns reads every campaign, page by page.
func (h *pages) allCampaigns(ctx context.Context) ([]store.Campaign, error) {
	var all []store.Campaign
	cursor := ""
	for {
		camps, next, err := h.DB.Campaigns(ctx, store.CampaignFilter{Page: store.Page{Limit: store.MaxLimit, Cursor: cursor}})
		if err != nil {
			return nil, err
		}
		all = append(all, camps...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}

// favicon is the site's icon: a gold star on red, drawn once, in an ICO
// file holding one 32×32 PNG.
var favicon = func() []byte {
	const size = 32
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	red, gold := color.NRGBA{0xb9, 0x1c, 0x1c, 0xff}, color.NRGBA{0xfa, 0xcc, 0x15, 0xff}
	star := starPolygon(size/2, size/2+1, 13, 5.2)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			img.Set(x, y, red)
			if inside(star, float64(x)+0.5, float64(y)+0.5) {
				img.Set(x, y, gold)
			}
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		panic(err) // an image in memory
	}
	var ico bytes.Buffer
	// ICONDIR, then one ICONDIRENTRY: 32×32, 32 bits a pixel, the PNG's
	// length, and where it starts (after these 6 + 16 bytes).
	binary.Write(&ico, binary.LittleEndian, []uint16{0, 1, 1})
	ico.Write([]byte{size, size, 0, 0})
	binary.Write(&ico, binary.LittleEndian, []uint16{1, 32})
	binary.Write(&ico, binary.LittleEndian, []uint32{uint32(pngData.Len()), 22})
	ico.Write(pngData.Bytes())
	return ico.Bytes()
}()

// starPolygon is a five-pointed star's corners, pointing up.
func starPolygon(cx, cy int, outer, inner float64) [][2]float64 {
	var pts [][2]float64
	for i := 0; i < 10; i++ {
		r := outer
		if i%2 == 1 {
			r = inner
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		pts = append(pts, [2]float64{float64(cx) + r*math.Cos(a), float64(cy) + r*math.Sin(a)})
	}
	return pts
}

// inside says whether (x, y) is inside the polygon (even-odd rule).
func inside(poly [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

func (h *pages) favicon(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "image/x-icon")
	c.Set(fiber.HeaderCacheControl, "public, max-age=604800")
	return c.Send(favicon)
}

// pageURL is the page's own address, without its language switch.
func (h *pages) pageURL(c *fiber.Ctx) string {
	u := h.siteURL(c) + c.Path()
	if langOf(c) == en {
		u += "?lang=en"
	}
	return u
}

// boardImageURL is the address of the image of a campaign's board.
func (h *pages) boardImageURL(c *fiber.Ctx, slug string) string {
	u := h.siteURL(c) + "/c/" + slug + "/board.png"
	if langOf(c) == en {
		u += "?lang=en"
	}
	return u
}
