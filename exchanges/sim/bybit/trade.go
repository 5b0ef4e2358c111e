package bybit

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

func accountInfo(b *bybit, w http.ResponseWriter, q *req) {
	b.answer(w, 200, 0, "OK", map[string]any{"unifiedMarginStatus": 6, "marginMode": "REGULAR_MARGIN",
		"isMasterTrader": false, "spotHedgingStatus": "OFF", "updatedTime": msStr(q.sc.Now()),
		"dcpStatus": "OFF", "timeWindow": 10, "smpGroup": 0})
}

// walletBalance answers the unified account: spot and derivatives funds
// together, less what open orders and positions hold.
func walletBalance(b *bybit, w http.ResponseWriter, q *req) {
	if q.q.Get("accountType") != "UNIFIED" {
		b.fail(w, 10001, "accountType only support UNIFIED.")
		return
	}
	type sum struct{ total, free, spotUsed, futUsed string }
	sums := map[string]*sum{}
	for _, wallet := range []core.Kind{core.Spot, core.Perpetual} {
		for _, x := range b.st.Accounts().Balances(q.key, wallet) {
			s := sums[x.Asset]
			if s == nil {
				s = &sum{"0", "0", "0", "0"}
				sums[x.Asset] = s
			}
			s.total, s.free = exchanges.AddDecimals(s.total, x.Total), exchanges.AddDecimals(s.free, x.Free)
			if wallet == core.Spot {
				s.spotUsed = exchanges.AddDecimals(s.spotUsed, x.Used)
			} else {
				s.futUsed = exchanges.AddDecimals(s.futUsed, x.Used)
			}
		}
	}
	coins := []map[string]string{}
	for _, a := range core.SortedKeys(sums) {
		s := sums[a]
		if exchanges.IsZeroDecimal(s.total) {
			continue
		}
		coins = append(coins, map[string]string{"coin": a, "equity": s.total, "usdValue": "", "walletBalance": s.total,
			"locked": s.spotUsed, "borrowAmount": "0", "availableToWithdraw": s.free, "accruedInterest": "0",
			"totalOrderIM": s.futUsed, "totalPositionIM": "0", "totalPositionMM": "0", "unrealisedPnl": "0",
			"cumRealisedPnl": "0", "bonus": "0", "collateralSwitch": "true", "marginCollateral": "true"})
	}
	b.answer(w, 200, 0, "OK", map[string]any{"list": []map[string]any{{
		"accountType": "UNIFIED", "accountIMRate": "0", "accountMMRate": "0", "totalEquity": "",
		"totalWalletBalance": "", "totalMarginBalance": "", "totalAvailableBalance": "",
		"totalPerpUPL": "0", "totalInitialMargin": "0", "totalMaintenanceMargin": "0", "coin": coins,
	}}})
}

func positionList(b *bybit, w http.ResponseWriter, q *req) {
	list := []map[string]any{}
	for _, p := range b.st.Accounts().Positions(q.key.Key) {
		m, _ := core.MarketOf(p.Symbol)
		side, size := "Buy", p.Size
		if strings.HasPrefix(size, "-") {
			side, size = "Sell", size[1:]
		}
		list = append(list, map[string]any{"symbol": symbolOf(m), "side": side, "size": size, "avgPrice": p.EntryPrice,
			"positionIdx": 0, "leverage": strconv.Itoa(core.Leverage), "markPrice": m.Mid, "unrealisedPnl": "0",
			"tradeMode": 0, "positionStatus": "Normal", "createdTime": msStr(q.sc.Now()), "updatedTime": msStr(q.sc.Now())})
	}
	b.answer(w, 200, 0, "OK", map[string]any{"category": "linear", "list": list, "nextPageCursor": ""})
}

type createReq struct {
	Category    string `json:"category"`
	Symbol      string `json:"symbol"`
	Side        string `json:"side"`
	OrderType   string `json:"orderType"`
	Qty         string `json:"qty"`
	Price       string `json:"price"`
	TimeInForce string `json:"timeInForce"`
	OrderLinkID string `json:"orderLinkId"`
	ReduceOnly  bool   `json:"reduceOnly"`
	MarketUnit  string `json:"marketUnit"`
}

// retErr is Bybit's refusal of an order: retCode and retMsg.
type retErr struct {
	code int
	msg  string
}

func (e retErr) Error() string { return e.msg }

func orderErr(kind core.Kind, err error) retErr {
	var re retErr
	if errors.As(err, &re) {
		return re
	}
	var oe *core.OrderError
	if !errors.As(err, &oe) {
		return retErr{10016, "Internal System Error."}
	}
	spot := kind == core.Spot
	pick := func(s, l retErr) retErr {
		if spot {
			return s
		}
		return l
	}
	switch oe.Reason {
	case core.ReasonUnknownSymbol:
		return retErr{10001, "params error: symbol invalid"}
	case core.ReasonBadPrice, core.ReasonPriceTick:
		return pick(retErr{170134, "Order price has too many decimals."}, retErr{10001, "The number of contracts exceeds minimum limit allowed"})
	case core.ReasonBadQty, core.ReasonQtyStep:
		return pick(retErr{170137, "Order quantity has too many decimals."}, retErr{10001, "Qty invalid"})
	case core.ReasonMinQty:
		return pick(retErr{170136, "Order quantity is lower than the minimum."}, retErr{10001, "The number of contracts exceeds minimum limit allowed"})
	case core.ReasonMaxQty:
		return pick(retErr{170135, "Order quantity exceeds the upper limit."}, retErr{10001, "The number of contracts exceeds maximum limit allowed"})
	case core.ReasonMinNotional:
		return pick(retErr{170140, "Order value exceeded lower limit."}, retErr{110094, "Order does not meet minimum order value"})
	case core.ReasonInsufficient:
		return pick(retErr{170131, "Insufficient balance."}, retErr{110007, "ab not enough for new order"})
	case core.ReasonDuplicateClientID:
		return retErr{10001, "Duplicate clientOrderId."}
	case core.ReasonWouldTake:
		return pick(retErr{170218, "The LIMIT-MAKER order is rejected due to its price would take liquidity."}, retErr{10001, "PostOnly order would take liquidity"})
	default:
		return retErr{10001, "Too many open orders."}
	}
}

func createOrder(b *bybit, w http.ResponseWriter, q *req) {
	var in createReq
	if json.Unmarshal(q.body, &in) != nil {
		b.fail(w, 10001, "Request parameter error.")
		return
	}
	m, ok := marketOf(in.Category, in.Symbol)
	if !ok {
		b.fail(w, 10001, "params error: symbol invalid")
		return
	}
	o := core.OrderRequest{Symbol: m.Symbol, Qty: in.Qty, Price: in.Price, ClientID: in.OrderLinkID,
		TimeInForce: in.TimeInForce, ReduceOnly: in.ReduceOnly, PostOnly: in.TimeInForce == "PostOnly"}
	if o.Side, ok = core.SideOf(in.Side, "Buy", "Sell"); !ok {
		b.fail(w, 10001, "params error: side invalid")
		return
	}
	switch in.OrderType {
	case "Limit":
		o.Type = core.Limit
	case "Market":
		o.Type, o.Price = core.MarketOrd, ""
	default:
		b.fail(w, 10001, "params error: orderType invalid")
		return
	}
	placed, err := b.st.Accounts().Place(q.key, o, q.sc.Now())
	if err != nil {
		e := orderErr(m.Kind, err)
		b.fail(w, e.code, e.msg)
		return
	}
	b.answer(w, 200, 0, "OK", map[string]string{"orderId": strconv.FormatInt(placed.ID, 10), "orderLinkId": placed.ClientID})
}

type cancelReq struct {
	Category    string `json:"category"`
	Symbol      string `json:"symbol"`
	OrderID     string `json:"orderId"`
	OrderLinkID string `json:"orderLinkId"`
}

func cancelOrder(b *bybit, w http.ResponseWriter, q *req) {
	var in cancelReq
	if json.Unmarshal(q.body, &in) != nil {
		b.fail(w, 10001, "Request parameter error.")
		return
	}
	m, ok := marketOf(in.Category, in.Symbol)
	if !ok {
		b.fail(w, 10001, "params error: symbol invalid")
		return
	}
	notFound := retErr{110001, "Order does not exist."}
	if m.Kind == core.Spot {
		notFound = retErr{170213, "Order does not exist."}
	}
	id, _ := strconv.ParseInt(in.OrderID, 10, 64)
	found, err := b.st.Accounts().Find(q.key.Key, id, in.OrderLinkID)
	if err == nil && found.Symbol == m.Symbol && (id != 0 || in.OrderLinkID != "") {
		_, err = b.st.Accounts().Cancel(q.key.Key, found.ID, "", q.sc.Now())
	} else if err == nil {
		err = core.ErrNoSuchOrder
	}
	if err != nil {
		b.fail(w, notFound.code, notFound.msg)
		return
	}
	b.answer(w, 200, 0, "OK", map[string]string{"orderId": strconv.FormatInt(found.ID, 10), "orderLinkId": found.ClientID})
}

// listOrders answers /v5/order/realtime (open orders, and any recent
// order asked by id) and /v5/order/history (closed ones).
func (b *bybit) listOrders(w http.ResponseWriter, q *req, realtime bool) {
	cat := q.q.Get("category")
	if cat != "spot" && cat != "linear" {
		b.fail(w, 10001, "Illegal category")
		return
	}
	symbol := ""
	if s := q.q.Get("symbol"); s != "" {
		m, ok := marketOf(cat, s)
		if !ok {
			b.fail(w, 10001, "params error: symbol invalid")
			return
		}
		symbol = m.Symbol
	}
	id, _ := strconv.ParseInt(q.q.Get("orderId"), 10, 64)
	link := q.q.Get("orderLinkId")
	openOnly := realtime && id == 0 && link == ""
	list := []map[string]any{}
	orders := b.st.Accounts().Orders(q.key.Key, symbol, openOnly)
	for i := len(orders) - 1; i >= 0; i-- {
		o := orders[i]
		m, _ := core.MarketOf(o.Symbol)
		if categoryOf(m) != cat || (id != 0 && o.ID != id) || (link != "" && o.ClientID != link) {
			continue
		}
		if !realtime && o.Status == core.Open {
			continue
		}
		list = append(list, renderOrder(o))
	}
	b.answer(w, 200, 0, "OK", map[string]any{"category": cat, "list": list, "nextPageCursor": ""})
}

func realtimeOrders(b *bybit, w http.ResponseWriter, q *req) { b.listOrders(w, q, true) }
func historyOrders(b *bybit, w http.ResponseWriter, q *req)  { b.listOrders(w, q, false) }

func renderOrder(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	status := map[core.OrderStatus]string{core.Open: "New", core.Filled: "Filled", core.Canceled: "Cancelled"}[o.Status]
	leaves := o.Qty
	if o.Status != core.Open {
		leaves = "0"
	}
	avg, value := "0", o.FilledValue()
	if o.AvgPrice != "" {
		avg = o.AvgPrice
	}
	tif := o.TimeInForce
	if tif == "" {
		tif = "GTC"
	}
	price := o.Price
	if price == "" {
		price = "0"
	}
	typ := "Limit"
	if o.Type == core.MarketOrd {
		typ = "Market"
	}
	cancelType := "UNKNOWN"
	if o.Status == core.Canceled {
		cancelType = "CancelByUser"
	}
	return map[string]any{
		"orderId": strconv.FormatInt(o.ID, 10), "orderLinkId": o.ClientID, "blockTradeId": "", "symbol": symbolOf(m),
		"price": price, "qty": o.Qty, "side": strings.ToUpper(string(o.Side[:1])) + string(o.Side[1:]), "isLeverage": "",
		"positionIdx": 0, "orderStatus": status, "cancelType": cancelType, "rejectReason": "EC_NoError",
		"avgPrice": avg, "leavesQty": leaves, "leavesValue": core.MulDec(price, leaves), "cumExecQty": o.Filled,
		"cumExecValue": value, "cumExecFee": "0", "timeInForce": tif, "orderType": typ, "stopOrderType": "",
		"orderIv": "", "triggerPrice": "0", "takeProfit": "", "stopLoss": "", "tpTriggerBy": "", "slTriggerBy": "",
		"triggerDirection": 0, "triggerBy": "", "lastPriceOnCreated": m.Mid, "reduceOnly": o.ReduceOnly,
		"closeOnTrigger": false, "smpType": "None", "smpGroup": 0, "smpOrderId": "", "tpslMode": "", "tpLimitPrice": "",
		"slLimitPrice": "", "placeType": "", "createdTime": msStr(o.Created), "updatedTime": msStr(o.Updated),
	}
}
