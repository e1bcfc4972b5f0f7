package web_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/thidua/thidua/app/password"
	"github.com/thidua/thidua/app/policy"
	"github.com/thidua/thidua/app/store"
)

// addJudges creates judge users (password "<username>-password") and puts
// them on the fixture's committee.
func addJudges(t *testing.T, f *fixture, usernames ...string) {
	t.Helper()
	ctx := context.Background()
	for _, u := range usernames {
		hash, err := password.New(1024, 1).Hash(ctx, u+"-password")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.CreateUser(ctx, store.NewUser{Username: u, Role: policy.Judge, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.AddJudge(ctx, slug, u); err != nil {
			t.Fatal(err)
		}
	}
}

// TestJudgingScreen assigns by hand, unassigns, and locks and reopens the
// round through the organiser's judging screen, with refusals in place.
func TestJudgingScreen(t *testing.T) {
	f := newFixture(t)
	addJudges(t, f, "judge.x")
	admin := f.client(t)
	admin.signIn("admin")
	screen := "/admin/c/" + slug + "/judging"
	assign, unassign, lock := "/admin/c/"+slug+"/assign", "/admin/c/"+slug+"/unassign?judge=judge.x", "/admin/c/"+slug+"/judging/lock"
	admin.get(screen).want(t, 200).has(t, "Vòng chấm đang mở", "Phân công thủ công", `href="/admin/c/`+slug+`/judging?judge=judge.x"`)

	// Manual assignment: what is wrong shows beside its field.
	admin.post(screen, assign, url.Values{"project": {"abc"}, "judge": {""}}).want(t, 422).
		has(t, `id="e-project"`, "Hãy nhập một số", `id="e-judge"`, `value="abc"`)
	admin.post(screen, assign, url.Values{"project": {"999999"}, "judge": {"judge.x"}}).want(t, 422).
		has(t, `id="e-project"`, "Phong trào này không có công trình số này")
	admin.post(screen, assign, url.Values{"project": {fmt.Sprint(f.verified)}, "judge": {"nobody"}}).want(t, 422).
		has(t, `id="e-judge"`, "nobody")
	for _, p := range []int64{f.verified, f.other} {
		r := admin.post(screen, assign, url.Values{"project": {fmt.Sprint(p)}, "judge": {"judge.x"}}).want(t, 303)
		if loc := r.Header.Get("Location"); loc != screen+"?judge=judge.x" {
			t.Errorf("after assigning: Location %q, want the judge's list", loc)
		}
	}
	admin.get(screen+"?judge=judge.x").want(t, 200).has(t, "Công trình giao cho judge.x", "Chợ số phường Ánh Dương", "Bình dân học vụ số", "Bỏ phân công")

	// Unassigning a project the judge has scored is refused with the
	// store's reason; an unscored one goes.
	if _, err := f.db.SaveScore(context.Background(), f.verified, "judge.x", map[string]float64{"innovation": 8}, ""); err != nil {
		t.Fatal(err)
	}
	admin.post(screen, unassign, url.Values{"project": {fmt.Sprint(f.verified)}, "username": {"judge.x"}}).want(t, 422).
		has(t, `id="errors"`, "Không thực hiện được", "đã chấm công trình", "Công trình giao cho judge.x")
	admin.post(screen, unassign, url.Values{"project": {fmt.Sprint(f.other)}, "username": {"judge.x"}}).want(t, 303)
	admin.get(screen+"?judge=judge.x").want(t, 200).has(t, "Chợ số phường Ánh Dương").hasNot(t, "Bình dân học vụ số")
	admin.post(screen, unassign, url.Values{"project": {fmt.Sprint(f.other)}, "username": {"judge.x"}}).want(t, 422).
		has(t, "không được phân công chấm")

	// Locking makes the round final: no assignment changes until reopened.
	admin.post(screen, lock, url.Values{"action": {"lock"}}).want(t, 303)
	admin.get(screen).want(t, 200).has(t, "Vòng chấm đã khóa", "Mở lại vòng chấm").hasNot(t, "Vòng chấm đang mở")
	admin.post(screen, assign, url.Values{"project": {fmt.Sprint(f.other)}, "judge": {"judge.x"}}).want(t, 422).has(t, "vòng chấm đã khóa")
	admin.post(screen, lock, url.Values{"action": {"lock"}}).want(t, 422).has(t, "vòng chấm đã khóa")
	admin.post(screen, lock, url.Values{"action": {"unlock"}}).want(t, 303)
	admin.post(screen, lock, url.Values{"action": {"unlock"}}).want(t, 422).has(t, "chưa khóa")
	admin.post(screen, lock, url.Values{"action": {"nonsense"}}).want(t, 400)

	// Removing a judge who has scored needs their scores withdrawn too.
	remove := "/admin/c/" + slug + "/judges/remove"
	admin.get(screen+"?judge=judge.x").want(t, 200).has(t, "Rút judge.x khỏi hội đồng", "Rút cả điểm")
	admin.post(screen, remove, url.Values{"username": {"judge.x"}}).want(t, 422).has(t, `id="errors"`, "withdraw_scores=true")
	admin.post(screen, remove, url.Values{"username": {"nobody"}, "withdraw_scores": {"on"}}).want(t, 422).has(t, "nobody")
	admin.get(screen+"?lang=en").want(t, 200).has(t, "The round is open", "Assign by hand")

	// The same authorisation as the API: organisers only.
	judge := f.client(t)
	judge.signIn("judge.x")
	judge.get(screen).want(t, 403)
	judge.post("/judge", lock, url.Values{"action": {"lock"}}).want(t, 403)
	judge.post("/judge", assign, url.Values{"project": {fmt.Sprint(f.other)}, "judge": {"judge.x"}}).want(t, 403)
	judge.post("/judge", unassign, url.Values{"project": {fmt.Sprint(f.verified)}, "username": {"judge.x"}}).want(t, 403)
	judge.post("/judge", remove, url.Values{"username": {"judge.x"}, "withdraw_scores": {"on"}}).want(t, 403)
	if _, locked, err := f.db.JudgingLocked(context.Background(), slug); err != nil || locked {
		t.Errorf("JudgingLocked = %v, %v: a judge's post changed the round", locked, err)
	}
	admin.post(screen, remove, url.Values{"username": {"judge.x"}, "withdraw_scores": {"on"}}).want(t, 303)
	admin.get(screen).want(t, 200).hasNot(t, `judging?judge=judge.x"`)
	if scores, err := f.db.JudgeScores(context.Background(), slug); err != nil || len(scores) != 0 {
		t.Errorf("after removal with withdrawal: scores %v, %v", scores, err)
	}
}

// TestScorePageFindsAssignment opens the score form of an assigned project
// and refuses one that is not assigned to the judge.
func TestScorePageFindsAssignment(t *testing.T) {
	f := newFixture(t)
	addJudges(t, f, "judge.x", "judge.y")
	ctx := context.Background()
	if _, err := f.db.SaveRuleset(ctx, slug, testRuleset, "yaml"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Assign(ctx, f.verified, "judge.x"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Assign(ctx, f.other, "judge.y"); err != nil {
		t.Fatal(err)
	}
	judge := f.client(t)
	judge.signIn("judge.x")
	form := fmt.Sprintf("/judge/projects/%d", f.verified)
	judge.get(form).want(t, 200).has(t, "Chợ số phường Ánh Dương", "Tính sáng tạo", "Gửi phiếu chấm")
	judge.get(fmt.Sprintf("/judge/projects/%d", f.other)).want(t, 403)
	judge.get("/judge/projects/999999").want(t, 404)
	judge.post(form, form, url.Values{"c.innovation": {"8"}, "c.effect": {"7"}}).want(t, 303)
	judge.get(form).want(t, 200).has(t, `value="8"`, "Cập nhật phiếu chấm")
}
