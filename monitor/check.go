package monitor

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
)

// checkCost is how many requests one check may make (4–6 against every
// simulated exchange): a check starts only when its exchange's budget has
// room for that many.
const checkCost = 6

// host is the API host a profile's requests go to, for its budget.
func host(p Profile) string {
	if p.Config.BaseURL != nil {
		return p.Config.BaseURL.Host
	}
	info := p.Adapter.Info()
	env, ok := info.Env(p.Config.Environment)
	if !ok && len(info.Environments) > 0 {
		env = info.Environments[0]
	}
	if u, err := url.Parse(env.BaseURL); err == nil {
		return u.Host
	}
	return ""
}

// launch starts every due check whose exchange has room and returns when
// the next one is due (zero: nothing is waiting).
func (m *Monitor) launch(ctx context.Context, wg *sync.WaitGroup) time.Time {
	now := m.o.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	var due []*state
	var next time.Time
	soonest := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, st := range m.profiles {
		switch {
		case st.running:
		case !st.next.After(now):
			due = append(due, st)
		default:
			soonest(st.next)
		}
	}
	// The most overdue first, so a throttled exchange serves its keys in turn.
	sort.Slice(due, func(i, j int) bool { return due[i].next.Before(due[j].next) })
	inflight := map[*limiter]int{}
	for _, st := range m.profiles {
		if st.running {
			inflight[st.lim]++
		}
	}
	sess := m.currentSession(now)
	for _, st := range due {
		info := st.p.Adapter.Info()
		lim := m.budgets.get(info.ID, host(st.p), info.Budget)
		st.lim = lim
		room, at := lim.room()
		n := inflight[lim]
		// At most Concurrency checks of one exchange at once, each with
		// room for all its requests in the window: a check then does not
		// spend its timeout queueing for the budget.
		if n >= lim.budget.Concurrency || room < min(checkCost*(n+1), lim.budget.PerMinute) {
			// No room: try again when some may have come back (a check
			// ending also wakes the loop).
			if at.IsZero() {
				at = now.Add(100 * time.Millisecond)
			}
			soonest(at)
			continue
		}
		select {
		case m.sem <- struct{}{}:
		default:
			continue // Parallel checks in flight; a check ending wakes the loop
		}
		inflight[lim]++
		st.running = true
		wg.Add(1)
		go func(st *state, gen int, p Profile) {
			defer wg.Done()
			defer func() { <-m.sem; m.poke() }()
			m.runCheck(ctx, st, gen, p, sess)
		}(st, st.gen, st.p)
	}
	return next
}

// runCheck checks one profile: its credentials are read now and dropped
// when the check ends.
func (m *Monitor) runCheck(ctx context.Context, st *state, gen int, p Profile, sess *checks.Session) {
	start := m.o.Now()
	creds, err := m.o.Source.Credentials(ctx, p.Name)
	if err != nil {
		m.log.Warn("check skipped: the credentials could not be read", "profile", p.Name, "error", err.Error())
		m.finish(st, gen, p, nil, 0)
		return
	}
	ex := m.exchange(p)
	rep := checks.Run(ctx, sess, checks.Target{Exchange: ex, Creds: creds, Profile: p.Check}, nil)
	took := m.o.Now().Sub(start)
	if rep.Measured.RateLimited {
		// A limit the transport did not see (an exchange that answers it
		// with HTTP 200, like Kraken): back the whole exchange off too.
		if lim := st.lim; lim != nil && !lim.hitSince(start) {
			lim.rateLimited(rep.Measured.RetryAfter)
		}
	}
	if ctx.Err() != nil {
		// Cancelled at shutdown: a partial report is no verdict.
		m.finish(st, gen, p, nil, 0)
		return
	}
	m.finish(st, gen, p, &rep, took)
}

// exchange builds p's adapter on the budgeted client of its exchange, with
// the exchange's status and clock shared across keys.
func (m *Monitor) exchange(p Profile) exchanges.Exchange {
	info := p.Adapter.Info()
	cfg := p.Config
	cfg.HTTP = m.client(info)
	bt := cfg.HTTP.Transport.(*budgetTransport)
	h := host(p)
	return &sharedExchange{
		Exchange: p.Adapter.New(cfg),
		cache:    m.public,
		key:      info.ID + "|" + string(cfg.Environment) + "|" + h,
		timed:    func(ctx context.Context) (context.Context, func(), error) { return bt.withTicket(ctx, h) },
	}
}

// client returns the HTTP client of one exchange: its transport waits for
// the exchange's budget on every request.
func (m *Monitor) client(info exchanges.Info) *http.Client {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.clients[info.ID]; ok {
		return c
	}
	c := &http.Client{Transport: &budgetTransport{id: info.ID, budget: info.Budget, budgets: m.budgets,
		base: m.o.Transport, count: m.metrics.countRequest}}
	m.clients[info.ID] = c
	return c
}
