package app

import (
	"context"
	"fmt"

	"github.com/thidua/thidua/app/demo"
	"github.com/thidua/thidua/app/platform"
	"github.com/thidua/thidua/app/store"
)

// progressNotes are what a ward's officer writes under the photos of an
// event.
var progressNotes = []string{
	"Buổi “Chủ nhật số” tại nhà văn hoá tổ dân phố: hướng dẫn người dân cài đặt và kích hoạt VNeID mức 2.",
	"Lớp “Bình dân học vụ số” cho hội viên: tra cứu dịch vụ công trực tuyến, nộp hồ sơ trên điện thoại.",
	"Tổ công nghệ số cộng đồng hỗ trợ tiểu thương mở tài khoản và thanh toán bằng mã QR tại chợ.",
	"Ra quân “Mỗi tuần một kỹ năng số”: nhận diện tin nhắn lừa đảo qua mạng.",
}

// finishDemo does through the platform, as the demo's people would, what the
// demo shows of figures people can trust once its data is loaded and its
// periods closed: the ward's officer posts progress with photos and
// attaches photos to the reports awaiting verification, Định Công's officer
// posts photos of its own project, and the city revokes one honour.
func finishDemo(ctx context.Context, svc *platform.Service, db *store.DB, ds *demo.Dataset) error {
	as := func(username string) (context.Context, error) {
		u, err := db.UserByUsername(ctx, username)
		if err != nil {
			return nil, err
		}
		return platform.WithUser(ctx, u, "demo"), nil
	}
	mttq, err := as("mttq.dinhcong")
	if err != nil {
		return err
	}
	photo := func(ctx context.Context, name string, seed uint64) (string, error) {
		f, err := svc.UploadFile(ctx, name, demo.Photo(seed))
		if err != nil {
			return "", fmt.Errorf("upload %s: %w", name, err)
		}
		return f.ID, nil
	}

	projects, _, err := db.Projects(ctx, ds.Ward.Slug, store.ProjectFilter{Page: store.Page{Limit: store.MaxLimit}})
	if err != nil {
		return err
	}
	posted := 0
	for _, p := range projects {
		if p.Status == store.StatusRejected || p.Status == store.StatusWithdrawn || posted == 6 {
			continue
		}
		id, err := photo(mttq, fmt.Sprintf("hình ảnh %s.jpg", p.Title), uint64(p.ID))
		if err != nil {
			return err
		}
		if _, err := svc.AddProgress(mttq, p.ID, platform.Progress{Note: progressNotes[posted%len(progressNotes)],
			EvidenceFiles: []string{id}}); err != nil {
			return fmt.Errorf("progress of project %d: %w", p.ID, err)
		}
		posted++
	}

	ward, err := db.CampaignBySlug(ctx, ds.Ward.Slug)
	if err != nil {
		return err
	}
	awaiting, _, _, err := db.QueuedReports(ctx, ward.ID, ward.Slug, store.ReportFilter{Status: store.ReportSubmitted, Page: store.Page{Limit: 12}})
	if err != nil {
		return err
	}
	for i, r := range awaiting {
		id, err := photo(mttq, fmt.Sprintf("biên bản %s %s.jpg", r.UnitName, r.Period), uint64(1000+i))
		if err != nil {
			return err
		}
		files := []string{id}
		if _, err := svc.PutReport(mttq, ds.Ward.Slug, r.Unit, r.Period, platform.Report{Values: r.Values, EvidenceFiles: &files}); err != nil {
			return fmt.Errorf("evidence of %s's report %s: %w", r.Unit, r.Period, err)
		}
	}

	dinhcong, err := as("dinhcong")
	if err != nil {
		return err
	}
	own, _, err := db.Projects(ctx, ds.Campaign.Slug, store.ProjectFilter{Unit: "P-DINHCONG", Status: store.StatusInProgress,
		Page: store.Page{Limit: 1}})
	if err != nil {
		return err
	}
	for _, p := range own {
		var ids []string
		for i := range 2 {
			id, err := photo(dinhcong, fmt.Sprintf("Định Công %d.jpg", i+1), uint64(2000+i))
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if _, err := svc.AddProgress(dinhcong, p.ID, platform.Progress{Note: progressNotes[0], EvidenceFiles: ids}); err != nil {
			return fmt.Errorf("progress of project %d: %w", p.ID, err)
		}
	}
	return revokeOne(ctx, svc, db, ds, as)
}

// revokeOne revokes the oldest honour the city granted by rule, as the Law
// on Emulation and Commendation does for records found untrue.
func revokeOne(ctx context.Context, svc *platform.Service, db *store.DB, ds *demo.Dataset, as func(string) (context.Context, error)) error {
	admin, err := as("admin")
	if err != nil {
		return err
	}
	honours, _, err := db.Honours(ctx, ds.Campaign.Slug, store.HonourFilter{Page: store.Page{Limit: store.MaxLimit}})
	if err != nil {
		return err
	}
	for i := len(honours) - 1; i >= 0; i-- { // newest first: from the oldest
		if honours[i].HonourKey != "" {
			_, err = svc.RevokeHonour(admin, honours[i].Serial, platform.Revocation{
				Reason: "Kiểm tra lại hồ sơ: số liệu giao dịch không dùng tiền mặt kê khai không khớp với sao kê của ngân hàng."})
			return err
		}
	}
	return nil
}

// DemoWebhookURL is where the demo's webhook posts: a portal under .invalid,
// a name that never resolves (RFC 6761), so that its log shows honestly
// what an unreachable receiver looks like: every attempt failing, tried
// again later, until the last.
const DemoWebhookURL = "https://cong-thong-tin.ha-noi.invalid/thidua/webhook"

// subscribeDemo subscribes, as the admin, the city's portal to the city
// campaign's period closes and honours revoked, before they happen.
func subscribeDemo(ctx context.Context, svc *platform.Service, db *store.DB, ds *demo.Dataset) error {
	u, err := db.UserByUsername(ctx, "admin")
	if err != nil {
		return err
	}
	_, err = svc.CreateWebhook(platform.WithUser(ctx, u, "demo"), platform.NewWebhook{URL: DemoWebhookURL,
		Campaign: ds.Campaign.Slug, Events: []string{store.EventPeriodClosed, store.EventHonourRevoked, store.EventReportReturned}})
	return err
}
