package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Roles a user can have.
const (
	RoleAdmin = "admin" // organiser
	RoleUnit  = "unit"  // officer of one unit
	RoleJudge = "judge" // member of judging committees
)

// User is someone who signs in.
type User struct {
	ID           int64     `json:"-"`
	Username     string    `json:"username"`
	PasswordHash string    `json:"-"`
	Role         string    `json:"role"`
	UnitID       *int64    `json:"-"`
	Unit         string    `json:"unit" gorm:"->;-:migration"`
	CreatedAt    time.Time `json:"created_at"`
}

// NewUser is what creating a user takes; the password is already hashed.
type NewUser struct {
	Username     string
	PasswordHash string
	Role         string
	Unit         string
}

// CreateUser creates a user; a taken username is ErrConflict.
func (db *DB) CreateUser(ctx context.Context, n NewUser) (*User, error) {
	u := &User{Username: n.Username, PasswordHash: n.PasswordHash, Role: n.Role, Unit: n.Unit}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if n.Unit != "" {
			id, err := unitID(tx, n.Unit)
			if err != nil {
				return invalidUnit("unit", n.Unit, err)
			}
			u.UnitID = &id
		}
		var taken int64
		if err := tx.Model(&User{}).Where("username = ?", n.Username).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return conflict("username", "username %q is taken", n.Username)
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
	_, err = db.CreateUser(ctx, NewUser{Username: "admin", PasswordHash: passwordHash, Role: RoleAdmin})
	if errors.Is(err, ErrConflict) { // another replica made it first
		return false, nil
	}
	return err == nil, err
}

const userColumns = `users.id, users.username, users.password_hash, users.role, users.unit_id, users.created_at,
	COALESCE(units.code, '') AS unit`

// UserByUsername returns the user, with its password hash.
func (db *DB) UserByUsername(ctx context.Context, username string) (*User, error) {
	var u User
	res := db.gorm.WithContext(ctx).Table("users").Select(userColumns).
		Joins("LEFT JOIN units ON units.id = users.unit_id").
		Where("users.username = ?", username).Scan(&u)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, notFound("no user %q", username)
	}
	return &u, nil
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

// UserByToken returns the user of a live (not revoked, not expired) token.
func (db *DB) UserByToken(ctx context.Context, hash string) (*User, error) {
	var u User
	res := db.gorm.WithContext(ctx).Table("tokens").Select(userColumns).
		Joins("JOIN users ON users.id = tokens.user_id").
		Joins("LEFT JOIN units ON units.id = users.unit_id").
		Where("tokens.hash = ? AND tokens.revoked_at IS NULL AND tokens.expires_at > ?", hash, db.Now()).
		Scan(&u)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, notFound("no such session")
	}
	return &u, nil
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
