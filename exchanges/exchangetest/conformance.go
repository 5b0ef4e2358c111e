// Package exchangetest is the conformance suite every adapter runs against
// the simulator: the same cases, the same expectations, so that each
// exchange behaves alike where it matters (good key, bad secret, bad key,
// bad passphrase, skewed clock, IP not allowed, missing permission, rate
// limit with Retry-After, 5xx, timeout, malformed JSON).
//
// An adapter's test calls Run(t, binance.Adapter()); nothing else.
package exchangetest

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// Options tune the suite for one adapter.
type Options struct {
	// Markets the profile trades (default spot, or the adapter's first).
	Markets []exchanges.Market
	// Environment to simulate (default live).
	Environment exchanges.Environment
	// Skip names cases that do not apply, with the reason, e.g.
	// {"clock": "Kraken signs with a nonce"}.
	Skip map[string]string
}

// Fixture is a running simulator and an adapter pointed at it.
type Fixture struct {
	Server *sim.Server
	Ex     exchanges.Exchange
	Creds  exchanges.Credentials
	Key    sim.Key
}

// Start runs the simulator for sc (whose first key is the profile's) and
// returns an adapter configured for it. The server stops with the test.
func Start(t testing.TB, a exchanges.Adapter, sc sim.Scenario, markets []exchanges.Market) *Fixture {
	t.Helper()
	srv, err := sim.Listen(sc, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	u, _ := url.Parse(srv.URL)
	env := sc.Environment
	if env == "" {
		env = exchanges.Live
	}
	ex := a.New(exchanges.Config{Environment: env, BaseURL: u, Markets: markets, UserAgent: "keywarden-test"})
	k := srv.Scenario().Keys[0]
	return &Fixture{Server: srv, Ex: ex, Key: k, Creds: CredsOf(k)}
}

// CredsOf turns a simulated key into credentials.
func CredsOf(k sim.Key) exchanges.Credentials {
	return exchanges.Credentials{Key: k.Key, Secret: exchanges.NewSecret(k.Secret), Passphrase: exchanges.NewSecret(k.Passphrase)}
}

// GoodScenario is a scenario with one key holding read, every market's
// trade permission and balances.
func GoodScenario(t testing.TB, id string, env exchanges.Environment) sim.Scenario {
	t.Helper()
	k, ok := sim.SampleKey(id)
	if !ok {
		t.Fatalf("no simulator for %s", id)
	}
	k.Permissions = []string{sim.PermRead, sim.PermSpot, sim.PermFutures, sim.PermMargin}
	k.FuturesBalances = map[string]string{"USDT": "500"}
	if env == "" {
		env = exchanges.Live
	}
	return sim.Scenario{Exchange: id, Environment: env, Keys: []sim.Key{k}}
}

// Run runs the whole suite.
func Run(t *testing.T, a exchanges.Adapter, opts Options) {
	info := a.Info()
	markets := opts.Markets
	if len(markets) == 0 {
		markets = []exchanges.Market{info.Markets[0]}
	}
	good := func() sim.Scenario { return GoodScenario(t, info.ID, opts.Environment) }
	ctx := func(t *testing.T) context.Context {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		t.Cleanup(cancel)
		return c
	}
	run := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			if why, ok := opts.Skip[name]; ok {
				t.Skip(why)
			}
			t.Parallel()
			f(t)
		})
	}

	run("good_key", func(t *testing.T) {
		f := Start(t, a, good(), markets)
		ts, err := f.Ex.ServerTime(ctx(t))
		if err != nil {
			t.Fatalf("ServerTime: %v", err)
		}
		if off := ts.Offset(); off > time.Second+ts.Resolution || off < -time.Second-ts.Resolution {
			t.Errorf("clock offset against an unskewed simulator = %v", off)
		}
		if _, err := f.Ex.Status(ctx(t)); err != nil {
			t.Errorf("Status: %v", err)
		}
		ki, err := f.Ex.KeyInfo(ctx(t), f.Creds)
		if err != nil {
			t.Fatalf("KeyInfo: %v", err)
		}
		if ki.Read == exchanges.No {
			t.Errorf("Read = no for a key with read permission")
		}
		if ki.Withdraw == exchanges.Yes {
			t.Errorf("Withdraw = yes for a key without it")
		}
		for _, m := range markets {
			if ki.TradeFor(m) == exchanges.No {
				t.Errorf("Trade[%s] = no for a key with every trade permission", m)
			}
		}
		bal, err := f.Ex.Balance(ctx(t), f.Creds)
		if err != nil {
			t.Fatalf("Balance: %v", err)
		}
		if len(bal.Assets) == 0 {
			t.Errorf("Balance read no assets from a funded account")
		}
	})

	expect := func(name string, mutate func(*sim.Scenario, *exchanges.Credentials), want error) {
		run(name, func(t *testing.T) {
			sc := good()
			creds := CredsOf(sc.Keys[0])
			mutate(&sc, &creds)
			f := Start(t, a, sc, markets)
			_, err := f.Ex.KeyInfo(ctx(t), creds)
			if err == nil {
				_, err = f.Ex.Balance(ctx(t), creds)
			}
			if !errors.Is(err, want) {
				t.Fatalf("got %v, want %v", err, want)
			}
			NoSecretIn(t, err.Error(), creds)
		})
	}

	expect("bad_secret", func(sc *sim.Scenario, c *exchanges.Credentials) {
		c.Secret = exchanges.NewSecret(mangle(c.Secret.Reveal()))
	}, exchanges.ErrBadSignature)
	expect("bad_key", func(sc *sim.Scenario, c *exchanges.Credentials) {
		c.Key = mangle(c.Key)
	}, exchanges.ErrBadKey)
	if _, ok := info.Field(exchanges.FieldPassphrase); ok {
		expect("bad_passphrase", func(sc *sim.Scenario, c *exchanges.Credentials) {
			c.Passphrase = exchanges.NewSecret(mangle(c.Passphrase.Reveal()))
		}, exchanges.ErrBadPassphrase)
	}
	if info.Clock.Ahead > 0 {
		expect("clock", func(sc *sim.Scenario, c *exchanges.Credentials) {
			sc.ClockOffset = sim.Duration(-(info.Clock.Ahead + 3*time.Second))
		}, exchanges.ErrClockSkew)
	}
	if info.Clock.Behind > 0 {
		expect("clock_behind", func(sc *sim.Scenario, c *exchanges.Credentials) {
			sc.ClockOffset = sim.Duration(info.Clock.Behind + 3*time.Second)
		}, exchanges.ErrClockSkew)
	}
	expect("ip_not_allowed", func(sc *sim.Scenario, c *exchanges.Credentials) {
		sc.Keys[0].IPs = []string{"198.51.100.7"}
	}, exchanges.ErrIPNotAllowed)

	run("missing_trade_permission", func(t *testing.T) {
		sc := good()
		sc.Keys[0].Permissions = []string{sim.PermRead}
		f := Start(t, a, sc, markets)
		ki, err := f.Ex.KeyInfo(ctx(t), f.Creds)
		if err != nil {
			t.Fatalf("KeyInfo: %v", err)
		}
		for _, m := range markets {
			if ki.TradeFor(m) == exchanges.Yes {
				t.Errorf("Trade[%s] = yes for a read-only key", m)
			}
		}
	})
	run("withdraw_on", func(t *testing.T) {
		sc := good()
		sc.Keys[0].Permissions = append(sc.Keys[0].Permissions, sim.PermWithdraw)
		sc.Keys[0].IPs = []string{sim.DefaultClientIP}
		f := Start(t, a, sc, markets)
		ki, err := f.Ex.KeyInfo(ctx(t), f.Creds)
		if err != nil {
			t.Fatalf("KeyInfo: %v", err)
		}
		if ki.Withdraw != exchanges.Yes {
			t.Errorf("Withdraw = %v for a key with withdrawals on", ki.Withdraw)
		}
	})
	run("rate_limit_honoured_once", func(t *testing.T) {
		sc := good()
		sc.RateLimitFirst = 1
		sc.RetryAfter = sim.Duration(time.Second)
		f := Start(t, a, sc, markets)
		start := time.Now()
		if _, err := f.Ex.ServerTime(ctx(t)); err != nil {
			t.Fatalf("a single rate limit with Retry-After 1s was not retried: %v", err)
		}
		if d := time.Since(start); d < 900*time.Millisecond {
			t.Errorf("retried after %v, before Retry-After", d)
		}
	})
	run("rate_limit_reported", func(t *testing.T) {
		sc := good()
		sc.RateLimitFirst = 100
		sc.RetryAfter = sim.Duration(time.Second)
		f := Start(t, a, sc, markets)
		_, err := f.Ex.ServerTime(ctx(t))
		e, ok := exchanges.AsError(err)
		if !errors.Is(err, exchanges.ErrRateLimited) || !ok {
			t.Fatalf("got %v, want ErrRateLimited", err)
		}
		if e.RetryAfter <= 0 {
			t.Errorf("Retry-After not kept: %+v", e)
		}
	})
	run("server_error", func(t *testing.T) {
		sc := good()
		sc.ServerErrorFirst = 100
		f := Start(t, a, sc, markets)
		if _, err := f.Ex.ServerTime(ctx(t)); !errors.Is(err, exchanges.ErrUnavailable) {
			t.Fatalf("got %v, want ErrUnavailable", err)
		}
	})
	run("timeout", func(t *testing.T) {
		sc := good()
		sc.Hang = true
		f := Start(t, a, sc, markets)
		c, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := f.Ex.KeyInfo(c, f.Creds)
		if !errors.Is(err, exchanges.ErrTimeout) {
			t.Fatalf("got %v, want ErrTimeout", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("a hung exchange held the call for %v", d)
		}
	})
	run("malformed_json", func(t *testing.T) {
		sc := good()
		sc.Malformed = true
		f := Start(t, a, sc, markets)
		if _, err := f.Ex.ServerTime(ctx(t)); !errors.Is(err, exchanges.ErrMalformed) {
			t.Fatalf("ServerTime: got %v, want ErrMalformed", err)
		}
		if _, err := f.Ex.KeyInfo(ctx(t), f.Creds); !errors.Is(err, exchanges.ErrMalformed) {
			t.Fatalf("KeyInfo: got %v, want ErrMalformed", err)
		}
	})
}

// NoSecretIn fails the test if s contains the secret or passphrase of c,
// raw or in a common encoding.
func NoSecretIn(t testing.TB, s string, c exchanges.Credentials) {
	t.Helper()
	for _, v := range []string{c.Secret.Reveal(), c.Passphrase.Reveal()} {
		if len(v) >= 6 && strings.Contains(s, v) {
			t.Errorf("a secret appears in %q", s)
		}
	}
}

// mangle changes one character while keeping the value's format.
func mangle(s string) string {
	r := []rune(s)
	for i := len(r) / 2; i < len(r); i++ {
		switch {
		case r[i] >= '0' && r[i] <= '8', r[i] >= 'a' && r[i] <= 'e', r[i] >= 'A' && r[i] <= 'E':
			r[i]++
			return string(r)
		case r[i] == '9':
			r[i] = '0'
			return string(r)
		}
	}
	return s + "x"
}
