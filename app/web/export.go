package web

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/thidua/thidua/rules"
	"github.com/thidua/thidua/scoring"
)

// boardCSV is a scope's leaderboard, of one kind of unit or of every kind
// (the page's filter), as a spreadsheet reads it, for people: headers in
// the page's language, criteria by their titles, levels and clusters by
// their names. The API's export keeps its English keys for programs.
func (h *pages) boardCSV(c *fiber.Ctx) error {
	ctx, slug, lang := c.UserContext(), c.Params("slug"), langOf(c)
	lb, err := h.Platform.Leaderboard(ctx, slug, c.Query("period"))
	if err != nil {
		return err
	}
	sc, err := scoring.ParseScope(c.Query("scope", rules.ScopeOverall))
	if err != nil {
		return errBadRequest
	}
	// The page's filter by kind of unit: an unknown kind shows every kind,
	// as on the page.
	kind := c.Query("kind")
	if !slices.Contains(lb.Kinds(), kind) {
		kind = ""
	}
	entries, err := lb.ScopeOfKind(sc.String(), kind)
	if err != nil {
		return errNotFound
	}
	names, err := h.DB.ClusterNames(ctx)
	if err != nil {
		return err
	}
	header := []string{text(lang, "export.rank"), text(lang, "export.code"), text(lang, "export.name"), text(lang, "export.level"),
		text(lang, "export.clusters"), text(lang, "export.eligible"), text(lang, "export.total"), text(lang, "export.max")}
	for _, cr := range lb.Ruleset.Criteria {
		header = append(header, cr.Title+": "+text(lang, "export.value"), cr.Title+": "+text(lang, "export.points"))
	}
	for _, a := range lb.Ruleset.Adjustments {
		header = append(header, a.Title+": "+text(lang, "export.points"))
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // so that Excel reads UTF-8
	w := csv.NewWriter(&buf)
	w.Write(header)
	for _, e := range entries {
		r := e.Result
		rank := ""
		if e.Rank > 0 {
			rank = strconv.Itoa(e.Rank)
		}
		var cls []string
		for _, code := range r.Clusters {
			cls = append(cls, cmp.Or(names[code], code))
		}
		eligible := text(lang, "fact.no")
		if r.Eligible {
			eligible = text(lang, "fact.yes")
		}
		row := []string{rank, r.Code, r.Name, label(lang, "level", r.Level), strings.Join(cls, "; "), eligible,
			csvNumber(r.Total), csvNumber(r.Max)}
		criteria, adjustments := lb.Table.Lines(r.Code)
		for _, l := range criteria {
			row = append(row, csvNumber(l.Value), csvNumber(l.Points))
		}
		for _, l := range adjustments {
			row = append(row, csvNumber(l.Points))
		}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		w.Write(row)
	}
	w.Flush()
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	name := exportName(slug, lb.Run.Period, sc.String())
	if kind != "" {
		name = exportName(name, kind)
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	return c.Send(buf.Bytes())
}

func csvNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// csvSafe keeps a spreadsheet from running a cell as a formula: text that
// starts like one gets a leading apostrophe (names are typed by people).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return "'" + s
		}
	}
	return s
}

// exportName is a download's name made of letters, digits, dots and dashes
// only, so that it cannot end the quotes of Content-Disposition.
func exportName(parts ...string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r == '.' || r == '-' || r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return r
		}
		return '-'
	}, strings.Join(parts, "-"))
}
