package kucoin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// KuCoin's spot symbols are "BTC-USDT"; the perpetual lives on the
// futures host (ccxt's kucoinfutures class) and is not listed here.

func symbolOf(m core.Market) string { return m.Base + "-" + m.Quote }

func marketOf(symbol string) (core.Market, bool) {
	for _, m := range core.MarketsOf(core.Spot) {
		if symbolOf(m) == symbol {
			return m, true
		}
	}
	return core.Market{}, false
}

var kcBadSymbol = kucoinErr{http.StatusOK, "400100", "This pair is not provided at present"}

func serverTime(h *kucoin, w http.ResponseWriter, q *req) {
	core.WriteJSON(w, http.StatusOK, map[string]any{"code": "200000", "msg": "success", "data": q.sc.Now().UnixMilli()})
}

func symbols(h *kucoin, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		out = append(out, map[string]any{
			"symbol": symbolOf(m), "name": symbolOf(m), "baseCurrency": m.Base, "quoteCurrency": m.Quote,
			"feeCurrency": m.Quote, "market": "USDS", "baseMinSize": m.MinQty, "quoteMinSize": m.MinNotional,
			"baseMaxSize": m.MaxQty, "quoteMaxSize": "99999999", "baseIncrement": m.Step, "quoteIncrement": "0.000001",
			"priceIncrement": m.Tick, "priceLimitRate": "0.1", "minFunds": m.MinNotional, "isMarginEnabled": true,
			"enableTrading": true, "feeCategory": 1, "makerFeeCoefficient": "1.00", "takerFeeCoefficient": "1.00",
			"st": false, "callauctionIsEnabled": false, "callauctionPriceFloor": nil, "callauctionPriceCeiling": nil,
			"callauctionFirstStageStartTime": nil, "callauctionSecondStageStartTime": nil,
			"callauctionThirdStageStartTime": nil, "tradingStartTime": nil,
		})
	}
	h.ok(w, out)
}

func currencies(h *kucoin, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for _, c := range core.Currencies() {
		out = append(out, map[string]any{
			"currency": c.Code, "name": c.Code, "fullName": c.Name, "precision": c.Decimals, "confirms": nil,
			"contractAddress": nil, "isMarginEnabled": true, "isDebitEnabled": true,
			"chains": []map[string]any{{"chainName": c.Network, "withdrawalMinSize": c.WithdrawMin, "depositMinSize": "0",
				"withdrawFeeRate": "0", "withdrawalMinFee": c.WithdrawFee, "isWithdrawEnabled": true, "isDepositEnabled": true,
				"confirms": 3, "preConfirms": 1, "contractAddress": "", "withdrawPrecision": c.Decimals, "maxWithdraw": nil,
				"maxDeposit": nil, "needTag": false, "chainId": c.Network}},
		})
	}
	h.ok(w, out)
}

func statsOf(m core.Market, now time.Time) map[string]any {
	t := m.Ticker(now)
	return map[string]any{"time": now.UnixMilli(), "symbol": symbolOf(m), "buy": t.Bid, "sell": t.Ask,
		"bestBidSize": t.BidQty, "bestAskSize": t.AskQty, "changeRate": "0.0204", "changePrice": t.Change,
		"high": t.High, "low": t.Low, "vol": t.Volume, "volValue": t.QuoteVolume, "last": t.Last,
		"averagePrice": t.Last, "takerFeeRate": "0.001", "makerFeeRate": "0.001", "takerCoefficient": "1",
		"makerCoefficient": "1"}
}

func stats(h *kucoin, w http.ResponseWriter, q *req) {
	m, ok := marketOf(q.q.Get("symbol"))
	if !ok {
		h.fail(w, kcBadSymbol)
		return
	}
	h.ok(w, statsOf(m, q.sc.Now()))
}

func allTickers(h *kucoin, w http.ResponseWriter, q *req) {
	list := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		v := statsOf(m, q.sc.Now())
		v["symbolName"] = symbolOf(m)
		list = append(list, v)
	}
	h.ok(w, map[string]any{"time": q.sc.Now().UnixMilli(), "ticker": list})
}

func level1(h *kucoin, w http.ResponseWriter, q *req) {
	m, ok := marketOf(q.q.Get("symbol"))
	if !ok {
		h.fail(w, kcBadSymbol)
		return
	}
	t := m.Ticker(q.sc.Now())
	h.ok(w, map[string]any{"time": q.sc.Now().UnixMilli(), "sequence": strconv.FormatInt(q.sc.Now().UnixMilli(), 10),
		"price": t.Last, "size": t.BidQty, "bestBid": t.Bid, "bestBidSize": t.BidQty, "bestAsk": t.Ask, "bestAskSize": t.AskQty})
}

func level2(depth int) handlerFunc {
	return func(h *kucoin, w http.ResponseWriter, q *req) {
		m, ok := marketOf(q.q.Get("symbol"))
		if !ok {
			h.fail(w, kcBadSymbol)
			return
		}
		b := m.Book(depth, q.sc.Now())
		h.ok(w, map[string]any{"time": b.Time.UnixMilli(), "sequence": strconv.FormatInt(b.Time.UnixMilli(), 10),
			"bids": core.Pairs(b.Bids), "asks": core.Pairs(b.Asks)})
	}
}
