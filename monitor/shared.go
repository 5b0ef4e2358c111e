package monitor

import (
	"context"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// sharedTTL is how long one answer of an exchange's status and clock
// serves every key of that exchange and host.
const sharedTTL = 30 * time.Second

// publicCache asks an exchange's status and clock once for every key of
// the same exchange, environment and host: they are the same for all of
// them, and public endpoints have tight per-IP limits (OKX: status once
// per 5 s).
type publicCache struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*shared
}

// shared is one cached answer, or one being fetched (ready not closed).
type shared struct {
	ready  chan struct{}
	at     time.Time
	status exchanges.Status
	sample exchanges.TimeSample
	err    error
}

func newPublicCache(now func() time.Time) *publicCache {
	return &publicCache{now: now, entries: map[string]*shared{}}
}

// get returns the answer for key, fetching it with fetch unless a fresh
// one is cached or being fetched. fetch runs on a context that the
// caller's cancellation does not end (other keys wait for the answer), but
// with the caller's deadline.
func (c *publicCache) get(ctx context.Context, key string, fetch func(context.Context) *shared) *shared {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.ready:
			if c.now().Sub(e.at) >= sharedTTL {
				ok = false
			}
		default: // being fetched
		}
	}
	if !ok {
		e = &shared{ready: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		fctx, cancel := context.WithoutCancel(ctx), func() {}
		if dl, has := ctx.Deadline(); has {
			fctx, cancel = context.WithDeadline(fctx, dl)
		}
		got := fetch(fctx)
		cancel()
		e.status, e.sample, e.err, e.at = got.status, got.sample, got.err, c.now()
		close(e.ready)
		if e.err != nil && fctx.Err() != nil {
			// Cut short by the deadline: let the next key ask again.
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key)
			}
			c.mu.Unlock()
		}
		return e
	}
	c.mu.Unlock()
	select {
	case <-e.ready:
		return e
	case <-ctx.Done():
		return &shared{err: &exchanges.Error{Class: exchanges.ErrTimeout, Op: "wait for the shared answer", Cause: "no answer before the deadline"}}
	}
}

// sharedExchange is an adapter whose Status and ServerTime answers are
// shared through a publicCache; KeyInfo and Balance are its own.
type sharedExchange struct {
	exchanges.Exchange
	cache *publicCache
	key   string // exchange id, environment and host
	// timed takes the budget before the clock request is built, so that
	// the sample's round trip holds no queueing.
	timed func(ctx context.Context) (context.Context, func(), error)
}

func (s *sharedExchange) Status(ctx context.Context) (exchanges.Status, error) {
	e := s.cache.get(ctx, s.key+"|status", func(ctx context.Context) *shared {
		v, err := s.Exchange.Status(ctx)
		return &shared{status: v, err: err}
	})
	return e.status, e.err
}

func (s *sharedExchange) ServerTime(ctx context.Context) (exchanges.TimeSample, error) {
	e := s.cache.get(ctx, s.key+"|time", func(ctx context.Context) *shared {
		ctx, release, err := s.timed(ctx)
		if err != nil {
			return &shared{err: &exchanges.Error{Class: exchanges.ErrTimeout, Op: "read server time", Cause: "the exchange's request budget had no room before the deadline"}}
		}
		defer release()
		v, err := s.Exchange.ServerTime(ctx)
		return &shared{sample: v, err: err}
	})
	return e.sample, e.err
}
