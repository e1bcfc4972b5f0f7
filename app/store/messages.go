package store

// PeriodFormat is the detail of a period key that does not parse (with the
// key as its argument).
const PeriodFormat = "invalid period %q: want 2025, 2025-H2, 2025-Q3, 2025-07, 2025-W27 or all"

// vietnamese translates the formats of the store's (and the runner's)
// errors, for Error.Text. A test checks that every format in use is here.
var vietnamese = map[string]string{
	// Not found.
	"not found":                                      "không tìm thấy",
	"no campaign %q":                                 "không có phong trào %q",
	"no honour %d":                                   "không có khen thưởng %d",
	"no honour with serial %q":                       "không có giấy khen số %q",
	"no project %d":                                  "không có công trình %d",
	"no report of %s for %s":                         "đơn vị %s chưa có báo cáo kỳ %s",
	"no project %d in this campaign":                 "phong trào này không có công trình %d",
	"no run of campaign %q for %s yet":               "phong trào %q chưa có lượt chấm nào cho kỳ %s",
	"no such session":                                "phiên đăng nhập không còn hiệu lực",
	"no unit with code %q":                           "không có đơn vị mã %q",
	"no user %q":                                     "không có tài khoản %q",
	"no user with e-mail %q":                         "không có tài khoản nào với thư điện tử %q",
	"no site key %q":                                 "không có khóa %q",
	"campaign %q has no ruleset version %d":          "phong trào %q không có bộ quy tắc phiên bản %d",
	"campaign %q has no ruleset yet":                 "phong trào %q chưa có bộ quy tắc chấm điểm",
	"campaign %q has no run yet":                     "phong trào %q chưa có lượt chấm nào",
	"unit %q has not signed a covenant":              "đơn vị %q chưa ký giao ước",
	"%q is not assigned to project %d":               "%q không được phân công chấm công trình %d",
	"%q is not on this campaign's judging committee": "%q không thuộc hội đồng chấm của phong trào này",

	// Invalid input.
	"refers to something that does not exist":                         "tham chiếu tới dữ liệu không tồn tại",
	"text must be UTF-8 without NUL characters":                       "văn bản phải là UTF-8 và không chứa ký tự NUL",
	"must be a finite number":                                         "phải là một số hữu hạn",
	"ends before it starts":                                           "ngày kết thúc trước ngày bắt đầu",
	"a rejection needs a reason":                                      "từ chối cần ghi rõ lý do",
	"a unit cannot adopt its own project":                             "đơn vị không thể nhân rộng công trình của chính mình",
	"project %d adopts a later project":                               "công trình %d nhân rộng một công trình có sau nó",
	"project %d was %s":                                               "công trình %d đang ở trạng thái %s",
	"project %d is not a project of unit %q in this campaign":         "công trình %d không phải công trình của đơn vị %q trong phong trào này",
	"unit %q does not take part in this campaign":                     "đơn vị %q không tham gia phong trào này",
	"unknown %s %q":                                                   "không có %s %q",
	"unknown indicator %q":                                            "không có chỉ tiêu %q",
	"unknown unit %q":                                                 "không có đơn vị %q",
	"%q is a %s user, not a judge":                                    "%q là tài khoản %s, không phải giám khảo",
	"%q is a percentage: a fraction from 0 to 1 (1 = 100%%)":          "%q là chỉ tiêu phần trăm: ghi tỉ lệ từ 0 đến 1 (1 = 100%%)",
	"%q is not a key: lowercase letters, digits and '_'":              "%q không phải mã hợp lệ: chỉ gồm chữ thường không dấu, số và '_'",
	"%q is not a slug: lowercase letters, digits and '-'":             "%q không phải mã hợp lệ: chỉ gồm chữ thường không dấu, số và '-'",
	"%s scores project %d without being assigned to it":               "%s chấm công trình %d mà không được phân công",
	"not a cursor from this list":                                     "con trỏ trang (cursor) không thuộc danh sách này",
	"%s is outside the campaign (%s to %s)":                           "kỳ %s nằm ngoài thời gian của phong trào (%s đến %s)",
	"%s is outside the campaign":                                      "kỳ %s nằm ngoài thời gian của phong trào",
	"this campaign is scored by %s, not by %s":                        "phong trào này chấm điểm theo %s, không theo %s",
	"this campaign is scored over the whole campaign: use period all": "phong trào này chấm điểm một lần cho cả thời gian phong trào: hãy chọn kỳ cả phong trào (all)",
	PeriodFormat: "kỳ %q không hợp lệ: ghi dạng 2025 (năm), 2025-H2 (nửa năm), 2025-Q3 (quý), 2025-07 (tháng), 2025-W27 (tuần) hoặc all (cả phong trào)",

	// Lines of an import.
	"duplicate code in this import: %s":        "mã bị trùng trong tệp: %s",
	"a unit with this code already exists: %s": "đã có đơn vị mã %s",
	"unknown parent unit: %s":                  "không có đơn vị cấp trên %s",

	// Conflicts.
	"already exists":                    "đã có",
	"a campaign %q exists already":      "đã có phong trào %q",
	"indicator %q exists already":       "đã có chỉ tiêu %q",
	"username %q is taken":              "tên đăng nhập %q đã có người dùng",
	"e-mail %q belongs to another user": "thư điện tử %q đã thuộc về tài khoản khác",
	"a %s project cannot become %s":     "công trình đang ở trạng thái %s không thể chuyển sang %s",
	"project %d is %s":                  "công trình %d đang ở trạng thái %s",
	"project %d is %s: its content is final; ask the organisers to change it": "công trình %d đã ở trạng thái %s: nội dung đã chốt, hãy đề nghị ban tổ chức sửa",
	"%s is closed already":                                      "kỳ %s đã được chốt",
	"%s is closed: its reports can no longer change":            "kỳ %s đã được chốt: không thể sửa báo cáo của kỳ này nữa",
	"the report was returned: it awaits the unit's corrections": "báo cáo đã được trả lại: đang chờ đơn vị sửa và gửi lại",
	"no file %q of yours":                                       "không có tệp %q do bạn tải lên",
	"no file %q":                                                "không có tệp %q",
	"file %q is listed twice":                                   "tệp %q bị liệt kê hai lần",
	"%s is not closed":                                          "kỳ %s chưa được chốt",
	"%s has not ended: to close it early, say so with a reason": "kỳ %s chưa kết thúc: muốn chốt sớm, hãy nêu rõ và ghi lý do",
	"honour %s was revoked already":                             "giấy khen %s đã bị thu hồi rồi",
	"the report is %s already":                                  "báo cáo đã ở trạng thái %s rồi",
	"%q was granted %q for %s already":                          "%q đã được khen %q cho kỳ %s",
	"run %d is no longer running":                               "lượt chấm %d không còn đang chạy",
	"no webhook %d":                                             "không có webhook %d",
	"delivery %s is no longer leased by this worker":            "lần gửi %s không còn do tiến trình này giữ",
	"the ruleset changed meanwhile; try again":                  "bộ quy tắc vừa thay đổi; hãy thử lại",
	"the campaign has no ruleset yet: PUT one first":            "phong trào chưa có bộ quy tắc chấm điểm: hãy lưu một bộ quy tắc trước",
	"%d assignments have a conflict of interest":                "%d phân công có xung đột lợi ích",
	"%q has a conflict of interest with project %d":             "%q có xung đột lợi ích với công trình %d",
	"%q has already scored project %d; the score stays":         "%q đã chấm công trình %d; điểm được giữ nguyên",
	"%q has scored %d projects: remove them with withdraw_scores=true to withdraw those scores too": "%q đã chấm %d công trình: chỉ rút khỏi hội đồng được khi rút cả điểm đã chấm (withdraw_scores=true)",
	"%q is already on the committee":                                 "%q đã có trong hội đồng",
	"%q is not on this campaign's judging committee: add them first": "%q không thuộc hội đồng chấm của phong trào này: hãy thêm vào hội đồng trước",
	"the judging of %q is not locked":                                "vòng chấm của %q chưa khóa",
	"the judging round was locked at %s by %s: scores are final":     "vòng chấm đã khóa lúc %s bởi %s: điểm đã chốt",
	"you have already recused yourself from project %d":              "bạn đã xin không chấm công trình %d",
	shortFormat: "%d công trình không đủ %d giám khảo không có xung đột lợi ích: %s; chưa phân công gì: " +
		"hãy thêm giám khảo, giảm số giám khảo mỗi công trình (per_project) hoặc gửi \"partial\": true để phân công phần có thể",

	// Forbidden.
	"project %d is not assigned to you":                              "công trình %d không được phân công cho bạn",
	"you have a conflict of interest with project %d":                "bạn có xung đột lợi ích với công trình %d",
	"the scores of project %d stay hidden until you submit your own": "điểm của công trình %d được ẩn cho đến khi bạn chấm xong",
}

// vietnameseValues name, in a Vietnamese message, the values of data that
// the English messages give by their keys: granularities, statuses,
// categories and levels, so that a message is Vietnamese throughout.
var vietnameseValues = map[string]string{
	"week": "tuần", "month": "tháng", "quarter": "quý", "half": "nửa năm", "year": "năm", "campaign": "cả phong trào",
	StatusRegistered: "đã đăng ký", StatusInProgress: "đang thực hiện", StatusCompleted: "đã hoàn thành",
	StatusVerified: "đã công nhận", StatusRejected: "không công nhận", StatusWithdrawn: "đã rút",
	"digital_skills": "kỹ năng số", "cashless": "thanh toán không dùng tiền mặt", "public_services": "dịch vụ công trực tuyến",
	"digital_government": "chính quyền số", "community": "cộng đồng số", "archive": "số hóa lưu trữ", "other": "khác",
	"submitted": "đã gửi", "returned": "trả lại",
	"city": "thành phố", "commune": "xã, phường", "group": "tổ dân phố, thôn",
}

// ValueText names a value of data in a message of the language: its
// Vietnamese name in Vietnamese when it has one, else the value itself.
func ValueText(lang, v string) string {
	if lang == "vi" {
		if s, ok := vietnameseValues[v]; ok {
			return s
		}
	}
	return v
}
