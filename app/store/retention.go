package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// MinKeepRuns is the fewest runs per period a retention policy may keep:
// a leaderboard shows the newest run's ranks and their change since the
// one before.
const MinKeepRuns = 2

// PruneRuns applies the retention policy to one period of a campaign: of
// its succeeded runs, the newest keep and every closing run keep their
// snapshot and result lines; the older ones lose them, in one transaction,
// and stay in the history marked pruned (with an audit entry each). It
// returns the ids of the runs pruned, oldest first.
func (db *DB) PruneRuns(ctx context.Context, campaignID int64, period string, keep int) ([]int64, error) {
	if keep < MinKeepRuns {
		return nil, fmt.Errorf("store: keep %d runs: want at least %d", keep, MinKeepRuns)
	}
	var ids []int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Raw(`SELECT id FROM runs
			WHERE campaign_id = ? AND period = ? AND status = ? AND NOT closing AND pruned_at IS NULL
			AND id < (SELECT MIN(id) FROM (SELECT id FROM runs WHERE campaign_id = ? AND period = ? AND status = ?
				ORDER BY id DESC LIMIT ?) newest)
			ORDER BY id`, campaignID, period, RunSucceeded, campaignID, period, RunSucceeded, keep).Scan(&ids).Error
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := tx.Exec("DELETE FROM run_results WHERE run_id IN ?", ids).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM run_snapshots WHERE run_id IN ?", ids).Error; err != nil {
			return err
		}
		if err := tx.Model(&Run{}).Where("id IN ?", ids).Update("pruned_at", db.Now()).Error; err != nil {
			return err
		}
		for _, id := range ids {
			if err := db.audit(ctx, tx, "prune", "run", idKey(id), nil, map[string]any{"period": period, "keep": keep}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
