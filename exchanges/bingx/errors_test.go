package bingx

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
// BingX's own code and message.
func TestClassify(t *testing.T) {
	recv := time.UnixMilli(1718551786000)
	for _, tc := range []struct {
		file   string
		status int
		header http.Header
		want   error
		code   string
		cause  string
		retry  time.Duration
	}{
		{file: "err_100413.json", status: 200, want: exchanges.ErrBadKey, code: "100413"},
		{file: "err_100413_null.json", status: 200, want: exchanges.ErrBadKey, code: "100413", cause: "no API key"},
		{file: "err_100001.json", status: 200, want: exchanges.ErrBadSignature, code: "100001"},
		{file: "err_100001.json", status: 401, want: exchanges.ErrBadSignature, code: "100001"},
		{file: "err_100412.json", status: 200, want: exchanges.ErrBadSignature, code: "100412"},
		{file: "err_100421.json", status: 200, want: exchanges.ErrClockSkew, code: "100421"},
		{file: "err_100421_busy.json", status: 200, want: exchanges.ErrUnavailable, code: "100421"},
		{file: "err_109400_ts.json", status: 200, want: exchanges.ErrClockSkew, code: "109400"},
		{file: "err_109400_limit.json", status: 200, want: exchanges.ErrMalformed, code: "109400"},
		{file: "err_80014.json", status: 200, want: exchanges.ErrClockSkew, code: "80014"},
		{file: "err_100419.json", status: 200, want: exchanges.ErrIPNotAllowed, code: "100419"},
		{file: "err_100004.json", status: 200, want: exchanges.ErrPermission, code: "100004"},
		{file: "err_100414.json", status: 200, want: exchanges.ErrPermission, code: "100414", cause: "abnormal"},
		{file: "err_100410_unblock.json", status: 200, want: exchanges.ErrRateLimited, code: "100410", retry: 3 * time.Second},
		{file: "err_100410_retry.json", status: 200, want: exchanges.ErrRateLimited, code: "100410", retry: time.Minute},
		{file: "err_100410_plain.json", status: 429, want: exchanges.ErrRateLimited, code: "100410",
			header: http.Header{"X-Ratelimit-Requests-Expire": {"1718551788654"}}, retry: 2 * time.Second},
		{file: "err_100410_plain.json", status: 429, want: exchanges.ErrRateLimited, code: "100410",
			header: http.Header{"Retry-After": {"4"}}, retry: 4 * time.Second},
		{file: "err_100500.json", status: 500, want: exchanges.ErrUnavailable, code: "100500"},
		{file: "err_80012.json", status: 503, want: exchanges.ErrUnavailable, code: "80012"},
		{file: "err_100404.json", status: 404, want: exchanges.ErrUnsupported, code: "100404"},
		{file: "http_403.html", status: 403, want: exchanges.ErrRateLimited, cause: "firewall", retry: 5 * time.Minute},
		{file: "http_403.html", status: 418, want: exchanges.ErrRateLimited, cause: "banned"},
		{file: "http_403.html", status: 429, want: exchanges.ErrRateLimited},
		{file: "http_403.html", status: 502, want: exchanges.ErrUnavailable},
		{file: "http_403.html", status: 404, want: exchanges.ErrUnsupported},
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
			if e.HTTPStatus != tc.status {
				t.Errorf("HTTP status %d not kept", e.HTTPStatus)
			}
		})
	}
}

func TestClassifySuccess(t *testing.T) {
	for _, f := range []string{"server_time.json", "spot_balance.json", "api_permissions.json", "api_restrictions_top.json"} {
		if e := classify("op", &exchanges.Response{Status: 200, Header: http.Header{}, Body: load(t, f)}); e != nil {
			t.Errorf("%s: %v", f, e)
		}
	}
	if e := classify("op", &exchanges.Response{Status: 200, Header: http.Header{}, Body: []byte("<html>")}); e != nil {
		t.Errorf("html at 200: %v", e)
	}
}
