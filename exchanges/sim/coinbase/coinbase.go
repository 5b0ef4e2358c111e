// Package coinbase simulates Coinbase Advanced Trade (the v3 brokerage
// API) and the v2 routes ccxt calls by default, on one host, with CDP API
// keys (JWT bearer tokens).
//
// Every answer first passes maintenance and routing. Public routes (v2
// time, currencies and exchange rates; v3 time and the market/* product
// routes) need no token; every other route goes through auth (auth.go),
// which checks the token, the IP allowlist and the permission the route
// needs, each failure answered as Coinbase does. The market data are
// core's (BTC-USDT and ETH-USDT spot: Coinbase has no USDT-margined
// perpetual, so its future and perpetual product lists are empty); orders
// go through core's accounts.
//
// Maintenance (UNCONFIRMED: Coinbase documents no answer for it) is HTTP
// 503 with {"message": "..."} on every route, the shape the same
// company's Exchange API (GDAX) answered during its maintenance windows;
// clients read it as "the exchange is unavailable".
package coinbase

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// coinbase is the simulated exchange's handler.
type coinbase struct {
	st     *core.State
	routes map[string]route
}

func newCoinbase(st *core.State) core.Handler { return &coinbase{st: st, routes: coinbaseRoutes()} }

func randomUUID() string {
	h := core.RandomHex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// sampleCoinbase is an ECDSA CDP key: the key name and a SEC1 PEM private
// key, as the portal's JSON download holds them.
func sampleCoinbase() core.Key {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("sim: no randomness: " + err.Error())
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		panic("sim: " + err.Error())
	}
	return core.Key{
		Key:    "organizations/" + randomUUID() + "/apiKeys/" + randomUUID(),
		Secret: string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})),
	}
}

func (c *coinbase) text(w http.ResponseWriter, status int, msg string) {
	core.Refuse(w, strconv.Itoa(status))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}

// unauthorized is Coinbase's one answer to every token it does not
// accept: HTTP 401 and the bare text "Unauthorized".
func (c *coinbase) unauthorized(w http.ResponseWriter) {
	c.text(w, http.StatusUnauthorized, "Unauthorized")
}

// brokerageErr is the v3 error body: {"error","error_details","message"}.
func (c *coinbase) brokerageErr(w http.ResponseWriter, status int, code, msg string) {
	core.Refuse(w, code)
	core.WriteJSON(w, status, map[string]string{"error": code, "error_details": msg, "message": msg})
}

// v2Err is the v2 error body: {"errors":[{"id","message"}]}.
func (c *coinbase) v2Err(w http.ResponseWriter, status int, id, msg string) {
	core.Refuse(w, id)
	core.WriteJSON(w, status, map[string]any{"errors": []map[string]string{{"id": id, "message": msg}}})
}

func (c *coinbase) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	secs := int(math.Ceil(retryAfter.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("X-Ratelimit-Limit", "30")
	w.Header().Set("X-Ratelimit-Remaining", "0")
	w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(c.st.Now().Add(retryAfter).Unix(), 10))
	c.v2Err(w, http.StatusTooManyRequests, "rate_limit_exceeded", "Too many requests")
}

func (c *coinbase) ServerError(w http.ResponseWriter) {
	c.brokerageErr(w, http.StatusInternalServerError, "INTERNAL", "internal error")
}

// notFound answers an unknown route in the style of its API version.
func (c *coinbase) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/v2/") {
		c.v2Err(w, http.StatusNotFound, "not_found", "Not found")
		return
	}
	c.brokerageErr(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
}

// route is one served path: whether it is public, and the permission a
// private one needs ("" for none; "trade" is checked per market by the
// order handlers).
type route struct {
	public bool
	perm   string
	serve  func(c *coinbase, q call)
}

// call is one request being answered: the key is nil on public routes,
// id is the order or product id of a templated path.
type call struct {
	w  http.ResponseWriter
	r  *http.Request
	k  *core.Key
	id string
}

// coinbaseRoutes maps "METHOD path" to its route; paths with an id are
// matched by their prefix in match.
func coinbaseRoutes() map[string]route {
	return map[string]route{
		"GET /v2/time":                                  {public: true, serve: (*coinbase).v2Time},
		"GET /v2/currencies":                            {public: true, serve: (*coinbase).v2Fiat},
		"GET /v2/currencies/crypto":                     {public: true, serve: (*coinbase).v2Crypto},
		"GET /v2/exchange-rates":                        {public: true, serve: (*coinbase).v2Rates},
		"GET /v2/accounts":                              {perm: core.PermRead, serve: (*coinbase).v2Accounts},
		"GET /api/v3/brokerage/time":                    {public: true, serve: (*coinbase).v3Time},
		"GET /api/v3/brokerage/market/products":         {public: true, serve: (*coinbase).products},
		"GET /api/v3/brokerage/market/product_book":     {public: true, serve: (*coinbase).productBook},
		"GET /api/v3/brokerage/products":                {perm: core.PermRead, serve: (*coinbase).products},
		"GET /api/v3/brokerage/product_book":            {perm: core.PermRead, serve: (*coinbase).productBook},
		"GET /api/v3/brokerage/best_bid_ask":            {perm: core.PermRead, serve: (*coinbase).bestBidAsk},
		"GET /api/v3/brokerage/transaction_summary":     {perm: core.PermRead, serve: (*coinbase).transactionSummary},
		"GET /api/v3/brokerage/key_permissions":         {serve: (*coinbase).permissions},
		"GET /api/v3/brokerage/accounts":                {perm: core.PermRead, serve: (*coinbase).v3Accounts},
		"GET /api/v3/brokerage/cfm/balance_summary":     {perm: core.PermRead, serve: (*coinbase).futuresSummary},
		"GET /api/v3/brokerage/orders/historical/batch": {perm: core.PermRead, serve: (*coinbase).listOrders},
		"POST /api/v3/brokerage/orders":                 {serve: (*coinbase).createOrder},
		"POST /api/v3/brokerage/orders/batch_cancel":    {serve: (*coinbase).cancelOrders},
	}
}

// match finds the route of r, and the id a templated path carries.
func (c *coinbase) match(r *http.Request) (route, string, bool) {
	if rt, ok := c.routes[r.Method+" "+r.URL.Path]; ok {
		return rt, "", true
	}
	if r.Method != http.MethodGet {
		return route{}, "", false
	}
	p := r.URL.Path
	for _, t := range []struct {
		prefix, suffix string
		rt             route
	}{
		{"/api/v3/brokerage/market/products/", "/ticker", route{public: true, serve: (*coinbase).ticker}},
		{"/api/v3/brokerage/market/products/", "", route{public: true, serve: (*coinbase).product}},
		{"/api/v3/brokerage/products/", "/ticker", route{perm: core.PermRead, serve: (*coinbase).ticker}},
		{"/api/v3/brokerage/products/", "", route{perm: core.PermRead, serve: (*coinbase).product}},
		{"/api/v3/brokerage/orders/historical/", "", route{perm: core.PermRead, serve: (*coinbase).getOrder}},
	} {
		rest, ok := strings.CutPrefix(p, t.prefix)
		if !ok {
			continue
		}
		id, ok := strings.CutSuffix(rest, t.suffix)
		if ok && id != "" && !strings.Contains(id, "/") {
			return t.rt, id, true
		}
	}
	return route{}, "", false
}

func (c *coinbase) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.st.Maintenance() {
		core.Refuse(w, "503")
		core.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{
			"message": "Coinbase is currently under maintenance. For updates please see https://status.coinbase.com/"})
		return
	}
	rt, id, ok := c.match(r)
	if !ok {
		c.notFound(w, r)
		return
	}
	var k *core.Key
	if !rt.public {
		if k, ok = c.auth(w, r, rt.perm); !ok {
			return
		}
	}
	rt.serve(c, call{w: w, r: r, k: k, id: id})
}
