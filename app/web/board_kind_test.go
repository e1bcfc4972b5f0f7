package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/thidua/thidua/app/store"
)

// TestBoardByKind: the board offers, in sight, a filter by kind of unit,
// so that a citizen can see the wards' Front committees without the mass
// organisations that share their level; each keeps its rank in the scope.
func TestBoardByKind(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.CreateUnit(context.Background(), store.NewUnit{Code: "P-A-PN", Name: "Hội LHPN phường Ánh Dương",
		Level: "commune", Kind: "womens_union", Parent: "P-A"}); err != nil {
		t.Fatal(err)
	}
	admin := f.client(t)
	admin.signIn("admin")
	editor, runs := "/admin/c/"+slug+"/ruleset", "/admin/c/"+slug+"/runs"
	admin.post(editor, editor, url.Values{"source": {testRuleset}, "action": {"save"}}).want(t, 303)
	admin.post(runs, runs, url.Values{"action": {"score"}}).want(t, 201)

	public := f.client(t)
	public.get("/c/"+slug+"?scope=level:commune").want(t, 200).has(t, "Bảng xếp hạng (4 đơn vị)", "Hội LHPN phường Ánh Dương",
		`<nav aria-label="Theo loại đơn vị" class="chips" id="kinds">`, `kind=womens_union&amp;period=`,
		`scope=level%3Acommune" aria-current="page">Mọi loại đơn vị</a>`, `<select id="kind" name="kind">`)
	public.get("/c/"+slug+"?scope=level:commune&kind=front").want(t, 200).
		has(t, "Bảng xếp hạng (3 đơn vị) · Ủy ban MTTQ", "Phường Ánh Dương", "Phường Bình Minh", `scope=level%3Acommune" aria-current="page">Ủy ban MTTQ</a>`,
			`<option value="front" selected>`, `/export.csv?kind=front&amp;period=`).
		hasNot(t, "Hội LHPN phường Ánh Dương</a>")
	// Its download is the board in sight: the communes' Front committees.
	csv := public.get("/c/"+slug+"/export.csv?scope=level:commune&kind=front").want(t, 200)
	if strings.Contains(csv.Body, "Hội LHPN phường Ánh Dương") || !strings.Contains(csv.Body, "Phường Bình Minh") {
		t.Errorf("the communes' Front committees as CSV:\n%s", csv.Body)
	}
	if cd := csv.Header.Get("Content-Disposition"); !strings.HasSuffix(cd, `-level-commune-front.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	// An unknown kind downloads every kind, as the page shows them.
	if csv := public.get("/c/"+slug+"/export.csv?scope=level:commune&kind=nope").want(t, 200); !strings.Contains(csv.Body, "Hội LHPN phường Ánh Dương") {
		t.Errorf("the communes of every kind as CSV:\n%s", csv.Body)
	}
	public.get("/c/"+slug+"?kind=womens_union&lang=en").want(t, 200).has(t, "Leaderboard (1 units) · Women&#39;s Union", "Hội LHPN phường Ánh Dương</a>")
	// An unknown kind shows every kind.
	public.get("/c/"+slug+"?kind=nope&lang=vi").want(t, 200).has(t, "Bảng xếp hạng (5 đơn vị)</caption>")
}
