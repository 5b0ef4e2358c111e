package okx

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
	const key = "37c541a1-7c2d-4c8e-9e5b-10fe7a038418"
	const secret = "22582BD0CFF14C41EDBF1AB98506286D"
	if err := exchanges.ValidateCredentials(Info(), creds(key, secret, "My-Passphrase-1")); err != nil {
		t.Fatalf("real formats refused: %v", err)
	}
	if err := exchanges.ValidateCredentials(Info(), creds(key, strings.ToLower(secret), "1a2b3c")); err != nil {
		t.Fatalf("lowercase secret or short passphrase refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		c     exchanges.Credentials
		field string
	}{
		{"key not a UUID", creds("37c541a1****10fe7a038418", secret, "p"), exchanges.FieldKey},
		{"key pasted as secret", creds(key, key, "p"), exchanges.FieldSecret},
		{"secret too short", creds(key, secret[:31], "p"), exchanges.FieldSecret},
		{"no passphrase", creds(key, secret, ""), exchanges.FieldPassphrase},
		{"passphrase is the secret", creds(key, secret, secret), exchanges.FieldPassphrase},
		{"passphrase with space", creds(key, secret, "two words"), exchanges.FieldPassphrase},
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

// The simulator's random credentials look like OKX's, so `keywarden add`
// accepts them.
func TestSimSamplePassesValidators(t *testing.T) {
	for range 20 {
		k, _ := sim.SampleKey("okx")
		if err := exchanges.ValidateCredentials(Info(), exchangetest.CredsOf(k)); err != nil {
			t.Fatal(err)
		}
	}
}

// Every problem the checks can report has OKX's own words.
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
