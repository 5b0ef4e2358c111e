package kucoin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// accountMode answers the unified-account probe ccxt makes first: the
// simulated account is a classic one.
func accountMode(h *kucoin, w http.ResponseWriter, q *req) {
	h.ok(w, map[string]any{"selfAccountMode": "CLASSIC", "subAccountMode": map[string]any{}})
}

// hfOpened: the simulated account trades on KuCoin's high-frequency
// (HF) order book, as every KuCoin account does since the migration.
func hfOpened(h *kucoin, w http.ResponseWriter, q *req) { h.ok(w, true) }

func apiKey(h *kucoin, w http.ResponseWriter, q *req) {
	k := q.key
	v := map[string]any{
		"remark":     k.Label,
		"apiKey":     k.Key,
		"apiVersion": 3,
		"permission": kucoinPermissions(k),
		"createdAt":  k.Created.UnixMilli(),
		"uid":        165111215,
		"isMaster":   true,
	}
	if len(k.IPs) > 0 {
		v["ipWhitelist"] = strings.Join(k.IPs, ",")
	}
	h.ok(w, v)
}

func futuresOverview(h *kucoin, w http.ResponseWriter, q *req) {
	cur := q.q.Get("currency")
	if cur == "" {
		cur = "XBT"
	}
	total, free, used := "0", "0", "0"
	for _, x := range h.st.Accounts().Balances(q.key, core.Perpetual) {
		if x.Asset == cur {
			total, free, used = x.Total, x.Free, x.Used
		}
	}
	// The futures host sends amounts as JSON numbers.
	h.ok(w, map[string]any{
		"accountEquity": kucoinNumber(total), "unrealisedPNL": 0, "marginBalance": kucoinNumber(total), "positionMargin": 0,
		"orderMargin": kucoinNumber(used), "frozenFunds": 0, "availableBalance": kucoinNumber(free), "currency": cur, "riskRatio": 0,
	})
}

// kucoinNumber writes a decimal string as a JSON number.
func kucoinNumber(s string) json.Number {
	if !exchanges.IsDecimal(s) {
		return "0"
	}
	return json.Number(s)
}

// accounts lists the spot account ("trade", or "trade_hf" when asked by
// type, as HF accounts are): balances less what open orders hold.
func accounts(h *kucoin, w http.ResponseWriter, q *req) {
	typ := q.q.Get("type")
	label := "trade"
	switch typ {
	case "", "trade":
	case "trade_hf":
		label = "trade_hf"
	default: // main, margin: empty here
		h.ok(w, []map[string]string{})
		return
	}
	out := []map[string]string{}
	for i, x := range h.st.Accounts().Balances(q.key, core.Spot) {
		if c := q.q.Get("currency"); c != "" && c != x.Asset {
			continue
		}
		out = append(out, map[string]string{
			"id": fmt.Sprintf("5bd6e9286d99522a52e458d%d", i%10), "currency": x.Asset, "type": label,
			"balance": x.Total, "available": x.Free, "holds": x.Used,
		})
	}
	h.ok(w, out)
}

// Order ids are 24 hex digits on KuCoin.
func idOf(o core.Order) string { return fmt.Sprintf("%024x", o.ID) }

func parseID(s string) int64 {
	n, err := strconv.ParseInt(s, 16, 64)
	if err != nil || len(s) != 24 {
		return -1
	}
	return n
}

type orderBody struct {
	ClientOid   string `json:"clientOid"`
	Side        string `json:"side"`
	Symbol      string `json:"symbol"`
	Type        string `json:"type"`
	Price       string `json:"price"`
	Size        string `json:"size"`
	Funds       string `json:"funds"`
	TimeInForce string `json:"timeInForce"`
	PostOnly    bool   `json:"postOnly"`
}

func orderErr(err error) kucoinErr {
	var oe *core.OrderError
	if !errors.As(err, &oe) {
		return kucoinErr{http.StatusInternalServerError, "500000", "Internal Server Error"}
	}
	bad := func(code, msg string) kucoinErr { return kucoinErr{http.StatusOK, code, msg} }
	switch oe.Reason {
	case core.ReasonUnknownSymbol:
		return kcBadSymbol
	case core.ReasonBadPrice, core.ReasonPriceTick:
		return bad("400100", "Price increment invalid.")
	case core.ReasonBadQty, core.ReasonQtyStep:
		return bad("400100", "Order size increment invalid.")
	case core.ReasonMinQty, core.ReasonMaxQty, core.ReasonMinNotional:
		return bad("400100", "Order size below the minimum requirement.")
	case core.ReasonInsufficient:
		return bad("200004", "Balance insufficient!")
	case core.ReasonDuplicateClientID:
		return bad("400100", "The clientOid is duplicated")
	case core.ReasonWouldTake:
		return bad("400100", "postOnly order will be taker")
	default:
		return bad("200003", "The number of orders exceeded the limit")
	}
}

func placeOrder(h *kucoin, w http.ResponseWriter, q *req) {
	var in orderBody
	if json.Unmarshal(q.body, &in) != nil {
		h.fail(w, kucoinErr{http.StatusBadRequest, "400100", "Invalid request body"})
		return
	}
	m, ok := marketOf(in.Symbol)
	if !ok {
		h.fail(w, kcBadSymbol)
		return
	}
	if in.ClientOid == "" {
		h.fail(w, kucoinErr{http.StatusOK, "400100", "validation.createOrder.clientOidIsRequired"})
		return
	}
	o := core.OrderRequest{Symbol: m.Symbol, Qty: in.Size, Price: in.Price, ClientID: in.ClientOid,
		TimeInForce: in.TimeInForce, PostOnly: in.PostOnly}
	if e, ok := sideAndType(&o, in.Side, in.Type, "400100"); !ok {
		h.fail(w, e)
		return
	}
	placed, err := h.st.Accounts().Place(q.key, o, q.sc.Now())
	if err != nil {
		h.fail(w, orderErr(err))
		return
	}
	h.ok(w, map[string]string{"orderId": idOf(placed), "clientOid": placed.ClientID})
}

var kcNoOrder = kucoinErr{http.StatusNotFound, "400100", "order_not_exist_or_not_allow_to_cancel"}

// findPathOrder finds the order of /api/v1/hf/orders/{id} (or
// /client-order/{clientOid}) on the request's symbol.
func (h *kucoin) findPathOrder(q *req) (core.Order, bool) {
	m, ok := marketOf(q.q.Get("symbol"))
	if !ok {
		return core.Order{}, false
	}
	id, client := int64(0), ""
	if strings.Contains(q.r.URL.Path, "/client-order/") {
		client = q.id
	} else if id = parseID(q.id); id <= 0 {
		return core.Order{}, false
	}
	o, err := h.st.Accounts().Find(q.key.Key, id, client)
	return o, err == nil && o.Symbol == m.Symbol
}

func getOrder(h *kucoin, w http.ResponseWriter, q *req) {
	o, ok := h.findPathOrder(q)
	if !ok {
		h.fail(w, kucoinErr{http.StatusOK, "400100", "order not exist."})
		return
	}
	h.ok(w, renderOrder(o))
}

func cancelOrder(h *kucoin, w http.ResponseWriter, q *req) {
	o, ok := h.findPathOrder(q)
	if ok {
		_, err := h.st.Accounts().Cancel(q.key.Key, o.ID, "", q.sc.Now())
		ok = err == nil
	}
	if !ok {
		h.fail(w, kcNoOrder)
		return
	}
	if strings.Contains(q.r.URL.Path, "/client-order/") {
		h.ok(w, map[string]string{"clientOid": o.ClientID})
		return
	}
	h.ok(w, map[string]string{"orderId": idOf(o)})
}

func (h *kucoin) list(w http.ResponseWriter, q *req, openOnly bool) {
	m, ok := marketOf(q.q.Get("symbol"))
	if !ok {
		h.fail(w, kcBadSymbol)
		return
	}
	out := []map[string]any{}
	orders := h.st.Accounts().Orders(q.key.Key, m.Symbol, openOnly)
	for i := len(orders) - 1; i >= 0; i-- {
		if !openOnly && orders[i].Status == core.Open {
			continue
		}
		out = append(out, renderOrder(orders[i]))
	}
	if openOnly {
		h.ok(w, out)
		return
	}
	h.ok(w, map[string]any{"lastId": 0, "items": out})
}

func activeOrders(h *kucoin, w http.ResponseWriter, q *req) { h.list(w, q, true) }
func doneOrders(h *kucoin, w http.ResponseWriter, q *req)   { h.list(w, q, false) }

func renderOrder(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	funds := o.FilledValue()
	remain, cancelled := o.Qty, "0"
	switch o.Status {
	case core.Filled:
		remain = "0"
	case core.Canceled:
		remain, cancelled = "0", o.Qty
	}
	tif := o.TimeInForce
	if tif == "" {
		tif = "GTC"
	}
	price := o.Price
	if price == "" {
		price = "0"
	}
	return map[string]any{
		"id": idOf(o), "clientOid": o.ClientID, "symbol": symbolOf(m), "opType": "DEAL", "type": string(o.Type),
		"side": string(o.Side), "price": price, "size": o.Qty, "funds": "0", "dealSize": o.Filled, "dealFunds": funds,
		"fee": "0", "feeCurrency": m.Quote, "stp": nil, "timeInForce": tif, "postOnly": o.PostOnly, "hidden": false,
		"iceberg": false, "visibleSize": "0", "cancelAfter": 0, "channel": "API", "remark": nil, "tags": nil,
		"cancelExist": o.Status == core.Canceled, "tradeType": "TRADE", "inOrderBook": o.Status == core.Open,
		"active": o.Status == core.Open, "tax": "0", "createdAt": o.Created.UnixMilli(), "lastUpdatedAt": o.Updated.UnixMilli(),
		"cancelledSize": cancelled, "cancelledFunds": "0", "remainSize": remain, "remainFunds": "0",
	}
}

// sideAndType reads KuCoin's side and type (limit when absent) into o;
// code is the host's parameter-error code.
func sideAndType(o *core.OrderRequest, side, typ, code string) (kucoinErr, bool) {
	var ok bool
	if o.Side, ok = core.SideOf(side, "buy", "sell"); !ok {
		return kucoinErr{http.StatusOK, code, "Parameter side error"}, false
	}
	switch typ {
	case "limit", "":
		o.Type = core.Limit
	case "market":
		o.Type, o.Price = core.MarketOrd, ""
	default:
		return kucoinErr{http.StatusOK, code, "Parameter type error"}, false
	}
	return kucoinErr{}, true
}
