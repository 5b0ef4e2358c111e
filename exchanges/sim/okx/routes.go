package okx

import (
	"crypto/hmac"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// req is one request as a handler sees it: the scenario read once, the
// query, the body and the authenticated key.
type req struct {
	r    *http.Request
	sc   *core.Scenario
	q    url.Values
	body []byte
	key  *core.Key
}

// permTrade is OKX's one trading permission.
const permTrade = "trade"

type handlerFunc func(o *okx, w http.ResponseWriter, q *req)

type route struct {
	perm string // "" public; core.PermRead or permTrade
	fn   handlerFunc
}

func routes() map[string]route {
	pub := func(fn handlerFunc) route { return route{fn: fn} }
	read := func(fn handlerFunc) route { return route{perm: core.PermRead, fn: fn} }
	trade := func(fn handlerFunc) route { return route{perm: permTrade, fn: fn} }
	return map[string]route{
		"GET /api/v5/public/time":        pub(serverTime),
		"GET /api/v5/public/instruments": pub(instruments),
		"GET /api/v5/public/underlying":  pub(underlying),
		"GET /api/v5/market/ticker":      pub(ticker),
		"GET /api/v5/market/tickers":     pub(tickers),
		"GET /api/v5/market/books":       pub(books),

		"GET /api/v5/asset/currencies":           read(currencies),
		"GET /api/v5/account/config":             read(config),
		"GET /api/v5/account/balance":            read(balance),
		"GET /api/v5/asset/balances":             read(funding),
		"GET /api/v5/account/positions":          read(positions),
		"GET /api/v5/trade/order":                read(getOrder),
		"GET /api/v5/trade/orders-pending":       read(pendingOrders),
		"GET /api/v5/trade/orders-history":       read(historyOrders),
		"POST /api/v5/trade/order":               trade(placeOne),
		"POST /api/v5/trade/batch-orders":        trade(placeBatch),
		"POST /api/v5/trade/cancel-order":        trade(cancelOne),
		"POST /api/v5/trade/cancel-batch-orders": trade(cancelBatch),
	}
}

// maxBody bounds a request body.
const maxBody = 64 << 10

func (o *okx) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc := o.st.Scenario()
	if r.URL.Path == "/api/v5/system/status" {
		o.status(w, r, sc)
		return
	}
	if sc.InMaintenance() {
		o.fail(w, okxUnavailable)
		return
	}
	rt, ok := routes()[r.Method+" "+r.URL.Path]
	if !ok {
		o.fail(w, okxNotFound)
		return
	}
	q := &req{r: r, sc: sc, q: r.URL.Query()}
	if rt.perm == "" {
		rt.fn(o, w, q)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		o.fail(w, okxErr{http.StatusBadRequest, "50000", "Body cannot be empty."})
		return
	}
	k, ok := o.auth(w, r, sc, body, rt.perm)
	if !ok {
		return
	}
	q.body, q.key = body, k
	rt.fn(o, w, q)
}

// auth checks a private request as OKX does (see the package comment).
func (o *okx) auth(w http.ResponseWriter, r *http.Request, sc *core.Scenario, body []byte, perm string) (*core.Key, bool) {
	apiKey := r.Header.Get("OK-ACCESS-KEY")
	sign := r.Header.Get("OK-ACCESS-SIGN")
	ts := r.Header.Get("OK-ACCESS-TIMESTAMP")
	pass := r.Header.Get("OK-ACCESS-PASSPHRASE")
	for _, c := range []struct {
		v string
		e okxErr
	}{{apiKey, okxNoKey}, {pass, okxNoPassphrase}, {sign, okxNoSign}, {ts, okxNoTimestamp}} {
		if c.v == "" {
			o.fail(w, c.e)
			return nil, false
		}
	}
	t, err := time.Parse("2006-01-02T15:04:05.000Z", ts)
	if err != nil {
		o.fail(w, okxBadTimestamp)
		return nil, false
	}
	if d := sc.Now().Sub(t); d > okxWindow || d < -okxWindow {
		o.fail(w, okxExpired)
		return nil, false
	}
	k := sc.AnyKey(apiKey)
	if k == nil {
		o.fail(w, okxBadKey)
		return nil, false
	}
	if k.Environment != o.env(r) {
		o.fail(w, okxWrongEnv)
		return nil, false
	}
	if !hmac.Equal([]byte(pass), []byte(k.Passphrase)) {
		o.fail(w, okxPassphrase)
		return nil, false
	}
	requestPath := r.URL.Path
	if r.URL.RawQuery != "" {
		requestPath += "?" + r.URL.RawQuery
	}
	if !verifyOKX(k.Secret, ts+r.Method+requestPath+string(body), sign) {
		o.fail(w, okxSignature)
		return nil, false
	}
	if ip := sc.ClientIP; !k.IPAllowed(ip) {
		o.fail(w, okxIPErr(ip))
		return nil, false
	}
	if !hasPerm(k, perm, sc.Now()) {
		o.fail(w, okxPermission)
		return nil, false
	}
	return k, true
}

// hasPerm: reading needs read; trading needs OKX's trade permission,
// which the scenario's expiry takes away.
func hasPerm(k *core.Key, perm string, now time.Time) bool {
	if perm != permTrade {
		return k.Has(perm)
	}
	if !k.Expires.IsZero() && !k.Expires.After(now) {
		return false
	}
	return k.Has(core.PermSpot) || k.Has(core.PermFutures) || k.Has(core.PermMargin)
}
