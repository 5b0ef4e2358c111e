package gate

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func response(t *testing.T, status int, file string, h http.Header) *exchanges.Response {
	t.Helper()
	if h == nil {
		h = http.Header{}
	}
	return &exchanges.Response{Status: status, Header: h, Body: read(t, file), Recv: time.Now()}
}

// Each recorded Gate error body lands in the class whose fix is right.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		file   string
		status int
		want   error
		cause  string
	}{
		{"err_invalid_key.json", 401, exchanges.ErrBadKey, "does not know"},
		{"err_invalid_signature.json", 401, exchanges.ErrBadSignature, "Secret Key"},
		{"err_request_expired.json", 403, exchanges.ErrClockSkew, "60 s"},
		{"err_missing_header.json", 400, exchanges.ErrBadKey, "header"},
		{"err_ip_forbidden.json", 403, exchanges.ErrIPNotAllowed, "203.0.113.7"},
		{"err_forbidden_ip.json", 403, exchanges.ErrIPNotAllowed, "34.47.67.181"},
		{"err_forbidden_account.json", 403, exchanges.ErrPermission, "Account to Read Only"},
		{"err_forbidden_withdraw.json", 403, exchanges.ErrPermission, ""},
		{"err_read_only.json", 403, exchanges.ErrPermission, ""},
		{"err_account_locked.json", 403, exchanges.ErrBadKey, "locked"},
		{"err_too_many.json", 429, exchanges.ErrRateLimited, ""},
		{"err_server_error.json", 500, exchanges.ErrUnavailable, ""},
		{"err_invalid_param.json", 400, exchanges.ErrMalformed, "unexpected"},
		{"err_403_html.txt", 403, exchanges.ErrUnavailable, "firewall"},
	} {
		e := classify("op", response(t, tc.status, tc.file, nil))
		if !errors.Is(e, tc.want) {
			t.Errorf("%s: class %v, want %v", tc.file, e.Class, tc.want)
		}
		if !strings.Contains(e.Cause, tc.cause) {
			t.Errorf("%s: cause %q does not mention %q", tc.file, e.Cause, tc.cause)
		}
	}
}

func TestClassifyKeepsGateLabelAndMessage(t *testing.T) {
	e := classify("read spot accounts", response(t, 401, "err_invalid_signature.json", nil))
	if e.Code != "INVALID_SIGNATURE" || e.Message != "Signature mismatch" || e.HTTPStatus != 401 {
		t.Errorf("%+v", e)
	}
	if !strings.Contains(e.Error(), `INVALID_SIGNATURE "Signature mismatch"`) {
		t.Errorf("Error() = %q", e.Error())
	}
}

// The reset header may be seconds or milliseconds; Retry-After wins.
func TestRateLimitReset(t *testing.T) {
	now := time.Now()
	for _, v := range []string{
		strconv.FormatInt(now.Add(2*time.Second).UnixMilli(), 10),
		strconv.FormatInt(now.Add(3*time.Second).Unix(), 10),
	} {
		h := http.Header{}
		h.Set("X-Gate-RateLimit-Reset-Timestamp", v)
		r := response(t, 429, "err_too_many.json", h)
		r.Recv = now
		if d := classify("op", r).RetryAfter; d < time.Second || d > 3*time.Second {
			t.Errorf("reset %s: RetryAfter %v", v, d)
		}
	}
	h := http.Header{}
	h.Set("Retry-After", "4")
	if d := classify("op", response(t, 429, "err_too_many.json", h)).RetryAfter; d != 4*time.Second {
		t.Errorf("Retry-After: %v", d)
	}
}
