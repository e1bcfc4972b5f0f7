package remind

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	"github.com/thidua/thidua/app/mail"
	"github.com/thidua/thidua/app/store"
)

// Line is one item of a digest as the message reads it.
type Line struct {
	Text   string // in Vietnamese
	Action string // what the link does
	Link   string // absolute
}

// Section is a campaign's lines.
type Section struct {
	CampaignName string
	Lines        []Line
}

// letter is what the message's templates read.
type letter struct {
	Username    string
	Day         string
	Sections    []Section
	Unsubscribe string
}

// Compose makes the digest's message of the day: Vietnamese, each item
// linking to base (the site's address) and an unsubscribe link at the
// foot.
func Compose(d Digest, day store.Date, base, unsubscribe string) mail.Message {
	l := letter{Username: d.Username, Day: day.Format("02/01/2006"), Unsubscribe: unsubscribe, Sections: Sections(d, base)}
	var text, html bytes.Buffer
	if err := textLetter.Execute(&text, l); err != nil {
		panic(err) // the templates are fixed and read only these fields
	}
	if err := htmlLetter.Execute(&html, l); err != nil {
		panic(err)
	}
	return mail.Message{
		To:          d.Email,
		Subject:     fmt.Sprintf("[Thi đua] Nhắc việc ngày %s: %d việc cần làm", l.Day, len(d.Items)),
		Text:        text.String(),
		HTML:        html.String(),
		Unsubscribe: unsubscribe,
	}
}

// Sections are the digest's items as the message reads them, by
// campaign, in its order.
func Sections(d Digest, base string) []Section {
	var out []Section
	for _, it := range d.Items {
		if n := len(out); n == 0 || out[n-1].CampaignName != it.CampaignName {
			out = append(out, Section{CampaignName: it.CampaignName})
		}
		s := &out[len(out)-1]
		s.Lines = append(s.Lines, line(it, base))
	}
	return out
}

func line(it Item, base string) Line {
	names := make([]string, len(it.Periods))
	for i, p := range it.Periods {
		names[i] = PeriodName(p)
	}
	report := func(period string) string {
		return base + "/c/" + url.PathEscape(it.Campaign) + "/u/" + url.PathEscape(it.Unit) + "/report?period=" + url.QueryEscape(period)
	}
	switch it.Kind {
	case store.RemindNoProject:
		return Line{Text: it.UnitName + " chưa đăng ký công trình, phần việc chuyển đổi số nào (mỗi đơn vị ít nhất một).",
			Action: "Đăng ký công trình", Link: base + "/c/" + url.PathEscape(it.Campaign) + "/projects/new?unit=" + url.QueryEscape(it.Unit)}
	case store.RemindDue:
		return Line{Text: fmt.Sprintf("%s: báo cáo %s đến hạn ngày %s.", it.UnitName, strings.Join(names, ", "), it.Deadline.Format("02/01/2006")),
			Action: "Gửi báo cáo", Link: report(it.Periods[0])}
	case store.RemindOverdue:
		return Line{Text: fmt.Sprintf("%s: đã quá hạn báo cáo %s.", it.UnitName, strings.Join(names, ", ")),
			Action: "Gửi báo cáo", Link: report(it.Periods[0])}
	case store.RemindReturned:
		return Line{Text: fmt.Sprintf("%s: báo cáo %s bị trả lại, lý do: %s", it.UnitName, strings.Join(names, ", "), it.Reason),
			Action: "Sửa và gửi lại", Link: report(it.Periods[0])}
	case store.RemindUnscored:
		return Line{Text: fmt.Sprintf("Anh/chị còn %d công trình được phân công chưa chấm điểm.", it.Count),
			Action: "Chấm điểm", Link: base + "/judge"}
	}
	return Line{Text: it.Kind}
}

var textLetter = texttemplate.Must(texttemplate.New("text").Parse(`Kính gửi {{.Username}},

Hệ thống Thi đua nhắc anh/chị những việc cần làm (ngày {{.Day}}):
{{range .Sections}}
Phong trào "{{.CampaignName}}":
{{range .Lines}}- {{.Text}}
  {{.Action}}: {{.Link}}
{{end}}{{end}}
Thư được gửi tự động, nhiều nhất một thư mỗi ngày, khi còn việc cần làm.
Ngừng nhận thư nhắc việc: {{.Unsubscribe}}
`))

var htmlLetter = template.Must(template.New("html").Parse(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Nhắc việc ngày {{.Day}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>Kính gửi {{.Username}},</p>
<p>Hệ thống Thi đua nhắc anh/chị những việc cần làm (ngày {{.Day}}):</p>
{{range .Sections}}<h2 style="font-size: 1.1em">Phong trào “{{.CampaignName}}”</h2>
<ul>{{range .Lines}}<li>{{.Text}} <a href="{{.Link}}">{{.Action}}</a></li>
{{end}}</ul>
{{end}}<p style="color: #555; font-size: 0.9em">Thư được gửi tự động, nhiều nhất một thư mỗi ngày, khi còn việc cần làm.
<a href="{{.Unsubscribe}}">Ngừng nhận thư nhắc việc</a></p>
</body></html>
`))
