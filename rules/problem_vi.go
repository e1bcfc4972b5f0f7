package rules

import "regexp"

// Text is the problem's message in a language: "vi" for Vietnamese when
// the catalog below knows it, English otherwise (the expression library's
// rarer messages among them).
func (p Problem) Text(lang string) string {
	if lang != "vi" {
		return p.Message
	}
	for _, t := range vietnamese {
		if t.en.MatchString(p.Message) {
			return t.en.ReplaceAllString(p.Message, t.vi)
		}
	}
	return p.Message
}

// translation rewrites a whole English message matching en as vi, where
// ${1}… are en's groups.
type translation struct {
	en *regexp.Regexp
	vi string
}

func tr(en, vi string) translation { return translation{regexp.MustCompile("^" + en + "$"), vi} }

// vietnamese translates the problems Compile reports. A test checks every
// problem of its table of bad rulesets against it.
var vietnamese = []translation{
	// The document.
	tr(`the ruleset is empty`, "bộ quy tắc đang trống"),
	tr(`the ruleset is too large \(over (\d+) bytes\)`, "bộ quy tắc quá lớn (quá ${1} byte)"),
	tr(`the ruleset must be one document, not several`, "bộ quy tắc phải là một văn bản, không phải nhiều"),
	tr(`the ruleset cannot be parsed: (.*)`, "không đọc được bộ quy tắc: ${1}"),
	tr(`syntax error: (.*)`, "lỗi cú pháp: ${1}"),
	tr(`unknown schema (\d+): this version reads schema (\d+)`, "không biết schema ${1}: phiên bản này đọc schema ${2}"),
	tr(`unknown field`, "không có trường này"),
	tr(`is given twice`, "bị ghi hai lần"),
	tr(`field names must be text`, "tên trường phải là chữ"),

	// The cost of evaluating it.
	tr(`the ruleset takes (\d+) steps to score one unit \(this expression (\d+)\): at most (\d+)`,
		"bộ quy tắc cần ${1} bước để chấm một đơn vị (biểu thức này ${2} bước): tối đa ${3}"),

	// Values.
	tr(`is required`, "là bắt buộc"),
	tr(`is required \((.*)\)`, "là bắt buộc (${1})"),
	tr(`at least one criterion is required`, "cần ít nhất một tiêu chí"),
	tr(`must not be longer than the scoring period \((.*)\)`, "không được dài hơn kỳ chấm điểm (${1})"),
	tr(`must be a mapping of fields`, "phải là một nhóm trường"),
	tr(`must be a list`, "phải là một danh sách"),
	tr(`must be text`, "phải là chữ"),
	tr(`must be a number`, "phải là một số"),
	tr(`must be a finite number`, "phải là một số hữu hạn"),
	tr(`must be a whole number`, "phải là một số nguyên"),
	tr(`must be true or false`, "phải là true hoặc false"),
	tr(`must be greater than 0`, "phải lớn hơn 0"),
	tr(`must lie between 0 and the criterion's max \((.*)\)`, "phải nằm trong khoảng từ 0 đến điểm tối đa của tiêu chí (${1})"),
	tr(`must not be less than from`, "không được nhỏ hơn from"),
	tr(`must be greater than the previous level's to \((.*)\)`, "phải lớn hơn to của mức trước (${1})"),
	tr(`must be at least 1`, "phải từ 1 trở lên"),
	tr(`must be at most (\d+)`, "tối đa là ${1}"),
	tr(`must be between 0 and (\d+)`, "phải từ 0 đến ${1}"),
	tr(`must not be less than min \((.*)\)`, "không được nhỏ hơn min (${1})"),
	tr(`must be 1 to (\d+) of a-z, 0-9 and _, not (.*)`, "phải gồm 1 đến ${1} ký tự a-z, 0-9 và _, không phải ${2}"),
	tr(`duplicate key (".*") \(also (.*)\)`, "mã ${1} bị trùng (với ${2})"),
	tr(`must be mean, median or trimmed_mean, not (.*)`, "phải là mean, median hoặc trimmed_mean, không phải ${1}"),
	tr(`must be overall, level or cluster, not (.*)`, "phải là overall, level hoặc cluster, không phải ${1}"),
	tr(`must be zscore or absent, not (.*)`, "phải là zscore hoặc bỏ trống, không phải ${1}"),
	tr(`must be month, quarter, half, year or campaign, not (".*")`, "phải là month, quarter, half, year hoặc campaign, không phải ${1}"),
	tr(`must be week, month or quarter, not (".*")`, "phải là week, month hoặc quarter, không phải ${1}"),
	tr(`unknown time zone (.*)`, "không biết múi giờ ${1}"),
	tr(`must name a zone, such as (.*)`, "phải ghi tên một múi giờ, ví dụ ${1}"),
	tr(`invalid cron spec (".*"): (.*)`, "lịch cron ${1} không hợp lệ: ${2}"),
	tr(`must not name a time zone: the ruleset's timezone applies`, "không được ghi múi giờ: dùng timezone của bộ quy tắc"),
	tr(`must not run more often than every (.*)`, "không được chạy dày hơn mỗi ${1}"),

	// Expressions.
	tr(`is too long \(over (\d+) bytes\)`, "quá dài (quá ${1} byte)"),
	tr(`is too complex \(over (\d+) nodes\)`, "quá phức tạp (quá ${1} nút)"),
	tr(`cannot be compiled: (.*)`, "không biên dịch được: ${1}"),
	tr(`unknown indicator (".*")`, "không có chỉ tiêu ${1}"),
	tr(`unknown fact (".*")`, "không có dữ kiện ${1}"),
	tr(`unknown name (.*)`, "không có tên ${1}"),
	tr(`name the indicator, as in (.*)`, "hãy ghi rõ tên chỉ tiêu, ví dụ ${1}"),
	tr(`name the fact, as in (.*)`, "hãy ghi rõ tên dữ kiện, ví dụ ${1}"),
	tr(`(\S+) is known only in honours\[\]\.when`, "${1} chỉ dùng được trong honours[].when"),
	tr(`\$env is not available: name the facts directly`, "không dùng được $$env: hãy ghi thẳng tên dữ kiện"),
	tr(`ranges \(a\.\.b\) are not available`, "không dùng được khoảng (a..b)"),
	tr(`predicates \(all, any, count, filter, map, …\) cannot be nested`, "không được lồng các hàm all, any, count, filter, map, …"),
	tr(`variables \(let\) are not available: write the expression out`, "không dùng được biến (let): hãy viết thẳng biểu thức"),
	tr(`must be a number, not (.*)`, "phải là một số, không phải ${1}"),
	tr(`must be true or false, not (.*)`, "phải là true hoặc false, không phải ${1}"),
	tr(`mismatched types (\S+) and (\S+)`, "kiểu không khớp: ${1} và ${2}"),
	tr(`unexpected token (.*)`, "ký hiệu không mong đợi ${1}"),
	tr(`invalid operation: (.*)`, "phép toán không hợp lệ: ${1}"),
}
