package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// A pipe is a write transaction whose statements are queued and sent in as
// few round trips as their dependencies allow. On PostgreSQL (DB.piped)
// the statements queued before a flush leave together in one round trip,
// the first behind BEGIN and the last ahead of COMMIT: an everyday write
// that holds what it changes and reads it, decides, then writes, takes two
// round trips where a statement each took five. On SQLite, and in a
// transaction already begun (pipeOn), each statement runs as it is queued
// and a flush returns the first error. Either way a statement queued after
// one that failed does not run, and nothing is written unless all are.
//
// Statements are SQL with ? placeholders, or @name ones and a map of their
// arguments as their one argument (as GORM takes them). A query's scan runs once its
// rows arrive, before flush returns; it must not queue statements.
type pipe struct {
	ctx      context.Context
	postgres bool // the dialect, for the statements that differ

	// Batched: the connection, the statements not sent yet, and whether
	// BEGIN has been sent.
	conn  *pgx.Conn
	batch *pgx.Batch
	begun bool

	// Eager: the transaction, and the first error of its statements.
	tx  *gorm.DB
	err error

	audited bool // an entry of the audit log was queued
}

// rows are a query's rows as its scan reads them: *sql.Rows or pgx.Rows.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// piped runs fn in a pipe and commits what it queued, unless fn or a
// statement fails: then nothing is written and the error is returned.
func (db *DB) piped(ctx context.Context, fn func(*pipe) error) error {
	if db.dialect != Postgres {
		return db.tx(ctx, func(tx *gorm.DB) error {
			p := pipeOn(ctx, tx)
			if err := fn(p); err != nil {
				return err
			}
			return p.err
		})
	}
	release, err := db.turn(ctx)
	if err != nil {
		return translate(err)
	}
	defer release()
	err = db.withPgx(ctx, func(c *pgx.Conn) error {
		p := &pipe{ctx: ctx, postgres: true, conn: c, batch: &pgx.Batch{}}
		err := fn(p)
		if err == nil {
			p.batch.Queue("COMMIT")
			if err = p.flush(); err == nil {
				if p.audited {
					db.writes.Add(1)
				}
				return nil
			}
		}
		if p.begun && c.PgConn().TxStatus() != 'I' {
			if _, rerr := c.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				// The connection's state is unknown: it must not go back to
				// the pool as it is.
				_ = c.Close(context.WithoutCancel(ctx))
				return errors.Join(err, driver.ErrBadConn)
			}
		}
		return err
	})
	return translate(db.pgxError(err))
}

// pgxError is what GORM's dialect and badText make of an error of
// PostgreSQL's to a statement sent past GORM: what the store's other
// statements' errors are made before translate.
func (db *DB) pgxError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	if t, ok := db.gorm.Dialector.(gorm.ErrorTranslator); ok {
		if te := t.Translate(pe); te != error(pe) {
			return te
		}
	}
	return badText(err)
}

// pipeOn is an eager pipe in a transaction already begun: for the parts a
// piped write shares with the others.
func pipeOn(ctx context.Context, tx *gorm.DB) *pipe {
	return &pipe{ctx: ctx, postgres: tx.Dialector.Name() == Postgres, tx: tx}
}

// query queues a statement whose rows scan reads.
func (p *pipe) query(sql string, args []any, scan func(rows) error) {
	if p.batch != nil {
		p.queue(sql, args).Query(func(r pgx.Rows) error { return scan(r) })
		return
	}
	if p.err != nil {
		return
	}
	r, err := p.tx.Raw(sql, args...).Rows()
	if err != nil {
		p.err = err
		return
	}
	defer r.Close()
	if err := scan(r); err != nil {
		p.err = err
		return
	}
	if err := r.Err(); err != nil {
		p.err = err
		return
	}
	p.err = r.Close()
}

// exec queues a statement that returns no rows.
func (p *pipe) exec(sql string, args ...any) {
	if p.batch != nil {
		p.queue(sql, args)
		return
	}
	if p.err == nil {
		p.err = p.tx.Exec(sql, args...).Error
	}
}

// queue adds a statement to the batch, with BEGIN first if it is the
// transaction's first, its placeholders numbered as PostgreSQL's and its
// arguments' values as their database/sql Value says (as the store's
// other statements send them).
func (p *pipe) queue(sql string, args []any) *pgx.QueuedQuery {
	if !p.begun {
		p.batch.Queue("BEGIN")
		p.begun = true
	}
	sql, args = pgStatement(sql, args)
	values := make([]any, len(args))
	for i, a := range args {
		values[i] = a
		if v, ok := a.(driver.Valuer); ok {
			var err error
			if values[i], err = v.Value(); err != nil {
				p.err = err
			}
		}
	}
	return p.batch.Queue(sql, values...)
}

// pgStatement is a statement as PostgreSQL takes it: its placeholders
// numbered and its arguments in their order. Each SQL text is rewritten
// once (the everyday writes' statements run to kilobytes) and remembered,
// up to maxStatementShapes of them.
func pgStatement(sql string, args []any) (string, []any) {
	named, isNamed := namedArgs(args)
	if v, ok := statementShapes.Load(sql); ok {
		sh := v.(*statementShape)
		if !isNamed && !sh.isNamed {
			return sh.sql, args
		}
		if out, ok := sh.argsOf(named); isNamed && ok {
			return sh.sql, out
		}
	}
	sh := &statementShape{isNamed: isNamed}
	if isNamed {
		var q string
		q, args, sh.names = positional(sql, named)
		sh.sql = numbered(q)
	} else {
		sh.sql = numbered(sql)
	}
	if statementShapeCount.Add(1) <= maxStatementShapes {
		statementShapes.LoadOrStore(sql, sh)
	}
	return sh.sql, args
}

// statementShape is what pgStatement makes of a statement's SQL: the SQL
// with $n placeholders and, for @name parameters, their names in order.
type statementShape struct {
	sql     string
	isNamed bool
	names   []string
}

// argsOf is the arguments of the shape's names in named, if named names
// exactly these: otherwise the SQL reads differently (an @name not in the
// map stays as it is).
func (sh *statementShape) argsOf(named map[string]any) ([]any, bool) {
	out := make([]any, len(sh.names))
	distinct := 0
	for i, n := range sh.names {
		a, ok := named[n]
		if !ok {
			return nil, false
		}
		if !slices.Contains(sh.names[:i], n) {
			distinct++
		}
		out[i] = a
	}
	return out, distinct == len(named)
}

var (
	statementShapes     sync.Map // SQL → *statementShape
	statementShapeCount atomic.Int64
)

// maxStatementShapes bounds the statements pgStatement remembers: the
// store's statements, some with a variant per count of their values.
const maxStatementShapes = 4096

// flush sends the statements queued and runs their scans, in one round
// trip when batched. It returns the first error.
func (p *pipe) flush() error {
	if p.batch == nil || p.batch.Len() == 0 {
		return p.err
	}
	if p.err != nil {
		return p.err
	}
	b := p.batch
	p.batch = &pgx.Batch{}
	p.err = p.conn.SendBatch(p.ctx, b).Close()
	return p.err
}

// namedArgs are a statement's arguments by name (@name in its SQL, as
// GORM takes them), if they are.
func namedArgs(args []any) (map[string]any, bool) {
	if len(args) != 1 {
		return nil, false
	}
	m, ok := args[0].(map[string]any)
	return m, ok
}

// positional writes sql's @name parameters as ? placeholders, outside
// quoted text, and returns the arguments and their names in their order.
func positional(sql string, named map[string]any) (string, []any, []string) {
	var args []any
	var names []string
	out := unquoted(sql, func(i int) (string, int) {
		if sql[i] != '@' {
			return "", i
		}
		j := i + 1
		for j < len(sql) && (sql[j] == '_' || 'a' <= sql[j] && sql[j] <= 'z' || 'A' <= sql[j] && sql[j] <= 'Z' || j > i+1 && '0' <= sql[j] && sql[j] <= '9') {
			j++
		}
		v, ok := named[sql[i+1:j]]
		if !ok {
			return "", i
		}
		args, names = append(args, v), append(names, sql[i+1:j])
		return "?", j
	})
	return out, args, names
}

// numbered writes sql's ? placeholders as PostgreSQL's $1, $2…, outside
// quoted text.
func numbered(sql string) string {
	if !strings.Contains(sql, "?") {
		return sql
	}
	n := 0
	return unquoted(sql, func(i int) (string, int) {
		if sql[i] != '?' {
			return "", i
		}
		n++
		return "$" + strconv.Itoa(n), i + 1
	})
}

// unquoted rewrites sql outside its quoted text ('…' and "…"): at each
// byte i there, replace may return what stands for sql[i:end]; an end of i
// keeps the byte.
func unquoted(sql string, replace func(i int) (with string, end int)) string {
	var b strings.Builder
	b.Grow(len(sql) + 8)
	quoted := byte(0)
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case quoted != 0:
			if c == quoted {
				quoted = 0
			}
		case c == '\'' || c == '"':
			quoted = c
		default:
			if with, end := replace(i); end > i {
				b.WriteString(with)
				i = end
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// auditedWrite queues writes and the audit entry of their change (see
// DB.auditedWrite): on PostgreSQL, one statement.
func (p *pipe) auditedWrite(db *DB, writes []write, action, entity, key string, before, after any) {
	e := db.auditEntry(p.ctx, action, entity, key, before, after)
	insert := `INSERT INTO audit_log (at, actor, request_id, action, entity, entity_key, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	entry := []any{e.At, e.Actor, e.RequestID, e.Action, e.Entity, e.EntityKey, e.Before, e.After}
	p.audited = true
	if p.tx != nil {
		db.audited.Store(p.tx.Statement.ConnPool, struct{}{}) // see DB.tx
	}
	if !p.postgres {
		for _, w := range writes {
			p.exec(w.sql, w.args...)
		}
		p.exec(insert, entry...)
		return
	}
	q, args := withWrites(writes)
	p.exec(q+insert, append(args, entry...)...)
}
