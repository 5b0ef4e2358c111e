package bitmex

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Recorded and documented error bodies, classified as BitMEX means them.
func TestClassify(t *testing.T) {
	now := time.Unix(1516534870, 0)
	for _, tc := range []struct {
		file       string
		status     int
		signedRead bool
		header     http.Header
		want       error
		cause      string
		retry      time.Duration
	}{
		{"error_invalid_key.json", 401, true, nil, exchanges.ErrBadKey, "", 0},
		{"error_signature.json", 401, true, nil, exchanges.ErrBadSignature, "Secret", 0},
		{"error_expired.json", 400, true, nil, exchanges.ErrClockSkew, "8s behind", 0},
		{"error_disabled.json", 403, true, nil, exchanges.ErrBadKey, "disabled", 0},
		{"error_account_restricted.json", 403, true, nil, exchanges.ErrBadKey, "restricted", 0},
		{"error_access_denied.json", 403, true, nil, exchanges.ErrIPNotAllowed, "IP restriction", 0},
		{"error_access_denied.json", 403, false, nil, exchanges.ErrPermission, "", 0},
		{"error_rate_limit.json", 429, true, http.Header{"Retry-After": {"2"}}, exchanges.ErrRateLimited, "", 2 * time.Second},
		{"error_rate_limit.json", 429, true, http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(now.Unix()+4, 10)}}, exchanges.ErrRateLimited, "", 5 * time.Second},
		{"error_rate_limit.json", 429, false, nil, exchanges.ErrRateLimited, "", defaultRateWait},
		{"error_overloaded.json", 503, true, nil, exchanges.ErrUnavailable, "overloaded", 0},
		{"error_service_unavailable.json", 503, false, nil, exchanges.ErrUnavailable, "", 0},
		{"error_server.json", 500, true, nil, exchanges.ErrUnavailable, "", 0},
		{"error_not_found.json", 404, false, nil, exchanges.ErrUnsupported, "", 0},
		{"forbidden.html", 403, true, nil, exchanges.ErrUnavailable, "bans an IP", 0},
		{"forbidden.html", 401, true, nil, exchanges.ErrBadKey, "", 0},
		{"forbidden.html", 502, false, nil, exchanges.ErrUnavailable, "", 0},
	} {
		t.Run(fmt.Sprintf("%s_%d_%v", tc.file, tc.status, tc.signedRead), func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			r := &exchanges.Response{Status: tc.status, Header: h, Body: readTestdata(t, tc.file), Recv: now.Add(-8 * time.Second)}
			if tc.header != nil && tc.header.Get("X-Ratelimit-Reset") != "" {
				r.Recv = now
			}
			err := check("op", tc.signedRead)(r)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			e, _ := exchanges.AsError(err)
			if e.Code != strconv.Itoa(tc.status) || !strings.Contains(e.Cause, tc.cause) {
				t.Errorf("code %q cause %q", e.Code, e.Cause)
			}
			if tc.retry != 0 && e.RetryAfter != tc.retry {
				t.Errorf("RetryAfter %v, want %v", e.RetryAfter, tc.retry)
			}
		})
	}
	if err := check("op", true)(&exchanges.Response{Status: 200, Body: []byte("[]")}); err != nil {
		t.Errorf("200 classified as %v", err)
	}
}

func TestParseKeys(t *testing.T) {
	body := readTestdata(t, "api_keys.json")
	k, found, err := parseKeys(body, "LAqUlngMIQkIUjXMUreyu3qn")
	if err != nil || !found {
		t.Fatalf("%v %v", found, err)
	}
	want := key{Name: "bot-1", Permissions: []string{"order"}, PermsKnown: true,
		IPs: []string{"203.0.113.10/32", "198.51.100.0/24"}, Created: time.Date(2024, 3, 14, 2, 4, 59, 423e6, time.UTC)}
	if !reflect.DeepEqual(k, want) {
		t.Errorf("key = %+v, want %+v", k, want)
	}
	ki := k.keyInfo()
	if ki.TradeFor(exchanges.Futures) != exchanges.Yes || ki.Withdraw != exchanges.No || ki.IPRestricted != exchanges.Yes || !ki.ExpiryKnown {
		t.Errorf("keyInfo = %+v", ki)
	}
	// The other key: withdraw, cancel-only, legacy "0.0.0.0" (all IPs), disabled.
	k, _, _ = parseKeys(body, "8P6n3dtJ6QOytmmja62ryO9Y")
	ki = k.keyInfo()
	if ki.TradeFor(exchanges.Futures) != exchanges.No || ki.Withdraw != exchanges.Yes || ki.IPRestricted != exchanges.No || !ki.IPListKnown || !k.Disabled {
		t.Errorf("keyInfo = %+v", ki)
	}
	if s := fmt.Sprintf("%+v %#v %+v", k, k, ki); strings.Contains(s, "must-never-be-kept") {
		t.Errorf("a secret from /apiKey was kept: %s", s)
	}
	if _, found, err := parseKeys(body, "nope"); found || err != nil {
		t.Errorf("unknown id: %v %v", found, err)
	}
	if k, _, err := parseKeys([]byte(`[{"id":"a","permissions":[{"x":1}]}]`), "a"); err != nil || k.PermsKnown || k.keyInfo().Withdraw != exchanges.Unknown {
		t.Errorf("an unreadable permission must leave withdraw unknown: %+v %v", k, err)
	}
}

func TestBalanceUnits(t *testing.T) {
	ms, err := parseMargins(readTestdata(t, "margin_all.json"))
	if err != nil || len(ms) != 4 {
		t.Fatalf("%v %v", ms, err)
	}
	units, err := parseAssets(readTestdata(t, "wallet_assets.json"))
	if err != nil || units["LAMp"] != (unit{"SOL", 9}) || units["XBt"] != (unit{"XBT", 8}) {
		t.Errorf("assets = %v, %v", units, err)
	}
	for _, tc := range []struct {
		in    string
		scale int
		want  string
	}{
		{"1500000", 8, "0.015"}, {"1250500000", 6, "1250.5"}, {"0", 8, "0"}, {"-42", 2, "-0.42"},
		{"100000000", 8, "1"}, {"7", 0, "7"}, {"000120", 3, "0.12"}, {"-0", 4, "0"},
	} {
		if got, ok := scaleInt(tc.in, tc.scale); !ok || got != tc.want {
			t.Errorf("scaleInt(%s, %d) = %q %v, want %q", tc.in, tc.scale, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "1.5", "1e8", "x", strings.Repeat("9", 31)} {
		if got, ok := scaleInt(bad, 8); ok {
			t.Errorf("scaleInt(%q) accepted as %q", bad, got)
		}
	}
}

func TestAllIPs(t *testing.T) {
	for c, want := range map[string]bool{"": true, "0.0.0.0": true, "0.0.0.0/0": true, "::/0": true,
		"203.0.113.10/32": false, "10.0.0.0/8": false, "203.0.113.10": false} {
		if allIPs(c) != want {
			t.Errorf("allIPs(%q) = %v", c, !want)
		}
	}
}

func fuzzSeeds(f *testing.F) {
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join("testdata", e.Name())); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"", "null", "{}", "[]", "[{}]", `[{"id":""}]`, `{"currency":"XBt","walletBalance":1e3}`,
		`[{"currency":"XBt","walletBalance":"12"}]`, `{"error":{"message":null}}`, `[{"scale":"99","currency":"x"}]`} {
		f.Add([]byte(s))
	}
}

// The parsers never panic, and a parse error never comes with a
// half-filled value.
func FuzzParsers(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if v, ok := parseError(b); !ok && v != (errorBody{}) {
			t.Errorf("parseError failed with a value")
		}
		if v, err := parseAnnouncements(b); err != nil && v != nil {
			t.Errorf("parseAnnouncements error with a value")
		}
		if k, found, err := parseKeys(b, "LAqUlngMIQkIUjXMUreyu3qn"); err != nil && (found || !reflect.DeepEqual(k, key{})) {
			t.Errorf("parseKeys error with a value")
		}
		if v, err := parseMargins(b); err != nil && v != nil {
			t.Errorf("parseMargins error with a value")
		} else {
			for _, m := range v {
				if !integerRE.MatchString(m.WalletBalance) {
					t.Errorf("non-integer balance %q", m.WalletBalance)
				}
			}
		}
		if v, err := parseAssets(b); err != nil && v != nil {
			t.Errorf("parseAssets error with a value")
		}
		for _, status := range []int{400, 401, 403, 429, 503} {
			r := &exchanges.Response{Status: status, Header: http.Header{}, Body: b, Recv: time.Now()}
			if err := check("op", true)(r); err == nil || exchanges.ClassOf(err) == nil {
				t.Errorf("HTTP %d not classified: %v", status, err)
			}
		}
	})
}

func FuzzScaleInt(f *testing.F) {
	f.Add("1500000", 8)
	f.Add("-1", 18)
	f.Fuzz(func(t *testing.T, s string, scale int) {
		if got, ok := scaleInt(s, scale); ok && !exchanges.IsDecimal(got) {
			t.Errorf("scaleInt(%q, %d) = %q is not a decimal", s, scale, got)
		}
	})
}
