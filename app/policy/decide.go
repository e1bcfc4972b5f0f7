package policy

// Administer reports whether the actor may open the organisers' screens at
// all: the admin and organisers. What each may do there is decided per
// campaign, unit and user below.
func Administer(a Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if a.Role == Admin || a.Role == Organiser {
		return nil
	}
	return deny("", "chỉ ban tổ chức được làm việc này", "only organisers may do this")
}

// Organise decides whether the actor may manage a campaign: its
// indicators, rulesets, runs, judging, honours, and the review of its
// projects. The admin manages every campaign; an organiser those organised
// by its unit or a unit below it.
func Organise(a Actor, c Campaign) error {
	if err := signedIn(a); err != nil {
		return err
	}
	switch {
	case a.Role == Admin:
		return nil
	case a.Role == Organiser && c.Organiser.Within(a.Unit):
		return nil
	}
	return deny("", "chỉ ban tổ chức của phong trào này được làm việc này",
		"only the organisers of this campaign may do this")
}

// ActFor decides whether the actor may act for a unit in a campaign:
// sign its covenant, report its figures, register and edit its projects.
// An officer acts for its own unit (and with scope subtree, for every unit
// below it) in any campaign; an organiser for the units of its subtree in
// the campaigns it organises; the admin for any. field names the request
// field that chose the unit.
func ActFor(a Actor, c Campaign, unit Place, field string) error {
	if err := signedIn(a); err != nil {
		return err
	}
	switch a.Role {
	case Admin:
		return nil
	case Organiser:
		if Organise(a, c) == nil && unit.Within(a.Unit) {
			return nil
		}
		return deny(field, "ban tổ chức chỉ làm thay các đơn vị thuộc phạm vi của mình, trong phong trào mình tổ chức",
			"an organiser acts only for the units below it, in the campaigns it organises")
	case Officer:
		if officerFor(a, unit) {
			return nil
		}
		if a.Scope == Subtree {
			return deny(field, "bạn chỉ làm thay đơn vị của mình và các đơn vị trực thuộc",
				"you may act only for your unit and the units below it")
		}
		return deny(field, "bạn chỉ làm thay đơn vị của mình", "you may act only for your own unit")
	}
	return deny(field, "vai trò của bạn không làm thay đơn vị", "your role does not act for units")
}

// officerFor reports whether an officer's scope covers the unit.
func officerFor(a Actor, unit Place) bool {
	if a.Role != Officer || a.Unit == "" {
		return false
	}
	return unit.Code() == a.Unit || (a.Scope == Subtree && unit.Within(a.Unit))
}

// ReportProgress decides whether the actor may report a project's
// progress: only the officers of its unit, who did the work (an organiser
// reviews it, it does not report it).
func ReportProgress(a Actor, unit Place) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if officerFor(a, unit) {
		return nil
	}
	return deny("", "chỉ cán bộ của đơn vị thực hiện công trình được báo cáo tiến độ",
		"only an officer of the project's unit may report its progress")
}

// ReviewProject decides whether the actor may verify or reject a project,
// or change one already verified or rejected: its campaign's organisers.
func ReviewProject(a Actor, c Campaign) error {
	if err := Organise(a, c); err != nil {
		if !a.SignedIn() {
			return err
		}
		return deny("status", "chỉ ban tổ chức của phong trào được thẩm định hoặc loại công trình",
			"only the campaign's organisers may verify or reject a project")
	}
	return nil
}

// SeeJudgingComments decides whether the actor may read the judges'
// comments on a project once its round is locked: the campaign's
// organisers and the officers of the project's unit.
func SeeJudgingComments(a Actor, c Campaign, unit Place) bool {
	return Organise(a, c) == nil || officerFor(a, unit)
}

// Score decides whether the actor may score projects and declare
// conflicts: judges (which projects, the committee's rules decide).
func Score(a Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if a.Role == Judge {
		return nil
	}
	return deny("", "chỉ giám khảo được chấm điểm", "only judges score projects")
}

// ReadAudit decides whether the actor may read the whole audit log: the
// admin.
func ReadAudit(a Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if a.Role == Admin {
		return nil
	}
	return deny("", "chỉ quản trị viên được xem nhật ký", "only the admin may read the audit log")
}

// CreateCampaign decides whether the actor may open a campaign organised
// by a unit with these participants (nil participants: every unit of the
// organiser's subtree). An organiser opens campaigns for its subtree only.
func CreateCampaign(a Actor, organiser Place, participants []Place) error {
	if err := Administer(a); err != nil {
		return err
	}
	if a.Role == Admin {
		return nil
	}
	if !organiser.Within(a.Unit) {
		return deny("organiser", "đơn vị tổ chức phải là đơn vị của bạn hoặc trực thuộc",
			"the organising unit must be yours or below it")
	}
	for _, p := range participants {
		if !p.Within(a.Unit) {
			return deny("units", "đơn vị "+p.Code()+" không thuộc phạm vi của bạn", "unit "+p.Code()+" is not below yours")
		}
	}
	return nil
}

// CreateUnit decides whether the actor may add a unit under parent (nil:
// a new root, which only the admin may add).
func CreateUnit(a Actor, parent Place) error {
	if err := Administer(a); err != nil {
		return err
	}
	if a.Role == Admin || parent.Within(a.Unit) {
		return nil
	}
	return deny("parent", "đơn vị cấp trên phải là đơn vị của bạn hoặc trực thuộc",
		"the parent unit must be yours or below it")
}

// CreateUser decides whether the actor may create a user with a role at a
// unit (nil: none). An organiser creates officers, judges and organisers
// of its subtree, never an admin nor anyone above or beside it.
func CreateUser(a Actor, role string, unit Place) error {
	if err := Administer(a); err != nil {
		return err
	}
	switch {
	case a.Role == Admin:
		return nil
	case !mayGrant(a, role):
		return deny("role", "ban tổ chức không tạo được quản trị viên", "an organiser may not create an admin")
	case !unit.Within(a.Unit):
		return deny("unit", "người dùng phải thuộc đơn vị của bạn hoặc đơn vị trực thuộc",
			"the user's unit must be yours or below it")
	}
	return nil
}

// mayGrant reports whether the actor may give a user the role: the admin
// any, an organiser any but admin.
func mayGrant(a Actor, role string) bool {
	return a.Role == Admin || (a.Role == Organiser && role != Admin)
}

// Grantable lists the roles the actor may give new users, from the most
// powerful.
func Grantable(a Actor) []string {
	var out []string
	for _, r := range Roles {
		if mayGrant(a, r) {
			out = append(out, r)
		}
	}
	return out
}

// Manages returns the subtree whose campaigns, units and users the actor
// manages, by the code of its top unit: "" for the admin, who manages
// everything; an organiser's unit. Others manage nothing.
func Manages(a Actor) (within string, err error) {
	if err := Administer(a); err != nil {
		return "", err
	}
	if a.Role == Admin {
		return "", nil
	}
	return a.Unit, nil
}

// ActsFor says for which units the actor acts, at most (in each campaign,
// ActFor decides): every unit (all), the subtree of unit (subtree), the
// unit alone, or none (unit "" and not all).
func ActsFor(a Actor) (unit string, subtree, all bool) {
	switch a.Role {
	case Admin:
		return "", true, true
	case Organiser:
		return a.Unit, true, false
	case Officer:
		return a.Unit, a.Scope == Subtree, false
	}
	return "", false, false
}

// Scoped reports whether a user of the role acts with a scope (Own or
// Subtree): a unit officer does; what the other roles reach follows from
// the role alone.
func Scoped(role string) bool { return role == Officer }

// WorksFor reports whether the actor works for its unit as an officer: the
// user whose page is its unit's to-do list (what is due, returned,
// missing), not the queues of those who manage or judge.
func WorksFor(a Actor) bool { return a.Role == Officer && a.Unit != "" }

// Replicates reports whether the actor registers, as an officer, projects
// for some unit other than the source's: whether it may adopt a project of
// that unit for one of its own (nhân rộng). ActFor decides the unit it names.
func Replicates(a Actor, source Place) bool {
	return a.Role == Officer && a.Unit != "" && (a.Unit != source.Code() || a.Scope == Subtree)
}

// VerifyReport decides whether the actor may verify or return a unit's
// report in a campaign: the campaign's organisers, and an organiser of a
// unit above it (a ward's organiser verifies its member organisations'
// reports in the city's campaign). A unit's own officers never do.
func VerifyReport(a Actor, c Campaign, unit Place) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if Organise(a, c) == nil || (a.Role == Organiser && unit.Within(a.Unit) && unit.Code() != a.Unit) {
		return nil
	}
	return deny("", "báo cáo của đơn vị do cấp trên thẩm định", "a unit's reports are verified by the level above it")
}

// Verifies returns which reports of a campaign the actor verifies: all of
// them (all), or those of the units strictly below the unit below.
func Verifies(a Actor, c Campaign) (below string, all bool, err error) {
	if err := signedIn(a); err != nil {
		return "", false, err
	}
	switch {
	case Organise(a, c) == nil:
		return "", true, nil
	case a.Role == Organiser:
		return a.Unit, false, nil
	}
	return "", false, deny("", "chỉ ban tổ chức thẩm định báo cáo", "only organisers verify reports")
}

// ReopenPeriod decides whether the actor may reopen a closed period, which
// undoes a campaign's final result: the admin only.
func ReopenPeriod(a Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if a.Role == Admin {
		return nil
	}
	return deny("", "chỉ quản trị hệ thống được mở lại kỳ đã chốt", "only the admin may reopen a closed period")
}

// UploadFile decides whether the actor may upload evidence files: those who
// report and review figures and projects (officers, organisers, the admin),
// not judges.
func UploadFile(a Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if a.Role == Judge {
		return deny("file", "giám khảo không tải lên minh chứng", "judges do not upload evidence")
	}
	return nil
}

// SeeFile decides whether the actor may see an evidence file. Once
// attached, a file is as public as the projects, progress notes and reports
// it is evidence of; until then only its uploader and the admin see it.
func SeeFile(a Actor, uploadedBy string, attached bool) bool {
	return attached || a.Role == Admin || a.SignedIn() && a.Username == uploadedBy
}

// ManageWebhook decides whether the actor may subscribe webhooks to a
// campaign's events, see their deliveries, test and remove them: the
// campaign's organisers. A subscription to every campaign's events (c nil)
// is the admin's alone.
func ManageWebhook(a Actor, c *Campaign) error {
	if c != nil {
		return Organise(a, *c)
	}
	if err := signedIn(a); err != nil {
		return err
	}
	if a.Role == Admin {
		return nil
	}
	return deny("campaign", "chỉ quản trị hệ thống được đăng ký webhook cho mọi phong trào: hãy chọn một phong trào",
		"only the admin may subscribe to every campaign's events: name a campaign")
}
