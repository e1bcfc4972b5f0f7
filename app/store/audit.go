package store

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
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
	q, args := withWrites(writes)
	return tx.Exec(q+insert, append(args, entry...)...).Error
}

// withWrites is the WITH clause that makes writes before the statement it
// starts (PostgreSQL runs each of a statement's data-modifying CTEs), and
// their arguments.
func withWrites(writes []write) (string, []any) {
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
	if q.Len() > 0 {
		q.WriteString(" ")
	}
	return q.String(), args
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
// sent as they are. The log is append-only, so an entry read once stays
// true: a page is the ids of its entries (one query on an index), and the
// entries not read before (a second query, of those alone). The entries
// share their documents with that cache: callers must not change them.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, string, error) {
	var after int64
	if err := f.decode(&after); err != nil {
		return nil, "", err
	}
	// Written as SQL on database/sql: GORM's building and reflection took
	// more of a page than its query.
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, cond+db.param(len(args)))
	}
	if f.Entity != "" {
		add("entity = ", f.Entity)
	}
	if f.EntityKey != "" {
		add("entity_key = ", f.EntityKey)
	}
	if f.Actor != "" {
		add("actor = ", f.Actor)
	}
	if after > 0 {
		add("id < ", after)
	}
	q := "SELECT id FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.limit()+1)
	rows, err := db.sql.QueryContext(ctx, q+" ORDER BY id DESC LIMIT "+db.param(len(args)), args...)
	if err != nil {
		return nil, "", translate(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, "", err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, "", translate(err)
	}
	ids, next := paginate(ids, f.limit(), func(id int64) any { return id })
	items, err := db.auditEntries(ctx, ids)
	return items, next, err
}

// param is the nth (from 1) placeholder of a statement run on database/sql.
func (db *DB) param(n int) string {
	if db.dialect == Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// auditEntries returns the entries of ids, in their order: from the cache,
// and those it lacks read in one query.
func (db *DB) auditEntries(ctx context.Context, ids []int64) ([]AuditEntry, error) {
	items := make([]AuditEntry, len(ids))
	missing := db.auditCache.fill(ids, items)
	if len(missing) == 0 {
		return items, nil
	}
	// Scanned by hand: GORM's reflection cost more than the query.
	rows, err := db.gorm.WithContext(ctx).Model(&AuditEntry{}).
		Select("id, at, actor, request_id, action, entity, entity_key, before, after").Where("id IN ?", missing).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	read := make(map[int64]AuditEntry, len(missing))
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.RequestID, &e.Action, &e.Entity, &e.EntityKey, &e.Before, &e.After); err != nil {
			return nil, err
		}
		if db.dialect == Postgres { // jsonb's text has spaces
			e.Before, e.After = compactJSON(e.Before), compactJSON(e.After)
		}
		read[e.ID] = e
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range ids {
		e, ok := read[id]
		if !ok && items[i].ID != id { // cannot be: entries are never deleted
			return nil, fmt.Errorf("store: audit entry %d is gone", id)
		}
		if ok {
			items[i] = e
		}
	}
	db.auditCache.keep(read)
	return items, nil
}

// auditCacheSize bounds the cache of audit entries (a few megabytes): past
// it, it starts afresh.
const auditCacheSize = 4096

// auditCache keeps audit entries as read, by id. An entry never changes
// (the log is append-only, by trigger on both databases), so one kept is
// never stale.
type auditCache struct {
	mu sync.RWMutex
	m  map[int64]AuditEntry
}

// fill puts the kept entries of ids into items (at the same index) and
// returns the ids it does not keep.
func (c *auditCache) fill(ids []int64, items []AuditEntry) (missing []int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for i, id := range ids {
		e, ok := c.m[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		items[i] = e
	}
	return missing
}

// keep adds entries read.
func (c *auditCache) keep(read map[int64]AuditEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(read) > auditCacheSize {
		c.m = make(map[int64]AuditEntry, auditCacheSize)
	}
	maps.Copy(c.m, read)
}
