package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Actor is who makes a change: recorded in the audit log with the request.
type Actor struct {
	Username  string
	RequestID string
}

type actorKey struct{}

// WithActor returns a context whose writes are audited as done by a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the context's actor; writes without one are audited as
// done by "system" (scheduled jobs, the demo loader).
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Username: "system"}
}

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	RequestID string    `json:"request_id"`
	Action    string    `json:"action"`
	Entity    string    `json:"entity"`
	EntityKey string    `json:"entity_key"`
	Before    JSON      `json:"before"`
	After     JSON      `json:"after"`
}

// TableName is the audit log's table.
func (AuditEntry) TableName() string { return "audit_log" }

// audit appends an entry in the caller's transaction. before and after are
// the entity as it was and as it is (nil for none).
func (db *DB) audit(ctx context.Context, tx *gorm.DB, action, entity, key string, before, after any) error {
	e := db.auditEntry(ctx, action, entity, key, before, after)
	db.audited.Store(tx.Statement.ConnPool, struct{}{})
	return tx.Create(&e).Error
}

// write is a statement that changes data and returns no rows: SQL with ?
// placeholders, and its arguments.
type write struct {
	sql  string
	args []any
}

// auditedWrite makes a change and appends its entry (see audit) in the
// caller's transaction: on PostgreSQL in one round trip, the writes as
// data-modifying CTEs of the entry's INSERT; on SQLite, which has none,
// one statement after another. The writes touch other tables than the
// audit log and none writes a row another does: in one statement they all
// see the snapshot taken before it.
func (db *DB) auditedWrite(ctx context.Context, tx *gorm.DB, writes []write, action, entity, key string, before, after any) error {
	e := db.auditEntry(ctx, action, entity, key, before, after)
	insert := `INSERT INTO audit_log (at, actor, request_id, action, entity, entity_key, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	entry := []any{e.At, e.Actor, e.RequestID, e.Action, e.Entity, e.EntityKey, e.Before, e.After}
	db.audited.Store(tx.Statement.ConnPool, struct{}{})
	if tx.Dialector.Name() != "postgres" {
		for _, w := range writes {
			if err := tx.Exec(w.sql, w.args...).Error; err != nil {
				return err
			}
		}
		return tx.Exec(insert, entry...).Error
	}
	var q strings.Builder
	var args []any
	for i, w := range writes {
		sep := ", "
		if i == 0 {
			sep = "WITH "
		}
		fmt.Fprintf(&q, "%sw%d AS (%s)", sep, i, w.sql)
		args = append(args, w.args...)
	}
	q.WriteString(" " + insert)
	return tx.Exec(q.String(), append(args, entry...)...).Error
}

func (db *DB) auditEntry(ctx context.Context, action, entity, key string, before, after any) AuditEntry {
	a := ActorFrom(ctx)
	e := AuditEntry{
		At: db.Now(), Actor: a.Username, RequestID: a.RequestID,
		Action: action, Entity: entity, EntityKey: key,
	}
	if before != nil {
		e.Before = JSONOf(before)
	}
	if after != nil {
		e.After = JSONOf(after)
	}
	return e
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Entity    string
	EntityKey string
	Actor     string
	Page
}

// AuditLog lists entries newest first, their Before and After compact as
// encoding/json writes documents (see compactJSON), so that they can be
// sent as they are.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, string, error) {
	q := db.gorm.WithContext(ctx).Model(&AuditEntry{}).
		Select("id, at, actor, request_id, action, entity, entity_key, before, after")
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityKey != "" {
		q = q.Where("entity_key = ?", f.EntityKey)
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	var after int64
	if err := f.decode(&after); err != nil {
		return nil, "", err
	}
	if after > 0 {
		q = q.Where("id < ?", after)
	}
	// Scanned by hand: GORM's reflection cost more than the query.
	rows, err := q.Order("id DESC").Limit(f.limit() + 1).Rows()
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var items []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.RequestID, &e.Action, &e.Entity, &e.EntityKey, &e.Before, &e.After); err != nil {
			return nil, "", err
		}
		if db.dialect == Postgres { // jsonb's text has spaces
			e.Before, e.After = compactJSON(e.Before), compactJSON(e.After)
		}
		items = append(items, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	items, next := paginate(items, f.limit(), func(e AuditEntry) any { return e.ID })
	return items, next, nil
}
