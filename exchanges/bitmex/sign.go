package bitmex

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Sign is BitMEX's request signature:
// hex(HMAC-SHA256(secret, verb + path + expires + body)), where path is
// the URL path from /api/v1 on with its query exactly as sent, expires
// the api-expires header (Unix seconds) and body the raw request body
// ("" for GET).
func Sign(secret []byte, verb, path string, expires int64, body string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(verb + path + strconv.FormatInt(expires, 10) + body))
	return hex.EncodeToString(m.Sum(nil))
}
