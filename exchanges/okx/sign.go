package okx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// timestampLayout is OKX's OK-ACCESS-TIMESTAMP: ISO 8601 in UTC with
// milliseconds, e.g. 2020-12-08T09:08:57.715Z.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// Timestamp formats t as OKX wants it in OK-ACCESS-TIMESTAMP.
func Timestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// Sign is OKX's OK-ACCESS-SIGN: base64 of HMAC-SHA256(secret, timestamp +
// METHOD + requestPath + body). A GET's query string is part of
// requestPath ("/api/v5/account/balance?ccy=BTC") and its body is empty.
// The passphrase is not signed: it travels as a header of its own.
func Sign(secret []byte, timestamp, method, requestPath, body string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp + method + requestPath + body))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
