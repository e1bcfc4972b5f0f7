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
