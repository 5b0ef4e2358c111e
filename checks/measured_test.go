package checks

import (
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

func TestMeasure(t *testing.T) {
	f := goodFacts()
	m := measure(f)
	if !m.ExchangeUp || !m.ExchangeOffsetKnown || m.ExchangeOffset != 0 || !m.NTPOffsetKnown || m.NTPOffset != 3*time.Millisecond || m.RateLimited {
		t.Errorf("healthy: %+v", m)
	}
	down := apiErr(exchanges.ErrTimeout, "", "", "")
	f.Status = Fact[exchanges.Status]{Err: down, Done: true}
	f.Time = Fact[exchanges.TimeSample]{Err: down, Done: true}
	f.Key = Fact[exchanges.KeyInfo]{Err: down, Done: true}
	f.Balance = Fact[exchanges.Balance]{Err: &exchanges.Error{Class: exchanges.ErrUnavailable, HTTPStatus: 503}, Done: true}
	f.NTP.Value.Disabled = true
	if m := measure(f); m.ExchangeUp || m.ExchangeOffsetKnown || m.NTPOffsetKnown {
		t.Errorf("down: %+v", m)
	}
	f.Key = Fact[exchanges.KeyInfo]{Err: &exchanges.Error{Class: exchanges.ErrRateLimited, RetryAfter: 7 * time.Second}, Done: true}
	if m := measure(f); !m.ExchangeUp || !m.RateLimited || m.RetryAfter != 7*time.Second {
		t.Errorf("rate limited: %+v", m)
	}
}
