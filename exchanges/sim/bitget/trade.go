package bitget

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

func accountInfo(b *bitget, w http.ResponseWriter, q *req) {
	k := q.key
	ips := ""
	for i, ip := range k.IPs {
		if i > 0 {
			ips += ","
		}
		ips += ip
	}
	b.ok(w, map[string]any{
		"userId": "1234567890", "inviterId": "", "ips": ips, "authorities": bitgetAuthorities(k),
		"parentId": 1234567890, "traderType": "not_trader", "channelCode": "", "channel": "",
		"regisTime": strconv.FormatInt(k.Created.Add(-365*24*time.Hour).UnixMilli(), 10),
	})
}

func spotAssets(b *bitget, w http.ResponseWriter, q *req) {
	out := []map[string]string{}
	now := msStr(q.sc.Now())
	for _, x := range b.st.Accounts().Balances(q.key, core.Spot) {
		if exchanges.IsZeroDecimal(x.Total) {
			continue
		}
		if c := q.q.Get("coin"); c != "" && c != x.Asset {
			continue
		}
		out = append(out, map[string]string{"coin": x.Asset, "available": x.Free, "frozen": x.Used, "locked": "0", "limitAvailable": "0", "uTime": now})
	}
	b.ok(w, out)
}

func futuresAccounts(b *bitget, w http.ResponseWriter, q *req) {
	if !b.productOK(w, q) {
		return
	}
	out := []map[string]any{}
	if q.q.Get("productType") != productUSDT {
		b.ok(w, out)
		return
	}
	for _, x := range b.st.Accounts().Balances(q.key, core.Perpetual) {
		out = append(out, map[string]any{
			"marginCoin": x.Asset, "locked": x.Used, "available": x.Free, "crossedMaxAvailable": x.Free, "isolatedMaxAvailable": x.Free,
			"maxTransferOut": x.Free, "accountEquity": x.Total, "usdtEquity": x.Total, "btcEquity": "0", "crossedRiskRate": "0",
			"crossedMarginLeverage": core.Leverage, "isolatedLongLever": core.Leverage, "isolatedShortLever": core.Leverage, "marginMode": "crossed",
			"posMode": "one_way_mode", "unrealizedPL": "", "coupon": "0", "crossedUnrealizedPL": "0", "isolatedUnrealizedPL": "",
			"assetMode": "single",
		})
	}
	b.ok(w, out)
}

func allPositions(b *bitget, w http.ResponseWriter, q *req) {
	if !b.productOK(w, q) {
		return
	}
	out := []map[string]string{}
	for _, p := range b.st.Accounts().Positions(q.key.Key) {
		m, _ := core.MarketOf(p.Symbol)
		side, size := "long", p.Size
		if strings.HasPrefix(size, "-") {
			side, size = "short", size[1:]
		}
		out = append(out, map[string]string{"symbol": symbolOf(m), "marginCoin": m.Settle, "holdSide": side, "total": size,
			"available": size, "openPriceAvg": p.EntryPrice, "marginMode": "crossed", "posMode": "one_way_mode",
			"leverage": strconv.Itoa(core.Leverage), "markPrice": m.Mid, "unrealizedPL": "0", "cTime": msStr(q.sc.Now())})
	}
	b.ok(w, out)
}

// orderBody is a new order or a cancellation, spot or mix.
type orderBody struct {
	Symbol      string `json:"symbol"`
	ProductType string `json:"productType"`
	MarginCoin  string `json:"marginCoin"`
	MarginMode  string `json:"marginMode"`
	Side        string `json:"side"`
	OrderType   string `json:"orderType"`
	Force       string `json:"force"`
	Price       string `json:"price"`
	Size        string `json:"size"`
	ClientOid   string `json:"clientOid"`
	ReduceOnly  string `json:"reduceOnly"`
	OrderID     string `json:"orderId"`
}

func orderErr(kind core.Kind, err error) bitgetErr {
	var oe *core.OrderError
	if !errors.As(err, &oe) {
		return bgErr("40015", "System is abnormal, please try again later")
	}
	switch oe.Reason {
	case core.ReasonUnknownSymbol:
		return bgBadSymbol
	case core.ReasonBadPrice, core.ReasonPriceTick:
		return bgErr("40808", "Parameter verification exception price")
	case core.ReasonBadQty, core.ReasonQtyStep:
		return bgErr("40808", "Parameter verification exception size")
	case core.ReasonMinQty, core.ReasonMinNotional:
		return bgErr("45110", "less than the minimum amount 5 USDT")
	case core.ReasonMaxQty:
		return bgErr("45111", "less than the maximum amount")
	case core.ReasonInsufficient:
		if kind == core.Perpetual {
			return bgErr("40762", "The order amount exceeds the balance")
		}
		return bgErr("43012", "Insufficient balance")
	case core.ReasonDuplicateClientID:
		return bgErr("40757", "Duplicate clientOid")
	case core.ReasonWouldTake:
		return bgErr("43013", "Post only order will be taker")
	default:
		return bgErr("43008", "The number of open orders has reached the limit")
	}
}

var bgNoOrder = bgErr("43001", "The order does not exist")

// place parses and places a spot or mix order, answering
// {"orderId","clientOid"}.
func (b *bitget) place(w http.ResponseWriter, q *req, kind core.Kind) {
	var in orderBody
	if json.Unmarshal(q.body, &in) != nil {
		b.fail(w, bgErr("40017", "Parameter verification failed"))
		return
	}
	m, ok := marketOf(kind, in.Symbol)
	if !ok {
		b.fail(w, bgBadSymbol)
		return
	}
	if kind == core.Perpetual && in.ProductType != productUSDT && in.ProductType != strings.ToLower(productUSDT) {
		b.fail(w, bgErr("40019", "Parameter productType cannot be empty"))
		return
	}
	o := core.OrderRequest{Symbol: m.Symbol, Qty: in.Size, Price: in.Price, ClientID: in.ClientOid, TimeInForce: in.Force,
		PostOnly: in.Force == "post_only", ReduceOnly: in.ReduceOnly == "YES"}
	if o.Side, ok = core.SideOf(in.Side, "buy", "sell"); !ok {
		b.fail(w, bgErr("40017", "Parameter verification failed side"))
		return
	}
	switch in.OrderType {
	case "limit":
		o.Type = core.Limit
	case "market":
		o.Type, o.Price = core.MarketOrd, ""
	default:
		b.fail(w, bgErr("40017", "Parameter verification failed orderType"))
		return
	}
	if o.ClientID == "" {
		o.ClientID = strconv.FormatInt(time.Now().UnixNano(), 10)
	}
	placed, err := b.st.Accounts().Place(q.key, o, q.sc.Now())
	if err != nil {
		b.fail(w, orderErr(kind, err))
		return
	}
	b.ok(w, map[string]string{"orderId": strconv.FormatInt(placed.ID, 10), "clientOid": placed.ClientID})
}

func spotPlace(b *bitget, w http.ResponseWriter, q *req) { b.place(w, q, core.Spot) }
func mixPlace(b *bitget, w http.ResponseWriter, q *req)  { b.place(w, q, core.Perpetual) }

// find returns the order named by orderId or clientOid on symbol.
func (b *bitget) find(q *req, kind core.Kind, symbol, orderID, clientOid string) (core.Order, bool) {
	m, ok := marketOf(kind, symbol)
	id, _ := strconv.ParseInt(orderID, 10, 64)
	if !ok || (id == 0 && clientOid == "") {
		return core.Order{}, false
	}
	o, err := b.st.Accounts().Find(q.key.Key, id, clientOid)
	return o, err == nil && o.Symbol == m.Symbol
}

func (b *bitget) cancel(w http.ResponseWriter, q *req, kind core.Kind) {
	var in orderBody
	if json.Unmarshal(q.body, &in) != nil {
		b.fail(w, bgErr("40017", "Parameter verification failed"))
		return
	}
	o, ok := b.find(q, kind, in.Symbol, in.OrderID, in.ClientOid)
	if ok {
		_, err := b.st.Accounts().Cancel(q.key.Key, o.ID, "", q.sc.Now())
		ok = err == nil
	}
	if !ok {
		b.fail(w, bgNoOrder)
		return
	}
	b.ok(w, map[string]string{"orderId": strconv.FormatInt(o.ID, 10), "clientOid": o.ClientID})
}

func spotCancel(b *bitget, w http.ResponseWriter, q *req) { b.cancel(w, q, core.Spot) }
func mixCancel(b *bitget, w http.ResponseWriter, q *req)  { b.cancel(w, q, core.Perpetual) }

func spotOrderInfo(b *bitget, w http.ResponseWriter, q *req) {
	id, _ := strconv.ParseInt(q.q.Get("orderId"), 10, 64)
	o, err := b.st.Accounts().Find(q.key.Key, id, q.q.Get("clientOid"))
	if m, _ := core.MarketOf(o.Symbol); err != nil || m.Kind != core.Spot || (id == 0 && q.q.Get("clientOid") == "") {
		b.fail(w, bgNoOrder)
		return
	}
	b.ok(w, []map[string]any{renderOrder(o)})
}

func (b *bitget) list(q *req, kind core.Kind, symbol string, openOnly bool) []map[string]any {
	want := ""
	if m, ok := marketOf(kind, symbol); ok {
		want = m.Symbol
	}
	out := []map[string]any{}
	orders := b.st.Accounts().Orders(q.key.Key, want, openOnly)
	for i := len(orders) - 1; i >= 0; i-- {
		o := orders[i]
		if m, _ := core.MarketOf(o.Symbol); m.Kind != kind || (!openOnly && o.Status == core.Open) {
			continue
		}
		out = append(out, renderOrder(o))
	}
	return out
}

func spotUnfilled(b *bitget, w http.ResponseWriter, q *req) {
	b.ok(w, b.list(q, core.Spot, q.q.Get("symbol"), true))
}

func spotHistory(b *bitget, w http.ResponseWriter, q *req) {
	b.ok(w, b.list(q, core.Spot, q.q.Get("symbol"), false))
}

func mixDetail(b *bitget, w http.ResponseWriter, q *req) {
	if !b.productOK(w, q) {
		return
	}
	o, ok := b.find(q, core.Perpetual, q.q.Get("symbol"), q.q.Get("orderId"), q.q.Get("clientOid"))
	if !ok {
		b.fail(w, bgNoOrder)
		return
	}
	b.ok(w, renderOrder(o))
}

func mixPending(b *bitget, w http.ResponseWriter, q *req) {
	if !b.productOK(w, q) {
		return
	}
	b.ok(w, map[string]any{"entrustedList": b.list(q, core.Perpetual, q.q.Get("symbol"), true), "endId": ""})
}

// renderOrder writes a spot or mix order object.
func renderOrder(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	state := map[core.OrderStatus]string{core.Open: "live", core.Filled: "filled", core.Canceled: "cancelled"}[o.Status]
	avg, quote := "0", o.FilledValue()
	if o.AvgPrice != "" {
		avg = o.AvgPrice
	}
	force := o.TimeInForce
	if force == "" {
		force = "gtc"
	}
	v := map[string]any{
		"userId": "1234567890", "symbol": symbolOf(m), "orderId": strconv.FormatInt(o.ID, 10), "clientOid": o.ClientID,
		"price": o.Price, "size": o.Qty, "orderType": string(o.Type), "side": string(o.Side), "status": state,
		"priceAvg": avg, "baseVolume": o.Filled, "quoteVolume": quote, "enterPointSource": "API", "feeDetail": "",
		"orderSource": "normal", "cTime": msStr(o.Created), "uTime": msStr(o.Updated), "tpslType": "normal",
		"cancelReason": "", "triggerPrice": nil, "force": force,
	}
	if m.Kind == core.Perpetual {
		delete(v, "status")
		reduce := "NO"
		if o.ReduceOnly {
			reduce = "YES"
		}
		for k, x := range map[string]any{"state": strings.Replace(state, "cancelled", "canceled", 1), "fee": "0", "totalProfits": "0",
			"posSide": "net", "marginCoin": m.Settle, "presetStopSurplusPrice": "", "presetStopLossPrice": "",
			"leverage": strconv.Itoa(core.Leverage), "marginMode": "crossed", "reduceOnly": reduce, "tradeSide": "open",
			"posMode": "one_way_mode"} {
			v[k] = x
		}
	}
	return v
}
