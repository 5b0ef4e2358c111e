package coinbase

import (
	"net/http"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The key's permissions and balances: v3 key_permissions, v2 and v3
// accounts (one per asset of the spot wallet, amounts from core's
// accounts so fills and open orders show), and the US futures balance
// summary.

// cbPortfolio is the key's portfolio id, stable for a key.
func cbPortfolio(k *core.Key) string { return stableID("portfolio:" + k.Key) }

func (c *coinbase) permissions(q call) {
	k := q.k
	core.WriteJSON(q.w, http.StatusOK, map[string]any{
		"can_view":       k.Has(core.PermRead),
		"can_trade":      k.Has(core.PermSpot) || k.Has(core.PermFutures) || k.Has(core.PermMargin),
		"can_transfer":   k.Has(core.PermWithdraw) || k.Has(core.PermTransfer),
		"can_receive":    false,
		"portfolio_uuid": cbPortfolio(k),
		"portfolio_type": "DEFAULT",
	})
}

// page cuts list by the limit (default def, at most max) and the numeric
// cursor the previous page returned; ok is false for a bad parameter.
func page[T any](r *http.Request, list []T, cursorName string, def, max int) (out []T, next string, ok bool) {
	limit, ok := intParam(r, "limit", def, 1, max)
	if !ok {
		return nil, "", false
	}
	start := 0
	if v := r.URL.Query().Get(cursorName); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, "", false
		}
		start = n
	}
	end := min(start+limit, len(list))
	start = min(start, end)
	if end < len(list) {
		next = strconv.Itoa(end)
	}
	return list[start:end], next, true
}

// v3Accounts pages through the key's balances as Coinbase does: limit
// (default 49, at most 250) and an opaque cursor.
func (c *coinbase) v3Accounts(q call) {
	k := q.k
	bals, next, ok := page(q.r, c.st.Accounts().Balances(k, core.Spot), "cursor", 49, 250)
	if !ok {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid limit or cursor")
		return
	}
	list := []map[string]any{}
	created := k.Created.UTC().Format(time.RFC3339)
	for _, b := range bals {
		list = append(list, map[string]any{
			"uuid":              stableID("account:" + k.Key + b.Asset),
			"name":              b.Asset + " Wallet",
			"currency":          b.Asset,
			"available_balance": map[string]string{"value": b.Free, "currency": b.Asset},
			"default":           true, "active": true, "created_at": created, "updated_at": created, "deleted_at": nil,
			"type":                "ACCOUNT_TYPE_CRYPTO",
			"ready":               true,
			"hold":                map[string]string{"value": b.Used, "currency": b.Asset},
			"retail_portfolio_id": cbPortfolio(k),
			"platform":            "ACCOUNT_PLATFORM_CONSUMER",
		})
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"accounts": list, "has_next": next != "", "cursor": next, "size": len(list)})
}

// v2Accounts is GET /v2/accounts[?limit=N&starting_after=CURSOR]: one
// wallet per asset, its balance the total (the v2 API shows no holds).
func (c *coinbase) v2Accounts(q call) {
	k := q.k
	bals, next, ok := page(q.r, c.st.Accounts().Balances(k, core.Spot), "starting_after", 25, 300)
	if !ok {
		c.v2Err(q.w, http.StatusBadRequest, "invalid_request", "invalid limit or starting_after")
		return
	}
	created := k.Created.UTC().Format(time.RFC3339)
	list := []map[string]any{}
	for _, b := range bals {
		id := stableID("account:" + k.Key + b.Asset)
		cur := map[string]any{"code": b.Asset, "name": currencyName(b.Asset), "type": "crypto", "exponent": 8,
			"asset_id": stableID("asset:" + b.Asset), "sort_index": cryptoStyle[b.Asset].sort, "color": cryptoStyle[b.Asset].color}
		typ := "wallet"
		if b.Asset == "USD" || b.Asset == "EUR" {
			typ, cur["type"], cur["exponent"] = "fiat", "fiat", 2
		}
		list = append(list, map[string]any{
			"id": id, "name": b.Asset + " Wallet", "primary": b.Asset == "BTC", "type": typ, "currency": cur,
			"balance":    map[string]string{"amount": b.Total, "currency": b.Asset},
			"created_at": created, "updated_at": created, "resource": "account", "resource_path": "/v2/accounts/" + id,
			"allow_deposits": true, "allow_withdrawals": true,
		})
	}
	var nextURI any
	if next != "" {
		nextURI = "/v2/accounts?starting_after=" + next
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{
		"pagination": map[string]any{"ending_before": nil, "starting_after": nil, "previous_ending_before": nil,
			"next_starting_after": nilIfEmpty(next), "limit": len(list), "order": "desc", "previous_uri": nil, "next_uri": nextURI},
		"data": list,
	})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// futuresSummary answers the US futures balance from the key's USD futures
// balance (zero when it has none): Coinbase's futures are USD-margined.
func (c *coinbase) futuresSummary(q call) {
	k := q.k
	usd := k.FuturesBalances["USD"]
	if usd == "" {
		usd = "0"
	}
	m := func(v string) map[string]string { return map[string]string{"value": v, "currency": "USD"} }
	spot := exchanges.AddDecimals(k.Balances["USD"], "0")
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"balance_summary": map[string]any{
		"futures_buying_power": m(usd), "total_usd_balance": m(exchanges.AddDecimals(spot, usd)),
		"cbi_usd_balance": m(spot), "cfm_usd_balance": m(usd),
		"total_open_orders_hold_amount": m("0"), "unrealized_pnl": m("0"), "daily_realized_pnl": m("0"),
		"initial_margin": m("0"), "available_margin": m(usd), "liquidation_threshold": m("0"),
		"liquidation_buffer_amount": m(usd), "liquidation_buffer_percentage": "1000",
	}})
}
