package web

import "testing"

func TestDescribeCron(t *testing.T) {
	for _, tt := range []struct{ spec, vi, en string }{
		{"0 2 * * *", "hằng ngày lúc 02:00", "every day at 02:00"},
		{"30 7 * * 1", "thứ Hai hằng tuần lúc 07:30", "every Monday at 07:30"},
		{"0 6 * * 1-5", "thứ Hai, thứ Ba, thứ Tư, thứ Năm, thứ Sáu hằng tuần lúc 06:00", "every Monday, Tuesday, Wednesday, Thursday, Friday at 06:00"},
		{"0 0 1 * *", "ngày 1 hằng tháng lúc 00:00", "on day 1 of every month at 00:00"},
		{"0 1 10 1 *", "ngày 10 tháng 1 hằng năm lúc 01:00", "on day 10 of month 1 every year at 01:00"},
		{"30 0 1 1,4,7,10 *", "ngày 1 các tháng 1, 4, 7, 10 lúc 00:30", "on day 1 of months 1, 4, 7, 10 at 00:30"},
		{"15 * * * *", "vào phút 15 của mỗi giờ", "at minute 15 of every hour"},
		{"0 */6 * * *", "mỗi 6 giờ, vào phút 0", "every 6 hours, at minute 0"},
		{"*/10 * * * *", "mỗi 10 phút", "every 10 minutes"},
		{"@every 6h", "mỗi 6 giờ", "every 6 hours"},
		{"@daily", "hằng ngày lúc 00:00", "every day at 00:00"},
		{"61 * * * *", "", ""},
		{"0 0 L * *", "", ""},
		{"nonsense", "", ""},
	} {
		if got := describeCron(vi, tt.spec); got != tt.vi {
			t.Errorf("describeCron(vi, %q) = %q, want %q", tt.spec, got, tt.vi)
		}
		if got := describeCron(en, tt.spec); got != tt.en {
			t.Errorf("describeCron(en, %q) = %q, want %q", tt.spec, got, tt.en)
		}
	}
}
