package monitor

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
)

func get(t *testing.T, h http.Handler, path, token string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

// The endpoints: /healthz open, the rest behind the bearer token;
// /readyz only after the first round; the status document of every
// profile; the metrics of the issue, with no secret in any of them.
func TestEndpointsAndMetrics(t *testing.T) {
	fs := &fakeState{withdraw: exchanges.Yes, expires: time.Now().Add(5 * 24 * time.Hour)}
	src := &fakeSource{names: []string{"main", "bot2"}, fs: fs}
	m := newTestMonitor(t, src, time.Hour, nil, nil)
	const token = "tok-TEST-0123456789"
	h := m.Handler(HandlerOptions{Token: exchanges.NewSecret(token), WriteStatus: func(w io.Writer, rs []checks.Report) error {
		return json.NewEncoder(w).Encode(map[string]any{"profiles": rs})
	}})
	if code, _ := get(t, h, "/healthz", ""); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	for _, p := range []string{"/metrics", "/readyz", "/api/v1/status"} {
		if code, _ := get(t, h, p, ""); code != http.StatusUnauthorized {
			t.Errorf("%s without the token: %d", p, code)
		}
		if code, _ := get(t, h, p, "wrong"); code != http.StatusUnauthorized {
			t.Errorf("%s with a wrong token: %d", p, code)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/metrics", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
	eventually(t, 5*time.Second, "ready", m.Ready)
	if code, body := get(t, h, "/readyz", token); code != 200 {
		t.Errorf("/readyz after the first round: %d %s", code, body)
	}
	_, status := get(t, h, "/api/v1/status", token)
	var doc struct {
		Profiles []struct {
			Name   string
			Checks []struct{ ID, Status string }
		}
	}
	if err := json.Unmarshal([]byte(status), &doc); err != nil || len(doc.Profiles) != 2 || doc.Profiles[0].Name != "bot2" {
		t.Fatalf("status document (%v): %s", err, status)
	}
	_, metrics := get(t, h, "/metrics", token)
	for _, want := range []string{
		`keywarden_check_status{check="withdraw_disabled",environment="live",exchange="binance",profile="main",status="fail"} 1`,
		`keywarden_check_status{check="withdraw_disabled",environment="live",exchange="binance",profile="main",status="pass"} 0`,
		`keywarden_check_cause_info{cause="withdrawals_on",check="withdraw_disabled",environment="live",exchange="binance",profile="main"} 1`,
		`keywarden_check_cause_info{cause="expiring",check="key_expiry",environment="live",exchange="binance",profile="bot2"} 1`,
		`keywarden_check_success{environment="live",exchange="binance",profile="main"} 0`,
		`keywarden_key_expiry_timestamp_seconds{environment="live",exchange="binance",profile="main"} `,
		`keywarden_key_created_timestamp_seconds{environment="live",exchange="binance",profile="main"} `,
		`keywarden_key_rotation_due_timestamp_seconds{environment="live",exchange="binance",profile="main"} `,
		`keywarden_clock_offset_seconds{profile="main",source="exchange"} `,
		`keywarden_exchange_up{environment="live",exchange="binance"} 1`,
		`keywarden_last_check_timestamp_seconds{environment="live",exchange="binance",profile="bot2"} `,
		`keywarden_check_duration_seconds_count{exchange="binance"} 2`,
		`keywarden_build_info{`, `keywarden_profiles 2`, `keywarden_ready 1`, `process_resident_memory_bytes`, `go_goroutines`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Absolute timestamps, not countdowns: the expiry is 5 days from now.
	for _, line := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(line, "keywarden_key_expiry_timestamp_seconds{") {
			var v float64
			_ = json.Unmarshal([]byte(line[strings.LastIndex(line, " ")+1:]), &v)
			if d := time.Until(time.Unix(int64(v), 0)); d < 4*24*time.Hour || d > 6*24*time.Hour {
				t.Errorf("expiry timestamp %v is not 5 days from now", v)
			}
		}
	}
	for _, s := range []string{testKey, testSecret, token, "203.0.113.10"} {
		if strings.Contains(metrics, s) {
			t.Errorf("metrics hold %q", s)
		}
		if s != "203.0.113.10" && strings.Contains(status, s) {
			t.Errorf("status holds %q", s)
		}
	}
}

// Profiles added and removed while it runs are picked up on Reload; a
// removed profile's series go away; credentials are read for each check.
func TestReload(t *testing.T) {
	fs := &fakeState{withdraw: exchanges.No}
	src := &fakeSource{names: []string{"a"}, fs: fs}
	m := newTestMonitor(t, src, time.Hour, nil, nil)
	eventually(t, 5*time.Second, "a checked", func() bool { return names(m.Reports()) == "a" })
	src.setNames("b", "c")
	m.Reload()
	eventually(t, 5*time.Second, "b and c checked, a gone", func() bool { return names(m.Reports()) == "b,c" })
	h := m.Handler(HandlerOptions{})
	if _, body := get(t, h, "/metrics", ""); strings.Contains(body, `profile="a"`) {
		t.Errorf("removed profile still in the metrics")
	}
	if n := src.reads.Load(); n != 3 {
		t.Errorf("%d credential reads for 3 checks", n)
	}
}

// The exchange's status and clock are asked once for every key of one
// exchange and host; each key's own facts once per key.
func TestStatusAndClockShared(t *testing.T) {
	fs := &fakeState{withdraw: exchanges.No}
	var n []string
	for _, c := range "abcdefghijklmnopqrst" {
		n = append(n, string(c))
	}
	src := &fakeSource{names: n, fs: fs}
	m := newTestMonitor(t, src, time.Hour, nil, nil)
	eventually(t, 5*time.Second, "ready", m.Ready)
	if s, tm, k := fs.status.Load(), fs.time.Load(), fs.key.Load(); s != 1 || tm != 1 || k != 20 {
		t.Errorf("20 keys: %d status, %d time, %d key requests; want 1, 1, 20", s, tm, k)
	}
}

// Profiles spread over the interval by their names' hash; each check's
// next one is between half an interval and one and a half away.
func TestScheduleSpread(t *testing.T) {
	m, _ := New(Options{Source: &fakeSource{}, Interval: 5 * time.Minute, Jitter: func(time.Duration) time.Duration { return 0 }})
	m.start = time.Unix(1_800_000_000, 0)
	buckets := make([]int, 10)
	for i := range 500 {
		name := "bot-" + string(rune('a'+i%26)) + "-" + time.Duration(i).String()
		ph := m.phase(name)
		buckets[ph*10/m.o.Interval]++
		at := m.start
		for range 5 {
			next := m.nextDue(name, at)
			if d := next.Sub(at); d < m.o.Interval/2 || d >= m.o.Interval*3/2 {
				t.Fatalf("%s: next check %s after the last", name, d)
			}
			at = next
		}
	}
	for i, b := range buckets {
		if b < 25 || b > 75 {
			t.Errorf("tenth %d of the interval holds %d of 500 profiles: not spread", i, b)
		}
	}
}

// SIGTERM's path: Run returns within the drain bound even when a check
// hangs, and a cancelled check leaves no half verdict.
func TestRunStopsWithinTheDrainBound(t *testing.T) {
	fs := &fakeState{}
	src := &hangingSource{fakeSource{names: []string{"main"}, fs: fs}}
	m, _ := New(Options{Source: src, Interval: time.Hour, Timeout: time.Hour, Drain: 200 * time.Millisecond,
		Session: checks.Options{NTPServers: []string{"off"}, IPEchoURLs: []string{ipEcho(t)}}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = m.Run(ctx); close(done) }()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("stopping took %s, bound 200 ms + grace", took)
	}
	if len(m.Reports()) != 0 {
		t.Errorf("a cancelled check left a report: %+v", m.Reports())
	}
}

// hangingSource's credentials take until the check is cancelled.
type hangingSource struct{ fakeSource }

func (h *hangingSource) Credentials(ctx context.Context, _ string) (exchanges.Credentials, error) {
	<-ctx.Done()
	return exchanges.Credentials{}, ctx.Err()
}

// OnChange (serve's history hook) fires for the first result and then only
// when a status or cause changes, not every round.
func TestOnChangeOnlyOnChange(t *testing.T) {
	fs := &fakeState{withdraw: exchanges.No}
	src := &fakeSource{names: []string{"main"}, fs: fs}
	var mu sync.Mutex
	var calls []string
	m, _ := New(Options{Source: src, Interval: 50 * time.Millisecond, Timeout: time.Second,
		Session: checks.Options{NTPServers: []string{"off"}, IPEchoURLs: []string{ipEcho(t)}},
		Jitter:  func(time.Duration) time.Duration { return 0 },
		OnChange: func(_ Profile, r checks.Report) {
			mu.Lock()
			calls = append(calls, r.Worst().String())
			mu.Unlock()
		}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	n := func() int { mu.Lock(); defer mu.Unlock(); return len(calls) }
	eventually(t, 5*time.Second, "five rounds", func() bool { return fs.key.Load() >= 5 })
	if n() != 1 {
		t.Errorf("%d calls over 5 unchanged rounds: %v", n(), calls)
	}
	fs.set(func(s *fakeState) { s.withdraw = exchanges.Yes })
	eventually(t, 5*time.Second, "the change", func() bool { return n() == 2 })
	k := fs.key.Load()
	eventually(t, 5*time.Second, "three more rounds", func() bool { return fs.key.Load() >= k+3 })
	if n() != 2 {
		t.Errorf("calls: %v", calls)
	}
}

// A key rotated while its check is in flight is checked again at once;
// the old key's verdict is not kept as the new one's.
func TestRotatedWhileChecking(t *testing.T) {
	gate := make(chan struct{})
	fs := &fakeState{withdraw: exchanges.Yes, gate: gate}
	src := &fakeSource{names: []string{"main"}, fs: fs}
	m := newTestMonitor(t, src, time.Hour, nil, nil)
	eventually(t, 5*time.Second, "the first check in flight", func() bool { return fs.key.Load() == 1 })
	src.mu.Lock()
	src.fp = "NEW1…KEY2"
	src.mu.Unlock()
	m.Reload()
	time.Sleep(100 * time.Millisecond)
	fs.set(func(s *fakeState) { s.gate, s.withdraw = nil, exchanges.No })
	close(gate)
	eventually(t, 5*time.Second, "the new key checked", func() bool { return fs.key.Load() == 2 && len(m.Reports()) == 1 })
	if got := statusOf(m, "main", "withdraw_disabled"); got != "pass/" {
		t.Errorf("the report is the old key's: %s", got)
	}
}
