package coinbase

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// RFC 8032 §7.1 TEST 1 (the reference's Appendix A.3).
const (
	rfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	rfc8032Pub  = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	rfc8032Sig  = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEdDSARFC8032Test1(t *testing.T) {
	got := SignEdDSA(unhex(t, rfc8032Seed), nil)
	if hex.EncodeToString(got) != rfc8032Sig {
		t.Errorf("signature of the empty message = %x, want %s", got, rfc8032Sig)
	}
}

// RFC 8037 Appendix A.4: the EdDSA JWS over "Example of Ed25519 signing",
// with the RFC 8032 test-1 key. Ed25519 is deterministic, so the JWS must
// match byte for byte.
func TestEdDSARFC8037JWS(t *testing.T) {
	input := "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
	want := "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
	if got := b64(SignEdDSA(unhex(t, rfc8032Seed), []byte(input))); got != want {
		t.Errorf("JWS signature = %s, want %s", got, want)
	}
}

// The Signer, given the RFC key as Coinbase hands it out (base64 of
// seed‖public key, and of the seed alone), signs exactly as RFC 8032 says.
func TestSignerEd25519Formats(t *testing.T) {
	full := base64.StdEncoding.EncodeToString(append(unhex(t, rfc8032Seed), unhex(t, rfc8032Pub)...))
	seed := base64.StdEncoding.EncodeToString(unhex(t, rfc8032Seed))
	if len(full) != 88 || !strings.HasSuffix(full, "==") {
		t.Fatalf("the 64-byte form should be 88 base64 characters ending in ==, got %d", len(full))
	}
	for _, secret := range []string{full, seed} {
		s, err := NewSigner("3f2b8f0e-9a51-4c7d-8e2a-5b6c7d8e9f01", exchanges.NewSecret(secret))
		if err != nil {
			t.Fatal(err)
		}
		if s.Alg() != AlgEdDSA {
			t.Errorf("alg = %s", s.Alg())
		}
		sig, _ := s.sign(nil)
		if hex.EncodeToString(sig) != rfc8032Sig {
			t.Errorf("signature = %x", sig)
		}
		tok, err := s.Token("GET", "api.coinbase.com", "/api/v3/brokerage/accounts?limit=250", time.Unix(1700000000, 0))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(tok, ".")
		raw, _ := base64.RawURLEncoding.DecodeString(parts[2])
		if !ed25519.Verify(ed25519.PublicKey(unhex(t, rfc8032Pub)), []byte(parts[0]+"."+parts[1]), raw) {
			t.Error("token does not verify with the RFC public key")
		}
	}
}

// RFC 7515 Appendix A.3: the ES256 example key. ES256 is randomized, so
// tokens are verified with the published public key (x, y) instead: this
// proves the raw r‖s form and the signing input.
const (
	rfc7515X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
	rfc7515Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
	rfc7515D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
)

func rfc7515Key(t *testing.T) *ecdsa.PrivateKey {
	d, _ := base64.RawURLEncoding.DecodeString(rfc7515D)
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func verifyES256(t *testing.T, token string, x, y []byte) bool {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		t.Fatalf("ES256 signature must be 64 raw bytes, got %d (%v)", len(sig), err)
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	return ecdsa.Verify(pub, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
}

func TestES256RoundTripRFC7515Key(t *testing.T) {
	k := rfc7515Key(t)
	x, _ := base64.RawURLEncoding.DecodeString(rfc7515X)
	y, _ := base64.RawURLEncoding.DecodeString(rfc7515Y)
	if pub, _ := k.PublicKey.Bytes(); !bytes.Equal(pub, append(append([]byte{4}, x...), y...)) {
		t.Fatal("the RFC 7515 d does not give its x, y")
	}
	der, _ := x509.MarshalECPrivateKey(k)
	for _, blk := range []*pem.Block{
		{Type: "EC PRIVATE KEY", Bytes: der},
		{Type: "PRIVATE KEY", Bytes: must(x509.MarshalPKCS8PrivateKey(k))},
	} {
		s, err := NewSigner("organizations/o/apiKeys/k", exchanges.NewSecret(string(pem.EncodeToMemory(blk))))
		if err != nil {
			t.Fatalf("%s: %v", blk.Type, err)
		}
		for range 20 { // randomized: a short r or s must still be padded to 32 bytes
			tok, err := s.Token("GET", "api.coinbase.com", "/api/v3/brokerage/key_permissions", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if !verifyES256(t, tok, x, y) {
				t.Fatalf("%s: token does not verify with the RFC 7515 public key", blk.Type)
			}
		}
	}
	// The published RFC 7515 A.3 JWS itself verifies with the same check.
	jws := "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
	if !verifyES256(t, jws, x, y) {
		t.Error("the RFC 7515 A.3 JWS does not verify: the verifier is wrong")
	}
}

// The token has exactly the header and claims of Coinbase's SDK.
func TestTokenShape(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(k)
	name := "organizations/1b4e28ba-2fa1-11d2-883f-0016d3cca427/apiKeys/2c5f39cb-3ab2-12e3-994a-1127e4ddb538"
	s, err := NewSigner(name, exchanges.NewSecret(string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1731424981, 500e6)
	tok, err := s.Token("GET", "127.0.0.1:8080", "/api/v3/brokerage/accounts?limit=250&cursor=x", now)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	var h map[string]string
	var c map[string]any
	_ = json.Unmarshal(must(base64.RawURLEncoding.DecodeString(parts[0])), &h)
	_ = json.Unmarshal(must(base64.RawURLEncoding.DecodeString(parts[1])), &c)
	if h["alg"] != "ES256" || h["kid"] != name || h["typ"] != "JWT" || len(h["nonce"]) != 32 {
		t.Errorf("header = %v", h)
	}
	if _, err := hex.DecodeString(h["nonce"]); err != nil {
		t.Errorf("nonce is not hex: %q", h["nonce"])
	}
	want := map[string]any{"sub": name, "iss": "cdp", "nbf": float64(1731424981), "exp": float64(1731425101),
		"uri": "GET 127.0.0.1:8080/api/v3/brokerage/accounts"}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("claim %s = %v, want %v", k, c[k], v)
		}
	}
	if len(c) != len(want) {
		t.Errorf("claims = %v", c)
	}
	tok2, _ := s.Token("GET", "127.0.0.1:8080", "/x", now)
	if strings.Split(tok2, ".")[0] == parts[0] {
		t.Error("two tokens share a nonce")
	}
}

func TestPrivateKeyChecks(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(k)
	good := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	// Corrupt one byte of the stored public key (the last 64 bytes).
	bad := append([]byte(nil), der...)
	bad[len(bad)-10] ^= 1
	damaged := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: bad}))
	other, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p384 := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: must(x509.MarshalECPrivateKey(other))}))
	seedPub := append(unhex(t, rfc8032Seed), unhex(t, rfc8032Pub)...)
	seedPub[40] ^= 1

	for _, tc := range []struct {
		name, secret string
		ok           bool
	}{
		{"sec1", good, true},
		{"sec1 with \\r\\n", strings.ReplaceAll(good, "\n", "\r\n"), true},
		{"sec1 damaged public part", damaged, false},
		{"p384", p384, false},
		{"ed25519 64", base64.StdEncoding.EncodeToString(append(unhex(t, rfc8032Seed), unhex(t, rfc8032Pub)...)), true},
		{"ed25519 damaged public half", base64.StdEncoding.EncodeToString(seedPub), false},
		{"ed25519 48 bytes", base64.StdEncoding.EncodeToString(make([]byte, 48)), false},
		{"not base64", "not-a-key!", false},
		{"empty", "", false},
	} {
		err := CheckPrivateKey(tc.secret)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && len(tc.secret) > 12 && strings.Contains(err.Error(), tc.secret[12:24]) {
			t.Errorf("%s: the error quotes the key", tc.name)
		}
	}
}

func TestURIDropsQuery(t *testing.T) {
	if got := URI("GET", "api.coinbase.com", "/api/v3/brokerage/accounts?limit=1"); got != "GET api.coinbase.com/api/v3/brokerage/accounts" {
		t.Errorf("URI = %q", got)
	}
}
