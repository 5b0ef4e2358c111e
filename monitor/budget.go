package monitor

import (
	"context"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// window is the span a Budget's PerMinute counts over.
const window = time.Minute

// Backoff after rate-limit answers: the first waits Retry-After (or
// backoffBase), each further one in a row twice as long, up to backoffMax.
const (
	backoffBase = time.Second
	backoffMax  = 10 * time.Minute
)

// limiter enforces one exchange's budget on the requests themselves: at
// most Concurrency in flight and PerMinute sent in any window (a sliding
// log, so no shorter span can burst past it either), and a pause after a
// rate-limit answer.
type limiter struct {
	budget exchanges.Budget
	now    func() time.Time
	window time.Duration // the span PerMinute counts over: a minute (tests shorten it)
	base   time.Duration // the first backoff without Retry-After

	mu       sync.Mutex
	sent     []time.Time // send times inside the last window, oldest first
	inflight int
	paused   time.Time // no request before this
	strikes  int       // rate-limit answers in a row
	lastHit  time.Time // when the last rate-limit answer came
	changed  chan struct{}

	// High-water marks, for the benchmark and the tests.
	maxInflight int
	maxWindow   int
}

func newLimiter(b exchanges.Budget, now func() time.Time, win, base time.Duration) *limiter {
	return &limiter{budget: b.OrDefault(), now: now, window: win, base: base, changed: make(chan struct{})}
}

// prune drops send times older than the window. Call with mu held.
func (l *limiter) prune(now time.Time) {
	i := 0
	for i < len(l.sent) && now.Sub(l.sent[i]) >= l.window {
		i++
	}
	if i > 0 {
		l.sent = append(l.sent[:0], l.sent[i:]...)
	}
}

// next returns zero if a request may go now, else when to look again
// (the zero time with ok=false: when a request in flight ends). Call with
// mu held.
func (l *limiter) next(now time.Time) (at time.Time, ok bool) {
	l.prune(now)
	switch {
	case now.Before(l.paused):
		return l.paused, false
	case len(l.sent) >= l.budget.PerMinute:
		return l.sent[0].Add(l.window), false
	case l.inflight >= l.budget.Concurrency:
		return time.Time{}, false
	}
	return time.Time{}, true
}

// acquire waits until the budget allows one more request, records it and
// returns the function that ends it. It gives up when ctx ends.
func (l *limiter) acquire(ctx context.Context) (func(), error) {
	for {
		l.mu.Lock()
		now := l.now()
		at, ok := l.next(now)
		if ok {
			l.sent = append(l.sent, now)
			l.inflight++
			l.maxInflight = max(l.maxInflight, l.inflight)
			l.maxWindow = max(l.maxWindow, len(l.sent))
			l.mu.Unlock()
			var once sync.Once
			return func() { once.Do(l.done) }, nil
		}
		changed := l.changed
		l.mu.Unlock()
		var timer <-chan time.Time
		var t *time.Timer
		if !at.IsZero() {
			t = time.NewTimer(max(at.Sub(now), time.Millisecond))
			timer = t.C
		}
		var err error
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-changed:
		case <-timer:
		}
		if t != nil {
			t.Stop()
		}
		if err != nil {
			return nil, err
		}
	}
}

func (l *limiter) done() {
	l.mu.Lock()
	l.inflight--
	l.signal()
	l.mu.Unlock()
}

// signal wakes every waiter. Call with mu held.
func (l *limiter) signal() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// room says how many requests the window has left (0 while paused) and,
// when none, when that may change.
func (l *limiter) room() (int, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.prune(now)
	if now.Before(l.paused) {
		return 0, l.paused
	}
	if n := l.budget.PerMinute - len(l.sent); n > 0 {
		return n, time.Time{}
	}
	return 0, l.sent[0].Add(l.window)
}

// rateLimited pauses the exchange after a rate-limit answer: Retry-After
// when it says more than the exponential backoff, else the backoff.
func (l *limiter) rateLimited(retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.strikes++
	l.lastHit = now
	wait := l.base << min(l.strikes-1, 20)
	wait = min(max(wait, retryAfter), backoffMax)
	if until := now.Add(wait); until.After(l.paused) {
		l.paused = until
	}
	l.signal()
}

// answered records an answer that was not a rate limit: the backoff
// starts over.
func (l *limiter) answered() {
	l.mu.Lock()
	l.strikes = 0
	l.mu.Unlock()
}

// hitSince reports whether a rate-limit answer came at or after t.
func (l *limiter) hitSince(t time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.lastHit.IsZero() && !l.lastHit.Before(t)
}

// pausedUntil is the end of the current pause (zero or past: none).
func (l *limiter) pausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.paused
}

// peaks returns the most requests seen in flight at once and in one window.
func (l *limiter) peaks() (inflight, perWindow int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.maxInflight, l.maxWindow
}
