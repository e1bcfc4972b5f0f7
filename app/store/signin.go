package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// CountSignIn counts a sign-in attempt under key in the window that starts
// at window, and returns the attempts counted there so far, this one
// included, and those counted under key in the window before (which starts
// at previous). Windows that ended before forget are deleted on the way.
// Every replica counts in the same table.
func (db *DB) CountSignIn(ctx context.Context, key string, window, previous, forget time.Time) (current, before int, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Raw(`INSERT INTO sign_in_attempts (key, window_start, attempts) VALUES (?, ?, 1)
			ON CONFLICT (key, window_start) DO UPDATE SET attempts = sign_in_attempts.attempts + 1
			RETURNING attempts`, key, window.UTC()).Scan(&current).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT COALESCE(MAX(attempts), 0) FROM sign_in_attempts WHERE key = ? AND window_start = ?`,
			key, previous.UTC()).Scan(&before).Error; err != nil {
			return err
		}
		if current == 1 { // a new window: a moment to forget the old ones
			return tx.Exec(`DELETE FROM sign_in_attempts WHERE window_start < ?`, forget.UTC()).Error
		}
		return nil
	})
	return current, before, err
}
