package password

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestHashVerify(t *testing.T) {
	ctx := context.Background()
	h := New(1024, 2)
	phc, err := h.Hash(ctx, "mật khẩu đúng")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=1024,t=2,p=2$") {
		t.Fatalf("Hash() = %q, want an argon2id PHC string", phc)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"mật khẩu đúng", true}, {"mat khau dung", false}, {"", false}} {
		if ok, err := h.Verify(ctx, tc.pw, phc); ok != tc.want || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	// The stored parameters win over the hasher's own.
	if ok, _ := New(2048, 1).Verify(ctx, "mật khẩu đúng", phc); !ok {
		t.Error("Verify with other parameters failed")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := h.Verify(ctx, "x", bad); err != ErrMalformed {
			t.Errorf("Verify(%q) error = %v, want ErrMalformed", bad, err)
		}
	}
}

// TestSettle: once a hash is done and no other runs, the garbage is
// collected, at most once per settleEvery.
func TestSettle(t *testing.T) {
	ctx := context.Background()
	h := New(1024, 1)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := h.Hash(ctx, "mật khẩu"); err != nil {
		t.Fatal(err)
	}
	if h.collected.Load() == 0 {
		t.Fatal("no collection after a hash")
	}
	for i := 0; ; i++ { // it runs in the background
		if runtime.ReadMemStats(&after); after.NumGC > before.NumGC {
			break
		}
		if i == 1000 {
			t.Fatalf("NumGC still %d after a hash", after.NumGC)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Just collected: not again.
	just := time.Now().UnixNano()
	h.collected.Store(just)
	if _, err := h.Verify(ctx, "mật khẩu", "$argon2id$v=19$m=1024,t=2,p=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); err != nil {
		t.Fatal(err)
	}
	if got := h.collected.Load(); got != just {
		t.Errorf("collected again %v after the last time", time.Duration(got-just))
	}
}
