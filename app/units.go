package app

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/store"
)

type unitRequest struct {
	Code     string   `json:"code" validate:"required,code"`
	Name     string   `json:"name" validate:"required,max=200"`
	Level    string   `json:"level" validate:"required,key"`
	Kind     string   `json:"kind" validate:"required,key"`
	Parent   string   `json:"parent" validate:"omitempty,code"`
	Clusters []string `json:"clusters" validate:"max=20,dive,required,slug"`
}

func (r unitRequest) newUnit() store.NewUnit {
	return store.NewUnit{Code: r.Code, Name: r.Name, Level: r.Level, Kind: r.Kind, Parent: r.Parent, Clusters: r.Clusters}
}

func handleUnitCreate(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req unitRequest
		if err := s.val.decode(c, &req); err != nil {
			return err
		}
		u, err := s.db.CreateUnit(c.UserContext(), req.newUnit())
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(u)
	}
}

func handleUnitList(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := page(c)
		if err != nil {
			return err
		}
		units, next, err := s.db.Units(c.UserContext(), store.UnitFilter{
			Parent: c.Query("parent"), Level: c.Query("level"), Kind: c.Query("kind"),
			Cluster: c.Query("cluster"), Q: c.Query("q"), Page: p,
		})
		if err != nil {
			return err
		}
		return c.JSON(listOf(units, next))
	}
}

func handleUnitGet(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := s.db.UnitByCode(c.UserContext(), c.Params("code"))
		if err != nil {
			return err
		}
		return c.JSON(u)
	}
}

var unitCSVHeader = []string{"code", "name", "level", "kind", "parent", "clusters"}

// handleUnitImport creates the units of a CSV file, all or none: every bad
// line is reported with its number.
func handleUnitImport(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body := c.Body()
		if fh, err := c.FormFile("file"); err == nil {
			f, err := fh.Open()
			if err != nil {
				return err
			}
			defer f.Close()
			if body, err = io.ReadAll(f); err != nil {
				return err
			}
		}
		units, lines, err := s.parseUnitCSV(c, body)
		if err != nil {
			return err
		}
		n, err := s.db.ImportUnits(c.UserContext(), units, lines)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"created": n})
	}
}

func (s *Server) parseUnitCSV(c *fiber.Ctx, body []byte) ([]store.NewUnit, []int, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil, &malformedError{"the CSV file is empty"}
	}
	if !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0 {
		return nil, nil, &malformedError{"the CSV file must be UTF-8 text (save it from Excel as \"CSV UTF-8\")"}
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = len(unitCSVHeader)
	header, err := r.Read()
	if err != nil {
		return nil, nil, &malformedError{"cannot read the CSV header: " + err.Error()}
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if strings.Join(header, ",") != strings.Join(unitCSVHeader, ",") {
		return nil, nil, &malformedError{"the CSV header must be: " + strings.Join(unitCSVHeader, ",")}
	}
	var (
		units    []store.NewUnit
		lines    []int
		problems store.ImportErrors
		checked  []store.NewUnit // every line that parsed, valid or not, for the store's checks
		at       []int
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			problems = append(problems, store.ImportError{Line: line, Field: "", Message: err.Error()})
			if len(problems) >= 100 {
				break
			}
			continue
		}
		req := unitRequest{
			Code: strings.TrimSpace(rec[0]), Name: norm.NFC.String(strings.TrimSpace(rec[1])),
			Level: strings.TrimSpace(rec[2]), Kind: strings.TrimSpace(rec[3]), Parent: strings.TrimSpace(rec[4]),
		}
		for _, cl := range strings.Split(rec[5], ";") {
			if cl = strings.TrimSpace(cl); cl != "" {
				req.Clusters = append(req.Clusters, cl)
			}
		}
		checked, at = append(checked, req.newUnit()), append(at, line)
		if err := s.val.check(c, &req); err != nil {
			var ie *invalidError
			if !errors.As(err, &ie) {
				return nil, nil, err
			}
			for _, f := range ie.fields {
				problems = append(problems, store.ImportError{Line: line, Field: f.Field, Message: f.Message})
			}
			continue
		}
		units = append(units, req.newUnit())
		lines = append(lines, line)
	}
	if len(problems) > 0 {
		more, err := s.db.CheckImport(c.UserContext(), checked, at)
		if err != nil {
			return nil, nil, err
		}
		problems = append(problems, more...)
		slices.SortStableFunc(problems, func(a, b store.ImportError) int { return a.Line - b.Line })
		return nil, nil, problems
	}
	if len(units) == 0 {
		return nil, nil, &malformedError{"the CSV file has a header but no units"}
	}
	return units, lines, nil
}
