// Package bingx simulates BingX on the live host or the VST demo host
// alike: public server time, spot symbols and USDT-M perpetual contracts,
// tickers and depth (market.go); signed key permissions and restrictions,
// coin list, spot and perpetual balances and orders (spot.go, swap.go).
//
// A signed request is checked in this order, each failure answered with
// HTTP 200 and BingX's {"code","msg","timestamp"}: the X-BX-APIKEY header
// (100413 "Null apiKey"); the signature parameter (100412); the timestamp,
// refused when it is more than 5 s ahead or older than recvWindow (5000 ms
// by default) (100421); the API key, unknown here or of another
// environment (100413); the signature, hex HMAC-SHA256 over the query
// string without &signature=, either as sent or with its values decoded
// (ccxt signs the decoded values and sends them encoded) (100001); the IP
// whitelist (100419); the permission (100004). BingX does not publish this
// order; it is the simulator's choice. BingX has no status endpoint, so
// maintenance shows as 80012 "service unavailable" (HTTP 503) everywhere.
package bingx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type bingx struct {
	st     *core.State
	routes map[string]route
}

func newBingX(st *core.State) core.Handler { return &bingx{st: st, routes: bingxRoutes()} }

func sampleBingX() core.Key {
	return core.Key{Key: core.RandomAlnum(83), Secret: core.RandomAlnum(83)}
}

func (b *bingx) fail(w http.ResponseWriter, status int, code int, msg string) {
	core.Refuse(w, strconv.Itoa(code))
	core.WriteJSON(w, status, map[string]any{"code": code, "msg": msg, "timestamp": b.st.Now().UnixMilli()})
}

func (b *bingx) ok(w http.ResponseWriter, data any) {
	core.WriteJSON(w, 200, map[string]any{"code": 0, "msg": "", "debugMsg": "", "timestamp": b.st.Now().UnixMilli(), "data": data})
}

func (b *bingx) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	until := b.st.Now().Add(retryAfter).UnixMilli()
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	w.Header().Set("X-RateLimit-Requests-Remain", "0")
	w.Header().Set("X-RateLimit-Requests-Expire", strconv.FormatInt(until, 10))
	b.fail(w, http.StatusTooManyRequests, 100410,
		"The endpoint trigger frequency limit rule is currently in the disabled period and will be unblocked after "+strconv.FormatInt(until, 10))
}

func (b *bingx) ServerError(w http.ResponseWriter) {
	b.fail(w, http.StatusInternalServerError, 100500, "We had a problem with our server")
}

// call is one request being answered: k is nil on public routes, q holds
// the query's parameters (decoded).
type call struct {
	w http.ResponseWriter
	r *http.Request
	k *core.Key
	q map[string]string
}

// route is a served path: the permission a private one needs.
type route struct {
	private bool
	perm    string // checked by auth; trade routes check their market's own
	serve   func(b *bingx, c *call)
}

func bingxRoutes() map[string]route {
	return map[string]route{
		"GET /openApi/swap/v2/server/time":              {serve: (*bingx).serverTime},
		"GET /openApi/spot/v1/server/time":              {serve: (*bingx).serverTime},
		"GET /openApi/spot/v1/common/symbols":           {serve: (*bingx).spotSymbols},
		"GET /openApi/swap/v2/quote/contracts":          {serve: (*bingx).contracts},
		"GET /openApi/cswap/v1/market/contracts":        {serve: func(b *bingx, c *call) { b.ok(c.w, []any{}) }},
		"GET /openApi/spot/v1/ticker/24hr":              {serve: (*bingx).spotTicker},
		"GET /openApi/swap/v2/quote/ticker":             {serve: (*bingx).swapTicker},
		"GET /openApi/spot/v1/market/depth":             {serve: (*bingx).spotDepth},
		"GET /openApi/swap/v2/quote/depth":              {serve: (*bingx).swapDepth},
		"GET /openApi/v1/account/apiPermissions":        {private: true, perm: core.PermRead, serve: (*bingx).permissions},
		"GET /openApi/v1/account/apiRestrictions":       {private: true, perm: core.PermRead, serve: (*bingx).restrictions},
		"GET /openApi/wallets/v1/capital/config/getall": {private: true, perm: core.PermRead, serve: (*bingx).coins},
		"GET /openApi/spot/v1/account/balance":          {private: true, perm: core.PermRead, serve: (*bingx).spotBalance},
		"GET /openApi/swap/v3/user/balance":             {private: true, perm: core.PermRead, serve: (*bingx).swapBalance},
		"GET /openApi/swap/v2/user/positions":           {private: true, perm: core.PermRead, serve: (*bingx).positions},
		"POST /openApi/spot/v1/trade/order":             {private: true, serve: (*bingx).spotCreate},
		"GET /openApi/spot/v1/trade/query":              {private: true, perm: core.PermRead, serve: (*bingx).spotQuery},
		"POST /openApi/spot/v1/trade/cancel":            {private: true, serve: (*bingx).spotCancel},
		"GET /openApi/spot/v1/trade/openOrders":         {private: true, perm: core.PermRead, serve: (*bingx).spotOpenOrders},
		"POST /openApi/swap/v2/trade/order":             {private: true, serve: (*bingx).swapCreate},
		"GET /openApi/swap/v2/trade/order":              {private: true, perm: core.PermRead, serve: (*bingx).swapQuery},
		"DELETE /openApi/swap/v2/trade/order":           {private: true, serve: (*bingx).swapCancel},
		"GET /openApi/swap/v2/trade/openOrders":         {private: true, perm: core.PermRead, serve: (*bingx).swapOpenOrders},
	}
}

func (b *bingx) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if b.st.Maintenance() {
		b.fail(w, http.StatusServiceUnavailable, 80012, "service unavailable")
		return
	}
	rt, ok := b.routes[r.Method+" "+r.URL.Path]
	if !ok {
		b.fail(w, http.StatusNotFound, 100404, "this api is not exist")
		return
	}
	c := &call{w: w, r: r, q: map[string]string{}}
	for k, v := range r.URL.Query() {
		c.q[k] = v[0]
	}
	if rt.private {
		if c.k, ok = b.auth(w, r, rt.perm); !ok {
			return
		}
	}
	rt.serve(b, c)
}

func (b *bingx) serverTime(c *call) {
	b.ok(c.w, map[string]any{"serverTime": b.st.Now().UnixMilli()})
}

// auth checks a signed request (see the package comment for the order);
// perm is the permission the route needs ("" for none).
func (b *bingx) auth(w http.ResponseWriter, r *http.Request, perm string) (*core.Key, bool) {
	apiKey := r.Header.Get("X-BX-APIKEY")
	if apiKey == "" {
		b.fail(w, 200, 100413, "Null apiKey")
		return nil, false
	}
	payload, sig, q, ok := bingxSplit(r.URL.RawQuery)
	if !ok || sig == "" {
		b.fail(w, 200, 100412, "Null signature")
		return nil, false
	}
	const tsMsg = "Null timestamp or timestamp mismatch, try to run our sample code from the link https://bingx-api.github.io/docs/#/en-us/spot/account-api.html#Query%20Assets"
	ts, err := strconv.ParseInt(q["timestamp"], 10, 64)
	if err != nil {
		b.fail(w, 200, 100421, tsMsg)
		return nil, false
	}
	window := int64(5000)
	if v, ok := q["recvWindow"]; ok {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			window = n
		}
	}
	sc := b.st.Scenario()
	now := sc.Now().UnixMilli()
	if ts > now+5000 || now-ts > window {
		b.fail(w, 200, 100421, tsMsg)
		return nil, false
	}
	k := sc.Key(apiKey)
	if k == nil {
		b.fail(w, 200, 100413, "Incorrect apiKey, please check your valid api key in https://bingx.com/en/account/api")
		return nil, false
	}
	if !verifyBingX(k.Secret, payload, sig) && !verifyBingX(k.Secret, decoded(payload), sig) {
		b.fail(w, 200, 100001, "Signature verification failed")
		return nil, false
	}
	if !k.IPAllowed(sc.ClientIP) {
		b.fail(w, 200, 100419, "IP does not match IP whitelist , please go to https://bingx.com/en/account/api/ to verify the ip you have set")
		return nil, false
	}
	if perm != "" && !k.Has(perm) {
		b.noPermission(w)
		return nil, false
	}
	return k, true
}

func (b *bingx) noPermission(w http.ResponseWriter) {
	b.fail(w, 200, 100004, "Permission denied as the API key was created without the permission")
}

// bingxSplit removes &signature= from a raw query, returning the signed
// string exactly as sent, the signature and the (decoded) parameters.
func bingxSplit(raw string) (payload, sig string, q map[string]string, ok bool) {
	q = map[string]string{}
	var parts []string
	for _, p := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(p, "=")
		if k == "signature" {
			sig = v
			continue
		}
		parts = append(parts, p)
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		q[k] = v
	}
	return strings.Join(parts, "&"), sig, q, raw != ""
}

// decoded is a query string with each name and value percent-decoded,
// the form ccxt signs.
func decoded(payload string) string {
	parts := strings.Split(payload, "&")
	for i, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 == nil && err2 == nil {
			parts[i] = dk + "=" + dv
		}
	}
	return strings.Join(parts, "&")
}

// verifyBingX checks a hex HMAC-SHA256 (either case) of payload.
func verifyBingX(secret, payload, sig string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(strings.ToLower(sig)))
}

func (b *bingx) permissions(c *call) {
	k := c.k
	perms := []int{}
	for _, p := range []struct {
		name string
		code int
	}{{core.PermSpot, 1}, {core.PermRead, 2}, {core.PermFutures, 3}, {core.PermTransfer, 4}, {core.PermWithdraw, 5}} {
		if k.Has(p.name) {
			perms = append(perms, p.code)
		}
	}
	ips := k.IPs
	if ips == nil {
		ips = []string{}
	}
	b.ok(c.w, map[string]any{"apiKey": k.Key, "permissions": perms, "ipAddresses": ips, "note": k.Label})
}

func (b *bingx) restrictions(c *call) {
	k := c.k
	// Observed live: the fields beside code and msg, not under data.
	core.WriteJSON(c.w, 200, map[string]any{"code": 0, "msg": "", "ipRestrict": len(k.IPs) > 0,
		"createTime": k.Created.UnixMilli(), "permitsUniversalTransfer": k.Has(core.PermTransfer),
		"enableReading": k.Has(core.PermRead), "enableFutures": k.Has(core.PermFutures),
		"enableSpotAndMarginTrading": k.Has(core.PermSpot)})
}
