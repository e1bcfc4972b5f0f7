package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/thidua/thidua/app/policy"
	"gorm.io/gorm"
)

// User is someone who signs in.
type User struct {
	ID           int64  `json:"-"`
	Username     string `json:"username"`
	PasswordHash string `json:"-"`
	Role         string `json:"role"` // one of policy.Roles
	UnitID       *int64 `json:"-"`
	Unit         string `json:"unit" gorm:"->;-:migration"`
	// Scope is what an officer acts for: policy.Own or policy.Subtree.
	Scope string `json:"scope"`
	// Email is where reminders go and how single sign-on finds the user;
	// nil when the user has none. Unique without regard to case.
	Email *string `json:"email"`
	// UnsubscribedAt is when the user asked for no more reminders.
	UnsubscribedAt *time.Time `json:"unsubscribed_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Actor is the user as the policy sees it.
func (u *User) Actor() policy.Actor {
	if u == nil {
		return policy.Actor{}
	}
	return policy.Actor{Username: u.Username, Role: u.Role, Unit: u.Unit, Scope: u.Scope}
}

// NewUser is what creating a user takes; the password is already hashed.
type NewUser struct {
	Username     string
	PasswordHash string
	Role         string
	Unit         string
	Scope        string // "" for policy.Own
	Email        string // "" for none
}

// CreateUser creates a user; a taken username is ErrConflict.
func (db *DB) CreateUser(ctx context.Context, n NewUser) (*User, error) {
	if n.Scope == "" {
		n.Scope = policy.Own
	}
	u := &User{Username: n.Username, PasswordHash: n.PasswordHash, Role: n.Role, Unit: n.Unit, Scope: n.Scope}
	if n.Email != "" {
		u.Email = &n.Email
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if n.Unit != "" {
			id, err := unitID(tx, n.Unit)
			if err != nil {
				return invalidUnit("unit", n.Unit, err)
			}
			u.UnitID = &id
		}
		var taken int64
		if err := tx.Model(&User{}).Where("lower(username) = lower(?)", n.Username).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return conflict("username", "username %q is taken", n.Username)
		}
		if err := emailFree(tx, n.Email, 0); err != nil {
			return err
		}
		if err := tx.Omit("Unit").Create(u).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, "create", "user", u.Username, nil, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// EnsureAdmin creates the user "admin" with the hash unless it exists.
func (db *DB) EnsureAdmin(ctx context.Context, passwordHash string) (created bool, err error) {
	var n int64
	if err := db.gorm.WithContext(ctx).Model(&User{}).Where("username = ?", "admin").Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	_, err = db.CreateUser(ctx, NewUser{Username: "admin", PasswordHash: passwordHash, Role: policy.Admin})
	if errors.Is(err, ErrConflict) { // another replica made it first
		return false, nil
	}
	return err == nil, err
}

const userColumns = `users.id, users.username, users.password_hash, users.role, users.unit_id, users.scope,
	users.email, users.unsubscribed_at, users.created_at, COALESCE(units.code, '') AS unit`

// UserByUsername returns the user, with its password hash; usernames are
// matched without regard to case.
func (db *DB) UserByUsername(ctx context.Context, username string) (*User, error) {
	return db.userWhere(ctx, notFound("no user %q", username), "lower(users.username) = lower(?)", username)
}

// UserByEmail returns the user with the address, matched without regard
// to case.
func (db *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	return db.userWhere(ctx, notFound("no user with e-mail %q", email), "lower(users.email) = lower(?)", email)
}

// UserByID returns the user with the id.
func (db *DB) UserByID(ctx context.Context, id int64) (*User, error) {
	return db.userWhere(ctx, notFound("no user %q", strconv.FormatInt(id, 10)), "users.id = ?", id)
}

// userWhere returns the one user that cond holds for, or missing.
func (db *DB) userWhere(ctx context.Context, missing error, cond string, arg any) (*User, error) {
	var u User
	res := db.gorm.WithContext(ctx).Table("users").Select(userColumns).
		Joins("LEFT JOIN units ON units.id = users.unit_id").Where(cond, arg).Scan(&u)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, missing
	}
	return &u, nil
}

// SetEmail gives the user an address ("" removes it); an address another
// user has is ErrConflict. A new address receives reminders again, even if
// the old one had unsubscribed.
func (db *DB) SetEmail(ctx context.Context, username, email string) (*User, error) {
	var after *User
	err := db.tx(ctx, func(tx *gorm.DB) error {
		before, err := userIn(tx, username)
		if err != nil {
			return err
		}
		if err := emailFree(tx, email, before.ID); err != nil {
			return err
		}
		set := map[string]any{"email": nil}
		if email != "" {
			set["email"] = email
		}
		if old := before.Email; old == nil || !strings.EqualFold(*old, email) {
			set["unsubscribed_at"] = nil
		}
		if err := tx.Table("users").Where("id = ?", before.ID).Updates(set).Error; err != nil {
			return translate(err)
		}
		if after, err = userIn(tx, username); err != nil {
			return err
		}
		return db.audit(ctx, tx, "update", "user", before.Username, before, after)
	})
	return after, err
}

// Unsubscribe stops the reminders of the user with the id; it is kept
// when already stopped.
func (db *DB) Unsubscribe(ctx context.Context, userID int64) (*User, error) {
	var u *User
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE users SET unsubscribed_at = ? WHERE id = ? AND unsubscribed_at IS NULL`,
			db.Now(), userID).Error; err != nil {
			return err
		}
		var names []string
		if err := tx.Table("users").Where("id = ?", userID).Pluck("username", &names).Error; err != nil {
			return err
		}
		if len(names) == 0 {
			return notFound("no user %q", strconv.FormatInt(userID, 10))
		}
		var err error
		u, err = userIn(tx, names[0])
		return err
	})
	return u, err
}

// userIn reads a user inside a transaction.
func userIn(tx *gorm.DB, username string) (*User, error) {
	var u User
	res := tx.Table("users").Select(userColumns).Joins("LEFT JOIN units ON units.id = users.unit_id").
		Where("lower(users.username) = lower(?)", username).Scan(&u)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, notFound("no user %q", username)
	}
	return &u, nil
}

// emailFree refuses an address another user (not the one with the id)
// already has.
func emailFree(tx *gorm.DB, email string, self int64) error {
	if email == "" {
		return nil
	}
	var taken int64
	if err := tx.Model(&User{}).Where("lower(email) = lower(?) AND id <> ?", email, self).Count(&taken).Error; err != nil {
		return err
	}
	if taken > 0 {
		return conflict("email", "e-mail %q belongs to another user", email)
	}
	return nil
}

type token struct {
	Hash      string `gorm:"primaryKey"`
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (token) TableName() string { return "tokens" }

// CreateToken records a session token (by the hash of its secret) for the user.
func (db *DB) CreateToken(ctx context.Context, hash string, userID int64, ttl time.Duration) error {
	now := db.Now()
	return translate(db.gorm.WithContext(ctx).Create(&token{
		Hash: hash, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl),
	}).Error)
}

// UserByToken returns the user of a live session, by its token's hash, and
// when the session expires.
func (db *DB) UserByToken(ctx context.Context, hash string) (*User, time.Time, error) {
	var u struct {
		User
		ExpiresAt time.Time
	}
	res := db.gorm.WithContext(ctx).Table("tokens").Select(userColumns+", tokens.expires_at").
		Joins("JOIN users ON users.id = tokens.user_id").
		Joins("LEFT JOIN units ON units.id = users.unit_id").
		Where("tokens.hash = ? AND tokens.revoked_at IS NULL AND tokens.expires_at > ?", hash, db.Now()).
		Scan(&u)
	if res.Error != nil {
		return nil, time.Time{}, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, time.Time{}, notFound("no such session")
	}
	return &u.User, u.ExpiresAt, nil
}

// RevokeToken ends a session.
func (db *DB) RevokeToken(ctx context.Context, hash string) error {
	return db.gorm.WithContext(ctx).Model(&token{}).
		Where("hash = ? AND revoked_at IS NULL", hash).Update("revoked_at", db.Now()).Error
}

// unitID resolves a unit code.
func unitID(tx *gorm.DB, code string) (int64, error) {
	var ids []int64
	if err := tx.Model(&Unit{}).Where("code = ?", code).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, notFound("no unit with code %q", code)
	}
	return ids[0], nil
}

// invalidUnit turns "no such unit" in a request field into ErrInvalid.
func invalidUnit(field, code string, err error) error {
	if errors.Is(err, ErrNotFound) {
		return invalid(field, "unknown unit %q", code)
	}
	return err
}

// UserFilter narrows a list of users.
type UserFilter struct {
	Within string // users of this unit and the units below it
	Page
}

// Users lists users by username.
func (db *DB) Users(ctx context.Context, f UserFilter) ([]User, string, error) {
	var after string
	if err := f.decode(&after); err != nil {
		return nil, "", err
	}
	q := db.gorm.WithContext(ctx).Table("users").Select(userColumns).Joins("LEFT JOIN units ON units.id = users.unit_id")
	if f.Within != "" {
		q = q.Where("users.unit_id IN ("+subtreeOfCode+" SELECT id FROM down)", f.Within)
	}
	if after != "" {
		q = q.Where("users.username > ?", after)
	}
	var out []User
	if err := q.Order("users.username").Limit(f.limit() + 1).Scan(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := paginate(out, f.limit(), func(u User) any { return u.Username })
	return out, next, nil
}
