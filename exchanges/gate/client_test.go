package gate

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

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

// The simulator's credentials are what `keywarden add` will be fed.
func TestSampleCredentialsValidate(t *testing.T) {
	for i := 0; i < 50; i++ {
		k, _ := sim.SampleKey("gate")
		if err := exchanges.ValidateCredentials(Info(), exchangetest.CredsOf(k)); err != nil {
			t.Fatalf("sample key refused: %v", err)
		}
	}
}

// Gate documents its base URL with /api/v4; given either way, requests
// reach /api/v4/... once, and the signature still verifies.
func TestBaseURLWithPrefix(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "gate", exchanges.Live)
	srv, err := sim.Listen(sc, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	for _, base := range []string{srv.URL, srv.URL + "/api/v4", srv.URL + "/api/v4/"} {
		u, _ := url.Parse(base)
		ex := New(exchanges.Config{Environment: exchanges.Live, BaseURL: u})
		if _, err := ex.KeyInfo(ctx(t), exchangetest.CredsOf(srv.Scenario().Keys[0])); err != nil {
			t.Errorf("base %s: %v", base, err)
		}
	}
}

func TestStatusIsUnknownButReached(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "gate", exchanges.Live)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	st, err := f.Ex.Status(ctx(t))
	if err != nil || st.State != exchanges.StatusUnknown || !strings.Contains(st.Message, "no status endpoint") {
		t.Errorf("status %+v %v", st, err)
	}
	sc.Maintenance = "ongoing"
	f = exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	if _, err := f.Ex.Status(ctx(t)); !errors.Is(err, exchanges.ErrUnavailable) {
		t.Errorf("status during maintenance: %v", err)
	}
}

func TestKeyInfoFacts(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "gate", exchanges.Live)
	sc.Keys[0].Permissions = []string{sim.PermRead, sim.PermFutures, sim.PermTransfer}
	sc.Keys[0].IPs = []string{sim.DefaultClientIP, "198.51.100.7"}
	other, _ := sim.SampleKey("gate")
	sc.Keys = append(sc.Keys, other)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Futures})
	ki, err := f.Ex.KeyInfo(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	if ki.TradeFor(exchanges.Futures) != exchanges.Yes || ki.TradeFor(exchanges.Spot) != exchanges.No ||
		ki.Transfer != exchanges.Yes || ki.Withdraw != exchanges.No || ki.Read != exchanges.Yes {
		t.Errorf("facts %+v", ki)
	}
	if !ki.IPListKnown || len(ki.IPs) != 2 || ki.Created.IsZero() || ki.Label != "keywarden-sim" {
		t.Errorf("facts %+v", ki)
	}
	b, err := f.Ex.Balance(ctx(t), f.Creds)
	if err != nil || len(b.Notes) != 0 || b.Accounts[len(b.Accounts)-1] != "futures" {
		t.Errorf("balance %+v %v", b, err)
	}
}

// Without the Account group Gate refuses both key reads: the signature
// was accepted (a permission error), and the cause says what to tick.
func TestNoAccountPermission(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "gate", exchanges.Live)
	sc.Keys[0].Permissions = []string{sim.PermSpot}
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	_, err := f.Ex.KeyInfo(ctx(t), f.Creds)
	e, ok := exchanges.AsError(err)
	if !errors.Is(err, exchanges.ErrPermission) || !ok || !strings.Contains(e.Cause, "Account") {
		t.Errorf("got %v", err)
	}
}

// A TestNet key used on live: live says INVALID_KEY, TestNet knows the
// key (INVALID_SIGNATURE for a deliberately wrong signature).
func TestWrongEnvironmentProbe(t *testing.T) {
	test := exchangetest.GoodScenario(t, "gate", exchanges.Testnet)
	live := exchangetest.GoodScenario(t, "gate", exchanges.Live)
	tsrv, err := sim.Listen(test, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tsrv.Close() })
	lsrv, err := sim.Listen(live, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lsrv.Close() })
	lu, _ := url.Parse(lsrv.URL + "/api/v4")
	tu, _ := url.Parse(tsrv.URL)
	c := &client{cfg: exchanges.Config{Environment: exchanges.Live}, root: hostRoot(lu),
		others: map[exchanges.Environment]*url.URL{exchanges.Testnet: tu}}
	_, err = c.KeyInfo(ctx(t), exchangetest.CredsOf(tsrv.Scenario().Keys[0]))
	if !errors.Is(err, exchanges.ErrWrongEnvironment) || !strings.Contains(err.Error(), "Gate TestNet") {
		t.Errorf("got %v", err)
	}
	// A key known nowhere stays a bad key.
	k, _ := sim.SampleKey("gate")
	if _, err := c.KeyInfo(ctx(t), exchangetest.CredsOf(k)); !errors.Is(err, exchanges.ErrBadKey) || errors.Is(err, exchanges.ErrWrongEnvironment) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestMalformedKeyNotSent(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "gate", exchanges.Live)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	c := f.Creds
	c.Key = "abc"
	if _, err := f.Ex.Balance(ctx(t), c); !errors.Is(err, exchanges.ErrBadKey) || f.Server.Requests() != 0 {
		t.Errorf("got %v after %d requests", err, f.Server.Requests())
	}
}
