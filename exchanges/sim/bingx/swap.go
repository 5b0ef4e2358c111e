package bingx

import (
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The USDT-M perpetual: balance, positions and orders, in one-way mode
// (positionSide BOTH; LONG and SHORT are taken as the side they open).

func (b *bingx) swapBalance(c *call) {
	list := []map[string]string{}
	for _, bal := range b.st.Accounts().Balances(c.k, core.Perpetual) {
		list = append(list, map[string]string{"userId": "1234567", "asset": bal.Asset, "balance": bal.Total, "equity": bal.Total,
			"unrealizedProfit": "0", "realisedProfit": "0", "availableMargin": bal.Free, "usedMargin": bal.Used,
			"freezedMargin": bal.Used, "maxWithdrawAmount": bal.Free, "shortUid": "12345678"})
	}
	b.ok(c.w, list)
}

func (b *bingx) positions(c *call) {
	out := []map[string]any{}
	for _, p := range b.st.Accounts().Positions(c.k.Key) {
		m, _ := core.MarketOf(p.Symbol)
		side, amt := "LONG", p.Size
		if strings.HasPrefix(p.Size, "-") {
			side, amt = "SHORT", strings.TrimPrefix(p.Size, "-")
		}
		out = append(out, map[string]any{"symbol": symbolID(m), "positionId": "1", "positionSide": side, "isolated": false,
			"positionAmt": amt, "availableAmt": amt, "unrealizedProfit": "0", "realisedProfit": "0", "initialMargin": "0",
			"avgPrice": p.EntryPrice, "leverage": core.Leverage, "markPrice": m.Mid, "currency": m.Settle})
	}
	b.ok(c.w, out)
}

func (b *bingx) swapCreate(c *call) {
	m, req, ok := b.orderFor(c, core.Perpetual, "clientOrderID")
	if !ok {
		return
	}
	if o, ok := b.place(c, m, req, b.st.Now()); ok {
		b.ok(c.w, map[string]any{"order": swapJSON(o)})
	}
}

func (b *bingx) swapQuery(c *call) {
	m, ok := b.market(c, core.Perpetual)
	if !ok {
		return
	}
	if o, ok := b.find(c, m); ok {
		b.ok(c.w, map[string]any{"order": swapJSON(o)})
	}
}

func (b *bingx) swapCancel(c *call) {
	if o, ok := b.cancel(c, core.Perpetual); ok {
		b.ok(c.w, map[string]any{"order": swapJSON(o)})
	}
}

func (b *bingx) swapOpenOrders(c *call) { b.openOrders(c, core.Perpetual, swapJSON) }

func swapStatus(o core.Order) string {
	switch o.Status {
	case core.Filled:
		return "FILLED"
	case core.Canceled:
		return "CANCELLED"
	}
	return "NEW"
}

func swapJSON(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	price, avg := o.Price, o.AvgPrice
	if price == "" {
		price = "0"
	}
	if avg == "" {
		avg = "0.00000"
	}
	return map[string]any{
		"symbol": symbolID(m), "orderId": o.ID, "side": strings.ToUpper(string(o.Side)), "positionSide": "BOTH",
		"type": strings.ToUpper(string(o.Type)), "origQty": o.Qty, "price": price, "executedQty": o.Filled,
		"avgPrice": avg, "cumQuote": o.FilledValue(), "stopPrice": "", "profit": "0.0000", "commission": "0.000000",
		"status": swapStatus(o), "time": o.Created.UnixMilli(), "updateTime": o.Updated.UnixMilli(),
		"clientOrderId": o.ClientID, "leverage": strconv.Itoa(core.Leverage) + "X", "workingType": "MARK_PRICE",
		"timeInForce": o.TimeInForce, "reduceOnly": o.ReduceOnly, "onlyOnePosition": false,
	}
}
