package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Project statuses. A project moves registered → in_progress → completed →
// verified; the organiser may reject it (with a reason) before it is
// verified, and its unit may withdraw it before it is completed.
const (
	StatusRegistered = "registered"
	StatusInProgress = "in_progress"
	StatusCompleted  = "completed"
	StatusVerified   = "verified"
	StatusRejected   = "rejected"
	StatusWithdrawn  = "withdrawn"
)

// Statuses lists every project status in lifecycle order.
var Statuses = []string{StatusRegistered, StatusInProgress, StatusCompleted, StatusVerified, StatusRejected, StatusWithdrawn}

// moves lists the status moves allowed from each status.
var moves = map[string][]string{
	StatusRegistered: {StatusInProgress, StatusRejected, StatusWithdrawn},
	StatusInProgress: {StatusCompleted, StatusRejected, StatusWithdrawn},
	StatusCompleted:  {StatusVerified, StatusRejected},
}

// CanMove reports whether a project may move from one status to another.
func CanMove(from, to string) bool {
	for _, s := range moves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Categories are the kinds of project a unit can register.
var Categories = []string{"digital_skills", "cashless", "public_services", "digital_government", "community", "archive", "other"}

// Project is a digital-transformation project or work item (công trình,
// phần việc) of one unit in one campaign.
type Project struct {
	ID           int64  `json:"id"`
	CampaignID   int64  `json:"-"`
	Campaign     string `json:"campaign" gorm:"->;-:migration"`
	UnitID       int64  `json:"-"`
	Unit         string `json:"unit" gorm:"->;-:migration"`
	UnitName     string `json:"unit_name" gorm:"->;-:migration"`
	Title        string `json:"title"`
	Summary      string `json:"summary"`
	Category     string `json:"category"`
	Search       string `json:"-"`
	StartsOn     Date   `json:"starts_on"`
	EndsOn       Date   `json:"ends_on"`
	Status       string `json:"status"`
	RejectReason string `json:"reject_reason,omitempty"`
	AdoptedFrom  *int64 `json:"adopted_from"`
	Adoptions    int    `json:"adoptions" gorm:"->;-:migration"` // projects that copied this one
	// EvidenceFiles are the files attached to it as evidence, in order.
	EvidenceFiles []File    `json:"evidence_files" gorm:"-"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// StatusChange is one step of a project's lifecycle.
type StatusChange struct {
	ID        int64     `json:"-"`
	ProjectID int64     `json:"-"`
	Status    string    `json:"status"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
}

// TableName is the status history's table.
func (StatusChange) TableName() string { return "project_status_changes" }

// ProgressNote is a progress report on a project, with its evidence.
type ProgressNote struct {
	ID           int64  `json:"id"`
	ProjectID    int64  `json:"-"`
	Note         string `json:"note"`
	EvidenceURLs JSON   `json:"evidence_urls"`
	// EvidenceFiles are the files attached to it, in order.
	EvidenceFiles []File    `json:"evidence_files" gorm:"-"`
	Figures       JSON      `json:"figures"`
	Author        string    `json:"author"`
	CreatedAt     time.Time `json:"created_at"`
}

// ProjectDetail is a project with its history, progress and adoptions.
type ProjectDetail struct {
	Project
	History    []StatusChange `json:"history"`
	Progress   []ProgressNote `json:"progress"`
	AdoptedBy  []ProjectRef   `json:"adopted_by"`
	AdoptedRef *ProjectRef    `json:"adopted_from_project"`
}

// ProjectRef names a project briefly.
type ProjectRef struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Unit     string `json:"unit"`
	UnitName string `json:"unit_name"`
	Status   string `json:"status"`
}

// NewProject is what registering a project takes.
type NewProject struct {
	Unit        string
	Title       string
	Summary     string
	Category    string
	StartsOn    Date
	EndsOn      Date
	AdoptedFrom *int64
	// EvidenceFiles are files the actor uploaded, to attach as evidence.
	EvidenceFiles []string
}

// CreateProject registers a project for a participating unit.
func (db *DB) CreateProject(ctx context.Context, slug string, n NewProject) (*Project, error) {
	var id int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		uid, err := participant(tx, cid, "unit", n.Unit)
		if err != nil {
			return err
		}
		if n.AdoptedFrom != nil {
			var src []Project
			if err := tx.Select("id", "campaign_id", "unit_id", "status").Where("id = ?", *n.AdoptedFrom).Find(&src).Error; err != nil {
				return err
			}
			switch {
			case len(src) == 0 || src[0].CampaignID != cid:
				return invalid("adopted_from", "no project %d in this campaign", *n.AdoptedFrom)
			case src[0].UnitID == uid:
				return invalid("adopted_from", "a unit cannot adopt its own project")
			case src[0].Status == StatusRejected || src[0].Status == StatusWithdrawn:
				return invalid("adopted_from", "project %d was %s", *n.AdoptedFrom, src[0].Status)
			}
		}
		now := db.Now()
		p := Project{
			CampaignID: cid, UnitID: uid, Title: n.Title, Summary: n.Summary, Category: n.Category,
			Search: fold(n.Title + " " + n.Summary), StartsOn: n.StartsOn, EndsOn: n.EndsOn,
			Status: StatusRegistered, AdoptedFrom: n.AdoptedFrom, CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		id = p.ID
		if err := tx.Create(&StatusChange{ProjectID: p.ID, Status: p.Status, At: now, Actor: ActorFrom(ctx).Username}).Error; err != nil {
			return err
		}
		if p.EvidenceFiles, err = db.attachEvidence(pipeOn(ctx, tx), evidenceOfProject, p.ID, n.EvidenceFiles); err != nil {
			return err
		}
		p.Campaign, p.Unit = slug, n.Unit
		return db.audit(ctx, tx, "create", "project", idKey(p.ID), nil, p)
	})
	if err != nil {
		return nil, err
	}
	return db.project(ctx, db.gorm, id)
}

// ProjectChanges edits a project: nil fields stay as they are.
type ProjectChanges struct {
	Title        *string
	Summary      *string
	Category     *string
	StartsOn     *Date
	EndsOn       *Date
	Status       *string
	RejectReason *string
	// EvidenceFiles, when not nil, replaces the files attached as evidence.
	EvidenceFiles *[]string
	// ByOfficer marks a change made by the unit's officer: once a project
	// is verified or rejected its content is the organisers' decision, and
	// an officer changing it is ErrConflict.
	ByOfficer bool
}

// UpdateProject edits a project and moves its status. A move the lifecycle
// does not allow is ErrConflict; rejecting needs a reason.
func (db *DB) UpdateProject(ctx context.Context, id int64, ch ProjectChanges) (*Project, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := holdRow(tx, "projects", id); err != nil {
			return err
		}
		before, err := db.project(ctx, tx, id)
		if err != nil {
			return err
		}
		after := *before
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&after.Title, ch.Title)
		set(&after.Summary, ch.Summary)
		set(&after.Category, ch.Category)
		if ch.StartsOn != nil {
			after.StartsOn = *ch.StartsOn
		}
		if ch.EndsOn != nil {
			after.EndsOn = *ch.EndsOn
		}
		if !after.StartsOn.IsZero() && !after.EndsOn.IsZero() && after.EndsOn.Before(after.StartsOn.Time) {
			return invalid("ends_on", "ends before it starts")
		}
		decided := before.Status == StatusVerified || before.Status == StatusRejected
		if ch.ByOfficer && decided && (after.Title != before.Title || after.Summary != before.Summary ||
			after.Category != before.Category || !after.StartsOn.Equal(before.StartsOn.Time) || !after.EndsOn.Equal(before.EndsOn.Time) ||
			ch.EvidenceFiles != nil && !sameFiles(before.EvidenceFiles, *ch.EvidenceFiles)) {
			return conflict("", "project %d is %s: its content is final; ask the organisers to change it", id, before.Status)
		}
		now := db.Now()
		if ch.Status != nil && *ch.Status != before.Status {
			if !CanMove(before.Status, *ch.Status) {
				return conflict("status", "a %s project cannot become %s", before.Status, *ch.Status)
			}
			after.Status = *ch.Status
			if after.Status == StatusRejected {
				if ch.RejectReason == nil || *ch.RejectReason == "" {
					return invalid("reject_reason", "a rejection needs a reason")
				}
				after.RejectReason = *ch.RejectReason
			}
			if err := tx.Create(&StatusChange{ProjectID: id, Status: after.Status, At: now, Actor: ActorFrom(ctx).Username}).Error; err != nil {
				return err
			}
		}
		after.Search = fold(after.Title + " " + after.Summary)
		after.UpdatedAt = now
		if err := tx.Model(&Project{ID: id}).Select("title", "summary", "category", "search", "starts_on", "ends_on", "status", "reject_reason", "updated_at").
			Updates(&after).Error; err != nil {
			return err
		}
		if ch.EvidenceFiles != nil {
			if after.EvidenceFiles, err = db.attachEvidence(pipeOn(ctx, tx), evidenceOfProject, id, *ch.EvidenceFiles); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "update", "project", idKey(id), before, after)
	})
	if err != nil {
		return nil, err
	}
	return db.project(ctx, db.gorm, id)
}

// AddProgress records a progress report on a project.
// files are files the actor uploaded, to attach as evidence.
func (db *DB) AddProgress(ctx context.Context, id int64, note string, evidence, files []string, figures map[string]float64) (*ProgressNote, error) {
	if evidence == nil {
		evidence = []string{}
	}
	if figures == nil {
		figures = map[string]float64{}
	}
	if err := finite("figures", figures); err != nil {
		return nil, err
	}
	n := &ProgressNote{ProjectID: id, Note: note, EvidenceURLs: JSONOf(evidence), Figures: JSONOf(figures),
		Author: ActorFrom(ctx).Username, CreatedAt: db.Now()}
	if db.dialect == Postgres && len(files) == 0 {
		if err := db.addProgressNote(ctx, n); err != nil {
			return nil, err
		}
		return n, nil
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var status []string
		if err := tx.Table("projects").Where("id = ?", id).Pluck("status", &status).Error; err != nil {
			return err
		}
		switch {
		case len(status) == 0:
			return notFound("no project %d", id)
		case status[0] == StatusRejected || status[0] == StatusWithdrawn:
			return conflict("", "project %d is %s", id, status[0])
		}
		if err := tx.Create(n).Error; err != nil {
			return err
		}
		n.EvidenceFiles = []File{}
		if len(files) > 0 { // a new note has none to replace
			var err error
			if n.EvidenceFiles, err = db.attachEvidence(pipeOn(ctx, tx), evidenceOfProgress, n.ID, files); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "progress", "project", idKey(id), nil, n)
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// addProgressNote is AddProgress of a note without files on PostgreSQL: one
// statement, alone in its transaction or sharing one with other writes
// (see sendTrip), that inserts the note if the project is neither rejected
// nor withdrawn and its audit entry with the note's id. Only when it
// inserts nothing is the project read again, to say why (and the note
// tried again if the project changed back since).
func (db *DB) addProgressNote(ctx context.Context, n *ProgressNote) error {
	for {
		status, err := db.insertProgressNote(ctx, n)
		switch {
		case err != nil || status == "":
			return err
		case status == StatusRejected || status == StatusWithdrawn:
			return conflict("", "project %d is %s", n.ProjectID, status)
		}
	}
}

// insertedProgressNote is the statement of addProgressNote.
const insertedProgressNote = `WITH n AS (
		INSERT INTO progress_notes (project_id, note, evidence_urls, figures, author, created_at)
		SELECT id, ?, ?, ?, ?, ? FROM projects WHERE id = ? AND status NOT IN (?, ?) RETURNING id),
	a AS (INSERT INTO audit_log (at, actor, request_id, action, entity, entity_key, before, after)
		SELECT ?, ?, ?, ?, ?, ?, NULL, jsonb_set(?::jsonb, '{id}', to_jsonb(n.id)) FROM n)
	SELECT id FROM n`

// insertProgressNote is one attempt of addProgressNote: it returns the
// project's status when it inserted nothing.
func (db *DB) insertProgressNote(ctx context.Context, n *ProgressNote) (string, error) {
	n.EvidenceFiles = []File{}
	e := db.auditEntry(ctx, "progress", "project", idKey(n.ProjectID), nil, n) // its id set in SQL
	t := &trip{stmt: insertedProgressNote, args: []any{n.Note, n.EvidenceURLs, n.Figures, n.Author, n.CreatedAt, n.ProjectID,
		StatusRejected, StatusWithdrawn, e.At, e.Actor, e.RequestID, e.Action, e.Entity, e.EntityKey, e.After}}
	if err := db.sendTrip(ctx, t); err != nil {
		return "", err
	}
	if t.done {
		n.ID = t.returned
		return "", nil
	}
	var status []string
	if err := db.gorm.WithContext(ctx).Table("projects").Where("id = ?", n.ProjectID).Pluck("status", &status).Error; err != nil {
		return "", translate(err)
	}
	if len(status) == 0 {
		return "", notFound("no project %d", n.ProjectID)
	}
	return status[0], nil
}

const projectColumns = `p.*, c.slug AS campaign, u.code AS unit, u.name AS unit_name,
	(SELECT COUNT(*) FROM projects a WHERE a.adopted_from = p.id AND a.status NOT IN ('rejected', 'withdrawn')) AS adoptions`

func projectQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("projects p").Select(projectColumns).
		Joins("JOIN campaigns c ON c.id = p.campaign_id").
		Joins("JOIN units u ON u.id = p.unit_id")
}

func (db *DB) project(ctx context.Context, tx *gorm.DB, id int64) (*Project, error) {
	var out []Project
	if err := projectQuery(tx.WithContext(ctx)).Where("p.id = ?", id).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, notFound("no project %d", id)
	}
	var err error
	out[0].EvidenceFiles, err = db.evidence(tx.WithContext(ctx), evidenceOfProject, id)
	return &out[0], err
}

// ProjectByID returns a project with its history, progress and adoptions.
func (db *DB) ProjectByID(ctx context.Context, id int64) (*ProjectDetail, error) {
	p, err := db.project(ctx, db.gorm, id)
	if err != nil {
		return nil, err
	}
	d := &ProjectDetail{Project: *p, History: []StatusChange{}, Progress: []ProgressNote{}, AdoptedBy: []ProjectRef{}}
	q := db.gorm.WithContext(ctx)
	if err := q.Where("project_id = ?", id).Order("at, id").Find(&d.History).Error; err != nil {
		return nil, err
	}
	if err := q.Where("project_id = ?", id).Order("id").Find(&d.Progress).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(d.Progress))
	for i, n := range d.Progress {
		ids[i] = n.ID
	}
	files, err := evidenceOf(q, evidenceOfProgress, ids)
	if err != nil {
		return nil, err
	}
	for i := range d.Progress {
		d.Progress[i].EvidenceFiles = nonNil(files[d.Progress[i].ID])
	}
	refs := func() *gorm.DB {
		return q.Table("projects p").Select("p.id, p.title, p.status, u.code AS unit, u.name AS unit_name").
			Joins("JOIN units u ON u.id = p.unit_id")
	}
	if err := refs().Where("p.adopted_from = ?", id).Order("p.id").Scan(&d.AdoptedBy).Error; err != nil {
		return nil, err
	}
	if p.AdoptedFrom != nil {
		var src []ProjectRef
		if err := refs().Where("p.id = ?", *p.AdoptedFrom).Scan(&src).Error; err != nil {
			return nil, err
		}
		if len(src) > 0 {
			d.AdoptedRef = &src[0]
		}
	}
	return d, nil
}

// ProjectFilter narrows a campaign's projects.
type ProjectFilter struct {
	Unit     string
	Status   string
	Category string
	Q        string
	Page
}

// Projects lists a campaign's projects, oldest first.
func (db *DB) Projects(ctx context.Context, slug string, f ProjectFilter) ([]Project, string, error) {
	var after int64
	if err := f.decode(&after); err != nil {
		return nil, "", err
	}
	q := projectQuery(db.gorm.WithContext(ctx)).Where("c.slug = ?", slug)
	if f.Unit != "" {
		q = q.Where("u.code = ?", f.Unit)
	}
	if f.Status != "" {
		q = q.Where("p.status = ?", f.Status)
	}
	if f.Category != "" {
		q = q.Where("p.category = ?", f.Category)
	}
	if s := fold(f.Q); s != "" {
		q = q.Where(`(p.search LIKE ? ESCAPE '\' OR u.search LIKE ? ESCAPE '\')`, like(s), like(s))
	}
	if after > 0 {
		q = q.Where("p.id > ?", after)
	}
	var out []Project
	if err := q.Order("p.id").Limit(f.limit() + 1).Scan(&out).Error; err != nil {
		return nil, "", err
	}
	if len(out) == 0 {
		if _, err := campaignID(db.gorm.WithContext(ctx), slug); err != nil {
			return nil, "", err
		}
	}
	out, next := paginate(out, f.limit(), func(p Project) any { return p.ID })
	ids := make([]int64, len(out))
	for i, p := range out {
		ids[i] = p.ID
	}
	files, err := evidenceOf(db.gorm.WithContext(ctx), evidenceOfProject, ids)
	if err != nil {
		return nil, "", err
	}
	for i := range out {
		out[i].EvidenceFiles = nonNil(files[out[i].ID])
	}
	return out, next, nil
}

// Project returns a project alone, without its history, progress and
// adoptions.
func (db *DB) Project(ctx context.Context, id int64) (*Project, error) {
	return db.project(ctx, db.gorm, id)
}

// ProjectOwner is whose a project is: its campaign and unit, by slug and
// code, and the version of the campaign's current ruleset (0 before it has
// one).
type ProjectOwner struct {
	Campaign, Unit string
	RulesetVersion int
}

// ProjectOwnerOf returns whose a project is, in one round trip: what
// deciding who may act on it, and by which rules, needs.
func (db *DB) ProjectOwnerOf(ctx context.Context, id int64) (ProjectOwner, error) {
	var out []ProjectOwner
	err := db.gorm.WithContext(ctx).Raw(`SELECT c.slug AS campaign, u.code AS unit, c.ruleset_version FROM projects p
		JOIN campaigns c ON c.id = p.campaign_id JOIN units u ON u.id = p.unit_id WHERE p.id = ?`, id).Scan(&out).Error
	switch {
	case err != nil:
		return ProjectOwner{}, err
	case len(out) == 0:
		return ProjectOwner{}, notFound("no project %d", id)
	}
	return out[0], nil
}

func idKey(id int64) string { return strconv.FormatInt(id, 10) }
