package app

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua/scoring"
)

// exportRows turns a scope's leaderboard into a table with a column for
// each criterion's value and points and each adjustment's points: its
// header, then a row per entry, made as they are written (a national board
// has 100,000 of them). A row is only valid until the next one is made.
func exportRows(table *scoring.Table, entries []scoring.Entry) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		header := []any{"rank", "unit", "name", "level", "clusters", "eligible", "total", "max"}
		if len(entries) > 0 {
			criteria, adjustments := table.Lines(entries[0].Result.Code)
			for _, l := range criteria {
				header = append(header, l.Key+" value", l.Key+" points")
			}
			for _, l := range adjustments {
				header = append(header, l.Key+" points")
			}
		}
		if !yield(header) {
			return
		}
		var row []any
		for _, e := range entries {
			r := e.Result
			var rank any = ""
			if e.Rank > 0 {
				rank = e.Rank
			}
			row = append(row[:0], rank, r.Code, r.Name, r.Level, strings.Join(r.Clusters, ";"), r.Eligible, r.Total, r.Max)
			criteria, adjustments := table.Lines(r.Code)
			for _, l := range criteria {
				row = append(row, l.Value, l.Points)
			}
			for _, l := range adjustments {
				row = append(row, l.Points)
			}
			if !yield(row) {
				return
			}
		}
	}
}

// csvCell writes a cell so that a spreadsheet never runs it as a formula.
func csvCell(v any) string {
	var s string
	switch v := v.(type) {
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		s = fmt.Sprint(v)
	}
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			s = "'" + s
		}
	}
	return s
}

// exportTable is the table a request exports, as rows (see exportRows),
// and the name of its file.
func (s *Server) exportTable(c *fiber.Ctx) (iter.Seq[[]any], string, error) {
	sc, err := scopeParam(c)
	if err != nil {
		return nil, "", err
	}
	snap, err := s.svc.Leaderboard(c.UserContext(), c.Params("slug"), c.Query("period"))
	if err != nil {
		return nil, "", err
	}
	kind := c.Query("kind")
	entries, err := scopeEntries(c, snap, sc, kind)
	if err != nil {
		return nil, "", err
	}
	name := c.Params("slug") + "-" + snap.Run.Period + "-" + sc.String()
	if kind != "" {
		name += "-" + kind
	}
	return exportRows(snap.Table, entries), fileName(name), nil
}

// fileName keeps a download's name to letters, digits, dots, dashes and
// underscores: what goes between the quotes of a Content-Disposition header
// must not end them.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (r == '.' || r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return '-'
	}, s)
}

func handleExportCSV(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		rows, name, err := s.exportTable(c)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		buf.WriteString("\ufeff") // so that Excel reads UTF-8
		w := csv.NewWriter(&buf)
		var rec []string
		for row := range rows {
			rec = rec[:0]
			for _, v := range row {
				rec = append(rec, csvCell(v))
			}
			w.Write(rec)
		}
		w.Flush()
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
		return c.Send(buf.Bytes())
	}
}

func handleExportXLSX(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		rows, name, err := s.exportTable(c)
		if err != nil {
			return err
		}
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return err
		}
		line := 0
		for row := range rows {
			line++
			cell, _ := excelize.CoordinatesToCellName(1, line)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.xlsx"`)
		return c.Send(buf.Bytes())
	}
}
