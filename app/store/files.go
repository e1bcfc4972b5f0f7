package store

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// File is an evidence file: what it is, who uploaded it, and where it is
// served. Its bytes are in the file store, not here.
type File struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Type       string    `json:"type"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256" gorm:"column:sha256"`
	Width      int       `json:"width,omitempty"`
	Height     int       `json:"height,omitempty"`
	Thumb      bool      `json:"-"`
	UploadedBy string    `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
	// URL is where the file is served; ThumbURL its thumbnail's, for an image.
	URL      string `json:"url" gorm:"-"`
	ThumbURL string `json:"thumb_url,omitempty" gorm:"-"`
	// Attached says the file is evidence of something (read by FileByID).
	Attached bool `json:"-" gorm:"->;-:migration"`
}

func (f *File) fill() {
	f.URL = "/files/" + f.ID + "/" + url.PathEscape(f.Name)
	if f.Thumb {
		f.ThumbURL = "/thumbnails/" + f.ID
	}
}

// What evidence is attached to: one column of the evidence table.
const (
	evidenceOfProject  = "project_id"
	evidenceOfProgress = "progress_id"
	evidenceOfReport   = "report_id"
)

// CreateFile records an uploaded file, by the actor.
func (db *DB) CreateFile(ctx context.Context, f *File) error {
	f.UploadedBy, f.UploadedAt = ActorFrom(ctx).Username, db.Now()
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("Attached").Create(f).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "upload", "file", f.ID, nil, f)
	})
	f.fill()
	return err
}

// FileByID reads a file, and whether it is attached to anything.
func (db *DB) FileByID(ctx context.Context, id string) (*File, error) {
	var out []File
	err := db.gorm.WithContext(ctx).Table("files f").
		Select("f.*, EXISTS (SELECT 1 FROM evidence e WHERE e.file_id = f.id) AS attached").
		Where("f.id = ?", id).Find(&out).Error
	if err != nil {
		return nil, translate(err)
	}
	if len(out) == 0 {
		return nil, notFound("no file %q", id)
	}
	out[0].fill()
	return &out[0], nil
}

// attachEvidence makes ids the evidence of one project, progress note or
// report (of is its column), in that order, in place of what it had. A file
// is attached by whoever uploaded it; one attached there already stays
// attachable by anyone who edits it. An id that is neither is an invalid
// field evidence_files[i], as if unknown: nobody learns of others' files.
//
// It returns the files attached, in order. Run in a batched pipe, its
// statements that write go with the next flush.
func (db *DB) attachEvidence(p *pipe, of string, id int64, ids []string) ([]File, error) {
	files := make([]File, 0, len(ids))
	if len(ids) > 0 {
		type found struct {
			File
			here bool
		}
		byID := make(map[string]found, len(ids))
		args := []any{id}
		for _, f := range ids {
			args = append(args, f)
		}
		p.query(`SELECT `+fileColumns+`, EXISTS (SELECT 1 FROM evidence e WHERE e.file_id = f.id AND e.`+of+` = ?)
			FROM files f WHERE f.id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args, func(rs rows) error {
			for rs.Next() {
				var f found
				if err := scanFile(rs, &f.File, &f.here); err != nil {
					return err
				}
				byID[f.ID] = f
			}
			return nil
		})
		if err := p.flush(); err != nil {
			return nil, err
		}
		me := ActorFrom(p.ctx).Username
		seen := make(map[string]bool, len(ids))
		for i, id := range ids {
			field := fmt.Sprintf("evidence_files[%d]", i)
			f, ok := byID[id]
			switch {
			case !ok || !f.here && f.UploadedBy != me:
				return nil, invalid(field, "no file %q of yours", id)
			case seen[id]:
				return nil, invalid(field, "file %q is listed twice", id)
			}
			seen[id] = true
			files = append(files, f.File)
		}
	}
	p.exec("DELETE FROM evidence WHERE "+of+" = ?", id)
	for i, f := range ids {
		p.exec("INSERT INTO evidence (file_id, "+of+", position) VALUES (?, ?, ?)", f, id, i)
	}
	return files, p.err
}

// fileColumns are the columns of a file f that scanFile reads.
const fileColumns = "f.id, f.name, f.type, f.size, f.sha256, f.width, f.height, f.thumb, f.uploaded_by, f.uploaded_at"

// scanFile reads a row of fileColumns, then more, into f, and fills it.
func scanFile(rs rows, f *File, more ...any) error {
	err := rs.Scan(append([]any{&f.ID, &f.Name, &f.Type, &f.Size, &f.SHA256, &f.Width, &f.Height, &f.Thumb, &f.UploadedBy, &f.UploadedAt},
		more...)...)
	f.fill()
	return err
}

// evidenceOfOne reads the files attached to one project, progress note or
// report (of is its column), in their order: a round trip.
func evidenceOfOne(p *pipe, of string, id int64) ([]File, error) {
	files := []File{}
	p.query(`SELECT `+fileColumns+` FROM evidence e JOIN files f ON f.id = e.file_id WHERE e.`+of+` = ? ORDER BY e.position`,
		[]any{id}, func(rs rows) error {
			for rs.Next() {
				var f File
				if err := scanFile(rs, &f); err != nil {
					return err
				}
				files = append(files, f)
			}
			return nil
		})
	return files, p.flush()
}

// evidenceOf reads the files attached to each of ids (projects, progress
// notes or reports, by of), in their order, in one query.
func evidenceOf(tx *gorm.DB, of string, ids []int64) (map[int64][]File, error) {
	out := make(map[int64][]File, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		Owner int64
		File
	}
	for chunk := range slices.Chunk(ids, 5000) {
		if err := tx.Table("evidence e").Select("e."+of+" AS owner, f.*").Joins("JOIN files f ON f.id = e.file_id").
			Where("e."+of+" IN ?", chunk).Order("e." + of + ", e.position").Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			r.File.fill()
			out[r.Owner] = append(out[r.Owner], r.File)
		}
	}
	return out, nil
}

// StaleFiles lists up to limit files uploaded before t and attached to
// nothing: uploads abandoned with their form.
func (db *DB) StaleFiles(ctx context.Context, before time.Time, limit int) ([]string, error) {
	var ids []string
	err := db.gorm.WithContext(ctx).Table("files f").
		Where("f.uploaded_at < ? AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.file_id = f.id)", before).
		Order("f.uploaded_at").Limit(limit).Pluck("f.id", &ids).Error
	return ids, translate(err)
}

// DeleteFiles forgets files attached to nothing; it returns those it
// deleted (a file attached meanwhile stays).
func (db *DB) DeleteFiles(ctx context.Context, ids []string) ([]string, error) {
	var gone []string
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Table("files f").Where("f.id IN ? AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.file_id = f.id)", ids).
			Pluck("f.id", &gone).Error; err != nil {
			return err
		}
		if len(gone) == 0 {
			return nil
		}
		return tx.Exec("DELETE FROM files WHERE id IN ?", gone).Error
	})
	return gone, err
}

// KnownFiles says which of ids are recorded.
func (db *DB) KnownFiles(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	for chunk := range slices.Chunk(ids, 5000) {
		var known []string
		if err := db.gorm.WithContext(ctx).Table("files").Where("id IN ?", chunk).Pluck("id", &known).Error; err != nil {
			return nil, translate(err)
		}
		for _, id := range known {
			out[id] = true
		}
	}
	return out, nil
}

// evidence reads the files attached to one thing, never nil.
func (db *DB) evidence(tx *gorm.DB, of string, id int64) ([]File, error) {
	m, err := evidenceOf(tx, of, []int64{id})
	return nonNil(m[id]), err
}

func nonNil(fs []File) []File {
	if fs == nil {
		return []File{}
	}
	return fs
}

// sameFiles says whether ids are the files fs, in order.
func sameFiles(fs []File, ids []string) bool {
	return slices.EqualFunc(fs, ids, func(f File, id string) bool { return f.ID == id })
}

// UnitEvidence lists the latest files attached as evidence to a unit's
// projects, their progress notes and its reports in a campaign, newest
// first: at most limit, each once.
func (db *DB) UnitEvidence(ctx context.Context, slug, unit string, limit int) ([]File, error) {
	var out []File
	// From the unit's projects and reports down to their evidence, each
	// step by an index: never through every evidence row of the platform.
	err := db.gorm.WithContext(ctx).Raw(`WITH cu AS (
			SELECT c.id AS campaign_id, u.id AS unit_id FROM campaigns c, units u WHERE c.slug = ? AND u.code = ?),
		mine AS (SELECT p.id FROM projects p JOIN cu ON p.campaign_id = cu.campaign_id AND p.unit_id = cu.unit_id)
		SELECT f.* FROM files f WHERE f.id IN (
			SELECT e.file_id FROM evidence e WHERE e.project_id IN (SELECT id FROM mine)
			UNION ALL
			SELECT e.file_id FROM progress_notes n JOIN evidence e ON e.progress_id = n.id WHERE n.project_id IN (SELECT id FROM mine)
			UNION ALL
			SELECT e.file_id FROM reports r JOIN cu ON r.campaign_id = cu.campaign_id AND r.unit_id = cu.unit_id
				JOIN evidence e ON e.report_id = r.id)
		ORDER BY f.uploaded_at DESC, f.id LIMIT ?`, slug, unit, limit).Scan(&out).Error
	for i := range out {
		out[i].fill()
	}
	return out, translate(err)
}
