package kraken

import (
	"context"
	"sync"
	"time"
)

// Kraken refuses a private request whose nonce is not higher than the last
// nonce the key used (EAPI:Invalid nonce), and it checks when the request
// arrives, not when it was signed. So, within one keywarden process, each
// API key has a slot (keySlots) that
//
//   - lets the key's private requests go out one at a time, so a later
//     nonce can never overtake an earlier one on the wire;
//   - hands out strictly increasing nonces, even when two calls fall in the
//     same millisecond or two profiles share the key.
//
// keySlots is the package's only shared state, deliberately: per-client
// state would let two adapters for the same key (check --all with two
// profiles on one key) reuse or reorder nonces. It holds no secret.
var keySlots = keySlotSet{m: map[string]*keySlot{}}

// keySlotSet holds one slot per API key.
type keySlotSet struct {
	mu sync.Mutex
	m  map[string]*keySlot
}

// keySlot is one key's turn (a single-slot semaphore) and its last nonce,
// which is only read or written by the holder of the turn.
type keySlot struct {
	turn chan struct{}
	last int64
}

// acquire waits for the key's turn, or for ctx to end. The caller calls
// release when its request is answered.
func (l *keySlotSet) acquire(ctx context.Context, key string) (s *keySlot, release func(), err error) {
	l.mu.Lock()
	s, ok := l.m[key]
	if !ok {
		s = &keySlot{turn: make(chan struct{}, 1)}
		l.m[key] = s
	}
	l.mu.Unlock()
	select {
	case s.turn <- struct{}{}:
		return s, func() { <-s.turn }, nil
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// next returns max(base, last+1), where base is a millisecond timestamp.
// Call it only while holding the slot's turn.
//
// Milliseconds, not microseconds, on purpose: Kraken remembers the highest
// nonce per key, and most bots (ccxt, krakenex, Kraken's own examples)
// sign with millisecond timestamps. A microsecond nonce from keywarden
// would be a thousand times larger and would lock such a bot out of its
// own key for good.
func (s *keySlot) next(base int64) int64 {
	s.last = max(base, s.last+1)
	return s.last
}

// nonceBase is the millisecond timestamp a nonce is built from: the local
// clock, or Kraken's clock when the local one runs ahead of it by more than
// a second (Kraken's time endpoint is read to ±0.5 s). Never the later of the two:
// a nonce ahead of Kraken's clock would be higher than the nonces of a bot
// whose clock is right, and Kraken would refuse that bot until its clock
// caught up with ours. A clock that lags only risks keywarden's own request.
func nonceBase(local time.Time, offset time.Duration, known bool) int64 {
	if known && offset > time.Second {
		local = local.Add(-offset)
	}
	return local.UnixMilli()
}
