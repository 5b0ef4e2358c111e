package gate

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/hex"
)

// emptyBodyHash is hex(SHA-512("")), the body hash of every GET.
const emptyBodyHash = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"

// SignatureString is what Gate signs: five lines joined by "\n" — the
// upper-case method, the request path including /api/v4, the query string
// as sent (not URL-encoded, "" if none), hex(SHA-512(body)) and the
// Timestamp header (unix seconds).
func SignatureString(method, path, query, body, timestamp string) string {
	h := emptyBodyHash
	if body != "" {
		sum := sha512.Sum512([]byte(body))
		h = hex.EncodeToString(sum[:])
	}
	return method + "\n" + path + "\n" + query + "\n" + h + "\n" + timestamp
}

// Sign is the SIGN header: hex(HMAC-SHA512(secret, signatureString)).
func Sign(secret, signatureString string) string {
	m := hmac.New(sha512.New, []byte(secret))
	m.Write([]byte(signatureString))
	return hex.EncodeToString(m.Sum(nil))
}
