package binance

import (
	"encoding/base64"
	"encoding/pem"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
)

// Binance's published HMAC vectors (rest-api.md, "SIGNED Endpoint Examples
// for POST /api/v3/order") and the derived vectors of the reference.
func TestSignHMACPublishedVectors(t *testing.T) {
	secret := []byte("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
	for _, tc := range []struct{ payload, want string }{
		{"symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
			"c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"},
		{"symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
			"e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"},
		{"timestamp=1499827319559&recvWindow=5000", "6cd35332399b004466463b9ad65a112a14f31fb9ddfd5e19bd7298fbd491dbc7"},
	} {
		if got := SignHMAC(secret, tc.payload); got != tc.want {
			t.Errorf("SignHMAC(%q) = %s, want %s", tc.payload, got, tc.want)
		}
	}
}

// The reference's derived Ed25519 vector: RFC 8032 test-1 seed as PKCS#8.
func TestSignEd25519DerivedVector(t *testing.T) {
	der, _ := base64.StdEncoding.DecodeString("MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g")
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	sign, err := newSigner(exchanges.NewSecret(pemKey))
	if err != nil {
		t.Fatal(err)
	}
	got, err := sign("timestamp=1499827319559&recvWindow=5000")
	if err != nil {
		t.Fatal(err)
	}
	want := "OB11jWnvl0LKE9m8afFW3EdDhoA7H2T%2F377O3HJs36fsEvohaeygEypL1iD3KQDAYDtNrDWJCX%2F98t42FhYmDQ%3D%3D"
	if got != want {
		t.Errorf("Ed25519 signature = %s, want %s", got, want)
	}
}

func TestSignerHMACIsHex(t *testing.T) {
	sign, err := newSigner(exchanges.NewSecret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := sign("timestamp=1499827319559&recvWindow=5000")
	if got != "6cd35332399b004466463b9ad65a112a14f31fb9ddfd5e19bd7298fbd491dbc7" {
		t.Errorf("got %s", got)
	}
}
