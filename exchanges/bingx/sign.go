package bingx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Sign is BingX's signature: HMAC-SHA256 of the parameter string exactly
// as it is sent ("k=v" pairs joined by "&", in the order sent, without
// the signature), in lowercase hex. It is appended as &signature=<hex>.
func Sign(secret, params string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(params))
	return hex.EncodeToString(m.Sum(nil))
}
