package coinbase

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
)

// A CDP key signs a fresh JWT for every request: the token names the
// method, host and path it is good for, and lives 120 s. Coinbase's own
// SDK (coinbase-advanced-py jwt_generator.py) builds it as:
//
//	header  {"alg":"ES256"|"EdDSA","kid":<key name>,"nonce":<random hex>,"typ":"JWT"}
//	claims  {"sub":<key name>,"iss":"cdp","nbf":now,"exp":now+120,
//	         "uri":"GET api.coinbase.com/api/v3/brokerage/accounts"}
//
// The uri carries no query string. ES256 signatures are the raw 64 bytes
// r‖s of JWS (RFC 7518 §3.4), not the DER form crypto/ecdsa produces.

// jwtLifetime is exp - nbf, as Coinbase's SDK sets it.
const jwtLifetime = 120 * time.Second

// The JWS algorithms of CDP keys.
const (
	AlgES256 = "ES256"
	AlgEdDSA = "EdDSA"
)

// Signer makes JWTs for one CDP key.
type Signer struct {
	name string
	alg  string
	sign func(signingInput []byte) ([]byte, error)
}

// NewSigner parses the private key of a CDP key: an EC P-256 key in PEM
// (SEC1 "EC PRIVATE KEY" or PKCS#8), or an Ed25519 key as base64 of 64
// bytes (seed‖public key) or of the 32-byte seed (a PKCS#8 Ed25519 PEM is
// accepted too). A key whose stored public half does not match its
// private half is refused: it was damaged while being copied.
func NewSigner(keyName string, secret exchanges.Secret) (*Signer, error) {
	key, err := parseKey(secret.Reveal())
	if err != nil {
		return nil, err
	}
	s := &Signer{name: keyName}
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		s.alg = AlgES256
		s.sign = func(in []byte) ([]byte, error) { return SignES256(k, in) }
	case ed25519.PrivateKey:
		s.alg = AlgEdDSA
		s.sign = func(in []byte) ([]byte, error) { return ed25519.Sign(k, in), nil }
	}
	return s, nil
}

// Alg is the JWS algorithm of the key: ES256 or EdDSA.
func (s *Signer) Alg() string { return s.alg }

// Token returns a JWT for one request. host is the API host as the
// request names it (the base URL's host, with its port if it has one);
// path excludes the query string.
func (s *Signer) Token(method, host, path string, now time.Time) (string, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	header, err := json.Marshal(map[string]string{
		"alg": s.alg, "kid": s.name, "nonce": hex.EncodeToString(nonce), "typ": "JWT",
	})
	if err != nil {
		return "", err
	}
	nbf := now.Unix()
	claims, err := json.Marshal(map[string]any{
		"sub": s.name, "iss": "cdp", "nbf": nbf, "exp": nbf + int64(jwtLifetime/time.Second),
		"uri": URI(method, host, path),
	})
	if err != nil {
		return "", err
	}
	input := b64(header) + "." + b64(claims)
	sig, err := s.sign([]byte(input))
	if err != nil {
		return "", err
	}
	return input + "." + b64(sig), nil
}

// URI is the JWT's uri claim: "GET api.coinbase.com/api/v3/brokerage/time".
func URI(method, host, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return method + " " + host + path
}

// SignES256 signs a JWS signing input with ES256: SHA-256, then ECDSA on
// P-256, the signature as r‖s, each 32 bytes big-endian.
func SignES256(k *ecdsa.PrivateKey, signingInput []byte) ([]byte, error) {
	h := sha256.Sum256(signingInput)
	r, s, err := ecdsa.Sign(rand.Reader, k, h[:])
	if err != nil {
		return nil, err
	}
	out := make([]byte, 64)
	r.FillBytes(out[:32])
	s.FillBytes(out[32:])
	return out, nil
}

// SignEdDSA signs a JWS signing input with the Ed25519 key of the given
// 32-byte seed (RFC 8037: the signature is the plain 64-byte Ed25519
// signature).
func SignEdDSA(seed, signingInput []byte) []byte {
	return ed25519.Sign(ed25519.NewKeyFromSeed(seed), signingInput)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// CheckPrivateKey reports what is wrong with a CDP private key, without
// ever quoting it.
func CheckPrivateKey(s string) error {
	_, err := parseKey(s)
	return err
}

// parseKey returns an *ecdsa.PrivateKey (P-256) or an ed25519.PrivateKey.
func parseKey(s string) (any, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("the private key is empty")
	}
	if exchanges.LooksLikePEM(s) {
		return parsePEMKey(s)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("the private key is neither a PEM block (-----BEGIN EC PRIVATE KEY-----) nor base64 (an Ed25519 key)")
	}
	switch len(raw) {
	case ed25519.SeedSize:
		return ed25519.NewKeyFromSeed(raw), nil
	case ed25519.PrivateKeySize:
		k := ed25519.NewKeyFromSeed(raw[:ed25519.SeedSize])
		if subtle.ConstantTimeCompare(k[ed25519.SeedSize:], raw[ed25519.SeedSize:]) != 1 {
			return nil, errors.New("the Ed25519 private key is damaged: its public half does not match its private half (copy it again whole)")
		}
		return k, nil
	}
	return nil, fmt.Errorf("an Ed25519 private key is base64 of 64 bytes (or of a 32-byte seed); this decodes to %d bytes", len(raw))
}

func parsePEMKey(s string) (any, error) {
	key, kind, err := exchanges.ParsePrivateKey(s)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		if err := checkEmbeddedPublic(s, k); err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("a %s key: Coinbase CDP keys are ECDSA (P-256) or Ed25519", kind)
}

// sec1Key is RFC 5915's ECPrivateKey, enough to read the optional public key.
type sec1Key struct {
	Version    int
	PrivateKey []byte
	Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// pkcs8Key is RFC 5208's PrivateKeyInfo.
type pkcs8Key struct {
	Version    int
	Algo       asn1.RawValue
	PrivateKey []byte
}

// checkEmbeddedPublic compares the public key stored beside an EC private
// key with the one its private scalar gives. crypto/x509 ignores the
// stored one, so a character mistyped in that part of the PEM would go
// unnoticed locally and make Coinbase answer a bare 401.
func checkEmbeddedPublic(s string, k *ecdsa.PrivateKey) error {
	blk, _ := pem.Decode([]byte(strings.TrimSpace(s)))
	if blk == nil {
		return nil
	}
	der := blk.Bytes
	if blk.Type == "PRIVATE KEY" {
		var p pkcs8Key
		if _, err := asn1.Unmarshal(der, &p); err != nil {
			return nil
		}
		der = p.PrivateKey
	}
	var e sec1Key
	if _, err := asn1.Unmarshal(der, &e); err != nil || len(e.PublicKey.Bytes) == 0 {
		return nil // no stored public key: nothing to compare
	}
	pub, err := k.PublicKey.Bytes()
	if err != nil {
		return nil
	}
	stored := e.PublicKey.RightAlign()
	if len(stored) == 33 && len(pub) == 65 && (stored[0] == 2 || stored[0] == 3) {
		// A compressed point: the X coordinate and the parity of Y.
		c := append([]byte{2 | pub[64]&1}, pub[1:33]...)
		pub = c
	}
	if subtle.ConstantTimeCompare(stored, pub) != 1 {
		return errors.New("the EC private key is damaged: the public key stored in it does not match its private part (copy the whole PEM again)")
	}
	return nil
}
