package demo

import (
	"fmt"
	"slices"
)

// template is a kind of project from the movement's models.
type template struct {
	key      string
	model    string   // the model's name, quoted by adoptions
	title    string   // format with one %s for the place; "" means model + " %s"
	byOrg    bool     // title and summary name the organisation, not the place
	summary  string   // format with one %s for the place (or organisation)
	category string   // a Category key
	kinds    []string // unit kinds that run it
	where    int      // anywhere, wardOnly, communeOnly or localOnly
	figures  []string // figure keys reported in progress notes
}

// Where a template applies.
const (
	anywhere = iota
	wardOnly
	communeOnly
	localOnly // not at city level
)

// allOrgs lists the kinds of the Front and its member organisations.
func allOrgs() []string {
	return []string{KindFront, KindWomensUnion, KindYouthUnion, KindFarmersUnion, KindVeteransUnion, KindLabourUnion}
}

// templates returns the project templates, after the models the movement
// names (seeds: "Ngày hội chuyển đổi số", "Mỗi tuần một kỹ năng số", "Phụ nữ
// số", "Nông dân số", "Công nhân số - Nhà máy thông minh", "Bình dân học vụ
// số", "Thanh niên tiên phong chuyển đổi số", "Gia đình số", "Tổ dân phố
// số", "Chợ số", "Mỗi công dân - một định danh số", iHanoi…).
func templates() []template {
	return []template{
		{key: "ngay-cds", model: "Ngày Chuyển đổi số",
			summary:  "Tổ chức “Ngày Chuyển đổi số” định kỳ hằng tháng tại %s: hướng dẫn người dân sử dụng dịch vụ công trực tuyến, ứng dụng iHanoi và thanh toán không dùng tiền mặt.",
			category: CategoryCommunity, kinds: []string{KindFront, KindYouthUnion},
			figures: []string{"people_guided", "sessions_held"}},
		{key: "moi-tuan-mot-ky-nang", model: "Mỗi tuần một kỹ năng số",
			summary:  "Mỗi tuần giới thiệu một kỹ năng số thiết thực (bảo mật tài khoản, thanh toán bằng mã QR, khai báo trực tuyến…) qua nhóm Zalo và buổi sinh hoạt tại %s.",
			category: CategoryDigitalSkills, kinds: []string{KindFront, KindWomensUnion, KindVeteransUnion, KindYouthUnion, KindDigitalTeam},
			figures: []string{"people_trained", "sessions_held"}},
		{key: "phu-nu-so", model: "Phụ nữ số",
			summary:  "Tập huấn cho hội viên phụ nữ %s sử dụng điện thoại thông minh, mở tài khoản thanh toán điện tử và kinh doanh trên nền tảng số.",
			category: CategoryDigitalSkills, kinds: []string{KindWomensUnion},
			figures: []string{"members_trained", "cashless_accounts"}},
		{key: "nong-dan-so", model: "Nông dân số",
			summary:  "Hỗ trợ hội viên nông dân %s đưa nông sản lên sàn thương mại điện tử, gắn mã QR truy xuất nguồn gốc và bán hàng trực tuyến.",
			category: CategoryDigitalSkills, kinds: []string{KindFarmersUnion},
			figures: []string{"members_trained", "products_online"}},
		{key: "cong-nhan-so", model: "Công nhân số – nhà máy thông minh",
			summary:  "Bồi dưỡng kỹ năng số cho công nhân, người lao động tại các doanh nghiệp trên địa bàn %s, hướng tới sản xuất thông minh.",
			category: CategoryDigitalSkills, kinds: []string{KindLabourUnion},
			figures: []string{"workers_trained"}},
		{key: "thanh-nien-tien-phong", model: "Thanh niên tiên phong chuyển đổi số",
			summary:  "Đội hình đoàn viên “đại sứ số” xung kích hướng dẫn người dân %s sử dụng nền tảng số và dịch vụ công trực tuyến.",
			category: CategoryDigitalSkills, kinds: []string{KindYouthUnion},
			figures: []string{"volunteers", "people_guided"}},
		{key: "gia-dinh-so", model: "Gia đình số",
			summary:  "Vận động các hộ gia đình %s cùng học kỹ năng số, sử dụng an toàn mạng xã hội và thanh toán điện tử trong sinh hoạt hằng ngày.",
			category: CategoryCommunity, kinds: []string{KindFront, KindWomensUnion}, where: localOnly,
			figures: []string{"households_reached"}},
		{key: "to-dan-pho-so", model: "Tổ dân phố số", title: "Mô hình “Tổ dân phố số” %s",
			summary:  "Xây dựng mô hình tổ dân phố số tại %s: nhóm Zalo ở từng tổ dân phố, thông báo và lấy ý kiến Nhân dân trên môi trường số.",
			category: CategoryCommunity, kinds: []string{KindFront}, where: wardOnly,
			figures: []string{"groups_online", "households_reached"}},
		{key: "thon-so", model: "Thôn số", title: "Mô hình “Thôn số” %s",
			summary:  "Xây dựng mô hình thôn số tại %s: loa truyền thanh thông minh, nhóm Zalo ở từng thôn, thông báo và lấy ý kiến Nhân dân trên môi trường số.",
			category: CategoryCommunity, kinds: []string{KindFront}, where: communeOnly,
			figures: []string{"groups_online", "households_reached"}},
		{key: "cho-so", model: "Chợ số – thanh toán không dùng tiền mặt",
			summary:  "Vận động tiểu thương tại các chợ trên địa bàn %s niêm yết mã QR, thanh toán không dùng tiền mặt.",
			category: CategoryCashless, kinds: []string{KindFront, KindWomensUnion, KindFarmersUnion}, where: localOnly,
			figures: []string{"merchants_qr"}},
		{key: "dinh-danh", model: "Mỗi người dân một định danh điện tử",
			summary:  "Phối hợp với công an %s hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức 2 trên ứng dụng VNeID.",
			category: CategoryPublicServices, kinds: []string{KindFront, KindYouthUnion, KindDigitalTeam}, where: localOnly,
			figures: []string{"vneid_level2"}},
		{key: "ihanoi-vneid", model: "Hỗ trợ người dân cài đặt iHanoi và VNeID", title: "Hỗ trợ người dân cài đặt iHanoi và VNeID tại %s",
			summary:  "Đi từng ngõ, gõ từng nhà hỗ trợ người dân %s cài đặt, sử dụng ứng dụng iHanoi và VNeID, gửi phản ánh hiện trường qua ứng dụng.",
			category: CategoryPublicServices, kinds: []string{KindYouthUnion, KindDigitalTeam, KindFront, KindVeteransUnion}, where: localOnly,
			figures: []string{"ihanoi_installs", "vneid_level2"}},
		{key: "so-hoa-luu-tru", model: "Số hóa hồ sơ lưu trữ", title: "Số hóa hồ sơ lưu trữ của %s", byOrg: true,
			summary:  "Chỉnh lý, số hóa tài liệu lưu trữ của %s, xây dựng cơ sở dữ liệu dùng chung trong hệ thống Mặt trận và các tổ chức thành viên.",
			category: CategoryArchive, kinds: allOrgs(),
			figures: []string{"documents_digitised"}},
		{key: "binh-dan-hoc-vu-so", model: "Bình dân học vụ số",
			summary:  "Triển khai phong trào “Bình dân học vụ số” tại %s: mở lớp phổ cập kiến thức số cơ bản cho người dân trên nền tảng học trực tuyến.",
			category: CategoryDigitalSkills, kinds: []string{KindFront, KindYouthUnion, KindDigitalTeam, KindWomensUnion, KindVeteransUnion},
			figures: []string{"people_trained", "sessions_held"}},
		{key: "quyen-gop-so", model: "Quyên góp, ủng hộ trên nền tảng số", title: "Quyên góp, ủng hộ trên nền tảng số của %s", byOrg: true,
			summary:  "Chuyển các cuộc vận động ủng hộ, quyên góp, cứu trợ của %s sang nền tảng số, công khai, minh bạch theo thời gian thực.",
			category: CategoryCashless, kinds: []string{KindFront},
			figures: []string{"donations_online"}},
		{key: "van-phong-so", model: "Văn phòng số", title: "Văn phòng số %s", byOrg: true,
			summary:  "Toàn bộ văn bản của %s được trao đổi điện tử; cán bộ sử dụng chữ ký số và xử lý hồ sơ công việc trên môi trường mạng.",
			category: CategoryDigitalGovernment, kinds: allOrgs(),
			figures: []string{"staff_signature", "documents_electronic"}},
		{key: "ccb-guong-mau", model: "Cựu chiến binh gương mẫu chuyển đổi số",
			summary:  "Hội viên cựu chiến binh %s gương mẫu học và sử dụng ứng dụng số, nhận lương hưu, trợ cấp qua tài khoản ngân hàng.",
			category: CategoryDigitalSkills, kinds: []string{KindVeteransUnion},
			figures: []string{"members_trained"}},
		{key: "cong-doan-so", model: "Công đoàn số",
			summary:  "Đưa sinh hoạt công đoàn %s lên ứng dụng số: kết nạp, sinh hoạt và chăm lo đoàn viên trực tuyến.",
			category: CategoryDigitalGovernment, kinds: []string{KindLabourUnion},
			figures: []string{"members_on_app"}},
		{key: "kenh-tuong-tac", model: "Kênh tương tác số với Nhân dân", title: "Kênh tương tác số với Nhân dân của %s", byOrg: true,
			summary:  "Xây dựng trang Zalo OA, fanpage của %s để tiếp nhận ý kiến, phản ánh của Nhân dân và tuyên truyền về chuyển đổi số.",
			category: CategoryCommunity, kinds: []string{KindFront, KindYouthUnion},
			figures: []string{"followers"}},
	}
}

// fits tells whether the template suits the unit.
func (t template) fits(u unitInfo) bool {
	if !slices.Contains(t.kinds, u.unit.Kind) {
		return false
	}
	city := u.unit.Level == LevelCity
	switch t.where {
	case wardOnly:
		return !city && u.ward
	case communeOnly:
		return !city && !u.ward
	case localOnly:
		return !city
	}
	return true
}

// titleFor names the unit's project of this template.
func (t template) titleFor(u unitInfo) string {
	subject := u.place
	if t.byOrg {
		subject = u.org
	}
	switch {
	case t.title != "":
		return fmt.Sprintf(t.title, subject)
	case u.unit.Kind == KindDigitalTeam:
		return t.model + " tại " + subject
	}
	return t.model + " " + subject
}

// summaryFor describes the unit's project of this template.
func (t template) summaryFor(u unitInfo) string {
	if t.byOrg {
		return fmt.Sprintf(t.summary, u.org)
	}
	return fmt.Sprintf(t.summary, u.place)
}

// figure is a number reported in progress notes.
type figure struct {
	phrase string // format with one %d
	lo, hi int    // range of the final value at ward level
}

func figures() map[string]figure {
	return map[string]figure{
		"people_guided":        {"%d lượt người dân được hướng dẫn", 150, 1800},
		"sessions_held":        {"%d buổi hướng dẫn, tập huấn", 4, 40},
		"people_trained":       {"%d người dân hoàn thành nội dung kỹ năng số cơ bản", 80, 1200},
		"members_trained":      {"%d hội viên được tập huấn kỹ năng số", 40, 600},
		"cashless_accounts":    {"%d tài khoản thanh toán điện tử được mở mới", 20, 400},
		"products_online":      {"%d sản phẩm nông sản được đưa lên sàn thương mại điện tử", 5, 80},
		"workers_trained":      {"%d công nhân, người lao động được bồi dưỡng kỹ năng số", 50, 900},
		"volunteers":           {"%d đoàn viên tình nguyện tham gia", 10, 80},
		"households_reached":   {"%d hộ gia đình được hỗ trợ", 60, 1500},
		"groups_online":        {"%d nhóm khu dân cư hoạt động trên môi trường số", 5, 45},
		"merchants_qr":         {"%d tiểu thương niêm yết mã QR thanh toán", 20, 350},
		"vneid_level2":         {"%d tài khoản định danh điện tử mức 2 được kích hoạt", 80, 1500},
		"ihanoi_installs":      {"%d lượt cài đặt ứng dụng iHanoi", 100, 2500},
		"documents_digitised":  {"%d hồ sơ, tài liệu được chỉnh lý, số hóa", 200, 5000},
		"donations_online":     {"%d lượt ủng hộ qua nền tảng số", 50, 2000},
		"staff_signature":      {"%d cán bộ được cấp và sử dụng chữ ký số", 3, 25},
		"documents_electronic": {"%d văn bản được trao đổi điện tử", 60, 900},
		"members_on_app":       {"%d đoàn viên công đoàn sử dụng ứng dụng", 40, 700},
		"followers":            {"%d người dân theo dõi kênh tương tác số", 200, 5000},
	}
}

// noteOpeners start progress notes: outreach to residents for most
// projects, office work for the digital-government and archive ones.
func noteOpeners(category string) []string {
	if category == CategoryDigitalGovernment || category == CategoryArchive {
		return []string{
			"Tập huấn cán bộ sử dụng chữ ký số và phần mềm quản lý văn bản",
			"Rà soát, chuẩn hóa quy trình xử lý hồ sơ công việc trên môi trường mạng",
			"Phân loại, chỉnh lý hồ sơ theo danh mục và cập nhật lên hệ thống",
			"Sơ kết giai đoạn, rút kinh nghiệm cách làm",
			"Cập nhật kết quả thực hiện theo tiến độ đã đăng ký",
		}
	}
	return []string{
		"Tổ chức buổi hướng dẫn trực tiếp tại nhà văn hóa khu dân cư",
		"Ra quân “đi từng ngõ, gõ từng nhà” hỗ trợ người dân",
		"Duy trì hướng dẫn vào sáng thứ Bảy hằng tuần",
		"Mở lớp tập huấn tập trung tại hội trường",
		"Sơ kết giai đoạn, rút kinh nghiệm cách làm",
		"Lồng ghép tuyên truyền trong các buổi sinh hoạt định kỳ",
		"Cập nhật kết quả thực hiện theo tiến độ đã đăng ký",
	}
}

// rejectReasons are the organiser's reasons for rejecting a registration.
func rejectReasons() []string {
	return []string{
		"Nội dung trùng với công trình đơn vị đã đăng ký trước đó.",
		"Chưa xác định rõ mục tiêu, sản phẩm và chỉ tiêu định lượng của công trình.",
		"Nội dung không thuộc lĩnh vực chuyển đổi số của phong trào.",
		"Thời gian thực hiện vượt quá thời hạn của phong trào; đề nghị điều chỉnh và đăng ký lại.",
	}
}
