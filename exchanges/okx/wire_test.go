package okx

import (
	"os"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The docs' own examples parse into the facts they say.
func TestParseDocExamples(t *testing.T) {
	ms, err := parseTime(read(t, "time.json"))
	if err != nil || ms != 1597026383085 {
		t.Errorf("parseTime = %d, %v", ms, err)
	}

	cfg, err := parseConfig(read(t, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	k := cfg.keyInfo(false, now)
	if k.Read != exchanges.Yes || k.Withdraw != exchanges.Yes || k.Transfer != exchanges.Yes {
		t.Errorf("read/withdraw/transfer = %v/%v/%v", k.Read, k.Withdraw, k.Transfer)
	}
	for _, m := range []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin} {
		if k.TradeFor(m) != exchanges.Yes {
			t.Errorf("trade %s = %v", m, k.TradeFor(m))
		}
	}
	if k.IPRestricted != exchanges.No || !k.IPListKnown || len(k.IPs) != 0 || k.Label != "v5 test" {
		t.Errorf("ip facts: %+v", k)
	}
	if k.IdleExpiry != 14*24*time.Hour || !k.Expires.IsZero() {
		t.Errorf("an unbound trade key is deleted after 14 idle days: %v %v", k.IdleExpiry, k.Expires)
	}

	tb, err := parseBalance(read(t, "balance.json"))
	if err != nil {
		t.Fatal(err)
	}
	if tb.TotalEq != "55837.43556134779" || len(tb.Assets) != 1 || tb.Assets[0].Total != "4992.890093622894" || tb.Assets[0].Free != "4834.317093622894" {
		t.Errorf("balance = %+v", tb)
	}
	f, err := parseFunding(read(t, "funding.json"))
	if err != nil || len(f) != 1 || f[0].Asset != "ETH" {
		t.Errorf("funding = %+v, %v", f, err)
	}
	ev, err := parseStatus(read(t, "status.json"))
	if err != nil || len(ev) != 1 {
		t.Fatalf("status = %+v, %v", ev, err)
	}
	if s := statusOf(ev, "1"); s.State != exchanges.StatusNormal {
		t.Errorf("a completed event is not maintenance: %+v", s)
	}
}

func TestKeyInfoRules(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name    string
		cfg     accountConfig
		demo    bool
		trade   exchanges.Flag
		expires bool
		ips     int
	}{
		{"read only, unbound", accountConfig{Perm: "read_only"}, false, exchanges.No, false, 0},
		{"trade, bound", accountConfig{Perm: "read_only,trade", IP: "203.0.113.10, 198.51.100.0/24"}, false, exchanges.Yes, false, 2},
		{"trade, unbound", accountConfig{Perm: "read_only,trade"}, false, exchanges.Yes, true, 0},
		{"trade, unbound, demo", accountConfig{Perm: "read_only,trade"}, true, exchanges.Yes, false, 0},
		{"withdraw only, unbound", accountConfig{Perm: "read_only,withdraw"}, false, exchanges.No, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := tc.cfg.keyInfo(tc.demo, now)
			if k.TradeFor(exchanges.Futures) != tc.trade || k.Transfer != tc.trade {
				t.Errorf("trade/transfer = %v/%v, want %v", k.TradeFor(exchanges.Futures), k.Transfer, tc.trade)
			}
			if !k.ExpiryKnown || !k.Expires.IsZero() || (k.IdleExpiry > 0) != tc.expires {
				t.Errorf("expires = %v idle %v, want idle expiry %v", k.Expires, k.IdleExpiry, tc.expires)
			}
			if len(k.IPs) != tc.ips || k.IPRestricted != exchanges.FlagOf(tc.ips > 0) {
				t.Errorf("ips = %q restricted %v", k.IPs, k.IPRestricted)
			}
		})
	}
}

func TestStatusOf(t *testing.T) {
	ev := func(state, service, env string) statusEvent {
		return statusEvent{Title: state + " " + service, State: state, ServiceType: service, Env: env, Begin: "1672823400000", End: "1672823520000"}
	}
	for _, tc := range []struct {
		name   string
		events []statusEvent
		env    string
		want   exchanges.StatusState
	}{
		{"nothing", nil, "1", exchanges.StatusNormal},
		{"scheduled", []statusEvent{ev("scheduled", "5", "1")}, "1", exchanges.StatusAnnounced},
		{"ongoing trading", []statusEvent{ev("ongoing", "5", "1")}, "1", exchanges.StatusMaintenance},
		{"ongoing websocket", []statusEvent{ev("ongoing", "0", "1")}, "1", exchanges.StatusDegraded},
		{"pre-open", []statusEvent{ev("pre_open", "5", "1")}, "1", exchanges.StatusDegraded},
		{"demo event on live", []statusEvent{ev("ongoing", "5", "2")}, "1", exchanges.StatusNormal},
		{"demo event on demo", []statusEvent{ev("ongoing", "5", "2")}, "2", exchanges.StatusMaintenance},
		{"worst wins", []statusEvent{ev("scheduled", "5", "1"), ev("ongoing", "5", "1"), ev("pre_open", "9", "1")}, "1", exchanges.StatusMaintenance},
		{"canceled", []statusEvent{ev("canceled", "5", "1")}, "1", exchanges.StatusNormal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := statusOf(tc.events, tc.env)
			if s.State != tc.want {
				t.Errorf("state = %v, want %v (%+v)", s.State, tc.want, s)
			}
			if tc.want == exchanges.StatusMaintenance && (s.Since.IsZero() || s.Until.IsZero()) {
				t.Errorf("window not kept: %+v", s)
			}
		})
	}
}
