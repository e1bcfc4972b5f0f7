package review

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/rules"
)

// What the PDF shows of the lists that grow with the campaign: their
// heads, so that a campaign of 100,000 units prints a few pages; the
// workbook has them in full.
const (
	pdfClusters = 40 // clusters in the coverage and the leaderboards' heads
	pdfHonours  = 30 // honours listed, every revoked one kept
	pdfReplicas = 15 // adopted projects
)

// PDF renders a review as a report in the layout of a Vietnamese official
// document: the issuing unit and the national motto, the place and date,
// the title, then numbered sections (I. coverage, II. indicators against
// targets with a chart, III. the leaderboards' heads, IV. honours, V.
// replicated models, VI. judging, VII. change since the previous period),
// and the signature block; every page numbered, and marked provisional
// while the period is open.
func PDF(rv *platform.Review) ([]byte, error) {
	footer := ""
	if !rv.Final {
		footer = platform.Provisional
	}
	d := newDoc(Heading(rv), footer)
	d.pdf.SetCreationDate(rv.Made)
	d.pdf.SetModificationDate(rv.Made)
	d.letterhead(rv)
	d.coverage(rv)
	d.indicators(rv)
	d.rankings(rv)
	d.honours(rv)
	d.replicas(rv)
	d.judging(rv)
	d.change(rv)
	d.signature(rv)
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("review %s %s: %w", rv.Campaign.Slug, rv.Period.Key, err)
	}
	return buf.Bytes(), nil
}

// letterhead writes the head of the first page: the issuing unit in
// capitals on the left, the national name and motto on the right, the
// place and date, the title, the campaign and the period.
func (d *doc) letterhead(rv *platform.Review) {
	pdf := d.pdf
	const left, right = 72.0, width - 72.0
	top := pdf.GetY()
	// The issuer, centred in the left column, on as many lines as it takes.
	issuer := strings.ToUpper(nfc(rv.Issuer))
	if issuer == "" {
		issuer = "BAN TỔ CHỨC PHONG TRÀO"
	}
	d.font("B", 10)
	ls := d.lines(issuer, left, 4)
	for i, l := range ls {
		pdf.SetXY(marginL, top+float64(i)*5)
		pdf.CellFormat(left, 5, l, "", 0, "C", false, 0, "")
	}
	yl := top + float64(len(ls))*5 + 1
	pdf.SetLineWidth(0.3)
	pdf.Line(marginL+left/2-12, yl, marginL+left/2+12, yl)
	d.font("", 9.5)
	pdf.SetXY(marginL, yl+1.5)
	pdf.CellFormat(left, 5, nfc("Số:       /BC"), "", 0, "C", false, 0, "")

	x := marginL + left
	d.font("B", 10)
	pdf.SetXY(x, top)
	pdf.CellFormat(right, 5, nfc("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "", 0, "C", false, 0, "")
	d.font("B", 10.5)
	pdf.SetXY(x, top+5)
	motto := nfc("Độc lập - Tự do - Hạnh phúc")
	pdf.CellFormat(right, 5.5, motto, "", 0, "C", false, 0, "")
	mw := pdf.GetStringWidth(motto)
	pdf.Line(x+(right-mw)/2, top+11, x+(right+mw)/2, top+11)
	d.font("", 10)
	pdf.SetXY(x, top+13)
	m := rv.Made
	pdf.CellFormat(right, 5, nfc(fmt.Sprintf("Hà Nội, ngày %02d tháng %02d năm %d", m.Day(), m.Month(), m.Year())), "", 0, "C", false, 0, "")

	pdf.SetXY(marginL, max(yl+9, top+22))
	d.text("B", 14, 8, "C", Title(rv.Period))
	d.text("B", 11, 6, "C", fmt.Sprintf("Phong trào thi đua “%s”", rv.Campaign.Name))
	line := capital(PeriodName(rv.Period))
	if s := Span(rv.Period); s != "" {
		line += " (" + s + ")"
	}
	d.text("", 10.5, 6, "C", line)
	if !rv.Final {
		pdf.SetTextColor(190, 0, 0)
		d.text("B", 10.5, 6, "C", platform.Provisional)
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(2)
	d.text("", 9.5, 5, "J", source(rv))
}

// source says which run the figures come from.
func source(rv *platform.Review) string {
	loc := rv.Made.Location()
	if rv.Final {
		s := fmt.Sprintf("Số liệu theo lượt chấm chốt kỳ số %d (bộ quy tắc phiên bản %d), hoàn thành lúc %s.",
			rv.Run.ID, rv.Run.RulesetVersion, moment(rv.Run.FinishedAt, loc))
		if rv.Run.EarlyReason != "" {
			s += " Kỳ được chốt sớm, lý do: " + rv.Run.EarlyReason + "."
		}
		return s
	}
	return fmt.Sprintf("Số liệu theo lượt chấm mới nhất của kỳ, số %d (bộ quy tắc phiên bản %d), hoàn thành lúc %s; kỳ chưa chốt nên số liệu còn có thể thay đổi.",
		rv.Run.ID, rv.Run.RulesetVersion, moment(rv.Run.FinishedAt, loc))
}

// coverage is section I: the units with at least one project.
func (d *doc) coverage(rv *platform.Review) {
	c := rv.Coverage
	d.heading("I. KẾT QUẢ TRIỂN KHAI")
	d.text("", 10, 5.5, "J", fmt.Sprintf("Tính đến hết kỳ, %s/%s đơn vị tham gia phong trào (%s) có ít nhất 01 công trình, phần việc chuyển đổi số; %s đơn vị chưa có.",
		count(c.Total.WithProject), count(c.Total.Units), percent(c.Total.Share()), count(c.Total.Units-c.Total.WithProject)))
	cols := []column{{"Cấp", 70, "L"}, {"Số đơn vị", 30, "R"}, {"Có công trình", 30, "R"}, {"Tỷ lệ", 25, "R"}}
	d.subheading("1. Theo cấp")
	rows := [][]string{}
	for _, l := range c.Levels {
		rows = append(rows, coverageRow(LevelName(l.Group), l))
	}
	rows = append(rows, coverageRow("Tổng cộng", c.Total))
	d.table(cols, rows)
	if len(c.Clusters) > 0 {
		d.subheading("2. Theo cụm, khối thi đua")
		cols[0].title = "Cụm, khối thi đua"
		rows = rows[:0]
		for _, l := range c.Clusters[:min(len(c.Clusters), pdfClusters)] {
			rows = append(rows, coverageRow(l.Name, l))
		}
		d.table(cols, rows)
		d.more(len(c.Clusters)-pdfClusters, "cụm, khối")
	}
}

func coverageRow(name string, l platform.CoverageLine) []string {
	return []string{name, count(l.Units), count(l.WithProject), percent(l.Share())}
}

// more notes the lines of a list the PDF leaves to the workbook.
func (d *doc) more(n int, what string) {
	if n > 0 {
		d.text("", 9, 5, "L", fmt.Sprintf("… và %s %s khác (xem tệp Excel kèm theo).", count(n), what))
	}
}

// indicators is section II: each indicator against its target, as a table
// and a chart.
func (d *doc) indicators(rv *platform.Review) {
	d.heading("II. CHỈ TIÊU SO VỚI MỤC TIÊU")
	if len(rv.Indicators) == 0 {
		d.text("", 10, 5.5, "L", "Phong trào chưa có chỉ tiêu.")
		return
	}
	d.text("", 10, 5.5, "J", "Mức trung bình các đơn vị đã báo cáo trong kỳ, so với mục tiêu của phong trào; số đơn vị đạt mục tiêu tính theo mục tiêu của từng đơn vị (giao ước thi đua, nếu có).")
	rows := [][]string{}
	for _, in := range rv.Indicators {
		mean, share := "–", "–"
		if in.Reported > 0 {
			mean = value(in, in.Mean)
			if in.Target > 0 {
				share = percent(in.Achieved())
			}
		}
		rows = append(rows, []string{in.Title, value(in, in.Target), mean, share, count(in.Reported), count(in.Met)})
	}
	d.table([]column{{"Chỉ tiêu", 62, "L"}, {"Mục tiêu", 18, "R"}, {"Trung bình đạt", 20, "R"},
		{"So với mục tiêu", 20, "R"}, {"Đơn vị báo cáo", 18, "R"}, {"Đơn vị đạt mục tiêu", 20, "R"}}, rows)
	d.chart(rv.Indicators)
}

// The chart's scale: its bar area reaches chartTop of a target, the
// target's mark at 100%.
const chartTop = 1.25

// chart draws each indicator's mean against its target as a horizontal
// bar: the shaded band is the target, the red mark where it is reached.
func (d *doc) chart(inds []platform.IndicatorResult) {
	pdf := d.pdf
	const labelW, valueW, barH, rowH = 58.0, 26.0, 4.5, 10.0
	barW := width - labelW - valueW
	d.room(12 + rowH)
	d.font("B", 9.5)
	pdf.SetX(marginL)
	pdf.CellFormat(width, 6, nfc("Biểu đồ: mức đạt các chỉ tiêu so với mục tiêu"), "", 1, "C", false, 0, "")
	for _, in := range inds {
		d.room(rowH)
		y := pdf.GetY()
		d.font("", 8)
		ls := d.lines(in.Title, labelW, 2)
		for k, l := range ls {
			pdf.SetXY(marginL, y+1+float64(k)*3.8)
			pdf.CellFormat(labelW, 3.8, l, "", 0, "L", false, 0, "")
		}
		x0 := marginL + labelW
		by := y + (rowH-barH)/2
		pdf.SetFillColor(232, 232, 232)
		pdf.Rect(x0, by, barW/chartTop, barH, "F")
		share := 0.0
		if in.Target > 0 {
			share = min(in.Achieved(), chartTop)
		}
		if share > 0 {
			pdf.SetFillColor(30, 90, 160)
			pdf.Rect(x0, by, barW*share/chartTop, barH, "F")
		}
		pdf.SetDrawColor(190, 0, 0)
		pdf.SetLineWidth(0.5)
		pdf.Line(x0+barW/chartTop, by-1, x0+barW/chartTop, by+barH+1)
		pdf.SetDrawColor(0, 0, 0)
		pdf.SetLineWidth(0.2)
		label := "chưa có báo cáo"
		if in.Reported > 0 && in.Target > 0 {
			label = percent(in.Achieved()) + " mục tiêu"
		} else if in.Reported > 0 {
			label = value(in, in.Mean)
		}
		pdf.SetXY(x0+barW+1, y)
		pdf.CellFormat(valueW-1, rowH, nfc(label), "", 0, "L", false, 0, "")
		pdf.SetXY(marginL, y+rowH)
	}
	d.font("", 8)
	pdf.SetX(marginL)
	pdf.CellFormat(width, 5, nfc("Vạch đỏ: mục tiêu (100%); thanh xanh: mức trung bình đạt được; thang đo đến 125% mục tiêu."), "", 1, "C", false, 0, "")
	pdf.Ln(2)
}

// rankings is section III: the head of the overall leaderboard, of each
// level's and of each cluster's.
func (d *doc) rankings(rv *platform.Review) {
	d.heading("III. XẾP HẠNG")
	var levels, clusters []platform.Head
	for _, h := range rv.Heads {
		switch h.Scope.Kind {
		case rules.ScopeOverall:
			d.subheading(fmt.Sprintf("1. Toàn phong trào (%s đơn vị)", count(h.Units)))
			rows := [][]string{}
			for _, e := range h.Entries {
				rows = append(rows, []string{count(e.Rank), e.Name, e.Code, score(e.Score)})
			}
			if len(rows) == 0 {
				d.text("", 10, 5.5, "L", "Chưa có đơn vị nào đủ điều kiện xếp hạng.")
				continue
			}
			d.table([]column{{"Hạng", 12, "C"}, {"Đơn vị", 100, "L"}, {"Mã", 30, "L"}, {"Điểm", 20, "R"}}, rows)
		case rules.ScopeLevel:
			levels = append(levels, h)
		case rules.ScopeCluster:
			clusters = append(clusters, h)
		}
	}
	groups := func(title, group string, heads []platform.Head, name func(platform.Head) string) {
		if len(heads) == 0 {
			return
		}
		d.subheading(title)
		rows := [][]string{}
		for _, h := range heads {
			for i, e := range h.Entries {
				g := ""
				if i == 0 {
					g = name(h)
				}
				rows = append(rows, []string{g, count(e.Rank), e.Name, score(e.Score)})
			}
			if len(h.Entries) == 0 {
				rows = append(rows, []string{name(h), "", "chưa có đơn vị đủ điều kiện xếp hạng", ""})
			}
		}
		d.table([]column{{group, 45, "L"}, {"Hạng", 12, "C"}, {"Đơn vị", 85, "L"}, {"Điểm", 20, "R"}}, rows)
	}
	groups("2. Dẫn đầu theo cấp (03 đơn vị đứng đầu)", "Cấp", levels, func(h platform.Head) string {
		return fmt.Sprintf("%s (%s đơn vị)", LevelName(h.Scope.Group), count(h.Units))
	})
	groups("3. Dẫn đầu theo cụm, khối thi đua (03 đơn vị đứng đầu)", "Cụm, khối", clusters[:min(len(clusters), pdfClusters)],
		func(h platform.Head) string { return fmt.Sprintf("%s (%s đơn vị)", h.Name, count(h.Units)) })
	d.more(len(clusters)-pdfClusters, "cụm, khối")
}

// honours is section IV: the honours of the period by title, and the
// honours themselves, revoked ones marked with the reason.
func (d *doc) honours(rv *platform.Review) {
	h := rv.Honours
	d.heading("IV. KHEN THƯỞNG")
	if h.Total == 0 {
		d.text("", 10, 5.5, "L", "Chưa có khen thưởng nào cho kỳ này.")
		return
	}
	revoked := 0
	rows := [][]string{}
	for _, t := range h.Tally {
		revoked += t.Revoked
		rows = append(rows, []string{t.Title, count(t.Granted), count(t.Revoked), count(t.Granted - t.Revoked)})
	}
	d.text("", 10, 5.5, "J", fmt.Sprintf("Trong kỳ có %s lượt khen thưởng, trong đó %s lượt đã thu hồi.", count(h.Total), count(revoked)))
	d.table([]column{{"Danh hiệu", 95, "L"}, {"Số lượt", 22, "R"}, {"Đã thu hồi", 22, "R"}, {"Còn hiệu lực", 22, "R"}}, rows)

	// The first honours, keeping every revoked one: a revocation is what a
	// reader must not miss.
	keep := 0
	for _, hn := range h.List {
		if hn.Revoked() {
			keep++
		}
	}
	rows = rows[:0]
	shown := 0
	for _, hn := range h.List {
		if !hn.Revoked() && shown >= pdfHonours-keep {
			continue
		}
		shown++
		basis := "Theo quy tắc"
		if hn.Scope == "decision" {
			basis = "Quyết định của ban tổ chức"
			if hn.DecisionNo != "" {
				basis = "Quyết định số " + hn.DecisionNo
				if hn.DecidedOn != nil {
					basis += " ngày " + date(hn.DecidedOn.Time)
				}
			}
		}
		status := "Còn hiệu lực"
		if hn.Revoked() {
			status = "Đã thu hồi"
			if hn.RevokeReason != "" {
				status += ": " + hn.RevokeReason
			}
		}
		rows = append(rows, []string{hn.UnitName, hn.Title, basis, status})
	}
	d.subheading("Danh sách khen thưởng")
	d.table([]column{{"Đơn vị", 52, "L"}, {"Danh hiệu", 40, "L"}, {"Căn cứ", 38, "L"}, {"Tình trạng", 40, "L"}}, rows)
	d.more(h.Total-shown, "lượt khen thưởng")
}

// replicas is section V: the models other units replicated.
func (d *doc) replicas(rv *platform.Review) {
	r := rv.Replicas
	d.heading("V. MÔ HÌNH ĐƯỢC NHÂN RỘNG")
	if r.Projects == 0 {
		d.text("", 10, 5.5, "L", "Tính đến hết kỳ, chưa có mô hình nào được đơn vị khác nhân rộng.")
		return
	}
	d.text("", 10, 5.5, "J", fmt.Sprintf("Tính đến hết kỳ, %s mô hình, công trình được nhân rộng với %s lượt đơn vị khác áp dụng.",
		count(r.Projects), count(r.Adoptions)))
	rows := [][]string{}
	for _, p := range r.List[:min(len(r.List), pdfReplicas)] {
		rows = append(rows, []string{p.Title, p.UnitName, count(p.Adoptions), count(p.Recent)})
	}
	d.table([]column{{"Mô hình, công trình", 70, "L"}, {"Đơn vị thực hiện", 55, "L"}, {"Lượt nhân rộng", 20, "R"}, {"Trong kỳ", 18, "R"}}, rows)
	d.more(r.Projects-min(len(r.List), pdfReplicas), "mô hình")
}

// judging is section VI: the committee's judging of projects.
func (d *doc) judging(rv *platform.Review) {
	j := rv.Judging
	d.heading("VI. KẾT QUẢ CHẤM CÔNG TRÌNH")
	if j.Projects == 0 && len(j.Top) == 0 {
		d.text("", 10, 5.5, "L", "Chưa có công trình nào có điểm chấm chính thức của hội đồng.")
		return
	}
	d.text("", 10, 5.5, "J", fmt.Sprintf("Số công trình có điểm chấm chính thức của hội đồng (đủ số giám khảo tối thiểu): %s; điểm bình quân: %s/100.",
		count(j.Projects), number(j.Mean*100, 1)))
	if len(j.Top) == 0 {
		return
	}
	d.subheading("Các công trình đạt điểm cao nhất (theo kết quả chấm hiện hành)")
	rows := [][]string{}
	for i, p := range j.Top {
		rows = append(rows, []string{count(i + 1), p.Title, p.UnitName, number(p.Score*100, 1), count(p.Judges)})
	}
	d.table([]column{{"TT", 10, "C"}, {"Công trình", 70, "L"}, {"Đơn vị", 50, "L"}, {"Điểm /100", 16, "R"}, {"Giám khảo", 16, "R"}}, rows)
}

// change is section VII: the change since the previous period.
func (d *doc) change(rv *platform.Review) {
	d.heading("VII. SO VỚI KỲ TRƯỚC")
	ch := rv.Change
	if ch == nil {
		d.text("", 10, 5.5, "L", "Không có số liệu kỳ trước để so sánh.")
		return
	}
	p, _ := rules.ParsePeriod(ch.Period)
	name := PeriodName(p)
	if !ch.Final {
		name += " (số liệu tạm tính)"
	}
	d.text("", 10, 5.5, "J", fmt.Sprintf("So với %s: %s đơn vị tăng hạng, %s đơn vị giảm hạng, %s đơn vị giữ nguyên hạng; %s đơn vị mới được xếp hạng, %s đơn vị không còn được xếp hạng. Điểm bình quân của các đơn vị: %s (kỳ trước %s).",
		name, count(ch.Up), count(ch.Down), count(ch.Same), count(ch.Entered), count(ch.Left), score(ch.MeanNow), score(ch.MeanBefore)))
	moves := func(title string, ms []platform.Move) {
		if len(ms) == 0 {
			return
		}
		d.subheading(title)
		rows := [][]string{}
		for _, m := range ms {
			rows = append(rows, []string{m.Name, count(m.Before), count(m.After), signed(m.Before - m.After), score(m.ScoreBefore), score(m.ScoreAfter)})
		}
		d.table([]column{{"Đơn vị", 70, "L"}, {"Hạng kỳ trước", 18, "R"}, {"Hạng kỳ này", 18, "R"}, {"Thay đổi", 16, "R"},
			{"Điểm kỳ trước", 18, "R"}, {"Điểm kỳ này", 18, "R"}}, rows)
	}
	moves("1. Các đơn vị tăng hạng nhiều nhất", ch.Risers)
	moves("2. Các đơn vị giảm hạng nhiều nhất", ch.Fallers)
}

func signed(n int) string {
	if n > 0 {
		return "+" + count(n)
	}
	return count(n)
}

// signature closes the report: who receives it on the left, who signs it
// on the right.
func (d *doc) signature(rv *platform.Review) {
	pdf := d.pdf
	d.room(45)
	pdf.Ln(6)
	y := pdf.GetY()
	half := width / 2
	d.font("B", 9.5)
	pdf.SetXY(marginL, y)
	pdf.CellFormat(half, 5, nfc("Nơi nhận:"), "", 2, "L", false, 0, "")
	d.font("", 9)
	for _, l := range []string{"- Các đơn vị tham gia phong trào;", "- Lưu: VT."} {
		pdf.CellFormat(half, 4.5, nfc(l), "", 2, "L", false, 0, "")
	}
	issuer := strings.ToUpper(nfc(rv.Issuer))
	if issuer == "" {
		issuer = "BAN TỔ CHỨC PHONG TRÀO"
	}
	d.font("B", 10)
	ls := d.lines("TM. "+issuer, half, 3)
	if rv.Signer != "" {
		ls = append(ls, d.lines(strings.ToUpper(nfc(rv.Signer)), half, 2)...)
	}
	for i, l := range ls {
		pdf.SetXY(marginL+half, y+float64(i)*5.5)
		pdf.CellFormat(half, 5.5, l, "", 0, "C", false, 0, "")
	}
	d.font("", 9)
	pdf.SetXY(marginL+half, y+float64(len(ls))*5.5)
	pdf.CellFormat(half, 5, nfc("(Ký, ghi rõ họ tên và đóng dấu)"), "", 0, "C", false, 0, "")
}
