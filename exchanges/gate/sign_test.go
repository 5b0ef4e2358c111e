package gate

import (
	"crypto/sha512"
	"encoding/hex"
	"testing"
)

// Gate's two published examples (apiv4 "Authentication", key "key",
// secret "secret", Timestamp 1541993715) and the derived /account/detail
// vector of the reference (A.2).
func TestSignVectors(t *testing.T) {
	body := `{"contract":"BTC_USD","type":"limit","size":100,"price":6800,"time_in_force":"gtc"}`
	for _, tc := range []struct{ name, method, path, query, body, want string }{
		{"published GET", "GET", "/api/v4/futures/orders", "contract=BTC_USD&status=finished&limit=50", "",
			"55f84ea195d6fe57ce62464daaa7c3c02fa9d1dde954e4c898289c9a2407a3d6fb3faf24deff16790d726b66ac9f74526668b13bd01029199cc4fcc522418b8a"},
		{"published POST", "POST", "/api/v4/futures/orders", "", body,
			"eae42da914a590ddf727473aff25fc87d50b64783941061f47a3fdb92742541fc4c2c14017581b4199a1418d54471c269c03a38d788d802e2c306c37636389f0"},
		{"derived account detail", "GET", "/api/v4/account/detail", "", "",
			"2f71ce51979facb7ec0bf0880f7d7c940b04b7068498594b7598281fdc8807ccd758d65651413c0dbdcb722e788a30f67d1db9937d4fd747cdad33c49bfd0c81"},
	} {
		if got := Sign("secret", SignatureString(tc.method, tc.path, tc.query, tc.body, "1541993715")); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// The published body hash of the POST example, and the empty-body hash.
func TestBodyHashes(t *testing.T) {
	sum := sha512.Sum512([]byte(`{"contract":"BTC_USD","type":"limit","size":100,"price":6800,"time_in_force":"gtc"}`))
	if got := hex.EncodeToString(sum[:]); got != "ad3c169203dc3026558f01b4df307641fa1fa361f086b2306658886d5708767b1854797c68d9e62fef2f991645aa82673622ebf417e091d0bd22bafe5d956cca" {
		t.Errorf("body hash %s", got)
	}
	empty := sha512.Sum512(nil)
	if hex.EncodeToString(empty[:]) != emptyBodyHash {
		t.Error("empty body hash constant is wrong")
	}
}
