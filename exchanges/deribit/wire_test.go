package deribit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
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

func resultOf(t *testing.T, name string) []byte {
	t.Helper()
	res, rerr, err := parseEnvelope(readTestdata(t, name))
	if err != nil || rerr != nil {
		t.Fatalf("%s: %v %v", name, err, rerr)
	}
	return res
}

// Recorded and documented error bodies, classified as Deribit means them.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		file   string
		status int
		stage  stage
		header http.Header
		want   error
		code   string
		retry  time.Duration
	}{
		{"error_invalid_credentials.json", 400, stageLogin, nil, exchanges.ErrBadKey, "13004", 0},
		{"error_unauthorized.json", 401, stageLogin, nil, exchanges.ErrBadKey, "13009", 0},
		{"error_unauthorized.json", 401, stagePrivate, nil, exchanges.ErrBadKey, "13009", 0},
		{"error_forbidden.json", 403, stageLogin, nil, exchanges.ErrIPNotAllowed, "13021", 0},
		{"error_forbidden.json", 400, stagePrivate, nil, exchanges.ErrPermission, "13021", 0},
		{"error_scope_exceeded.json", 400, stagePrivate, nil, exchanges.ErrPermission, "13403", 0},
		{"error_too_many_requests.json", 429, stagePrivate, http.Header{"Retry-After": {"3"}}, exchanges.ErrRateLimited, "10028", 3 * time.Second},
		{"error_too_many_requests.json", 400, stagePublic, nil, exchanges.ErrRateLimited, "10028", defaultRateWait},
		{"error_system_maintenance.json", 503, stagePublic, nil, exchanges.ErrUnavailable, "11051", 0},
		{"error_settlement.json", 400, stagePrivate, nil, exchanges.ErrUnavailable, "10041", 0},
		{"error_method_not_found.json", 400, stagePrivate, nil, exchanges.ErrUnsupported, "-32601", 0},
		{"error_invalid_params.json", 400, stageLogin, nil, exchanges.ErrMalformed, "-32602", 0},
		{"error_ip_reason.json", 401, stageLogin, nil, exchanges.ErrIPNotAllowed, "13009", 0},
		{"gateway_502.html", 502, stagePublic, nil, exchanges.ErrUnavailable, "", 0},
		{"gateway_502.html", 429, stagePublic, http.Header{"Retry-After": {"2"}}, exchanges.ErrRateLimited, "", 2 * time.Second},
		{"gateway_502.html", 200, stagePublic, nil, exchanges.ErrMalformed, "", 0},
		{"gateway_502.html", 403, stagePrivate, nil, exchanges.ErrUnavailable, "", 0},
	} {
		t.Run(fmt.Sprintf("%s_%d_%d", tc.file, tc.status, tc.stage), func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			r := &exchanges.Response{Status: tc.status, Header: h, Body: readTestdata(t, tc.file), Recv: time.Now()}
			err := check("op", tc.stage)(r)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			e, _ := exchanges.AsError(err)
			if e.Code != tc.code {
				t.Errorf("code %q, want %q", e.Code, tc.code)
			}
			if tc.retry != 0 && e.RetryAfter != tc.retry {
				t.Errorf("RetryAfter %v, want %v", e.RetryAfter, tc.retry)
			}
		})
	}
	ok := &exchanges.Response{Status: 200, Header: http.Header{}, Body: readTestdata(t, "get_time.json")}
	if err := check("op", stagePublic)(ok); err != nil {
		t.Errorf("a result was classified as %v", err)
	}
}

func TestParsers(t *testing.T) {
	if ms, err := parseTime(resultOf(t, "get_time.json")); err != nil || ms != 1550147385946 {
		t.Errorf("parseTime = %d, %v", ms, err)
	}
	if st, err := parseStatus(resultOf(t, "status.json")); err != nil || st.Locked != "partial" || len(st.Indices) != 1 {
		t.Errorf("parseStatus = %+v, %v", st, err)
	}
	a, err := parseAuth(resultOf(t, "auth_ok.json"))
	if err != nil || a.Token == "" || !strings.Contains(a.Scope, "trade:read_write") || a.ExpiresIn != 31536000 {
		t.Errorf("parseAuth = %v", err)
	}
	list, err := parseKeys(resultOf(t, "list_api_keys.json"), "aD-KFx-H")
	if err != nil || !list.Found || list.Key.Timestamp != 1560236287708 || len(list.Key.IPWhitelist) != 2 {
		t.Fatalf("parseKeys = %+v, %v", list, err)
	}
	if s := fmt.Sprintf("%+v %#v", list, list); strings.Contains(s, "must-never-be-kept") {
		t.Errorf("a client_secret of list_api_keys was kept: %s", s)
	}
	if l, err := parseKeys(resultOf(t, "list_api_keys.json"), "unknown1"); err != nil || l.Found {
		t.Errorf("an unknown client id was found: %+v %v", l, err)
	}
	if l, err := parseKeys(resultOf(t, "list_api_keys_tfa.json"), "aD-KFx-H"); err != nil || !l.Needs2FA {
		t.Errorf("the security-key request was not recognised: %+v %v", l, err)
	}
	sums, err := parseSummaries(resultOf(t, "account_summaries.json"))
	if err != nil || len(sums) != 3 {
		t.Fatalf("parseSummaries = %v, %v", sums, err)
	}
	want := []summary{
		{Currency: "BTC", Balance: "302.60065765", Available: "301.38059622"},
		{Currency: "ETH", Balance: "0", Available: "0"},
		{Currency: "USDC", Balance: "0.00001678", Available: "0.00001678", EquityUSD: "15000.25"},
	}
	if !reflect.DeepEqual(sums, want) {
		t.Errorf("summaries = %+v, want %+v", sums, want)
	}
	b := balanceOf(sums, true)
	if len(b.Assets) != 2 || b.Totals["total equity (USD)"] != "15000.25" || b.Accounts[0] != "main account" {
		t.Errorf("balance = %+v", b)
	}
}

func TestFromKey(t *testing.T) {
	list, _ := parseKeys(resultOf(t, "list_api_keys.json"), "aD-KFx-H")
	ki := fromKey(list.Key)
	if ki.Read != exchanges.Yes || ki.TradeFor(exchanges.Futures) != exchanges.Yes || ki.Withdraw != exchanges.Yes || ki.Transfer != exchanges.Yes {
		t.Errorf("permissions of a read_write key: %+v", ki)
	}
	if ki.IPRestricted != exchanges.Yes || !ki.IPListKnown || len(ki.IPs) != 2 || !ki.ExpiryKnown || ki.Created.UnixMilli() != 1560236287708 {
		t.Errorf("ip/dates: %+v", ki)
	}
	list, _ = parseKeys(resultOf(t, "list_api_keys.json"), "TiA4AyLPq3")
	ki = fromKey(list.Key)
	if ki.Withdraw != exchanges.No || ki.IPRestricted != exchanges.No || len(ki.IPs) != 0 {
		t.Errorf("read-only wallet, no whitelist: %+v", ki)
	}
	// A scope missing from max_scope is none; missing from a token's scope
	// it is unknown.
	none := "account:read"
	if ki := fromKey(apiKey{ClientID: "x", MaxScope: &none}); ki.Withdraw != exchanges.No || ki.TradeFor(exchanges.Futures) != exchanges.No {
		t.Errorf("absent max_scope entries must be none: %+v", ki)
	}
	if ki := fromScope("connection mainaccount", "test"); ki.Withdraw != exchanges.Unknown || ki.Read != exchanges.Unknown {
		t.Errorf("absent token scope entries must be unknown: %+v", ki)
	}
}

func TestPlainDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "302.60065765": "302.60065765", "-1.5": "-1.5",
		"1.678e-05": "0.00001678", "1e-8": "0.00000001", "2.5E+3": "2500", "-4.2e-2": "-0.042",
		"1e3": "1000", "0e-5": "0", "12.30e1": "123",
	} {
		if got, ok := plainDecimal(json.Number(in)); !ok || got != want {
			t.Errorf("plainDecimal(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "1e999", "NaN", "1.2.3", "1e", "--1"} {
		if got, ok := plainDecimal(json.Number(in)); ok {
			t.Errorf("plainDecimal(%q) accepted as %q", in, got)
		}
	}
}

func TestMentionsIP(t *testing.T) {
	for s, want := range map[string]bool{
		"ip_not_whitelisted": true, "IP address not allowed": true, "whitelist": true,
		"invalid_credentials": false, "unauthorized": false, "shipping": false, "": false,
	} {
		if mentionsIP(s) != want {
			t.Errorf("mentionsIP(%q) = %v", s, !want)
		}
	}
}

func fuzzSeeds(f *testing.F) {
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join("testdata", e.Name())); err == nil {
			f.Add(b)
			if res, _, err := parseEnvelope(b); err == nil {
				f.Add([]byte(res))
			}
		}
	}
	for _, s := range []string{"", "null", "{}", "[]", `{"result":null}`, `{"error":{}}`, `{"result":{"summaries":[{}]}}`,
		`[{"client_id":"a","max_scope":null}]`, `{"security_key_authorization_required":false}`, `1e400`, `"x"`} {
		f.Add([]byte(s))
	}
}

// The parsers never panic, and a parse error never comes with a
// half-filled value.
func FuzzParsers(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if res, rerr, err := parseEnvelope(b); err != nil && (res != nil || rerr != nil) {
			t.Errorf("envelope error with a value")
		}
		if v, err := parseTime(b); err != nil && v != 0 {
			t.Errorf("parseTime error with %d", v)
		}
		if v, err := parseStatus(b); err != nil && !reflect.DeepEqual(v, status{}) {
			t.Errorf("parseStatus error with %+v", v)
		}
		if v, err := parseAuth(b); err != nil && v != (auth{}) {
			t.Errorf("parseAuth error with a value")
		}
		if v, err := parseKeys(b, "aD-KFx-H"); err != nil && !reflect.DeepEqual(v, keyList{}) {
			t.Errorf("parseKeys error with %+v", v)
		}
		if v, err := parseSummaries(b); err != nil && v != nil {
			t.Errorf("parseSummaries error with %+v", v)
		} else if err == nil {
			for _, s := range v {
				if !exchanges.IsDecimal(s.Balance) {
					t.Errorf("non-decimal balance %q", s.Balance)
				}
			}
		}
		if v, err := parseSummary(b); err != nil && v != (summary{}) {
			t.Errorf("parseSummary error with %+v", v)
		}
		r := &exchanges.Response{Status: 400, Header: http.Header{}, Body: b}
		for _, st := range []stage{stagePublic, stageLogin, stagePrivate} {
			if err := check("op", st)(r); err == nil {
				if _, rerr, perr := parseEnvelope(b); rerr != nil || perr != nil {
					t.Errorf("an HTTP 400 error passed as success")
				}
			}
		}
	})
}

func FuzzPlainDecimal(f *testing.F) {
	for _, s := range []string{"0", "1.678e-05", "-2.5E+3", "1e99", "123456789012345678901234567890e-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, ok := plainDecimal(json.Number(s)); ok && !exchanges.IsDecimal(got) {
			t.Errorf("plainDecimal(%q) = %q is not a plain decimal", s, got)
		}
	})
}

func FuzzParseScope(f *testing.F) {
	f.Add("account:read trade:read_write wallet:none connection mainaccount")
	f.Add("::: account: :read")
	f.Fuzz(func(t *testing.T, s string) {
		sc := parseScope(s)
		for _, l := range sc.access {
			if l != "read" && l != "read_write" && l != "none" {
				t.Errorf("level %q accepted", l)
			}
		}
	})
}
