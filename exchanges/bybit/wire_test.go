package bybit

import (
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

var now = time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)

func TestKeyInfoIPBoundReadOnly(t *testing.T) {
	k, err := parseAPIKey(load(t, "query_api_ip_bound.json"))
	if err != nil {
		t.Fatal(err)
	}
	ki := k.keyInfo(now, true)
	for m, f := range ki.Trade {
		if f != exchanges.No {
			t.Errorf("a readOnly 1 key trades %s: %v", m, f)
		}
	}
	if ki.Withdraw != exchanges.No || ki.Transfer != exchanges.No || ki.Read != exchanges.Yes {
		t.Errorf("withdraw %v transfer %v read %v", ki.Withdraw, ki.Transfer, ki.Read)
	}
	if ki.IPRestricted != exchanges.Yes || !ki.IPListKnown || !reflect.DeepEqual(ki.IPs, []string{"18.181.170.164", "13.212.45.47", "13.212.45.48"}) {
		t.Errorf("ips %v %v %v", ki.IPRestricted, ki.IPListKnown, ki.IPs)
	}
	if !ki.ExpiryKnown || !ki.Expires.IsZero() {
		t.Errorf("an IP-bound key does not expire: %v %v", ki.ExpiryKnown, ki.Expires)
	}
	if want := time.Date(2025, 10, 13, 3, 20, 45, 0, time.UTC); !ki.Created.Equal(want) {
		t.Errorf("created %v", ki.Created)
	}
	if ki.Label != "testnet" {
		t.Errorf("label %q", ki.Label)
	}
}

func TestKeyInfoUnrestrictedReadWrite(t *testing.T) {
	k, err := parseAPIKey(load(t, "query_api_unrestricted.json"))
	if err != nil {
		t.Fatal(err)
	}
	ki := k.keyInfo(now, true)
	for _, m := range []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin} {
		if ki.Trade[m] != exchanges.Yes {
			t.Errorf("trade %s = %v", m, ki.Trade[m])
		}
	}
	if ki.Withdraw != exchanges.No || ki.Transfer != exchanges.Yes {
		t.Errorf("withdraw %v transfer %v", ki.Withdraw, ki.Transfer)
	}
	if ki.IPRestricted != exchanges.No || len(ki.IPs) != 0 || !ki.IPListKnown {
		t.Errorf(`["*"] is unrestricted: %v %v`, ki.IPRestricted, ki.IPs)
	}
	if want := time.Date(2023, 12, 22, 7, 20, 25, 0, time.UTC); !ki.ExpiryKnown || !ki.Expires.Equal(want) {
		t.Errorf("expires %v %v", ki.ExpiryKnown, ki.Expires)
	}
}

func TestKeyInfoWithdraw(t *testing.T) {
	k, err := parseAPIKey(load(t, "query_api_withdraw.json"))
	if err != nil {
		t.Fatal(err)
	}
	ki := k.keyInfo(now, true)
	if ki.Withdraw != exchanges.Yes || ki.Trade[exchanges.Futures] != exchanges.No || ki.Trade[exchanges.Spot] != exchanges.Yes {
		t.Errorf("withdraw %v futures %v spot %v", ki.Withdraw, ki.Trade[exchanges.Futures], ki.Trade[exchanges.Spot])
	}
}

func TestKeyInfoDeadlineDayWithoutDate(t *testing.T) {
	body := []byte(`{"retCode":0,"result":{"readOnly":0,"permissions":{},"ips":["*"],"deadlineDay":10,"expiredAt":""},"time":1}`)
	k, err := parseAPIKey(body)
	if err != nil {
		t.Fatal(err)
	}
	ki := k.keyInfo(now, true)
	if !ki.ExpiryKnown || !ki.Expires.Equal(now.Add(240*time.Hour)) {
		t.Errorf("expires %v %v", ki.ExpiryKnown, ki.Expires)
	}
	// No date, no days, no IP bound: unknown, not "never".
	k, _ = parseAPIKey([]byte(`{"retCode":0,"result":{"readOnly":0,"permissions":{},"ips":["*"]},"time":1}`))
	if ki := k.keyInfo(now, true); ki.ExpiryKnown {
		t.Errorf("expiry claimed known: %v", ki.Expires)
	}
}

func TestParseWallet(t *testing.T) {
	w, err := parseWallet(load(t, "wallet_balance.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := w.assets()
	want := []exchanges.Asset{
		{Asset: "BTC", Free: "0.805994", Total: "0.805994", Account: "unified"},
		{Asset: "USDT", Free: "5049.37", Total: "5149.37", Account: "unified"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("assets %+v", got)
	}
	if w.TotalEquity != "18070.32797922" {
		t.Errorf("equity %q", w.TotalEquity)
	}
	w, err = parseWallet(load(t, "wallet_balance_empty.json"))
	if err != nil || len(w.assets()) != 0 {
		t.Errorf("empty wallet: %v %v", err, w.assets())
	}
}

func TestParseTime(t *testing.T) {
	got, res, err := parseTime(load(t, "market_time.json"))
	if err != nil || res != 0 || got.UnixNano() != 1688639403423213947 {
		t.Errorf("%v %v %v", got, res, err)
	}
	got, res, err = parseTime([]byte(`{"retCode":0,"result":{"timeSecond":"1688639403"}}`))
	if err != nil || res != time.Second || got.Unix() != 1688639403 {
		t.Errorf("seconds only: %v %v %v", got, res, err)
	}
}

func TestParseAccountInfo(t *testing.T) {
	if _, err := parseAccountInfo(load(t, "account_info.json")); err != nil {
		t.Error(err)
	}
}

// FuzzParsers feeds every parser and the classifier arbitrary bytes:
// none may panic, and a parser either fails or returns something whole.
func FuzzParsers(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{``, `null`, `{}`, `[]`, `{"retCode":0}`, `{"retCode":0,"result":null}`,
		`{"retCode":0,"result":{"list":null}}`, `{"retCode":0,"result":{"list":[{"coin":[{"coin":"BTC","walletBalance":"1e9"}]}]}}`,
		`{"retCode":0,"result":{"readOnly":2,"permissions":{}}}`, `{"retCode":0,"result":{"timeNano":"x"}}`,
		`{"retCode":0,"result":{"list":[{"state":"ongoing","begin":"abc"}]}}`, `{"retCode":"0"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if tm, _, err := parseTime(b); err == nil && tm.IsZero() {
			t.Error("parseTime: zero time without error")
		}
		if list, err := parseStatus(b); err == nil {
			_ = judgeStatus(list, 1, nil, now)
		} else if list != nil {
			t.Error("parseStatus: list with an error")
		}
		k, err := parseAPIKey(b)
		if err == nil {
			if k.ReadOnly == nil || k.Permissions == nil {
				t.Error("parseAPIKey: success without readOnly or permissions")
			}
			_ = k.keyInfo(now, true)
		} else if !reflect.DeepEqual(k, apiKeyInfo{}) {
			t.Error("parseAPIKey: half-filled result with an error")
		}
		w, err := parseWallet(b)
		if err == nil {
			for _, a := range w.assets() {
				if a.Asset == "" || !exchanges.IsDecimal(a.Total) || !exchanges.IsDecimal(a.Free) {
					t.Errorf("parseWallet: bad asset %+v", a)
				}
			}
		} else if !reflect.DeepEqual(w, wallet{}) {
			t.Error("parseWallet: half-filled result with an error")
		}
		if a, err := parseAccountInfo(b); err != nil && a != (accountInfo{}) {
			t.Error("parseAccountInfo: half-filled result with an error")
		}
		for _, st := range []int{200, 401, 403, 429, 500} {
			e := classify("op", &exchanges.Response{Status: st, Header: http.Header{}, Body: b})
			if st != 200 && e == nil {
				t.Errorf("HTTP %d classified as success", st)
			}
			if e != nil && exchanges.ClassOf(e) == nil {
				t.Errorf("HTTP %d: no class: %v", st, e)
			}
		}
	})
}
