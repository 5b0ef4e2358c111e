package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// TestAddAndCheckBinance drives `add` then `check --json` against the
// simulator for each scenario of the Binance issue.
func TestAddAndCheckBinance(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(*sim.Scenario)
		args    []string
		code    int
		want    map[string]string // check id → status
		mention map[string]string // check id → text in summary, detail or fix
	}{
		{name: "good key", mutate: func(*sim.Scenario) {}, code: 0,
			want: map[string]string{"exchange_status": "pass", "clock": "pass", "auth": "pass", "read": "pass", "trade": "pass",
				"withdraw_disabled": "pass", "ip_whitelist": "pass", "balance": "pass", "key_age": "pass", "key_expiry": "pass"}},
		{name: "withdrawals on", mutate: func(sc *sim.Scenario) { sc.Keys[0].Permissions = append(sc.Keys[0].Permissions, sim.PermWithdraw) },
			code: 1, want: map[string]string{"withdraw_disabled": "fail"}, mention: map[string]string{"withdraw_disabled": "Enable Withdrawals"}},
		{name: "ip not whitelisted", mutate: func(sc *sim.Scenario) { sc.Keys[0].IPs = []string{"198.51.100.7"} },
			code: 1, want: map[string]string{"auth": "fail", "ip_whitelist": "fail"},
			mention: map[string]string{"auth": "203.0.113.10 is not on the key's whitelist"}},
		{name: "server clock 3s off", mutate: func(sc *sim.Scenario) { sc.ClockOffset = sim.Duration(-3 * time.Second) },
			code: 1, want: map[string]string{"clock": "fail"}, mention: map[string]string{"clock": "ahead"}},
		{name: "maintenance", mutate: func(sc *sim.Scenario) { sc.Maintenance = "ongoing" },
			code: 1, want: map[string]string{"exchange_status": "fail"}, mention: map[string]string{"exchange_status": "maintenance"}},
		{name: "first request rate-limited", mutate: func(sc *sim.Scenario) { sc.RateLimitFirst = 1 },
			code: 0, want: map[string]string{"auth": "pass", "exchange_status": "pass", "balance": "pass"}},
		{name: "hang", mutate: func(sc *sim.Scenario) { sc.Hang = true }, args: []string{"--timeout", "1s"},
			code: 1, want: map[string]string{"auth": "fail", "exchange_status": "fail"},
			mention: map[string]string{"auth": "timed out", "exchange_status": "timed out"}},
		{name: "strict turns a warning into exit 1", mutate: func(sc *sim.Scenario) { sc.Keys[0].IPs = nil },
			args: []string{"--strict"}, code: 1, want: map[string]string{"ip_whitelist": "warn"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			sc := exchangetest.GoodScenario(t, "binance", "live")
			sc.Keys[0].Permissions = []string{sim.PermRead, sim.PermSpot}
			sc.Keys[0].IPs = []string{sim.DefaultClientIP}
			tc.mutate(&sc)
			srv := c.simFor(sc)
			k := srv.Scenario().Keys[0]
			if _, errOut, code := c.run(credsJSON(k), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
				t.Fatalf("add: exit %d: %s", code, errOut)
			}
			start := time.Now()
			out, errOut, code := c.run("", append([]string{"check", "--json"}, tc.args...)...)
			took := time.Since(start)
			if code != tc.code {
				t.Errorf("check exit %d, want %d (stderr %q)\n%s", code, tc.code, errOut, out)
			}
			d := parseDoc(t, out)
			if len(d.Profiles) != 1 || len(d.Profiles[0].Checks) != 10 {
				t.Fatalf("want 1 profile with 10 checks: %s", out)
			}
			for id, w := range tc.want {
				if got := d.status(id); got != w {
					s, det, _ := d.check(id)
					t.Errorf("%s = %s, want %s (%s | %s)", id, got, w, s, det)
				}
			}
			for id, m := range tc.mention {
				s, det, fix := d.check(id)
				if !strings.Contains(s+det+fix, m) {
					t.Errorf("%s does not mention %q: %s | %s | %s", id, m, s, det, fix)
				}
			}
			if strings.Contains(out+errOut, k.Secret) {
				t.Error("the secret appears in the output")
			}
			if tc.name == "hang" && took > 2500*time.Millisecond {
				t.Errorf("a hung exchange held check for %v with --timeout 1s", took)
			}
		})
	}
}

func TestCheckPlainTextAndLastCheck(t *testing.T) {
	c := newCLI(t)
	sc := exchangetest.GoodScenario(t, "binance", "live")
	srv := c.simFor(sc)
	k := srv.Scenario().Keys[0]
	if _, e, code := c.run(credsJSON(k), "add", "main", "--exchange", "binance", "--base-url", srv.URL); code != 0 {
		t.Fatal(e)
	}
	out, _, code := c.run("", "check", "main")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"main · Binance live", "✓ pass  exchange_status", "! warn  ip_whitelist", "fix: On API Management", "9 passed · 1 warning"} {
		if !strings.Contains(out, want) {
			t.Errorf("plain output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("escape codes in plain output")
	}
	list, _, _ := c.run("", "list")
	if !strings.Contains(list, "warn just now (9 passed, 1 warning)") {
		t.Errorf("list does not show the last check:\n%s", list)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	c := newCLI(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"check"}, "no profiles yet"},
		{[]string{"check", "nope"}, "profile not found"},
		{[]string{"check", "--all", "x"}, "not both"},
		{[]string{"check", "--timeout", "0s", "--all"}, "--timeout must be positive"},
		{[]string{"check", "--bogus"}, "unknown flag"},
	}
	for _, tc := range cases {
		_, errOut, code := c.run("", tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestCheckRefusesAnEditedPlainHTTPBaseURL: a profiles.json edited by hand
// to send the key over plain http to a remote host is refused at check
// time by the same rule as add, before any request.
func TestCheckRefusesAnEditedPlainHTTPBaseURL(t *testing.T) {
	c := newCLI(t)
	k, _ := sim.SampleKey("binance")
	if _, e, code := c.run(credsJSON(k), "add", "main", "--exchange", "binance", "--base-url", "http://127.0.0.1:1"); code != 0 {
		t.Fatalf("add: %d %s", code, e)
	}
	file := filepath.Join(c.env["KEYWARDEN_DIR"], "profiles.json")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := regexp.MustCompile(`"base_url":\s*"[^"]*"`).ReplaceAll(b, []byte(`"base_url": "http://203.0.113.5:8080"`))
	if string(edited) == string(b) {
		t.Fatalf("no base_url to edit in %s", b)
	}
	if err := os.WriteFile(file, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := c.run("", "check", "main", "--json")
	if code != 2 || !strings.Contains(errOut, "plain http to a non-loopback host") {
		t.Fatalf("exit %d, stderr %q; want 2 and the base-URL rule", code, errOut)
	}
}
