// Package gate simulates Gate API v4: every path under /api/v4 on one
// host — the spot time, currencies and pairs, USDT-settled perpetual
// contracts, tickers and books (market.go), the account detail and key
// list (keys.go), spot and futures accounts and orders (spot.go,
// futures.go). Keys of another environment are unknown, as on Gate, whose
// TestNet keys are separate.
//
// A signed request is checked in this order, each failure answered with
// Gate's label, message and HTTP status:
//
//  1. KEY, Timestamp and SIGN present (MISSING_REQUIRED_HEADER, 400);
//  2. Timestamp (unix seconds) within 60 s of the exchange's clock
//     (REQUEST_EXPIRED, 403) — checked before the key, as observed on Gate;
//  3. the key is known in this environment (INVALID_KEY, 401);
//  4. SIGN = hex(HMAC-SHA512(secret, METHOD\npath\nquery\nhex(SHA-512(body))\nTimestamp)),
//     the path including /api/v4 and the query not URL-encoded
//     (INVALID_SIGNATURE, 401);
//  5. the key's IP whitelist (IP_FORBIDDEN, 403, naming the client IP);
//  6. the permission group the endpoint needs: absent (FORBIDDEN, 403),
//     or read-only where the endpoint writes (READ_ONLY, 403).
//
// Maintenance: Gate has no status endpoint; every endpoint answers HTTP
// 503 TOO_BUSY while it lasts (the body is an assumption).
package gate

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/hex"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type gate struct {
	st     *core.State
	routes map[string]route
}

func newGate(st *core.State) core.Handler { return &gate{st: st, routes: gateRoutes()} }

func sampleGate() core.Key {
	return core.Key{Key: core.RandomHex(32), Secret: core.RandomHex(64)}
}

// gateWindow is Gate's timestamp tolerance in seconds.
const gateWindow = 60

// gateUser is the simulated account's user id.
const gateUser = 1667201533

type gateErr struct {
	status int
	label  string
	msg    string
}

var (
	gtExpired  = gateErr{http.StatusForbidden, "REQUEST_EXPIRED", "gap between request Timestamp and server time exceeds 60"}
	gtNoKey    = gateErr{http.StatusUnauthorized, "INVALID_KEY", "Invalid key provided"}
	gtSign     = gateErr{http.StatusUnauthorized, "INVALID_SIGNATURE", "Signature mismatch"}
	gtNotFound = gateErr{http.StatusNotFound, "NOT_FOUND", "Not found"}
	gtBusy     = gateErr{http.StatusServiceUnavailable, "TOO_BUSY", "Server is too busy, please try again later"}
)

func badParam(msg string) gateErr {
	return gateErr{http.StatusBadRequest, "INVALID_PARAM_VALUE", msg}
}

func (h *gate) fail(w http.ResponseWriter, e gateErr) {
	core.Refuse(w, e.label)
	core.WriteJSON(w, e.status, map[string]string{"label": e.label, "message": e.msg})
}

// RateLimited answers HTTP 429 TOO_MANY_REQUESTS with Gate's rate-limit
// headers; X-Gate-RateLimit-Reset-Timestamp is when the limit resets, in
// milliseconds of the exchange's clock. Gate sends no Retry-After.
func (h *gate) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	w.Header().Set("X-Gate-RateLimit-Limit", "200")
	w.Header().Set("X-Gate-RateLimit-Requests-Remain", "0")
	w.Header().Set("X-Gate-RateLimit-Reset-Timestamp", strconv.FormatInt(h.st.Now().Add(retryAfter).UnixMilli(), 10))
	h.fail(w, gateErr{http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Request Rate limit Exceeded"})
}

func (h *gate) ServerError(w http.ResponseWriter) {
	h.fail(w, gateErr{http.StatusInternalServerError, "SERVER_ERROR", "Internal server error"})
}

// call is one request being answered; k is nil on public routes, id is
// the order id of a templated path.
type call struct {
	w  http.ResponseWriter
	r  *http.Request
	k  *core.Key
	id string
	// body is the request's body, read (bounded) by auth.
	body []byte
}

// route is a served path: the permission group a private one needs, and
// whether it writes.
type route struct {
	group string // "" for public
	write bool
	serve func(h *gate, c *call)
}

func gateRoutes() map[string]route {
	return map[string]route{
		"GET /api/v4/spot/time":                   {serve: (*gate).time},
		"GET /api/v4/spot/currencies":             {serve: (*gate).currencies},
		"GET /api/v4/spot/currency_pairs":         {serve: (*gate).currencyPairs},
		"GET /api/v4/margin/currency_pairs":       {serve: (*gate).emptyList},
		"GET /api/v4/spot/tickers":                {serve: (*gate).spotTickers},
		"GET /api/v4/spot/order_book":             {serve: (*gate).spotBook},
		"GET /api/v4/futures/usdt/contracts":      {serve: (*gate).contracts},
		"GET /api/v4/futures/btc/contracts":       {serve: (*gate).emptyList},
		"GET /api/v4/delivery/usdt/contracts":     {serve: (*gate).emptyList},
		"GET /api/v4/delivery/btc/contracts":      {serve: (*gate).emptyList},
		"GET /api/v4/options/underlyings":         {serve: (*gate).emptyList},
		"GET /api/v4/futures/usdt/tickers":        {serve: (*gate).futuresTickers},
		"GET /api/v4/futures/usdt/order_book":     {serve: (*gate).futuresBook},
		"GET /api/v4/account/detail":              {group: "account", serve: (*gate).detail},
		"GET /api/v4/account/main_keys":           {group: "account", serve: (*gate).mainKeys},
		"GET /api/v4/spot/accounts":               {group: "spot", serve: (*gate).spotAccounts},
		"GET /api/v4/spot/open_orders":            {group: "spot", serve: (*gate).spotOpenOrders},
		"GET /api/v4/spot/orders":                 {group: "spot", serve: (*gate).spotOrders},
		"POST /api/v4/spot/orders":                {group: "spot", write: true, serve: (*gate).spotCreate},
		"GET /api/v4/futures/usdt/accounts":       {group: "futures", serve: (*gate).futuresAccount},
		"GET /api/v4/futures/usdt/orders":         {group: "futures", serve: (*gate).futuresOrders},
		"POST /api/v4/futures/usdt/orders":        {group: "futures", write: true, serve: (*gate).futuresCreate},
		"GET /api/v4/futures/usdt/positions":      {group: "futures", serve: (*gate).positions},
		"GET /api/v4/spot/orders/{id}":            {group: "spot", serve: (*gate).spotGet},
		"DELETE /api/v4/spot/orders/{id}":         {group: "spot", write: true, serve: (*gate).spotCancel},
		"GET /api/v4/futures/usdt/orders/{id}":    {group: "futures", serve: (*gate).futuresGet},
		"DELETE /api/v4/futures/usdt/orders/{id}": {group: "futures", write: true, serve: (*gate).futuresCancel},
	}
}

// match finds r's route and the order id of a templated path.
func (h *gate) match(r *http.Request) (route, string, bool) {
	if rt, ok := h.routes[r.Method+" "+r.URL.Path]; ok {
		return rt, "", true
	}
	for _, prefix := range []string{"/api/v4/spot/orders/", "/api/v4/futures/usdt/orders/"} {
		id, ok := strings.CutPrefix(r.URL.Path, prefix)
		if ok && id != "" && !strings.Contains(id, "/") {
			rt, ok := h.routes[r.Method+" "+prefix+"{id}"]
			return rt, id, ok
		}
	}
	return route{}, "", false
}

func (h *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.st.Maintenance() {
		h.fail(w, gtBusy)
		return
	}
	rt, id, ok := h.match(r)
	if !ok {
		h.fail(w, gtNotFound)
		return
	}
	c := &call{w: w, r: r, id: id}
	if rt.group != "" {
		if !h.auth(c, rt.group, rt.write) {
			return
		}
	}
	rt.serve(h, c)
}

// auth checks a signed request as Gate does (see the package comment);
// group is the permission group the endpoint uses.
func (h *gate) auth(c *call, group string, write bool) bool {
	w, r := c.w, c.r
	for _, name := range []string{"KEY", "Timestamp", "SIGN"} {
		if r.Header.Get(name) == "" {
			h.fail(w, gateErr{http.StatusBadRequest, "MISSING_REQUIRED_HEADER", "Missing required header: " + name})
			return false
		}
	}
	sc := h.st.Scenario()
	tsText := r.Header.Get("Timestamp")
	ts, err := strconv.ParseFloat(tsText, 64)
	if err != nil || math.IsNaN(ts) {
		h.fail(w, gtExpired)
		return false
	}
	now := float64(sc.Now().UnixNano()) / 1e9
	if math.Abs(now-ts) > gateWindow {
		h.fail(w, gtExpired)
		return false
	}
	k := sc.Key(r.Header.Get("KEY"))
	if k == nil {
		h.fail(w, gtNoKey)
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		h.fail(w, gtSign)
		return false
	}
	query, err := url.QueryUnescape(r.URL.RawQuery)
	if err != nil {
		query = r.URL.RawQuery
	}
	bodyHash := sha512.Sum512(body)
	want := gateHMAC(k.Secret, r.Method+"\n"+r.URL.Path+"\n"+query+"\n"+hex.EncodeToString(bodyHash[:])+"\n"+tsText)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(r.Header.Get("SIGN")))) {
		h.fail(w, gtSign)
		return false
	}
	if !k.IPAllowed(sc.ClientIP) {
		h.fail(w, gateErr{http.StatusForbidden, "IP_FORBIDDEN", "Request IP not in whitelist: " + sc.ClientIP})
		return false
	}
	readOnly, ok := gatePerms(k)[group]
	if !ok {
		h.fail(w, gateErr{http.StatusForbidden, "FORBIDDEN", "Request API key does not have " + group + " permission"})
		return false
	}
	if write && readOnly {
		h.fail(w, gateErr{http.StatusForbidden, "READ_ONLY", "API key is read-only"})
		return false
	}
	c.k, c.body = k, body
	return true
}

// gateHMAC is hex(HMAC-SHA512(secret, msg)), Gate's SIGN.
func gateHMAC(secret, msg string) string {
	m := hmac.New(sha512.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// gatePerms maps the key's permissions to Gate's groups, name → read
// only. Read opens the account, spot, futures and wallet groups read-only;
// each trade permission makes its group read and write.
func gatePerms(k *core.Key) map[string]bool {
	p := map[string]bool{}
	if k.Has(core.PermRead) {
		for _, g := range []string{"account", "spot", "futures", "wallet"} {
			p[g] = true
		}
	}
	for perm, group := range map[string]string{
		core.PermSpot: "spot", core.PermMargin: "margin", core.PermFutures: "futures", core.PermTransfer: "wallet", core.PermWithdraw: "withdraw",
	} {
		if k.Has(perm) {
			p[group] = false
		}
	}
	return p
}
