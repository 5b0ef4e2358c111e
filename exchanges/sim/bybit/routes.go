package bybit

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// req is one request as a handler sees it: the scenario read once, the
// query, the body and the authenticated key.
type req struct {
	sc   *core.Scenario
	q    url.Values
	body []byte
	key  *core.Key
}

type handlerFunc func(b *bybit, w http.ResponseWriter, q *req)

// route: public routes need no key; private ones a signed request; trade
// ones also the trade permission of the order's category.
type route struct {
	private, trade bool
	fn             handlerFunc
}

func routes() map[string]route {
	pub := func(fn handlerFunc) route { return route{fn: fn} }
	priv := func(fn handlerFunc) route { return route{private: true, fn: fn} }
	trade := func(fn handlerFunc) route { return route{private: true, trade: true, fn: fn} }
	return map[string]route{
		"GET /v5/market/time":             pub(serverTime),
		"GET /v5/market/instruments-info": pub(instruments),
		"GET /v5/market/tickers":          pub(tickers),
		"GET /v5/market/orderbook":        pub(orderbook),

		"GET /v5/user/query-api":         priv(queryAPI),
		"GET /v5/account/info":           priv(accountInfo),
		"GET /v5/account/wallet-balance": priv(walletBalance),
		"GET /v5/asset/coin/query-info":  priv(coins),
		"GET /v5/position/list":          priv(positionList),
		"GET /v5/order/realtime":         priv(realtimeOrders),
		"GET /v5/order/history":          priv(historyOrders),
		"POST /v5/order/create":          trade(createOrder),
		"POST /v5/order/cancel":          trade(cancelOrder),
	}
}

const maxBody = 64 << 10

func (b *bybit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc := b.st.Scenario()
	if r.URL.Path == "/v5/system/status" {
		b.status(w, sc)
		return
	}
	if sc.InMaintenance() {
		b.answer(w, http.StatusServiceUnavailable, 10016, "Internal System Error.", nil)
		return
	}
	rt, ok := routes()[r.Method+" "+r.URL.Path]
	// Demo Trading has no query-api.
	if !ok || (sc.Environment == exchanges.Demo && r.URL.Path == "/v5/user/query-api") {
		b.answer(w, http.StatusNotFound, 10017, "Route not found.", nil)
		return
	}
	q := &req{sc: sc, q: r.URL.Query()}
	if !rt.private {
		rt.fn(b, w, q)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		b.fail(w, 10001, "Request parameter error.")
		return
	}
	perm := ""
	if rt.trade {
		var c struct {
			Category string `json:"category"`
		}
		_ = json.Unmarshal(body, &c)
		switch c.Category {
		case "spot":
			perm = core.PermSpot
		case "linear":
			perm = core.PermFutures
		default:
			b.fail(w, 10001, "Illegal category")
			return
		}
	}
	k, ok := b.auth(w, r, sc, body, perm)
	if !ok {
		return
	}
	q.body, q.key = body, k
	rt.fn(b, w, q)
}

// auth checks a signed request as Bybit's gateway does (see the package
// comment for the order).
func (b *bybit) auth(w http.ResponseWriter, r *http.Request, sc *core.Scenario, body []byte, perm string) (*core.Key, bool) {
	apiKey := r.Header.Get("X-BAPI-API-KEY")
	tsRaw := r.Header.Get("X-BAPI-TIMESTAMP")
	sig := r.Header.Get("X-BAPI-SIGN")
	if tsRaw == "" || apiKey == "" || sig == "" {
		b.fail(w, 10001, fmt.Sprintf("empty value: apiTimestamp[%s] apiKey[%s] apiSignature[%s]: Request parameter error.", tsRaw, apiKey, sig))
		return nil, false
	}
	ts, err := strconv.ParseInt(tsRaw, 10, 64)
	if err != nil {
		b.fail(w, 10001, "openapi params error! req_timestamp invalid")
		return nil, false
	}
	recv := r.Header.Get("X-BAPI-RECV-WINDOW")
	window := int64(5000)
	if recv != "" {
		if window, err = strconv.ParseInt(recv, 10, 64); err != nil {
			b.fail(w, 10001, "openapi params error! recv_window invalid")
			return nil, false
		}
	}
	now := sc.Now().UnixMilli()
	if ts >= now+1000 || ts < now-window {
		b.fail(w, 10002, fmt.Sprintf(bybitMsgTime+"req_timestamp[%d],server_timestamp[%d],recv_window[%d]", ts, now, window))
		return nil, false
	}
	k := sc.Key(apiKey)
	if k == nil {
		b.fail(w, 10003, bybitMsgKey)
		return nil, false
	}
	if exp := b.expiry(k); !exp.IsZero() && !exp.After(sc.Now()) {
		b.fail(w, 33004, bybitMsgExpired)
		return nil, false
	}
	if !k.IPAllowed(sc.ClientIP) {
		b.fail(w, 10010, bybitMsgIP)
		return nil, false
	}
	if perm != "" && !k.Has(perm) && !(perm == core.PermSpot && k.Has(core.PermMargin)) {
		b.fail(w, 10005, bybitMsgPerm)
		return nil, false
	}
	payload := tsRaw + apiKey + recv + r.URL.RawQuery
	if r.Method == http.MethodPost {
		payload = tsRaw + apiKey + recv + string(body)
	}
	if !verifyBybit(k.Secret, payload, sig) {
		b.fail(w, 10004, "error sign! origin_string["+payload+"]")
		return nil, false
	}
	return k, true
}
