package kraken

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
)

// Sign is Kraken's API-Sign header for one private request:
//
//	base64(HMAC-SHA512(base64decode(secret), path + SHA256(nonce + postData)))
//
// path is the URI path starting with /0/private/, nonce the decimal nonce
// exactly as it appears in the body, postData the exact body sent. secret
// is the Private Key as shown by Kraken (standard base64).
func Sign(secret, path, nonce, postData string) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return SignRaw(key, path, nonce, postData), nil
}

// decodeSecret decodes the Private Key. Its error never quotes the value.
func decodeSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil || len(key) == 0 {
		return nil, errors.New("the Private Key is not standard base64 (it should be 88 characters ending in ==)")
	}
	return key, nil
}

// SignRaw is Sign with the Private Key already decoded.
func SignRaw(key []byte, path, nonce, postData string) string {
	inner := sha256.Sum256([]byte(nonce + postData))
	m := hmac.New(sha512.New, key)
	m.Write([]byte(path))
	m.Write(inner[:])
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
