package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// The few reads that move a million rows (a national campaign's indicator
// values and judge scores) bypass database/sql on PostgreSQL: they run on
// the pool's connection as native pgx, in the binary protocol, and decode
// the raw column values themselves. Everything else, and SQLite always,
// stays on the portable path.

// withPgx runs fn on a native pgx connection taken from the pool. fn must
// leave no transaction open (pgx.BeginTxFunc closes its own).
func (db *DB) withPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: driver connection %T is not pgx", dc)
		}
		return fn(c.Conn())
	})
}

// inSnapshot runs fn in a read-only transaction of its own that reads the
// exported snapshot, as every fact query of a run does (see Facts).
func (db *DB) inSnapshot(ctx context.Context, snapshot string, fn func(pgx.Tx) error) error {
	return db.withPgx(ctx, func(c *pgx.Conn) error {
		return pgx.BeginTxFunc(ctx, c, snapshotTx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET TRANSACTION SNAPSHOT '"+snapshot+"'"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil { // hash in memory
				return err
			}
			return fn(tx)
		})
	})
}

// rawMode is how the raw reads run: the extended protocol, which returns
// numbers in binary, whatever the connection string's default mode.
const rawMode = pgx.QueryExecModeDescribeExec

// column is a result column's type and the format pgx asks it in: binary
// for numbers and dates, text for text and json.
type column struct {
	oid    uint32
	format int16
}

var (
	int8Column   = column{pgtype.Int8OID, pgx.BinaryFormatCode}
	float8Column = column{pgtype.Float8OID, pgx.BinaryFormatCode}
	dateColumn   = column{pgtype.DateOID, pgx.BinaryFormatCode}
	timeColumn   = column{pgtype.TimestamptzOID, pgx.BinaryFormatCode} // microseconds since 2000, as rawInt8
	textColumn   = column{pgtype.TextOID, pgx.TextFormatCode}
	jsonColumn   = column{pgtype.JSONOID, pgx.TextFormatCode}
)

// checkColumns checks that rows come in the types and formats that the raw
// decoders below read.
func checkColumns(rows pgx.Rows, want ...column) error {
	fds := rows.FieldDescriptions()
	if len(fds) != len(want) {
		return fmt.Errorf("store: %d columns, want %d", len(fds), len(want))
	}
	for i, fd := range fds {
		if got := (column{fd.DataTypeOID, fd.Format}); got != want[i] {
			return fmt.Errorf("store: column %s is %v, want %v", fd.Name, got, want[i])
		}
	}
	return nil
}

// rawInt8 decodes a binary bigint.
func rawInt8(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("store: bigint of %d bytes", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

// rawFloat8 decodes a binary double precision.
func rawFloat8(b []byte) (float64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("store: double of %d bytes", len(b))
	}
	return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
}

// rawDate decodes a binary date as days since 2000-01-01.
func rawDate(b []byte) (int32, error) {
	if len(b) != 4 {
		return 0, fmt.Errorf("store: date of %d bytes", len(b))
	}
	return int32(binary.BigEndian.Uint32(b)), nil
}
