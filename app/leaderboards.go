package app

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// leaderboardItem is one line of a leaderboard.
type leaderboardItem struct {
	Rank       *int     `json:"rank"` // null when ineligible
	Unit       string   `json:"unit"`
	Name       string   `json:"name"`
	Level      string   `json:"level"`
	Clusters   []string `json:"clusters"`
	Score      float64  `json:"score"`
	Max        float64  `json:"max"`
	Eligible   bool     `json:"eligible"`
	RankChange *int     `json:"rank_change"` // places risen since the previous run; null if unknown
}

// runRef says which run a leaderboard comes from.
type runRef struct {
	ID             int64      `json:"id"`
	Period         string     `json:"period"`
	RulesetVersion int        `json:"ruleset_version"`
	Closing        bool       `json:"closing"`
	FinishedAt     *time.Time `json:"finished_at"`
}

type leaderboard struct {
	Campaign   string            `json:"campaign"`
	Period     string            `json:"period"`
	Scope      string            `json:"scope"`
	Kind       string            `json:"kind,omitempty"` // of the units shown; every kind when absent
	Run        *runRef           `json:"run"`
	Total      int               `json:"total"`                     // units in the scope
	Items      []leaderboardItem `json:"items" validate:"required"` // never null
	NextCursor *string           `json:"next_cursor"`
}

func refOf(r *store.Run) *runRef {
	if r == nil {
		return nil
	}
	return &runRef{ID: r.ID, Period: r.Period, RulesetVersion: r.RulesetVersion, Closing: r.Closing, FinishedAt: r.FinishedAt}
}

func item(e scoring.Entry, change *int) leaderboardItem {
	it := leaderboardItem{Unit: e.Result.Code, Name: e.Result.Name, Level: e.Result.Level, Clusters: e.Result.Clusters,
		Score: e.Result.Total, Max: e.Result.Max, Eligible: e.Result.Eligible, RankChange: change}
	if e.Rank > 0 {
		r := e.Rank
		it.Rank = &r
	}
	return it
}

// scopeParam reads ?scope=, defaulting to overall.
func scopeParam(c *fiber.Ctx) (scoring.Scope, error) {
	sc, err := scoring.ParseScope(c.Query("scope", "overall"))
	if err != nil {
		return sc, invalidField("scope", msg(c, "phạm vi xếp hạng (scope) phải là overall (toàn phong trào), level:<cấp> (theo cấp) hoặc cluster:<cụm> (theo cụm, khối)", "scope must be overall, level:<level> or cluster:<cluster>"))
	}
	return sc, nil
}

// scopeVI names a scope in a Vietnamese sentence: "toàn phong trào",
// "cấp xã, phường", "cụm, khối cum-1".
func scopeVI(sc scoring.Scope) string {
	switch sc.Kind {
	case rules.ScopeLevel:
		return "cấp " + store.ValueText("vi", sc.Group)
	case rules.ScopeCluster:
		return "cụm, khối " + sc.Group
	}
	return "toàn phong trào"
}

// maxOffset bounds a cursor's position far beyond any board, so that
// adding a page to it never overflows.
const maxOffset = 1 << 30

// scopeEntries are the entries of a scope of the snapshot, of the units
// of a kind only when kind is not "" (each keeping its rank in the
// scope). A level, cluster or kind with no unit of the campaign names
// nothing: most likely a typo, so it is refused rather than answered with
// an empty list.
func scopeEntries(c *fiber.Ctx, snap *platform.Leaderboard, sc scoring.Scope, kind string) ([]scoring.Entry, error) {
	entries, err := snap.Scope(sc.String())
	if err == nil && len(entries) == 0 && sc.Kind != rules.ScopeOverall {
		return nil, invalidField("scope", msg(c, "phong trào này không có đơn vị nào thuộc "+scopeVI(sc),
			"no unit of this campaign is in "+sc.String()))
	}
	if err != nil || kind == "" {
		return entries, err
	}
	if !slices.Contains(snap.Kinds(), kind) {
		return nil, invalidField("kind", msg(c, "phong trào này không có đơn vị nào thuộc loại "+strconv.Quote(kind),
			"no unit of this campaign is of kind "+kind))
	}
	return snap.ScopeOfKind(sc.String(), kind)
}

// offsetCursor pages a snapshot by position: "<run>.<offset>". A cursor of
// an older run still pages by position in the newer one.
func offsetCursor(c *fiber.Ctx) (int, error) {
	v := c.Query("cursor")
	if v == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	_, off, ok := strings.Cut(string(b), ".")
	n, err2 := strconv.Atoi(off)
	if err != nil || !ok || err2 != nil || n < 0 || n > maxOffset {
		return 0, invalidField("cursor", msg(c, "con trỏ trang (cursor) không hợp lệ: hãy dùng con trỏ của trang trước", "not a cursor from this list"))
	}
	return n, nil
}

func handleLeaderboard(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug := c.Params("slug")
		sc, err := scopeParam(c)
		if err != nil {
			return err
		}
		p, err := page(c)
		if err != nil {
			return err
		}
		offset, err := offsetCursor(c)
		if err != nil {
			return err
		}
		snap, err := s.svc.Leaderboard(c.UserContext(), slug, c.Query("period"))
		if err != nil {
			return err
		}
		limit := p.Limit
		if limit == 0 {
			limit = store.DefaultLimit
		}
		kind := c.Query("kind")
		body, err := snap.Page(platform.PageKey{Scope: sc.String(), Kind: kind, Offset: offset, Limit: limit}, func() ([]byte, error) {
			// Checked when a page is first encoded: a refusal is not kept.
			entries, err := scopeEntries(c, snap, sc, kind)
			if err != nil {
				return nil, err
			}
			return encodeLeaderboard(snap, entries, slug, sc, kind, offset, limit)
		})
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(body)
	}
}

func encodeLeaderboard(snap *platform.Leaderboard, entries []scoring.Entry, slug string, sc scoring.Scope, kind string, offset, limit int) ([]byte, error) {
	lb := leaderboard{Campaign: slug, Period: snap.Run.Period, Scope: sc.String(), Kind: kind, Run: refOf(snap.Run)}
	lb.fill(entries, snap.Run.ID, offset, limit, func(e scoring.Entry) *int { return snap.RankChange(sc, e) })
	return json.Marshal(lb)
}

// fill puts the page of entries from offset in lb, with the cursor of the
// next page ("run.offset"; a dry run is run 0) and, when change is set,
// each entry's rank change.
func (lb *leaderboard) fill(entries []scoring.Entry, run int64, offset, limit int, change func(scoring.Entry) *int) {
	lb.Total, lb.Items = len(entries), []leaderboardItem{}
	end := min(offset+limit, len(entries))
	for i := offset; i < end; i++ {
		var ch *int
		if change != nil {
			ch = change(entries[i])
		}
		lb.Items = append(lb.Items, item(entries[i], ch))
	}
	if end < len(entries) {
		next := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%d", run, end))
		lb.NextCursor = &next
	}
}

// handleLeaderboardAround shows a unit and its neighbours in a scope.
func handleLeaderboardAround(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug, code := c.Params("slug"), c.Params("code")
		sc, err := scopeParam(c)
		if err != nil {
			return err
		}
		n := c.QueryInt("n", 5)
		if n < 1 || n > 50 {
			return invalidField("n", msg(c, "số đơn vị liền kề mỗi bên (n) phải là số nguyên từ 1 đến 50", "n must be an integer from 1 to 50"))
		}
		snap, err := s.svc.Leaderboard(c.UserContext(), slug, c.Query("period"))
		if err != nil {
			return err
		}
		kind := c.Query("kind")
		entries, err := scopeEntries(c, snap, sc, kind)
		if err != nil {
			return err
		}
		at := -1
		for i, e := range entries {
			if e.Result.Code == code {
				at = i
				break
			}
		}
		if at < 0 {
			return problemOf(fiber.StatusNotFound, msg(c, "đơn vị "+code+" không có trong bảng xếp hạng "+scopeVI(sc), "unit "+code+" is not in scope "+sc.String()))
		}
		lb := leaderboard{Campaign: slug, Period: snap.Run.Period, Scope: sc.String(), Kind: kind, Run: refOf(snap.Run),
			Total: len(entries), Items: []leaderboardItem{}}
		for i := max(0, at-n); i < min(len(entries), at+n+1); i++ {
			lb.Items = append(lb.Items, item(entries[i], snap.RankChange(sc, entries[i])))
		}
		return c.JSON(lb)
	}
}

// unitScore is a unit's latest result with everything that explains it.
type unitScore struct {
	Campaign string          `json:"campaign"`
	Period   string          `json:"period"`
	Run      *runRef         `json:"run"`
	Result   *scoring.Result `json:"result"`
	// RankChange is the change of the overall rank since the previous run.
	RankChange *int `json:"rank_change"`
}

func handleUnitScore(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug, code := c.Params("slug"), c.Params("code")
		snap, err := s.svc.Leaderboard(c.UserContext(), slug, c.Query("period"))
		if err != nil {
			return err
		}
		res, ok := snap.Table.Lookup(code)
		if !ok {
			return problemOf(fiber.StatusNotFound, msg(c, "đơn vị "+code+" không có điểm trong lượt chấm này", "unit "+code+" has no score in this run"))
		}
		change := snap.RankChange(scoring.Scope{Kind: "overall"}, scoring.Entry{Rank: res.Rank.Overall, Result: &scoring.Standing{Code: res.Code}})
		return c.JSON(unitScore{Campaign: slug, Period: snap.Run.Period, Run: refOf(snap.Run), Result: res, RankChange: change})
	}
}
