package bitget

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

// Recorded Bitget answers (bodies as Bitget and its SDKs' issue reports
// show them; Bitget answers errors with HTTP 400) are classified into the
// right sentinel, keeping Bitget's own code and message.
func TestClassifyRecordedErrors(t *testing.T) {
	for _, tc := range []struct {
		file   string
		status int
		want   error
	}{
		{"40001.json", 400, exchanges.ErrBadKey},
		{"40006.json", 400, exchanges.ErrBadKey},
		{"40037.json", 400, exchanges.ErrBadKey},
		{"40009.json", 400, exchanges.ErrBadSignature},
		{"40011.json", 400, exchanges.ErrBadPassphrase},
		{"40012.json", 400, exchanges.ErrBadPassphrase},
		{"40005.json", 400, exchanges.ErrClockSkew},
		{"40008.json", 400, exchanges.ErrClockSkew},
		{"40014.json", 400, exchanges.ErrPermission},
		{"40018.json", 400, exchanges.ErrIPNotAllowed},
		{"40099.json", 400, exchanges.ErrWrongEnvironment},
		{"40200.json", 503, exchanges.ErrUnavailable},
		{"40200.json", 400, exchanges.ErrUnavailable},
		{"40015.json", 500, exchanges.ErrUnavailable},
		{"429.json", 429, exchanges.ErrRateLimited},
		{"40019.json", 400, exchanges.ErrMalformed},
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
			h.Set("Retry-After", "1")
			got := check("read account information")(&exchanges.Response{Status: tc.status, Header: h, Body: body, Recv: time.Now()})
			if !errors.Is(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			e, _ := exchanges.AsError(got)
			if strings.HasSuffix(tc.file, ".json") && tc.file != "truncated.json" && (e.Code == "" || e.Message == "") {
				t.Errorf("Bitget's code and message not kept: %+v", e)
			}
			if errors.Is(got, exchanges.ErrRateLimited) && e.RetryAfter != time.Second {
				t.Errorf("Retry-After not kept: %v", e.RetryAfter)
			}
		})
	}
}

func TestClassifySuccess(t *testing.T) {
	body, _ := os.ReadFile("testdata/time.json")
	if err := check("read server time")(&exchanges.Response{Status: 200, Body: body}); err != nil {
		t.Fatalf("success classified as %v", err)
	}
	bad, _ := os.ReadFile("testdata/errors/40012.json")
	if err := check("x")(&exchanges.Response{Status: 200, Body: bad}); !errors.Is(err, exchanges.ErrBadPassphrase) {
		t.Fatalf("an error code in HTTP 200 was accepted: %v", err)
	}
}
