package kraken

import "testing"

// docSecret is the Private Key of Kraken's published example
// (docs.kraken.com/api/docs/guides/spot-rest-auth, "Examples").
const docSecret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="

// The published vector (reference A.1) and the derived Balance vector
// (reference A.2: ccxt sign() with a frozen clock and an independent
// Python implementation agree).
func TestSignVectors(t *testing.T) {
	for _, tc := range []struct{ name, path, nonce, body, want string }{
		{"published AddOrder example", "/0/private/AddOrder", "1616492376594",
			"nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
			"4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="},
		{"derived Balance vector", "/0/private/Balance", "1616492376594", "nonce=1616492376594",
			"1nH4vwR+8FHiYh1QT649xXkGd3JR3x0DWkgv3u9Ed/Qqv6KPtgQpEU4m+Emb/VgpEji3j1XNwI+HCbfXxmrTOg=="},
	} {
		got, err := Sign(docSecret, tc.path, tc.nonce, tc.body)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: Sign = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSignRejectsNonBase64Secret(t *testing.T) {
	for _, s := range []string{"", "not base64!", "kQH5HW-8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="} {
		if _, err := Sign(s, "/0/private/Balance", "1", "nonce=1"); err == nil {
			t.Errorf("Sign accepted a secret that is not standard base64 (%d chars)", len(s))
		}
	}
}
