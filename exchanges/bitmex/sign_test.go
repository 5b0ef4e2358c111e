package bitmex

import "testing"

// BitMEX's three published examples (bitmex.com/app/apiKeysUsage, "Full
// sample calculation"), reproduced by the reference (Appendix A.1).
func TestSignPublishedVectors(t *testing.T) {
	secret := []byte("chNOOS4KvNXR_Xq4k4c9qsfoKWvnDecLATCRlcBwyKDYnWgO")
	for _, tc := range []struct {
		verb, path string
		expires    int64
		body, want string
	}{
		{"GET", "/api/v1/instrument", 1518064236, "", "c7682d435d0cfe87c16098df34ef2eb5a549d4c5a3c2b1f0f77b8af73423bf00"},
		{"GET", "/api/v1/instrument?filter=%7B%22symbol%22%3A+%22XBTM15%22%7D", 1518064237, "",
			"e2f422547eecb5b3cb29ade2127e21b858b235b386bfa45e1c1756eb3383919f"},
		{"POST", "/api/v1/order", 1518064238, `{"symbol":"XBTM15","price":219.0,"clOrdID":"mm_bitmex_1a/oemUeQ4CAJZgP3fjHsA","orderQty":98}`,
			"1749cd2ccae4aa49048ae09f0b95110cee706e0944e6a14ad0b3a8cb45bd336b"},
	} {
		if got := Sign(secret, tc.verb, tc.path, tc.expires, tc.body); got != tc.want {
			t.Errorf("Sign(%s %s) = %s, want %s", tc.verb, tc.path, got, tc.want)
		}
	}
}
