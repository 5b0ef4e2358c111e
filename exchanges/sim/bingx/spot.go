package bingx

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Balances and spot orders over core's accounts. Order ids are core's
// order numbers. A refused order answers BingX's code with HTTP 200
// (refusal); trigger orders are not simulated (100400 on type).

func (b *bingx) spotBalance(c *call) {
	balances := []map[string]string{}
	for _, bal := range b.st.Accounts().Balances(c.k, core.Spot) {
		balances = append(balances, map[string]string{"asset": bal.Asset, "displayName": bal.Asset, "free": bal.Free, "locked": bal.Used})
	}
	b.ok(c.w, map[string]any{"balances": balances})
}

// refusal is BingX's answer to one of core's reasons, on spot or on the
// perpetual.
func refusal(err error, k core.Kind) (int, string) {
	var oe *core.OrderError
	if !errors.As(err, &oe) {
		return 100500, "We had a problem with our server"
	}
	switch {
	case oe.Reason == core.ReasonInsufficient && k == core.Spot:
		return 100202, "Insufficient balance"
	case oe.Reason == core.ReasonInsufficient:
		return 101204, "Insufficient margin"
	case (oe.Reason == core.ReasonMinNotional || oe.Reason == core.ReasonMinQty) && k == core.Perpetual:
		return 110425, "Please ensure that the minimum nominal value of the order placed must be greater than the minimum: " + oe.Msg
	case k == core.Perpetual:
		return 80014, "Invalid parameters, " + oe.Msg
	}
	return 100400, "Invalid parameters, " + oe.Msg
}

// orderType reads BingX's LIMIT or MARKET.
func orderType(s string) (core.OrderType, bool) {
	switch s {
	case "LIMIT":
		return core.Limit, true
	case "MARKET":
		return core.MarketOrd, true
	}
	return "", false
}

// orderFor reads the order parameters both markets share, answering
// BingX's invalid-parameter code (100400 spot, 80014 perpetual) for a bad
// one; the key must hold the market's trade permission.
func (b *bingx) orderFor(c *call, k core.Kind, clientParam string) (core.Market, core.OrderRequest, bool) {
	m, ok := b.market(c, k)
	if !ok {
		return m, core.OrderRequest{}, false
	}
	perm, invalid := core.PermSpot, 100400
	if k == core.Perpetual {
		perm, invalid = core.PermFutures, 80014
	}
	if !c.k.Has(perm) {
		b.noPermission(c.w)
		return m, core.OrderRequest{}, false
	}
	side, okSide := core.SideOf(c.q["side"], "BUY", "SELL")
	typ, okType := orderType(c.q["type"])
	tif := c.q["timeInForce"]
	if tif == "" {
		tif = "GTC"
	}
	ps := c.q["positionSide"]
	bad := ""
	switch {
	case !okSide:
		bad = "side must be BUY or SELL"
	case !okType:
		bad = "the simulator takes LIMIT and MARKET orders"
	case tif != "GTC" && tif != "IOC" && tif != "FOK" && tif != "PostOnly":
		bad = "timeInForce"
	case k == core.Perpetual && ps != "" && ps != "BOTH" && ps != "LONG" && ps != "SHORT":
		bad = "positionSide"
	case len(c.q[clientParam]) > 40:
		bad = clientParam + " is too long"
	}
	if bad != "" {
		b.fail(c.w, 200, invalid, "Invalid parameters, "+bad)
		return m, core.OrderRequest{}, false
	}
	req := core.OrderRequest{Symbol: m.Symbol, Side: side, Type: typ, Price: c.q["price"], Qty: c.q["quantity"],
		ClientID: c.q[clientParam], TimeInForce: tif, PostOnly: tif == "PostOnly",
		ReduceOnly: k == core.Perpetual && c.q["reduceOnly"] == "true"}
	if typ == core.MarketOrd {
		req.Price = ""
	}
	return m, req, true
}

// place places req, answering BingX's refusal; an IOC or FOK order that
// did not fill at once does not rest.
func (b *bingx) place(c *call, m core.Market, req core.OrderRequest, now time.Time) (core.Order, bool) {
	o, err := b.st.Accounts().Place(c.k, req, now)
	if err != nil {
		code, msg := refusal(err, m.Kind)
		b.fail(c.w, 200, code, msg)
		return o, false
	}
	if o.Status == core.Open && (req.TimeInForce == "IOC" || req.TimeInForce == "FOK") {
		o, _ = b.st.Accounts().Cancel(c.k.Key, o.ID, "", now)
	}
	return o, true
}

func (b *bingx) spotCreate(c *call) {
	m, req, ok := b.orderFor(c, core.Spot, "newClientOrderId")
	if !ok {
		return
	}
	now := b.st.Now()
	if req.Type == core.MarketOrd && req.Qty == "" {
		qty, ok := core.QuoteToBase(m, req.Side, c.q["quoteOrderQty"], now)
		if !ok {
			b.fail(c.w, 200, 100400, "Invalid parameters, quoteOrderQty")
			return
		}
		req.Qty = qty
	}
	if o, ok := b.place(c, m, req, now); ok {
		v := spotJSON(o)
		v["transactTime"] = o.Created.UnixMilli()
		b.ok(c.w, v)
	}
}

// find finds the key's order on m named by orderId or a client order id.
func (b *bingx) find(c *call, m core.Market) (core.Order, bool) {
	id, _ := strconv.ParseInt(c.q["orderId"], 10, 64)
	cl := c.q["clientOrderID"]
	if cl == "" {
		cl = c.q["origClientOrderId"]
	}
	o, err := b.st.Accounts().Find(c.k.Key, id, cl)
	if err != nil || o.Symbol != m.Symbol || (id == 0 && cl == "") {
		b.noSuchOrder(c.w, m.Kind)
		return core.Order{}, false
	}
	return o, true
}

func (b *bingx) spotQuery(c *call) {
	m, ok := b.market(c, core.Spot)
	if !ok {
		return
	}
	if o, ok := b.find(c, m); ok {
		b.ok(c.w, spotJSON(o))
	}
}

// cancel cancels the key's order on a market of kind k, answering
// BingX's code when it is not open; false when it answered already.
func (b *bingx) cancel(c *call, k core.Kind) (core.Order, bool) {
	m, ok := b.market(c, k)
	if !ok {
		return core.Order{}, false
	}
	perm, closed := core.PermSpot, 100400
	if k == core.Perpetual {
		perm, closed = core.PermFutures, 80018
	}
	if !c.k.Has(perm) {
		b.noPermission(c.w)
		return core.Order{}, false
	}
	o, ok := b.find(c, m)
	if !ok {
		return o, false
	}
	o, err := b.st.Accounts().Cancel(c.k.Key, o.ID, "", b.st.Now())
	if err != nil {
		b.fail(c.w, 200, closed, "Invalid parameters, the order is already "+strings.ToLower(string(o.Status)))
		return o, false
	}
	return o, true
}

func (b *bingx) spotCancel(c *call) {
	if o, ok := b.cancel(c, core.Spot); ok {
		b.ok(c.w, spotJSON(o))
	}
}

// openOrders lists the key's open orders on markets of kind k (one
// symbol's when the query names it), rendered by render.
func (b *bingx) openOrders(c *call, k core.Kind, render func(core.Order) map[string]any) {
	symbol := ""
	if c.q["symbol"] != "" {
		m, ok := b.market(c, k)
		if !ok {
			return
		}
		symbol = m.Symbol
	}
	out := []map[string]any{}
	for _, o := range b.st.Accounts().Orders(c.k.Key, symbol, true) {
		if m, _ := core.MarketOf(o.Symbol); m.Kind == k {
			out = append(out, render(o))
		}
	}
	b.ok(c.w, map[string]any{"orders": out})
}

func (b *bingx) spotOpenOrders(c *call) { b.openOrders(c, core.Spot, spotJSON) }

func spotStatus(o core.Order) string {
	switch o.Status {
	case core.Filled:
		return "FILLED"
	case core.Canceled:
		return "CANCELED"
	}
	return "PENDING"
}

func spotJSON(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	price := o.Price
	if price == "" {
		price = "0"
	}
	return map[string]any{
		"symbol": symbolID(m), "orderId": o.ID, "price": price, "StopPrice": "0", "origQty": o.Qty,
		"executedQty": o.Filled, "cummulativeQuoteQty": o.FilledValue(), "status": spotStatus(o),
		"type": strings.ToUpper(string(o.Type)), "side": strings.ToUpper(string(o.Side)), "time": o.Created.UnixMilli(),
		"updateTime": o.Updated.UnixMilli(), "origQuoteOrderQty": "0", "fee": "0", "feeAsset": m.Base,
		"clientOrderID": o.ClientID,
	}
}
