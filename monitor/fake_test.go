package monitor

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
)

// The test key's credentials: generated, and looked for in every output.
const (
	testKey    = "kwTESTkeyAAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKKKllllMMMMnnnn"
	testSecret = "kwTESTsecretZZZZyyyyXXXXwwwwVVVVuuuuTTTTssssRRRRqqqqPPPPoooo1234"
)

// fakeState is what the fake exchange answers; tests change it between
// rounds.
type fakeState struct {
	mu       sync.Mutex
	withdraw exchanges.Flag
	expires  time.Time
	keyErr   error
	gate     chan struct{} // when set, KeyInfo waits for it
	status   atomic.Int32  // Status calls
	time     atomic.Int32  // ServerTime calls
	key      atomic.Int32  // KeyInfo calls
}

func (s *fakeState) set(fn func(*fakeState)) { s.mu.Lock(); fn(s); s.mu.Unlock() }

// fakeExchange is a Binance that answers from fakeState: checks judge its
// facts with Binance's own fixes.
type fakeExchange struct{ s *fakeState }

func (f fakeExchange) Info() exchanges.Info { return binance.Info() }

func (f fakeExchange) ServerTime(context.Context) (exchanges.TimeSample, error) {
	f.s.time.Add(1)
	now := time.Now()
	return exchanges.TimeSample{Server: now, Sent: now, Recv: now}, nil
}

func (f fakeExchange) Status(context.Context) (exchanges.Status, error) {
	f.s.status.Add(1)
	return exchanges.Status{State: exchanges.StatusNormal, Message: "normal"}, nil
}

func (f fakeExchange) KeyInfo(_ context.Context, c exchanges.Credentials) (exchanges.KeyInfo, error) {
	f.s.key.Add(1)
	f.s.mu.Lock()
	gate := f.s.gate
	f.s.mu.Unlock()
	if gate != nil {
		<-gate
	}
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	if c.Secret.Reveal() != testSecret {
		return exchanges.KeyInfo{}, errors.New("fake: wrong credentials handed over")
	}
	if f.s.keyErr != nil {
		return exchanges.KeyInfo{}, f.s.keyErr
	}
	k := exchanges.KeyInfo{Read: exchanges.Yes, Withdraw: f.s.withdraw, IPRestricted: exchanges.Yes, IPListKnown: true,
		IPs: []string{"203.0.113.10"}, Trade: map[exchanges.Market]exchanges.Flag{exchanges.Spot: exchanges.Yes},
		Created: time.Now().Add(-10 * 24 * time.Hour), ExpiryKnown: true, Expires: f.s.expires}
	return k, nil
}

func (f fakeExchange) Balance(context.Context, exchanges.Credentials) (exchanges.Balance, error) {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	if f.s.keyErr != nil {
		return exchanges.Balance{}, f.s.keyErr
	}
	return exchanges.Balance{Assets: []exchanges.Asset{{Asset: "USDT", Total: "100", Account: "spot"}}}, nil
}

// fakeSource serves profiles of the fake exchange.
type fakeSource struct {
	mu    sync.Mutex
	names []string
	fp    string // fingerprint (default: the test key's)
	fs    *fakeState
	reads atomic.Int32
}

func (s *fakeSource) setNames(n ...string) { s.mu.Lock(); s.names = n; s.mu.Unlock() }

func (s *fakeSource) Profiles(context.Context) ([]Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ad := exchanges.Adapter{Info: binance.Info, New: func(exchanges.Config) exchanges.Exchange { return fakeExchange{s.fs} }}
	var out []Profile
	for _, n := range s.names {
		out = append(out, Profile{Name: n, Adapter: ad, Config: exchanges.Config{Environment: exchanges.Live},
			Fingerprint: cmpOr(s.fp, exchanges.Fingerprint(testKey)),
			Check:       checks.Profile{Name: n, Environment: exchanges.Live, Markets: []exchanges.Market{exchanges.Spot}, AddedAt: time.Now()}})
	}
	return out, nil
}

func (s *fakeSource) Credentials(_ context.Context, name string) (exchanges.Credentials, error) {
	s.reads.Add(1)
	return exchanges.Credentials{Key: testKey, Secret: exchanges.NewSecret(testSecret)}, nil
}

// ipEcho answers the public IP the fake key is whitelisted for.
func ipEcho(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "203.0.113.10\n") }))
	t.Cleanup(srv.Close)
	return srv.URL
}

// newTestMonitor runs a monitor over the fake source until the test ends.
func newTestMonitor(t *testing.T, src Source, interval time.Duration, al *Alerter, log io.Writer) *Monitor {
	t.Helper()
	m, err := New(Options{Source: src, Interval: interval, Timeout: 2 * time.Second, Alerts: al,
		Session: checks.Options{NTPServers: []string{"off"}, IPEchoURLs: []string{ipEcho(t)}},
		Jitter:  func(time.Duration) time.Duration { return 0 }, Log: testLogger(log)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = m.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if al != nil {
			al.Close(time.Second)
		}
	})
	return m
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// statusOf is a check's status in the monitor's last report of profile.
func statusOf(m *Monitor, profile, check string) string {
	for _, r := range m.Reports() {
		if r.Name != profile {
			continue
		}
		for _, c := range r.Checks {
			if c.ID == check {
				return c.Status.String() + "/" + c.Cause
			}
		}
	}
	return ""
}

func names(rs []checks.Report) string {
	var n []string
	for _, r := range rs {
		n = append(n, r.Name)
	}
	sort.Strings(n)
	return strings.Join(n, ",")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
