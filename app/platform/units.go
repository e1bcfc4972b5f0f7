package platform

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// NewUnit is a unit to create; Code is its stable id, Parent the code of
// the unit above it ("" for a root).
type NewUnit struct {
	Code     string   `json:"code" validate:"required,code"`
	Name     string   `json:"name" validate:"required,max=200"`
	Level    string   `json:"level" validate:"required,key"`
	Kind     string   `json:"kind" validate:"required,key"`
	Parent   string   `json:"parent" validate:"omitempty,code"`
	Clusters []string `json:"clusters" validate:"max=20,dive,required,slug"`
}

func (n NewUnit) store() store.NewUnit {
	return store.NewUnit{Code: n.Code, Name: n.Name, Level: n.Level, Kind: n.Kind, Parent: n.Parent, Clusters: n.Clusters}
}

// CreateUnit adds a unit under its parent, as the admin (anywhere) or an
// organiser (inside its subtree) may.
func (s *Service) CreateUnit(ctx context.Context, in NewUnit) (*store.Unit, error) {
	a := ActorFrom(ctx)
	if err := policy.Administer(a); err != nil {
		return nil, err
	}
	if err := Validate(&in); err != nil {
		return nil, err
	}
	var parent policy.Place
	if in.Parent != "" {
		p, err := s.tree.place(ctx, "parent", in.Parent)
		if err != nil {
			return nil, err
		}
		parent = p
	}
	if err := policy.CreateUnit(a, parent); err != nil {
		return nil, err
	}
	return s.db.CreateUnit(ctx, in.store())
}

// UnitCSVHeader is the header line of a units file.
var UnitCSVHeader = []string{"code", "name", "level", "kind", "parent", "clusters"}

// ImportUnits creates the units of a CSV file (UnitCSVHeader; clusters
// separated by ';'), all or none. A file that cannot be read is
// *Malformed; bad lines are *Invalid, every one with its line number; a
// parent outside the actor's subtree is *policy.Denied.
func (s *Service) ImportUnits(ctx context.Context, file []byte) (int, error) {
	a := ActorFrom(ctx)
	if err := policy.Administer(a); err != nil {
		return 0, err
	}
	units, lines, err := s.parseUnits(ctx, file)
	if err != nil {
		return 0, err
	}
	// Parents named by the file are new units under parents checked here.
	inFile := make(map[string]bool, len(units))
	for _, u := range units {
		inFile[u.Code] = true
	}
	var outside []string
	for _, u := range units {
		if !inFile[u.Parent] && u.Parent != "" {
			outside = append(outside, u.Parent)
		}
	}
	known, err := s.tree.places(ctx, outside...)
	if err != nil {
		return 0, err
	}
	for _, u := range units {
		if inFile[u.Parent] {
			continue
		}
		if p, ok := known[u.Parent]; ok || u.Parent == "" {
			if err := policy.CreateUnit(a, p); err != nil {
				return 0, err
			}
		}
	}
	n, err := s.db.ImportUnits(ctx, units, lines)
	var imp store.ImportErrors
	if errors.As(err, &imp) {
		return 0, importProblems(imp)
	}
	return n, err
}

// parseUnits reads and checks a units file: the units with their line
// numbers, or every problem.
func (s *Service) parseUnits(ctx context.Context, body []byte) ([]store.NewUnit, []int, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil, malformed("tệp CSV trống", "the CSV file is empty")
	}
	if !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0 {
		return nil, nil, malformed(`tệp CSV phải là văn bản UTF-8 (trong Excel, lưu dạng "CSV UTF-8")`,
			`the CSV file must be UTF-8 text (save it from Excel as "CSV UTF-8")`)
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = len(UnitCSVHeader)
	header, err := r.Read()
	if err != nil {
		return nil, nil, malformed("không đọc được dòng tiêu đề của tệp CSV: "+err.Error(), "cannot read the CSV header: "+err.Error())
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if want := strings.Join(UnitCSVHeader, ","); strings.Join(header, ",") != want {
		return nil, nil, malformed("dòng tiêu đề của tệp CSV phải là: "+want, "the CSV header must be: "+want)
	}
	var (
		units    []store.NewUnit
		lines    []int
		problems []FieldError
		checked  []store.NewUnit // every line that parsed, valid or not, for the store's checks
		at       []int
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			problems = append(problems, FieldError{Line: line, msg: message{"dòng không đọc được: " + err.Error(), err.Error()}})
			if len(problems) >= 100 {
				break
			}
			continue
		}
		line, _ := r.FieldPos(0) // of a record read whole only: it panics after an error
		in := NewUnit{
			Code: strings.TrimSpace(rec[0]), Name: norm.NFC.String(strings.TrimSpace(rec[1])),
			Level: strings.TrimSpace(rec[2]), Kind: strings.TrimSpace(rec[3]), Parent: strings.TrimSpace(rec[4]),
		}
		for _, cl := range strings.Split(rec[5], ";") {
			if cl = strings.TrimSpace(cl); cl != "" {
				in.Clusters = append(in.Clusters, cl)
			}
		}
		checked, at = append(checked, in.store()), append(at, line)
		if err := Validate(&in); err != nil {
			var inv *Invalid
			if !errors.As(err, &inv) {
				return nil, nil, err
			}
			for _, f := range inv.Fields {
				f.Line = line
				problems = append(problems, f)
			}
			continue
		}
		units = append(units, in.store())
		lines = append(lines, line)
	}
	if len(problems) > 0 {
		more, err := s.db.CheckImport(ctx, checked, at)
		if err != nil {
			return nil, nil, err
		}
		problems = append(problems, importProblems(more).Fields...)
		slices.SortStableFunc(problems, func(a, b FieldError) int { return a.Line - b.Line })
		return nil, nil, &Invalid{Fields: problems}
	}
	if len(units) == 0 {
		return nil, nil, malformed("tệp CSV có dòng tiêu đề nhưng không có đơn vị nào", "the CSV file has a header but no units")
	}
	return units, lines, nil
}

// importProblems turns the store's refusal of lines into an Invalid.
func importProblems(imp store.ImportErrors) *Invalid {
	out := &Invalid{Fields: make([]FieldError, len(imp))}
	for i, e := range imp {
		out.Fields[i] = FieldError{Field: e.Field, Line: e.Line, msg: message{e.Text(VI), e.Text(EN)}}
	}
	return out
}
