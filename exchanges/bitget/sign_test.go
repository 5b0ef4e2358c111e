package bitget

import "testing"

// Bitget publishes pre-hash examples but no secret and signature; the
// signature is the reference's derived vector (A.2), which ccxt and an
// independent implementation agree on.
func TestSignDerivedVector(t *testing.T) {
	pre := Prehash("1659076670000", "GET", "/api/v2/spot/account/assets", "coin=USDT", "")
	if pre != "1659076670000GET/api/v2/spot/account/assets?coin=USDT" {
		t.Fatalf("prehash %q", pre)
	}
	if got, want := Sign([]byte("secret"), pre), "wgkMk4GuE/+mQZQLnIXrjGwkKw2SdT0LVC2S9uWUdgc="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

// The docs' published pre-hash examples (api-doc common/signature: the
// English page, and the Chinese page, which sorts the query by key).
func TestPrehashPublishedExamples(t *testing.T) {
	for _, q := range []string{"symbol=BTCUSDT&limit=20", "limit=20&symbol=BTCUSDT"} {
		want := "16273667805456GET/api/mix/v2/market/depth?" + q
		if got := Prehash("16273667805456", "GET", "/api/mix/v2/market/depth", q, ""); got != want {
			t.Errorf("Prehash = %q, want %q", got, want)
		}
	}
	if got := Prehash("16273667805456", "GET", "/api/v2/spot/account/info", "", ""); got != "16273667805456GET/api/v2/spot/account/info" {
		t.Errorf("no query: %q (no \"?\" without a query)", got)
	}
}
