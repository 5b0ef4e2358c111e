package binance

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// req is one request as a handler sees it: the scenario read once, the
// parameters of query and body together, and the authenticated key.
type req struct {
	r   *http.Request
	sc  *core.Scenario
	p   url.Values
	key *core.Key
}

// route is one endpoint: the permission it needs ("" for a public one;
// "trade" for an order endpoint, whose market decides spot or futures).
type route struct {
	perm string
	fn   func(b *binance, w http.ResponseWriter, q *req)
}

const permTrade = "trade"

// routes are keyed by "METHOD path".
func routes() map[string]route {
	pub := func(fn func(b *binance, w http.ResponseWriter, q *req)) route { return route{fn: fn} }
	read := func(fn func(b *binance, w http.ResponseWriter, q *req)) route {
		return route{perm: core.PermRead, fn: fn}
	}
	fut := func(fn func(b *binance, w http.ResponseWriter, q *req)) route {
		return route{perm: core.PermFutures, fn: fn}
	}
	trade := func(fn func(b *binance, w http.ResponseWriter, q *req)) route { return route{perm: permTrade, fn: fn} }
	return map[string]route{
		"GET /api/v3/time":               pub(serverTime),
		"GET /fapi/v1/time":              pub(serverTime),
		"GET /api/v3/ping":               pub(ping),
		"GET /fapi/v1/ping":              pub(ping),
		"GET /api/v3/exchangeInfo":       pub(spotInfo),
		"GET /fapi/v1/exchangeInfo":      pub(futuresInfo),
		"GET /dapi/v1/exchangeInfo":      pub(inverseInfo),
		"GET /api/v3/ticker/24hr":        pub(ticker24h(core.Spot)),
		"GET /fapi/v1/ticker/24hr":       pub(ticker24h(core.Perpetual)),
		"GET /api/v3/ticker/bookTicker":  pub(bookTicker(core.Spot)),
		"GET /fapi/v1/ticker/bookTicker": pub(bookTicker(core.Perpetual)),
		"GET /api/v3/depth":              pub(depth(core.Spot)),
		"GET /fapi/v1/depth":             pub(depth(core.Perpetual)),

		"GET /sapi/v1/capital/config/getall":    read(currencies),
		"GET /sapi/v1/margin/allPairs":          read(marginPairs),
		"GET /sapi/v1/margin/isolated/allPairs": read(marginPairs),
		"GET /sapi/v1/account/apiRestrictions":  read(restrictions),
		"GET /api/v3/account":                   read(spotAccount),
		"GET /api/v3/order":                     read(getOrder(core.Spot)),
		"GET /api/v3/openOrders":                read(openOrders(core.Spot)),
		"GET /api/v3/allOrders":                 read(allOrders(core.Spot)),
		"POST /api/v3/order":                    trade(placeOrder(core.Spot)),
		"DELETE /api/v3/order":                  trade(cancelOrder(core.Spot)),

		"GET /fapi/v2/balance":      fut(futuresBalance),
		"GET /fapi/v3/balance":      fut(futuresBalance),
		"GET /fapi/v2/account":      fut(futuresAccount),
		"GET /fapi/v3/account":      fut(futuresAccount),
		"GET /fapi/v2/positionRisk": fut(positionRisk),
		"GET /fapi/v3/positionRisk": fut(positionRisk),
		"GET /fapi/v1/order":        fut(getOrder(core.Perpetual)),
		"GET /fapi/v1/openOrders":   fut(openOrders(core.Perpetual)),
		"GET /fapi/v1/allOrders":    fut(allOrders(core.Perpetual)),
		"POST /fapi/v1/order":       trade(placeOrder(core.Perpetual)),
		"DELETE /fapi/v1/order":     trade(cancelOrder(core.Perpetual)),
	}
}

func (b *binance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc := b.st.Scenario()
	live := sc.Environment == exchanges.Live
	if r.URL.Path == "/sapi/v1/system/status" && live {
		if sc.InMaintenance() {
			core.WriteJSON(w, 200, map[string]any{"status": 1, "msg": "system_maintenance"})
		} else {
			core.WriteJSON(w, 200, map[string]any{"status": 0, "msg": "normal"})
		}
		return
	}
	if sc.InMaintenance() {
		b.fail(w, bnMaintenance)
		return
	}
	rt, ok := routes()[r.Method+" "+r.URL.Path]
	// Testnet and demo hosts serve no SAPI.
	if !ok || (!live && strings.HasPrefix(r.URL.Path, "/sapi/")) {
		notFound(w)
		return
	}
	q := &req{r: r, sc: sc}
	if rt.perm == "" {
		q.p = r.URL.Query()
		rt.fn(b, w, q)
		return
	}
	perm := rt.perm
	if perm == permTrade {
		perm = core.PermSpot
		if strings.HasPrefix(r.URL.Path, "/fapi/") {
			perm = core.PermFutures
		}
	}
	k, p, ok := b.auth(w, r, sc, perm)
	if !ok {
		return
	}
	if rt.perm == permTrade && !k.Expires.IsZero() && !k.Expires.After(sc.Now()) {
		// The trading permission expired (tradingAuthorityExpirationTime).
		b.fail(w, bnRejected)
		return
	}
	q.p, q.key = p, k
	rt.fn(b, w, q)
}

// notFound is Binance's answer for a path it does not serve: its HTML
// error page, HTTP 404.
func notFound(w http.ResponseWriter) {
	core.Refuse(w, "404")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>Binance</title></head>
<body><div class="info"><h3>404</h3><p>Sorry! The page you're looking for cannot be found.</p></div></body></html>
`)
}

// maxBody bounds a request body.
const maxBody = 64 << 10

// auth checks a signed request as Binance does and returns the key and
// the request's parameters (query and form body together).
func (b *binance) auth(w http.ResponseWriter, r *http.Request, sc *core.Scenario, perm string) (*core.Key, url.Values, bool) {
	apiKey := r.Header.Get("X-MBX-APIKEY")
	if !binanceKeyRE.MatchString(apiKey) {
		b.fail(w, bnKeyFormat)
		return nil, nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		b.fail(w, bnMandatory("signature"))
		return nil, nil, false
	}
	payload, sig, p, ok := splitSignature(r.URL.RawQuery, string(body))
	if !ok || sig == "" {
		b.fail(w, bnMandatory("signature"))
		return nil, nil, false
	}
	ts, err := strconv.ParseInt(p.Get("timestamp"), 10, 64)
	if err != nil {
		b.fail(w, bnMandatory("timestamp"))
		return nil, nil, false
	}
	if ts > 1e15 { // microseconds
		ts /= 1000
	}
	window := 5000.0
	if v := p.Get("recvWindow"); v != "" {
		window, err = strconv.ParseFloat(v, 64)
		if err != nil || window <= 0 {
			b.fail(w, bnMandatory("recvWindow"))
			return nil, nil, false
		}
		if window > 60000 {
			b.fail(w, bnRecv)
			return nil, nil, false
		}
	}
	now := sc.Now().UnixMilli()
	if ts >= now+1000 {
		b.fail(w, bnAhead)
		return nil, nil, false
	}
	if float64(now-ts) > window {
		b.fail(w, bnOutside)
		return nil, nil, false
	}
	k := sc.Key(apiKey)
	if k == nil {
		b.fail(w, bnRejected)
		return nil, nil, false
	}
	if !verifyBinance(k.Secret, payload, sig) {
		b.fail(w, bnSignature)
		return nil, nil, false
	}
	if !k.IPAllowed(sc.ClientIP) || !hasPerm(k, perm) {
		b.fail(w, bnRejected)
		return nil, nil, false
	}
	return k, p, true
}

// hasPerm: Binance has one switch for spot and margin trading.
func hasPerm(k *core.Key, perm string) bool {
	if perm == core.PermSpot {
		return k.Has(core.PermSpot) || k.Has(core.PermMargin)
	}
	return k.Has(perm)
}

// splitSignature takes the signature parameter out of the query string
// or the body and returns Binance's signed payload (query concatenated
// with body, both as sent, without the signature), the signature and
// every parameter.
func splitSignature(rawQuery, body string) (payload, sig string, p url.Values, ok bool) {
	strip := func(raw string) string {
		if raw == "" {
			return ""
		}
		var parts []string
		for _, part := range strings.Split(raw, "&") {
			if strings.HasPrefix(part, "signature=") {
				sig = strings.TrimPrefix(part, "signature=")
				continue
			}
			parts = append(parts, part)
		}
		return strings.Join(parts, "&")
	}
	payload = strip(rawQuery) + strip(body)
	p, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", "", nil, false
	}
	if body != "" {
		bp, err := url.ParseQuery(body)
		if err != nil {
			return "", "", nil, false
		}
		for k, v := range bp {
			if _, dup := p[k]; !dup { // the query string wins, as on Binance
				p[k] = v
			}
		}
	}
	return payload, sig, p, true
}
