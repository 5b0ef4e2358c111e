package bitget

import (
	"crypto/hmac"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

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

type handlerFunc func(b *bitget, w http.ResponseWriter, q *req)

// route: market is the product whose permission the endpoint needs
// (core.PermSpot or core.PermFutures), "" for a public endpoint; trade
// marks an order endpoint, which needs that product's trade permission.
type route struct {
	market string
	trade  bool
	fn     handlerFunc
}

func routes() map[string]route {
	pub := func(fn handlerFunc) route { return route{fn: fn} }
	spot := func(fn handlerFunc) route { return route{market: core.PermSpot, fn: fn} }
	fut := func(fn handlerFunc) route { return route{market: core.PermFutures, fn: fn} }
	spotTrade := func(fn handlerFunc) route { return route{market: core.PermSpot, trade: true, fn: fn} }
	futTrade := func(fn handlerFunc) route { return route{market: core.PermFutures, trade: true, fn: fn} }
	return map[string]route{
		"GET /api/v2/public/time":            pub(serverTime),
		"GET /api/v2/spot/public/coins":      pub(coins),
		"GET /api/v2/spot/public/symbols":    pub(spotSymbols),
		"GET /api/v2/mix/market/contracts":   pub(contracts),
		"GET /api/v2/spot/market/tickers":    pub(spotTickers),
		"GET /api/v2/mix/market/ticker":      pub(mixTicker),
		"GET /api/v2/mix/market/tickers":     pub(mixTickers),
		"GET /api/v2/spot/market/orderbook":  pub(spotBook),
		"GET /api/v2/mix/market/merge-depth": pub(mixBook),
		"GET /api/v2/margin/currencies":      pub(marginCurrencies),

		"GET /api/v2/spot/account/info":          spot(accountInfo),
		"GET /api/v2/spot/account/assets":        spot(spotAssets),
		"GET /api/v2/spot/trade/orderInfo":       spot(spotOrderInfo),
		"GET /api/v2/spot/trade/unfilled-orders": spot(spotUnfilled),
		"GET /api/v2/spot/trade/history-orders":  spot(spotHistory),
		"POST /api/v2/spot/trade/place-order":    spotTrade(spotPlace),
		"POST /api/v2/spot/trade/cancel-order":   spotTrade(spotCancel),

		"GET /api/v2/mix/account/accounts":      fut(futuresAccounts),
		"GET /api/v2/mix/position/all-position": fut(allPositions),
		"GET /api/v2/mix/order/detail":          fut(mixDetail),
		"GET /api/v2/mix/order/orders-pending":  fut(mixPending),
		"POST /api/v2/mix/order/place-order":    futTrade(mixPlace),
		"POST /api/v2/mix/order/cancel-order":   futTrade(mixCancel),
	}
}

const maxBody = 64 << 10

func (b *bitget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc := b.st.Scenario()
	if sc.InMaintenance() {
		b.fail(w, bgMaintenance)
		return
	}
	rt, ok := routes()[r.Method+" "+r.URL.Path]
	if !ok {
		b.fail(w, bgNotFound)
		return
	}
	q := &req{sc: sc, q: r.URL.Query()}
	if rt.market == "" {
		rt.fn(b, w, q)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		b.fail(w, bgErr("40017", "Parameter verification failed"))
		return
	}
	k, ok := b.auth(w, r, sc, body, rt.market, rt.trade)
	if !ok {
		return
	}
	q.body, q.key = body, k
	rt.fn(b, w, q)
}

// auth checks a private request as Bitget does (see the package comment).
func (b *bitget) auth(w http.ResponseWriter, r *http.Request, sc *core.Scenario, body []byte, product string, trade bool) (*core.Key, bool) {
	apiKey := r.Header.Get("ACCESS-KEY")
	sign := r.Header.Get("ACCESS-SIGN")
	ts := r.Header.Get("ACCESS-TIMESTAMP")
	pass := r.Header.Get("ACCESS-PASSPHRASE")
	for _, c := range []struct {
		v string
		e bitgetErr
	}{{apiKey, bgNoKey}, {sign, bgNoSign}, {pass, bgNoPass}, {ts, bgBadTime}} {
		if c.v == "" {
			b.fail(w, c.e)
			return nil, false
		}
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || ms <= 0 {
		b.fail(w, bgBadTime)
		return nil, false
	}
	if d := sc.Now().Sub(time.UnixMilli(ms)); d > bitgetWindow || d < -bitgetWindow {
		b.fail(w, bgExpired)
		return nil, false
	}
	if !bitgetKeyRE.MatchString(apiKey) {
		b.fail(w, bgBadKey)
		return nil, false
	}
	k := sc.AnyKey(apiKey)
	if k == nil {
		b.fail(w, bgNoSuchKey)
		return nil, false
	}
	if k.Environment != b.env(r) {
		b.fail(w, bgWrongEnv)
		return nil, false
	}
	if !hmac.Equal([]byte(pass), []byte(k.Passphrase)) {
		b.fail(w, bgPassphrase)
		return nil, false
	}
	prehash := ts + r.Method + r.URL.Path
	if r.URL.RawQuery != "" {
		prehash += "?" + r.URL.RawQuery
	}
	if !verifyBitget(k.Secret, prehash+string(body), sign) {
		b.fail(w, bgSignature)
		return nil, false
	}
	if !k.IPAllowed(sc.ClientIP) {
		b.fail(w, bgIP)
		return nil, false
	}
	if !allowed(k, product, trade, sc.Now()) {
		b.fail(w, bgPermission)
		return nil, false
	}
	return k, true
}

// allowed: reading a product needs read (its read-only codes) or its
// trade permission; trading needs the trade permission, which the
// scenario's expiry takes away.
func allowed(k *core.Key, product string, trade bool, now time.Time) bool {
	can := k.Has(product)
	if !trade {
		return can || k.Has(core.PermRead)
	}
	return can && (k.Expires.IsZero() || k.Expires.After(now))
}
