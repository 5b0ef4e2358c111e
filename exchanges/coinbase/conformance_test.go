package coinbase

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

func adapter() exchanges.Adapter { return exchanges.Adapter{Info: Info, New: New} }

// The simulator's sample key is an ECDSA key (organizations/…/apiKeys/…
// with a SEC1 PEM), the form Coinbase's Advanced Trade docs show.
func TestConformanceSpot(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot}})
}

func TestConformanceFutures(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures}})
}

// ed25519Scenario is a good scenario whose key is an Ed25519 CDP key: a
// key id and base64 of seed‖public key.
func ed25519Scenario(t *testing.T) sim.Scenario {
	sc := exchangetest.GoodScenario(t, "coinbase", exchanges.Live)
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sc.Keys[0].Key = "3f2b8f0e-9a51-4c7d-8e2a-5b6c7d8e9f01"
	sc.Keys[0].Secret = base64.StdEncoding.EncodeToString(priv)
	return sc
}

func TestEd25519KeyAgainstSimulator(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sc := ed25519Scenario(t)
	f := exchangetest.Start(t, adapter(), sc, []exchanges.Market{exchanges.Spot, exchanges.Futures})
	if err := exchanges.ValidateCredentials(Info(), f.Creds); err != nil {
		t.Fatalf("the Ed25519 key does not pass Info's validators: %v", err)
	}
	ki, err := f.Ex.KeyInfo(ctx, f.Creds)
	if err != nil {
		t.Fatalf("KeyInfo: %v", err)
	}
	if ki.Read != exchanges.Yes || ki.TradeFor(exchanges.Futures) != exchanges.Yes || ki.Withdraw != exchanges.No {
		t.Errorf("KeyInfo = %+v", ki)
	}
	if _, err := f.Ex.Balance(ctx, f.Creds); err != nil {
		t.Fatalf("Balance: %v", err)
	}

	// A 32-byte seed alone is accepted too.
	seed := base64.StdEncoding.EncodeToString(must(base64.StdEncoding.DecodeString(sc.Keys[0].Secret))[:32])
	creds := f.Creds
	creds.Secret = exchanges.NewSecret(seed)
	if _, err := f.Ex.KeyInfo(ctx, creds); err != nil {
		t.Fatalf("KeyInfo with the 32-byte seed: %v", err)
	}

	// The damaged key: public half changed.
	creds.Secret = exchanges.NewSecret(exchangetestMangle(sc.Keys[0].Secret))
	if _, err := f.Ex.KeyInfo(ctx, creds); !errors.Is(err, exchanges.ErrBadSignature) {
		t.Fatalf("damaged Ed25519 key: got %v, want ErrBadSignature", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// exchangetestMangle changes base64 character 60 of seed‖public key: it
// lands in the public half (bytes 32-63 are characters 43-85), and all six
// bits of that character count.
func exchangetestMangle(s string) string {
	b := []byte(s)
	i := 60
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// The sample key the simulator hands to `keywarden add` must pass the
// adapter's validators.
func TestSimulatorSamplePassesValidators(t *testing.T) {
	for range 5 {
		k, ok := sim.SampleKey("coinbase")
		if !ok {
			t.Fatal("no coinbase simulator")
		}
		c := exchanges.Credentials{Key: k.Key, Secret: exchanges.NewSecret(k.Secret)}
		if err := exchanges.ValidateCredentials(Info(), c); err != nil {
			t.Fatalf("sample key refused: %v", err)
		}
	}
}
