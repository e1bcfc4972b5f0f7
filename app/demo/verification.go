package demo

import (
	"hash/fnv"
	"time"
)

// Report statuses.
const (
	ReportSubmitted = "submitted"
	ReportVerified  = "verified"
	ReportReturned  = "returned"
)

// returnReasons are why the level above sends a report back.
var returnReasons = []string{
	"Thiếu ảnh, biên bản minh chứng buổi tập huấn.",
	"Tỷ lệ giao dịch không dùng tiền mặt cao bất thường so với tháng trước: đề nghị kiểm tra lại.",
	"Số liệu chưa khớp với báo cáo của Ủy ban MTTQ phường.",
}

// decide gives the reports their verification as of now: the level above
// verifies a report within a few days once it is more than three weeks
// old; of the newer ones most await it, and a few were returned with a
// reason. The outcome depends only on the report and now, so that a
// later now only moves reports on.
func decide(reports []Report, now time.Time) {
	for i := range reports {
		r := &reports[i]
		h := fnv.New32a()
		h.Write([]byte(r.Unit + "|" + r.Period))
		x := h.Sum32()
		decided := r.SubmittedAt.Add(time.Duration(24+x%96) * time.Hour)
		age := now.Sub(r.SubmittedAt)
		switch {
		case age > 21*24*time.Hour:
			r.Status, r.DecidedAt = ReportVerified, decided
		case x%100 < 8 && decided.Before(now):
			r.Status, r.Reason, r.DecidedAt = ReportReturned, returnReasons[x%uint32(len(returnReasons))], decided
		case x%100 < 40 && decided.Before(now):
			r.Status, r.DecidedAt = ReportVerified, decided
		default:
			r.Status = ReportSubmitted
		}
	}
	returnOne(reports, now)
}

// returnOne makes sure a campaign shows a returned report beside those
// awaiting verification: when none was returned and two or more await, the
// one sent first goes back, decided halfway to now; when fewer await (the
// first days of a month, before most units have reported), the newest
// verified report goes back instead, as decided then.
func returnOne(reports []Report, now time.Time) {
	first, awaiting, newest := -1, 0, -1
	for i, r := range reports {
		switch r.Status {
		case ReportReturned:
			return
		case ReportSubmitted:
			awaiting++
			if first < 0 || r.SubmittedAt.Before(reports[first].SubmittedAt) {
				first = i
			}
		case ReportVerified:
			if newest < 0 || r.SubmittedAt.After(reports[newest].SubmittedAt) {
				newest = i
			}
		}
	}
	switch {
	case awaiting >= 2:
		r := &reports[first]
		r.Status, r.Reason = ReportReturned, returnReasons[0]
		r.DecidedAt = r.SubmittedAt.Add(now.Sub(r.SubmittedAt) / 2)
	case newest >= 0:
		reports[newest].Status, reports[newest].Reason = ReportReturned, returnReasons[0]
	}
}
