package bingx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// bingx simulates BingX: the public server time, and the signed
// apiPermissions, apiRestrictions, spot balance and perpetual futures
// balance endpoints, on the live host or the VST demo host alike.
//
// A signed request is checked in this order, each failure answered with
// HTTP 200 and BingX's {"code","msg","timestamp"}: the X-BX-APIKEY header
// (100413 "Null apiKey"); the signature parameter (100412); the timestamp,
// refused when it is more than 5 s ahead or older than recvWindow (5000 ms
// by default) (100421); the API key, unknown here or of another
// environment (100413); the signature, hex HMAC-SHA256 over the query
// string exactly as sent without &signature= (100001); the IP whitelist
// (100419); the permission (100004). BingX does not publish this order;
// it is the simulator's choice. BingX has no status endpoint, so
// maintenance shows as 80012 "service unavailable" (HTTP 503) everywhere.
type bingx struct{ st *core.State }

func newBingX(st *core.State) core.Handler { return &bingx{st: st} }

func sampleBingX() core.Key {
	return core.Key{Key: core.RandomAlnum(83), Secret: core.RandomAlnum(83)}
}

func (b *bingx) fail(w http.ResponseWriter, status int, code int, msg string) {
	core.Refuse(w, strconv.Itoa(code))
	core.WriteJSON(w, status, map[string]any{"code": code, "msg": msg, "timestamp": b.st.Now().UnixMilli()})
}

func (b *bingx) ok(w http.ResponseWriter, data any) {
	core.WriteJSON(w, 200, map[string]any{"code": 0, "msg": "", "debugMsg": "", "data": data})
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

func (b *bingx) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if b.st.Maintenance() {
		b.fail(w, http.StatusServiceUnavailable, 80012, "service unavailable")
		return
	}
	switch r.URL.Path {
	case "/openApi/swap/v2/server/time", "/openApi/spot/v1/server/time":
		b.ok(w, map[string]any{"serverTime": b.st.Now().UnixMilli()})
	case "/openApi/v1/account/apiPermissions":
		if k, ok := b.auth(w, r, core.PermRead); ok {
			b.permissions(w, k)
		}
	case "/openApi/v1/account/apiRestrictions":
		if k, ok := b.auth(w, r, core.PermRead); ok {
			// Observed live: the fields beside code and msg, not under data.
			core.WriteJSON(w, 200, map[string]any{"code": 0, "msg": "", "ipRestrict": len(k.IPs) > 0,
				"createTime": k.Created.UnixMilli(), "permitsUniversalTransfer": k.Has(core.PermTransfer),
				"enableReading": k.Has(core.PermRead), "enableFutures": k.Has(core.PermFutures),
				"enableSpotAndMarginTrading": k.Has(core.PermSpot)})
		}
	case "/openApi/spot/v1/account/balance":
		if k, ok := b.auth(w, r, core.PermRead); ok {
			b.spot(w, k)
		}
	case "/openApi/swap/v3/user/balance":
		if k, ok := b.auth(w, r, core.PermRead); ok {
			b.futures(w, k)
		}
	default:
		b.fail(w, http.StatusNotFound, 100404, "this api is not exist")
	}
}

// auth checks a signed request (see the type's comment for the order).
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
	now := b.st.Now().UnixMilli()
	if ts > now+5000 || now-ts > window {
		b.fail(w, 200, 100421, tsMsg)
		return nil, false
	}
	k := b.st.Key(apiKey)
	if k == nil {
		b.fail(w, 200, 100413, "Incorrect apiKey, please check your valid api key in https://bingx.com/en/account/api")
		return nil, false
	}
	if !verifyBingX(k.Secret, payload, sig) {
		b.fail(w, 200, 100001, "Signature verification failed")
		return nil, false
	}
	if !k.IPAllowed(b.st.Scenario().ClientIP) {
		b.fail(w, 200, 100419, "IP does not match IP whitelist , please go to https://bingx.com/en/account/api/ to verify the ip you have set")
		return nil, false
	}
	if !k.Has(perm) {
		b.fail(w, 200, 100004, "Permission denied as the API key was created without the permission")
		return nil, false
	}
	return k, true
}

// bingxSplit removes &signature= from a raw query, returning the signed
// string exactly as sent, the signature and the (unescaped) parameters.
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
		q[k] = v
	}
	return strings.Join(parts, "&"), sig, q, raw != ""
}

// verifyBingX checks a hex HMAC-SHA256 (either case) of payload.
func verifyBingX(secret, payload, sig string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return hmac.Equal([]byte(hex.EncodeToString(m.Sum(nil))), []byte(strings.ToLower(sig)))
}

func (b *bingx) permissions(w http.ResponseWriter, k *core.Key) {
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
	b.ok(w, map[string]any{"apiKey": k.Key, "permissions": perms, "ipAddresses": ips, "note": k.Label})
}

func (b *bingx) spot(w http.ResponseWriter, k *core.Key) {
	balances := []map[string]string{}
	for _, a := range core.SortedKeys(k.Balances) {
		balances = append(balances, map[string]string{"asset": a, "displayName": a, "free": k.Balances[a], "locked": "0"})
	}
	b.ok(w, map[string]any{"balances": balances})
}

func (b *bingx) futures(w http.ResponseWriter, k *core.Key) {
	list := []map[string]string{}
	for _, a := range core.SortedKeys(k.FuturesBalances) {
		v := k.FuturesBalances[a]
		list = append(list, map[string]string{"userId": "1234567", "asset": a, "balance": v, "equity": v,
			"unrealizedProfit": "0", "realisedProfit": "0", "availableMargin": v, "usedMargin": "0",
			"freezedMargin": "0", "shortUid": "12345678"})
	}
	b.ok(w, list)
}
