package coinbase

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Order bodies are outside bytes: whatever a client sends, signed, the
// simulator answers Coinbase's JSON with a 2xx or 4xx status, and never
// lets a balance go negative.
func FuzzCoinbaseOrderBody(f *testing.F) {
	for _, s := range []string{
		`{"client_order_id":"a","product_id":"BTC-USDT","side":"BUY","order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"30000"}}}`,
		`{"product_id":"ETH-USDT","side":"SELL","order_configuration":{"market_market_ioc":{"base_size":"1"}}}`,
		`{"product_id":"BTC-USDT","side":"BUY","order_configuration":{"market_market_ioc":{"quote_size":"1e9"}}}`,
		`{"product_id":"BTC-USDT","side":"BUY","order_configuration":{"sor_limit_ioc":{"base_size":"-1","limit_price":"NaN"}}}`,
		`{"order_ids":["x"]}`, `[]`, `null`, ``,
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	k := sampleCoinbase()
	k.Permissions = []string{core.PermRead, core.PermSpot}
	k.Balances = map[string]string{"USDT": "100", "BTC": "0.01"}
	s, err := newSim(core.Scenario{Exchange: "coinbase", Keys: []core.Key{k}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string, cancel bool) {
		path := "/api/v3/brokerage/orders"
		if cancel {
			path += "/batch_cancel"
		}
		now := time.Now().Unix()
		tok := cbToken(t, k.Secret, cbTokenOpts{alg: "ES256", kid: k.Key, sub: k.Key, iss: "cdp", nbf: now, exp: now + 120, uri: "POST example.com" + path})
		r := httptest.NewRequest(http.MethodPost, "http://example.com"+path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code >= 500 || !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%q: %d %s", body, w.Code, w.Body)
		}
		for _, b := range s.State().Accounts().Balances(&k, core.Spot) {
			if strings.HasPrefix(b.Free, "-") || strings.HasPrefix(b.Total, "-") {
				t.Fatalf("%q: negative balance %+v", body, b)
			}
		}
	})
}

// Tokens are outside bytes too: parsing never panics, and a token that
// does not parse is refused.
func FuzzCoinbaseJWT(f *testing.F) {
	for _, s := range []string{"", "a.b.c", "eyJhbGciOiJFUzI1NiJ9.e30.AA", strings.Repeat("A", 9000), "eyJhbGciOiJFZERTQSIsImtpZCI6IngifQ.eyJ1cmlzIjpbMV19.AA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		j, err := parseCBJWT(tok)
		if err == nil && (j.header.Kid == "" || (j.header.Alg != "ES256" && j.header.Alg != "EdDSA")) {
			t.Fatalf("%q parsed with header %+v", tok, j.header)
		}
	})
}
