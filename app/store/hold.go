package store

import "gorm.io/gorm"

// holdCampaign serialises the changes that must not interleave within a
// campaign, on PostgreSQL, by holding the campaign's row until the
// transaction ends. Everyday writes (a score, an assignment, a recusal, a
// report) hold it shared and run side by side; the changes that decide
// over them hold it alone: locking or reopening the judging round,
// removing a judge, auto-assignment (two would fill the same gaps), and
// closing a period (no report of it may land after its final facts are
// read). Holding alone waits for the shared holders to finish, and they
// then see its change. The row is held in a mode that does not block
// inserts that merely reference the campaign. SQLite runs one write
// transaction at a time anyway.
func holdCampaign(tx *gorm.DB, cid int64, alone bool) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	mode := "SHARE"
	if alone {
		mode = "NO KEY UPDATE"
	}
	var id int64
	return tx.Raw("SELECT id FROM campaigns WHERE id = ? FOR "+mode, cid).Scan(&id).Error
}
