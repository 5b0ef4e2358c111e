package bybit

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"testing"

	"github.com/keywarden/keywarden/exchanges"
)

// Bybit publishes pre-hash strings and signatures but never the secret
// behind them (reference §3.6), so its examples cannot be reproduced. The
// vector below is the reference's derived one (Appendix A.2): ccxt's
// sign() with a frozen clock and an independent implementation agree.
func TestSignHMACDerivedVector(t *testing.T) {
	pre := PreHash("1658384314791", "XXXXXXXXXX", "5000", "accountType=UNIFIED")
	if pre != "1658384314791XXXXXXXXXX5000accountType=UNIFIED" {
		t.Fatalf("pre-hash %q", pre)
	}
	const want = "5b3d9ccb7153b38ece8c418861d91c92a7d92b850dc4317aaaf7aecf43bc91ab"
	if got := SignHMAC("secret", pre); got != want {
		t.Errorf("SignHMAC = %s, want %s", got, want)
	}
	sign, err := newSigner(exchanges.NewSecret("secret"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := sign(pre); got != want {
		t.Errorf("HMAC signer = %s, want %s", got, want)
	}
}

// RSA PKCS #1 v1.5 is deterministic for a given key: the signer's output
// verifies with the public key and is plain base64 (sent in a header, not
// percent-encoded).
func TestSignRSA(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	sign, err := newSigner(exchanges.NewSecret(pemKey))
	if err != nil {
		t.Fatal(err)
	}
	pre := PreHash("1658384314791", "XXXXXXXXXX", "5000", "accountType=UNIFIED")
	sig, err := sign(pre)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		t.Fatalf("not standard base64: %v", err)
	}
	h := sha256.Sum256([]byte(pre))
	if err := rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, h[:], raw); err != nil {
		t.Errorf("signature does not verify: %v", err)
	}
	again, _ := sign(pre)
	if again != sig {
		t.Error("PKCS #1 v1.5 signatures should be deterministic")
	}
}

func TestSignerRefusesNonRSAKeys(t *testing.T) {
	der, _ := base64.StdEncoding.DecodeString("MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g")
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if _, err := newSigner(exchanges.NewSecret(pemKey)); err == nil {
		t.Error("an Ed25519 key was accepted for Bybit")
	}
}
