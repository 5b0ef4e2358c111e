package kraken

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Kraken refuses a private request whose nonce is not higher than the last
// nonce the key used (EAPI:Invalid nonce), and it checks when the request
// arrives, not when it was signed. So, within one keywarden process:
//
//   - every nonce is higher than every earlier one (nonces.next), even when
//     two calls fall in the same millisecond or two profiles share a key;
//   - private requests of one key go out one at a time (keyLocks), so a
//     later nonce can never overtake an earlier one on the wire.
//
// These are the package's only shared state, deliberately: a per-client
// counter would let two adapters for the same key (check --all with two
// profiles on one key) reuse or reorder nonces. Both hold no secret.

// nonces is the process-wide nonce sequence.
var nonces nonceSeq

// keyLocks serialises the private requests of each API key in the process.
var keyLocks = keyLockSet{m: map[string]chan struct{}{}}

// nonceSeq hands out strictly increasing nonces.
type nonceSeq struct{ last atomic.Int64 }

// next returns max(base, last+1), where base is a millisecond timestamp.
//
// Milliseconds, not microseconds, on purpose: Kraken remembers the highest
// nonce per key, and most bots (ccxt, krakenex, Kraken's own examples)
// sign with millisecond timestamps. A microsecond nonce from keywarden
// would be a thousand times larger and would lock such a bot out of its
// own key for good.
func (s *nonceSeq) next(base int64) int64 {
	for {
		last := s.last.Load()
		v := max(base, last+1)
		if s.last.CompareAndSwap(last, v) {
			return v
		}
	}
}

// nonceBase is the millisecond timestamp a nonce is built from: the local
// clock, or Kraken's clock when the local one runs ahead of it by more than
// the 1 s resolution of Kraken's time endpoint. Never the later of the two:
// a nonce ahead of Kraken's clock would be higher than the nonces of a bot
// whose clock is right, and Kraken would refuse that bot until its clock
// caught up with ours. A clock that lags only risks keywarden's own request.
func nonceBase(local time.Time, offset time.Duration, known bool) int64 {
	if known && offset > time.Second {
		local = local.Add(-offset)
	}
	return local.UnixMilli()
}

// keyLockSet holds one single-slot semaphore per API key.
type keyLockSet struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

// acquire waits for the key's turn, or for ctx to end.
func (l *keyLockSet) acquire(ctx context.Context, key string) (release func(), err error) {
	l.mu.Lock()
	ch, ok := l.m[key]
	if !ok {
		ch = make(chan struct{}, 1)
		l.m[key] = ch
	}
	l.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
