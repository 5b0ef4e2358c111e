package binance

import (
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"

	"github.com/keywarden/keywarden/exchanges"
)

// signer signs a Binance payload (query string + body, exactly as sent).
type signer func(payload string) (string, error)

// newSigner picks the scheme from the secret: a PEM private key is Ed25519
// or RSA (signature base64, then percent-encoded into the query), anything
// else is an HMAC secret (signature hex).
func newSigner(secret exchanges.Secret) (signer, error) {
	s := secret.Reveal()
	if !exchanges.LooksLikePEM(s) {
		key := []byte(s)
		return func(payload string) (string, error) {
			return SignHMAC(key, payload), nil
		}, nil
	}
	k, _, err := exchanges.ParsePrivateKey(s)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	switch k := k.(type) {
	case ed25519.PrivateKey:
		return func(payload string) (string, error) {
			return url.QueryEscape(base64.StdEncoding.EncodeToString(ed25519.Sign(k, []byte(payload)))), nil
		}, nil
	case *rsa.PrivateKey:
		return func(payload string) (string, error) {
			h := sha256.Sum256([]byte(payload))
			sig, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, h[:])
			if err != nil {
				return "", err
			}
			return url.QueryEscape(base64.StdEncoding.EncodeToString(sig)), nil
		}, nil
	}
	return nil, fmt.Errorf("private key: Binance accepts Ed25519 and RSA keys only")
}

// SignHMAC is Binance's HMAC-SHA256 signature of payload, in hex.
func SignHMAC(secret []byte, payload string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}
