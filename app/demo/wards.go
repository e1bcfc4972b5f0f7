package demo

// area is a geographic emulation cluster of ward and commune Fronts.
type area struct {
	label  string   // the part after "Cụm thi đua số N"
	places []string // "P:" for a phường, "X:" for a xã
}

// areas lists Hanoi's 126 wards (phường) and communes (xã) after the
// reorganisation of 1 July 2025 (Resolution 1656/NQ-UBTVQH15), grouped into
// twelve area clusters roughly along the former districts.
func areas() []area {
	return []area{
		{"khu vực trung tâm", []string{
			"P:Hoàn Kiếm", "P:Cửa Nam", "P:Ba Đình", "P:Ngọc Hà", "P:Giảng Võ",
			"P:Hai Bà Trưng", "P:Vĩnh Tuy", "P:Bạch Mai", "P:Đống Đa", "P:Kim Liên",
			"P:Văn Miếu - Quốc Tử Giám", "P:Láng", "P:Ô Chợ Dừa",
		}},
		{"khu vực phía Nam nội thành", []string{
			"P:Hồng Hà", "P:Lĩnh Nam", "P:Hoàng Mai", "P:Vĩnh Hưng", "P:Tương Mai",
			"P:Định Công", "P:Hoàng Liệt", "P:Yên Sở", "P:Thanh Xuân", "P:Khương Đình",
			"P:Phương Liệt", "P:Thanh Liệt",
		}},
		{"khu vực phía Tây nội thành", []string{
			"P:Cầu Giấy", "P:Nghĩa Đô", "P:Yên Hòa", "P:Tây Hồ", "P:Phú Thượng",
			"P:Xuân Đỉnh", "P:Đông Ngạc", "P:Thượng Cát", "P:Tây Tựu", "P:Phú Diễn",
			"P:Từ Liêm", "P:Xuân Phương",
		}},
		{"khu vực Long Biên – Gia Lâm – Thanh Trì", []string{
			"P:Long Biên", "P:Bồ Đề", "P:Việt Hưng", "P:Phúc Lợi",
			"X:Gia Lâm", "X:Thuận An", "X:Bát Tràng", "X:Phù Đổng",
			"X:Thanh Trì", "X:Đại Thanh", "X:Nam Phù", "X:Ngọc Hồi",
		}},
		{"khu vực Sóc Sơn – Đông Anh", []string{
			"X:Sóc Sơn", "X:Đa Phúc", "X:Nội Bài", "X:Trung Giã", "X:Kim Anh",
			"X:Đông Anh", "X:Phúc Thịnh", "X:Thư Lâm", "X:Thiên Lộc", "X:Vĩnh Thanh",
		}},
		{"khu vực Hà Đông – Hoài Đức", []string{
			"P:Tây Mỗ", "P:Đại Mỗ", "P:Hà Đông", "P:Dương Nội", "P:Yên Nghĩa",
			"P:Phú Lương", "P:Kiến Hưng",
			"X:Hoài Đức", "X:Dương Hòa", "X:Sơn Đồng", "X:An Khánh",
		}},
		{"khu vực Mê Linh – Đan Phượng – Phúc Thọ", []string{
			"X:Mê Linh", "X:Yên Lãng", "X:Tiến Thắng", "X:Quang Minh",
			"X:Đan Phượng", "X:Ô Diên", "X:Liên Minh",
			"X:Phúc Thọ", "X:Phúc Lộc", "X:Hát Môn",
		}},
		{"khu vực Sơn Tây – Ba Vì", []string{
			"P:Sơn Tây", "P:Tùng Thiện", "X:Đoài Phương",
			"X:Quảng Oai", "X:Cổ Đô", "X:Minh Châu", "X:Vật Lại",
			"X:Bất Bạt", "X:Suối Hai", "X:Ba Vì", "X:Yên Bài",
		}},
		{"khu vực Quốc Oai – Thạch Thất", []string{
			"X:Quốc Oai", "X:Kiều Phú", "X:Phú Cát", "X:Hưng Đạo",
			"X:Thạch Thất", "X:Hạ Bằng", "X:Tây Phương", "X:Hòa Lạc", "X:Yên Xuân",
		}},
		{"khu vực Chương Mỹ – Thanh Oai", []string{
			"P:Chương Mỹ", "X:Phú Nghĩa", "X:Xuân Mai", "X:Trần Phú", "X:Hòa Phú", "X:Quảng Bị",
			"X:Thanh Oai", "X:Bình Minh", "X:Tam Hưng", "X:Dân Hòa",
		}},
		{"khu vực Thường Tín – Phú Xuyên", []string{
			"X:Thường Tín", "X:Hồng Vân", "X:Thượng Phúc", "X:Chương Dương",
			"X:Phú Xuyên", "X:Phượng Dực", "X:Chuyên Mỹ", "X:Đại Xuyên",
		}},
		{"khu vực Ứng Hòa – Mỹ Đức", []string{
			"X:Vân Đình", "X:Ứng Thiên", "X:Hòa Xá", "X:Ứng Hòa",
			"X:Mỹ Đức", "X:Hồng Sơn", "X:Phúc Sơn", "X:Hương Sơn",
		}},
	}
}

// wardsWithFarmers are the phường, mostly peri-urban, that keep a Farmers'
// Association; every xã has one.
func wardsWithFarmers() map[string]bool {
	return setOf(
		"Hồng Hà", "Lĩnh Nam", "Yên Sở", "Thanh Liệt", "Phú Thượng",
		"Đông Ngạc", "Thượng Cát", "Tây Tựu", "Phú Diễn", "Xuân Phương",
		"Tây Mỗ", "Đại Mỗ", "Long Biên", "Phúc Lợi", "Dương Nội",
		"Yên Nghĩa", "Phú Lương", "Kiến Hưng", "Chương Mỹ", "Sơn Tây", "Tùng Thiện",
	)
}

// digitalTeams gives, for the places that have them, the numbers of the
// residential groups (tổ dân phố, or population clusters in a xã) whose
// community digital technology team (Tổ công nghệ số cộng đồng) is a unit.
func digitalTeams() map[string][]int {
	return map[string][]int{
		"Định Công":  {1, 5, 12},
		"Hoàn Kiếm":  {3},
		"Tây Hồ":     {2, 7},
		"Xuân Đỉnh":  {4, 9},
		"Hà Đông":    {6},
		"Sơn Tây":    {2},
		"Chương Mỹ":  {1},
		"Sóc Sơn":    {1, 3},
		"Trần Phú":   {2, 4},
		"Bát Tràng":  {1},
		"Vĩnh Thanh": {5},
	}
}

// showcase names the places whose Fronts and member organisations are
// diligent in the demo (the seeds' examples and the demo accounts' units).
func showcase() map[string]bool {
	return setOf("Định Công", "Hoàn Kiếm", "Tây Hồ", "Xuân Đỉnh", "Sóc Sơn", "Trần Phú", "Bát Tràng")
}

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
