package bitmex

import (
	"encoding/json"
	"errors"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Orders over core's accounts. Order ids are UUIDs whose last group is
// core's order number in hex. A refused order is HTTP 400 with BitMEX's
// message (refusals); a post-only order that would take is refused the
// same way, where BitMEX accepts and cancels it.

// orderID renders core's order number as this exchange's order id.
func orderID(n int64) string { return core.UUIDOrderID("bitmex-order", n) }

// parseOrderID reverses orderID; 0 for anything it did not make.
func parseOrderID(s string) int64 { return core.ParseUUIDOrderID("bitmex-order", s) }

// orderBody is POST /api/v1/order, as JSON or a form.
type orderBody struct {
	Symbol      string      `json:"symbol"`
	Side        string      `json:"side"`
	OrderQty    json.Number `json:"orderQty"`
	Price       json.Number `json:"price"`
	OrdType     string      `json:"ordType"`
	TimeInForce string      `json:"timeInForce"`
	ExecInst    string      `json:"execInst"`
	ClOrdID     string      `json:"clOrdID"`
}

func parseOrderBody(c *call) (orderBody, error) {
	var o orderBody
	if strings.HasPrefix(c.r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		f, err := url.ParseQuery(string(c.body))
		if err != nil {
			return o, err
		}
		return orderBody{Symbol: f.Get("symbol"), Side: f.Get("side"), OrderQty: json.Number(f.Get("orderQty")),
			Price: json.Number(f.Get("price")), OrdType: f.Get("ordType"), TimeInForce: f.Get("timeInForce"),
			ExecInst: f.Get("execInst"), ClOrdID: f.Get("clOrdID")}, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(c.body)))
	dec.UseNumber()
	return o, dec.Decode(&o)
}

// refusals are BitMEX's messages for core's reasons.
var refusals = map[core.Reason]string{
	core.ReasonUnknownSymbol:     "Invalid symbol",
	core.ReasonBadPrice:          "Invalid price",
	core.ReasonPriceTick:         "Invalid price tickSize",
	core.ReasonBadQty:            "Invalid orderQty",
	core.ReasonQtyStep:           "Invalid orderQty",
	core.ReasonMinQty:            "Invalid orderQty",
	core.ReasonMaxQty:            "Invalid orderQty",
	core.ReasonMinNotional:       "Order value is below the minimum",
	core.ReasonWouldTake:         "Order had execInst of ParticipateDoNotInitiate",
	core.ReasonDuplicateClientID: "Duplicate clOrdID",
	core.ReasonTooManyOrders:     "Too many open orders",
}

// needOrder refuses (403 "Access Denied") a key without BitMEX's order
// permission for m.
func (b *bitmex) needOrder(c *call, m core.Market) bool {
	perm := core.PermSpot
	if m.Kind == core.Perpetual {
		perm = core.PermFutures
	}
	if !c.k.Has(perm) {
		b.fail(c.w, 403, "Access Denied", "HTTPError")
		return false
	}
	return true
}

var tifs = map[string]bool{"GoodTillCancel": true, "ImmediateOrCancel": true, "FillOrKill": true, "Day": true}

func (b *bitmex) createOrder(c *call) {
	body, err := parseOrderBody(c)
	if err != nil {
		b.fail(c.w, 400, "Invalid request body", "ValidationError")
		return
	}
	m, ok := marketOf(body.Symbol)
	if !ok {
		b.fail(c.w, 400, "Invalid symbol", "HTTPError")
		return
	}
	if !b.needOrder(c, m) {
		return
	}
	side, okSide := core.SideOf(body.Side, "Buy", "Sell")
	typ := core.Limit
	switch {
	case body.OrdType == "Market" || (body.OrdType == "" && body.Price == ""):
		typ = core.MarketOrd
	case body.OrdType != "" && body.OrdType != "Limit":
		b.fail(c.w, 400, "Invalid ordType (the simulator takes Limit and Market)", "HTTPError")
		return
	}
	tif := body.TimeInForce
	if tif == "" {
		tif = "GoodTillCancel"
		if typ == core.MarketOrd {
			tif = "ImmediateOrCancel"
		}
	}
	units, err := strconv.ParseInt(body.OrderQty.String(), 10, 64)
	switch {
	case !okSide:
		b.fail(c.w, 400, "Invalid side", "HTTPError")
		return
	case err != nil || units <= 0:
		b.fail(c.w, 400, "Invalid orderQty", "HTTPError")
		return
	case !tifs[tif]:
		b.fail(c.w, 400, "Invalid timeInForce", "HTTPError")
		return
	case len(body.ClOrdID) > 36:
		b.fail(c.w, 400, "Invalid clOrdID", "HTTPError")
		return
	}
	inst := strings.Split(body.ExecInst, ",")
	req := core.OrderRequest{Symbol: m.Symbol, Side: side, Type: typ, Price: body.Price.String(), Qty: toBase(m, units),
		ClientID: body.ClOrdID, TimeInForce: tif, PostOnly: contains(inst, "ParticipateDoNotInitiate"),
		ReduceOnly: m.Kind == core.Perpetual && contains(inst, "ReduceOnly")}
	if typ == core.MarketOrd {
		req.Price = ""
	}
	now := b.st.Now()
	o, err := b.st.Accounts().Place(c.k, req, now)
	var oe *core.OrderError
	if errors.As(err, &oe) {
		msg, ok := refusals[oe.Reason]
		if oe.Reason == core.ReasonInsufficient || !ok {
			msg = "Account has insufficient Available Balance: " + oe.Msg
		}
		b.fail(c.w, 400, msg, "HTTPError")
		return
	}
	if err != nil {
		b.ServerError(c.w)
		return
	}
	if o.Status == core.Open && (tif == "ImmediateOrCancel" || tif == "FillOrKill") {
		o, _ = b.st.Accounts().Cancel(c.k.Key, o.ID, "", now)
	}
	b.ok(c.w, orderJSON(o))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}

// listOrders is GET /api/v1/order[?symbol=..&filter={"open":true}|
// {"orderID":".."}&count=N&reverse=true].
func (b *bitmex) listOrders(c *call) {
	q := c.r.URL.Query()
	var filter struct {
		Open    bool   `json:"open"`
		OrderID string `json:"orderID"`
		ClOrdID string `json:"clOrdID"`
	}
	if f := q.Get("filter"); f != "" && (len(f) > 4096 || json.Unmarshal([]byte(f), &filter) != nil) {
		b.fail(c.w, 400, "Invalid filter", "HTTPError")
		return
	}
	count := 100
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.fail(c.w, 400, "Invalid count", "HTTPError")
			return
		}
		count = min(n, 500)
	}
	symbol := ""
	if s := q.Get("symbol"); s != "" {
		m, ok := marketOf(s)
		if !ok {
			b.fail(c.w, 400, "Invalid symbol", "HTTPError")
			return
		}
		symbol = m.Symbol
	}
	orders := b.st.Accounts().Orders(c.k.Key, symbol, filter.Open)
	if q.Get("reverse") == "true" {
		for i, j := 0, len(orders)-1; i < j; i, j = i+1, j-1 {
			orders[i], orders[j] = orders[j], orders[i]
		}
	}
	out := []map[string]any{}
	for _, o := range orders {
		if (filter.OrderID != "" && orderID(o.ID) != filter.OrderID) || (filter.ClOrdID != "" && o.ClientID != filter.ClOrdID) {
			continue
		}
		if len(out) < count {
			out = append(out, orderJSON(o))
		}
	}
	b.ok(c.w, out)
}

// cancelOrders is DELETE /api/v1/order {"orderID": id or [ids],
// "clOrdID": id or [ids]}: the orders, each cancelled or carrying the
// reason it could not be.
func (b *bitmex) cancelOrders(c *call) {
	var body struct {
		OrderID json.RawMessage `json:"orderID"`
		ClOrdID json.RawMessage `json:"clOrdID"`
	}
	ids, cls := []string{}, []string{}
	if strings.HasPrefix(c.r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		f, _ := url.ParseQuery(string(c.body))
		ids, cls = f["orderID"], f["clOrdID"]
	} else if json.Unmarshal(c.body, &body) == nil {
		ids, cls = stringOrList(body.OrderID), stringOrList(body.ClOrdID)
	}
	if len(ids)+len(cls) == 0 || len(ids)+len(cls) > 100 {
		b.fail(c.w, 400, "Must specify orderID or clOrdID", "HTTPError")
		return
	}
	var found []core.Order
	for _, id := range ids {
		if o, err := b.st.Accounts().Find(c.k.Key, parseOrderID(id), ""); err == nil && parseOrderID(id) != 0 {
			found = append(found, o)
		}
	}
	for _, cl := range cls {
		if o, err := b.st.Accounts().Find(c.k.Key, 0, cl); err == nil && cl != "" {
			found = append(found, o)
		}
	}
	if len(found) == 0 {
		b.fail(c.w, 404, "Not Found", "NotFoundError")
		return
	}
	out := []map[string]any{}
	now := b.st.Now()
	for _, o := range found {
		m, _ := core.MarketOf(o.Symbol)
		if !b.needOrder(c, m) {
			return
		}
		done, err := b.st.Accounts().Cancel(c.k.Key, o.ID, "", now)
		v := orderJSON(done)
		if err != nil {
			v["error"] = "Unable to cancel order due to existing state: " + ordStatus(o)
		}
		out = append(out, v)
	}
	b.ok(c.w, out)
}

// stringOrList reads a JSON string or list of strings.
func stringOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil && one != "" {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

func ordStatus(o core.Order) string {
	switch o.Status {
	case core.Filled:
		return "Filled"
	case core.Canceled:
		return "Canceled"
	}
	return "New"
}

func orderJSON(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	qty, _ := core.ParseDec(o.Qty)
	filled, _ := core.ParseDec(o.Filled)
	left := new(big.Rat).Sub(qty, filled)
	if o.Status != core.Open {
		left = new(big.Rat)
	}
	var price, avg any
	if o.Price != "" {
		price = num(o.Price)
	}
	if o.AvgPrice != "" {
		avg = num(o.AvgPrice)
	}
	settl := ""
	if m.Kind == core.Perpetual {
		settl = "USDt"
	}
	var exec []string
	if o.PostOnly {
		exec = append(exec, "ParticipateDoNotInitiate")
	}
	if o.ReduceOnly {
		exec = append(exec, "ReduceOnly")
	}
	text := "Submitted via API."
	if o.Status == core.Canceled {
		text = "Canceled: Canceled via API.\nSubmitted via API."
	}
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	return map[string]any{
		"orderID": orderID(o.ID), "clOrdID": o.ClientID, "clOrdLinkID": "", "account": 100000, "symbol": bxSymbol(m),
		"side": map[core.Side]string{core.Buy: "Buy", core.Sell: "Sell"}[o.Side], "orderQty": toUnits(m, o.Qty),
		"price": price, "displayQty": nil, "stopPx": nil, "pegOffsetValue": nil, "pegPriceType": "", "currency": m.Quote,
		"settlCurrency": settl, "ordType": map[core.OrderType]string{core.Limit: "Limit", core.MarketOrd: "Market"}[o.Type],
		"timeInForce": o.TimeInForce, "execInst": strings.Join(exec, ","), "contingencyType": "", "ordStatus": ordStatus(o),
		"triggered": "", "workingIndicator": o.Status == core.Open, "ordRejReason": "",
		"leavesQty": toUnits(m, core.TrimDec(left)), "cumQty": toUnits(m, o.Filled), "avgPx": avg, "text": text,
		"transactTime": ts(o.Created), "timestamp": ts(o.Updated),
	}
}
