package demo

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// testNow is a moment well into the campaign.
var testNow = time.Date(2026, time.March, 15, 10, 30, 0, 0, time.UTC)

// nows covers before, at the start, inside and after the campaign.
var nows = []time.Time{
	time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2025, time.April, 20, 12, 0, 0, 0, time.UTC),
	time.Date(2025, time.October, 10, 3, 0, 0, 0, time.UTC),
	testNow,
	time.Date(2027, time.June, 1, 0, 0, 0, 0, time.UTC),
}

func TestWardsAndCommunes(t *testing.T) {
	d := Generate(testNow)
	names := map[string]bool{}
	var wards, communes int
	for _, u := range d.Units {
		if u.Level != LevelCommune || u.Kind != KindFront {
			continue
		}
		if u.Parent != cityCode {
			t.Errorf("%s: parent %q, want %q", u.Code, u.Parent, cityCode)
		}
		if names[u.Name] {
			t.Errorf("duplicate name %q", u.Name)
		}
		names[u.Name] = true
		switch {
		case strings.HasPrefix(u.Name, "Phường ") && strings.HasPrefix(u.Code, "P-"):
			wards++
		case strings.HasPrefix(u.Name, "Xã ") && strings.HasPrefix(u.Code, "X-"):
			communes++
		default:
			t.Errorf("%s: name %q is neither a phường nor a xã", u.Code, u.Name)
		}
	}
	if wards != 51 || communes != 75 {
		t.Errorf("got %d phường and %d xã, want 51 and 75", wards, communes)
	}
	for _, want := range []string{"Phường Hoàn Kiếm", "Phường Định Công", "Phường Ba Đình", "Xã Sóc Sơn", "Phường Sơn Tây"} {
		if !names[want] {
			t.Errorf("missing %q", want)
		}
	}
}

var (
	unitCode    = regexp.MustCompile(`^[A-Z0-9-]+$`)
	clusterCode = regexp.MustCompile(`^[a-z0-9-]+$`)
)

func TestCodesAndHierarchy(t *testing.T) {
	d := Generate(testNow)
	clusters := map[string]bool{}
	for _, c := range d.Clusters {
		if !clusterCode.MatchString(c.Code) || clusters[c.Code] {
			t.Errorf("cluster code %q malformed or duplicate", c.Code)
		}
		clusters[c.Code] = true
	}
	seen := map[string]Unit{}
	kinds := map[string]bool{KindFront: true, KindWomensUnion: true, KindYouthUnion: true, KindFarmersUnion: true,
		KindVeteransUnion: true, KindLabourUnion: true, KindDigitalTeam: true}
	for _, u := range d.Units {
		if !unitCode.MatchString(u.Code) || len(u.Code) > 40 {
			t.Errorf("unit code %q malformed", u.Code)
		}
		if _, dup := seen[u.Code]; dup {
			t.Errorf("duplicate unit code %q", u.Code)
		}
		if _, ok := seen[u.Parent]; u.Parent != "" && !ok {
			t.Errorf("%s: parent %q missing or later", u.Code, u.Parent)
		}
		if !kinds[u.Kind] {
			t.Errorf("%s: kind %q", u.Code, u.Kind)
		}
		for _, c := range u.Clusters {
			if !clusters[c] {
				t.Errorf("%s: unknown cluster %q", u.Code, c)
			}
		}
		if u.Level == LevelCommune && len(u.Clusters) != 1 {
			t.Errorf("%s: in %d clusters, want 1", u.Code, len(u.Clusters))
		}
		seen[u.Code] = u
	}
	if d.Units[0].Code != "HN" || d.Units[0].Level != LevelCity {
		t.Errorf("first unit = %+v, want the city Front HN", d.Units[0])
	}
	for _, u := range d.Users {
		if _, ok := seen[u.Unit]; u.Unit != "" && !ok {
			t.Errorf("user %s: unknown unit %q", u.Username, u.Unit)
		}
	}
	for _, c := range d.Covenants {
		if _, ok := seen[c.Unit]; !ok {
			t.Errorf("covenant of unknown unit %q", c.Unit)
		}
	}
	for _, p := range d.Projects {
		if _, ok := seen[p.Unit]; !ok {
			t.Errorf("project of unknown unit %q", p.Unit)
		}
	}
	for _, r := range d.Reports {
		if _, ok := seen[r.Unit]; !ok {
			t.Errorf("report of unknown unit %q", r.Unit)
		}
	}
}

func TestIndicatorsAndCovenants(t *testing.T) {
	d := Generate(testNow)
	want := map[string]float64{
		"staff_trained": 1, "staff_three_tools": 1, "docs_electronic": 1, "records_online": 1,
		"reports_digital": 1, "donations_digital": 0.5, "archive_digitised": 1,
		"workforce_trained": 0.7, "cashless": 0.8, "adults_digital_services": 1,
	}
	if len(d.Indicators) != len(want) {
		t.Errorf("got %d indicators, want %d", len(d.Indicators), len(want))
	}
	for _, ind := range d.Indicators {
		if w, ok := want[ind.Key]; !ok || ind.Target != w || ind.Unit != "percent" || ind.Title == "" {
			t.Errorf("indicator %+v, want target %v", ind, w)
		}
	}
	overrides := 0
	for _, c := range d.Covenants {
		for k, v := range c.Targets {
			if _, ok := want[k]; !ok || v <= 0 || v > 1 {
				t.Errorf("covenant %s: target %s = %v", c.Unit, k, v)
			}
			if v != want[k] {
				overrides++
			}
		}
	}
	if len(d.Covenants) < 100 || overrides == 0 {
		t.Errorf("%d covenants with %d overridden targets, want > 100 and some", len(d.Covenants), overrides)
	}
}

// strs calls f with every string inside v.
func strs(v reflect.Value, f func(string)) {
	switch v.Kind() {
	case reflect.String:
		f(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			strs(v.Elem(), f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				strs(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			strs(v.Index(i), f)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			strs(it.Key(), f)
			strs(it.Value(), f)
		}
	}
}

func TestTextIsNFC(t *testing.T) {
	d := Generate(testNow)
	n := 0
	strs(reflect.ValueOf(d), func(s string) {
		n++
		if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
			t.Errorf("not valid NFC UTF-8: %q", s)
		}
	})
	for _, c := range Categories() {
		if !norm.NFC.IsNormalString(c.Label) {
			t.Errorf("category label %q not NFC", c.Label)
		}
	}
	if n < 10000 {
		t.Errorf("only %d strings checked", n)
	}
}

func TestDatesOrdered(t *testing.T) {
	for _, now := range nows {
		d := Generate(now)
		start := d.Campaign.StartsOn
		end := d.Campaign.EndsOn.AddDate(0, 0, 1)
		in := func(what string, at time.Time) {
			t.Helper()
			if at.After(now) || at.Before(start) || !at.Before(end) {
				t.Errorf("now %v: %s at %v, outside the campaign or after now", now, what, at)
			}
		}
		for _, c := range d.Covenants {
			in("covenant "+c.Unit, c.SignedAt)
		}
		for i, p := range d.Projects {
			if i > 0 && p.CreatedAt.Before(d.Projects[i-1].CreatedAt) {
				t.Errorf("project %d created before project %d", i, i-1)
			}
			in("project "+p.Title, p.CreatedAt)
			if p.EndsOn.Before(p.StartsOn) || p.EndsOn.After(d.Campaign.EndsOn) {
				t.Errorf("project %q: planned %v–%v", p.Title, p.StartsOn, p.EndsOn)
			}
			if len(p.History) == 0 || p.History[0].Status != StatusRegistered || !p.History[0].At.Equal(p.CreatedAt) {
				t.Fatalf("project %q: history %v does not start with its registration", p.Title, p.History)
			}
			if last := p.History[len(p.History)-1].Status; last != p.Status {
				t.Errorf("project %q: status %s, last history %s", p.Title, p.Status, last)
			}
			next := map[string]string{StatusRegistered: StatusInProgress + " " + StatusRejected,
				StatusInProgress: StatusCompleted, StatusCompleted: StatusVerified}
			for j, h := range p.History {
				in("status of "+p.Title, h.At)
				if j > 0 {
					prev := p.History[j-1]
					if !h.At.After(prev.At) || !strings.Contains(next[prev.Status], h.Status) {
						t.Errorf("project %q: %s at %v after %s at %v", p.Title, h.Status, h.At, prev.Status, prev.At)
					}
				}
			}
			if (p.Status == StatusRejected) != (p.RejectReason != "") {
				t.Errorf("project %q: status %s with reason %q", p.Title, p.Status, p.RejectReason)
			}
			var last time.Time
			for _, pg := range p.Progress {
				in("progress of "+p.Title, pg.At)
				if !pg.At.After(last) || len(p.History) < 2 || !pg.At.After(p.History[1].At) {
					t.Errorf("project %q: progress at %v out of order", p.Title, pg.At)
				}
				if len(p.History) > 2 && !pg.At.Before(p.History[2].At) {
					t.Errorf("project %q: progress at %v after completion", p.Title, pg.At)
				}
				last = pg.At
				for _, u := range pg.EvidenceURLs {
					if !strings.HasPrefix(u, "https://example.gov.vn/") {
						t.Errorf("evidence URL %q", u)
					}
				}
				if len(pg.Figures) == 0 || pg.Note == "" {
					t.Errorf("project %q: empty progress %+v", p.Title, pg)
				}
			}
		}
		for _, r := range d.Reports {
			month, err := time.Parse("2006-01", r.Period)
			if err != nil {
				t.Fatalf("report period %q: %v", r.Period, err)
			}
			// A report is submitted after its month, possibly after the campaign.
			ends := month.AddDate(0, 1, 0)
			if r.SubmittedAt.After(now) || r.SubmittedAt.Before(ends) || month.Before(start) || !month.Before(end) {
				t.Errorf("now %v: report %s %s submitted %v", now, r.Unit, r.Period, r.SubmittedAt)
			}
		}
	}
}

func TestProjects(t *testing.T) {
	d := Generate(testNow)
	statuses := map[string]int{}
	categories := map[string]bool{}
	for _, c := range Categories() {
		categories[c.Key] = true
	}
	adoptions := 0
	for i, p := range d.Projects {
		statuses[p.Status]++
		if !categories[p.Category] {
			t.Errorf("project %q: category %q", p.Title, p.Category)
		}
		if p.Title == "" || p.Summary == "" {
			t.Errorf("project %d: empty title or summary", i)
		}
		if p.AdoptedFrom == -1 {
			continue
		}
		adoptions++
		if p.AdoptedFrom < 0 || p.AdoptedFrom >= i {
			t.Errorf("project %d adopts %d, not an earlier project", i, p.AdoptedFrom)
			continue
		}
		src := d.Projects[p.AdoptedFrom]
		if src.Unit == p.Unit || !strings.HasPrefix(p.Title, "Nhân rộng mô hình") || !src.CreatedAt.Before(p.CreatedAt) {
			t.Errorf("project %q (%s) adopts %q (%s)", p.Title, p.Unit, src.Title, src.Unit)
		}
	}
	for _, s := range []string{StatusRegistered, StatusInProgress, StatusCompleted, StatusVerified, StatusRejected} {
		if statuses[s] == 0 {
			t.Errorf("no project is %s: %v", s, statuses)
		}
	}
	if adoptions < 20 || adoptions > 40 {
		t.Errorf("%d adoptions, want about 30", adoptions)
	}
	if n := len(d.Projects); n < 300 || n > 1000 {
		t.Errorf("%d projects", n)
	}
}

func TestCoverage(t *testing.T) {
	d := Generate(testNow)
	has := map[string]bool{}
	for _, p := range d.Projects {
		if p.Status != StatusRejected {
			has[p.Unit] = true
		}
	}
	var total, without int
	for _, u := range d.Units {
		if u.Level == LevelCommune {
			total++
			if !has[u.Code] {
				without++
			}
		}
	}
	if share := float64(without) / float64(total); share < 0.05 || share > 0.20 {
		t.Errorf("%d of %d ward-level units (%.1f%%) have no project, want 5–20%%", without, total, 100*share)
	}
	for _, code := range []string{"P-DINHCONG", "P-DINHCONG-PN", "X-SOCSON"} {
		if !has[code] {
			t.Errorf("demo unit %s has no project", code)
		}
	}
}

func TestReports(t *testing.T) {
	d := Generate(testNow)
	keys := map[string]bool{}
	for _, ind := range d.Indicators {
		keys[ind.Key] = true
	}
	byUnit := map[string]int{}
	late := 0
	for _, r := range d.Reports {
		byUnit[r.Unit]++
		month, _ := time.Parse("2006-01", r.Period)
		if r.SubmittedAt.After(month.AddDate(0, 1, 10)) {
			late++
		}
		for k, v := range r.Values {
			if !keys[k] || v < 0 || v > 1 {
				t.Errorf("report %s %s: %s = %v", r.Unit, r.Period, k, v)
			}
		}
	}
	// Eleven months (2025-04 … 2026-02) have ended by testNow.
	full, partial := 0, 0
	for _, n := range byUnit {
		if n == 11 {
			full++
		} else {
			partial++
		}
	}
	if late == 0 || partial == 0 || full == 0 {
		t.Errorf("%d late reports, %d units with all months, %d with some missing; want some of each", late, full, partial)
	}
}

func TestUsers(t *testing.T) {
	d := Generate(testNow)
	roles := map[string]int{}
	judgesWithUnit := 0
	for _, u := range d.Users {
		roles[u.Role]++
		if u.Role == RoleJudge && u.Unit != "" {
			judgesWithUnit++
		}
	}
	if roles[RoleAdmin] != 1 || roles[RoleJudge] != 5 || roles[RoleUnit] < 2 || judgesWithUnit != 2 {
		t.Errorf("users by role %v, %d judges with a unit", roles, judgesWithUnit)
	}
}

func TestDeterministic(t *testing.T) {
	for _, now := range nows {
		if a, b := Generate(now), Generate(now); !reflect.DeepEqual(a, b) {
			t.Errorf("Generate(%v) differs between calls", now)
		}
	}
}

// A later now only adds to the dataset: what existed earlier stays the same.
func TestLaterNowExtends(t *testing.T) {
	early, late := Generate(nows[2]), Generate(testNow)
	titles := map[string]bool{}
	for _, p := range late.Projects {
		titles[p.Unit+"|"+p.Title] = true
	}
	for _, p := range early.Projects {
		if !titles[p.Unit+"|"+p.Title] {
			t.Errorf("project %q of %s disappears later", p.Title, p.Unit)
		}
	}
	if len(early.Reports) >= len(late.Reports) {
		t.Errorf("%d reports early, %d later", len(early.Reports), len(late.Reports))
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(testNow)
	}
}
