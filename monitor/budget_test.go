package monitor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The budget holds on the requests themselves: never more in flight than
// Concurrency, never more than PerMinute inside any window, and every
// request eventually goes.
func TestLimiterHoldsTheBudget(t *testing.T) {
	win := 300 * time.Millisecond
	l := newLimiter(exchanges.Budget{Concurrency: 2, PerMinute: 5}, time.Now, win, time.Second)
	var mu sync.Mutex
	var starts []time.Time
	var inflight, peak atomic.Int32
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := l.acquire(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			n := inflight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			inflight.Add(-1)
			release()
		}()
	}
	wg.Wait()
	if peak.Load() > 2 {
		t.Errorf("%d requests in flight at once, budget 2", peak.Load())
	}
	if len(starts) != 12 {
		t.Fatalf("%d of 12 requests went", len(starts))
	}
	for i, s := range starts {
		n := 0
		for _, o := range starts[i:] {
			if o.Sub(s) < win-5*time.Millisecond { // timer slack
				n++
			}
		}
		if n > 5 {
			t.Errorf("%d requests within one window from request %d, budget 5", n, i)
		}
	}
	if in, w := l.peaks(); in > 2 || w > 5 {
		t.Errorf("peaks %d in flight, %d per window", in, w)
	}
}

// A waiting request gives up when its context ends.
func TestLimiterRespectsContext(t *testing.T) {
	l := newLimiter(exchanges.Budget{Concurrency: 1, PerMinute: 1}, time.Now, time.Hour, time.Second)
	if _, err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := l.acquire(ctx); err == nil {
		t.Fatal("a second request went past a budget of one per hour")
	}
}

// A rate-limit answer pauses the whole exchange: Retry-After when the
// exchange says it, else the backoff, doubling with each answer in a row
// and starting over after a good one.
func TestRateLimitBacksOffTheExchange(t *testing.T) {
	var hits atomic.Int32
	var mode atomic.Value
	mode.Store("429")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch mode.Load() {
		case "429":
			w.WriteHeader(http.StatusTooManyRequests)
		case "retry-after":
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	b := newBudgets(time.Now)
	b.base = 40 * time.Millisecond
	var counted sync.Map
	tr := &budgetTransport{id: "x", budget: exchanges.Budget{Concurrency: 4, PerMinute: 100}, budgets: b, base: http.DefaultTransport,
		count: func(_, outcome string) {
			v, _ := counted.LoadOrStore(outcome, new(atomic.Int32))
			v.(*atomic.Int32).Add(1)
		}}
	c := &http.Client{Transport: tr}
	get := func() time.Duration {
		start := time.Now()
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return time.Since(start)
	}
	get() // 429: pause 40 ms
	if d := get(); d < 35*time.Millisecond {
		t.Errorf("the request after a 429 went after %s, not after the 40 ms backoff", d)
	}
	// second 429 in a row: 80 ms
	if d := get(); d < 75*time.Millisecond {
		t.Errorf("the backoff did not double: %s", d)
	}
	mode.Store("ok")
	get() // waits 160 ms, answers ok: the backoff starts over
	mode.Store("retry-after")
	get()
	lim := b.get("x", srv.Listener.Addr().String(), tr.budget)
	if until := time.Until(lim.pausedUntil()); until < 1500*time.Millisecond {
		t.Errorf("Retry-After: 2 paused the exchange only %s", until)
	}
	if v, ok := counted.Load(outcomeRateLimited); !ok || v.(*atomic.Int32).Load() != 4 {
		t.Errorf("rate_limited outcomes not counted: %v", v)
	}
}
