package bitget

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// Prehash is the string Bitget signs: timestamp (milliseconds) + METHOD +
// requestPath, then "?" + queryString when there is a query, then the
// body. The query is signed exactly as it is sent.
func Prehash(timestamp, method, requestPath, query, body string) string {
	s := timestamp + method + requestPath
	if query != "" {
		s += "?" + query
	}
	return s + body
}

// Sign is Bitget's ACCESS-SIGN for an HMAC key: base64 of
// HMAC-SHA256(secret, prehash). The passphrase is not signed: it travels
// as a header of its own.
func Sign(secret []byte, prehash string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(prehash))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
