package bingx

import "testing"

// BingX's published example (docs-v3 "Signature Description") does not
// reproduce: its value 1e63e8cf… matches none of the orderings of its own
// parameters (reference Appendix A.4). The recomputed values are tested,
// together with the reference's derived vector (A.2).
func TestSignVectors(t *testing.T) {
	const secret = "mheO6dR8ovSsxZQCOYEFCtelpuxcWGTfHw7te326y6jOwq5WpvFQ9JNljoTwBXZGv5It07m9RXSPpDQEK2w"
	for _, tc := range []struct{ params, want string }{
		{"recvWindow=0&symbol=BTC-USDT&timestamp=1696751141337", "f8d883609dfd31c824feb4de865b071008dedb1d461451fa70847875c8e7a7a2"},
		{"timestamp=1696751141337", "b1206765e9bd1cc8ef850965fc5c1edce909192ac61a811e6616a9930b8bf64c"},
	} {
		if got := Sign(secret, tc.params); got != tc.want {
			t.Errorf("Sign(%q) = %s, want %s", tc.params, got, tc.want)
		}
	}
	if Sign(secret, "recvWindow=0&symbol=BTC-USDT&timestamp=1696751141337") == "1e63e8cfd1c04919881e60cf369e404b9b7c87d3a09bc300f1abfdcce7da57e8" {
		t.Error("the published (non-reproducible) value came out: the reference is wrong, recheck")
	}
}
