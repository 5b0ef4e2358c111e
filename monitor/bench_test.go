package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// meter counts what one simulated exchange sees: requests in flight and
// requests in any 60 s.
type meter struct {
	mu          sync.Mutex
	inflight    int
	maxInflight int
	sent        []time.Time
}

func (m *meter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == sim.IPPath {
			h.ServeHTTP(w, r)
			return
		}
		m.mu.Lock()
		m.inflight++
		m.maxInflight = max(m.maxInflight, m.inflight)
		m.sent = append(m.sent, time.Now())
		m.mu.Unlock()
		// The exchange is done with a request when it starts answering.
		mw := &meteredWriter{ResponseWriter: w, done: func() { m.mu.Lock(); m.inflight--; m.mu.Unlock() }}
		defer mw.finish()
		h.ServeHTTP(mw, r)
	})
}

type meteredWriter struct {
	http.ResponseWriter
	done     func()
	finished bool
}

func (w *meteredWriter) finish() {
	if !w.finished {
		w.finished = true
		w.done()
	}
}

func (w *meteredWriter) WriteHeader(code int) { w.finish(); w.ResponseWriter.WriteHeader(code) }
func (w *meteredWriter) Write(p []byte) (int, error) {
	w.finish()
	return w.ResponseWriter.Write(p)
}

// maxPerMinute is the most requests inside any 60 s window.
func (m *meter) maxPerMinute() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	best, j := 0, 0
	for i := range m.sent {
		for m.sent[i].Sub(m.sent[j]) >= time.Minute {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// benchSource serves n profiles spread over every simulated exchange.
type benchSource struct {
	profiles []Profile
	creds    map[string]exchanges.Credentials
}

func (s *benchSource) Profiles(context.Context) ([]Profile, error) { return s.profiles, nil }
func (s *benchSource) Credentials(_ context.Context, name string) (exchanges.Credentials, error) {
	return s.creds[name], nil
}

// BenchmarkRound1000 is one round of 1,000 profiles over the eleven
// simulated exchanges, each answering after 100 ms: the round's wall time,
// the CPU it took, the process's peak RSS, and, against each exchange's
// budget, the most requests any simulated exchange saw in flight and in
// one minute (budget_max_ratio must stay ≤ 1).
func BenchmarkRound1000(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("KW_BENCH_PROFILES")); err == nil {
		n = v
	}
	ads := all.Adapters()
	meters := map[string]*meter{}
	src := &benchSource{creds: map[string]exchanges.Credentials{}}
	var echo string
	per := map[string][]sim.Key{}
	for i := range n {
		id := ads[i%len(ads)].Info().ID
		k, _ := sim.SampleKey(id)
		k.Permissions = []string{sim.PermRead, sim.PermSpot, sim.PermFutures}
		per[id] = append(per[id], k)
	}
	i := 0
	for _, ad := range ads {
		info := ad.Info()
		sc := exchangetest.GoodScenario(b, info.ID, exchanges.Live)
		sc.Keys = per[info.ID]
		sc.Latency = sim.Duration(100 * time.Millisecond)
		s, err := sim.New(sc)
		if err != nil {
			b.Fatal(err)
		}
		mt := &meter{}
		meters[info.ID] = mt
		srv := httptest.NewServer(mt.wrap(s))
		b.Cleanup(srv.Close)
		echo = srv.URL + sim.IPPath
		u, _ := url.Parse(srv.URL)
		for _, k := range s.Scenario().Keys {
			name := fmt.Sprintf("p%04d-%s", i, info.ID)
			i++
			src.creds[name] = exchangetest.CredsOf(k)
			mk := []exchanges.Market{info.Markets[0]}
			src.profiles = append(src.profiles, Profile{Name: name, Adapter: ad, Fingerprint: exchanges.Fingerprint(k.Key),
				Config: exchanges.Config{Environment: exchanges.Live, BaseURL: u, Markets: mk},
				Check:  checks.Profile{Name: name, Environment: exchanges.Live, Markets: mk, AddedAt: time.Now()}})
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	var rounds, cpu time.Duration
	last := map[string]time.Duration{} // when each exchange's last profile was done
	for b.Loop() {
		var fmu sync.Mutex
		finished := map[string]time.Time{}
		onChange := func(p Profile, r checks.Report) {
			fmu.Lock()
			finished[r.Exchange] = time.Now()
			fmu.Unlock()
		}
		m, err := New(Options{Source: src, Interval: time.Hour, Timeout: 15 * time.Second, Transport: tr, Parallel: 256, OnChange: onChange,
			Session: checks.Options{NTPServers: []string{"off"}, IPEchoURLs: []string{echo}}})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		c0 := cpuTime()
		start := time.Now()
		done := make(chan struct{})
		go func() { _ = m.Run(ctx); close(done) }()
		for !m.Ready() {
			time.Sleep(5 * time.Millisecond)
		}
		rounds += time.Since(start)
		cpu += cpuTime() - c0
		fmu.Lock()
		for id, at := range finished {
			last[id] = at.Sub(start)
		}
		fmu.Unlock()
		cancel()
		<-done
		reps := m.Reports()
		if len(reps) != n {
			b.Fatalf("%d of %d profiles reported", len(reps), n)
		}
		for _, r := range reps {
			for _, c := range r.Checks {
				if c.ID == "auth" && c.Status != checks.Pass {
					b.Fatalf("%s: auth %s: %s (%s)", r.Name, c.Status, c.Summary, c.Detail)
				}
			}
		}
	}
	worst, worstWhat := 0.0, ""
	for _, ad := range ads {
		info := ad.Info()
		bu := info.Budget.OrDefault()
		mt := meters[info.ID]
		for _, r := range []struct {
			what      string
			got, want int
		}{{"per minute", mt.maxPerMinute(), bu.PerMinute}, {"in flight", mt.maxInflight, bu.Concurrency}} {
			ratio := float64(r.got) / float64(r.want)
			if ratio > worst {
				worst, worstWhat = ratio, fmt.Sprintf("%s %s %d/%d", info.ID, r.what, r.got, r.want)
			}
		}
		b.Logf("%-8s done after %5.1fs; most in one minute %4d (budget %4d), most in flight %3d (budget %2d)",
			info.ID, last[info.ID].Seconds(), mt.maxPerMinute(), bu.PerMinute, mt.maxInflight, bu.Concurrency)
	}
	b.Logf("closest to a budget: %s", worstWhat)
	k := float64(b.N)
	b.ReportMetric(rounds.Seconds()/k, "round_s")
	b.ReportMetric(cpu.Seconds()/k, "cpu_s/round")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak_rss_MiB")
	b.ReportMetric(worst, "budget_max_ratio")
	if worst > 1 {
		b.Errorf("a simulated exchange saw more than its budget: %s", worstWhat)
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
