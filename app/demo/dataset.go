// Package demo generates a deterministic, realistic demo dataset for the
// Hanoi emulation campaign "Công dân số cùng Thủ đô vươn mình": the city's
// Front committee and member organisations, the 126 wards and communes of
// Hanoi after the reorganisation of 1 July 2025 with their own member
// organisations, clusters, indicators, covenants, projects and monthly reports.
//
// The package only produces plain data; loading it into a database is the
// caller's business. Everything is derived from a fixed random seed and the
// moment `now` passed to Generate: the whole campaign is planned once,
// independently of `now`, and then cut at `now`, so a later `now` only adds
// events and never changes earlier ones.
package demo

import "time"

// Dataset is everything the demo database holds, in load order.
type Dataset struct {
	Clusters   []Cluster
	Units      []Unit // parents before children
	Users      []User
	Campaign   Campaign
	Indicators []Indicator
	Covenants  []Covenant
	Projects   []Project // ordered by CreatedAt
	Reports    []Report
	// The judging committee (see committee.go): its judges' usernames,
	// their assignments and scores, by index in Projects.
	Judges      []string
	Assignments []Assignment
	Scores      []Score
	// Ward is a ward's own campaign for its member organisations and
	// digital teams, run by its organiser.
	Ward WardCampaign
}

// Cluster is an emulation cluster (cụm/khối thi đua): a group of comparable
// units ranked against each other. Code matches [a-z0-9-]+.
type Cluster struct {
	Code string
	Name string
}

// Unit is an organisation taking part in the movement.
//
// Code is the stable id ([A-Z0-9-]+, at most 40 characters), Level is
// "city", "commune" or "group", Kind is one of the Kind constants, Parent is
// the parent unit's code ("" for the root) and Clusters the codes of the
// clusters the unit competes in.
type Unit struct {
	Code     string
	Name     string
	Level    string
	Kind     string
	Parent   string
	Clusters []string
}

// User is a demo account. Role is "admin", "organiser", "unit" or
// "judge"; Unit is the code of the unit the user belongs to, or ""; Scope
// is "subtree" for an officer who acts for the units below its own too.
type User struct {
	Username string
	Password string
	Role     string
	Unit     string
	Scope    string
	Email    string
}

// Campaign is the emulation movement; its dates are at midnight UTC and
// EndsOn is the last day of the campaign.
type Campaign struct {
	Slug     string
	Name     string
	StartsOn time.Time
	EndsOn   time.Time
}

// Indicator is a measured target (chỉ tiêu). Unit is "percent" or "count";
// percent values and targets are fractions, 1.0 meaning 100%.
type Indicator struct {
	Key    string
	Title  string
	Unit   string
	Target float64
}

// Covenant is a unit's pledge (giao ước thi đua): its targets per indicator
// key, as fractions like the indicators' targets. A target that differs from
// the campaign's overrides it for that unit.
type Covenant struct {
	Unit     string
	SignedAt time.Time
	Targets  map[string]float64
}

// Project is a digital-transformation project or work item (công trình,
// phần việc) of a unit.
//
// Status is the last entry of History; History starts with StatusRegistered
// at CreatedAt and its times increase. AdoptedFrom is the index in
// Dataset.Projects of an earlier project of another unit that this one
// replicates (nhân rộng), or -1. RejectReason is set only when Status is
// StatusRejected. StartsOn and EndsOn are the planned dates at midnight UTC
// and may lie after the dataset's `now`.
type Project struct {
	Unit         string
	Title        string
	Summary      string
	Category     string
	Status       string
	StartsOn     time.Time
	EndsOn       time.Time
	CreatedAt    time.Time
	AdoptedFrom  int
	RejectReason string
	History      []StatusChange
	Progress     []Progress
}

// StatusChange is one step of a project's lifecycle.
type StatusChange struct {
	Status string
	At     time.Time
}

// Progress is a progress report of a project: a note, links to evidence
// (placeholder URLs under https://example.gov.vn/) and cumulative figures
// such as {"people_trained": 120}.
type Progress struct {
	Note         string
	EvidenceURLs []string
	Figures      map[string]float64
	At           time.Time
}

// Report is a unit's monthly report of indicator values (fractions 0..1)
// for Period, a month written "2006-01". Status is "submitted" (awaiting
// verification), "verified" or "returned" with a Reason, decided at
// DecidedAt by the level above.
type Report struct {
	Unit        string
	Period      string
	Values      map[string]float64
	SubmittedAt time.Time
	Status      string
	Reason      string
	DecidedAt   time.Time
}

// Project statuses. A project moves registered → in_progress → completed →
// verified, or registered → rejected.
const (
	StatusRegistered = "registered"
	StatusInProgress = "in_progress"
	StatusCompleted  = "completed"
	StatusVerified   = "verified"
	StatusRejected   = "rejected"
)

// Unit levels.
const (
	LevelCity    = "city"
	LevelCommune = "commune"
	LevelGroup   = "group"
)

// Unit kinds.
const (
	KindFront         = "front"
	KindWomensUnion   = "womens_union"
	KindYouthUnion    = "youth_union"
	KindFarmersUnion  = "farmers_union"
	KindVeteransUnion = "veterans_union"
	KindLabourUnion   = "labour_union"
	KindDigitalTeam   = "digital_team"
)

// User roles.
const (
	RoleAdmin     = "admin"
	RoleOrganiser = "organiser"
	RoleUnit      = "unit"
	RoleJudge     = "judge"
)

// Project categories.
const (
	CategoryDigitalSkills     = "digital_skills"
	CategoryCashless          = "cashless"
	CategoryPublicServices    = "public_services"
	CategoryDigitalGovernment = "digital_government"
	CategoryCommunity         = "community"
	CategoryArchive           = "archive"
)

// Category is a project category: an English key and its Vietnamese label.
type Category struct {
	Key   string
	Label string
}

// Categories returns every project category, in display order.
func Categories() []Category {
	return []Category{
		{CategoryDigitalSkills, "Phổ cập kỹ năng số"},
		{CategoryCashless, "Thanh toán không dùng tiền mặt"},
		{CategoryPublicServices, "Dịch vụ công trực tuyến, định danh điện tử"},
		{CategoryDigitalGovernment, "Chuyển đổi số trong hoạt động của Mặt trận và đoàn thể"},
		{CategoryCommunity, "Cộng đồng số, gia đình số"},
		{CategoryArchive, "Chỉnh lý, số hóa tài liệu lưu trữ"},
	}
}
