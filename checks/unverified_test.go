package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Answers that were never verified never count as success: when neither
// signed request could be read, auth fails with the cause and a fix, and
// no check that depends on the key passes.
func TestUnverifiedAnswersFailAuth(t *testing.T) {
	rate := &exchanges.Error{Class: exchanges.ErrRateLimited, Op: "read", HTTPStatus: 429, RetryAfter: 30 * time.Second}
	cases := []struct {
		name string
		err  error
		say  string
	}{
		{"invalid json", exchanges.Malformed("read", errSimple("not the JSON Binance sends")), "the exchange's answer could not be read"},
		{"too large", &exchanges.Error{Class: exchanges.ErrTooLarge, Op: "read", HTTPStatus: 200, Cause: "larger than 4 MiB"}, "larger than 4 MiB"},
		{"rate limited with Retry-After", rate, "rate-limited, try again in 30 s"},
		{"rate limited, no wait said", &exchanges.Error{Class: exchanges.ErrRateLimited, Op: "read", HTTPStatus: 429}, "rate-limited, try again in a minute"},
		{"5xx", &exchanges.Error{Class: exchanges.ErrUnavailable, Op: "read", HTTPStatus: 502}, "unavailable"},
		{"timeout", &exchanges.Error{Class: exchanges.ErrTimeout, Op: "read"}, "timed out"},
		{"redirect", &exchanges.Error{Class: exchanges.ErrRedirect, Op: "read", HTTPStatus: 302, Location: "127.0.0.2:8080"}, "redirected to 127.0.0.2:8080"},
		{"bare 403", &exchanges.Error{Class: exchanges.ErrPermission, Op: "read", HTTPStatus: 403}, "bare HTTP 403"},
		{"unsupported", &exchanges.Error{Class: exchanges.ErrUnsupported, Op: "read"}, "not offered"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := goodFacts()
			f.Key = Fact[exchanges.KeyInfo]{Err: tc.err, Done: true}
			f.Balance = Fact[exchanges.Balance]{Err: tc.err, Done: true}
			got := judgeAll(f)
			auth := got["auth"]
			if auth.Status != Fail || !strings.Contains(auth.Summary, tc.say) || auth.Fix == "" {
				t.Errorf("auth = %s %q (fix %q), want fail saying %q with a fix", auth.Status, auth.Summary, auth.Fix, tc.say)
			}
			for id, r := range got {
				switch id {
				case "exchange_status", "clock", "key_age":
					continue // not about the key's answers
				}
				if r.Status == Pass {
					t.Errorf("%s passed on an answer that was never verified: %s", id, r.Summary)
				}
			}
		})
	}
}

// A permission error counts as a signed request accepted only when the
// exchange itself explained it.
func TestPermissionErrorCountsOnlyWhenExplained(t *testing.T) {
	f := goodFacts()
	refused := &exchanges.Error{Class: exchanges.ErrPermission, Op: "read", HTTPStatus: 403, Code: "-1002", Message: "You are not authorized to execute this request."}
	f.Key = Fact[exchanges.KeyInfo]{Err: refused, Done: true}
	f.Balance = Fact[exchanges.Balance]{Err: refused, Done: true}
	if r := judgeAll(f)["auth"]; r.Status != Pass {
		t.Errorf("an explained permission error: auth = %s %q, want pass", r.Status, r.Summary)
	}
}

// The rate-limit wait is said in words a person reads at a glance.
func TestWaitWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		500 * time.Millisecond: "1 s", 30 * time.Second: "30 s", 119 * time.Second: "119 s",
		5 * time.Minute: "5 min", 48 * time.Hour: "more than a day",
	} {
		if got := waitWords(d); got != want {
			t.Errorf("waitWords(%v) = %q, want %q", d, got, want)
		}
	}
}

type errSimple string

func (e errSimple) Error() string { return string(e) }
