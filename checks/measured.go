package checks

import (
	"errors"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// Measured are the numbers behind a report, for `keywarden serve`'s
// metrics: not part of the spec's JSON document, never a secret.
type Measured struct {
	// ExchangeOffset is local time minus the exchange's (positive: this
	// machine is ahead), corrected by half the round trip.
	ExchangeOffset      time.Duration
	ExchangeOffsetKnown bool
	// NTPOffset is local time minus the NTP server's.
	NTPOffset      time.Duration
	NTPOffsetKnown bool
	// ExchangeUp is whether the exchange answered at all: some request
	// got an answer that was not an outage, a 5xx or a timeout.
	ExchangeUp bool
	// RateLimited is set when the exchange refused a request for its rate
	// limit; RetryAfter is how long it asked to wait (0: not said).
	RateLimited bool
	RetryAfter  time.Duration
}

// measure reads the numbers out of the gathered facts.
func measure(f Facts) Measured {
	var m Measured
	if f.Time.Done && f.Time.Err == nil {
		m.ExchangeOffset, m.ExchangeOffsetKnown = f.Time.Value.Offset(), true
	}
	if f.NTP.Done && f.NTP.Err == nil && !f.NTP.Value.Disabled {
		m.NTPOffset, m.NTPOffsetKnown = f.NTP.Value.Offset, true
	}
	for _, fact := range []struct {
		done bool
		err  error
	}{{f.Status.Done, f.Status.Err}, {f.Time.Done, f.Time.Err}, {f.Key.Done, f.Key.Err}, {f.Balance.Done, f.Balance.Err}} {
		if !fact.done {
			continue
		}
		if fact.err == nil || fromExchange(fact.err) {
			m.ExchangeUp = true
		}
		if errors.Is(fact.err, exchanges.ErrRateLimited) {
			m.RateLimited = true
			if e, ok := exchanges.AsError(fact.err); ok && e.RetryAfter > m.RetryAfter {
				m.RetryAfter = e.RetryAfter
			}
		}
	}
	return m
}

// fromExchange reports whether err is an answer from the exchange's API
// itself (a refusal, a rate limit, an error of its own), not a sign that
// the API was never reached: an outage, a timeout, a redirect elsewhere
// (a captive portal), or a bare 403 from a firewall or proxy.
func fromExchange(err error) bool {
	switch {
	case errors.Is(err, exchanges.ErrUnavailable), errors.Is(err, exchanges.ErrUnsupported), errors.Is(err, exchanges.ErrRedirect):
		return false
	case errors.Is(err, exchanges.ErrPermission):
		return exchangeRefusedAction(err)
	}
	return true
}
