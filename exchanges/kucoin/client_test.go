package kucoin

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// The simulator's credentials are what `keywarden add` will be fed: they
// must pass KuCoin's own validators, and a mangled one must not.
func TestSampleCredentialsValidate(t *testing.T) {
	for i := 0; i < 50; i++ {
		k, _ := sim.SampleKey("kucoin")
		if err := exchanges.ValidateCredentials(Info(), exchangetest.CredsOf(k)); err != nil {
			t.Fatalf("sample key refused: %v", err)
		}
	}
	k, _ := sim.SampleKey("kucoin")
	c := exchangetest.CredsOf(k)
	c.Passphrase = c.Secret
	err := exchanges.ValidateCredentials(Info(), c)
	if err == nil || strings.Contains(err.Error(), c.Secret.Reveal()) {
		t.Errorf("secret pasted as passphrase: %v", err)
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestStatusAndFuturesWallet(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "kucoin", exchanges.Live)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot, exchanges.Futures})
	st, err := f.Ex.Status(ctx(t))
	if err != nil || st.State != exchanges.StatusNormal {
		t.Errorf("status %+v %v", st, err)
	}
	b, err := f.Ex.Balance(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	var fut bool
	for _, a := range b.Assets {
		if a.Account == "futures" && a.Asset == "USDT" && a.Total == "500" {
			fut = true
		}
	}
	if !fut || len(b.Notes) != 0 {
		t.Errorf("futures wallet not read: %+v", b)
	}

	sc.Maintenance = "ongoing"
	f = exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	if st, err := f.Ex.Status(ctx(t)); err != nil || st.State != exchanges.StatusMaintenance {
		t.Errorf("maintenance status %+v %v", st, err)
	}
	if _, err := f.Ex.Balance(ctx(t), f.Creds); !errors.Is(err, exchanges.ErrUnavailable) {
		t.Errorf("balance during maintenance: %v", err)
	}
}

// A key with withdrawals and transfers on, restricted to this machine:
// every fact comes from KuCoin's own description of the key.
func TestKeyInfoFacts(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "kucoin", exchanges.Live)
	sc.Keys[0].Permissions = []string{sim.PermRead, sim.PermSpot, sim.PermWithdraw, sim.PermTransfer}
	sc.Keys[0].IPs = []string{sim.DefaultClientIP, "198.51.100.7"}
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	ki, err := f.Ex.KeyInfo(ctx(t), f.Creds)
	if err != nil {
		t.Fatal(err)
	}
	if ki.Withdraw != exchanges.Yes || ki.Transfer != exchanges.Yes || ki.TradeFor(exchanges.Futures) != exchanges.No {
		t.Errorf("facts %+v", ki)
	}
	if !ki.IPListKnown || len(ki.IPs) != 2 || ki.Created.IsZero() || ki.Label != "keywarden-sim" {
		t.Errorf("facts %+v", ki)
	}
}

// A key that is not 24 hex characters is refused before it is sent.
func TestMalformedKeyNotSent(t *testing.T) {
	sc := exchangetest.GoodScenario(t, "kucoin", exchanges.Live)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot})
	c := f.Creds
	c.Key = "not-a-key"
	_, err := f.Ex.KeyInfo(ctx(t), c)
	if !errors.Is(err, exchanges.ErrBadKey) || f.Server.Requests() != 0 {
		t.Errorf("got %v after %d requests", err, f.Server.Requests())
	}
}
