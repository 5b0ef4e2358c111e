package kucoin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// keyVersion is sent as KC-API-KEY-VERSION. Version 2 and 3 keys sign the
// same way and both expect the HMAC'd passphrase; KuCoin's own current
// examples (docs "Signing a Message", Python and Go) and ccxt send "2",
// while the universal SDK sends "3". "2" is what most bots in the wild
// send, so a key that works for them works here. Version 1 keys (plain
// passphrase) were retired by KuCoin in May 2021.
const keyVersion = "2"

// Prehash is the string KuCoin signs: the timestamp in milliseconds, the
// upper-case method, the endpoint with its query string (not
// URL-encoded), and the exact body ("" for a GET).
func Prehash(timestamp, method, endpoint, body string) string {
	return timestamp + method + endpoint + body
}

// Sign is KC-API-SIGN: base64(HMAC-SHA256(secret, prehash)).
func Sign(secret, prehash string) string {
	return hmacBase64(secret, prehash)
}

// Passphrase is KC-API-PASSPHRASE for key version 2 and 3:
// base64(HMAC-SHA256(secret, passphrase)). The passphrase itself is never
// part of the prehash.
func Passphrase(secret, passphrase string) string {
	return hmacBase64(secret, passphrase)
}

func hmacBase64(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
