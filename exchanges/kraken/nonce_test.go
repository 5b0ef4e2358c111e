package kraken

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func TestNonceSlotStrictlyIncreasing(t *testing.T) {
	ctx := testCtx(t)
	// keySlots lives as long as the process: a key of this run only, so
	// that -count=N starts afresh each time.
	key := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	const workers, each = 8, 200
	got := make([][]int64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				s, release, err := keySlots.acquire(ctx, key)
				if err != nil {
					t.Error(err)
					return
				}
				got[w] = append(got[w], s.next(1700000000000)) // the same millisecond
				release()
			}
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, g := range got {
		for i, n := range g {
			if seen[n] {
				t.Fatalf("nonce %d handed out twice", n)
			}
			seen[n] = true
			if i > 0 && n <= g[i-1] {
				t.Fatalf("nonce went backwards: %d after %d", n, g[i-1])
			}
		}
	}
	s, release, _ := keySlots.acquire(ctx, key)
	defer release()
	if n := s.next(1); n != 1700000000000+workers*each {
		t.Errorf("a lower base lowered the sequence: %d", n)
	}
	other, release2, _ := keySlots.acquire(ctx, key+"-other key")
	defer release2()
	if n := other.next(5); n != 5 {
		t.Errorf("another key's nonce was raised by this one's: %d", n)
	}
}

func TestKeySlotHonoursContext(t *testing.T) {
	_, release, _ := keySlots.acquire(testCtx(t), t.Name())
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := keySlots.acquire(ctx, t.Name()); err == nil {
		t.Error("a second holder got the key's turn")
	}
}

func TestNonceBaseNeverAheadOfEitherClock(t *testing.T) {
	local := time.UnixMilli(1700000000000)
	for _, tc := range []struct {
		offset time.Duration
		known  bool
		want   int64
	}{
		{0, true, 1700000000000},
		{800 * time.Millisecond, true, 1700000000000},    // within the 1 s resolution
		{-10 * time.Minute, true, 1700000000000},         // local behind: never jump to Kraken's later clock
		{10 * time.Minute, true, 1700000000000 - 600000}, // local ahead: Kraken's clock
		{10 * time.Minute, false, 1700000000000},         // Kraken's clock unknown
		{1500 * time.Millisecond, true, 1700000000000 - 1500},
	} {
		if got := nonceBase(local, tc.offset, tc.known); got != tc.want {
			t.Errorf("nonceBase(offset %v, known %v) = %d, want %d", tc.offset, tc.known, got, tc.want)
		}
	}
}

// KeyInfo and Balance run concurrently in a check, and two profiles may
// share a key: Kraken must still see every nonce of the key in increasing
// order.
func TestConcurrentCallsKeepNonceOrder(t *testing.T) {
	f := &fakeKraken{perms: perms("query-funds", "modify-trades", "close-trades")}
	ex1, creds := startFake(t, f)
	ex2 := New(exchanges.Config{BaseURL: ex1.(*client).base})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ex := ex1
			if i%2 == 1 {
				ex = ex2
			}
			if i%3 == 0 {
				_, _ = ex.KeyInfo(testCtx(t), creds)
			} else {
				_, _ = ex.Balance(testCtx(t), creds)
			}
		}()
	}
	wg.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.badNonces > 0 {
		t.Errorf("%d requests reached Kraken with a nonce not above the last one", f.badNonces)
	}
	if len(f.nonces) != 20 {
		t.Errorf("%d private requests, want 20", len(f.nonces))
	}
}

// A refused nonce (another program used the key at the same moment) is
// retried once with a fresh nonce; refused twice, it is reported as the
// clock/ordering problem it is.
func TestInvalidNonceRetriedOnce(t *testing.T) {
	f := &fakeKraken{perms: perms("query-funds"), refuseNonces: 1}
	ex, creds := startFake(t, f)
	start := time.Now()
	if _, err := ex.Balance(testCtx(t), creds); err != nil {
		t.Fatalf("Balance after one refused nonce: %v", err)
	}
	if d := time.Since(start); d < nonceRetryWait {
		t.Errorf("retried after %v, before the pause", d)
	}

	f = &fakeKraken{perms: perms("query-funds"), refuseNonces: 2}
	ex, creds = startFake(t, f)
	_, err := ex.Balance(testCtx(t), creds)
	e, ok := exchanges.AsError(err)
	if !errors.Is(err, exchanges.ErrClockSkew) || !ok || e.Message != "EAPI:Invalid nonce" || e.Cause == "" {
		t.Errorf("twice refused nonce: %v", err)
	}
	if n := len(f.called()); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

// With the local clock ahead of Kraken's, nonces follow Kraken's clock, so
// that a bot whose clock is right is not locked out after keywarden ran.
func TestNoncesDoNotRunAheadOfKrakensClock(t *testing.T) {
	f := &fakeKraken{perms: perms("query-funds"), offset: -10 * time.Minute}
	ex, creds := startFake(t, f)
	if _, err := ex.Balance(testCtx(t), creds); err != nil {
		t.Fatal(err)
	}
	limit := uint64(time.Now().Add(f.offset).Add(2 * time.Second).UnixMilli())
	if n := f.nonces[0]; n > limit {
		t.Errorf("nonce %d is ahead of Kraken's clock (%d)", n, limit)
	}
}
