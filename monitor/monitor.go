package monitor

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
)

// Profile is one key to watch, as the caller resolved it: everything but
// its credentials.
type Profile struct {
	Name        string
	Adapter     exchanges.Adapter
	Config      exchanges.Config // the monitor sets HTTP
	Check       checks.Profile
	Fingerprint string
	// KeyCreated and KeyExpires are what the store remembers, for when an
	// exchange does not tell them in a round.
	KeyCreated, KeyExpires time.Time
}

// Source lists the profiles to watch and reads a profile's credentials
// right before its check. Profiles is called again on every reload.
type Source interface {
	Profiles(ctx context.Context) ([]Profile, error)
	Credentials(ctx context.Context, name string) (exchanges.Credentials, error)
}

// Options configure a Monitor.
type Options struct {
	Source Source
	// Interval between two checks of one profile (default 5 min).
	Interval time.Duration
	// Timeout bounds one check (default 15 s).
	Timeout time.Duration
	// Drain bounds how long checks in flight may finish once Run's context
	// ends (default 10 s); then they are cancelled.
	Drain time.Duration
	// Session configures each round's check session (NTP servers, IP echo).
	Session checks.Options
	// Transport carries the exchanges' requests (default: a clone of
	// http.DefaultTransport); the monitor wraps it with the budgets.
	Transport http.RoundTripper
	// Parallel bounds the checks in flight at once (default 64).
	Parallel int
	// Alerts sends keywarden's own alerts; nil sends none.
	Alerts *Alerter
	// OnChange is called when a profile's result differs from its previous
	// one (and for its first), e.g. to write the history log.
	OnChange func(p Profile, r checks.Report)
	// Log receives what the monitor has to say; nil discards it.
	Log *slog.Logger
	// Build is reported as keywarden_build_info.
	Build Build
	// Now is the clock (tests).
	Now func() time.Time
	// Jitter returns a random spread for one schedule step, in
	// [-max, max] (tests set it to zero).
	Jitter func(max time.Duration) time.Duration
}

// Build says which keywarden is running.
type Build struct{ Version, Commit, Date string }

// Monitor watches profiles. Create it with New, run it with Run.
type Monitor struct {
	o       Options
	log     *slog.Logger
	budgets *budgets
	public  *publicCache
	metrics *metrics
	clients map[string]*http.Client // per exchange id; guarded by mu

	reload chan struct{}
	wake   chan struct{}
	sem    chan struct{}

	mu       sync.Mutex
	profiles map[string]*state
	start    time.Time
	session  *checks.Session
	sessAt   time.Time
	ready    bool
	firsts   map[string]bool // profiles of the first load not checked yet
}

// New checks the options and fills defaults.
func New(o Options) (*Monitor, error) {
	if o.Source == nil {
		return nil, errors.New("monitor: no profile source")
	}
	if o.Interval <= 0 {
		o.Interval = 5 * time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if o.Drain <= 0 {
		o.Drain = 10 * time.Second
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if o.Parallel <= 0 {
		o.Parallel = 64
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = func(m time.Duration) time.Duration {
			if m <= 0 {
				return 0
			}
			return time.Duration(rand.Int64N(int64(2*m+1))) - m
		}
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Monitor{o: o, log: log, budgets: newBudgets(o.Now), public: newPublicCache(o.Now),
		clients: map[string]*http.Client{}, reload: make(chan struct{}, 1), wake: make(chan struct{}, 1),
		sem: make(chan struct{}, o.Parallel), profiles: map[string]*state{}, firsts: map[string]bool{}}
	m.metrics = newMetrics(m)
	return m, nil
}

// Reload asks the monitor to read the profiles again (SIGHUP, a changed
// profiles file). It never blocks.
func (m *Monitor) Reload() {
	select {
	case m.reload <- struct{}{}:
	default:
	}
}

func (m *Monitor) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Ready reports whether the first round has finished.
func (m *Monitor) Ready() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ready
}

// Run loads the profiles and checks them until ctx ends. Then it starts
// no new check, lets the checks in flight finish within Options.Drain,
// cancels what is left, and returns nil. It fails only when the first
// load of the profiles fails.
func (m *Monitor) Run(ctx context.Context) error {
	if err := m.load(ctx, true); err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	var wg sync.WaitGroup
	for {
		next := m.launch(runCtx, &wg)
		wait := time.Second
		if !next.IsZero() {
			wait = min(max(next.Sub(m.o.Now()), time.Millisecond), wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			m.drain(&wg, cancel)
			return nil
		case <-m.reload:
			if err := m.load(ctx, false); err != nil {
				m.log.Warn("reload: the profiles could not be read; watching the ones loaded before", "error", err.Error())
			}
		case <-m.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// drain waits for the checks in flight, at most Options.Drain, then
// cancels them and waits the short grace checks.Run keeps.
func (m *Monitor) drain(wg *sync.WaitGroup, cancel context.CancelFunc) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(m.o.Drain):
	}
	m.log.Warn("shutdown: checks still in flight after the drain bound are cancelled", "bound", m.o.Drain.String())
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
}

// load reads the profiles from the source and reconciles them with the
// ones watched: new ones are checked at once, removed ones forgotten,
// changed ones (a rotated key, another base URL) checked again at once.
func (m *Monitor) load(ctx context.Context, first bool) error {
	ps, err := m.o.Source.Profiles(ctx)
	if err != nil {
		return fmt.Errorf("monitor: read profiles: %w", err)
	}
	now := m.o.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if first {
		m.start = now
	}
	seen := map[string]bool{}
	var added, changed, removed int
	for _, p := range ps {
		seen[p.Name] = true
		st, ok := m.profiles[p.Name]
		switch {
		case !ok:
			m.profiles[p.Name] = &state{p: p, next: now, alerts: map[string]*alertState{}}
			if first {
				m.firsts[p.Name] = true
			}
			added++
		case !sameProfile(st.p, p):
			st.p = p
			st.next = now
			st.gen++
			changed++
		}
	}
	for name := range m.profiles {
		if !seen[name] {
			delete(m.profiles, name)
			delete(m.firsts, name)
			removed++
		}
	}
	if first && len(m.firsts) == 0 {
		m.ready = true
	}
	if first {
		m.log.Info("watching profiles", "profiles", len(m.profiles), "interval", m.o.Interval.String())
	} else {
		m.log.Info("profiles reloaded", "watched", len(m.profiles), "added", added, "changed", changed, "removed", removed)
	}
	m.poke()
	return nil
}

// sameProfile reports whether a reload changed nothing a check depends on.
func sameProfile(a, b Profile) bool {
	base := func(p Profile) string {
		if p.Config.BaseURL == nil {
			return ""
		}
		return p.Config.BaseURL.String()
	}
	return a.Fingerprint == b.Fingerprint && a.Adapter.Info().ID == b.Adapter.Info().ID &&
		a.Config.Environment == b.Config.Environment && base(a) == base(b) &&
		fmt.Sprint(a.Check) == fmt.Sprint(b.Check)
}

// phase is where in the interval a profile's checks fall: a hash of its
// name, so profiles spread evenly and keep their place across restarts.
func (m *Monitor) phase(name string) time.Duration {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return time.Duration(h.Sum64() % uint64(m.o.Interval))
}

// nextDue is when a profile checked at t is due again: the next point of
// its phase at least half an interval away, with a little jitter.
func (m *Monitor) nextDue(name string, t time.Time) time.Time {
	iv := m.o.Interval
	base := m.start.Add(m.phase(name))
	d := t.Sub(base)
	k := d / iv
	if d < 0 && d%iv != 0 {
		k-- // floor, not truncation
	}
	due := base.Add((k + 1) * iv)
	if due.Sub(t) < iv/2 {
		due = due.Add(iv)
	}
	return due.Add(m.o.Jitter(min(iv/20, 30*time.Second)))
}

// currentSession returns the check session of this interval: NTP and the
// public IP are asked once per interval, for every profile.
func (m *Monitor) currentSession(now time.Time) *checks.Session {
	if m.session == nil || now.Sub(m.sessAt) >= m.o.Interval {
		so := m.o.Session
		so.Timeout = m.o.Timeout
		so.Now = m.o.Now
		m.session, m.sessAt = checks.NewSession(so), now
	}
	return m.session
}
