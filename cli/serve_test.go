package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

var metricsURL = regexp.MustCompile(`metrics=http://(127\.0\.0\.1:[0-9]+)/metrics`)

// waitAddr waits for serve's log line that says where it listens.
func waitAddr(t *testing.T, log *syncBuffer) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := metricsURL.FindStringSubmatch(log.String()); m != nil {
			return "http://" + m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("serve did not start:\n%s", log.String())
	return ""
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// twoKeySim is a Binance simulator knowing two good keys.
func twoKeySim(t *testing.T, c *cli) (*sim.Server, []sim.Key) {
	sc := exchangetest.GoodScenario(t, "binance", "live")
	k2, _ := sim.SampleKey("binance")
	sc.Keys = append(sc.Keys, k2)
	for i := range sc.Keys {
		sc.Keys[i].Permissions = []string{sim.PermRead, sim.PermSpot}
		sc.Keys[i].IPs = []string{sim.DefaultClientIP}
	}
	srv := c.simFor(sc)
	return srv, srv.Scenario().Keys
}

// serve in-process, as an operator runs it: ready after the first round,
// the status API is check --json's document, metrics are there, a profile
// added meanwhile is picked up from the profiles file, the history gets
// one "checked" event per change (not per round), and stopping exits 0.
func TestServeInProcess(t *testing.T) {
	c := newCLI(t)
	srv, keys := twoKeySim(t, c)
	if _, e, code := c.run(credsJSON(keys[0]), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatalf("add: %s", e)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		sio := &ioStreams{In: strings.NewReader(""), Out: log, Err: log,
			LookupEnv: func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }}
		done <- run(ctx, []string{"serve", "--all", "--interval", "10s", "--listen", "127.0.0.1:0"}, sio)
	}()
	base := waitAddr(t, log)
	waitFor(t, 10*time.Second, "/readyz", func() bool { code, _ := httpGet(t, base+"/readyz"); return code == 200 })
	if code, _ := httpGet(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	_, status := httpGet(t, base+"/api/v1/status")
	doc := parseDoc(t, status)
	if len(doc.Profiles) != 1 || doc.Profiles[0].Name != "main" || doc.status("auth") != "pass" {
		t.Errorf("status document: %s", status)
	}
	_, metrics := httpGet(t, base+"/metrics")
	if !strings.Contains(metrics, `keywarden_check_success{environment="live",exchange="binance",profile="main"} 1`) {
		t.Errorf("metrics lack main's success:\n%s", metrics)
	}
	if _, e, code := c.run(credsJSON(keys[1]), "add", "bot2", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatalf("add bot2: %s", e)
	}
	waitFor(t, 15*time.Second, "bot2 picked up from the profiles file", func() bool {
		_, s := httpGet(t, base+"/api/v1/status")
		return strings.Contains(s, `"name": "bot2"`)
	})
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d after its context ended:\n%s", code, log.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	out, _, _ := c.run("", "history", "main", "--json")
	if n := strings.Count(out, `"event": "checked"`); n != 1 {
		t.Errorf("%d checked events for one unchanged result:\n%s", n, out)
	}
	for _, k := range keys {
		if strings.Contains(log.String()+status+metrics, k.Secret) {
			t.Error("a secret in serve's output")
		}
	}
}

// --test-alert sends one message to each target and says which took it;
// a target that does not answer makes it exit 1.
func TestServeTestAlert(t *testing.T) {
	c := newCLI(t)
	var got []string
	var mu sync.Mutex
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Header.Get("X-Keywarden-Signature")+" "+string(b))
		mu.Unlock()
	}))
	defer recv.Close()
	c.env["KEYWARDEN_ALERT_SECRET"] = "whsec-test-cli"
	out, e, code := c.run("", "serve", "--test-alert", "--alert", "webhook="+recv.URL+"/hook")
	if code != 0 || !strings.Contains(out, "delivered") {
		t.Fatalf("exit %d: %s %s", code, out, e)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "sha256=") || !strings.Contains(got[0], "Test message") || strings.Contains(got[0], "whsec-test-cli") {
		t.Errorf("receiver got %q", got)
	}
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	out, _, code = c.run("", "serve", "--test-alert", "--alert", recv.URL, "--alert", dead.URL)
	if code != 1 || !strings.Contains(out, "✗ webhook") {
		t.Errorf("a dead target: exit %d: %s", code, out)
	}
	if _, e, code := c.run("", "serve", "--test-alert", "--alert", "telegram=12345"); code != 2 || !strings.Contains(e, "KEYWARDEN_TELEGRAM_TOKEN") {
		t.Errorf("telegram without a token: exit %d: %s", code, e)
	}
}

func TestServeUsageErrors(t *testing.T) {
	c := newCLI(t)
	for _, tc := range []struct {
		args    []string
		mention string
	}{
		{[]string{"serve", "--interval", "1s"}, "at least 10s"},
		{[]string{"serve", "--interval", "1m", "--timeout", "2m"}, "shorter than --interval"},
		{[]string{"serve", "--all", "main"}, "not both"},
		{[]string{"serve", "--all"}, "no profiles yet"},
		{[]string{"serve", "--listen", "nonsense"}, "HOST:PORT"},
		{[]string{"serve", "--alert", "ftp://example.com/x"}, "https://"},
		{[]string{"serve", "--alert", "http://example.com/hook"}, "plain http"},
	} {
		_, e, code := c.run("", tc.args...)
		if code != 2 || !strings.Contains(e, tc.mention) {
			t.Errorf("%v: exit %d, %q (want 2 and %q)", tc.args, code, e, tc.mention)
		}
	}
}

// A Slack URL on the command line is warned about (ps shows it); a
// non-loopback --listen is warned about.
func TestServeWarnings(t *testing.T) {
	c := newCLI(t)
	var errb bytes.Buffer
	a := &app{io: &ioStreams{Err: &errb, LookupEnv: func(string) (string, bool) { return "", false }}}
	if err := checkListen(a, "192.0.2.1:9489", true, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errb.String(), "reachable from other machines") || !strings.Contains(errb.String(), "--token-file") {
		t.Errorf("no warning: %q", errb.String())
	}
	_, e, _ := c.run("", "serve", "--test-alert", "--alert", "https://hooks.slack.com/services/T0/B0/x")
	if !strings.Contains(e, "carries its token") {
		t.Errorf("no warning about a Slack URL on the command line: %q", e)
	}
}

// startServe runs serve as its own process (the test binary as keywarden).
func startServe(t *testing.T, c *cli, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := keywardenProcess(t, c, append([]string{"serve"}, args...)...)
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, log
}

// SIGHUP picks up a profile added meanwhile (with the file watch off, so
// it is the signal that does it), without a second passphrase; SIGTERM
// with a check hanging exits 0 within the drain bound.
func TestServeSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX signals")
	}
	c := newCLI(t)
	srv, keys := twoKeySim(t, c)
	if _, e, code := c.run(credsJSON(keys[0]), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatalf("add: %s", e)
	}
	hang := exchangetest.GoodScenario(t, "binance", "live")
	hang.Hang = true
	hsrv, err := sim.Listen(hang, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hsrv.Close()
	cmd, log := startServe(t, c, "--all", "--watch=false", "--interval", "60s", "--timeout", "50s", "--listen", "127.0.0.1:0")
	base := waitAddr(t, log)
	waitFor(t, 20*time.Second, "ready", func() bool { code, _ := httpGet(t, base+"/readyz"); return code == 200 })

	if _, e, code := c.run(credsJSON(keys[1]), "add", "bot2", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatalf("add bot2: %s", e)
	}
	if _, e, code := c.run(credsJSON(hsrv.Scenario().Keys[0]), "add", "stuck", "--exchange", "binance", "--base-url", hsrv.URL); code != 0 {
		t.Fatalf("add stuck: %s", e)
	}
	time.Sleep(3 * time.Second) // longer than the file watch's poll: nothing may happen without the signal
	if _, s := httpGet(t, base+"/api/v1/status"); strings.Contains(s, "bot2") {
		t.Fatal("reloaded without SIGHUP although --watch=false")
	}
	_ = cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 10*time.Second, "bot2 after SIGHUP", func() bool {
		_, s := httpGet(t, base+"/api/v1/status")
		return strings.Contains(s, `"name": "bot2"`)
	})
	time.Sleep(300 * time.Millisecond) // the check of "stuck" is in flight, hanging
	start := time.Now()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no exit 20 s after SIGTERM:\n%s", log.String())
	}
	if took := time.Since(start); took > 14*time.Second {
		t.Errorf("SIGTERM took %s; the bound is 10 s for checks plus 2 s to close", took)
	}
	if !strings.Contains(log.String(), "drain bound are cancelled") {
		t.Errorf("the hanging check was not cut at the drain bound:\n%s", log.String())
	}
	if strings.Count(log.String(), "SIGHUP") != 1 {
		t.Errorf("log:\n%s", log.String())
	}
}

// kill -9 at any moment of a round leaves the keyring readable and the
// history log whole.
func TestServeKill9(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX signals")
	}
	c := newCLI(t)
	sc := exchangetest.GoodScenario(t, "binance", "live")
	sc.Latency = sim.Duration(100 * time.Millisecond)
	var keys []sim.Key
	for range 6 {
		k, _ := sim.SampleKey("binance")
		keys = append(keys, k)
	}
	sc.Keys = keys
	srv := c.simFor(sc)
	for i, k := range srv.Scenario().Keys {
		if _, e, code := c.run(credsJSON(k), "add", "p"+string(rune('0'+i)), "--exchange", "binance", "--base-url", srv.URL); code != 0 {
			t.Fatalf("add: %s", e)
		}
	}
	for _, d := range []time.Duration{80, 200, 350, 600} {
		cmd, _ := startServe(t, c, "--all", "--interval", "10s", "--listen", "127.0.0.1:0")
		time.Sleep(d * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		if _, e, code := c.run("", "check", "--all", "--json"); code == 2 {
			t.Fatalf("after kill -9 at %d ms the keyring does not open: %s", d, e)
		}
		out, e, code := c.run("", "history", "--json")
		var doc struct{ Events []map[string]any }
		if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || len(doc.Events) < 6 {
			t.Fatalf("after kill -9 at %d ms the history does not read (%d, %v): %s %s", d, code, err, out, e)
		}
	}
	if entries, _ := os.ReadDir(c.env["KEYWARDEN_DIR"]); len(entries) == 0 {
		t.Fatal("keyring folder empty")
	}
}
