package store

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestTurns: a transaction waits for a place as long as every place is
// taken, gives up when its context ends, and takes the place given back.
func TestTurns(t *testing.T) {
	ts := make(turns, 1)
	release, err := ts.take(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ts.take(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("take with every place taken and the context over = %v, want context.Canceled", err)
	}
	got := make(chan error)
	go func() {
		r, err := ts.take(context.Background())
		if err == nil {
			r()
		}
		got <- err
	}()
	release()
	if err := <-got; err != nil {
		t.Errorf("take after a release = %v", err)
	}
	var none turns
	if r, err := none.take(ctx); err != nil {
		t.Errorf("take of no turns = %v, want nil at once", err)
	} else {
		r()
	}
}

// TestTurnsInOrder: places are given in the order they were asked for.
func TestTurnsInOrder(t *testing.T) {
	ts := make(turns, 1)
	release, _ := ts.take(context.Background())
	const n = 20
	order := make(chan int, n)
	for i := range n {
		asked := make(chan struct{})
		go func() {
			close(asked)
			r, err := ts.take(context.Background())
			if err == nil {
				order <- i
				r()
			}
		}()
		<-asked
		waitBlocked(t, ts, i+1)
	}
	release()
	for want := range n {
		if got := <-order; got != want {
			t.Fatalf("place %d went to the request %d", want, got)
		}
	}
}

// waitBlocked returns once n goroutines wait in ts.take.
func waitBlocked(t *testing.T, ts turns, n int) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for {
		k := runtime.Stack(buf, true)
		if strings.Count(string(buf[:k]), "store.turns.take(") >= n {
			return
		}
		runtime.Gosched()
	}
}
