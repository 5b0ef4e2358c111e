package scan

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim"
)

// genPEM makes a fresh EC private key in PEM form.
func genPEM(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// threeProfiles are stored keys of three exchanges (one with a PEM secret,
// one with a passphrase), as a user may hold.
func threeProfiles(t testing.TB) []Stored {
	t.Helper()
	var out []Stored
	for i, ex := range []string{"binance", "okx", "coinbase"} {
		k, ok := sim.SampleKey(ex)
		if !ok {
			t.Fatalf("no sample key for %s", ex)
		}
		out = append(out, Stored{Profile: fmt.Sprintf("p%d", i), Exchange: ex, Creds: exchanges.Credentials{
			Key: k.Key, Secret: exchanges.NewSecret(k.Secret), Passphrase: exchanges.NewSecret(k.Passphrase)}})
	}
	return out
}
