package kucoin

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

func response(t *testing.T, status int, file string, h http.Header) *exchanges.Response {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	if h == nil {
		h = http.Header{}
	}
	return &exchanges.Response{Status: status, Header: h, Body: b, Recv: time.Now()}
}

// Each recorded KuCoin error body lands in the class whose fix is right.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		file   string
		status int
		want   error
		cause  string
	}{
		{"err_400001_missing_header.json", 401, exchanges.ErrBadKey, "header"},
		{"err_400002_timestamp.json", 401, exchanges.ErrClockSkew, "5 s"},
		{"err_400003_no_key.json", 401, exchanges.ErrBadKey, "does not know"},
		{"err_400004_passphrase.json", 401, exchanges.ErrBadPassphrase, "Passphrase"},
		{"err_400004_passphrase.json", 401, exchanges.ErrBadSignature, "Secret"},
		{"err_400005_signature.json", 401, exchanges.ErrBadSignature, ""},
		{"err_400006_ip.json", 403, exchanges.ErrIPNotAllowed, "203.0.113.7"},
		{"err_400007_permission.json", 403, exchanges.ErrPermission, ""},
		{"err_411100_frozen.json", 403, exchanges.ErrBadKey, "frozen"},
		{"err_429000_rate.json", 429, exchanges.ErrRateLimited, ""},
		{"err_500000_internal.json", 500, exchanges.ErrUnavailable, ""},
		{"err_404000_not_found.json", 404, exchanges.ErrUnsupported, ""},
		{"err_400100_param.json", 400, exchanges.ErrMalformed, ""},
		{"err_503_html.txt", 503, exchanges.ErrUnavailable, "maintenance"},
	} {
		e := classify("op", response(t, tc.status, tc.file, nil))
		if !errors.Is(e, tc.want) {
			t.Errorf("%s: class %v, want %v", tc.file, e.Class, tc.want)
		}
		if !strings.Contains(e.Cause, tc.cause) {
			t.Errorf("%s: cause %q does not mention %q", tc.file, e.Cause, tc.cause)
		}
		if e.HTTPStatus != tc.status {
			t.Errorf("%s: status %d", tc.file, e.HTTPStatus)
		}
	}
}

func TestClassifyKeepsKuCoinCodeAndMessage(t *testing.T) {
	e := classify("read accounts", response(t, 401, "err_400005_signature.json", nil))
	if e.Code != "400005" || e.Message != "Invalid KC-API-SIGN" {
		t.Errorf("code %q message %q", e.Code, e.Message)
	}
	if got := e.Error(); !strings.Contains(got, `400005 "Invalid KC-API-SIGN"`) {
		t.Errorf("Error() = %q", got)
	}
}

// KuCoin's reset header is the pool's countdown in milliseconds.
func TestRateLimitReset(t *testing.T) {
	h := http.Header{}
	h.Set("gw-ratelimit-reset", "1489")
	e := classify("op", response(t, 429, "err_429000_rate.json", h))
	if e.RetryAfter != 1489*time.Millisecond {
		t.Errorf("RetryAfter = %v", e.RetryAfter)
	}
	h = http.Header{}
	h.Set("Retry-After", "3")
	if e := classify("op", response(t, 429, "err_429000_rate.json", h)); e.RetryAfter != 3*time.Second {
		t.Errorf("Retry-After: %v", e.RetryAfter)
	}
}

// A 200 whose code is not 200000 is an error, not a success.
func TestCheckNon200000(t *testing.T) {
	r := response(t, 200, "err_400007_permission.json", nil)
	if err := check("op")(r); !errors.Is(err, exchanges.ErrPermission) {
		t.Errorf("got %v", err)
	}
	if err := check("op")(response(t, 200, "accounts.json", nil)); err != nil {
		t.Errorf("success classified as %v", err)
	}
}

func TestClientIP(t *testing.T) {
	for msg, want := range map[string]string{
		"Invalid request ip, the current clientIp is:203.0.113.7":             "203.0.113.7",
		"Invalid request ip, the current clientIp is:2001:db8::8a2e:370:7334": "2001:db8::8a2e:370:7334",
		"Invalid request ip":                           "",
		"Invalid request ip, the current clientIp is:": "",
	} {
		if got := clientIP(msg); got != want {
			t.Errorf("clientIP(%q) = %q, want %q", msg, got, want)
		}
	}
}
