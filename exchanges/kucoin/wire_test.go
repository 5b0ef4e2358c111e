package kucoin

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKeyInfoFromRecordedAnswer(t *testing.T) {
	k, err := parseAPIKey(read(t, "api_key.json"))
	if err != nil {
		t.Fatal(err)
	}
	ki := k.keyInfo()
	if ki.Read != exchanges.Yes || ki.Withdraw != exchanges.No || ki.Transfer != exchanges.No {
		t.Errorf("read %v withdraw %v transfer %v", ki.Read, ki.Withdraw, ki.Transfer)
	}
	want := map[exchanges.Market]exchanges.Flag{exchanges.Spot: exchanges.Yes, exchanges.Futures: exchanges.Yes, exchanges.Margin: exchanges.No}
	if !reflect.DeepEqual(ki.Trade, want) {
		t.Errorf("trade %v", ki.Trade)
	}
	if ki.IPRestricted != exchanges.Yes || !ki.IPListKnown || !reflect.DeepEqual(ki.IPs, []string{"198.51.100.42", "203.0.113.10"}) {
		t.Errorf("ips %v %v %v", ki.IPRestricted, ki.IPListKnown, ki.IPs)
	}
	if !ki.Created.Equal(time.UnixMilli(1728905969000)) || ki.ExpiryKnown {
		t.Errorf("created %v expiry known %v", ki.Created, ki.ExpiryKnown)
	}
	if ki.Label != "keywarden-bot" {
		t.Errorf("label %q", ki.Label)
	}
}

// "Transfer" is KuCoin's withdrawal permission; "Trade" is the older
// spot-trading permission; no whitelist means unrestricted.
func TestKeyInfoLegacyAndTransfer(t *testing.T) {
	k, err := parseAPIKey(read(t, "api_key_legacy_transfer.json"))
	if err != nil {
		t.Fatal(err)
	}
	ki := k.keyInfo()
	if ki.Withdraw != exchanges.Yes {
		t.Errorf("withdraw %v", ki.Withdraw)
	}
	if ki.TradeFor(exchanges.Spot) != exchanges.Yes || ki.TradeFor(exchanges.Futures) != exchanges.Unknown {
		t.Errorf("trade %v", ki.Trade)
	}
	if ki.IPRestricted != exchanges.No || !ki.IPListKnown || len(ki.IPs) != 0 {
		t.Errorf("ips %v %v %v", ki.IPRestricted, ki.IPListKnown, ki.IPs)
	}
}

func TestKeyInfoMaskedWhitelist(t *testing.T) {
	k, err := parseAPIKey([]byte(`{"code":"200000","data":{"apiKey":"x","permission":"General, Spot","ipWhitelist":"10.**.1"}}`))
	if err != nil {
		t.Fatal(err)
	}
	ki := k.keyInfo()
	if ki.IPRestricted != exchanges.Yes || ki.IPListKnown || ki.IPs != nil {
		t.Errorf("masked list claimed known: %v %v %v", ki.IPRestricted, ki.IPListKnown, ki.IPs)
	}
	if ki.TradeFor(exchanges.Spot) != exchanges.Yes {
		t.Errorf("spaces after commas: %v", ki.Trade)
	}
}

func TestAccountsAndFutures(t *testing.T) {
	v, err := parseAccounts(read(t, "accounts.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, types := assets(v)
	if len(a) != 2 || a[1].Asset != "USDT" || a[1].Free != "1200.5" || a[1].Total != "1250.5" || a[1].Account != "trade" {
		t.Errorf("assets %+v", a)
	}
	if !reflect.DeepEqual(types, []string{"main", "trade"}) {
		t.Errorf("accounts %v", types)
	}
	f, err := parseFuturesOverview(read(t, "futures_overview.json"))
	if err != nil || f == nil || f.Total != "99.8999305281" || f.Account != "futures" {
		t.Errorf("futures %+v %v", f, err)
	}
	ts, err := parseTime(read(t, "timestamp.json"))
	if err != nil || ts.UnixMilli() != 1546837113087 {
		t.Errorf("time %v %v", ts, err)
	}
	st, err := parseStatus(read(t, "status.json"))
	if err != nil || st.Status != "open" {
		t.Errorf("status %+v %v", st, err)
	}
}

func TestParsersRefuseErrorsAndNonsense(t *testing.T) {
	for _, body := range []string{
		`{"code":"400005","msg":"Invalid KC-API-SIGN"}`,
		`{"code":"200000"}`,
		`{"code":"200000","data":null}`,
		`{"code":"200000","data":{"apiKey":"x"}}`,
		`{"code":"200000","data":[{"currency":"BTC","type":"trade","balance":"1e5","available":"1"}]}`,
		`[1,2`,
	} {
		if _, err := parseAPIKey([]byte(body)); err == nil {
			t.Errorf("parseAPIKey(%s) accepted", body)
		}
		if _, err := parseAccounts([]byte(body)); err == nil && body != `{"code":"200000","data":{"apiKey":"x"}}` {
			t.Errorf("parseAccounts(%s) accepted", body)
		}
	}
}

// Fuzz every parser of KuCoin's bytes: no panic, and an error is never
// returned with a half-filled value that a caller might use.
func FuzzParsers(f *testing.F) {
	for _, name := range []string{"api_key.json", "api_key_legacy_transfer.json", "accounts.json", "futures_overview.json", "status.json", "timestamp.json", "err_400006_ip.json"} {
		f.Add(read(f, name))
	}
	f.Add([]byte(`{"code":200000,"data":{"permission":"","ipWhitelist":",,,","createdAt":-1}}`))
	f.Add([]byte(`{"code":"200000","data":{"accountEquity":1e400,"currency":"USDT"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if k, err := parseAPIKey(b); err == nil {
			_ = k.keyInfo()
		} else if !reflect.DeepEqual(k, apiKey{}) {
			t.Errorf("error %v with a half-filled key %+v", err, k)
		}
		if v, err := parseAccounts(b); err == nil {
			a, _ := assets(v)
			for _, x := range a {
				if !exchanges.IsDecimal(x.Total) || !exchanges.IsDecimal(x.Free) {
					t.Errorf("non-decimal asset %+v", x)
				}
			}
		} else if v != nil {
			t.Errorf("error %v with accounts", err)
		}
		if a, err := parseFuturesOverview(b); err != nil && a != nil {
			t.Errorf("error %v with an asset", err)
		} else if a != nil && !exchanges.IsDecimal(a.Total) {
			t.Errorf("non-decimal futures total %q", a.Total)
		}
		if ts, err := parseTime(b); err != nil && !ts.IsZero() {
			t.Errorf("error %v with a time", err)
		}
		if s, err := parseStatus(b); (err == nil) == (s.Status == "") {
			t.Errorf("status %+v with error %v", s, err)
		}
		_ = classify("op", &exchanges.Response{Status: 400, Body: b})
	})
}
