package bybit

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// simHost runs a simulated Bybit environment holding keys.
func simHost(t *testing.T, env exchanges.Environment, keys ...sim.Key) *url.URL {
	t.Helper()
	srv, err := sim.Listen(sim.Scenario{Exchange: "bybit", Environment: env, Keys: keys}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	u, _ := url.Parse(srv.URL)
	return u
}

// A 10003 on one host is narrowed by probing the others: the host that
// gets past the key check names the environment the key belongs to.
func TestNarrowFindsTheKeysEnvironment(t *testing.T) {
	k, _ := sim.SampleKey("bybit")
	k.IPs = []string{sim.DefaultClientIP}
	other, _ := sim.SampleKey("bybit")
	live := simHost(t, exchanges.Live, other)
	testnet := simHost(t, exchanges.Testnet, k)
	demo := simHost(t, exchanges.Demo)
	c := &client{cfg: exchanges.Config{Environment: exchanges.Live}, env: exchanges.Live, base: live,
		others: []host{{"Bybit testnet", testnet.String()}, {"Bybit Demo Trading", demo.String()}, {"Bybit Nowhere", "http://127.0.0.1:1"}}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := c.KeyInfo(ctx, exchangetest.CredsOf(k))
	if !errors.Is(err, exchanges.ErrWrongEnvironment) {
		t.Fatalf("got %v, want ErrWrongEnvironment", err)
	}
	if e, _ := exchanges.AsError(err); !strings.Contains(e.Cause, "Bybit testnet") || strings.Contains(e.Cause, "Demo") {
		t.Errorf("cause %q", e.Cause)
	}

	// Known nowhere: an unknown key, said so.
	stranger, _ := sim.SampleKey("bybit")
	_, err = c.Balance(ctx, exchangetest.CredsOf(stranger))
	if !errors.Is(err, exchanges.ErrBadKey) || errors.Is(err, exchanges.ErrWrongEnvironment) {
		t.Fatalf("got %v, want ErrBadKey", err)
	}
	if e, _ := exchanges.AsError(err); !strings.Contains(e.Cause, "nor does any other") {
		t.Errorf("cause %q", e.Cause)
	}
}

// An expired key is ErrExpired, and also ErrBadKey for callers that only
// know the broad class.
func TestExpiredKey(t *testing.T) {
	k, _ := sim.SampleKey("bybit")
	k.Created = time.Now().Add(-100 * 24 * time.Hour) // no IP bound: 90 days
	u := simHost(t, exchanges.Live, k)
	c := New(exchanges.Config{Environment: exchanges.Live, BaseURL: u})
	_, err := c.KeyInfo(context.Background(), exchangetest.CredsOf(k))
	if !errors.Is(err, exchanges.ErrExpired) || !errors.Is(err, exchanges.ErrBadKey) {
		t.Fatalf("got %v, want ErrExpired", err)
	}
}

// A key with no IP bound reports its 90-day expiry; a bound one none.
func TestKeyInfoExpiryThroughSim(t *testing.T) {
	k, _ := sim.SampleKey("bybit")
	k.Created = time.Now().Add(-80 * 24 * time.Hour).Truncate(time.Second)
	u := simHost(t, exchanges.Live, k)
	ki, err := New(exchanges.Config{BaseURL: u}).KeyInfo(context.Background(), exchangetest.CredsOf(k))
	if err != nil {
		t.Fatal(err)
	}
	if !ki.ExpiryKnown || !ki.Expires.Equal(k.Created.Add(90*24*time.Hour)) || ki.IPRestricted != exchanges.No {
		t.Errorf("expiry %v %v restricted %v", ki.ExpiryKnown, ki.Expires, ki.IPRestricted)
	}
	if !ki.Created.Equal(k.Created) {
		t.Errorf("created %v, want %v", ki.Created, k.Created)
	}
}

// A host that never answers does not hold the narrowing past probeTimeout.
func TestNarrowDoesNotWaitForAHungHost(t *testing.T) {
	k, _ := sim.SampleKey("bybit")
	live := simHost(t, exchanges.Live)
	hung, err := sim.Listen(sim.Scenario{Exchange: "bybit", Hang: true}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hung.Close() })
	c := &client{cfg: exchanges.Config{}, env: exchanges.Live, base: live, others: []host{{"Bybit Hung", hung.URL}}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.KeyInfo(ctx, exchangetest.CredsOf(k))
	if !errors.Is(err, exchanges.ErrBadKey) {
		t.Fatalf("got %v, want ErrBadKey", err)
	}
	if d := time.Since(start); d > probeTimeout+time.Second {
		t.Errorf("narrowing took %v", d)
	}
}

// KeyInfo and Balance meet the same 10003 at once: one probe round serves
// both.
func TestNarrowSharedBetweenConcurrentCalls(t *testing.T) {
	k, _ := sim.SampleKey("bybit")
	live := simHost(t, exchanges.Live)
	srv, err := sim.Listen(sim.Scenario{Exchange: "bybit", Environment: exchanges.Testnet, Keys: []sim.Key{k}}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c := &client{cfg: exchanges.Config{}, env: exchanges.Live, base: live, others: []host{{"Bybit testnet", srv.URL}}}
	errs := make(chan error, 2)
	go func() { _, err := c.KeyInfo(context.Background(), exchangetest.CredsOf(k)); errs <- err }()
	go func() { _, err := c.Balance(context.Background(), exchangetest.CredsOf(k)); errs <- err }()
	for range 2 {
		if err := <-errs; !errors.Is(err, exchanges.ErrWrongEnvironment) {
			t.Errorf("got %v, want ErrWrongEnvironment", err)
		}
	}
	if n := srv.Requests(); n < 1 || n > 2 {
		t.Errorf("testnet probed %d times", n)
	}
}
