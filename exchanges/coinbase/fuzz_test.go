package coinbase

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Seeds: every recorded body, plus hostile shapes. The seeds run in plain
// `go test`; `go test -fuzz FuzzX` explores further.
func addSeeds(f *testing.F, extra ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range append(extra, "", "null", "{}", "[]", `{"a":`, "\x00\xff", `"x"`) {
		f.Add([]byte(s))
	}
}

func FuzzParseTime(f *testing.F) {
	addSeeds(f, `{"epochMillis":"-1"}`, `{"epochMillis":"99999999999999999999"}`, `{"iso":"nope"}`, `{"epochSeconds":1700000000}`)
	f.Fuzz(func(t *testing.T, b []byte) {
		tm, res, err := parseTime(b)
		if err != nil && (!tm.IsZero() || res != 0) {
			t.Fatal("error with a value")
		}
		if err == nil && (tm.Unix() <= 0 || tm.After(time.Unix(1e11, 0))) {
			t.Fatalf("accepted time %v", tm)
		}
	})
}

func FuzzParsePermissions(f *testing.F) {
	addSeeds(f, `{"can_view":true}`, `{"can_view":true,"can_trade":"yes","can_transfer":false}`)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parsePermissions(b)
		if err != nil {
			if p != (permissions{}) {
				t.Fatal("error with a value")
			}
			return
		}
		k := p.keyInfo()
		if k.Read == exchanges.Unknown || k.Withdraw == exchanges.Unknown || k.TradeFor(exchanges.Spot) == exchanges.Unknown {
			t.Fatalf("success with unknown facts: %+v", k)
		}
	})
}

func FuzzParseAccounts(f *testing.F) {
	addSeeds(f, `{"accounts":[{"currency":"BTC","available_balance":{"value":"1e9"}}]}`,
		`{"accounts":[],"has_next":true}`, `{"accounts":[{"currency":"X","available_balance":{"value":"1"},"hold":{"value":"x"}}]}`)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseAccounts(b)
		if err != nil {
			if p.Accounts != nil || p.HasNext || p.Cursor != "" {
				t.Fatal("error with a value")
			}
			return
		}
		for _, a := range p.assets() {
			if a.Asset == "" || !exchanges.IsDecimal(a.Free) || !exchanges.IsDecimal(a.Total) {
				t.Fatalf("bad asset %+v", a)
			}
		}
	})
}

func FuzzParseFuturesSummary(f *testing.F) {
	addSeeds(f, `{"balance_summary":{}}`, `{"balance_summary":{"cfm_usd_balance":{"value":"1/3"}}}`)
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseFuturesSummary(b)
		if err != nil && s != (futuresSummary{}) {
			t.Fatal("error with a value")
		}
		if err == nil && (!exchanges.IsDecimal(s.CFMUSD.Value) || s.CFMUSD.Currency == "") {
			t.Fatalf("accepted %+v", s)
		}
	})
}

func FuzzParseError(f *testing.F) {
	addSeeds(f, `{"errors":[]}`, `{"error":{"code":1}}`, "<html>", "Unauthorized")
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := parseError(b)
		if !ok && e != (errorBody{}) {
			t.Fatal("not ok with a value")
		}
		if len([]rune(e.Message)) > 201 || len([]rune(e.Code)) > 201 {
			t.Fatal("message not clipped")
		}
		for _, status := range []int{400, 401, 403, 404, 429, 500, 503} {
			c := classify("op", &exchanges.Response{Status: status, Body: b})
			if c.Class == nil {
				t.Fatalf("%d: no class", status)
			}
		}
	})
}

func FuzzParseStatusSummary(f *testing.F) {
	addSeeds(f, `{"status":{"indicator":"none"},"components":[{"name":"Advanced","status":"weird"}]}`,
		`{"status":{"indicator":"none"},"scheduled_maintenances":[{"status":"scheduled","name":"advanced","scheduled_for":"x"}]}`)
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseStatusSummary(b)
		if err != nil {
			if s.Status != nil || s.Components != nil || s.Maintenances != nil {
				t.Fatal("error with a value")
			}
			return
		}
		if st := s.state(); st.State == exchanges.StatusUnknown {
			t.Fatalf("a parsed summary gave no state: %+v", st)
		}
	})
}

func FuzzCheckPrivateKey(f *testing.F) {
	k, _ := sampleKeyForFuzz()
	for _, s := range []string{k, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----", "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckPrivateKey(s)
		if err == nil {
			if _, err := NewSigner("k", exchanges.NewSecret(s)); err != nil {
				t.Fatalf("checked key refused by the signer: %v", err)
			}
		}
	})
}
