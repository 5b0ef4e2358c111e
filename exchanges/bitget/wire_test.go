package bitget

import (
	"os"
	"testing"

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

func TestParseRecordedAnswers(t *testing.T) {
	if ms, err := parseTime(read(t, "time.json")); err != nil || ms != 1688008631614 {
		t.Errorf("parseTime = %d, %v", ms, err)
	}
	a, err := parseSpotAssets(read(t, "assets.json"))
	if err != nil || len(a) != 2 || a[0].Asset != "USDT" || a[0].Total != "1260.5" || a[0].Free != "1250.50000000" {
		t.Errorf("spot assets = %+v, %v", a, err)
	}
	f, err := parseFuturesAccounts(read(t, "futures.json"))
	if err != nil || len(f) != 1 || f[0].Total != "13178.86110692" || f[0].Account != "futures" {
		t.Errorf("futures = %+v, %v", f, err)
	}
}

// The docs' example still shows the legacy authorities: trade is on for
// every market, withdrawals and transfers stay unknown.
func TestKeyInfoLegacyDocExample(t *testing.T) {
	info, err := parseAccountInfo(read(t, "info.json"))
	if err != nil {
		t.Fatal(err)
	}
	k := info.keyInfo()
	if k.TradeFor(exchanges.Spot) != exchanges.Yes || k.TradeFor(exchanges.Futures) != exchanges.Yes {
		t.Errorf("trade = %v", k.Trade)
	}
	if k.Withdraw != exchanges.Unknown || k.Transfer != exchanges.Unknown {
		t.Errorf("legacy authorities cannot tell withdraw/transfer: %v/%v", k.Withdraw, k.Transfer)
	}
	if k.IPRestricted != exchanges.Yes || len(k.IPs) != 1 || k.IPs[0] != "127.0.0.1" {
		t.Errorf("ips = %v %q", k.IPRestricted, k.IPs)
	}
	if k.ExpiryKnown || !k.Created.IsZero() {
		t.Error("Bitget tells neither creation nor expiry")
	}
}

func TestKeyInfoAuthorityCodes(t *testing.T) {
	info, err := parseAccountInfo(read(t, "info_modern.json"))
	if err != nil {
		t.Fatal(err)
	}
	k := info.keyInfo()
	want := map[exchanges.Market]exchanges.Flag{exchanges.Spot: exchanges.Yes, exchanges.Futures: exchanges.Yes, exchanges.Margin: exchanges.No}
	for m, f := range want {
		if k.TradeFor(m) != f {
			t.Errorf("trade %s = %v, want %v", m, k.TradeFor(m), f)
		}
	}
	if k.Withdraw != exchanges.No || k.Transfer != exchanges.Yes || k.Read != exchanges.Yes {
		t.Errorf("withdraw/transfer/read = %v/%v/%v", k.Withdraw, k.Transfer, k.Read)
	}
	if len(k.IPs) != 2 || !k.IPListKnown {
		t.Errorf("ips %q", k.IPs)
	}
	for _, tc := range []struct {
		auth     []string
		withdraw exchanges.Flag
		futures  exchanges.Flag
	}{
		{[]string{"stor"}, exchanges.No, exchanges.No},
		{[]string{"stow", "wwow"}, exchanges.Yes, exchanges.No},
		{[]string{"coor", "coow"}, exchanges.No, exchanges.Yes},
		{[]string{"readonly"}, exchanges.Unknown, exchanges.No},
		{[]string{}, exchanges.Unknown, exchanges.No},
	} {
		k := accountInfo{Authorities: tc.auth}.keyInfo()
		if k.Withdraw != tc.withdraw || k.TradeFor(exchanges.Futures) != tc.futures {
			t.Errorf("%q: withdraw %v futures %v", tc.auth, k.Withdraw, k.TradeFor(exchanges.Futures))
		}
		if k.IPRestricted != exchanges.No {
			t.Errorf("no ips means unrestricted")
		}
	}
}
