package web

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/web/fonts"
)

// certificate is what a Giấy khen prints.
type certificate struct {
	Body     string // the granting body: the campaign's organising unit
	Signer   string // the title of who signs for it ("Chủ tịch"); "" for none
	Unit     string
	Title    string
	Citation string
	Period   string
	Campaign string
	Granted  store.Date
	Serial   string
	Verify   string // the URL that shows the honour is genuine
	// Decision is the decision's number and date ("Quyết định số …"), for
	// an honour by decision; "" for one granted by rule.
	Decision string
	// Revoked is why the honour was revoked; "" while it stands.
	Revoked string
}

// certificatePDF serves an honour's printable certificate.
func (h *pages) certificatePDF(c *fiber.Ctx) error {
	ctx := c.UserContext()
	hn, err := h.DB.HonourBySerial(ctx, c.Params("serial"))
	if err != nil {
		return err
	}
	camp, err := h.campaignOf(ctx, hn)
	if err != nil {
		return err
	}
	body, err := h.grantingBody(ctx, camp, hn.Unit, hn.UnitName)
	if err != nil {
		return err
	}
	ct := certificate{Body: body, Signer: camp.SignerTitle, Unit: hn.UnitName, Title: hn.Title, Citation: hn.Citation, Period: hn.Period,
		Campaign: camp.Name, Granted: store.Date{Time: hn.GrantedAt.In(hoChiMinh)}, Serial: hn.Serial,
		Verify: h.siteURL(c) + "/verify/" + hn.Serial, Revoked: hn.RevokeReason}
	if hn.DecisionNo != "" {
		ct.Decision = "Quyết định số " + hn.DecisionNo
		if hn.DecidedOn != nil {
			d := hn.DecidedOn.Time
			ct.Decision += fmt.Sprintf(" ngày %02d/%02d/%d", d.Day(), d.Month(), d.Year())
		}
	}
	if hn.Revoked() && ct.Revoked == "" {
		ct.Revoked = "—"
	}
	pdf, err := ct.render()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="giay-khen-`+hn.Serial+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(pdf)
}

// grantingBody is who grants a campaign's honours: its organising unit (a
// ward's campaign, the ward's Front committee). A campaign of the platform
// has none: the top of the unit's hierarchy grants them, or a unit without
// a parent its own.
func (h *pages) grantingBody(ctx context.Context, camp *store.Campaign, code, name string) (string, error) {
	if camp.Organiser != nil {
		return camp.Organiser.Name, nil
	}
	anc, err := h.DB.Ancestors(ctx, code)
	if err != nil {
		return "", err
	}
	if len(anc) == 0 {
		return name, nil
	}
	return anc[0].Name, nil
}

// render lays the certificate out on a landscape A4 page in the manner of
// a Giấy khen: the national motto, the granting body, the title, the unit,
// the citation, the date and a place to sign; the serial and verification
// address at the foot. Text goes to the PDF in NFC, as the font's glyphs
// are for precomposed letters.
func (ct certificate) render() ([]byte, error) {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetTitle(nfc("Giấy khen · "+ct.Unit), true)
	pdf.SetLang("vi")
	pdf.SetCreationDate(ct.Granted.Time)
	pdf.SetModificationDate(ct.Granted.Time)
	pdf.AddUTF8FontFromBytes("DejaVu", "", fonts.Sans)
	pdf.AddUTF8FontFromBytes("DejaVu", "B", fonts.SansBold)
	pdf.SetMargins(25, 18, 25)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()

	const width = 297 - 50
	pdf.SetDrawColor(176, 20, 20)
	pdf.SetLineWidth(1.2)
	pdf.Rect(10, 10, 277, 190, "D")
	pdf.SetLineWidth(0.4)
	pdf.Rect(13, 13, 271, 184, "D")

	line := func(style string, size, height float64, s string) {
		pdf.SetFont("DejaVu", style, size)
		pdf.CellFormat(width, height, nfc(s), "", 1, "C", false, 0, "")
	}
	half := func(x float64, style string, size, height float64, s string) {
		pdf.SetX(x)
		pdf.SetFont("DejaVu", style, size)
		pdf.CellFormat(width/2, height, nfc(s), "", 1, "C", false, 0, "")
	}
	pdf.SetY(20)
	y := pdf.GetY()
	half(25, "B", 11, 6, strings.ToUpper(ct.Body))
	pdf.SetY(y)
	half(25+width/2, "B", 11, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	half(25+width/2, "B", 11, 6, "Độc lập - Tự do - Hạnh phúc")
	pdf.SetLineWidth(0.3)
	pdf.Line(25+width/2+28, pdf.GetY()+0.5, 25+width-28, pdf.GetY()+0.5)

	pdf.SetY(50)
	pdf.SetTextColor(176, 20, 20)
	line("B", 34, 16, "GIẤY KHEN")
	pdf.SetTextColor(0, 0, 0)
	line("", 12, 7, ct.Body)
	line("", 12, 9, "khen tặng")
	line("B", 20, 11, ct.Unit)
	line("B", 15, 9, "Danh hiệu: "+ct.Title)
	pdf.SetFont("DejaVu", "", 12)
	pdf.SetX(45)
	pdf.MultiCell(width-40, 6.5, nfc(ct.Citation), "", "C", false)
	line("", 12, 8, fmt.Sprintf("Phong trào thi đua “%s”, kỳ %s", ct.Campaign, ct.Period))

	pdf.SetY(150)
	d := ct.Granted.Time
	half(25+width/2, "", 11, 6, fmt.Sprintf("Ngày %d tháng %d năm %d", d.Day(), d.Month(), d.Year()))
	half(25+width/2, "B", 11, 6, "TM. "+strings.ToUpper(ct.Body))
	if ct.Signer != "" {
		half(25+width/2, "B", 11, 6, strings.ToUpper(ct.Signer))
	}
	half(25+width/2, "", 9, 5, "(Ký, ghi rõ họ tên và đóng dấu)")

	if ct.Decision != "" {
		pdf.SetY(140)
		line("", 11, 6, ct.Decision)
	}

	// The verification link, printed and as a QR code a phone can read.
	qr, err := qrcode.Encode(ct.Verify, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("certificate %s: QR code: %w", ct.Serial, err)
	}
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	pdf.ImageOptions("qr", 25, 150, 28, 28, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, ct.Verify)
	pdf.SetY(182)
	pdf.SetX(25)
	pdf.SetFont("DejaVu", "", 8.5)
	pdf.CellFormat(width/2, 5, nfc("Số hiệu: "+ct.Serial), "", 2, "L", false, 0, "")
	pdf.CellFormat(width/2, 5, nfc("Xác thực tại: "+ct.Verify), "", 0, "L", false, 0, ct.Verify)

	if ct.Revoked != "" { // a revoked honour's paper says so across its face
		pdf.SetTextColor(200, 0, 0)
		pdf.SetY(95)
		line("B", 30, 14, "ĐÃ THU HỒI")
		pdf.SetFont("DejaVu", "", 11)
		pdf.SetX(45)
		pdf.MultiCell(width-40, 6, nfc("Lý do: "+ct.Revoked), "", "C", false)
		pdf.SetTextColor(0, 0, 0)
	}

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("certificate %s: %w", ct.Serial, err)
	}
	return buf.Bytes(), nil
}

// nfc composes Vietnamese letters: a decomposed "ệ" would print its accents
// as separate, misplaced marks.
func nfc(s string) string { return norm.NFC.String(s) }
