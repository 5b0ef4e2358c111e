package checks

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// rig is a simulator, its NTP server and a session pointed at both.
type rig struct {
	srv     *sim.Server
	session *Session
	target  Target
}

func newRig(t testing.TB, sc sim.Scenario, markets []exchanges.Market, timeout time.Duration) *rig {
	t.Helper()
	srv, err := sim.Listen(sc, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ntpSrv, err := sim.ServeNTP("127.0.0.1:0", sc.ClockOffset.D())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ntpSrv.Close() })
	u, _ := url.Parse(srv.URL)
	s := NewSession(Options{Timeout: timeout, NTPServers: []string{ntpSrv.Addr}, IPEchoURLs: []string{srv.URL + sim.IPPath}})
	ex := binance.New(exchanges.Config{Environment: exchanges.Live, BaseURL: u, Markets: markets})
	k := srv.Scenario().Keys[0]
	return &rig{srv: srv, session: s, target: Target{Exchange: ex, Creds: exchangetest.CredsOf(k),
		Profile: Profile{Name: "main", Environment: exchanges.Live, Markets: markets, AddedAt: time.Now()}}}
}

func goodBinance(t testing.TB) sim.Scenario {
	sc := exchangetest.GoodScenario(t, "binance", exchanges.Live)
	sc.Keys[0].Permissions = []string{sim.PermRead, sim.PermSpot}
	sc.Keys[0].IPs = []string{sim.DefaultClientIP}
	return sc
}

func statuses(r Report) map[string]Status {
	m := map[string]Status{}
	for _, c := range r.Checks {
		m[c.ID] = c.Status
	}
	return m
}

type recorder struct {
	mu      sync.Mutex
	results []Result
	done    int
}

func (r *recorder) Result(_ string, res Result) {
	r.mu.Lock()
	r.results = append(r.results, res)
	r.mu.Unlock()
}
func (r *recorder) Done(Report) { r.mu.Lock(); r.done++; r.mu.Unlock() }

func TestRunAgainstSimulator(t *testing.T) {
	spot := []exchanges.Market{exchanges.Spot}
	cases := []struct {
		name   string
		mutate func(*sim.Scenario)
		want   map[string]Status
		say    map[string]string
	}{
		{"good key", func(*sim.Scenario) {}, map[string]Status{"exchange_status": Pass, "clock": Pass, "auth": Pass, "read": Pass,
			"trade": Pass, "withdraw_disabled": Pass, "ip_whitelist": Pass, "balance": Pass, "key_age": Pass, "key_expiry": Pass}, nil},
		{"withdrawals on", func(sc *sim.Scenario) { sc.Keys[0].Permissions = append(sc.Keys[0].Permissions, sim.PermWithdraw) },
			map[string]Status{"withdraw_disabled": Fail, "auth": Pass}, nil},
		{"ip not whitelisted", func(sc *sim.Scenario) { sc.Keys[0].IPs = []string{"198.51.100.7"} },
			map[string]Status{"auth": Fail, "ip_whitelist": Fail, "read": Skip},
			map[string]string{"auth": "203.0.113.10 is not on the key's whitelist"}},
		{"clock 3s off", func(sc *sim.Scenario) { sc.ClockOffset = sim.Duration(-3 * time.Second) },
			map[string]Status{"clock": Fail, "auth": Fail}, map[string]string{"clock": "ahead"}},
		{"maintenance", func(sc *sim.Scenario) { sc.Maintenance = "ongoing" },
			map[string]Status{"exchange_status": Fail}, nil},
		{"first request rate-limited", func(sc *sim.Scenario) { sc.RateLimitFirst = 1 },
			map[string]Status{"auth": Pass, "exchange_status": Pass, "clock": Pass, "balance": Pass}, nil},
		{"unrestricted key", func(sc *sim.Scenario) { sc.Keys[0].IPs = nil },
			map[string]Status{"ip_whitelist": Warn}, nil},
		{"trading permission expiring", func(sc *sim.Scenario) { sc.Keys[0].Expires = time.Now().Add(3 * 24 * time.Hour) },
			map[string]Status{"key_expiry": Warn}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := goodBinance(t)
			tc.mutate(&sc)
			r := newRig(t, sc, spot, 5*time.Second)
			rec := &recorder{}
			rep := Run(context.Background(), r.session, r.target, rec)
			got := statuses(rep)
			for id, w := range tc.want {
				if got[id] != w {
					t.Errorf("%s = %s, want %s (%+v)", id, got[id], w, find(rep, id))
				}
			}
			for id, s := range tc.say {
				if c := find(rep, id); !strings.Contains(c.Summary+c.Detail, s) {
					t.Errorf("%s says %q, want %q", id, c.Summary+" | "+c.Detail, s)
				}
			}
			if len(rep.Checks) != len(Table()) || len(rec.results) != len(Table()) || rec.done != 1 {
				t.Errorf("reported %d results (%d streamed, done %d), want %d", len(rep.Checks), len(rec.results), rec.done, len(Table()))
			}
			for i, id := range IDs() {
				if rep.Checks[i].ID != id {
					t.Fatalf("check %d is %s, want %s: order must follow the spec", i, rep.Checks[i].ID, id)
				}
			}
			sec := sc.Keys[0].Secret
			for _, c := range rep.Checks {
				if strings.Contains(c.Summary+c.Detail+c.Fix, sec) {
					t.Errorf("secret in %s", c.ID)
				}
			}
		})
	}
}

func find(r Report, id string) Result {
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	return Result{}
}

func TestHungExchangeTimesOut(t *testing.T) {
	sc := goodBinance(t)
	sc.Hang = true
	r := newRig(t, sc, []exchanges.Market{exchanges.Spot}, 700*time.Millisecond)
	start := time.Now()
	rep := Run(context.Background(), r.session, r.target, nil)
	if d := time.Since(start); d > 700*time.Millisecond+grace+300*time.Millisecond {
		t.Errorf("a hung exchange held the check for %v", d)
	}
	if c := find(rep, "auth"); c.Status != Fail || !strings.Contains(c.Summary, "timed out") {
		t.Errorf("auth = %s %q, want fail with timed out", c.Status, c.Summary)
	}
	if c := find(rep, "exchange_status"); c.Status != Fail || !strings.Contains(c.Summary, "timed out") {
		t.Errorf("exchange_status = %s %q", c.Status, c.Summary)
	}
}

// stuck ignores its context: the runner must still return.
type stuck struct{ exchanges.Exchange }

func (stuck) KeyInfo(context.Context, exchanges.Credentials) (exchanges.KeyInfo, error) {
	time.Sleep(time.Hour)
	return exchanges.KeyInfo{}, nil
}

type panicky struct{ exchanges.Exchange }

func (panicky) Balance(context.Context, exchanges.Credentials) (exchanges.Balance, error) {
	panic("boom")
}

func TestMisbehavingAdapter(t *testing.T) {
	r := newRig(t, goodBinance(t), []exchanges.Market{exchanges.Spot}, 400*time.Millisecond)
	r.target.Exchange = panicky{stuck{r.target.Exchange}}
	start := time.Now()
	rep := Run(context.Background(), r.session, r.target, nil)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
	if c := find(rep, "balance"); c.Status == Pass {
		t.Errorf("balance passed after a panic")
	}
	if c := find(rep, "auth"); c.Status != Fail {
		t.Errorf("auth = %s", c.Status)
	}
}

// BenchmarkCheckConcurrent is one key's full check against a simulator
// that adds 100 ms to every answer: about one round trip, since every
// request goes out at once.
func BenchmarkCheckConcurrent(b *testing.B) {
	sc := goodBinance(b)
	sc.Keys[0].Permissions = append(sc.Keys[0].Permissions, sim.PermFutures)
	sc.Latency = sim.Duration(100 * time.Millisecond)
	r := newRig(b, sc, []exchanges.Market{exchanges.Spot, exchanges.Futures}, 5*time.Second)
	for b.Loop() {
		s := NewSession(r.session.opts) // a fresh session: NTP and IP are asked each time
		rep := Run(context.Background(), s, r.target, nil)
		if rep.Counts.Pass != len(Table()) {
			b.Fatalf("not all passed: %+v", rep)
		}
	}
}

// BenchmarkCheckSequential makes the same requests one after another, for
// comparison.
func BenchmarkCheckSequential(b *testing.B) {
	sc := goodBinance(b)
	sc.Latency = sim.Duration(100 * time.Millisecond)
	r := newRig(b, sc, []exchanges.Market{exchanges.Spot, exchanges.Futures}, 5*time.Second)
	ctx := context.Background()
	ex, creds := r.target.Exchange, r.target.Creds
	for b.Loop() {
		s := NewSession(r.session.opts)
		if _, err := ex.Status(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := ex.ServerTime(ctx); err != nil {
			b.Fatal(err)
		}
		_, _ = s.NTP(ctx)
		_, _ = s.PublicIP(ctx)
		if _, err := ex.KeyInfo(ctx, creds); err != nil {
			b.Fatal(err)
		}
		if _, err := ex.Balance(ctx, creds); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckAll50 checks 50 profiles at once, as `check --all` does.
func BenchmarkCheckAll50(b *testing.B) {
	sc := goodBinance(b)
	sc.Latency = sim.Duration(100 * time.Millisecond)
	var keys []sim.Key
	for i := 0; i < 50; i++ {
		k := sc.Keys[0]
		k.Key, k.Secret = sim.RandomAlnum(64), sim.RandomAlnum(64)
		keys = append(keys, k)
	}
	sc.Keys = keys
	r := newRig(b, sc, []exchanges.Market{exchanges.Spot}, 5*time.Second)
	var targets []Target
	for i, k := range keys {
		t := r.target
		t.Creds = exchangetest.CredsOf(k)
		t.Profile.Name = fmt.Sprintf("p%02d", i)
		targets = append(targets, t)
	}
	for b.Loop() {
		s := NewSession(r.session.opts)
		reps := RunAll(context.Background(), s, targets, 0, nil)
		for _, rep := range reps {
			if rep.Counts.Pass != len(Table()) {
				b.Fatalf("%s failed: %+v", rep.Name, rep.Checks)
			}
		}
	}
}
