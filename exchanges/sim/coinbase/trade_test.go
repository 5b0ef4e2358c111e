package coinbase

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// cbRig is a simulator with one funded key and a caller that signs each
// request the way ccxt does (iss "coinbase-cloud", uri with the scheme).
type cbRig struct {
	t   *testing.T
	srv *httptest.Server
	k   core.Key
}

func newCBRig(t *testing.T, mutate func(*core.Key)) *cbRig {
	t.Helper()
	k := sampleCoinbase()
	k.Permissions = []string{core.PermRead, core.PermSpot}
	k.Balances = map[string]string{"USDT": "10000", "BTC": "0.5"}
	if mutate != nil {
		mutate(&k)
	}
	srv, key := cbServer(t, core.Scenario{Exchange: "coinbase", Keys: []core.Key{k}})
	return &cbRig{t: t, srv: srv, k: key}
}

// do sends method path (query allowed) with body, signed unless public.
func (r *cbRig) do(method, path, body string, signed bool) (int, map[string]any) {
	r.t.Helper()
	req, _ := http.NewRequest(method, r.srv.URL+path, strings.NewReader(body))
	if signed {
		now := time.Now().Unix()
		tok := cbToken(r.t, r.k.Secret, cbTokenOpts{alg: "ES256", kid: r.k.Key, sub: r.k.Key, iss: "coinbase-cloud",
			nbf: now, exp: now + 120, uri: method + " " + r.srv.URL + strings.SplitN(path, "?", 2)[0]})
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := r.srv.Client().Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		r.t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, v
}

func str(v any) string { s, _ := v.(string); return s }

func TestCoinbasePublicRoutesForCCXT(t *testing.T) {
	r := newCBRig(t, nil)
	if status, v := r.do("GET", "/v2/time", "", false); status != 200 || obj(v["data"])["epoch"] == nil {
		t.Errorf("/v2/time: %d %v", status, v)
	}
	if _, v := r.do("GET", "/v2/currencies/crypto", "", false); len(list(v["data"])) != 3 {
		t.Errorf("/v2/currencies/crypto: %v", v)
	}
	if _, v := r.do("GET", "/v2/exchange-rates?currency=BTC", "", false); str(obj(obj(v["data"])["rates"])["USDT"]) != "60000" {
		t.Errorf("exchange rates from BTC: %v", v)
	}
	_, v := r.do("GET", "/api/v3/brokerage/market/products", "", false)
	if n := len(list(v["products"])); n != 2 {
		t.Fatalf("spot products: %d", n)
	}
	p := first(v["products"])
	if p["product_id"] != "BTC-USDT" || p["base_increment"] != "0.00001" || p["quote_min_size"] != "5" {
		t.Errorf("BTC-USDT product: %v", p)
	}
	if _, v := r.do("GET", "/api/v3/brokerage/market/products?product_type=FUTURE&contract_expiry_type=PERPETUAL", "", false); len(list(v["products"])) != 0 {
		t.Errorf("Coinbase has no USDT perpetual, got %v", v)
	}
	if _, v := r.do("GET", "/api/v3/brokerage/market/products/BTC-USDT/ticker?limit=1", "", false); v["best_bid"] != "59999.99" || v["best_ask"] != "60000.01" {
		t.Errorf("ticker: %v", v)
	}
	if _, v := r.do("GET", "/api/v3/brokerage/market/product_book?product_id=ETH-USDT&limit=3", "", false); len(list(obj(v["pricebook"])["bids"])) != 3 {
		t.Errorf("book: %v", v)
	}
	if status, v := r.do("GET", "/v2/nothing", "", false); status != 404 || v["errors"] == nil {
		t.Errorf("unknown v2 path: %d %v", status, v)
	}
}

func TestCoinbaseOrderLifecycle(t *testing.T) {
	r := newCBRig(t, nil)
	limit := `{"client_order_id":"c1","product_id":"BTC-USDT","side":"BUY","order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"30000.00","post_only":false}}}`
	status, v := r.do("POST", "/api/v3/brokerage/orders", limit, true)
	if status != 200 || v["success"] != true {
		t.Fatalf("create: %d %v", status, v)
	}
	id := str(obj(v["success_response"])["order_id"])
	if _, again := r.do("POST", "/api/v3/brokerage/orders", limit, true); str(again["order_id"]) != id {
		t.Errorf("a reused client_order_id made another order: %v", again)
	}
	_, v = r.do("GET", "/api/v3/brokerage/orders/historical/"+id, "", true)
	o := obj(v["order"])
	if o["status"] != "OPEN" || obj(obj(o["order_configuration"])["limit_limit_gtc"])["limit_price"] != "30000.00" {
		t.Errorf("fetched: %v", o)
	}
	_, v = r.do("GET", "/api/v3/brokerage/accounts", "", true)
	for _, a := range list(v["accounts"]) {
		if a := obj(a); a["currency"] == "USDT" && str(obj(a["hold"])["value"]) != "30" {
			t.Errorf("USDT hold after a 30 USDT order: %v", a)
		}
	}
	if _, v := r.do("GET", "/api/v3/brokerage/orders/historical/batch?order_status=OPEN&product_id=BTC-USDT", "", true); len(list(v["orders"])) != 1 {
		t.Errorf("open orders: %v", v)
	}
	_, v = r.do("POST", "/api/v3/brokerage/orders/batch_cancel", `{"order_ids":["`+id+`","nope"]}`, true)
	res := list(v["results"])
	if len(res) != 2 || obj(res[0])["success"] != true || obj(res[1])["failure_reason"] != "UNKNOWN_CANCEL_ORDER" {
		t.Errorf("cancel: %v", v)
	}
	if _, v := r.do("GET", "/api/v3/brokerage/orders/historical/"+id, "", true); obj(v["order"])["status"] != "CANCELLED" {
		t.Errorf("after cancel: %v", v)
	}
	// A market buy by quote size fills at the ask and moves the balances.
	market := `{"client_order_id":"m1","product_id":"BTC-USDT","side":"BUY","order_configuration":{"market_market_ioc":{"quote_size":"600.0001"}}}`
	if _, v := r.do("POST", "/api/v3/brokerage/orders", market, true); v["success"] != true {
		t.Fatalf("market buy: %v", v)
	}
	_, v = r.do("GET", "/v2/accounts?limit=250", "", true)
	got := map[string]string{}
	for _, a := range list(v["data"]) {
		bal := obj(obj(a)["balance"])
		got[str(bal["currency"])] = str(bal["amount"])
	}
	if got["BTC"] != "0.51" || got["USDT"] != "9399.9999" {
		t.Errorf("v2 balances after buying 0.01 BTC at 60000.01: %v", got)
	}
}

func TestCoinbaseOrderRefusals(t *testing.T) {
	r := newCBRig(t, func(k *core.Key) { k.Balances = map[string]string{"USDT": "10"} })
	body := func(cfg string) string {
		return `{"client_order_id":"x","product_id":"BTC-USDT","side":"BUY","order_configuration":` + cfg + `}`
	}
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
	}{
		{"insufficient", body(`{"limit_limit_gtc":{"base_size":"0.001","limit_price":"30000"}}`), 200, "INSUFFICIENT_FUND"},
		{"price off the tick", body(`{"limit_limit_gtc":{"base_size":"0.0001","limit_price":"30000.001"}}`), 200, "INVALID_PRICE_PRECISION"},
		{"stop orders are not simulated", body(`{"stop_limit_stop_limit_gtc":{"base_size":"0.001"}}`), 200, "UNSUPPORTED_ORDER_CONFIGURATION"},
		{"unknown product", `{"product_id":"DOGE-USD","side":"BUY","order_configuration":{}}`, 400, "INVALID_ARGUMENT"},
		{"not JSON", `{`, 400, "INVALID_ARGUMENT"},
	} {
		status, v := r.do("POST", "/api/v3/brokerage/orders", tc.body, true)
		code := str(v["error"])
		if er := obj(v["error_response"]); er != nil {
			code = str(er["error"])
		}
		if status != tc.status || code != tc.code {
			t.Errorf("%s: %d %v, want %d %s", tc.name, status, v, tc.status, tc.code)
		}
	}
	ro := newCBRig(t, func(k *core.Key) { k.Permissions = []string{core.PermRead} })
	if status, v := ro.do("POST", "/api/v3/brokerage/orders", body(`{"limit_limit_gtc":{"base_size":"0.001","limit_price":"30000"}}`), true); status != 403 || v["error"] != "PERMISSION_DENIED" {
		t.Errorf("read-only key: %d %v", status, v)
	}
	if status, v := ro.do("GET", "/v2/accounts", "", true); status != 200 || v["data"] == nil {
		t.Errorf("read-only key reads v2 accounts: %d %v", status, v)
	}
	noRead := newCBRig(t, func(k *core.Key) { k.Permissions = []string{core.PermSpot} })
	if status, v := noRead.do("GET", "/v2/accounts", "", true); status != 403 || str(first(v["errors"])["id"]) != "invalid_scope" {
		t.Errorf("v2 without view: %d %v", status, v)
	}
}

// The exchange holds the public key a SEC1 PEM carries: a scenario whose
// embedded public key differs stands for another key, and refuses the
// client's token.
func TestCoinbaseSEC1EmbeddedPublicKey(t *testing.T) {
	a, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	b, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(a)
	derB, _ := x509.MarshalECPrivateKey(b)
	// Splice b's public key into a's private key: the tail of the DER.
	spliced := append(append([]byte{}, der[:len(der)-65]...), derB[len(derB)-65:]...)
	secretA := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	pub, _, err := cbPublicKey(string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: spliced})))
	if err != nil || !pub.(*ecdsa.PublicKey).Equal(&b.PublicKey) {
		t.Fatalf("the embedded public key is not the one held: %v", err)
	}
	if pub, _, _ := cbPublicKey(secretA); !pub.(*ecdsa.PublicKey).Equal(&a.PublicKey) {
		t.Error("a plain SEC1 key does not give its own public key")
	}
	bad := append([]byte{}, der...)
	bad[len(bad)-1] ^= 0xff // no longer a point on the curve
	if _, _, err := cbPublicKey(string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: bad}))); err == nil {
		t.Error("a public key off the curve was accepted")
	}
}

// ccxt's EdDSA tokens carry "uris" instead of "uri".
func TestCoinbaseURIsClaim(t *testing.T) {
	r := httptest.NewRequest("GET", "http://127.0.0.1:8080/api/v3/brokerage/accounts?limit=250", nil)
	for _, tc := range []struct {
		uri  string
		uris []string
		want bool
	}{
		{"", []string{"GET 127.0.0.1:8080/api/v3/brokerage/accounts"}, true},
		{"", []string{"GET other/x", "GET http://127.0.0.1:8080/api/v3/brokerage/accounts"}, true},
		{"", []string{"GET 127.0.0.1:8080/api/v3/brokerage/orders"}, false},
		{"", nil, false},
		{"GET https://127.0.0.1:8080/api/v3/brokerage/accounts", nil, true},
		{"GET ftp://127.0.0.1:8080/api/v3/brokerage/accounts", nil, false},
	} {
		if got := uriMatches(tc.uri, tc.uris, r); got != tc.want {
			t.Errorf("uri %q uris %q: %v, want %v", tc.uri, tc.uris, got, tc.want)
		}
	}
	remote := httptest.NewRequest("GET", "http://api.coinbase.com/api/v3/brokerage/accounts", nil)
	if uriMatches("GET http://api.coinbase.com/api/v3/brokerage/accounts", nil, remote) {
		t.Error("a scheme was accepted for a host that is not loopback")
	}
}

func list(v any) []any         { l, _ := v.([]any); return l }
func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// first is a list's first object, nil when there is none.
func first(v any) map[string]any {
	if l := list(v); len(l) > 0 {
		return obj(l[0])
	}
	return nil
}
