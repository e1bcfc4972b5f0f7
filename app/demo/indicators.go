package demo

// Indicator keys, as in DOMAIN.md. The "projects" requirement (at least one
// project per unit) is not an indicator: it is counted from the projects.
const (
	IndicatorStaffTrained          = "staff_trained"
	IndicatorStaffThreeTools       = "staff_three_tools"
	IndicatorDocsElectronic        = "docs_electronic"
	IndicatorRecordsOnline         = "records_online"
	IndicatorReportsDigital        = "reports_digital"
	IndicatorDonationsDigital      = "donations_digital"
	IndicatorArchiveDigitised      = "archive_digitised"
	IndicatorWorkforceTrained      = "workforce_trained"
	IndicatorCashless              = "cashless"
	IndicatorAdultsDigitalServices = "adults_digital_services"
)

// indicators returns the city's indicators with their targets (fractions).
func indicators() []Indicator {
	return []Indicator{
		{IndicatorStaffTrained, "Cán bộ được tập huấn, bồi dưỡng kỹ năng số hằng năm", "percent", 1},
		{IndicatorStaffThreeTools, "Cán bộ sử dụng thành thạo ít nhất 3 công cụ số, có chữ ký số", "percent", 1},
		{IndicatorDocsElectronic, "Văn bản trao đổi dưới dạng điện tử (trừ văn bản mật)", "percent", 1},
		{IndicatorRecordsOnline, "Hồ sơ công việc được xử lý trên môi trường mạng", "percent", 1},
		{IndicatorReportsDigital, "Báo cáo định kỳ, thống kê thực hiện trên môi trường số", "percent", 1},
		{IndicatorDonationsDigital, "Hoạt động ủng hộ, quyên góp, cứu trợ trên nền tảng số của Mặt trận", "percent", 0.5},
		{IndicatorArchiveDigitised, "Tài liệu lưu trữ được chỉnh lý, số hóa", "percent", 1},
		{IndicatorWorkforceTrained, "Người dân trong độ tuổi lao động được đào tạo kỹ năng số cơ bản", "percent", 0.7},
		{IndicatorCashless, "Tỷ lệ giao dịch không dùng tiền mặt", "percent", 0.8},
		{IndicatorAdultsDigitalServices, "Người trưởng thành tiếp cận dịch vụ số y tế, giáo dục, bảo hiểm, giao thông", "percent", 1},
	}
}

// reportedKeys returns the indicators a unit of the given kind reports each
// month: Fronts report everything, member organisations their own work and
// the training of their members.
func reportedKeys(kind string, level string) []string {
	own := []string{
		IndicatorStaffTrained, IndicatorStaffThreeTools, IndicatorDocsElectronic,
		IndicatorRecordsOnline, IndicatorReportsDigital, IndicatorArchiveDigitised,
	}
	switch {
	case kind == KindFront && level == LevelCity:
		return append(own, IndicatorDonationsDigital)
	case kind == KindFront:
		return append(own, IndicatorDonationsDigital, IndicatorWorkforceTrained,
			IndicatorCashless, IndicatorAdultsDigitalServices)
	default:
		return append(own, IndicatorWorkforceTrained)
	}
}
