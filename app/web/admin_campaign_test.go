package web_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestCampaignAndIndicatorForms: the organiser's forms take slugs and keys
// only in the forms URLs and rulesets can carry, as the API does.
func TestCampaignAndIndicatorForms(t *testing.T) {
	f := newFixture(t)
	admin := f.client(t)
	admin.signIn("admin")
	const form = "/admin/campaigns/new"
	campaign := func(slug string) url.Values {
		return url.Values{"slug": {slug}, "name": {"Chuyển đổi số 2027"}, "starts_on": {"2027-01-01"}, "ends_on": {"2027-12-31"}}
	}
	admin.post(form, form, campaign("Bad Slug/x?y")).want(t, 422).has(t, `id="e-slug"`, "chữ thường không dấu")
	if _, err := f.db.CampaignBySlug(context.Background(), "Bad Slug/x?y"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused slug was stored: %v", err)
	}
	admin.post(form, form, campaign("cds-2027")).want(t, 303)

	inds := "/admin/c/cds-2027/indicators"
	indicator := func(key string) url.Values {
		return url.Values{"key": {key}, "title": {"Tỷ lệ hộ có internet"}, "unit": {"percent"}, "target": {"90"}}
	}
	admin.post(inds, inds, indicator("Bad Key.x")).want(t, 422).has(t, `id="e-key"`, "chữ thường không dấu")
	admin.post(inds, inds, indicator("households_internet")).want(t, 303)
	got, err := f.db.Indicators(context.Background(), "cds-2027")
	if err != nil || len(got) != 1 || got[0].Key != "households_internet" || got[0].Target != 0.9 {
		t.Errorf("indicators = %+v, %v; want households_internet at 90%%", got, err)
	}
}

// TestCampaignPicker: a ward's organiser opens a campaign for units picked
// from its subtree; a unit outside it is refused on the server, naming the
// field, and nothing is made.
func TestCampaignPicker(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, u := range []store.NewUnit{
		{Code: "P-A-PN", Name: "Hội LHPN phường Ánh Dương", Level: "commune", Kind: "womens_union", Parent: "P-A"},
		{Code: "P-A-TN", Name: "Đoàn Thanh niên phường Ánh Dương", Level: "commune", Kind: "youth_union", Parent: "P-A"},
	} {
		if _, err := f.db.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	f.addUser(t, store.NewUser{Username: "org.a", Role: "organiser", Unit: "P-A"})
	org := f.client(t)
	org.signIn("org.a")
	const form = "/admin/campaigns/new"
	org.get(form).want(t, 200).has(t, `id="u-P-A-PN"`, `id="u-P-A-TN"`, `<option value="P-A" selected>`).
		hasNot(t, `id="u-P-B"`, `value="HN"`)
	org.post(form, form, url.Values{"level": {"commune"}, "q": {"thanh nien"}, "action": {"filter"}}).want(t, 200).
		has(t, `id="u-P-A-TN"`).hasNot(t, `id="u-P-A-PN"`)
	campaign := func(slug string, units ...string) url.Values {
		return url.Values{"slug": {slug}, "name": {"Ánh Dương số"}, "starts_on": {"2026-01-01"}, "ends_on": {"2026-12-31"},
			"organiser": {"P-A"}, "signer_title": {"Chủ tịch"}, "units": {"picked"}, "unit": units, "action": {"create"}}
	}
	org.post(form, form, campaign("anh-duong-x", "P-A-PN", "P-B")).want(t, 403).has(t, `id="e-units"`, "P-B")
	if _, err := f.db.CampaignBySlug(ctx, "anh-duong-x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused campaign was made: %v", err)
	}
	org.post(form, form, campaign("anh-duong", "P-A-PN", "P-A-TN")).want(t, 303)
	camp, err := f.db.CampaignCounted(ctx, "anh-duong")
	if err != nil || camp.Units != 2 || camp.Organiser == nil || camp.Organiser.Code != "P-A" || camp.SignerTitle != "Chủ tịch" {
		t.Fatalf("campaign = %+v, %v; want P-A's with its 2 picked units", camp, err)
	}
	// The hub lists it, and only what the organiser manages.
	org.get("/admin").want(t, 200).has(t, "Ánh Dương số", "Phường Ánh Dương và các đơn vị trực thuộc").
		hasNot(t, "Công dân số cùng Thủ đô vươn mình")
}
