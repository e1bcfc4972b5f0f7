package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Events a webhook may subscribe to.
const (
	EventRunSucceeded   = "run.succeeded"
	EventRunFailed      = "run.failed"
	EventPeriodClosed   = "period.closed"
	EventHonourGranted  = "honour.granted"
	EventHonourRevoked  = "honour.revoked"
	EventReportReturned = "report.returned"
	// EventTest is what a subscription's "send a test event" sends; nobody
	// subscribes to it.
	EventTest = "webhook.test"
)

// Events lists the events a webhook may subscribe to.
var Events = []string{EventRunSucceeded, EventRunFailed, EventPeriodClosed, EventHonourGranted, EventHonourRevoked, EventReportReturned}

// Delivery statuses: pending until a 2xx answer (delivered) or the last
// attempt (failed).
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Webhook is a subscription: the events of a campaign (of every campaign
// when Campaign is nil) are posted to URL, signed with Secret.
type Webhook struct {
	ID         int64    `json:"id"`
	CampaignID *int64   `json:"-"`
	Campaign   *string  `json:"campaign" gorm:"->;-:migration"` // the campaign's slug
	URL        string   `json:"url"`
	EventList  string   `json:"-" gorm:"column:events"`
	Events     []string `json:"events" gorm:"-"`
	// Secret signs the deliveries; it is never shown again after creation.
	Secret    string    `json:"-"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	// OrganiserCode is the code of the campaign's organising unit ("" for
	// none), for the policy.
	OrganiserCode string `json:"-" gorm:"->;-:migration"`
}

// TableName is the subscriptions' table.
func (Webhook) TableName() string { return "webhook_subscriptions" }

// Wants reports whether the subscription takes the event.
func (w *Webhook) Wants(event string) bool { return slices.Contains(w.Events, event) }

func (w *Webhook) fill() { w.Events = strings.Split(w.EventList, ",") }

// Delivery is one event sent to one subscription: a row of the outbox and
// of the deliveries log.
type Delivery struct {
	Seq            int64  `json:"-" gorm:"column:id;primaryKey"`
	ID             string `json:"id" gorm:"column:uid"` // in the body: receivers dedupe on it
	SubscriptionID int64  `json:"subscription"`
	Event          string `json:"event"`
	// Body is the JSON posted at every attempt.
	Body     string `json:"-"`
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
	// NextAttemptAt is when a pending delivery is sent next.
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LeaseUntil    *time.Time `json:"-"`
	LeaseToken    string     `json:"-"`
	// LastStatus is the HTTP status of the last answer (nil: none came);
	// LastError what went wrong with the last attempt.
	LastStatus *int       `json:"last_status"`
	LastError  string     `json:"last_error,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// TableName is the deliveries' table.
func (Delivery) TableName() string { return "webhook_deliveries" }

// Envelope is the JSON body of every delivery.
type Envelope struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"created_at"`
	Campaign  *string   `json:"campaign"`
	Data      any       `json:"data"`
}

// NewWebhook is a subscription to create; Campaign "" covers every campaign.
type NewWebhook struct {
	Campaign string
	URL      string
	Events   []string
	Secret   string
}

const webhookColumns = `w.*, c.slug AS campaign, COALESCE(o.code, '') AS organiser_code`

func (db *DB) webhooks(tx *gorm.DB) *gorm.DB {
	return tx.Table("webhook_subscriptions w").Select(webhookColumns).
		Joins("LEFT JOIN campaigns c ON c.id = w.campaign_id").Joins("LEFT JOIN units o ON o.id = c.organiser_id")
}

// CreateWebhook stores a subscription (its input checked by the caller).
func (db *DB) CreateWebhook(ctx context.Context, n NewWebhook) (*Webhook, error) {
	w := Webhook{URL: n.URL, EventList: strings.Join(n.Events, ","), Secret: n.Secret,
		CreatedBy: ActorFrom(ctx).Username, CreatedAt: db.Now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if n.Campaign != "" {
			cid, err := campaignID(tx, n.Campaign)
			if err != nil {
				return err
			}
			w.CampaignID = &cid
		}
		if err := tx.Omit("Campaign", "OrganiserCode").Create(&w).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "create", "webhook", idKey(w.ID), nil,
			map[string]any{"url": w.URL, "events": n.Events, "campaign": n.Campaign})
	})
	if err != nil {
		return nil, err
	}
	return db.Webhook(ctx, w.ID)
}

// Webhook reads a subscription.
func (db *DB) Webhook(ctx context.Context, id int64) (*Webhook, error) {
	var out []Webhook
	if err := db.webhooks(db.gorm.WithContext(ctx)).Where("w.id = ?", id).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, notFound("no webhook %d", id)
	}
	out[0].fill()
	return &out[0], nil
}

// Webhooks lists every subscription, oldest first (there are few; the
// caller keeps those its actor may see).
func (db *DB) Webhooks(ctx context.Context) ([]Webhook, error) {
	var out []Webhook
	if err := db.webhooks(db.gorm.WithContext(ctx)).Order("w.id").Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].fill()
	}
	return out, nil
}

// DeleteWebhook removes a subscription with its deliveries: those pending
// are not sent.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var before []Webhook
		if err := tx.Where("id = ?", id).Limit(1).Find(&before).Error; err != nil {
			return err
		}
		if len(before) == 0 {
			return notFound("no webhook %d", id)
		}
		if err := tx.Delete(&Webhook{}, id).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "delete", "webhook", idKey(id), map[string]any{"url": before[0].URL, "events": before[0].EventList}, nil)
	})
}

// Deliveries lists a subscription's deliveries, newest first.
func (db *DB) Deliveries(ctx context.Context, webhook int64, p Page) ([]Delivery, string, error) {
	var before int64
	if err := p.decode(&before); err != nil {
		return nil, "", err
	}
	q := db.gorm.WithContext(ctx).Where("subscription_id = ?", webhook)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var out []Delivery
	if err := q.Order("id DESC").Limit(p.limit() + 1).Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := paginate(out, p.limit(), func(d Delivery) any { return d.Seq })
	return out, next, nil
}

// TestWebhook queues a test event for a subscription, to be sent at once.
func (db *DB) TestWebhook(ctx context.Context, id int64) (*Delivery, error) {
	w, err := db.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	d := newDelivery(w.ID, EventTest, now, w.Campaign, map[string]any{
		"webhook": w.ID, "message": "Sự kiện thử từ Thi Đua / A test event from Thi Đua"})
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "test", "webhook", idKey(w.ID), nil, map[string]any{"delivery": d.ID})
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// event is something that happened, to be sent to the subscriptions that
// take it.
type event struct {
	typ  string
	data any
}

// publish writes the deliveries of events of a campaign into the outbox,
// in the transaction of the change that caused them: they are sent if and
// only if it commits. On PostgreSQL the subscriptions read are held against
// deletion until then.
func (db *DB) publish(tx *gorm.DB, campaignID int64, events ...event) error {
	if len(events) == 0 {
		return nil
	}
	q := tx.Select("id, events").Where("campaign_id IS NULL OR campaign_id = ?", campaignID)
	if tx.Dialector.Name() == Postgres {
		q = q.Clauses(clause.Locking{Strength: "KEY SHARE"})
	}
	var subs []Webhook
	if err := q.Find(&subs).Error; err != nil {
		return err
	}
	if len(subs) == 0 {
		return nil
	}
	var slugs []string
	if err := tx.Model(&Campaign{}).Where("id = ?", campaignID).Pluck("slug", &slugs).Error; err != nil {
		return err
	}
	var slug *string
	if len(slugs) > 0 {
		slug = &slugs[0]
	}
	now := db.Now()
	var rows []Delivery
	for i := range subs {
		subs[i].fill()
		for _, e := range events {
			if subs[i].Wants(e.typ) {
				rows = append(rows, newDelivery(subs[i].ID, e.typ, now, slug, e.data))
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, 500).Error
}

// newDelivery is a pending delivery of an event, due now, its body made.
func newDelivery(webhook int64, typ string, now time.Time, campaign *string, data any) Delivery {
	id := newDeliveryID()
	body, err := json.Marshal(Envelope{ID: id, Type: typ, CreatedAt: now, Campaign: campaign, Data: data})
	if err != nil {
		panic(fmt.Sprintf("store: encode a %s event: %v", typ, err)) // only called with encodable values
	}
	return Delivery{ID: id, SubscriptionID: webhook, Event: typ, Body: string(body), Status: DeliveryPending,
		NextAttemptAt: now, CreatedAt: now}
}

// newDeliveryID is a random UUID (version 4).
func newDeliveryID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Claim is a delivery a worker holds the lease of, with where to send it.
type Claim struct {
	Delivery
	URL    string
	Secret string
}

// ClaimDeliveries takes the lease, for lease, of at most n pending
// deliveries that are due and not leased, oldest first, and counts the
// attempt about to be made. A delivery is sent by one worker at a time: on
// PostgreSQL a row another claim is taking is skipped (FOR UPDATE SKIP
// LOCKED); SQLite has a single writer.
func (db *DB) ClaimDeliveries(ctx context.Context, n int, lease time.Duration) ([]Claim, error) {
	now := db.Now()
	token := newDeliveryID()
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []Claim
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var claimed []Delivery
		if err := tx.Raw(`UPDATE webhook_deliveries SET lease_until = ?, lease_token = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM webhook_deliveries
				WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
				ORDER BY next_attempt_at, id LIMIT ?`+lock+`)
			RETURNING *`, now.Add(lease), token, now, now, n).Scan(&claimed).Error; err != nil {
			return err
		}
		if len(claimed) == 0 {
			return nil
		}
		ids := make([]int64, len(claimed))
		for i, d := range claimed {
			ids[i] = d.SubscriptionID
		}
		var subs []Webhook
		if err := tx.Select("id, url, secret").Where("id IN ?", ids).Find(&subs).Error; err != nil {
			return err
		}
		byID := make(map[int64]Webhook, len(subs))
		for _, s := range subs {
			byID[s.ID] = s
		}
		for _, d := range claimed {
			s := byID[d.SubscriptionID]
			out = append(out, Claim{Delivery: d, URL: s.URL, Secret: s.Secret})
		}
		slices.SortFunc(out, func(a, b Claim) int { return a.NextAttemptAt.Compare(b.NextAttemptAt) })
		return nil
	})
	return out, err
}

// Attempt is the outcome of sending a delivery once.
type Attempt struct {
	Status    int    // the answer's HTTP status; 0 when none came
	Error     string // what went wrong; "" when delivered
	Delivered bool   // a 2xx answer
	// GiveUp marks an undelivered delivery failed for good; otherwise it is
	// sent again at Next.
	GiveUp bool
	Next   time.Time
}

// RecordAttempt records how the attempt of a claimed delivery went and
// releases its lease. A claim whose lease another worker took meanwhile
// changes nothing (ErrConflict).
func (db *DB) RecordAttempt(ctx context.Context, c Claim, a Attempt) error {
	now := db.Now()
	set := map[string]any{"lease_until": nil, "lease_token": "", "last_error": a.Error, "last_status": nil}
	if a.Status != 0 {
		set["last_status"] = a.Status
	}
	switch {
	case a.Delivered:
		set["status"], set["finished_at"] = DeliveryDelivered, now
	case a.GiveUp:
		set["status"], set["finished_at"] = DeliveryFailed, now
	default:
		set["next_attempt_at"] = a.Next
	}
	return db.tx(context.WithoutCancel(ctx), func(tx *gorm.DB) error {
		res := tx.Model(&Delivery{}).Where("id = ? AND lease_token = ? AND status = ?", c.Seq, c.LeaseToken, DeliveryPending).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return conflict("", "delivery %s is no longer leased by this worker", c.ID)
		}
		return nil
	})
}

// NextDelivery is when the next pending delivery falls due (ok false when
// none is pending), for a worker to sleep until then.
func (db *DB) NextDelivery(ctx context.Context) (time.Time, bool, error) {
	var next []time.Time
	err := db.gorm.WithContext(ctx).Model(&Delivery{}).Where("status = ?", DeliveryPending).
		Order("next_attempt_at").Limit(1).Pluck("next_attempt_at", &next).Error
	if err != nil || len(next) == 0 {
		return time.Time{}, false, err
	}
	return next[0], true, nil
}

// honourEvent is an honour as the honour.granted and honour.revoked events
// carry it.
type honourEvent struct {
	Serial       string     `json:"serial"`
	Unit         string     `json:"unit"`
	Period       string     `json:"period"`
	Title        string     `json:"title"`
	Scope        string     `json:"scope"`
	Group        string     `json:"group,omitempty"`
	Run          *int64     `json:"run,omitempty"`
	DecisionNo   string     `json:"decision_no,omitempty"`
	GrantedBy    string     `json:"granted_by"`
	GrantedAt    time.Time  `json:"granted_at"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokedBy    *string    `json:"revoked_by,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
}

func honourEventOf(typ string, h *Honour) event {
	return event{typ, map[string]any{"honour": honourEvent{Serial: h.Serial, Unit: h.Unit, Period: h.Period, Title: h.Title,
		Scope: h.Scope, Group: h.Grp, Run: h.RunID, DecisionNo: h.DecisionNo, GrantedBy: h.GrantedBy, GrantedAt: h.GrantedAt,
		RevokedAt: h.RevokedAt, RevokedBy: h.RevokedBy, RevokeReason: h.RevokeReason}}}
}

// runEvents are what a finished run tells: run.succeeded or run.failed,
// and period.closed when it closed its period with honours granted.
func runEvents(r *Run, granted []Honour) []event {
	typ := EventRunSucceeded
	if r.Status == RunFailed {
		typ = EventRunFailed
	}
	out := []event{{typ, map[string]any{"run": r}}}
	if r.Status != RunSucceeded || !r.Closing {
		return out
	}
	out = append(out, event{EventPeriodClosed, map[string]any{"period": r.Period, "period_start": r.PeriodStart,
		"period_end": r.PeriodEnd, "run": r.ID, "early_reason": r.EarlyReason, "honours_granted": len(granted)}})
	for i := range granted {
		out = append(out, honourEventOf(EventHonourGranted, &granted[i]))
	}
	return out
}

// PruneDeliveries removes the deliveries that were delivered or failed
// before cutoff, and returns how many: the log keeps what is recent.
func (db *DB) PruneDeliveries(ctx context.Context, cutoff time.Time) (int64, error) {
	res := db.gorm.WithContext(ctx).Where("status <> ? AND finished_at < ?", DeliveryPending, cutoff).Delete(&Delivery{})
	return res.RowsAffected, res.Error
}
