package bingx

import (
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func perms(t *testing.T, file string) exchanges.KeyInfo {
	t.Helper()
	p, err := parsePermissions(load(t, file))
	if err != nil {
		t.Fatal(err)
	}
	return p.keyInfo()
}

func TestKeyInfo(t *testing.T) {
	k := perms(t, "api_permissions.json")
	if k.Read != exchanges.Yes || k.Trade[exchanges.Spot] != exchanges.Yes || k.Trade[exchanges.Futures] != exchanges.Yes ||
		k.Withdraw != exchanges.No || k.Transfer != exchanges.No {
		t.Errorf("%+v", k)
	}
	if k.IPRestricted != exchanges.Yes || !k.IPListKnown || !reflect.DeepEqual(k.IPs, []string{"203.0.113.10", "198.51.100.0/24"}) {
		t.Errorf("ips %v %v", k.IPRestricted, k.IPs)
	}
	if !k.ExpiryKnown || !k.Expires.IsZero() || k.Label != "grid-bot" {
		t.Errorf("an IP-bound key has no expiry: %v %v; label %q", k.ExpiryKnown, k.Expires, k.Label)
	}

	k = perms(t, "api_permissions_withdraw.json")
	if k.Withdraw != exchanges.Yes || k.Transfer != exchanges.Yes || k.Trade[exchanges.Spot] != exchanges.No {
		t.Errorf("withdraw %v transfer %v spot %v", k.Withdraw, k.Transfer, k.Trade[exchanges.Spot])
	}

	k = perms(t, "api_permissions_readonly.json")
	if k.IPRestricted != exchanges.No || len(k.IPs) != 0 || !k.ExpiryKnown {
		t.Errorf("read-only unbound key: restricted %v, expiry known %v", k.IPRestricted, k.ExpiryKnown)
	}

	// Unbound with trading: deleted after 14 idle days, no date to tell.
	k = perms(t, "api_permissions_unbound_trade.json")
	if k.ExpiryKnown || k.Trade[exchanges.Spot] != exchanges.Yes {
		t.Errorf("unbound trading key: expiry known %v, spot %v", k.ExpiryKnown, k.Trade[exchanges.Spot])
	}

	k = perms(t, "api_permissions_bool.json")
	if k.Read != exchanges.Yes || k.Trade[exchanges.Spot] != exchanges.Yes || k.Trade[exchanges.Futures] != exchanges.No ||
		k.Withdraw != exchanges.No || k.IPRestricted != exchanges.No || k.IPListKnown {
		t.Errorf("boolean form: %+v", k)
	}
}

func TestParseRestrictionsBothShapes(t *testing.T) {
	for _, f := range []string{"api_restrictions_top.json", "api_restrictions_data.json"} {
		got, err := parseRestrictions(load(t, f))
		if err != nil || !got.Equal(time.UnixMilli(1700000000000)) {
			t.Errorf("%s: %v %v", f, got, err)
		}
	}
	if _, err := parseRestrictions(load(t, "err_100413.json")); err == nil {
		t.Error("an error answer gave a creation time")
	}
}

func TestParseBalances(t *testing.T) {
	spot, err := parseSpotBalance(load(t, "spot_balance.json"))
	want := []exchanges.Asset{{Asset: "USDT", Free: "120.5", Total: "125", Account: "spot"}}
	if err != nil || !reflect.DeepEqual(spot, want) {
		t.Errorf("spot %+v %v", spot, err)
	}
	fut, err := parseFuturesBalance(load(t, "swap_balance_v3.json"))
	want = []exchanges.Asset{{Asset: "USDT", Free: "96200.1", Total: "96224.4301", Account: "futures"}}
	if err != nil || !reflect.DeepEqual(fut, want) {
		t.Errorf("futures v3 %+v %v", fut, err)
	}
	fut, err = parseFuturesBalance(load(t, "swap_balance_obj.json"))
	want = []exchanges.Asset{{Asset: "USDT", Free: "15.6128", Total: "15.6128", Account: "futures"}}
	if err != nil || !reflect.DeepEqual(fut, want) {
		t.Errorf("futures object %+v %v", fut, err)
	}
}

func TestParseTime(t *testing.T) {
	got, err := parseTime(load(t, "server_time.json"))
	if err != nil || got.UnixMilli() != 1675319535362 {
		t.Errorf("%v %v", got, err)
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
	for _, s := range []string{``, `null`, `{}`, `[]`, `{"code":0}`, `{"code":0,"data":null}`, `{"code":"0","data":[]}`,
		`{"code":0,"data":{"balances":[{"asset":"X","free":"1e3","locked":"0"}]}}`, `{"code":0,"data":{"balance":[]}}`,
		`{"code":0,"data":{"permissions":["x"]}}`, `{"code":0,"data":{"serverTime":"-1"}}`, `{"code":0,"createTime":99}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if tm, err := parseTime(b); err == nil && tm.IsZero() {
			t.Error("parseTime: zero time without error")
		}
		p, err := parsePermissions(b)
		if err == nil {
			if p.Permissions == nil && p.EnableReading == nil {
				t.Error("parsePermissions: success without permissions")
			}
			_ = p.keyInfo()
		} else if !reflect.DeepEqual(p, permissions{}) {
			t.Error("parsePermissions: half-filled result with an error")
		}
		if tm, err := parseRestrictions(b); err == nil && tm.IsZero() || err != nil && !tm.IsZero() {
			t.Error("parseRestrictions: inconsistent result")
		}
		for _, parse := range []func([]byte) ([]exchanges.Asset, error){parseSpotBalance, parseFuturesBalance} {
			assets, err := parse(b)
			if err != nil && assets != nil {
				t.Error("balance parser: assets with an error")
			}
			for _, a := range assets {
				if a.Asset == "" || !exchanges.IsDecimal(a.Total) || !exchanges.IsDecimal(a.Free) {
					t.Errorf("bad asset %+v", a)
				}
			}
		}
		for _, st := range []int{200, 401, 403, 418, 429, 500} {
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
