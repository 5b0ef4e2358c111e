package coinbase

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

// Every recorded answer is classified into the right sentinel, keeping
// Coinbase's own code and message.
func TestClassifyRecordedBodies(t *testing.T) {
	for _, tc := range []struct {
		file        string
		want        error
		code, msg   string
		needsNarrow bool
	}{
		{"401_unauthorized.txt", exchanges.ErrBadKey, "", "Unauthorized", true},
		{"401_invalid_token.json", exchanges.ErrBadKey, "invalid_token", "The access token is invalid", true},
		{"401_ip_blocked.json", exchanges.ErrIPNotAllowed, "authentication_error", "IP blocked", false},
		{"401_expired_token.json", exchanges.ErrClockSkew, "expired_token", "The access token expired", false},
		{"401_revoked_token.json", exchanges.ErrBadKey, "revoked_token", "The access token was revoked", false},
		{"403_permission_denied.json", exchanges.ErrPermission, "PERMISSION_DENIED", "Missing required scopes", false},
		{"403_unknown_scopes.json", exchanges.ErrPermission, "unknown", "Missing required scopes", false},
		{"403_wrong_permissions.json", exchanges.ErrPermission, "PERMISSION_DENIED", "User does not have the correct permissions", false},
		{"403_invalid_scope.json", exchanges.ErrPermission, "invalid_scope", "Invalid scope", false},
		{"403_cloudflare.html", exchanges.ErrUnavailable, "", "", false},
		{"404_not_found.json", exchanges.ErrMalformed, "NOT_FOUND", "Not Found", false},
		{"400_invalid_argument.json", exchanges.ErrMalformed, "INVALID_ARGUMENT", "invalid limit", false},
		{"429_rate_limit_exceeded.json", exchanges.ErrRateLimited, "rate_limit_exceeded", "Too many requests", false},
		{"429_resource_exhausted.json", exchanges.ErrRateLimited, "RESOURCE_EXHAUSTED", "rate limit exceeded", false},
		{"500_internal.json", exchanges.ErrUnavailable, "INTERNAL", "internal error", false},
		{"503_unavailable.json", exchanges.ErrUnavailable, "UNAVAILABLE", "Coinbase is down for scheduled maintenance", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			status := 0
			for _, c := range tc.file[:3] {
				status = status*10 + int(c-'0')
			}
			e := classify("op", &exchanges.Response{Status: status, Header: http.Header{}, Body: body, Recv: time.Now()})
			if !errors.Is(e, tc.want) {
				t.Fatalf("class = %v, want %v", e.Class, tc.want)
			}
			if e.Code != tc.code || e.Message != tc.msg || e.HTTPStatus != status {
				t.Errorf("kept code %q message %q status %d", e.Code, e.Message, e.HTTPStatus)
			}
			if narrow := e.Class == exchanges.ErrBadKey && e.Cause == ""; narrow != tc.needsNarrow {
				t.Errorf("to be narrowed = %v, want %v", narrow, tc.needsNarrow)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Unix(1731424981, 0)
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{http.Header{"X-Ratelimit-Reset": {"1731424983"}}, 2 * time.Second},
		{http.Header{"X-Ratelimit-Reset": {"1731424983500"}}, 2500 * time.Millisecond},
		{http.Header{"X-Ratelimit-Reset": {"1.5"}}, 1500 * time.Millisecond},
		{http.Header{"X-Ratelimit-Reset": {"1731424900"}}, 0}, // in the past
		{http.Header{"X-Ratelimit-Reset": {"soon"}}, 0},
		{http.Header{}, 0},
	} {
		if got := retryAfter(tc.h, now); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.h, got, tc.want)
		}
	}
}

// A bare 401 is narrowed with Coinbase's clock: a clock far ahead is the
// cause; a clock in sync leaves the key as the cause.
func TestNarrowBare401(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offset time.Duration // local clock minus Coinbase's
		want   error
		cause  string
	}{
		{"in sync", 0, exchanges.ErrBadKey, "clock is not the cause"},
		{"ahead", 30 * time.Second, exchanges.ErrClockSkew, "ahead of Coinbase's"},
		{"behind", -5 * time.Minute, exchanges.ErrClockSkew, "behind Coinbase's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == pathTime {
					now := time.Now()
					_, _ = w.Write([]byte(`{"epochMillis":"` + itoa(now.UnixMilli()) + `"}`))
					return
				}
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte("Unauthorized\n"))
			}))
			defer srv.Close()
			u, _ := url.Parse(srv.URL)
			ex := New(exchanges.Config{BaseURL: u, Now: func() time.Time { return time.Now().Add(tc.offset) }})
			k, _ := sampleCreds(t)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			_, err := ex.KeyInfo(ctx, k)
			e, ok := exchanges.AsError(err)
			if !ok || !errors.Is(err, tc.want) || !strings.Contains(e.Cause, tc.cause) {
				t.Fatalf("got %v, want %v with %q", err, tc.want, tc.cause)
			}
		})
	}
}
