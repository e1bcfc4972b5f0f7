package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/thidua/thidua/app/store"
	"github.com/thidua/thidua/app/store/dbtest"
)

// TestPipe: a pipe's writes land all together or not at all, whether a
// statement of its last round trip fails or its caller refuses between
// round trips, and the connection serves the next transaction either way
// (on PostgreSQL, one connection for all of them).
func TestPipe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.SetMaxConns(1)
		if _, err := db.SQL().ExecContext(ctx, "CREATE TABLE pipe_t (id integer PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		read := []string{"SELECT id FROM pipe_t"}
		ok := func([]int) error { return nil }
		stored := func(want int) {
			t.Helper()
			got, err := db.TwoRoundTrips(ctx, read, nil, ok)
			if err != nil || got[0] != want {
				t.Fatalf("rows stored = %v, %v; want %d", got, err, want)
			}
		}
		if _, err := db.TwoRoundTrips(ctx, read, []string{"INSERT INTO pipe_t VALUES (1)", "INSERT INTO pipe_t VALUES (2)"}, ok); err != nil {
			t.Fatal(err)
		}
		stored(2)
		_, err := db.TwoRoundTrips(ctx, read, []string{"INSERT INTO pipe_t VALUES (3)", "INSERT INTO pipe_t VALUES (1)"}, ok)
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("a write of a duplicate key = %v, want ErrConflict", err)
		}
		stored(2)
		refused := errors.New("refused")
		var seen []int
		_, err = db.TwoRoundTrips(ctx, read, []string{"INSERT INTO pipe_t VALUES (4)"}, func(rows []int) error {
			seen = slices.Clone(rows)
			return refused
		})
		if !errors.Is(err, refused) || !slices.Equal(seen, []int{2}) {
			t.Errorf("a refused write = %v having read %v, want the refusal having read [2]", err, seen)
		}
		stored(2)
		_, err = db.TwoRoundTrips(ctx, []string{"SELECT id FROM pipe_nothing"}, []string{"INSERT INTO pipe_t VALUES (5)"}, ok)
		if err == nil {
			t.Error("a read of a table that does not exist succeeded")
		}
		stored(2)
	})
}
