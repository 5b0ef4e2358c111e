package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/all"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// TestExchangesEndToEnd runs `add` + `check --json` against the simulator
// of every simulated exchange: a good key passes, and each classic mistake
// fails on the right check id.
func TestExchangesEndToEnd(t *testing.T) {
	for _, id := range sim.Exchanges() {
		ad, ok := all.Lookup(id)
		if !ok || ad.New == nil {
			t.Errorf("%s is simulated but has no adapter in exchanges/all", id)
			continue
		}
		info := ad.Info()
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			type scenario struct {
				name   string
				mutate func(*sim.Scenario, *sim.Key)
				args   []string
				fail   []string // check ids that must fail
				code   int
			}
			cases := []scenario{
				{name: "good key", mutate: func(*sim.Scenario, *sim.Key) {}},
				{name: "withdrawals on", mutate: func(sc *sim.Scenario, k *sim.Key) {
					sc.Keys[0].Permissions = append(sc.Keys[0].Permissions, sim.PermWithdraw)
				}, fail: []string{"withdraw_disabled"}, code: 1},
				{name: "bot ip missing from whitelist", mutate: func(sc *sim.Scenario, k *sim.Key) {
					sc.Keys[0].IPs = []string{"198.51.100.7"}
				}, fail: []string{"auth", "ip_whitelist"}, code: 1},
				{name: "wrong secret", mutate: func(sc *sim.Scenario, k *sim.Key) {
					k.Secret = otherSecret(t, id)
				}, fail: []string{"auth"}, code: 1},
				{name: "missing trade permission", mutate: func(sc *sim.Scenario, k *sim.Key) {
					sc.Keys[0].Permissions = []string{sim.PermRead}
				}, fail: []string{"trade"}, code: 1},
			}
			if _, ok := info.Field(exchanges.FieldPassphrase); ok {
				cases = append(cases, scenario{name: "wrong passphrase", mutate: func(sc *sim.Scenario, k *sim.Key) {
					k.Passphrase = "Wrong-Passphrase-1"
				}, fail: []string{"auth"}, code: 1})
			}
			// Skew the clock the way the exchange rejects: ahead where it
			// limits that, else behind.
			switch {
			case info.Clock.Ahead > 0:
				cases = append(cases, scenario{name: "clock skewed", mutate: func(sc *sim.Scenario, k *sim.Key) {
					sc.ClockOffset = sim.Duration(-(info.Clock.Ahead + 5*time.Second))
				}, fail: []string{"clock", "auth"}, code: 1})
			case info.Clock.Behind > 0:
				cases = append(cases, scenario{name: "clock skewed", mutate: func(sc *sim.Scenario, k *sim.Key) {
					sc.ClockOffset = sim.Duration(info.Clock.Behind + 5*time.Second)
				}, fail: []string{"clock", "auth"}, code: 1})
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					c := newCLI(t)
					sc := exchangetest.GoodScenario(t, id, exchanges.Live)
					sc.Keys[0].Permissions = []string{sim.PermRead}
					for _, m := range info.Markets[:1] {
						sc.Keys[0].Permissions = append(sc.Keys[0].Permissions, string(m))
					}
					sc.Keys[0].IPs = []string{sim.DefaultClientIP}
					given := sc.Keys[0]
					tc.mutate(&sc, &given)
					srv := c.simFor(sc)
					args := []string{"add", "main", "--exchange", id, "--base-url", srv.URL}
					if _, e, code := c.run(credsJSON(given), args...); code != 0 {
						t.Fatalf("add: exit %d: %s", code, e)
					}
					out, errOut, code := c.run("", append([]string{"check", "--json"}, tc.args...)...)
					d := parseDoc(t, out)
					if code != tc.code {
						t.Errorf("exit %d, want %d (%s)\n%s", code, tc.code, errOut, out)
					}
					for _, ch := range d.Profiles[0].Checks {
						want := ""
						for _, f := range tc.fail {
							if f == ch.ID {
								want = "fail"
							}
						}
						if want == "" && ch.Status == "fail" {
							t.Errorf("%s failed unexpectedly: %s | %s", ch.ID, ch.Summary, ch.Detail)
						}
						if want == "fail" && ch.Status != "fail" {
							t.Errorf("%s = %s, want fail: %s | %s", ch.ID, ch.Status, ch.Summary, ch.Detail)
						}
						if (ch.Status == "warn" || ch.Status == "fail") && ch.Fix == "" {
							t.Errorf("%s is %s without a fix", ch.ID, ch.Status)
						}
					}
					for _, s := range []string{given.Secret, given.Passphrase, sc.Keys[0].Secret} {
						if len(s) >= 6 && strings.Contains(out+errOut, s) {
							t.Error("a secret appears in the output")
						}
					}
				})
			}
		})
	}
}

// otherSecret is a valid-looking secret that does not belong to the key.
func otherSecret(t *testing.T, id string) string {
	k, ok := sim.SampleKey(id)
	if !ok {
		t.Fatalf("no sample key for %s", id)
	}
	return k.Secret
}
