// Package migrations holds the versioned SQL schema, one folder per dialect
// (postgres/ and sqlite/) kept in lockstep: the same files, the same versions.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
