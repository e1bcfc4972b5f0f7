package demo

import (
	_ "embed"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// WardCampaign is a ward's own campaign for the units below it: on 22
// August 2025 Phường Định Công launched "Bình dân học vụ số" for its member
// organisations and community digital teams (see the source articles).
type WardCampaign struct {
	Campaign
	Organiser   string   // the organising unit's code
	SignerTitle string   // who signs its certificates
	Units       []string // the participants: the units below the organiser
	Indicators  []Indicator
	Projects    []Project // AdoptedFrom is always -1
	Reports     []Report
	Ruleset     string
}

// The ward campaign's identity.
const (
	WardSlug      = "dinh-cong-so"
	WardName      = "Bình dân học vụ số phường Định Công"
	wardOrganiser = "P-DINHCONG"
)

// WardRuleset is the ward campaign's ruleset.
//
//go:embed ward_ruleset.yaml
var WardRuleset string

// Indicators of the ward campaign.
const (
	IndicatorMembersTrained = "members_trained"
	IndicatorMembersVNeID   = "members_vneid"
	IndicatorWeeklySessions = "weekly_sessions"
)

// wardIndicators are the targets the ward set: every member trained and
// with a level-2 electronic identity by 2026, and a digital-skills session
// every week ("Mỗi tuần một kỹ năng số").
func wardIndicators() []Indicator {
	return []Indicator{
		{IndicatorMembersTrained, "Hội viên, đoàn viên được phổ cập kỹ năng số", "percent", 1},
		{IndicatorMembersVNeID, "Hội viên, đoàn viên có định danh điện tử VNeID mức 2", "percent", 1},
		{IndicatorWeeklySessions, "Buổi “Mỗi tuần một kỹ năng số” tổ chức trong tháng", "count", 4},
	}
}

// wardSeed seeds the ward campaign's own generator, so that the city's
// dataset is the same with or without it.
const wardSeed = 822

// ward plans the ward's whole campaign over the units below it, then cuts
// it at now: a later now only adds events.
func ward(units []Unit, now time.Time) WardCampaign {
	g := &gen{r: rand.New(rand.NewPCG(seed1, wardSeed))}
	w := WardCampaign{
		Campaign:  Campaign{Slug: WardSlug, Name: WardName, StartsOn: day(2025, time.August, 22), EndsOn: day(2026, time.December, 31)},
		Organiser: wardOrganiser, SignerTitle: "Chủ tịch", Indicators: wardIndicators(), Ruleset: WardRuleset,
	}
	var below []Unit
	for _, u := range units {
		if u.Parent == wardOrganiser {
			below = append(below, u)
			w.Units = append(w.Units, u.Code)
		}
	}
	titles := map[string][3]string{ // kind: title, summary, category
		KindWomensUnion:   {"Phụ nữ số: mỗi tuần một kỹ năng số", "Hội viên hướng dẫn nhau cài đặt VNeID, iHanoi và thanh toán không dùng tiền mặt mỗi sáng chủ nhật.", CategoryDigitalSkills},
		KindYouthUnion:    {"Thanh niên xung kích phổ cập kỹ năng số", "Đoàn viên làm “đại sứ số” tại các tổ dân phố, hỗ trợ người cao tuổi dùng dịch vụ công trực tuyến.", CategoryPublicServices},
		KindVeteransUnion: {"Cựu chiến binh với định danh điện tử", "Mỗi chi hội một buổi hướng dẫn kích hoạt VNeID mức 2 cho hội viên.", CategoryPublicServices},
		KindLabourUnion:   {"Chợ số Định Công", "Tiểu thương chợ dân sinh nhận thanh toán bằng mã QR, có biển hướng dẫn.", CategoryCashless},
		KindDigitalTeam:   {"Tổ dân phố số", "Tổ công nghệ số đến từng hộ hướng dẫn cài ứng dụng iHanoi và gửi phản ánh trực tuyến.", CategoryCommunity},
	}
	statuses := [][]string{
		{StatusInProgress, StatusCompleted, StatusVerified},
		{StatusInProgress, StatusCompleted},
		{StatusInProgress},
		{},
	}
	for i, u := range below {
		t, ok := titles[u.Kind]
		if !ok {
			continue
		}
		created := g.office(addDays(w.StartsOn, 5+g.r.IntN(30)))
		p := Project{Unit: u.Code, Title: t[0], Summary: t[1], Category: t[2], Status: StatusRegistered,
			StartsOn: dateOf(created), EndsOn: w.EndsOn, CreatedAt: created, AdoptedFrom: -1,
			History: []StatusChange{{StatusRegistered, created}}}
		if u.Kind == KindDigitalTeam {
			p.Title = fmt.Sprintf("%s %s", t[0], u.Code[len(wardOrganiser)+1:])
		}
		at := created
		for _, st := range statuses[i%len(statuses)] {
			at = g.office(addDays(at, 20+g.r.IntN(40)))
			if !at.After(now) {
				p.Status = st
				p.History = append(p.History, StatusChange{st, at})
			}
		}
		if !created.After(now) {
			w.Projects = append(w.Projects, p)
		}
	}
	for _, r := range g.wardReports(below, w.StartsOn, w.EndsOn) {
		if !r.SubmittedAt.After(now) {
			w.Reports = append(w.Reports, r)
		}
	}
	return w
}

// wardReports plans the monthly reports of every unit below the ward from
// start to end, mostly by the 10th of the next month: the member
// organisations' figures improve towards the targets; the digital teams
// report the sessions they held.
func (g *gen) wardReports(units []Unit, start, end time.Time) []Report {
	var out []Report
	for _, u := range units {
		ceil, speed := 0.8+0.2*g.r.Float64(), 3+6*g.r.Float64()
		for m := 0; ; m++ {
			month := time.Date(start.Year(), start.Month()+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			if month.After(end) {
				break
			}
			submitted := g.office(addDays(month.AddDate(0, 1, 0), 1+g.r.IntN(14)))
			if g.r.Float64() < 0.08 {
				continue // a month missed
			}
			grown := ceil * (1 - math.Exp(-float64(m+1)/speed))
			round := func(x float64) float64 { return math.Round(x*100) / 100 }
			values := map[string]float64{IndicatorWeeklySessions: float64(2 + g.r.IntN(4))}
			if u.Kind != KindDigitalTeam { // a digital team has no members: it holds the sessions
				values[IndicatorMembersTrained] = round(min(1, 0.3+grown))
				values[IndicatorMembersVNeID] = round(min(1, 0.5+0.5*grown))
			}
			out = append(out, Report{Unit: u.Code, Period: month.Format("2006-01"), SubmittedAt: submitted, Values: values})
		}
	}
	return out
}
