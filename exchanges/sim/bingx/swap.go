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
	m, ok := b.market(c, core.Perpetual)
	if !ok {
		return
	}
	if !c.k.Has(core.PermFutures) {
		b.noPermission(c.w)
		return
	}
	side, okSide := orderSide(c.q["side"])
	typ, okType := orderType(c.q["type"])
	tif := c.q["timeInForce"]
	if tif == "" {
		tif = "GTC"
	}
	switch {
	case !okSide:
		b.fail(c.w, 200, 80014, "Invalid parameters, side must be BUY or SELL")
		return
	case !okType:
		b.fail(c.w, 200, 80014, "Invalid parameters, the simulator takes LIMIT and MARKET orders")
		return
	case tif != "GTC" && tif != "IOC" && tif != "FOK" && tif != "PostOnly":
		b.fail(c.w, 200, 80014, "Invalid parameters, timeInForce")
		return
	case c.q["positionSide"] != "" && c.q["positionSide"] != "BOTH" && c.q["positionSide"] != "LONG" && c.q["positionSide"] != "SHORT":
		b.fail(c.w, 200, 80014, "Invalid parameters, positionSide")
		return
	case len(c.q["clientOrderID"]) > 40:
		b.fail(c.w, 200, 80014, "Invalid parameters, clientOrderID is too long")
		return
	}
	now := b.st.Now()
	req := core.OrderRequest{Symbol: m.Symbol, Side: side, Type: typ, Price: c.q["price"], Qty: c.q["quantity"],
		ClientID: c.q["clientOrderID"], TimeInForce: tif, PostOnly: tif == "PostOnly", ReduceOnly: c.q["reduceOnly"] == "true"}
	if typ == core.MarketOrd {
		req.Price = ""
	}
	o, err := b.st.Accounts().Place(c.k, req, now)
	if err != nil {
		code, msg := refusal(err, core.Perpetual)
		b.fail(c.w, 200, code, msg)
		return
	}
	if o.Status == core.Open && (tif == "IOC" || tif == "FOK") {
		o, _ = b.st.Accounts().Cancel(c.k.Key, o.ID, "", now)
	}
	b.ok(c.w, map[string]any{"order": swapJSON(o)})
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
	m, ok := b.market(c, core.Perpetual)
	if !ok {
		return
	}
	if !c.k.Has(core.PermFutures) {
		b.noPermission(c.w)
		return
	}
	o, ok := b.find(c, m)
	if !ok {
		return
	}
	o, err := b.st.Accounts().Cancel(c.k.Key, o.ID, "", b.st.Now())
	if err != nil {
		b.fail(c.w, 200, 80018, "order is already "+strings.ToLower(swapStatus(o)))
		return
	}
	b.ok(c.w, map[string]any{"order": swapJSON(o)})
}

func (b *bingx) swapOpenOrders(c *call) {
	symbol := ""
	if c.q["symbol"] != "" {
		m, ok := b.market(c, core.Perpetual)
		if !ok {
			return
		}
		symbol = m.Symbol
	}
	out := []map[string]any{}
	for _, o := range b.st.Accounts().Orders(c.k.Key, symbol, true) {
		if m, _ := core.MarketOf(o.Symbol); m.Kind == core.Perpetual {
			out = append(out, swapJSON(o))
		}
	}
	b.ok(c.w, map[string]any{"orders": out})
}

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
		"avgPrice": avg, "cumQuote": filledCost(o), "stopPrice": "", "profit": "0.0000", "commission": "0.000000",
		"status": swapStatus(o), "time": o.Created.UnixMilli(), "updateTime": o.Updated.UnixMilli(),
		"clientOrderId": o.ClientID, "leverage": strconv.Itoa(core.Leverage) + "X", "workingType": "MARK_PRICE",
		"timeInForce": o.TimeInForce, "reduceOnly": o.ReduceOnly, "onlyOnePosition": false,
	}
}
