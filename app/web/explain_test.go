package web

import (
	"testing"

	"github.com/thidua/thidua/app/store"
)

func TestExplain(t *testing.T) {
	facts := map[string]map[string]any{
		"projects": {"registered": 0.0, "adopted": 1.0},
		"kpi":      {"cashless": 0.6},
		"target":   {"cashless": 0.8},
		"judging":  {"best": 0.75},
		"reports":  {"missing": 2.0, "due": 3.0, "on_time": 1.0},
	}
	inds := map[string]store.Indicator{"cashless": {Key: "cashless", Title: "Tỷ lệ giao dịch không dùng tiền mặt", Unit: "percent"}}
	vi := explainer{lang: vi, f: formatsFor(vi), facts: facts, inds: inds}
	en := explainer{lang: en, f: formatsFor(en), facts: facts, inds: inds}
	lo := -10.0
	for _, c := range []struct {
		name          string
		got           plainText
		wantWhat, how string
	}{
		{"a threshold", vi.criterion("Có công trình", "", "projects.registered >= 1 ? 1 : 0", 20, 0),
			"Được trọn 20,0 điểm khi công trình đã đăng ký từ 1 trở lên.", "Cách có điểm: công trình đã đăng ký cần từ 1 trở lên (hiện nay: 0)."},
		{"a threshold met", vi.criterion("Có công trình", "", "projects.registered >= 1 ? 1 : 0", 20, 20),
			"Được trọn 20,0 điểm khi công trình đã đăng ký từ 1 trở lên.", "Đã đạt trọn điểm tiêu chí này."},
		{"a share of the target", vi.criterion("Không tiền mặt", "", "kpi.cashless / target.cashless", 10, 7.5),
			"Điểm theo tỷ lệ giao dịch không dùng tiền mặt so với mục tiêu 80%: đạt mục tiêu được trọn 10,0 điểm.",
			"Cách có thêm điểm: đưa tỷ lệ giao dịch không dùng tiền mặt lên 80% (hiện nay: 60%)."},
		{"a count against a number", vi.criterion("Nhân rộng", "", "projects.adopted / 3", 10, 3.3333),
			"Cứ mỗi 1 lượt được đơn vị khác nhân rộng được 3,3 điểm, trọn 10,0 điểm khi đạt 3.",
			"Cách có thêm điểm: đạt 3 lượt được đơn vị khác nhân rộng (hiện nay: 1)."},
		{"a fact as it is", en.criterion("Quality", "", "judging.best", 40, 30),
			"In proportion to best judging score of a project: 100% gives all 40.0 points.",
			"To gain points: raise best judging score of a project (now: 75%)."},
		{"the organiser's words", vi.criterion("Đúng hạn", "Nộp báo cáo đúng hạn mọi kỳ.", "reports.due == 0 ? 1 : reports.on_time / reports.due", 10, 3.3),
			"Nộp báo cáo đúng hạn mọi kỳ.", "Điểm tính từ các số liệu: Kỳ báo cáo đã đến hạn; Báo cáo đúng hạn."},
		{"a shape not known", vi.criterion("Đúng hạn", "", "max(0, 1)", 10, 3),
			"Đúng hạn", "Còn có thể thêm 7,0 điểm."},
		{"a penalty", vi.adjustment("Thiếu báo cáo", "", "-2 * reports.missing", &lo, nil, -4),
			"Trừ 2 điểm cho mỗi báo cáo còn thiếu, tối đa 10 điểm.", "Cách không bị trừ: không để báo cáo còn thiếu (hiện nay: 2)."},
		{"a penalty not incurred", vi.adjustment("Thiếu báo cáo", "", "reports.missing * -2", &lo, nil, 0),
			"Trừ 2 điểm cho mỗi báo cáo còn thiếu, tối đa 10 điểm.", "Hiện không bị trừ điểm."},
		{"a penalty not known", vi.adjustment("Thiếu báo cáo", "", "reports.missing > 1 ? -3 : 0", nil, nil, -3),
			"Thiếu báo cáo", "Đang bị trừ 3,0 điểm."},
	} {
		if c.got.What != c.wantWhat || c.got.How != c.how {
			t.Errorf("%s:\n got  %q\n      %q\n want %q\n      %q", c.name, c.got.What, c.got.How, c.wantWhat, c.how)
		}
	}
}
