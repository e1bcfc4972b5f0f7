package demo

import (
	"fmt"
	"strings"
)

// member describes one kind of member organisation (tổ chức thành viên).
type member struct {
	kind        string
	suffix      string // code suffix
	short       string // name prefix at ward level, e.g. "Hội LHPN"
	cityName    string // the city-level organisation's name
	cluster     string // the ward-level kind cluster's code
	clusterName string
}

func members() []member {
	return []member{
		{KindWomensUnion, "PN", "Hội LHPN", "Hội Liên hiệp Phụ nữ thành phố Hà Nội",
			"khoi-phu-nu", "Khối Hội LHPN phường, xã"},
		{KindYouthUnion, "TN", "Đoàn Thanh niên", "Thành đoàn Hà Nội",
			"khoi-doan-thanh-nien", "Khối Đoàn Thanh niên phường, xã"},
		{KindFarmersUnion, "ND", "Hội Nông dân", "Hội Nông dân thành phố Hà Nội",
			"khoi-nong-dan", "Khối Hội Nông dân phường, xã"},
		{KindVeteransUnion, "CCB", "Hội Cựu chiến binh", "Hội Cựu chiến binh thành phố Hà Nội",
			"khoi-cuu-chien-binh", "Khối Hội Cựu chiến binh phường, xã"},
		{KindLabourUnion, "CD", "Công đoàn", "Liên đoàn Lao động thành phố Hà Nội",
			"khoi-cong-doan", "Khối Công đoàn phường, xã"},
	}
}

// Codes of the root unit and of the non-area clusters.
const (
	cityCode       = "HN"
	cityCluster    = "khoi-thanh-pho"
	digitalCluster = "khoi-to-cong-nghe-so"
)

// unitInfo is what the generator knows about a unit beyond its row.
type unitInfo struct {
	unit     Unit
	place    string // where, in running text: "phường Định Công", "Thủ đô"
	org      string // who, in running text: "Ủy ban MTTQ phường Định Công"
	ward     bool   // a phường (urban) rather than a xã, or the city
	showcase bool
}

// buildUnits returns the clusters and the units, parents before children,
// with the generator's extra knowledge of each unit.
func buildUnits() ([]Cluster, []unitInfo) {
	ms := members()
	var clusters []Cluster
	as := areas()
	for i, a := range as {
		clusters = append(clusters, Cluster{
			Code: fmt.Sprintf("cum-%d", i+1),
			Name: fmt.Sprintf("Cụm thi đua số %d (%s)", i+1, a.label),
		})
	}
	for _, m := range ms {
		clusters = append(clusters, Cluster{Code: m.cluster, Name: m.clusterName})
	}
	clusters = append(clusters,
		Cluster{Code: digitalCluster, Name: "Khối Tổ công nghệ số cộng đồng"},
		Cluster{Code: cityCluster, Name: "Khối các tổ chức chính trị – xã hội thành phố"},
	)

	infos := []unitInfo{{
		unit:  Unit{Code: cityCode, Name: "Ủy ban MTTQ Việt Nam thành phố Hà Nội", Level: LevelCity, Kind: KindFront},
		place: "Thủ đô", org: "Ủy ban MTTQ Việt Nam thành phố Hà Nội", ward: true, showcase: true,
	}}
	for _, m := range ms {
		infos = append(infos, unitInfo{
			unit: Unit{Code: cityCode + "-" + m.suffix, Name: m.cityName, Level: LevelCity, Kind: m.kind,
				Parent: cityCode, Clusters: []string{cityCluster}},
			place: "Thủ đô", org: m.cityName, ward: true, showcase: true,
		})
	}

	farmers, teams, shown, folds := wardsWithFarmers(), digitalTeams(), showcase(), asciiFolds()
	for i, a := range as {
		for _, p := range a.places {
			isWard, name := p[:2] == "P:", p[2:]
			prefix, lower, codePrefix := "Xã", "xã", "X-"
			if isWard {
				prefix, lower, codePrefix = "Phường", "phường", "P-"
			}
			code := codePrefix + codeOf(name, folds)
			place := lower + " " + name
			infos = append(infos, unitInfo{
				unit: Unit{Code: code, Name: prefix + " " + name, Level: LevelCommune, Kind: KindFront,
					Parent: cityCode, Clusters: []string{clusters[i].Code}},
				place: place, org: "Ủy ban MTTQ " + place, ward: isWard, showcase: shown[name],
			})
			for _, m := range ms {
				if m.kind == KindFarmersUnion && isWard && !farmers[name] {
					continue
				}
				org := m.short + " " + place
				infos = append(infos, unitInfo{
					unit: Unit{Code: code + "-" + m.suffix, Name: org, Level: LevelCommune, Kind: m.kind,
						Parent: code, Clusters: []string{m.cluster}},
					place: place, org: org, ward: isWard, showcase: shown[name],
				})
			}
			for _, n := range teams[name] {
				group := fmt.Sprintf("cụm dân cư số %d", n)
				if isWard {
					group = fmt.Sprintf("tổ dân phố số %d", n)
				}
				org := "Tổ công nghệ số cộng đồng " + group + ", " + place
				infos = append(infos, unitInfo{
					unit: Unit{Code: fmt.Sprintf("%s-CNS%d", code, n), Name: org, Level: LevelGroup,
						Kind: KindDigitalTeam, Parent: code, Clusters: []string{digitalCluster}},
					place: group + ", " + place, org: org, ward: isWard, showcase: shown[name],
				})
			}
		}
	}
	return clusters, infos
}

// codeOf folds a Vietnamese place name to ASCII upper-case letters and
// digits: "Văn Miếu - Quốc Tử Giám" → "VANMIEUQUOCTUGIAM".
func codeOf(name string, folds map[rune]rune) string {
	var b strings.Builder
	for _, r := range name {
		if f, ok := folds[r]; ok {
			r = f
		}
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// asciiFolds maps every precomposed Vietnamese letter to its base ASCII letter.
func asciiFolds() map[rune]rune {
	groups := map[rune]string{
		'a': "àáạảãâầấậẩẫăằắặẳẵ", 'A': "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴ",
		'e': "èéẹẻẽêềếệểễ", 'E': "ÈÉẸẺẼÊỀẾỆỂỄ",
		'i': "ìíịỉĩ", 'I': "ÌÍỊỈĨ",
		'o': "òóọỏõôồốộổỗơờớợởỡ", 'O': "ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ",
		'u': "ùúụủũưừứựửữ", 'U': "ÙÚỤỦŨƯỪỨỰỬỮ",
		'y': "ỳýỵỷỹ", 'Y': "ỲÝỴỶỸ",
		'd': "đ", 'D': "Đ",
	}
	m := make(map[rune]rune)
	for base, rs := range groups {
		for _, r := range rs {
			m[r] = base
		}
	}
	return m
}
