package policy

import (
	"errors"
	"testing"
)

// The tree of the tests: the city, two wards, the Women's Union of one.
var (
	city      = Place{"HN"}
	dinhCong  = Place{"HN", "P-DINHCONG"}
	dinhCongW = Place{"HN", "P-DINHCONG", "P-DINHCONG-PN"}
	hoanKiem  = Place{"HN", "P-HOANKIEM"}
)

var actors = map[string]Actor{
	"anon":             {},
	"admin":            {Username: "admin", Role: Admin},
	"city organiser":   {Username: "city", Role: Organiser, Unit: "HN"},
	"ward organiser":   {Username: "dc-org", Role: Organiser, Unit: "P-DINHCONG"},
	"other organiser":  {Username: "hk-org", Role: Organiser, Unit: "P-HOANKIEM"},
	"officer":          {Username: "dinhcong", Role: Officer, Unit: "P-DINHCONG", Scope: Own},
	"subtree officer":  {Username: "mttq.dinhcong", Role: Officer, Unit: "P-DINHCONG", Scope: Subtree},
	"union officer":    {Username: "phunu", Role: Officer, Unit: "P-DINHCONG-PN", Scope: Own},
	"other officer":    {Username: "hoankiem", Role: Officer, Unit: "P-HOANKIEM", Scope: Subtree},
	"judge":            {Username: "judge", Role: Judge},
	"judge of a ward":  {Username: "judge2", Role: Judge, Unit: "P-DINHCONG"},
	"officer, no unit": {Username: "broken", Role: Officer},
}

// outcome is "ok", "403" or "401".
func outcome(err error) string {
	var d *Denied
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &d) && d.SignIn:
		return "401"
	case errors.As(err, &d):
		return "403"
	}
	return "error: " + err.Error()
}

func TestDecisions(t *testing.T) {
	cityCampaign := Campaign{Slug: "cds", Organiser: city}
	wardCampaign := Campaign{Slug: "dc", Organiser: dinhCong}
	platformCampaign := Campaign{Slug: "old"}
	decisions := map[string]func(a Actor) error{
		"organise the city campaign":     func(a Actor) error { return Organise(a, cityCampaign) },
		"organise the ward campaign":     func(a Actor) error { return Organise(a, wardCampaign) },
		"organise a platform campaign":   func(a Actor) error { return Organise(a, platformCampaign) },
		"act for the ward, city":         func(a Actor) error { return ActFor(a, cityCampaign, dinhCong, "unit") },
		"act for the union, city":        func(a Actor) error { return ActFor(a, cityCampaign, dinhCongW, "unit") },
		"act for the union, ward":        func(a Actor) error { return ActFor(a, wardCampaign, dinhCongW, "unit") },
		"act for the city, ward":         func(a Actor) error { return ActFor(a, wardCampaign, city, "unit") },
		"report the union's progress":    func(a Actor) error { return ReportProgress(a, dinhCongW) },
		"report the ward's progress":     func(a Actor) error { return ReportProgress(a, dinhCong) },
		"review in the ward campaign":    func(a Actor) error { return ReviewProject(a, wardCampaign) },
		"score":                          Score,
		"read the audit log":             ReadAudit,
		"open the admin screens":         Administer,
		"create a ward campaign":         func(a Actor) error { return CreateCampaign(a, dinhCong, []Place{dinhCongW}) },
		"create a city campaign":         func(a Actor) error { return CreateCampaign(a, city, nil) },
		"create a unit under the ward":   func(a Actor) error { return CreateUnit(a, dinhCong) },
		"create a root unit":             func(a Actor) error { return CreateUnit(a, nil) },
		"create an officer of the union": func(a Actor) error { return CreateUser(a, Officer, dinhCongW) },
		"create an organiser of the ward": func(a Actor) error {
			return CreateUser(a, Organiser, dinhCong)
		},
		"create an admin":        func(a Actor) error { return CreateUser(a, Admin, nil) },
		"create a judge with no": func(a Actor) error { return CreateUser(a, Judge, nil) },
		"reopen a period":        ReopenPeriod,
		"upload a file":          UploadFile,
		"webhook of the ward":    func(a Actor) error { return ManageWebhook(a, &wardCampaign) },
		"webhook of every one":   func(a Actor) error { return ManageWebhook(a, nil) },
	}
	want := map[string]map[string]string{ // decision → actor → outcome; absent actors: 403
		"organise the city campaign":      {"anon": "401", "admin": "ok", "city organiser": "ok"},
		"organise the ward campaign":      {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok"},
		"organise a platform campaign":    {"anon": "401", "admin": "ok"},
		"act for the ward, city":          {"anon": "401", "admin": "ok", "city organiser": "ok", "officer": "ok", "subtree officer": "ok"},
		"act for the union, city":         {"anon": "401", "admin": "ok", "city organiser": "ok", "subtree officer": "ok", "union officer": "ok"},
		"act for the union, ward":         {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok", "subtree officer": "ok", "union officer": "ok"},
		"act for the city, ward":          {"anon": "401", "admin": "ok", "city organiser": "ok"},
		"report the union's progress":     {"anon": "401", "subtree officer": "ok", "union officer": "ok"},
		"report the ward's progress":      {"anon": "401", "officer": "ok", "subtree officer": "ok"},
		"review in the ward campaign":     {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok"},
		"score":                           {"anon": "401", "judge": "ok", "judge of a ward": "ok"},
		"read the audit log":              {"anon": "401", "admin": "ok"},
		"open the admin screens":          {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok", "other organiser": "ok"},
		"create a ward campaign":          {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok"},
		"create a city campaign":          {"anon": "401", "admin": "ok", "city organiser": "ok"},
		"create a unit under the ward":    {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok"},
		"create a root unit":              {"anon": "401", "admin": "ok"},
		"create an officer of the union":  {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok"},
		"create an organiser of the ward": {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok"},
		"create an admin":                 {"anon": "401", "admin": "ok"},
		"create a judge with no":          {"anon": "401", "admin": "ok"},
		"reopen a period":                 {"anon": "401", "admin": "ok"},
		"webhook of the ward":             {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok"},
		"webhook of every one":            {"anon": "401", "admin": "ok"},
		"upload a file": {"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok", "other organiser": "ok",
			"officer": "ok", "subtree officer": "ok", "union officer": "ok", "other officer": "ok", "officer, no unit": "ok"},
	}
	for name, decide := range decisions {
		for who, a := range actors {
			w := want[name][who]
			if w == "" {
				w = "403"
			}
			if got := outcome(decide(a)); got != w {
				t.Errorf("%s, as %s = %s, want %s", name, who, got, w)
			}
		}
	}
}

func TestSeeFile(t *testing.T) {
	for who, a := range actors {
		if !SeeFile(a, "phunu", true) {
			t.Errorf("%s cannot see an attached file", who)
		}
		if got, want := SeeFile(a, "phunu", false), who == "admin" || who == "union officer"; got != want {
			t.Errorf("%s sees an unattached file of phunu's: %v, want %v", who, got, want)
		}
	}
	if SeeFile(Actor{}, "", false) {
		t.Error("an anonymous visitor sees an unattached file uploaded by nobody")
	}
}

func TestSeeJudgingComments(t *testing.T) {
	ward := Campaign{Slug: "dc", Organiser: dinhCong}
	for who, want := range map[string]bool{"anon": false, "admin": true, "ward organiser": true, "other organiser": false,
		"union officer": true, "subtree officer": true, "officer": false, "judge": false} {
		if got := SeeJudgingComments(actors[who], ward, dinhCongW); got != want {
			t.Errorf("SeeJudgingComments(%s) = %v, want %v", who, got, want)
		}
	}
}

func TestDeniedNamesTheField(t *testing.T) {
	err := CreateCampaign(actors["ward organiser"], dinhCong, []Place{dinhCongW, hoanKiem})
	var d *Denied
	if !errors.As(err, &d) || d.Field != "units" || d.Text("vi") == d.Text("en") {
		t.Fatalf("CreateCampaign outside the subtree = %v, want a refusal naming units in both languages", err)
	}
	if err := CreateUser(actors["ward organiser"], Officer, hoanKiem); !errors.As(err, &d) || d.Field != "unit" {
		t.Errorf("CreateUser of a sibling ward = %v, want a refusal naming unit", err)
	}
	if err := CreateUser(actors["ward organiser"], Admin, dinhCong); !errors.As(err, &d) || d.Field != "role" {
		t.Errorf("CreateUser of an admin = %v, want a refusal naming role", err)
	}
	if err := CreateUnit(actors["ward organiser"], hoanKiem); !errors.As(err, &d) || d.Field != "parent" {
		t.Errorf("CreateUnit under a sibling ward = %v, want a refusal naming parent", err)
	}
}

func TestGrantable(t *testing.T) {
	for who, want := range map[string]int{"admin": 4, "ward organiser": 3, "officer": 0, "anon": 0} {
		if got := Grantable(actors[who]); len(got) != want {
			t.Errorf("Grantable(%s) = %v, want %d roles", who, got, want)
		}
	}
}

func TestManages(t *testing.T) {
	for who, want := range map[string]string{"admin": "", "ward organiser": "P-DINHCONG", "officer": "403", "anon": "401"} {
		got, err := Manages(actors[who])
		if err != nil {
			got = outcome(err)
		}
		if got != want {
			t.Errorf("Manages(%s) = %q, want %q", who, got, want)
		}
	}
}

func TestReplicates(t *testing.T) {
	for who, want := range map[string]bool{"union officer": false, "officer": true, "subtree officer": true,
		"other officer": true, "admin": false, "ward organiser": false, "judge": false, "anon": false} {
		if got := Replicates(actors[who], dinhCongW); got != want {
			t.Errorf("Replicates(%s, the union's project) = %v, want %v", who, got, want)
		}
	}
}

func TestVerifyReport(t *testing.T) {
	city := Campaign{Slug: "cds", Organiser: Place{"HN"}}
	for who, want := range map[string]string{"anon": "401", "admin": "ok", "city organiser": "ok", "ward organiser": "ok",
		"other organiser": "403", "union officer": "403", "subtree officer": "403", "judge": "403"} {
		if got := outcome(VerifyReport(actors[who], city, dinhCongW)); got != want {
			t.Errorf("VerifyReport(%s, the union's report in the city's campaign) = %s, want %s", who, got, want)
		}
	}
	// A ward's organiser does not verify its own unit's report in another's campaign.
	if got := outcome(VerifyReport(actors["ward organiser"], city, dinhCong)); got != "403" {
		t.Errorf("the ward's organiser verifying the ward's own report = %s, want 403", got)
	}
	below, all, err := Verifies(actors["ward organiser"], city)
	if err != nil || all || below != "P-DINHCONG" {
		t.Errorf("Verifies(ward organiser) = %q, %v, %v", below, all, err)
	}
	if _, all, err := Verifies(actors["city organiser"], city); err != nil || !all {
		t.Errorf("Verifies(city organiser) = %v, %v", all, err)
	}
}

func TestScopedAndWorksFor(t *testing.T) {
	for _, role := range Roles {
		if got, want := Scoped(role), role == Officer; got != want {
			t.Errorf("Scoped(%s) = %v, want %v", role, got, want)
		}
	}
	for who, want := range map[string]bool{"officer": true, "subtree officer": true, "union officer": true,
		"admin": false, "ward organiser": false, "judge": false, "judge of a ward": false, "anon": false, "officer, no unit": false} {
		if got := WorksFor(actors[who]); got != want {
			t.Errorf("WorksFor(%s) = %v, want %v", who, got, want)
		}
	}
}
