package deribit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Deribit signs with HMAC-SHA256 of the Client Secret in two places:
//
//   - public/auth with grant_type=client_signature, where the string to
//     sign is timestamp + "\n" + nonce + "\n" + data. This is what the
//     adapter uses: the secret never travels, and the answer carries the
//     key's scope.
//   - the per-request "deri-hmac-sha256" Authorization header, whose
//     string to sign also holds the request: timestamp + "\n" + nonce +
//     "\n" + METHOD + "\n" + URI + "\n" + body + "\n".
//
// Both are hex-encoded.

// SignClient is the signature of public/auth with grant_type
// client_signature: hex(HMAC-SHA256(secret, timestamp\nnonce\ndata)).
func SignClient(secret []byte, timestampMS int64, nonce, data string) string {
	return sign(secret, strconv.FormatInt(timestampMS, 10)+"\n"+nonce+"\n"+data)
}

// SignRequest is the signature of the deri-hmac-sha256 header scheme.
// uri is the path with its query exactly as sent ("/api/v2/private/...?a=b").
func SignRequest(secret []byte, timestampMS int64, nonce, method, uri, body string) string {
	data := method + "\n" + uri + "\n" + body + "\n"
	return sign(secret, strconv.FormatInt(timestampMS, 10)+"\n"+nonce+"\n"+data)
}

// AuthHeader is the Authorization header value of the deri-hmac-sha256
// scheme for one request.
func AuthHeader(clientID string, secret []byte, timestampMS int64, nonce, method, uri, body string) string {
	return "deri-hmac-sha256 id=" + clientID + ",ts=" + strconv.FormatInt(timestampMS, 10) +
		",sig=" + SignRequest(secret, timestampMS, nonce, method, uri, body) + ",nonce=" + nonce
}

func sign(secret []byte, s string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}
