package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/thidua/thidua/migrations"
)

// Dialects the store runs on.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DB is the platform's database.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect string
	// Now is the store's clock, UTC and truncated to microseconds (what both
	// databases keep). Tests replace it.
	Now func() time.Time

	// writes counts the audited transactions this process committed (see
	// LocalWrites); audited marks those in progress that wrote an entry.
	writes  atomic.Int64
	audited sync.Map // the transaction's connection → struct{}

	auditCache auditCache // entries of the audit log read (see AuditLog)

	// What this process wrote last, for its next revision in one round
	// trip (see reviseInOneTrip, rescoreInOneTrip).
	writtenReports recent[writtenKey, writtenReport]
	writtenScores  recent[scoreKey, writtenScore]
	// Those writes waiting to share a transaction (see sendTrip).
	trips trips

	// turns queues transactions for the pool on PostgreSQL (nil on SQLite).
	turns atomic.Pointer[turns]
}

// Open connects to PostgreSQL when url is set, otherwise to the embedded
// SQLite database in file (created if absent). It does not migrate.
func Open(ctx context.Context, url, file string) (*DB, error) {
	db := &DB{Now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	cfg := &gorm.Config{
		Logger:                                   logger.Discard,
		TranslateError:                           true,
		SkipDefaultTransaction:                   true,
		DisableForeignKeyConstraintWhenMigrating: true,
		NowFunc:                                  func() time.Time { return db.Now() },
	}
	var err error
	if url != "" {
		db.dialect = Postgres
		db.gorm, err = gorm.Open(postgres.Open(url), cfg)
	} else {
		db.dialect = SQLite
		db.gorm, err = gorm.Open(sqlite.Open(sqliteDSN(file)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", db.dialect, err)
	}
	if err := translateBadText(db.gorm); err != nil {
		return nil, err
	}
	if db.sql, err = db.gorm.DB(); err != nil {
		return nil, err
	}
	if db.dialect == Postgres {
		db.SetMaxConns(defaultMaxConns())
	} else {
		// As many connections open as kept idle: each request beyond them
		// opened a connection (pragmas applied, schema read, page cache
		// cold), 11% of the CPU of the reports queue and 20% of the audit
		// log's at 64 clients; and each holds a page cache of its own, so
		// that 64 clients missing the response cache at once had 32 of
		// them open. SQLite runs on the process's cores: more connections
		// than a few a core only wait for them.
		db.sql.SetMaxOpenConns(defaultMaxConns())
		db.sql.SetMaxIdleConns(defaultMaxConns())
	}
	db.sql.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.sql.PingContext(ctx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.dialect, err)
	}
	return db, nil
}

// defaultMaxConns is how many PostgreSQL connections a process opens at
// most unless told: four a core, from 8 to 32. More backends than that on
// the cores that also run the service only queue for them, and the pool
// hands a freed connection to a waiting request at random, so the slowest
// requests wait the longer for it (measured: 20 connections on 2 cores
// gave the same report writes a second as 8, with p99 565 ms against 350);
// transactions queue for them in order (see turns).
func defaultMaxConns() int { return min(max(4*runtime.NumCPU(), 8), 32) }

// SetMaxConns sets how many PostgreSQL connections the process opens at
// most (THIDUA_DB_CONNS), all kept open when idle: under load a connection
// returned beyond the idle limit would be closed and another opened (a new
// backend process) for the next request; as many transactions hold them at
// once, the others waiting their turn. It does nothing on SQLite. Call it
// before the transactions start.
func (db *DB) SetMaxConns(n int) {
	if db.dialect != Postgres {
		return
	}
	db.sql.SetMaxOpenConns(n)
	db.sql.SetMaxIdleConns(n)
	t := make(turns, n)
	db.turns.Store(&t)
}

// turn waits for the transaction's turn at the pool (see turns).
func (db *DB) turn(ctx context.Context) (release func(), err error) {
	if t := db.turns.Load(); t != nil {
		return t.take(ctx)
	}
	return func() {}, nil
}

// sqliteDSN enables foreign keys, WAL, a busy timeout and immediate
// transactions (without it a read-then-write transaction fails with
// "database is locked" under concurrency). Times are written in SQLite's own
// format, always in UTC, so that they compare as text.
func sqliteDSN(file string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	// No _time_format: this driver then ignores _txlock, and its default
	// already writes times as "2006-01-02 15:04:05.999999999-07:00".
	return "file:" + file + "?" + q.Encode()
}

// Dialect is Postgres or SQLite.
func (db *DB) Dialect() string { return db.dialect }

// Close closes the connections.
func (db *DB) Close() error { return db.sql.Close() }

// SQL is the underlying pool, for what GORM does not cover (migrations,
// advisory locks, LISTEN).
func (db *DB) SQL() *sql.DB { return db.sql }

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations.FS, db.dialect)
	if err != nil {
		return nil, err
	}
	if db.dialect == Postgres {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		return goose.NewProvider(goose.DialectPostgres, db.sql, sub, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(goose.DialectSQLite3, db.sql, sub)
}

// Migrate applies every pending migration. Two processes may call it at
// once: on PostgreSQL a session advisory lock serialises them; on SQLite
// the caller holds the file lock (see LockFile).
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ready reports whether the database answers and every migration is applied.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.sql.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	p, err := db.provider()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	if pending {
		return errors.New("migrations pending")
	}
	return nil
}

// tx runs fn in one transaction.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	release, err := db.turn(ctx)
	if err != nil {
		return translate(err)
	}
	defer release()
	var conn gorm.ConnPool
	err = db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		conn = tx.Statement.ConnPool
		return fn(tx)
	})
	if conn != nil {
		if _, wrote := db.audited.LoadAndDelete(conn); wrote && err == nil {
			db.writes.Add(1)
		}
	}
	return translate(err)
}

// like escapes s for a LIKE pattern with '\' as the escape character.
func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
