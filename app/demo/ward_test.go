package demo

import (
	"slices"
	"testing"
	"time"
)

// TestWardCampaign: Định Công's own campaign is for the units below the
// ward, run by its organiser, with reports only of months that have ended
// and a later now only adding to it.
func TestWardCampaign(t *testing.T) {
	d := Generate(testNow)
	w := d.Ward
	byCode := map[string]Unit{}
	for _, u := range d.Units {
		byCode[u.Code] = u
	}
	if w.Organiser != "P-DINHCONG" || len(w.Units) != 7 || w.SignerTitle == "" {
		t.Fatalf("ward campaign: organiser %s, %d units, signer %q; want P-DINHCONG's 7 units", w.Organiser, len(w.Units), w.SignerTitle)
	}
	for _, code := range w.Units {
		if byCode[code].Parent != w.Organiser {
			t.Errorf("participant %s is not below the ward", code)
		}
	}
	if len(w.Projects) == 0 || len(w.Reports) == 0 {
		t.Fatalf("ward campaign: %d projects, %d reports", len(w.Projects), len(w.Reports))
	}
	for _, p := range w.Projects {
		if !slices.Contains(w.Units, p.Unit) || p.CreatedAt.After(testNow) || p.History[len(p.History)-1].Status != p.Status {
			t.Errorf("project %+v", p)
		}
	}
	for _, r := range w.Reports {
		if !slices.Contains(w.Units, r.Unit) || r.SubmittedAt.After(testNow) {
			t.Errorf("report %+v", r)
		}
		_, members := r.Values[IndicatorMembersTrained]
		if team := byCode[r.Unit].Kind == KindDigitalTeam; team == members {
			t.Errorf("report of %s (%s) has member figures: %v", r.Unit, byCode[r.Unit].Kind, members)
		}
	}
	organisers := 0
	for _, u := range d.Users {
		if u.Role == RoleOrganiser && u.Unit == w.Organiser {
			organisers++
		}
	}
	if organisers != 1 {
		t.Errorf("%d organisers of the ward, want 1", organisers)
	}
	early := Generate(nows[2]).Ward
	if len(early.Reports) >= len(w.Reports) || len(early.Reports) == 0 {
		t.Errorf("%d ward reports early, %d later", len(early.Reports), len(w.Reports))
	}
	for i, r := range early.Reports {
		if !slices.ContainsFunc(w.Reports, func(l Report) bool {
			return l.Unit == r.Unit && l.Period == r.Period && l.SubmittedAt.Equal(r.SubmittedAt)
		}) {
			t.Errorf("early ward report %d (%s %s) changes later", i, r.Unit, r.Period)
		}
	}
}

// TestReturnedReportEveryDay: on any day, the first days of a month too
// (when fewer than two reports await verification), both campaigns show a
// returned report beside one awaiting, as the verifiers' pages need.
func TestReturnedReportEveryDay(t *testing.T) {
	var days []time.Time
	for _, month := range []time.Month{time.November, time.December} {
		for day := 1; day <= 5; day++ {
			days = append(days, time.Date(2026, month, day, 7, 0, 0, 0, time.UTC))
		}
		days = append(days, time.Date(2026, month, 20, 9, 0, 0, 0, time.UTC))
	}
	for _, now := range days {
		d := Generate(now)
		for name, reports := range map[string][]Report{"city": d.Reports, "ward": d.Ward.Reports} {
			count := map[string]int{}
			for _, r := range reports {
				count[r.Status]++
				if r.Status == ReportReturned && (r.Reason == "" || r.DecidedAt.After(now)) {
					t.Errorf("%v, %s: report %s %s returned without a reason or decided later", now, name, r.Unit, r.Period)
				}
			}
			if count[ReportReturned] == 0 || count[ReportSubmitted] == 0 {
				t.Errorf("%v, %s campaign: %v, want a returned report and one awaiting", now, name, count)
			}
		}
	}
}
