package kraken

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Balances and orders: Balance, BalanceEx, AddOrder, CancelOrder,
// QueryOrders, OpenOrders and ClosedOrders, over core's accounts. Order
// ids are Kraken txids ("OABCDE-FGHIJ-KLMNOP") that carry core's order
// number. A refused order answers Kraken's error strings (trade.go's
// orderErrors); trigger orders (stop-loss, take-profit, trailing) are not
// simulated and are refused as invalid arguments.

const base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// txidMask scrambles the order number's bits so txids look like Kraken's
// rather than a counter padded with A's.
const txidMask = 0x2D5A96C3B1E74F & (1<<55 - 1)

// txid renders core's order number as a Kraken txid.
func txid(n int64) string {
	h := sha256.Sum256([]byte(fmt.Sprint("txid:", n)))
	head := make([]byte, 5)
	for i := range head {
		head[i] = base32[h[i]%32]
	}
	tail := make([]byte, 11)
	n ^= txidMask
	for i := 10; i >= 0; i-- {
		tail[i] = base32[n&31]
		n >>= 5
	}
	return "O" + string(head) + "-" + string(tail[:5]) + "-" + string(tail[5:])
}

// parseTxid reverses txid; 0 for anything it did not make.
func parseTxid(s string) int64 {
	if len(s) != 19 {
		return 0
	}
	var n int64
	for _, c := range s[7:12] + s[13:] {
		i := strings.IndexRune(base32, c)
		if i < 0 {
			return 0
		}
		n = n<<5 | int64(i)
	}
	n ^= txidMask
	if n <= 0 || txid(n) != s {
		return 0
	}
	return n
}

// amount formats a balance with the asset's Kraken decimals.
func amount(id, v string) string {
	d := assetDecimals(id)
	r, ok := core.ParseDec(v)
	if d < 0 || !ok {
		return v
	}
	return core.FormatDec(r, d)
}

func (h *kraken) balance(c privateCall) {
	out := map[string]string{}
	for _, b := range h.st.Accounts().Balances(c.k, core.Spot) {
		id := assetID(b.Asset)
		out[id] = amount(id, b.Total)
	}
	h.ok(c.w, out)
}

func (h *kraken) balanceEx(c privateCall) {
	out := map[string]any{}
	for _, b := range h.st.Accounts().Balances(c.k, core.Spot) {
		id := assetID(b.Asset)
		out[id] = map[string]string{"balance": amount(id, b.Total), "hold_trade": amount(id, b.Used)}
	}
	h.ok(c.w, out)
}

// orderErrors are Kraken's answers to core's reasons.
var orderErrors = map[core.Reason]string{
	core.ReasonBadPrice:          "EGeneral:Invalid arguments:price",
	core.ReasonBadQty:            "EGeneral:Invalid arguments:volume",
	core.ReasonQtyStep:           "EGeneral:Invalid arguments:volume",
	core.ReasonMaxQty:            "EGeneral:Invalid arguments:volume",
	core.ReasonMinQty:            "EOrder:Order minimum not met",
	core.ReasonMinNotional:       "EOrder:Cost minimum not met",
	core.ReasonInsufficient:      "EOrder:Insufficient funds",
	core.ReasonWouldTake:         "EOrder:Post only order",
	core.ReasonDuplicateClientID: "EGeneral:Invalid arguments:cl_ord_id",
	core.ReasonTooManyOrders:     "EOrder:Orders limit exceeded",
	core.ReasonUnknownSymbol:     "EQuery:Unknown asset pair",
}

// addOrder is AddOrder: pair, type (buy|sell), ordertype (limit|market),
// volume, price, oflags (post), timeinforce (GTC|IOC|GTD), cl_ord_id,
// validate.
func (h *kraken) addOrder(c privateCall) {
	f := c.form
	p, ok := pairOf(f.Get("pair"))
	if !ok {
		h.fail(c.w, 200, "EQuery:Unknown asset pair")
		return
	}
	side := core.Side(f.Get("type"))
	if side != core.Buy && side != core.Sell {
		h.fail(c.w, 200, "EGeneral:Invalid arguments:type")
		return
	}
	var typ core.OrderType
	switch f.Get("ordertype") {
	case "limit":
		typ = core.Limit
	case "market":
		typ = core.MarketOrd
	default:
		h.fail(c.w, 200, "EGeneral:Invalid arguments:ordertype")
		return
	}
	tif := f.Get("timeinforce")
	switch tif {
	case "", "GTC", "IOC", "GTD":
	default:
		h.fail(c.w, 200, "EGeneral:Invalid arguments:timeinforce")
		return
	}
	flags := splitList(f.Get("oflags"))
	if contains(flags, "viqc") {
		h.fail(c.w, 200, "EGeneral:Invalid arguments:viqc")
		return
	}
	if len(f.Get("cl_ord_id")) > 64 {
		h.fail(c.w, 200, "EGeneral:Invalid arguments:cl_ord_id")
		return
	}
	req := core.OrderRequest{Symbol: p.m.Symbol, Side: side, Type: typ, Price: f.Get("price"), Qty: f.Get("volume"),
		ClientID: f.Get("cl_ord_id"), TimeInForce: tif, PostOnly: contains(flags, "post")}
	descr := map[string]string{"order": describe(p, req)}
	if v := f.Get("validate"); v == "true" || v == "1" {
		h.ok(c.w, map[string]any{"descr": descr})
		return
	}
	now := h.st.Now()
	o, err := h.st.Accounts().Place(c.k, req, now)
	var oe *core.OrderError
	if errors.As(err, &oe) {
		h.fail(c.w, 200, orderErrors[oe.Reason])
		return
	}
	if err != nil {
		h.ServerError(c.w)
		return
	}
	if o.Status == core.Open && tif == "IOC" {
		_, _ = h.st.Accounts().Cancel(c.k.Key, o.ID, "", now)
	}
	h.ok(c.w, map[string]any{"descr": descr, "txid": []string{txid(o.ID)}})
}

// describe is Kraken's one-line order description:
// "buy 0.00100000 XBTUSDT @ limit 30000.00".
func describe(p pair, req core.OrderRequest) string {
	vol := req.Qty
	if r, ok := core.ParseDec(vol); ok {
		vol = core.FormatDec(r, 8)
	}
	if req.Type == core.MarketOrd {
		return fmt.Sprintf("%s %s %s @ market", req.Side, vol, p.altname)
	}
	return fmt.Sprintf("%s %s %s @ limit %s", req.Side, vol, p.altname, req.Price)
}

// cancelOrder is CancelOrder: txid (or cl_ord_id). An order that is not
// open, or not this key's, is "EOrder:Unknown order".
func (h *kraken) cancelOrder(c privateCall) {
	id, cl := parseTxid(c.form.Get("txid")), c.form.Get("cl_ord_id")
	if id == 0 && cl == "" {
		h.fail(c.w, 200, "EOrder:Unknown order")
		return
	}
	if _, err := h.st.Accounts().Cancel(c.k.Key, id, cl, h.st.Now()); err != nil {
		h.fail(c.w, 200, "EOrder:Unknown order")
		return
	}
	h.ok(c.w, map[string]any{"count": 1})
}

// queryOrders is QueryOrders: txid, a comma list of up to 50 txids.
func (h *kraken) queryOrders(c privateCall) {
	ids := splitList(c.form.Get("txid"))
	if len(ids) == 0 || len(ids) > 50 {
		h.fail(c.w, 200, "EGeneral:Invalid arguments:txid")
		return
	}
	out := map[string]any{}
	for _, id := range ids {
		if o, err := h.st.Accounts().Find(c.k.Key, parseTxid(id), ""); err == nil {
			out[id] = orderJSON(o)
		}
	}
	if len(out) == 0 {
		h.fail(c.w, 200, "EOrder:Invalid order")
		return
	}
	h.ok(c.w, out)
}

func (h *kraken) openOrders(c privateCall) {
	out := map[string]any{}
	for _, o := range h.st.Accounts().Orders(c.k.Key, "", true) {
		if cl := c.form.Get("cl_ord_id"); cl == "" || cl == o.ClientID {
			out[txid(o.ID)] = orderJSON(o)
		}
	}
	h.ok(c.w, map[string]any{"open": out})
}

func (h *kraken) closedOrders(c privateCall) {
	out := map[string]any{}
	for _, o := range h.st.Accounts().Orders(c.k.Key, "", false) {
		if o.Status != core.Open {
			out[txid(o.ID)] = orderJSON(o)
		}
	}
	h.ok(c.w, map[string]any{"closed": out, "count": len(out)})
}

func unixFloat(t interface{ UnixMicro() int64 }) json.Number {
	us := t.UnixMicro()
	return json.Number(fmt.Sprintf("%d.%04d", us/1e6, us%1e6/100))
}

// orderJSON renders an order as QueryOrders and OpenOrders do.
func orderJSON(o core.Order) map[string]any {
	p := pairOfSymbol(o.Symbol)
	status := "open"
	switch o.Status {
	case core.Filled:
		status = "closed"
	case core.Canceled:
		status = "canceled"
	}
	req := core.OrderRequest{Side: o.Side, Type: o.Type, Price: o.Price, Qty: o.Qty}
	price := o.Price
	if price == "" {
		price = "0"
	}
	vol, _ := core.ParseDec(o.Qty)
	filled, _ := core.ParseDec(o.Filled)
	cost, avg := "0.00000", "0.00000"
	if o.AvgPrice != "" {
		a, _ := core.ParseDec(o.AvgPrice)
		cost, avg = core.FormatDec(new(big.Rat).Mul(filled, a), 5), o.AvgPrice
	}
	flags := "fciq"
	if o.PostOnly {
		flags = "post,fciq"
	}
	v := map[string]any{
		"refid": nil, "userref": 0, "status": status, "opentm": unixFloat(o.Created), "starttm": 0, "expiretm": 0,
		"descr": map[string]string{"pair": p.altname, "type": string(o.Side), "ordertype": string(o.Type),
			"price": price, "price2": "0", "leverage": "none", "order": describe(p, req), "close": ""},
		"vol": core.FormatDec(vol, 8), "vol_exec": core.FormatDec(filled, 8), "cost": cost, "fee": "0.00000",
		"price": avg, "stopprice": "0.00000", "limitprice": "0.00000", "misc": "", "oflags": flags, "trades": []string{},
	}
	if o.ClientID != "" {
		v["cl_ord_id"] = o.ClientID
	}
	if o.Status != core.Open {
		v["closetm"] = unixFloat(o.Updated)
		if o.Status == core.Canceled {
			v["reason"] = "User requested"
		}
	}
	return v
}
