// Package bitmex simulates BitMEX's REST API on /api/v1: instruments (the
// XBT_USDT and ETH_USDT spot pairs and the USDT-margined XBTUSDT
// perpetual), the L2 order book, the announcement banner, the key list,
// wallets and margins, positions and orders. Every answer carries an HTTP
// Date header from the simulated clock: BitMEX has no time endpoint, and
// clients read its clock there.
//
// A signed request is checked in this order, each failure answered with
// BitMEX's {"error":{"message","name"}} body: api-key header present
// (401 "Invalid API Key."), api-expires a number (400), api-expires not in
// the past on the exchange's clock (400 "This request has expired -
// `expires` is in the past. Current time: N"), key known in this
// environment (401 "Invalid API Key."), signature hex(HMAC-SHA256(secret,
// verb + path?query + expires + body)) (401 "Signature not valid."), IP
// within the key's CIDR blocks (403 "Access Denied": BitMEX does not
// document its message for this), and for order routes the key's "order"
// permission for that market (403 "Access Denied", as BitMEX answers a key
// created without it). BitMEX documents no upper bound on api-expires, and
// the simulator sets none. Every key may read: BitMEX keys cannot lose the
// read permission, so core.PermRead is not consulted.
//
// Quantities: orderQty is in the instrument's position units, one unit
// being 1/underlyingToPositionMultiplier of the base asset (XBTUSDT: 10^-6
// XBT, traded in lots of 1000); wallet amounts are integers of the
// currency's smallest unit (XBt = 10^-8 XBT, USDt = 10^-6 USDT, Gwei).
package bitmex

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type bitmex struct {
	st     *core.State
	routes map[string]route
}

func newBitmex(st *core.State) core.Handler { return &bitmex{st: st, routes: bitmexRoutes()} }

const bitmexSecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func sampleBitmex() core.Key {
	return core.Key{Key: core.RandomAlnum(24), Secret: core.RandomFrom(bitmexSecretAlphabet, 48)}
}

func (b *bitmex) date(w http.ResponseWriter) {
	w.Header().Set("Date", b.st.Now().UTC().Format(http.TimeFormat))
}

func (b *bitmex) fail(w http.ResponseWriter, status int, msg, name string) {
	core.Refuse(w, strconv.Itoa(status)+" "+msg)
	b.date(w)
	core.WriteJSON(w, status, map[string]any{"error": map[string]string{"message": msg, "name": name}})
}

func (b *bitmex) ok(w http.ResponseWriter, v any) {
	b.date(w)
	w.Header().Set("X-Ratelimit-Limit", "120")
	w.Header().Set("X-Ratelimit-Remaining", "119")
	w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(b.st.Now().Add(time.Second).Unix(), 10))
	core.WriteJSON(w, http.StatusOK, v)
}

func (b *bitmex) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	secs := int(math.Ceil(retryAfter.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("X-Ratelimit-Limit", "120")
	w.Header().Set("X-Ratelimit-Remaining", "0")
	w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(b.st.Now().Add(retryAfter).Unix(), 10))
	b.fail(w, http.StatusTooManyRequests, "Rate limit exceeded, retry in "+strconv.Itoa(secs)+" seconds.", "RateLimitError")
}

func (b *bitmex) ServerError(w http.ResponseWriter) {
	b.fail(w, http.StatusInternalServerError, "Server Error", "HTTPError")
}

// call is one request being answered: k is nil on public routes, body is
// the request body, read (bounded) by auth.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	k    *core.Key
	body []byte
}

type route struct {
	private bool
	serve   func(b *bitmex, c *call)
}

func bitmexRoutes() map[string]route {
	return map[string]route{
		"GET /api/v1/announcement/urgent": {serve: (*bitmex).urgent},
		"GET /api/v1/wallet/assets":       {serve: (*bitmex).assets},
		"GET /api/v1/instrument":          {serve: (*bitmex).instruments},
		"GET /api/v1/instrument/active":   {serve: (*bitmex).instruments},
		"GET /api/v1/orderBook/L2":        {serve: (*bitmex).orderBook},
		"GET /api/v1/apiKey":              {private: true, serve: (*bitmex).apiKeys},
		"GET /api/v1/user/margin":         {private: true, serve: (*bitmex).wallet},
		"GET /api/v1/user/wallet":         {private: true, serve: (*bitmex).wallet},
		"GET /api/v1/position":            {private: true, serve: (*bitmex).positions},
		"GET /api/v1/order":               {private: true, serve: (*bitmex).listOrders},
		"POST /api/v1/order":              {private: true, serve: (*bitmex).createOrder},
		"DELETE /api/v1/order":            {private: true, serve: (*bitmex).cancelOrders},
	}
}

func (b *bitmex) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/v1/announcement/urgent" && b.st.Scenario().Maintenance == "announced" {
		b.ok(w, []map[string]any{{"id": 1, "link": "https://blog.bitmex.com/", "title": "Scheduled Maintenance",
			"content": "<p>BitMEX will be unavailable for scheduled maintenance.</p>", "date": b.st.Now().UTC().Format(time.RFC3339)}})
		return
	}
	if b.st.Maintenance() {
		b.fail(w, http.StatusServiceUnavailable, "Service unavailable", "HTTPError")
		return
	}
	rt, ok := b.routes[r.Method+" "+r.URL.Path]
	if !ok {
		b.fail(w, http.StatusNotFound, "Not Found", "HTTPError")
		return
	}
	c := &call{w: w, r: r}
	if rt.private && !b.auth(c) {
		return
	}
	rt.serve(b, c)
}

func (b *bitmex) urgent(c *call) { b.ok(c.w, []any{}) }

// auth checks a signed request as BitMEX does (see the package comment).
func (b *bitmex) auth(c *call) bool {
	w, r := c.w, c.r
	id := r.Header.Get("api-key")
	if id == "" {
		b.fail(w, http.StatusUnauthorized, "Invalid API Key.", "HTTPError")
		return false
	}
	expires, err := strconv.ParseInt(r.Header.Get("api-expires"), 10, 64)
	if err != nil {
		b.fail(w, http.StatusBadRequest, "Invalid api-expires: must be a UNIX timestamp in seconds.", "HTTPError")
		return false
	}
	sc := b.st.Scenario()
	now := sc.Now().Unix()
	if expires < now {
		b.fail(w, http.StatusBadRequest, "This request has expired - `expires` is in the past. Current time: "+strconv.FormatInt(now, 10), "HTTPError")
		return false
	}
	k := sc.Key(id)
	if k == nil {
		b.fail(w, http.StatusUnauthorized, "Invalid API Key.", "HTTPError")
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil || !verifyBitmex(k.Secret, r.Method+r.URL.RequestURI()+strconv.FormatInt(expires, 10)+string(body), r.Header.Get("api-signature")) {
		b.fail(w, http.StatusUnauthorized, "Signature not valid.", "HTTPError")
		return false
	}
	if !k.IPAllowed(sc.ClientIP) {
		b.fail(w, http.StatusForbidden, "Access Denied", "HTTPError")
		return false
	}
	c.k, c.body = k, body
	return true
}

// verifyBitmex checks a hex HMAC-SHA256 signature of payload.
func verifyBitmex(secret, payload, sig string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(strings.ToLower(sig)))
}
