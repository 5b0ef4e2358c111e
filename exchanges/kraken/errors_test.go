package kraken

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every recorded answer is classified into the right sentinel, keeping
// Kraken's own string.
func TestClassify(t *testing.T) {
	now := time.Unix(1700000000, 0)
	for _, tc := range []struct {
		file    string
		status  int
		header  http.Header
		want    error // nil: success
		message string
		retry   time.Duration // expected RetryAfter, 0: not checked
	}{
		{file: "err_invalid_key.json", want: exchanges.ErrBadKey, message: "EAPI:Invalid key"},
		{file: "err_invalid_signature.json", want: exchanges.ErrBadSignature, message: "EAPI:Invalid signature"},
		{file: "err_invalid_nonce.json", want: exchanges.ErrClockSkew, message: "EAPI:Invalid nonce"},
		{file: "err_permission_denied.json", want: exchanges.ErrPermission, message: "EGeneral:Permission denied"},
		{file: "err_rate_limit.json", want: exchanges.ErrRateLimited, retry: rateLimitWait},
		{file: "err_rate_limit.json", header: http.Header{"Retry-After": {"7"}}, want: exchanges.ErrRateLimited, retry: 7 * time.Second},
		{file: "err_order_rate_limit.json", want: exchanges.ErrRateLimited, retry: rateLimitWait},
		{file: "err_too_many_requests.json", want: exchanges.ErrRateLimited, retry: rateLimitWait},
		{file: "err_lockout.json", want: exchanges.ErrRateLimited, retry: lockoutWait},
		{file: "err_throttled.json", want: exchanges.ErrRateLimited, retry: 30 * time.Second},
		{file: "err_unavailable.json", want: exchanges.ErrUnavailable},
		{file: "err_busy.json", want: exchanges.ErrUnavailable},
		{file: "err_cancel_only.json", want: exchanges.ErrUnavailable},
		{file: "err_internal.json", status: 500, want: exchanges.ErrUnavailable},
		{file: "err_database.json", want: exchanges.ErrUnavailable},
		{file: "err_unknown_method.json", want: exchanges.ErrUnsupported},
		{file: "err_feature_disabled.json", want: exchanges.ErrUnsupported},
		{file: "err_invalid_arguments.json", want: exchanges.ErrMalformed},
		{file: "err_account_disabled.json", want: exchanges.ErrPermission},
		{file: "err_user_locked.json", want: exchanges.ErrPermission},
		{file: "err_two.json", want: exchanges.ErrBadKey, message: "EAPI:Invalid key; EGeneral:Permission denied"},
		{file: "warning_only.json"},
		{file: "time.json"},
		{file: "cloudflare_403.html", status: 403, want: exchanges.ErrUnavailable},
		{file: "cloudflare_520.html", status: 520, want: exchanges.ErrUnavailable},
		{file: "cloudflare_520.html", status: 429, header: http.Header{"Retry-After": {"2"}}, want: exchanges.ErrRateLimited, retry: 2 * time.Second},
		{file: "cloudflare_403.html", status: 404, want: exchanges.ErrUnsupported},
		{file: "cloudflare_403.html", status: 200, want: exchanges.ErrMalformed},
	} {
		status := tc.status
		if status == 0 {
			status = http.StatusOK
		}
		r := &exchanges.Response{Status: status, Header: tc.header, Body: testdata(t, tc.file), Recv: now}
		if r.Header == nil {
			r.Header = http.Header{}
		}
		err := check("test")(r)
		name := tc.file + " " + http.StatusText(status)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v, want success", name, err)
			}
			continue
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
			continue
		}
		e, _ := exchanges.AsError(err)
		if tc.message != "" && e.Message != tc.message {
			t.Errorf("%s: message %q, want Kraken's own %q", name, e.Message, tc.message)
		}
		if tc.retry != 0 && e.RetryAfter != tc.retry {
			t.Errorf("%s: RetryAfter %v, want %v", name, e.RetryAfter, tc.retry)
		}
	}
}

// The retry of a lockout would prolong it: exchanges.Send must not wait
// for it.
func TestLockoutIsNotRetried(t *testing.T) {
	if lockoutWait <= 5*time.Second {
		t.Fatalf("lockoutWait %v is short enough for exchanges.Send to retry", lockoutWait)
	}
}
