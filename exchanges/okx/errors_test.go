package okx

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Recorded OKX answers (bodies as the docs-v5 error table gives them, with
// their HTTP statuses) are classified into the right sentinel, keeping
// OKX's own code and message.
func TestClassifyRecordedErrors(t *testing.T) {
	for _, tc := range []struct {
		file   string
		status int
		want   error
	}{
		{"50101.json", 401, exchanges.ErrWrongEnvironment},
		{"50102.json", 401, exchanges.ErrClockSkew},
		{"50112.json", 401, exchanges.ErrClockSkew},
		{"50104.json", 401, exchanges.ErrBadPassphrase},
		{"50105.json", 401, exchanges.ErrBadPassphrase},
		{"50110.json", 401, exchanges.ErrIPNotAllowed},
		{"50111.json", 401, exchanges.ErrBadKey},
		{"50119.json", 200, exchanges.ErrBadKey},
		{"50100.json", 400, exchanges.ErrBadKey},
		{"50113.json", 401, exchanges.ErrBadSignature},
		{"50120.json", 200, exchanges.ErrPermission},
		{"50121.json", 200, exchanges.ErrUnavailable},
		{"50011_429.json", 429, exchanges.ErrRateLimited},
		{"50011_200.json", 200, exchanges.ErrRateLimited},
		{"50013.json", 429, exchanges.ErrRateLimited},
		{"50001.json", 503, exchanges.ErrUnavailable},
		{"50026.json", 500, exchanges.ErrUnavailable},
		{"50038.json", 200, exchanges.ErrUnsupported},
		{"51000.json", 400, exchanges.ErrMalformed},
		{"502.html", 502, exchanges.ErrUnavailable},
		{"502.html", 429, exchanges.ErrRateLimited},
		{"truncated.json", 200, exchanges.ErrMalformed},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "errors", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{}
			h.Set("Retry-After", "2")
			got := check("read account configuration")(&exchanges.Response{Status: tc.status, Header: h, Body: body, Recv: time.Now()})
			if !errors.Is(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			e, _ := exchanges.AsError(got)
			if tc.file[0] == '5' && tc.file != "502.html" && (e.Code == "" || e.Message == "") {
				t.Errorf("OKX's code and message not kept: %+v", e)
			}
			if errors.Is(got, exchanges.ErrRateLimited) && e.RetryAfter != 2*time.Second {
				t.Errorf("Retry-After not kept: %v", e.RetryAfter)
			}
		})
	}
}

// A 2xx answer with code "0" is success; a 2xx answer with another code is
// an error (OKX puts some errors in HTTP 200).
func TestClassifySuccess(t *testing.T) {
	body, _ := os.ReadFile("testdata/time.json")
	if err := check("read server time")(&exchanges.Response{Status: 200, Body: body}); err != nil {
		t.Fatalf("success classified as %v", err)
	}
	if err := check("x")(&exchanges.Response{Status: 500, Body: body}); !errors.Is(err, exchanges.ErrUnavailable) {
		t.Fatalf("code 0 with HTTP 500: got %v", err)
	}
}
