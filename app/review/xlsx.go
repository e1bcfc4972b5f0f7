package review

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/rules"
)

// XLSX renders a review as a workbook: a sheet per section of the PDF,
// with the lists in full (every unit's rank and score, the coverage of
// every cluster, every honour), header rows in bold, figures as numbers
// (shares as fractions formatted as percentages).
func XLSX(rv *platform.Review) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	w, err := newWorkbook(f)
	if err != nil {
		return nil, err
	}
	for _, s := range []struct {
		name  string
		write func(*sheet, *platform.Review)
	}{
		{"Tổng quan", overviewSheet},
		{"Kết quả triển khai", coverageSheet},
		{"Chỉ tiêu", indicatorSheet},
		{"Xếp hạng", unitSheet},
		{"Dẫn đầu", headSheet},
		{"Khen thưởng", honourSheet},
		{"Nhân rộng", replicaSheet},
		{"Chấm công trình", judgingSheet},
		{"So với kỳ trước", changeSheet},
	} {
		if err := w.sheet(s.name, func(sh *sheet) { s.write(sh, rv) }); err != nil {
			return nil, fmt.Errorf("review %s %s: sheet %s: %w", rv.Campaign.Slug, rv.Period.Key, s.name, err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// workbook writes sheets one after the other, each streamed.
type workbook struct {
	f                     *excelize.File
	bold, share, decimal2 int // style ids
	first                 bool
}

func newWorkbook(f *excelize.File) (*workbook, error) {
	w := &workbook{f: f, first: true}
	var err error
	if w.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E6E6E6"}}}); err != nil {
		return nil, err
	}
	if w.share, err = f.NewStyle(&excelize.Style{NumFmt: 10}); err != nil { // 0.00%
		return nil, err
	}
	if w.decimal2, err = f.NewStyle(&excelize.Style{NumFmt: 2}); err != nil { // 0.00
		return nil, err
	}
	return w, nil
}

// sheet is one sheet being written, row by row.
type sheet struct {
	w   *workbook
	sw  *excelize.StreamWriter
	row int
	err error
}

// share is a fraction shown as a percentage; decimal a figure shown with
// two decimals.
type (
	share   float64
	decimal float64
)

func (w *workbook) sheet(name string, fill func(*sheet)) error {
	if w.first {
		if err := w.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
		w.first = false
	} else if _, err := w.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 16); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 3, 40); err != nil {
		return err
	}
	if err := sw.SetColWidth(4, 14, 16); err != nil {
		return err
	}
	sh := &sheet{w: w, sw: sw}
	fill(sh)
	if sh.err != nil {
		return sh.err
	}
	return sw.Flush()
}

// header writes a bold row.
func (sh *sheet) header(titles ...string) {
	cells := make([]any, len(titles))
	for i, t := range titles {
		cells[i] = excelize.Cell{StyleID: sh.w.bold, Value: nfc(t)}
	}
	sh.put(cells)
}

// line writes a row of values: strings (in NFC), numbers, booleans, shares
// and decimals; nil leaves a cell empty.
func (sh *sheet) line(values ...any) {
	cells := make([]any, len(values))
	for i, v := range values {
		switch v := v.(type) {
		case string:
			cells[i] = nfc(v)
		case share:
			cells[i] = excelize.Cell{StyleID: sh.w.share, Value: float64(v)}
		case decimal:
			cells[i] = excelize.Cell{StyleID: sh.w.decimal2, Value: float64(v)}
		default:
			cells[i] = v
		}
	}
	sh.put(cells)
}

// gap leaves an empty row.
func (sh *sheet) gap() { sh.row++ }

func (sh *sheet) put(cells []any) {
	if sh.err != nil {
		return
	}
	sh.row++
	cell, _ := excelize.CoordinatesToCellName(1, sh.row)
	sh.err = sh.sw.SetRow(cell, cells)
}

func overviewSheet(sh *sheet, rv *platform.Review) {
	status := "Đã chốt kỳ"
	if !rv.Final {
		status = platform.Provisional
	}
	loc := rv.Made.Location()
	sh.header(Title(rv.Period), "")
	sh.line("Phong trào", rv.Campaign.Name)
	sh.line("Đơn vị tổ chức", rv.Issuer)
	sh.line("Kỳ", rv.Period.Key)
	sh.line("Tên kỳ", capital(PeriodName(rv.Period)))
	sh.line("Thời gian", Span(rv.Period))
	sh.line("Tình trạng số liệu", status)
	sh.line("Lượt chấm", rv.Run.ID)
	sh.line("Bộ quy tắc, phiên bản", rv.Run.RulesetVersion)
	sh.line("Lượt chấm hoàn thành lúc", moment(rv.Run.FinishedAt, loc))
	if rv.Run.EarlyReason != "" {
		sh.line("Lý do chốt sớm", rv.Run.EarlyReason)
	}
	sh.line("Lập lúc", moment(&rv.Made, loc))
	c := rv.Coverage.Total
	sh.line("Số đơn vị", c.Units)
	sh.line("Đơn vị có công trình", c.WithProject)
	sh.line("Tỷ lệ có công trình", share(c.Share()))
}

func coverageSheet(sh *sheet, rv *platform.Review) {
	sh.header("Nhóm", "Mã", "Tên", "Số đơn vị", "Có công trình", "Chưa có công trình", "Tỷ lệ")
	line := func(kind string, l platform.CoverageLine, name string) {
		sh.line(kind, l.Group, name, l.Units, l.WithProject, l.Units-l.WithProject, share(l.Share()))
	}
	line("Toàn phong trào", rv.Coverage.Total, "Tổng cộng")
	for _, l := range rv.Coverage.Levels {
		line("Cấp", l, LevelName(l.Group))
	}
	for _, l := range rv.Coverage.Clusters {
		line("Cụm, khối", l, l.Name)
	}
}

func indicatorSheet(sh *sheet, rv *platform.Review) {
	sh.header("Mã", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Trung bình đạt", "So với mục tiêu", "Đơn vị báo cáo", "Đơn vị đạt mục tiêu", "Tổng các giá trị")
	for _, in := range rv.Indicators {
		var target, mean, achieved any = decimal(in.Target), nil, nil
		unit := "số lượng"
		if in.Unit == "percent" {
			unit, target = "tỷ lệ", share(in.Target)
		}
		if in.Reported > 0 {
			mean = decimal(in.Mean)
			if in.Unit == "percent" {
				mean = share(in.Mean)
			}
			if in.Target > 0 {
				achieved = share(in.Achieved())
			}
		}
		sh.line(in.Key, in.Title, unit, target, mean, achieved, in.Reported, in.Met, decimal(in.Sum))
	}
}

func unitSheet(sh *sheet, rv *platform.Review) {
	sh.header("Hạng", "Mã", "Đơn vị", "Cấp", "Cụm, khối", "Điểm", "Điểm tối đa", "Đủ điều kiện xếp hạng", "Số công trình",
		"Hạng kỳ trước", "Điểm kỳ trước", "Thay đổi hạng")
	for _, u := range rv.Units {
		var rank, prevRank, prevScore, change any
		if u.Rank > 0 {
			rank = u.Rank
		}
		if p := u.Previous; p != nil {
			prevScore = decimal(p.Score)
			if p.Rank > 0 {
				prevRank = p.Rank
				if u.Rank > 0 {
					change = p.Rank - u.Rank
				}
			}
		}
		sh.line(rank, u.Code, u.Name, LevelName(u.Level), strings.Join(u.Clusters, "; "), decimal(u.Score), decimal(u.Max),
			yesNo(u.Eligible), u.Projects, prevRank, prevScore, change)
	}
}

func yesNo(b bool) string {
	if b {
		return "có"
	}
	return "không"
}

func headSheet(sh *sheet, rv *platform.Review) {
	sh.header("Phạm vi", "Mã nhóm", "Nhóm", "Số đơn vị", "Hạng", "Mã đơn vị", "Đơn vị", "Điểm")
	for _, h := range rv.Heads {
		kind, name := "Toàn phong trào", ""
		switch h.Scope.Kind {
		case rules.ScopeLevel:
			kind, name = "Cấp", LevelName(h.Scope.Group)
		case rules.ScopeCluster:
			kind, name = "Cụm, khối", h.Name
		}
		for _, e := range h.Entries {
			sh.line(kind, h.Scope.Group, name, h.Units, e.Rank, e.Code, e.Name, decimal(e.Score))
		}
	}
}

func honourSheet(sh *sheet, rv *platform.Review) {
	sh.header("Danh hiệu", "Số lượt", "Đã thu hồi", "Còn hiệu lực")
	for _, t := range rv.Honours.Tally {
		sh.line(t.Title, t.Granted, t.Revoked, t.Granted-t.Revoked)
	}
	sh.gap()
	sh.header("Số hiệu", "Mã đơn vị", "Đơn vị", "Danh hiệu", "Căn cứ", "Số quyết định", "Ngày quyết định", "Ngày trao",
		"Tình trạng", "Lý do thu hồi", "Nội dung")
	loc := rv.Made.Location()
	for _, h := range rv.Honours.List {
		basis, decided := "Theo quy tắc chấm điểm", ""
		if h.Scope == "decision" {
			basis = "Quyết định của ban tổ chức"
		}
		if h.DecidedOn != nil {
			decided = date(h.DecidedOn.Time)
		}
		status := "Còn hiệu lực"
		if h.Revoked() {
			status = "Đã thu hồi"
		}
		granted := h.GrantedAt
		sh.line(h.Serial, h.Unit, h.UnitName, h.Title, basis, h.DecisionNo, decided, moment(&granted, loc), status, h.RevokeReason, h.Citation)
	}
	if n := rv.Honours.Total - len(rv.Honours.List); n > 0 {
		sh.line(fmt.Sprintf("… và %s lượt khác", count(n)))
	}
}

func replicaSheet(sh *sheet, rv *platform.Review) {
	r := rv.Replicas
	sh.header("Mô hình được nhân rộng", "Lượt nhân rộng")
	sh.line(r.Projects, r.Adoptions)
	sh.gap()
	sh.header("Mã công trình", "Mô hình, công trình", "Đơn vị thực hiện", "Mã đơn vị", "Lượt nhân rộng", "Trong kỳ")
	for _, p := range r.List {
		sh.line(p.Project, p.Title, p.UnitName, p.Unit, p.Adoptions, p.Recent)
	}
}

func judgingSheet(sh *sheet, rv *platform.Review) {
	j := rv.Judging
	sh.header("Công trình có điểm chính thức", "Điểm bình quân (/100)")
	sh.line(j.Projects, decimal(j.Mean*100))
	sh.gap()
	sh.header("TT", "Công trình", "Đơn vị", "Mã đơn vị", "Điểm (/100)", "Số giám khảo")
	for i, p := range j.Top {
		sh.line(i+1, p.Title, p.UnitName, p.Unit, decimal(p.Score*100), p.Judges)
	}
}

func changeSheet(sh *sheet, rv *platform.Review) {
	ch := rv.Change
	if ch == nil {
		sh.line("Không có số liệu kỳ trước để so sánh.")
		return
	}
	status := "Đã chốt kỳ"
	if !ch.Final {
		status = "Số liệu tạm tính"
	}
	sh.header("Kỳ trước", "Tình trạng", "Tăng hạng", "Giảm hạng", "Giữ nguyên", "Mới xếp hạng", "Không còn xếp hạng",
		"Điểm bình quân kỳ trước", "Điểm bình quân kỳ này")
	sh.line(ch.Period, status, ch.Up, ch.Down, ch.Same, ch.Entered, ch.Left, decimal(ch.MeanBefore), decimal(ch.MeanNow))
	for _, part := range []struct {
		title string
		moves []platform.Move
	}{{"Tăng hạng nhiều nhất", ch.Risers}, {"Giảm hạng nhiều nhất", ch.Fallers}} {
		sh.gap()
		sh.header(part.title, "Mã đơn vị", "Đơn vị", "Hạng kỳ trước", "Hạng kỳ này", "Thay đổi", "Điểm kỳ trước", "Điểm kỳ này")
		for i, m := range part.moves {
			sh.line(i+1, m.Code, m.Name, m.Before, m.After, m.Before-m.After, decimal(m.ScoreBefore), decimal(m.ScoreAfter))
		}
	}
}
