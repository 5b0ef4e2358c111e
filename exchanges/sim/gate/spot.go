package gate

import (
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Spot accounts and orders over core's accounts. Order ids are core's
// order numbers in decimal; an id that starts with "t-" names the order's
// text (client order id) instead, as on Gate. A refused order is answered
// with Gate's label (spotErrors) and HTTP 400.

func (h *gate) spotAccounts(c *call) {
	want := c.r.URL.Query().Get("currency")
	out := []map[string]any{}
	for i, b := range h.st.Accounts().Balances(c.k, core.Spot) {
		if want != "" && !strings.EqualFold(want, b.Asset) {
			continue
		}
		out = append(out, map[string]any{"currency": b.Asset, "available": b.Free, "locked": b.Used, "update_id": i + 1})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

// orderErr maps core's refusals to Gate's labels, for spot or futures.
func orderErr(err error, m core.Market) gateErr {
	var oe *core.OrderError
	if !errors.As(err, &oe) {
		return gateErr{http.StatusInternalServerError, "SERVER_ERROR", "Internal server error"}
	}
	bad := func(label, msg string) gateErr { return gateErr{http.StatusBadRequest, label, msg} }
	futures := m.Kind == core.Perpetual
	switch oe.Reason {
	case core.ReasonBadPrice:
		return badParam("invalid argument: price")
	case core.ReasonBadQty:
		return badParam("invalid argument: amount")
	case core.ReasonPriceTick, core.ReasonQtyStep:
		return bad("INVALID_PRECISION", "Invalid precision: "+oe.Msg)
	case core.ReasonMinQty, core.ReasonMinNotional:
		if futures {
			return bad("SIZE_TOO_SMALL", "order size too small")
		}
		return badParam("Your order size is too small: " + oe.Msg)
	case core.ReasonMaxQty:
		if futures {
			return bad("SIZE_TOO_LARGE", "order size too large")
		}
		return bad("AMOUNT_TOO_MUCH", "Amount too much: "+oe.Msg)
	case core.ReasonInsufficient:
		if futures {
			return bad("INSUFFICIENT_AVAILABLE", "insufficient available balance")
		}
		return bad("BALANCE_NOT_ENOUGH", "Not enough balance")
	case core.ReasonWouldTake:
		if futures {
			return bad("ORDER_POC_IMMEDIATE", "order would match and take immediately")
		}
		return bad("POC_FILL_IMMEDIATELY", "Order would match and take immediately so its cancelled")
	case core.ReasonDuplicateClientID:
		return bad("REPEATED_CREATION", "Repeated creation: the text is in use by an open order")
	case core.ReasonTooManyOrders:
		return bad("TOO_MANY_ORDERS", "Too many open orders")
	}
	return bad("INVALID_CURRENCY_PAIR", oe.Msg)
}

// checkText checks a client order id: empty, or "t-" and at most 28 bytes.
func checkText(text string) bool {
	return text == "" || (strings.HasPrefix(text, "t-") && len(text) <= 28)
}

type spotBody struct {
	CurrencyPair string `json:"currency_pair"`
	Type         string `json:"type"`
	Account      string `json:"account"`
	Side         string `json:"side"`
	Amount       string `json:"amount"`
	Price        string `json:"price"`
	TimeInForce  string `json:"time_in_force"`
	Text         string `json:"text"`
}

func (h *gate) spotCreate(c *call) {
	var b spotBody
	if json.Unmarshal(c.body, &b) != nil {
		h.fail(c.w, gateErr{http.StatusBadRequest, "INVALID_REQUEST_BODY", "request body is not valid JSON"})
		return
	}
	m, ok := marketOf(b.CurrencyPair, core.Spot)
	switch {
	case !ok:
		h.fail(c.w, gateErr{http.StatusBadRequest, "INVALID_CURRENCY_PAIR", "Invalid currency pair " + b.CurrencyPair})
		return
	case b.Account != "" && b.Account != "spot":
		h.fail(c.w, badParam("invalid argument: account (the simulator trades the spot account only)"))
		return
	case b.Side != "buy" && b.Side != "sell":
		h.fail(c.w, badParam("invalid argument: side"))
		return
	case b.Type != "" && b.Type != "limit" && b.Type != "market":
		h.fail(c.w, badParam("invalid argument: type"))
		return
	case !checkText(b.Text):
		h.fail(c.w, badParam("invalid argument: text must start with t- and be at most 28 bytes"))
		return
	}
	tif := b.TimeInForce
	if tif == "" {
		tif = "gtc"
	}
	typ := core.Limit
	if b.Type == "market" {
		typ = core.MarketOrd
	}
	switch {
	case typ == core.Limit && tif != "gtc" && tif != "ioc" && tif != "poc" && tif != "fok":
		h.fail(c.w, badParam("invalid argument: time_in_force"))
		return
	case typ == core.MarketOrd && tif != "ioc" && tif != "fok":
		h.fail(c.w, badParam("invalid argument: market orders take time_in_force ioc or fok"))
		return
	}
	now := h.st.Now()
	req := core.OrderRequest{Symbol: m.Symbol, Side: core.Side(b.Side), Type: typ, Price: b.Price, Qty: b.Amount,
		ClientID: b.Text, TimeInForce: tif, PostOnly: tif == "poc"}
	if typ == core.MarketOrd {
		req.Price = ""
		if req.Side == core.Buy {
			// A market buy's amount is what it spends, in the quote asset.
			qty, ok := core.QuoteToBase(m, core.Buy, b.Amount, now)
			if !ok {
				h.fail(c.w, badParam("Your order size "+b.Amount+" "+m.Quote+" is too small. The minimum is "+m.MinNotional+" "+m.Quote))
				return
			}
			req.Qty = qty
		}
	}
	o, err := h.st.Accounts().Place(c.k, req, now)
	if err != nil {
		h.fail(c.w, orderErr(err, m))
		return
	}
	if o.Status == core.Open && (tif == "ioc" || tif == "fok") {
		o, _ = h.st.Accounts().Cancel(c.k.Key, o.ID, "", now)
	}
	core.WriteJSON(c.w, http.StatusCreated, spotJSON(o))
}

// findOrder finds the key's order named by an id or a "t-" text, in a
// market of kind k.
func (h *gate) findOrder(c *call, k core.Kind) (core.Order, bool) {
	id, text := int64(0), ""
	if strings.HasPrefix(c.id, "t-") {
		text = c.id
	} else if n, err := strconv.ParseInt(c.id, 10, 64); err == nil {
		id = n
	}
	o, err := h.st.Accounts().Find(c.k.Key, id, text)
	if m, _ := core.MarketOf(o.Symbol); err != nil || m.Kind != k || (id == 0 && text == "") {
		h.fail(c.w, gateErr{http.StatusNotFound, "ORDER_NOT_FOUND", "Order not found"})
		return core.Order{}, false
	}
	return o, true
}

// getOrder answers an order of kind k rendered by render.
func (h *gate) getOrder(c *call, k core.Kind, render func(core.Order) map[string]any) {
	if o, ok := h.findOrder(c, k); ok {
		core.WriteJSON(c.w, http.StatusOK, render(o))
	}
}

// cancelOrder cancels an order of kind k and answers it rendered.
func (h *gate) cancelOrder(c *call, k core.Kind, render func(core.Order) map[string]any) {
	o, ok := h.findOrder(c, k)
	if !ok {
		return
	}
	if h.cancel(c, o) {
		o, _ = h.st.Accounts().Find(c.k.Key, o.ID, "")
		core.WriteJSON(c.w, http.StatusOK, render(o))
	}
}

func (h *gate) spotGet(c *call)    { h.getOrder(c, core.Spot, spotJSON) }
func (h *gate) spotCancel(c *call) { h.cancelOrder(c, core.Spot, spotJSON) }

// cancel cancels o, answering Gate's label when it is no longer open.
func (h *gate) cancel(c *call, o core.Order) bool {
	if _, err := h.st.Accounts().Cancel(c.k.Key, o.ID, "", h.st.Now()); err != nil {
		if o.Status == core.Filled {
			h.fail(c.w, gateErr{http.StatusBadRequest, "ORDER_CLOSED", "Order already closed"})
		} else {
			h.fail(c.w, gateErr{http.StatusBadRequest, "ORDER_CANCELLED", "Order already cancelled"})
		}
		return false
	}
	return true
}

// spotOpenOrders is GET /spot/open_orders: open orders grouped by pair.
func (h *gate) spotOpenOrders(c *call) {
	want := c.r.URL.Query().Get("currency_pair")
	groups := map[string][]map[string]any{}
	for _, o := range h.st.Accounts().Orders(c.k.Key, "", true) {
		m, _ := core.MarketOf(o.Symbol)
		if m.Kind != core.Spot || (want != "" && want != pairID(m)) {
			continue
		}
		groups[pairID(m)] = append(groups[pairID(m)], spotJSON(o))
	}
	out := []map[string]any{}
	for _, id := range core.SortedKeys(groups) {
		out = append(out, map[string]any{"currency_pair": id, "total": len(groups[id]), "orders": groups[id]})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

// spotOrders is GET /spot/orders?currency_pair=..&status=open|finished.
func (h *gate) spotOrders(c *call) {
	q := c.r.URL.Query()
	m, ok := marketOf(q.Get("currency_pair"), core.Spot)
	if !ok {
		h.fail(c.w, gateErr{http.StatusBadRequest, "MISSING_REQUIRED_PARAM", "currency_pair is required"})
		return
	}
	status := q.Get("status")
	if status != "open" && status != "finished" {
		h.fail(c.w, badParam("invalid argument: status"))
		return
	}
	out := []map[string]any{}
	for _, o := range h.st.Accounts().Orders(c.k.Key, m.Symbol, status == "open") {
		if status == "finished" && o.Status == core.Open {
			continue
		}
		out = append(out, spotJSON(o))
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

// finishAs is how an order ended in Gate's words ("open" while it rests).
func finishAs(o core.Order) string {
	switch {
	case o.Status == core.Filled:
		return "filled"
	case o.Status == core.Canceled && (o.TimeInForce == "ioc" || o.TimeInForce == "fok"):
		return "ioc"
	case o.Status == core.Canceled:
		return "cancelled"
	}
	return "open"
}

func spotJSON(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	status := map[core.OrderStatus]string{core.Open: "open", core.Filled: "closed", core.Canceled: "cancelled"}[o.Status]
	qty, _ := core.ParseDec(o.Qty)
	filled, _ := core.ParseDec(o.Filled)
	total, avg := o.FilledValue(), o.AvgPrice
	if avg == "" {
		avg = "0"
	}
	amount, left := o.Qty, core.TrimDec(new(big.Rat).Sub(qty, filled))
	price := o.Price
	if o.Type == core.MarketOrd {
		price = "0"
		if o.Side == core.Buy {
			amount, left = total, "0" // a market buy's amount is its cost
		}
	}
	text := o.ClientID
	if text == "" {
		text = "apiv4"
	}
	return map[string]any{
		"id": strconv.FormatInt(o.ID, 10), "text": text, "amend_text": "-",
		"create_time": strconv.FormatInt(o.Created.Unix(), 10), "update_time": strconv.FormatInt(o.Updated.Unix(), 10),
		"create_time_ms": o.Created.UnixMilli(), "update_time_ms": o.Updated.UnixMilli(), "status": status,
		"currency_pair": pairID(m), "type": string(o.Type), "account": "spot", "side": string(o.Side),
		"amount": amount, "price": price, "time_in_force": o.TimeInForce, "iceberg": "0", "left": left,
		"filled_amount": o.Filled, "fill_price": total, "filled_total": total, "avg_deal_price": avg,
		"fee": "0", "fee_currency": m.Base, "point_fee": "0", "gt_fee": "0", "gt_maker_fee": "0",
		"gt_taker_fee": "0", "gt_discount": false, "rebated_fee": "0", "rebated_fee_currency": m.Quote,
		"finish_as": finishAs(o),
	}
}
