package gate

import (
	"reflect"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Gate's documented answer: an array of every main-account key with masked
// keys. The caller's entry is found by its visible prefix.
func TestMainKeysDocArray(t *testing.T) {
	entries, object, err := parseMainKeys(read(t, "main_keys_doc.json"))
	if err != nil || object || len(entries) != 2 {
		t.Fatalf("%d entries, object %v, %v", len(entries), object, err)
	}
	k, why := pick(entries, object, "52fd0035f665"+"00112233445566778899")
	if why != "" || k.label() != "test2" {
		t.Fatalf("picked %q: %s", k.label(), why)
	}
	if c, _ := k.created(); !c.Equal(time.Unix(1753897991, 0)) {
		t.Errorf("created %v", c)
	}
	if _, why := pick(entries, object, "ffffffffffff00112233445566778899"); why == "" {
		t.Error("a key not in the list was matched")
	}
}

// The SDK model: one object whose key is {"mode":1}, dates as strings,
// name as a list.
func TestMainKeysObject(t *testing.T) {
	entries, object, err := parseMainKeys(read(t, "main_keys_object.json"))
	if err != nil || !object {
		t.Fatalf("object %v, %v", object, err)
	}
	k, why := pick(entries, object, "0123456789abcdef0123456789abcdef")
	if why != "" {
		t.Fatal(why)
	}
	var ki exchanges.KeyInfo
	permFacts(&ki, *k.Perms)
	want := map[exchanges.Market]exchanges.Flag{exchanges.Spot: exchanges.No, exchanges.Margin: exchanges.No, exchanges.Futures: exchanges.Yes}
	if !reflect.DeepEqual(ki.Trade, want) || ki.Read != exchanges.Yes || ki.Withdraw != exchanges.Yes || ki.Transfer != exchanges.No {
		t.Errorf("facts %+v", ki)
	}
	if k.label() != "keywarden-bot" {
		t.Errorf("label %q", k.label())
	}
	if c, _ := k.created(); !c.Equal(time.Unix(1753030929, 0)) {
		t.Errorf("created %v", c)
	}
}

func TestPermFacts(t *testing.T) {
	ro, rw := true, false
	for _, tc := range []struct {
		name     string
		perms    []perm
		spot     exchanges.Flag
		margin   exchanges.Flag
		withdraw exchanges.Flag
	}{
		{"read only", []perm{{"spot", &ro}, {"account", &ro}}, exchanges.No, exchanges.No, exchanges.No},
		{"spot trades spot and margin", []perm{{"spot", &rw}}, exchanges.Yes, exchanges.Yes, exchanges.No},
		{"withdrawal group read-write", []perm{{"spot", &rw}, {"withdrawal", &rw}}, exchanges.Yes, exchanges.Yes, exchanges.Yes},
		{"withdraw read-only", []perm{{"withdraw", &ro}}, exchanges.No, exchanges.No, exchanges.No},
		{"access not stated", []perm{{"spot", nil}, {"withdraw", nil}}, exchanges.Unknown, exchanges.Unknown, exchanges.Unknown},
		{"unified margin", []perm{{"unified", &rw}}, exchanges.No, exchanges.Yes, exchanges.No},
	} {
		var ki exchanges.KeyInfo
		permFacts(&ki, tc.perms)
		if ki.TradeFor(exchanges.Spot) != tc.spot || ki.TradeFor(exchanges.Margin) != tc.margin || ki.Withdraw != tc.withdraw {
			t.Errorf("%s: spot %v margin %v withdraw %v", tc.name, ki.TradeFor(exchanges.Spot), ki.TradeFor(exchanges.Margin), ki.Withdraw)
		}
	}
}

func TestDetailAndBalances(t *testing.T) {
	d, err := parseDetail(read(t, "account_detail.json"))
	if err != nil || !d.IPKnown || !reflect.DeepEqual(d.IPs, []string{"127.0.0.1"}) {
		t.Errorf("detail %+v %v", d, err)
	}
	if d, err := parseDetail([]byte(`{"user_id":1,"ip_whitelist":[]}`)); err != nil || !d.IPKnown || len(d.IPs) != 0 {
		t.Errorf("empty whitelist %+v %v", d, err)
	}
	a, err := parseSpotAccounts(read(t, "spot_accounts.json"))
	if err != nil || len(a) != 2 || a[1].Asset != "USDT" || a[1].Total != "1300" || a[1].Free != "1250.5" {
		t.Errorf("spot %+v %v", a, err)
	}
	f, err := parseFuturesAccount(read(t, "futures_accounts.json"))
	if err != nil || f == nil || f.Total != "9707.803567115145" || f.Account != "futures" {
		t.Errorf("futures %+v %v", f, err)
	}
	ts, err := parseTime(read(t, "spot_time.json"))
	if err != nil || ts.UnixMilli() != 1597026383085 {
		t.Errorf("time %v %v", ts, err)
	}
}

func TestParsersRefuseErrorsAndNonsense(t *testing.T) {
	for _, body := range []string{
		`{"label":"INVALID_KEY","message":"Invalid key provided"}`,
		`null`, `[]x`, `{"perms":[{"read_only":true}]}`,
		`[{"currency":"BTC","available":"1e3","locked":"0"}]`,
	} {
		if _, err := parseDetail([]byte(body)); err == nil {
			t.Errorf("parseDetail(%s) accepted", body)
		}
		if _, _, err := parseMainKeys([]byte(body)); err == nil {
			t.Errorf("parseMainKeys(%s) accepted", body)
		}
		if _, err := parseSpotAccounts([]byte(body)); err == nil && body != `{"perms":[{"read_only":true}]}` {
			t.Errorf("parseSpotAccounts(%s) accepted", body)
		}
	}
}

// Fuzz every parser of Gate's bytes: no panic, and an error never comes
// with a half-filled value.
func FuzzParsers(f *testing.F) {
	for _, name := range []string{"main_keys_doc.json", "main_keys_object.json", "account_detail.json", "spot_accounts.json", "futures_accounts.json", "spot_time.json", "err_ip_forbidden.json"} {
		f.Add(read(f, name))
	}
	f.Add([]byte(`[{"perms":[],"key":"*****","created_at":"x"}]`))
	f.Add([]byte(`{"perms":[{"name":"withdraw"}],"key":"abcdefgh","created_at":99999999999999}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if entries, object, err := parseMainKeys(b); err != nil {
			if entries != nil || object {
				t.Errorf("error %v with entries", err)
			}
		} else {
			k, why := pick(entries, object, "0123456789abcdef0123456789abcdef")
			if why == "" {
				var ki exchanges.KeyInfo
				permFacts(&ki, *k.Perms)
				ipFacts(&ki, k.IPWhitelist)
				_ = k.label()
			}
		}
		if d, err := parseDetail(b); err != nil && !reflect.DeepEqual(d, detail{}) {
			t.Errorf("error %v with detail %+v", err, d)
		}
		if a, err := parseSpotAccounts(b); err != nil && a != nil {
			t.Errorf("error %v with assets", err)
		} else {
			for _, x := range a {
				if !exchanges.IsDecimal(x.Total) {
					t.Errorf("non-decimal %+v", x)
				}
			}
		}
		if a, err := parseFuturesAccount(b); err != nil && a != nil {
			t.Errorf("error %v with an asset", err)
		}
		if ts, err := parseTime(b); err != nil && !ts.IsZero() {
			t.Errorf("error %v with a time", err)
		}
		_ = classify("op", &exchanges.Response{Status: 403, Body: b})
	})
}
