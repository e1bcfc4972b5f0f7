// Package store holds the platform's data: the GORM models and every query.
// It is the only package that talks SQL. It runs on PostgreSQL (DATABASE_URL)
// or on the embedded pure-Go SQLite file, with the same schema (see
// migrations/) and the same behaviour; hard queries are written as SQL that
// both dialects accept.
//
// Every write runs in one transaction together with its audit entry. Errors
// are ErrNotFound, ErrConflict or ErrInvalid (wrapped in *Error with the
// field and a detail), never a driver's text and never nil, nil.
package store
