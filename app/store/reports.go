package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Report is a unit's indicator values for one reporting period.
type Report struct {
	ID          int64              `json:"-"`
	CampaignID  int64              `json:"-"`
	UnitID      int64              `json:"-"`
	Campaign    string             `json:"campaign" gorm:"-"`
	Unit        string             `json:"unit" gorm:"-"`
	Period      string             `json:"period"`
	PeriodStart Date               `json:"period_start"`
	PeriodEnd   Date               `json:"period_end"` // exclusive
	SubmittedAt time.Time          `json:"submitted_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	Values      map[string]float64 `json:"values" gorm:"-"`
}

type reportValue struct {
	ReportID    int64
	IndicatorID int64
	Value       float64
}

func (reportValue) TableName() string { return "report_values" }

// ReportPeriod names a reporting period and its dates (end exclusive).
type ReportPeriod struct {
	Key        string
	Start, End Date
}

// PutReport records a unit's values for a period, replacing the values it
// names and keeping the others. The first submission's time is kept: it
// decides whether the report was on time. A closed period is ErrConflict.
func (db *DB) PutReport(ctx context.Context, slug, unit string, p ReportPeriod, values map[string]float64) (*Report, error) {
	if err := finite("values", values); err != nil {
		return nil, err
	}
	var out *Report
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		uid, err := participant(tx, cid, "unit", unit)
		if err != nil {
			return err
		}
		if err := holdCampaign(tx, cid, false); err != nil {
			return err
		}
		// One report of a unit at a time: a double-tapped first submission
		// becomes a report and its revision, not a report and a conflict.
		if err := holdRow(tx, "units", uid); err != nil {
			return err
		}
		var closed []string
		if err := tx.Table("closed_periods").Where("campaign_id = ? AND period_start < ? AND period_end > ?", cid, p.End, p.Start).Limit(1).Pluck("period", &closed).Error; err != nil {
			return err
		}
		if len(closed) > 0 {
			return conflict("period", "period %s is closed: its reports can no longer change", closed[0])
		}
		ids, err := indicatorIDs(tx, cid, "values", values)
		if err != nil {
			return err
		}
		before, err := db.report(tx, cid, uid, p.Key)
		if err != nil {
			return err
		}
		now := db.Now()
		r := Report{CampaignID: cid, UnitID: uid, Period: p.Key, PeriodStart: p.Start, PeriodEnd: p.End, SubmittedAt: now, UpdatedAt: now}
		if before != nil {
			r.ID, r.SubmittedAt = before.ID, before.SubmittedAt
			if err := tx.Model(&r).Update("updated_at", now).Error; err != nil {
				return err
			}
		} else if err := tx.Create(&r).Error; err != nil {
			return err
		}
		rows := make([]reportValue, 0, len(values))
		for k, v := range values {
			rows = append(rows, reportValue{ReportID: r.ID, IndicatorID: ids[k], Value: v})
		}
		if len(rows) > 0 {
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "report_id"}, {Name: "indicator_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"value"}),
			}).Create(&rows).Error; err != nil {
				return err
			}
		}
		if out, err = db.report(tx, cid, uid, p.Key); err != nil {
			return err
		}
		out.Campaign, out.Unit = slug, unit
		var b any
		if before != nil {
			before.Campaign, before.Unit = slug, unit
			b = before
		}
		return db.audit(ctx, tx, "report", "report", slug+"/"+unit+"/"+p.Key, b, out)
	})
	return out, err
}

// report reads one report with its values, or nil when there is none.
func (db *DB) report(tx *gorm.DB, cid, uid int64, period string) (*Report, error) {
	var rows []Report
	if err := tx.Where("campaign_id = ? AND unit_id = ? AND period = ?", cid, uid, period).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := &rows[0]
	var vals []struct {
		Key   string
		Value float64
	}
	err := tx.Table("report_values v").Select("i.key, v.value").Joins("JOIN indicators i ON i.id = v.indicator_id").
		Where("v.report_id = ?", r.ID).Scan(&vals).Error
	r.Values = make(map[string]float64, len(vals))
	for _, v := range vals {
		r.Values[v.Key] = v.Value
	}
	return r, err
}

// Reports lists a unit's reports in a campaign, oldest period first.
func (db *DB) Reports(ctx context.Context, slug, unit string) ([]Report, error) {
	var out []Report
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cid, err := campaignID(tx, slug)
		if err != nil {
			return err
		}
		uid, err := unitID(tx, unit)
		if err != nil {
			return err
		}
		if err := tx.Where("campaign_id = ? AND unit_id = ?", cid, uid).Order("period_start").Find(&out).Error; err != nil {
			return err
		}
		var vals []struct {
			ReportID int64
			Key      string
			Value    float64
		}
		if err := tx.Table("report_values v").Select("v.report_id, i.key, v.value").
			Joins("JOIN reports r ON r.id = v.report_id").Joins("JOIN indicators i ON i.id = v.indicator_id").
			Where("r.campaign_id = ? AND r.unit_id = ?", cid, uid).Scan(&vals).Error; err != nil {
			return err
		}
		byID := make(map[int64]*Report, len(out))
		for i := range out {
			out[i].Campaign, out[i].Unit, out[i].Values = slug, unit, map[string]float64{}
			byID[out[i].ID] = &out[i]
		}
		for _, v := range vals {
			byID[v.ReportID].Values[v.Key] = v.Value
		}
		return nil
	})
	return out, err
}
