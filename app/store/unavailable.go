package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err means the database cannot serve now — a
// connection refused or cut, the server shutting down or starting up, the
// embedded database busy past its timeout — so that the same request may
// succeed in a moment.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var (
		connect *pgconn.ConnectError
		pg      *pgconn.PgError
		netErr  net.Error
		coded   interface{ Code() int }
	)
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, sql.ErrConnDone), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &pg):
		// Class 08: connection exception; 57P01–57P03: the server shutting
		// down, crashed or starting.
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	case errors.As(err, &coded):
		c := coded.Code() & 0xff // SQLite's primary result code
		return c == 5 || c == 6  // SQLITE_BUSY, SQLITE_LOCKED
	}
	// pgx reports a connection lost in the middle of a statement in words.
	return strings.Contains(err.Error(), "conn closed")
}
