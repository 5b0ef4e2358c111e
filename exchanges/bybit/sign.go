package bybit

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"

	"github.com/keywarden/keywarden/exchanges"
)

// PreHash is the string Bybit v5 signs: timestamp + API key + recv window
// + payload, where payload is the query string exactly as sent (without
// "?") for a GET, or the JSON body for a POST.
func PreHash(timestamp, apiKey, recvWindow, payload string) string {
	return timestamp + apiKey + recvWindow + payload
}

// SignHMAC is Bybit's signature for system-generated keys: HMAC-SHA256 of
// the pre-hash string, in lowercase hex.
func SignHMAC(secret, preHash string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(preHash))
	return hex.EncodeToString(m.Sum(nil))
}

// SignRSA is Bybit's signature for self-generated (RSA) keys: RSA-SHA256
// (PKCS #1 v1.5) of the pre-hash string, in standard base64. It is sent
// as-is in the X-BAPI-SIGN header.
func SignRSA(key *rsa.PrivateKey, preHash string) (string, error) {
	h := sha256.Sum256([]byte(preHash))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// signer signs a pre-hash string.
type signer func(preHash string) (string, error)

// newSigner picks the scheme from the secret, as Bybit's own SDKs do: a
// PEM private key means a self-generated RSA key, anything else is the
// API secret of a system-generated key.
func newSigner(secret exchanges.Secret) (signer, error) {
	s := secret.Reveal()
	if !exchanges.LooksLikePEM(s) {
		return func(p string) (string, error) { return SignHMAC(s, p), nil }, nil
	}
	k, _, err := exchanges.ParsePrivateKey(s)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("bybit self-generated keys are RSA keys; this private key is not RSA")
	}
	return func(p string) (string, error) { return SignRSA(rk, p) }, nil
}
