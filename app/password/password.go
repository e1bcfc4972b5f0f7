// Package password hashes and checks passwords with argon2id, stored as
// PHC strings ($argon2id$v=19$m=…,t=…,p=…$salt$hash). Hashing is bounded:
// at most a few run at once, since each takes tens of milliseconds and its
// own memory, which is collected as soon as none runs.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// Hasher hashes passwords with fixed parameters.
type Hasher struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	slots   chan struct{}

	collected atomic.Int64 // when settle last collected, in Unix nanoseconds
}

// New returns a hasher using memory KiB per hash and at most concurrent
// hashes at once.
func New(memory uint32, concurrent int) *Hasher {
	return &Hasher{memory: memory, time: 2, threads: 2, slots: make(chan struct{}, concurrent)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() {
	<-h.slots
	h.settle()
}

// settleEvery is how often settle collects at most.
const settleEvery = time.Second

// settle collects the garbage in the background once no hash runs, at most
// once per settleEvery, and gives the free memory back to the system. A
// hash allocates its memory (64 MiB by default) in one block, which nearly
// always starts a collection; that collection finds the block live and
// sets the next one's goal twice the block higher: the process would grow
// by that much before collecting again, long after the hash, and keep the
// block's pages for a while after that. Collected now, the heap's goal is
// set without it.
func (h *Hasher) settle() {
	now := time.Now().UnixNano()
	last := h.collected.Load()
	if len(h.slots) > 0 || now-last < int64(settleEvery) || !h.collected.CompareAndSwap(last, now) {
		return
	}
	go debug.FreeOSMemory()
}

// Hash returns the PHC string of a new salted hash of pw.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	key := argon2.IDKey([]byte(pw), salt, h.time, h.memory, h.threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.memory, h.time, h.threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMalformed is returned for a stored hash that is not an argon2id PHC string.
var ErrMalformed = errors.New("password: malformed hash")

// Verify reports whether pw matches the PHC string, using the parameters
// stored in it.
func (h *Hasher) Verify(ctx context.Context, pw, phc string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, ErrMalformed
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrMalformed
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(pw), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
