package bybit

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every recorded answer is classified into the right sentinel, keeping
// Bybit's own code and message.
func TestClassify(t *testing.T) {
	recv := time.UnixMilli(1701180668000)
	for _, tc := range []struct {
		file   string
		status int
		header http.Header
		want   error
		code   string
		cause  string // substring of Cause
		retry  time.Duration
	}{
		{file: "err_10001.json", status: 200, want: exchanges.ErrMalformed, code: "10001"},
		{file: "err_10002_behind.json", status: 200, want: exchanges.ErrClockSkew, code: "10002", cause: "2.223s behind"},
		{file: "err_10002_ahead.json", status: 200, want: exchanges.ErrClockSkew, code: "10002", cause: "3.41s ahead"},
		{file: "err_10003.json", status: 200, want: exchanges.ErrBadKey, code: "10003"},
		{file: "err_10003_env.json", status: 200, want: exchanges.ErrBadKey, code: "10003"},
		{file: "err_10003.json", status: 401, want: exchanges.ErrBadKey, code: "10003"},
		{file: "err_10004.json", status: 200, want: exchanges.ErrBadSignature, code: "10004"},
		{file: "err_10005.json", status: 200, want: exchanges.ErrPermission, code: "10005"},
		{file: "err_10006.json", status: 200, want: exchanges.ErrRateLimited, code: "10006",
			header: http.Header{"X-Bapi-Limit-Reset-Timestamp": {"1701180669500"}}, retry: 1500 * time.Millisecond},
		{file: "err_10006.json", status: 200, want: exchanges.ErrRateLimited, code: "10006",
			header: http.Header{"Retry-After": {"2"}}, retry: 2 * time.Second},
		{file: "err_10009.json", status: 200, want: exchanges.ErrUnavailable, code: "10009", cause: "country"},
		{file: "err_10010.json", status: 200, want: exchanges.ErrIPNotAllowed, code: "10010"},
		{file: "err_10016.json", status: 200, want: exchanges.ErrUnavailable, code: "10016"},
		{file: "err_10016.json", status: 503, want: exchanges.ErrUnavailable, code: "10016"},
		{file: "err_10017.json", status: 404, want: exchanges.ErrUnsupported, code: "10017"},
		{file: "err_33004.json", status: 200, want: exchanges.ErrExpired, code: "33004"},
		{file: "err_spot_expired.json", status: 200, want: exchanges.ErrExpired, code: "-2015"},
		{file: "http_403_ip_limit.txt", status: 403, want: exchanges.ErrRateLimited, cause: "10 minutes", retry: 10 * time.Minute},
		{file: "http_403_blocked.html", status: 403, want: exchanges.ErrUnavailable, cause: "USA"},
		{file: "http_403_blocked.html", status: 502, want: exchanges.ErrUnavailable},
		{file: "http_403_blocked.html", status: 429, want: exchanges.ErrRateLimited},
		{file: "http_403_blocked.html", status: 401, want: exchanges.ErrBadKey},
	} {
		t.Run(tc.file, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			e := classify("op", &exchanges.Response{Status: tc.status, Header: h, Body: load(t, tc.file), Recv: recv})
			if e == nil {
				t.Fatal("classified as success")
			}
			if !errors.Is(e, tc.want) {
				t.Errorf("class %v, want %v", e.Class, tc.want)
			}
			if e.Code != tc.code {
				t.Errorf("code %q, want %q", e.Code, tc.code)
			}
			if !strings.Contains(e.Cause, tc.cause) {
				t.Errorf("cause %q lacks %q", e.Cause, tc.cause)
			}
			if e.RetryAfter != tc.retry {
				t.Errorf("retry after %v, want %v", e.RetryAfter, tc.retry)
			}
			if tc.status != 0 && e.HTTPStatus != tc.status {
				t.Errorf("HTTP status %d not kept", e.HTTPStatus)
			}
		})
	}
}

// The 10004 message quotes the signed string, API key included: it is not
// repeated in errors.
func TestClassifyDropsSignedString(t *testing.T) {
	e := classify("op", &exchanges.Response{Status: 200, Header: http.Header{}, Body: load(t, "err_10004.json")})
	if strings.Contains(e.Error(), "dHPRDHOkSSKFEC4W0m") {
		t.Errorf("the API key leaked into %q", e.Error())
	}
	if !strings.Contains(e.Message, "error sign!") {
		t.Errorf("Bybit's message lost: %q", e.Message)
	}
}

func TestClassifySuccess(t *testing.T) {
	for _, f := range []string{"market_time.json", "wallet_balance.json", "query_api_ip_bound.json"} {
		if e := classify("op", &exchanges.Response{Status: 200, Header: http.Header{}, Body: load(t, f)}); e != nil {
			t.Errorf("%s: %v", f, e)
		}
	}
	// Not Bybit's envelope at 200: left to the parser, which refuses it.
	if e := classify("op", &exchanges.Response{Status: 200, Header: http.Header{}, Body: []byte("<html>")}); e != nil {
		t.Errorf("html at 200: %v", e)
	}
}
