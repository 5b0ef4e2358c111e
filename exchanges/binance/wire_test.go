package binance

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		status int
		body   string
		want   error
		code   string
	}{
		{401, `{"code":-2014,"msg":"API-key format invalid."}`, exchanges.ErrBadKey, "-2014"},
		{401, `{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}`, exchanges.ErrBadKey, "-2015"},
		{400, `{"code":-2008,"msg":"Invalid Api-Key ID."}`, exchanges.ErrBadKey, "-2008"},
		{400, `{"code":-1022,"msg":"Signature for this request is not valid."}`, exchanges.ErrBadSignature, "-1022"},
		{400, `{"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server's time."}`, exchanges.ErrClockSkew, "-1021"},
		{429, `{"code":-1003,"msg":"Too much request weight used"}`, exchanges.ErrRateLimited, "-1003"},
		{418, `{"code":-1003,"msg":"Way too much request weight used; IP banned until 1700000000000."}`, exchanges.ErrRateLimited, "-1003"},
		{503, `{"code":-1016,"msg":"This service is no longer available."}`, exchanges.ErrUnavailable, "-1016"},
		{500, `{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}`, exchanges.ErrUnavailable, "-1001"},
		{502, `<html>bad gateway</html>`, exchanges.ErrUnavailable, ""},
		{403, `<html>WAF</html>`, exchanges.ErrUnavailable, ""},
		{400, `{"code":-1099,"msg":"Not found, authenticated, or authorized"}`, exchanges.ErrPermission, "-1099"},
	}
	for _, tc := range cases {
		r := &exchanges.Response{Status: tc.status, Body: []byte(tc.body), Header: http.Header{"Retry-After": {"3"}}, Recv: time.Now()}
		e := classify("op", r)
		if !errors.Is(e, tc.want) || e.Code != tc.code {
			t.Errorf("%d %s → %v (code %q), want %v %q", tc.status, tc.body, e, e.Code, tc.want, tc.code)
		}
		if errors.Is(e, exchanges.ErrRateLimited) && e.RetryAfter != 3*time.Second {
			t.Errorf("Retry-After lost: %v", e.RetryAfter)
		}
	}
}

// The -2015 narrowing: a key that Binance's testnet knows is a
// wrong-environment problem, shown with read-only probes.
func TestNarrowWrongEnvironment(t *testing.T) {
	answer := func(code int) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			_, _ = w.Write([]byte(`{"code":` + map[int]string{-1022: "-1022", -2015: "-2015"}[code] + `,"msg":"x"}`))
		}))
	}
	live, testnet, demo := answer(-2015), answer(-1022), answer(-2015)
	defer live.Close()
	defer testnet.Close()
	defer demo.Close()
	c := New(exchanges.Config{Environment: exchanges.Live}).(*client)
	c.hostsOf = func(e exchanges.Environment) (string, string) {
		switch e {
		case exchanges.Testnet:
			return testnet.URL, testnet.URL
		case exchanges.Demo:
			return demo.URL, demo.URL
		}
		return live.URL, live.URL
	}
	base, _ := url.Parse(live.URL)
	key := strings.Repeat("A", 64)
	err := c.narrow(context.Background(), exchanges.Credentials{Key: key}, base, "/sapi/v1/account/apiRestrictions",
		&exchanges.Error{Class: exchanges.ErrBadKey, Code: "-2015"})
	if !errors.Is(err, exchanges.ErrWrongEnvironment) || !strings.Contains(err.Error(), "Spot Testnet") {
		t.Fatalf("got %v, want the key known on Spot Testnet", err)
	}
	// A malformed key needs no probe at all.
	err = c.narrow(context.Background(), exchanges.Credentials{Key: "short"}, base, "/api/v3/account", &exchanges.Error{Class: exchanges.ErrBadKey, Code: "-2015"})
	if !errors.Is(err, exchanges.ErrBadKey) || !strings.Contains(err.Error(), "not 64 letters") {
		t.Fatalf("got %v", err)
	}
}

// Fuzz every parser of Binance's answers: no panic, and an error is never
// a half-filled success.
func FuzzParsers(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	for _, s := range seeds {
		b, _ := os.ReadFile(s)
		f.Add(b)
	}
	for _, s := range []string{`{}`, `[]`, `null`, `{"serverTime":-1}`, `{"balances":[{"asset":"","free":"1e999999999"}]}`,
		`{"status":7}`, `{"code":-2015}`, `[{"asset":"USDT","balance":"1/3"}]`, `{"ipRestrict":true}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if ms, err := parseTime(b); err == nil && ms <= 0 {
			t.Fatalf("parseTime accepted %d", ms)
		}
		_, _ = parseStatus(b)
		if r, err := parseRestrictions(b); err == nil {
			if r.EnableReading == nil || r.IPRestrict == nil || r.EnableWithdrawals == nil {
				t.Fatal("restrictions accepted without the fields that matter")
			}
			_ = r.keyInfo()
		}
		if a, err := parseAccount(b); err == nil {
			for _, x := range a.assets() {
				if !exchanges.IsDecimal(x.Total) {
					t.Fatalf("non-decimal total %q", x.Total)
				}
			}
		}
		if as, err := parseFuturesBalance(b); err == nil {
			for _, x := range as {
				if !exchanges.IsDecimal(x.Total) {
					t.Fatalf("non-decimal total %q", x.Total)
				}
			}
		}
		_, _ = parseError(b)
	})
}
