package review

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/thidua/thidua/app/web/fonts"
)

// doc lays text and tables out on A4 portrait pages, with the margins of
// an official document, breaking pages itself so that no row is split and
// a table's header repeats on each page.
type doc struct {
	pdf *fpdf.Fpdf
	// footer is printed on every page beside its number ("" for none).
	footer string
}

// The page: A4 portrait, in mm; the left margin is wider, for binding.
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 25.0
	marginR      = 15.0
	marginT      = 18.0
	marginB      = 20.0
	width        = pageW - marginL - marginR
	bottom       = pageH - marginB
	font         = "DejaVu"
)

func newDoc(title, footer string) *doc {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(nfc(title), true)
	pdf.SetLang("vi")
	pdf.AddUTF8FontFromBytes(font, "", fonts.Sans)
	pdf.AddUTF8FontFromBytes(font, "B", fonts.SansBold)
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(false, marginB)
	pdf.AliasNbPages("{nb}")
	d := &doc{pdf: pdf, footer: footer}
	pdf.SetFooterFunc(func() {
		pdf.SetY(pageH - 13)
		pdf.SetFont(font, "", 8)
		pdf.SetTextColor(90, 90, 90)
		if d.footer != "" {
			pdf.CellFormat(width/2, 5, nfc(d.footer), "", 0, "L", false, 0, "")
			pdf.CellFormat(width/2, 5, nfc("Trang "+itoa(pdf.PageNo())+"/{nb}"), "", 0, "R", false, 0, "")
		} else {
			pdf.CellFormat(width, 5, nfc("Trang "+itoa(pdf.PageNo())+"/{nb}"), "", 0, "C", false, 0, "")
		}
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	return d
}

func itoa(n int) string { return count(n) }

// font sets the face: style "" or "B", size in points.
func (d *doc) font(style string, size float64) { d.pdf.SetFont(font, style, size) }

// room starts a new page unless h mm are left on this one.
func (d *doc) room(h float64) {
	if d.pdf.GetY()+h > bottom {
		d.pdf.AddPage()
	}
}

// lines splits s into the lines that fit w mm in the current font, at most
// max of them, the last ending in "…" when s was cut.
func (d *doc) lines(s string, w float64, max int) []string {
	s = nfc(s)
	if s == "" {
		return []string{""}
	}
	ls := d.pdf.SplitText(s, w)
	if len(ls) == 0 {
		return []string{""}
	}
	if len(ls) <= max {
		return ls
	}
	ls = ls[:max]
	last := strings.TrimRight(ls[max-1], " ")
	for last != "" && d.pdf.GetStringWidth(last+"…") > w-2*d.pdf.GetCellMargin() {
		r := []rune(last)
		last = string(r[:len(r)-1])
	}
	ls[max-1] = last + "…"
	return ls
}

// text writes a paragraph across the page, wrapped; align "L", "C" or "J".
func (d *doc) text(style string, size, lh float64, align, s string) {
	d.font(style, size)
	ls := d.pdf.SplitText(nfc(s), width)
	for _, l := range ls {
		d.room(lh)
		d.pdf.SetX(marginL)
		a := align
		if a == "J" {
			a = "L"
		}
		d.pdf.CellFormat(width, lh, l, "", 1, a, false, 0, "")
	}
}

// heading writes a section's heading, kept with what follows it.
func (d *doc) heading(s string) {
	d.room(30)
	d.pdf.Ln(3)
	d.text("B", 11.5, 6.5, "L", s)
	d.pdf.Ln(1)
}

// subheading writes a part of a section.
func (d *doc) subheading(s string) {
	d.room(22)
	d.pdf.Ln(1)
	d.text("B", 10, 6, "L", s)
}

// column is a table's column: its heading, its width in mm and its
// alignment ("L", "C" or "R").
type column struct {
	title string
	w     float64
	align string
}

// rowLines is how many lines a cell may take; longer text is cut with "…".
const rowLines = 3

// table writes a table: its header row, bold and shaded, then its rows,
// each cell's text wrapped within its column; a row that does not fit on
// the page starts a new page, where the header is repeated. The widths are
// scaled to the page's width.
func (d *doc) table(cols []column, rows [][]string) {
	var sum float64
	for _, c := range cols {
		sum += c.w
	}
	for i := range cols {
		cols[i].w *= width / sum
	}
	const lh = 5.0
	header := func() {
		d.font("B", 8.5)
		cells := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			cells[i] = d.lines(c.title, cols[i].w, rowLines)
			n = max(n, len(cells[i]))
		}
		d.room(float64(n)*lh + lh + 1)
		d.pdf.SetFillColor(230, 230, 230)
		d.row(cols, cells, n, lh, true)
	}
	header()
	d.font("", 8.5)
	for _, r := range rows {
		d.font("", 8.5)
		cells := make([][]string, len(cols))
		n := 1
		for i := range cols {
			s := ""
			if i < len(r) {
				s = r[i]
			}
			cells[i] = d.lines(s, cols[i].w, rowLines)
			n = max(n, len(cells[i]))
		}
		if d.pdf.GetY()+float64(n)*lh+1 > bottom {
			d.pdf.AddPage()
			header()
			d.font("", 8.5)
		}
		d.row(cols, cells, n, lh, false)
	}
	d.pdf.Ln(2)
}

// row draws one row of n lines: each cell framed, its lines from the top.
func (d *doc) row(cols []column, cells [][]string, n int, lh float64, fill bool) {
	x, y := marginL, d.pdf.GetY()
	h := float64(n)*lh + 1
	for i, c := range cols {
		style := "D"
		if fill {
			style = "FD"
		}
		d.pdf.Rect(x, y, c.w, h, style)
		for k, l := range cells[i] {
			d.pdf.SetXY(x, y+0.5+float64(k)*lh)
			align := c.align
			if fill {
				align = "C"
			}
			d.pdf.CellFormat(c.w, lh, l, "", 0, align, false, 0, "")
		}
		x += c.w
	}
	d.pdf.SetXY(marginL, y+h)
}
