package kraken

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func TestParseTime(t *testing.T) {
	got, err := parseTime(testdata(t, "time.json"))
	if err != nil || !got.Equal(time.Unix(1688669448, 0)) {
		t.Errorf("parseTime = %v, %v", got, err)
	}
	for _, bad := range []string{`{"error":[],"result":{}}`, `{"error":["EService:Busy"]}`, `{"error":[],"result":{"unixtime":"1"}}`, `{"error":[]}`} {
		if _, err := parseTime([]byte(bad)); err == nil {
			t.Errorf("parseTime accepted %s", bad)
		}
	}
}

func TestParseAPIKeyInfo(t *testing.T) {
	k, err := parseAPIKeyInfo(testdata(t, "apikeyinfo.json"))
	if err != nil {
		t.Fatal(err)
	}
	ki := keyInfoFrom(k, true)
	if ki.Read != exchanges.Yes || ki.TradeFor(exchanges.Spot) != exchanges.Yes || ki.TradeFor(exchanges.Margin) != exchanges.Yes || ki.Withdraw != exchanges.No {
		t.Errorf("flags: %+v", ki)
	}
	if ki.IPRestricted != exchanges.Yes || !ki.IPListKnown || !reflect.DeepEqual(ki.IPs, []string{"203.0.113.10", "198.51.100.0/24"}) {
		t.Errorf("IPs: %v %v %v", ki.IPRestricted, ki.IPListKnown, ki.IPs)
	}
	if !ki.Created.Equal(time.Unix(1688000000, 0)) || !ki.ExpiryKnown || !ki.Expires.IsZero() || ki.Label != "keywarden-bot" {
		t.Errorf("created %v, expiry %v %v, label %q", ki.Created, ki.ExpiryKnown, ki.Expires, ki.Label)
	}
	if ki.Transfer != exchanges.Unknown {
		t.Errorf("Transfer = %v: Kraken spot keys have no such flag", ki.Transfer)
	}

	k, err = parseAPIKeyInfo(testdata(t, "apikeyinfo_open.json"))
	if err != nil {
		t.Fatal(err)
	}
	ki = keyInfoFrom(k, true)
	if ki.TradeFor(exchanges.Spot) != exchanges.No || ki.Withdraw != exchanges.Yes || ki.IPRestricted != exchanges.No || !ki.IPListKnown {
		t.Errorf("open key: %+v", ki)
	}
	if !ki.Expires.Equal(time.Unix(1790000000, 0)) || !ki.Created.Equal(time.Unix(1772542900, 0)) {
		t.Errorf("numeric createdTime or validUntil misread: %v %v", ki.Created, ki.Expires)
	}

	// Without ipAllowlist (older answers), the IP restriction is unknown.
	k, err = parseAPIKeyInfo(testdata(t, "apikeyinfo_no_iplist.json"))
	if err != nil {
		t.Fatal(err)
	}
	ki = keyInfoFrom(k, true)
	if ki.IPRestricted != exchanges.Unknown || ki.IPListKnown || ki.Read != exchanges.No {
		t.Errorf("no ipAllowlist: %+v", ki)
	}
	for _, bad := range []string{
		`{"error":[],"result":{"apiKeyName":"x"}}`,
		`{"error":[],"result":{"permissions":["query-funds"],"createdTime":"yesterday"}}`,
		`{"error":[],"result":{"permissions":["query-funds"],"validUntil":-5}}`,
	} {
		if _, err := parseAPIKeyInfo([]byte(bad)); err == nil {
			t.Errorf("parseAPIKeyInfo accepted %s", bad)
		}
	}
}

func TestParseBalance(t *testing.T) {
	got, err := parseBalance(testdata(t, "balance.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"DOT.S": "staked", "USDC.M": "opt-in rewards", "USDT": "spot", "XBT.B": "yield-bearing",
		"XETH": "spot", "XXBT": "spot", "ZEUR": "spot", "ZUSD": "spot"}
	if len(got) != len(want) {
		t.Fatalf("%d assets, want %d (zero balances skipped): %+v", len(got), len(want), got)
	}
	for _, a := range got {
		if want[a.Asset] != a.Account {
			t.Errorf("%s in %q, want %q", a.Asset, a.Account, want[a.Asset])
		}
	}
	if got[0].Asset != "DOT.S" || got[len(got)-1].Asset != "ZUSD" {
		t.Errorf("not sorted: %v … %v", got[0].Asset, got[len(got)-1].Asset)
	}
	for _, bad := range []string{`{"error":[],"result":{"XXBT":"1e5"}}`, `{"error":[],"result":{"XXBT":1.5}}`, `{"error":[],"result":[]}`, `{"error":[],"result":{"":"1"}}`} {
		if _, err := parseBalance([]byte(bad)); err == nil {
			t.Errorf("parseBalance accepted %s", bad)
		}
	}
}

func TestParseStatus(t *testing.T) {
	for file, want := range map[string]string{"status_online.json": "online", "status_maintenance.json": "maintenance",
		"status_cancel_only.json": "cancel_only", "status_post_only.json": "post_only", "status_upcoming.json": "online"} {
		s, err := parseStatus(testdata(t, file))
		if err != nil || s.Status != want || s.Timestamp.IsZero() {
			t.Errorf("%s: %+v, %v", file, s, err)
		}
	}
	if s, _ := parseStatus(testdata(t, "status_upcoming.json")); s.Upcoming != 1 {
		t.Errorf("upcoming maintenance not counted: %+v", s)
	}
}

// seeds adds every recorded answer to a fuzz corpus.
func seeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"", "null", "{}", "[]", `{"error":null,"result":null}`, `{"error":[1]}`, `{"result":{"unixtime":1e400}}`,
		`{"error":[],"result":{"permissions":null}}`, `{"error":[],"result":{"XXBT":"-0"}}`} {
		f.Add([]byte(s))
	}
}

// The parsers never panic, and a failed parse returns nothing half-filled.
func FuzzParsers(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if v, err := parseTime(b); err != nil && !v.IsZero() {
			t.Errorf("parseTime: error with a value")
		} else if err == nil && v.Unix() <= 0 {
			t.Errorf("parseTime: success without a time")
		}
		if v, err := parseStatus(b); err != nil && v != (systemStatus{}) {
			t.Errorf("parseStatus: error with a value")
		} else if err == nil && v.Status == "" {
			t.Errorf("parseStatus: success without a status")
		}
		if v, err := parseAPIKeyInfo(b); err != nil && !reflect.DeepEqual(v, apiKeyInfo{}) {
			t.Errorf("parseAPIKeyInfo: error with a value")
		} else if err == nil {
			_ = keyInfoFrom(v, true)
		}
		if v, err := parseBalance(b); err != nil && v != nil {
			t.Errorf("parseBalance: error with a value")
		} else if err == nil {
			for _, a := range v {
				if a.Asset == "" || !exchanges.IsDecimal(a.Total) || exchanges.IsZeroDecimal(a.Total) {
					t.Errorf("parseBalance: success with asset %q total %q", a.Asset, a.Total)
				}
			}
		}
		_ = parseAny(b)
	})
}

// Classification never panics and always names a class, for any status.
func FuzzClassify(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, status := range []int{200, 403, 429, 500, 520} {
			r := &exchanges.Response{Status: status, Body: b, Recv: time.Unix(1700000000, 0)}
			if e := classify("fuzz", r); e != nil && e.Class == nil {
				t.Errorf("HTTP %d: an error without a class", status)
			}
		}
	})
}
