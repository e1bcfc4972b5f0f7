package store

import (
	"context"
	"fmt"
)

// DataVersion is a mark that changes whenever what the public sees may have
// changed: every write leaves an entry in the audit log, and every run ends
// (succeeded or failed) with its snapshot and honours. Pages cached under
// one mark are current while it holds.
func (db *DB) DataVersion(ctx context.Context) (string, error) {
	var audit, runs, ended int64
	err := db.gorm.WithContext(ctx).Raw(`SELECT
		(SELECT COALESCE(MAX(id), 0) FROM audit_log),
		(SELECT COALESCE(MAX(id), 0) FROM runs),
		(SELECT COUNT(*) FROM runs WHERE status <> 'running')`).Row().Scan(&audit, &runs, &ended)
	if err != nil {
		return "", translate(err)
	}
	return fmt.Sprintf("%d.%d.%d", audit, runs, ended), nil
}

// LocalWrites counts the audited writes this process committed: with
// DataVersion, a mark that a write here changes at once.
func (db *DB) LocalWrites() int64 { return db.writes.Load() }
