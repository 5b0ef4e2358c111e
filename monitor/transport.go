package monitor

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// The outcomes counted by keywarden_requests_total.
const (
	outcomeOK          = "ok"           // 2xx or 3xx
	outcomeRateLimited = "rate_limited" // 429, or Binance's 418 (IP banned for ignoring 429s)
	outcomeClientError = "client_error" // another 4xx (a rejected key is an answer too)
	outcomeServerError = "server_error" // 5xx
	outcomeError       = "error"        // no answer: connection failed, timed out
)

// budgets holds one limiter per exchange and host: every key of the
// machine shares it.
type budgets struct {
	now          func() time.Time
	window, base time.Duration // see limiter

	mu  sync.Mutex
	lim map[string]*limiter
}

func newBudgets(now func() time.Time) *budgets {
	return &budgets{now: now, window: window, base: backoffBase, lim: map[string]*limiter{}}
}

// get returns the limiter of exchange id on host, made on first use.
func (b *budgets) get(id, host string, budget exchanges.Budget) *limiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := id + "|" + host
	l, ok := b.lim[k]
	if !ok {
		l = newLimiter(budget, b.now, b.window, b.base)
		b.lim[k] = l
	}
	return l
}

// budgetTransport makes every request of one exchange wait for its budget,
// and turns rate-limit answers into a pause of the whole exchange.
type budgetTransport struct {
	id      string
	budget  exchanges.Budget
	budgets *budgets
	base    http.RoundTripper
	count   func(exchange, outcome string)
}

// ticketKey marks a context whose request already holds its budget.
type ticketKey struct{}

// ticket is a request's share of the budget, taken before the request was
// built: the clock sample must not include time spent queueing.
type ticket struct {
	lim     *limiter
	release func()
	used    atomic.Bool
}

// withTicket waits for the budget of exchange id on host now and returns a
// context whose first request uses it.
func (t *budgetTransport) withTicket(ctx context.Context, host string) (context.Context, func(), error) {
	lim := t.budgets.get(t.id, host, t.budget)
	release, err := lim.acquire(ctx)
	if err != nil {
		return ctx, func() {}, err
	}
	tk := &ticket{lim: lim, release: release}
	return context.WithValue(ctx, ticketKey{}, tk), release, nil
}

// RoundTrip implements http.RoundTripper.
func (t *budgetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	lim := t.budgets.get(t.id, req.URL.Host, t.budget)
	var release func()
	if tk, ok := req.Context().Value(ticketKey{}).(*ticket); ok && tk.lim == lim && tk.used.CompareAndSwap(false, true) {
		release = tk.release
	} else {
		r, err := lim.acquire(req.Context())
		if err != nil {
			if req.Body != nil {
				_ = req.Body.Close()
			}
			t.count(t.id, outcomeError)
			return nil, err
		}
		release = r
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.Body == nil {
		release()
	} else {
		// In flight until its answer is read: the slot frees when the body
		// is closed (exchanges.Send always closes it).
		resp.Body = &releaseBody{ReadCloser: resp.Body, release: release}
	}
	switch {
	case err != nil:
		t.count(t.id, outcomeError)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == 418:
		t.count(t.id, outcomeRateLimited)
		lim.rateLimited(exchanges.RetryAfter(resp.Header, time.Now()))
	case resp.StatusCode >= 500:
		t.count(t.id, outcomeServerError)
		lim.answered()
	case resp.StatusCode >= 400:
		t.count(t.id, outcomeClientError)
		lim.answered()
	default:
		t.count(t.id, outcomeOK)
		lim.answered()
	}
	return resp, err
}

// releaseBody gives the request's budget slot back when its body is read
// to the end or closed.
type releaseBody struct {
	io.ReadCloser
	release func() // idempotent
}

func (b *releaseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.release()
	}
	return n, err
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
