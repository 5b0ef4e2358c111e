// Package deribit simulates Deribit's JSON-RPC over HTTP (/api/v2/<method>,
// parameters in the query): public time, status, currencies, instruments,
// tickers and books (market.go), public/auth and the private methods a
// health check and a ccxt bot use — keys, account summaries, orders
// (auth.go, trade.go).
//
// Deribit lists no USDT-margined perpetual (its linear perpetuals settle in
// USDC), so only core's spot markets are served, as BTC_USDT and ETH_USDT.
// Deribit keeps one account per currency for spot and derivatives alike,
// so a currency's summary adds the scenario's spot and futures balances.
//
// HTTP statuses: 400 for every error, except 401 for 13009, 429 for 10028,
// 500 for 11094 and 503 for 11051 (system_maintenance, answered by every
// method but public/get_time and public/status while it lasts).
package deribit

import (
	"crypto/rand"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type deribit struct {
	st *core.State

	methods map[string]method

	mu     sync.Mutex
	tokens map[string]deribitToken
}

type deribitToken struct {
	key     string
	scope   map[string]string
	session bool
	conn    string // the connection a connection-scoped token is bound to
	expires time.Time
}

func newDeribit(st *core.State) core.Handler {
	return &deribit{st: st, methods: deribitMethods(), tokens: map[string]deribitToken{}}
}

const deribitAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

func sampleDeribit() core.Key {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return core.Key{Key: core.RandomFrom(deribitAlphabet, 8), Secret: base64.RawURLEncoding.EncodeToString(b)}
}

type deribitErr struct {
	code int
	msg  string
	data map[string]any
}

var (
	dbInvalidCredentials = deribitErr{code: 13004, msg: "invalid_credentials"}
	dbUnauthorized       = deribitErr{code: 13009, msg: "unauthorized"}
	dbForbidden          = deribitErr{code: 13021, msg: "forbidden"}
	dbAuthRequired       = deribitErr{code: 10000, msg: "authorization_required"}
	dbMaintenance        = deribitErr{code: 11051, msg: "system_maintenance"}
	dbMethodNotFound     = deribitErr{code: -32601, msg: "Method not found"}
	dbOrderNotFound      = deribitErr{code: 10004, msg: "order_not_found"}
)

func dbInvalidParams(param, reason string) deribitErr {
	return deribitErr{code: -32602, msg: "Invalid params", data: map[string]any{"param": param, "reason": reason}}
}

func (d *deribit) envelope(extra map[string]any) map[string]any {
	now := d.st.Now().UnixMicro()
	v := map[string]any{"jsonrpc": "2.0", "usIn": now, "usOut": now + 150, "usDiff": 150,
		"testnet": d.st.Scenario().Environment != exchanges.Live}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

func (d *deribit) result(w http.ResponseWriter, v any) {
	core.WriteJSON(w, http.StatusOK, d.envelope(map[string]any{"result": v}))
}

func (d *deribit) fail(w http.ResponseWriter, e deribitErr) {
	core.Refuse(w, strconv.Itoa(e.code))
	status := http.StatusBadRequest
	switch e.code {
	case 13009:
		status = http.StatusUnauthorized
	case 10028:
		status = http.StatusTooManyRequests
	case 11094:
		status = http.StatusInternalServerError
	case 11051:
		status = http.StatusServiceUnavailable
	}
	body := map[string]any{"code": e.code, "message": e.msg}
	if e.data != nil {
		body["data"] = e.data
	}
	core.WriteJSON(w, status, d.envelope(map[string]any{"error": body}))
}

func (d *deribit) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	d.fail(w, deribitErr{code: 10028, msg: "too_many_requests"})
}

func (d *deribit) ServerError(w http.ResponseWriter) {
	d.fail(w, deribitErr{code: 11094, msg: "internal_server_error"})
}

// call is one method call being answered; k is nil on public methods.
type call struct {
	w http.ResponseWriter
	r *http.Request
	k *core.Key
}

// param is a query parameter.
func (c call) param(name string) string { return c.r.URL.Query().Get(name) }

// method is one served JSON-RPC method: the scope area and level a
// private one needs ("" area for public methods).
type method struct {
	area, level string
	serve       func(d *deribit, c call)
}

func deribitMethods() map[string]method {
	return map[string]method{
		"public/get_time":                       {serve: func(d *deribit, c call) { d.result(c.w, d.st.Now().UnixMilli()) }},
		"public/status":                         {serve: (*deribit).status},
		"public/get_currencies":                 {serve: (*deribit).currencies},
		"public/get_instruments":                {serve: (*deribit).instruments},
		"public/get_instrument":                 {serve: (*deribit).instrument},
		"public/ticker":                         {serve: (*deribit).ticker},
		"public/get_order_book":                 {serve: (*deribit).orderBook},
		"public/auth":                           {serve: (*deribit).auth},
		"private/list_api_keys":                 {area: "account", level: "read", serve: (*deribit).listKeys},
		"private/get_account_summaries":         {area: "account", level: "read", serve: (*deribit).summaries},
		"private/get_account_summary":           {area: "account", level: "read", serve: (*deribit).summary},
		"private/buy":                           {area: "trade", level: "read_write", serve: func(d *deribit, c call) { d.place(c, core.Buy) }},
		"private/sell":                          {area: "trade", level: "read_write", serve: func(d *deribit, c call) { d.place(c, core.Sell) }},
		"private/cancel":                        {area: "trade", level: "read_write", serve: (*deribit).cancel},
		"private/get_order_state":               {area: "trade", level: "read", serve: (*deribit).orderState},
		"private/get_open_orders":               {area: "trade", level: "read", serve: (*deribit).openOrders},
		"private/get_open_orders_by_currency":   {area: "trade", level: "read", serve: (*deribit).openOrders},
		"private/get_open_orders_by_instrument": {area: "trade", level: "read", serve: (*deribit).openOrders},
	}
}

func (d *deribit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, "/api/v2/")
	m, known := d.methods[name]
	if !ok || !known {
		d.fail(w, dbMethodNotFound)
		return
	}
	if d.st.Maintenance() && name != "public/get_time" && name != "public/status" {
		d.fail(w, dbMaintenance)
		return
	}
	c := call{w: w, r: r}
	if m.area != "" {
		k, ok := d.private(w, r, m.area, m.level)
		if !ok {
			return
		}
		c.k = k
	}
	m.serve(d, c)
}

func (d *deribit) status(c call) {
	if d.st.Maintenance() {
		d.result(c.w, map[string]any{"locked": "true", "locked_indices": []string{"btc_usd", "eth_usd"}})
		return
	}
	d.result(c.w, map[string]any{"locked": "false", "locked_indices": []string{}})
}
