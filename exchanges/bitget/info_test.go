package bitget

import (
	"strings"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
	"github.com/keywarden/keywarden/exchanges/sim"
)

func creds(key, secret, pass string) exchanges.Credentials {
	return exchanges.Credentials{Key: key, Secret: exchanges.NewSecret(secret), Passphrase: exchanges.NewSecret(pass)}
}

func TestValidators(t *testing.T) {
	const key = "bg_553c4b7ee2d8b0f6b9e5ff1a34f2c1d0"
	const secret = "8a2f2cbd9e0d3f7a4c5b6e7d8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a"
	if err := exchanges.ValidateCredentials(Info(), creds(key, secret, "Passphrase123")); err != nil {
		t.Fatalf("real formats refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		c     exchanges.Credentials
		field string
	}{
		{"key without bg_", creds("553c4b7ee2d8b0f6b9e5ff1a34f2c1d0", secret, "p"), exchanges.FieldKey},
		{"key pasted as secret", creds(key, key, "p"), exchanges.FieldSecret},
		{"secret with symbols", creds(key, secret[:40]+"/+", "p"), exchanges.FieldSecret},
		{"no passphrase", creds(key, secret, ""), exchanges.FieldPassphrase},
		{"passphrase is the secret", creds(key, secret, secret), exchanges.FieldPassphrase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := exchanges.ValidateCredentials(Info(), tc.c)
			fe, ok := err.(*exchanges.FieldError)
			if !ok || fe.Field != tc.field {
				t.Fatalf("got %v, want a problem with %s", err, tc.field)
			}
			exchangetest.NoSecretIn(t, err.Error(), tc.c)
		})
	}
}

func TestSimSamplePassesValidators(t *testing.T) {
	for range 20 {
		k, _ := sim.SampleKey("bitget")
		if err := exchanges.ValidateCredentials(Info(), exchangetest.CredsOf(k)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFixesComplete(t *testing.T) {
	info := Info()
	for _, p := range []exchanges.Problem{exchanges.FixMaintenance, exchanges.FixBadKey, exchanges.FixExpired, exchanges.FixBadSignature,
		exchanges.FixBadPassphrase, exchanges.FixIPNotAllowed, exchanges.FixWrongEnvironment, exchanges.FixReadMissing,
		exchanges.FixTradeMissing, exchanges.FixWithdrawOn, exchanges.FixWithdrawUnknown, exchanges.FixIPUnrestricted,
		exchanges.FixIPMissing, exchanges.FixBalanceEmpty, exchanges.FixKeyOld, exchanges.FixKeyExpiring, exchanges.FixRateLimited} {
		if info.Fixes[p] == "" {
			t.Errorf("no fix for %s", p)
		}
	}
	for _, m := range info.Markets {
		if info.Guide.Trade[m] == "" {
			t.Errorf("no trade permission named for %s", m)
		}
	}
	if !strings.Contains(info.Guide.IPWhitelist, "{ip}") {
		t.Error("the IP whitelist step does not show the IP")
	}
}
