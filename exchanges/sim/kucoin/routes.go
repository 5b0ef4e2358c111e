package kucoin

import (
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// req is one request as a handler sees it: the scenario read once, the
// query, the body, the authenticated key and, for /api/v1/hf/orders/{id},
// the id from the path.
type req struct {
	r    *http.Request
	sc   *core.Scenario
	q    url.Values
	body []byte
	key  *core.Key
	id   string
}

type handlerFunc func(h *kucoin, w http.ResponseWriter, q *req)

type route struct {
	perm string // "" public
	fn   handlerFunc
}

func routes() map[string]route {
	pub := func(fn handlerFunc) route { return route{fn: fn} }
	read := func(fn handlerFunc) route { return route{perm: core.PermRead, fn: fn} }
	trade := func(fn handlerFunc) route { return route{perm: core.PermSpot, fn: fn} }
	futTrade := func(fn handlerFunc) route { return route{perm: core.PermFutures, fn: fn} }
	return map[string]route{
		"GET /api/v1/timestamp":                   pub(serverTime),
		"GET /api/v2/symbols":                     pub(symbols),
		"GET /api/v3/currencies":                  pub(currencies),
		"GET /api/v1/market/stats":                pub(stats),
		"GET /api/v1/market/allTickers":           pub(allTickers),
		"GET /api/v1/market/orderbook/level1":     pub(level1),
		"GET /api/v1/market/orderbook/level2_20":  pub(level2(20)),
		"GET /api/v1/market/orderbook/level2_100": pub(level2(100)),
		"GET /api/v1/contracts/active":            pub(contractsActive),
		"GET /api/v1/ticker":                      pub(futuresTicker),
		"GET /api/v1/level2/depth20":              pub(futuresDepth),
		"GET /api/v3/margin/symbols":              pub(marginSymbols),
		"GET /api/v1/isolated/symbols":            pub(isolatedSymbols),

		"GET /api/ua/v1/account/mode":                read(accountMode),
		"GET /api/v1/hf/accounts/opened":             read(hfOpened),
		"GET /api/v1/user/api-key":                   read(apiKey),
		"GET /api/v1/accounts":                       read(accounts),
		"GET /api/v1/account-overview":               read(futuresOverview),
		"GET /api/v3/market/orderbook/level2":        read(level2(100)),
		"GET /api/v1/hf/orders/active":               read(activeOrders),
		"GET /api/v1/hf/orders/done":                 read(doneOrders),
		"GET /api/v1/hf/orders/{id}":                 read(getOrder),
		"GET /api/v1/hf/orders/client-order/{id}":    read(getOrder),
		"POST /api/v1/hf/orders":                     trade(placeOrder),
		"DELETE /api/v1/hf/orders/{id}":              trade(cancelOrder),
		"DELETE /api/v1/hf/orders/client-order/{id}": trade(cancelOrder),

		// The futures host.
		"POST /api/v1/orders":        futTrade(futuresPlace),
		"GET /api/v1/orders":         read(futuresList),
		"GET /api/v1/orders/{id}":    read(futuresGet),
		"DELETE /api/v1/orders/{id}": futTrade(futuresCancel),
	}
}

// match finds the route of a request, with the order id of a path like
// /api/v1/hf/orders/{id}.
func match(method, path string) (route, string, bool) {
	rs := routes()
	if rt, ok := rs[method+" "+path]; ok {
		return rt, "", true
	}
	for _, prefix := range []string{"/api/v1/hf/orders/client-order/", "/api/v1/hf/orders/", "/api/v1/orders/"} {
		if id, ok := strings.CutPrefix(path, prefix); ok && id != "" && !strings.Contains(id, "/") {
			rt, ok := rs[method+" "+prefix+"{id}"]
			return rt, id, ok
		}
	}
	return route{}, "", false
}

func (h *kucoin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc := h.st.Scenario()
	if r.URL.Path == "/api/v1/status" {
		switch {
		case sc.InMaintenance():
			h.ok(w, map[string]string{"status": "close", "msg": "system maintenance"})
		case sc.Maintenance == "announced":
			h.ok(w, map[string]string{"status": "open", "msg": "maintenance announced"})
		default:
			h.ok(w, map[string]string{"status": "open", "msg": ""})
		}
		return
	}
	if sc.InMaintenance() {
		core.Refuse(w, "503")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n")
		return
	}
	rt, id, ok := match(r.Method, r.URL.Path)
	if !ok {
		h.fail(w, kcNotFound)
		return
	}
	q := &req{r: r, sc: sc, q: r.URL.Query(), id: id}
	if rt.perm == "" {
		rt.fn(h, w, q)
		return
	}
	k, body, ok := h.auth(w, r, sc, rt.perm)
	if !ok {
		return
	}
	q.key, q.body = k, body
	rt.fn(h, w, q)
}
