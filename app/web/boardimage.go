package web

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/web/fonts"
	"github.com/thidua/thidua/rules"
)

// The image of a campaign's board, for a link's preview (og:image): the
// campaign's name and the head of its overall leaderboard, 1200×630 as the
// previews of Facebook and Zalo draw them. Made like a public page, once
// per change of the data (see cached).

const (
	boardWidth, boardHeight = 1200, 630
	boardRows               = 5
)

var boardTexts = map[string][2]string{
	"title": {"Bảng xếp hạng", "Leaderboard"},
	"none":  {"Chưa có kết quả chấm điểm", "Not scored yet"},
	"units": {"đơn vị tham gia", "participating units"},
	"pts":   {"điểm", "points"},
}

func boardText(lang, key string) string {
	if lang == en {
		return boardTexts[key][1]
	}
	return boardTexts[key][0]
}

var boardFonts struct {
	once       sync.Once
	sans, bold *opentype.Font
	err        error
	faces      map[[2]int]font.Face // by (bold, size)
	facesMu    sync.Mutex
}

// face is DejaVu Sans (bold or not) at a size in pixels.
func face(bold bool, size int) font.Face {
	boardFonts.once.Do(func() {
		if boardFonts.sans, boardFonts.err = opentype.Parse(fonts.Sans); boardFonts.err == nil {
			boardFonts.bold, boardFonts.err = opentype.Parse(fonts.SansBold)
		}
		boardFonts.faces = map[[2]int]font.Face{}
	})
	if boardFonts.err != nil {
		panic(boardFonts.err) // the embedded fonts
	}
	k := [2]int{0, size}
	f := boardFonts.sans
	if bold {
		k[0], f = 1, boardFonts.bold
	}
	boardFonts.facesMu.Lock()
	defer boardFonts.facesMu.Unlock()
	if fc, ok := boardFonts.faces[k]; ok {
		return fc
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic(err)
	}
	boardFonts.faces[k] = fc
	return fc
}

var (
	boardRed   = color.NRGBA{0xb9, 0x1c, 0x1c, 0xff}
	boardGold  = color.NRGBA{0xfa, 0xcc, 0x15, 0xff}
	boardInk   = color.NRGBA{0x1f, 0x29, 0x37, 0xff}
	boardMuted = color.NRGBA{0x6b, 0x72, 0x80, 0xff}
	boardLine  = color.NRGBA{0xe5, 0xe7, 0xeb, 0xff}
)

// headRow is one line of the image: a rank, a unit, its score.
type headRow struct {
	Rank       int
	Name       string
	Score, Max float64
}

// drawBoard draws the image.
func drawBoard(lang, campaign string, units int, rows []headRow) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, boardWidth, boardHeight))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, boardWidth, 150), image.NewUniform(boardRed), image.Point{}, draw.Src)
	f := formatsFor(lang)
	write(img, face(false, 26), boardGold, 60, 52, boardText(lang, "title")+" · "+f.number(float64(units))+" "+boardText(lang, "units"), boardWidth-120)
	write(img, face(true, 44), color.White, 60, 115, campaign, boardWidth-120)
	if len(rows) == 0 {
		write(img, face(false, 36), boardMuted, 60, 330, boardText(lang, "none"), boardWidth-120)
	}
	for i, r := range rows {
		top := 170 + i*88
		if i > 0 {
			draw.Draw(img, image.Rect(60, top, boardWidth-60, top+2), image.NewUniform(boardLine), image.Point{}, draw.Src)
		}
		base := top + 60
		rank := "–"
		if r.Rank > 0 {
			rank = strconv.Itoa(r.Rank)
		}
		rankColor := boardInk
		if r.Rank >= 1 && r.Rank <= 3 {
			rankColor = boardRed
		}
		write(img, face(true, 40), rankColor, 60, base, rank, 80)
		score := f.number(r.Score) + " / " + f.number(r.Max) + " " + boardText(lang, "pts")
		sw := font.MeasureString(face(true, 34), score).Ceil()
		write(img, face(true, 34), boardInk, boardWidth-60-sw, base, score, sw+1)
		write(img, face(false, 34), boardInk, 160, base, r.Name, boardWidth-60-sw-40-160)
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		panic(err) // an image in memory
	}
	return out.Bytes()
}

// write draws text (NFC, as the fonts' glyphs are for precomposed letters)
// from (x, baseline), cut with an ellipsis to fit width pixels.
func write(img draw.Image, fc font.Face, col color.Color, x, baseline int, text string, width int) {
	text = norm.NFC.String(text)
	if font.MeasureString(fc, text).Ceil() > width {
		runes := []rune(text)
		for len(runes) > 0 && font.MeasureString(fc, string(runes)+"…").Ceil() > width {
			runes = runes[:len(runes)-1]
		}
		text = string(runes) + "…"
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(col), Face: fc, Dot: fixed.P(x, baseline)}
	d.DrawString(text)
}

// boardImage serves the image of a campaign's board: its latest overall
// leaderboard's head.
func (h *pages) boardImage(c *fiber.Ctx) error {
	ctx, slug := c.UserContext(), c.Params("slug")
	camp, err := h.DB.CampaignBySlug(ctx, slug)
	if err != nil {
		return err
	}
	var rows []headRow
	lb, err := h.Platform.Leaderboard(ctx, slug, "")
	switch {
	case errors.Is(err, store.ErrNotFound): // no run yet
	case err != nil:
		return err
	default:
		entries, err := lb.Scope(rules.ScopeOverall)
		if err != nil {
			return err
		}
		for _, e := range entries[:min(boardRows, len(entries))] {
			rows = append(rows, headRow{Rank: e.Rank, Name: e.Result.Name, Score: e.Result.Total, Max: e.Result.Max})
		}
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(drawBoard(langOf(c), camp.Name, camp.Units, rows))
}
