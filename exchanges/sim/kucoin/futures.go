package kucoin

import (
	"encoding/json"
	"math/big"
	"net/http"
	"strconv"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// KuCoin's futures host, on the same listener: the USDT-margined BTC
// perpetual "XBTUSDTM", quoted in contracts of multiplier BTC each.

const multiplier = "0.001"

func contractOf(m core.Market) string { return "XBT" + m.Quote + "M" }

func contractMarket(symbol string) (core.Market, bool) {
	for _, m := range core.MarketsOf(core.Perpetual) {
		if contractOf(m) == symbol {
			return m, true
		}
	}
	return core.Market{}, false
}

func num(s string) json.Number {
	if _, ok := core.ParseDec(s); !ok {
		return "0"
	}
	return json.Number(s)
}

// lots turns an amount in BTC into contracts, and back.
func lots(qty string) string {
	q, _ := core.ParseDec(qty)
	if q == nil {
		return "0"
	}
	m, _ := core.ParseDec(multiplier)
	return core.TrimDec(new(big.Rat).Quo(q, m))
}

func fromLots(n string) (string, bool) {
	r, ok := core.ParseDec(n)
	if !ok {
		return "", false
	}
	m, _ := core.ParseDec(multiplier)
	return core.TrimDec(new(big.Rat).Mul(r, m)), true
}

func contractsActive(h *kucoin, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for _, m := range core.MarketsOf(core.Perpetual) {
		t := m.Ticker(q.sc.Now())
		out = append(out, map[string]any{
			"symbol": contractOf(m), "rootSymbol": m.Settle, "type": "FFWCSX", "firstOpenDate": 1585555200000,
			"expireDate": nil, "settleDate": nil, "baseCurrency": "XBT", "quoteCurrency": m.Quote,
			"settleCurrency": m.Settle, "maxOrderQty": 1000000, "maxPrice": 1000000.0, "lotSize": 1,
			"tickSize": num(m.Tick), "indexPriceTickSize": 0.01, "multiplier": num(multiplier), "initialMargin": 0.008,
			"maintainMargin": 0.004, "maxRiskLimit": 100000, "minRiskLimit": 100000, "riskStep": 50000,
			"makerFeeRate": 0.0002, "takerFeeRate": 0.0006, "takerFixFee": 0.0, "makerFixFee": 0.0,
			"settlementFee": nil, "isDeleverage": true, "isQuanto": true, "isInverse": false, "markMethod": "FairPrice",
			"fairMethod": "FundingRate", "fundingBaseSymbol": ".XBTINT8H", "fundingQuoteSymbol": ".USDTINT8H",
			"fundingRateSymbol": ".XBTUSDTMFPI8H", "indexSymbol": ".KXBTUSDT", "settlementSymbol": "",
			"status": "Open", "fundingFeeRate": 0.0001, "predictedFundingFeeRate": 0.0001,
			"fundingRateGranularity": 28800000, "openInterest": "5200000", "turnoverOf24h": num(t.QuoteVolume),
			"volumeOf24h": num(t.Volume), "markPrice": num(m.Mid), "indexPrice": num(m.Mid), "lastTradePrice": num(t.Last),
			"nextFundingRateTime": 3600000, "maxLeverage": m.MaxLeverage, "lowPrice": num(t.Low), "highPrice": num(t.High),
			"priceChgPct": 0.0204, "priceChg": num(t.Change), "supportCross": true,
		})
	}
	h.ok(w, out)
}

func futuresTicker(h *kucoin, w http.ResponseWriter, q *req) {
	m, ok := contractMarket(q.q.Get("symbol"))
	if !ok {
		h.fail(w, kcBadSymbol)
		return
	}
	t := m.Ticker(q.sc.Now())
	ns := q.sc.Now().UnixNano()
	h.ok(w, map[string]any{"sequence": ns / 1e6, "symbol": contractOf(m), "side": "buy", "size": 1, "tradeId": "1",
		"price": t.Last, "bestBidPrice": t.Bid, "bestBidSize": lotsInt(t.BidQty), "bestAskPrice": t.Ask,
		"bestAskSize": lotsInt(t.AskQty), "ts": ns})
}

func lotsInt(qty string) json.Number { return json.Number(lots(qty)) }

func futuresDepth(h *kucoin, w http.ResponseWriter, q *req) {
	m, ok := contractMarket(q.q.Get("symbol"))
	if !ok {
		h.fail(w, kcBadSymbol)
		return
	}
	b := m.Book(20, q.sc.Now())
	levels := func(ls []core.Level) [][2]json.Number {
		out := make([][2]json.Number, len(ls))
		for i, l := range ls {
			out[i] = [2]json.Number{num(l.Price), lotsInt(l.Qty)}
		}
		return out
	}
	h.ok(w, map[string]any{"symbol": contractOf(m), "sequence": b.Time.UnixMilli(), "asks": levels(b.Asks),
		"bids": levels(b.Bids), "ts": b.Time.UnixNano()})
}

// marginSymbols and isolatedSymbols list both spot pairs as marginable.
func marginSymbols(h *kucoin, w http.ResponseWriter, q *req) {
	items := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		items = append(items, map[string]any{"symbol": symbolOf(m), "name": symbolOf(m), "enableTrading": true,
			"market": "USDS", "baseCurrency": m.Base, "quoteCurrency": m.Quote, "baseIncrement": m.Step,
			"baseMinSize": m.MinQty, "quoteIncrement": "0.000001", "quoteMinSize": m.MinNotional, "baseMaxSize": m.MaxQty,
			"quoteMaxSize": "99999999", "priceIncrement": m.Tick, "feeCurrency": m.Quote, "priceLimitRate": "0.1",
			"minFunds": m.MinNotional})
	}
	h.ok(w, map[string]any{"timestamp": q.sc.Now().UnixMilli(), "items": items})
}

func isolatedSymbols(h *kucoin, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		out = append(out, map[string]any{"symbol": symbolOf(m), "symbolName": symbolOf(m), "baseCurrency": m.Base,
			"quoteCurrency": m.Quote, "maxLeverage": 10, "flDebtRatio": "0.97", "tradeEnable": true,
			"autoRenewMaxDebtRatio": "0.96", "baseBorrowEnable": true, "quoteBorrowEnable": true,
			"baseTransferInEnable": true, "quoteTransferInEnable": true, "baseBorrowCoefficient": "1",
			"quoteBorrowCoefficient": "1"})
	}
	h.ok(w, out)
}

// futuresOrder is a new order on the futures host; size is in contracts.
type futuresOrder struct {
	ClientOid   string      `json:"clientOid"`
	Side        string      `json:"side"`
	Symbol      string      `json:"symbol"`
	Type        string      `json:"type"`
	Price       string      `json:"price"`
	Size        json.Number `json:"size"`
	TimeInForce string      `json:"timeInForce"`
	PostOnly    bool        `json:"postOnly"`
	ReduceOnly  bool        `json:"reduceOnly"`
	MarginMode  string      `json:"marginMode"`
}

func futuresPlace(h *kucoin, w http.ResponseWriter, q *req) {
	var in futuresOrder
	if json.Unmarshal(q.body, &in) != nil {
		h.fail(w, kucoinErr{http.StatusBadRequest, "400100", "Invalid request body"})
		return
	}
	m, ok := contractMarket(in.Symbol)
	if !ok {
		h.fail(w, kucoinErr{http.StatusOK, "100001", "Contract does not exist"})
		return
	}
	qty, ok := fromLots(in.Size.String())
	if !ok || in.ClientOid == "" {
		h.fail(w, kucoinErr{http.StatusOK, "100001", "Parameter error: size and clientOid are required"})
		return
	}
	o := core.OrderRequest{Symbol: m.Symbol, Qty: qty, Price: in.Price, ClientID: in.ClientOid,
		TimeInForce: in.TimeInForce, PostOnly: in.PostOnly, ReduceOnly: in.ReduceOnly}
	if e, ok := sideAndType(&o, in.Side, in.Type, "100001"); !ok {
		h.fail(w, e)
		return
	}
	placed, err := h.st.Accounts().Place(q.key, o, q.sc.Now())
	if err != nil {
		e := orderErr(err)
		if e.code == "200004" {
			e = kucoinErr{http.StatusOK, "300003", "Balance not enough, please first deposit at least 2 USDT before you start the battle"}
		}
		h.fail(w, e)
		return
	}
	h.ok(w, map[string]string{"orderId": strconv.FormatInt(placed.ID, 10), "clientOid": placed.ClientID})
}

func (h *kucoin) futuresFind(q *req) (core.Order, bool) {
	id, err := strconv.ParseInt(q.id, 10, 64)
	if err != nil {
		return core.Order{}, false
	}
	o, err := h.st.Accounts().Find(q.key.Key, id, "")
	m, _ := core.MarketOf(o.Symbol)
	return o, err == nil && m.Kind == core.Perpetual
}

func futuresGet(h *kucoin, w http.ResponseWriter, q *req) {
	o, ok := h.futuresFind(q)
	if !ok {
		h.fail(w, kucoinErr{http.StatusNotFound, "100004", "The order does not exist."})
		return
	}
	h.ok(w, renderFutures(o))
}

func futuresCancel(h *kucoin, w http.ResponseWriter, q *req) {
	o, ok := h.futuresFind(q)
	if ok {
		_, err := h.st.Accounts().Cancel(q.key.Key, o.ID, "", q.sc.Now())
		ok = err == nil
	}
	if !ok {
		h.fail(w, kucoinErr{http.StatusOK, "100004", "The order cannot be canceled."})
		return
	}
	h.ok(w, map[string]any{"cancelledOrderIds": []string{strconv.FormatInt(o.ID, 10)}})
}

func futuresList(h *kucoin, w http.ResponseWriter, q *req) {
	symbol := ""
	if s := q.q.Get("symbol"); s != "" {
		m, ok := contractMarket(s)
		if !ok {
			h.fail(w, kucoinErr{http.StatusOK, "100001", "Contract does not exist"})
			return
		}
		symbol = m.Symbol
	}
	openOnly := q.q.Get("status") != "done"
	items := []map[string]any{}
	orders := h.st.Accounts().Orders(q.key.Key, symbol, openOnly)
	for i := len(orders) - 1; i >= 0; i-- {
		o := orders[i]
		if m, _ := core.MarketOf(o.Symbol); m.Kind != core.Perpetual || (!openOnly && o.Status == core.Open) {
			continue
		}
		items = append(items, renderFutures(o))
	}
	h.ok(w, map[string]any{"currentPage": 1, "pageSize": 50, "totalNum": len(items), "totalPage": 1, "items": items})
}

func renderFutures(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	status, avg := "open", "0"
	if o.Status != core.Open {
		status = "done"
	}
	if o.AvgPrice != "" {
		avg = o.AvgPrice
	}
	tif := o.TimeInForce
	if tif == "" {
		tif = "GTC"
	}
	value := core.MulDec(o.Price, o.Qty)
	return map[string]any{
		"id": strconv.FormatInt(o.ID, 10), "symbol": contractOf(m), "type": string(o.Type), "side": string(o.Side),
		"price": o.Price, "size": lotsInt(o.Qty), "value": value, "dealValue": "0", "dealSize": lotsInt(o.Filled),
		"stp": "", "stop": "", "stopPriceType": "", "stopTriggered": false, "stopPrice": nil, "timeInForce": tif,
		"postOnly": o.PostOnly, "hidden": false, "iceberg": false, "leverage": strconv.Itoa(core.Leverage),
		"forceHold": false, "closeOrder": false, "visibleSize": 0, "clientOid": o.ClientID, "remark": nil, "tags": "",
		"isActive": o.Status == core.Open, "cancelExist": o.Status == core.Canceled, "createdAt": o.Created.UnixMilli(),
		"updatedAt": o.Updated.UnixMilli(), "endAt": nil, "orderTime": o.Created.UnixNano(), "settleCurrency": m.Settle,
		"marginMode": "CROSS", "avgDealPrice": avg, "filledSize": lotsInt(o.Filled), "filledValue": "0",
		"status": status, "reduceOnly": o.ReduceOnly,
	}
}
