package binance

import (
	"net/http"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Public market data in Binance's shapes, derived from core's market
// model. A spot and a USDⓈ-M symbol are both "BTCUSDT"; the host (here:
// the path prefix) tells them apart.

// symbolOf is Binance's symbol of a market.
func symbolOf(m core.Market) string { return m.Base + m.Quote }

// marketOf finds the market of kind with Binance's symbol.
func marketOf(kind core.Kind, symbol string) (core.Market, bool) {
	for _, m := range core.MarketsOf(kind) {
		if symbolOf(m) == symbol {
			return m, true
		}
	}
	return core.Market{}, false
}

// pad8 writes a decimal with Binance's eight places ("0.01000000").
func pad8(s string) string {
	r, ok := core.ParseDec(s)
	if !ok {
		return s
	}
	return core.FormatDec(r, 8)
}

var bnBadSymbol = binanceErr{http.StatusBadRequest, -1121, "Invalid symbol."}

func serverTime(b *binance, w http.ResponseWriter, q *req) {
	core.WriteJSON(w, 200, map[string]any{"serverTime": q.sc.Now().UnixMilli()})
}

func ping(b *binance, w http.ResponseWriter, q *req) { core.WriteJSON(w, 200, map[string]any{}) }

func rateLimits() []map[string]any {
	return []map[string]any{
		{"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 6000},
		{"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 100},
		{"rateLimitType": "RAW_REQUESTS", "interval": "MINUTE", "intervalNum": 5, "limit": 61000},
	}
}

func spotInfo(b *binance, w http.ResponseWriter, q *req) {
	symbols := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		symbols = append(symbols, map[string]any{
			"symbol": symbolOf(m), "status": "TRADING", "baseAsset": m.Base, "baseAssetPrecision": 8,
			"quoteAsset": m.Quote, "quotePrecision": 8, "quoteAssetPrecision": 8,
			"baseCommissionPrecision": 8, "quoteCommissionPrecision": 8,
			"orderTypes":     []string{"LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"},
			"icebergAllowed": true, "ocoAllowed": true, "otoAllowed": true, "quoteOrderQtyMarketAllowed": true,
			"allowTrailingStop": true, "cancelReplaceAllowed": true, "amendAllowed": true,
			"isSpotTradingAllowed": true, "isMarginTradingAllowed": true,
			"filters": []map[string]any{
				{"filterType": "PRICE_FILTER", "minPrice": pad8(m.Tick), "maxPrice": "1000000.00000000", "tickSize": pad8(m.Tick)},
				{"filterType": "LOT_SIZE", "minQty": pad8(m.MinQty), "maxQty": pad8(m.MaxQty), "stepSize": pad8(m.Step)},
				{"filterType": "ICEBERG_PARTS", "limit": 10},
				{"filterType": "MARKET_LOT_SIZE", "minQty": "0.00000000", "maxQty": "100.00000000", "stepSize": "0.00000000"},
				{"filterType": "NOTIONAL", "minNotional": pad8(m.MinNotional), "applyMinToMarket": true,
					"maxNotional": "9000000.00000000", "applyMaxToMarket": false, "avgPriceMins": 5},
				{"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 200},
				{"filterType": "MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders": 5},
			},
			"permissions": []string{}, "permissionSets": [][]string{{"SPOT", "MARGIN"}},
			"defaultSelfTradePreventionMode":  "EXPIRE_MAKER",
			"allowedSelfTradePreventionModes": []string{"EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"},
		})
	}
	core.WriteJSON(w, 200, map[string]any{"timezone": "UTC", "serverTime": q.sc.Now().UnixMilli(),
		"rateLimits": rateLimits(), "exchangeFilters": []any{}, "symbols": symbols})
}

func futuresInfo(b *binance, w http.ResponseWriter, q *req) {
	symbols := []map[string]any{}
	for _, m := range core.MarketsOf(core.Perpetual) {
		symbols = append(symbols, map[string]any{
			"symbol": symbolOf(m), "pair": symbolOf(m), "contractType": "PERPETUAL", "deliveryDate": 4133404800000,
			"onboardDate": 1569398400000, "status": "TRADING", "maintMarginPercent": "2.5000", "requiredMarginPercent": "5.0000",
			"baseAsset": m.Base, "quoteAsset": m.Quote, "marginAsset": m.Settle,
			"pricePrecision": m.PricePlaces(), "quantityPrecision": m.QtyPlaces(), "baseAssetPrecision": 8, "quotePrecision": 8,
			"underlyingType": "COIN", "underlyingSubType": []string{"PoW"}, "triggerProtect": "0.0500",
			"liquidationFee": "0.012500", "marketTakeBound": "0.05", "maxMoveOrderLimit": 10000,
			"filters": []map[string]any{
				{"filterType": "PRICE_FILTER", "minPrice": "261.10", "maxPrice": "809484", "tickSize": m.Tick},
				{"filterType": "LOT_SIZE", "minQty": m.MinQty, "maxQty": m.MaxQty, "stepSize": m.Step},
				{"filterType": "MARKET_LOT_SIZE", "minQty": m.MinQty, "maxQty": "120", "stepSize": m.Step},
				{"filterType": "MAX_NUM_ORDERS", "limit": 200},
				{"filterType": "MAX_NUM_ALGO_ORDERS", "limit": 10},
				{"filterType": "MIN_NOTIONAL", "notional": m.MinNotional},
				{"filterType": "PERCENT_PRICE", "multiplierUp": "1.0500", "multiplierDown": "0.9500", "multiplierDecimal": "4"},
			},
			"orderTypes":  []string{"LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"},
			"timeInForce": []string{"GTC", "IOC", "FOK", "GTX", "GTD"}, "permissionSets": []string{"GRID", "COPY"},
		})
	}
	core.WriteJSON(w, 200, map[string]any{"timezone": "UTC", "serverTime": q.sc.Now().UnixMilli(), "futuresType": "U_MARGINED",
		"rateLimits": rateLimits(), "exchangeFilters": []any{}, "assets": []map[string]any{
			{"asset": "USDT", "marginAvailable": true, "autoAssetExchange": "-10000"}}, "symbols": symbols})
}

// inverseInfo: COIN-M futures are not simulated; the list is empty.
func inverseInfo(b *binance, w http.ResponseWriter, q *req) {
	core.WriteJSON(w, 200, map[string]any{"timezone": "UTC", "serverTime": q.sc.Now().UnixMilli(),
		"rateLimits": rateLimits(), "exchangeFilters": []any{}, "symbols": []any{}})
}

// marketsAsked answers the markets of a market-data request: the one
// named by "symbol", or all.
func (b *binance) marketsAsked(w http.ResponseWriter, q *req, kind core.Kind) ([]core.Market, bool) {
	s := q.p.Get("symbol")
	if s == "" {
		return core.MarketsOf(kind), true
	}
	m, ok := marketOf(kind, s)
	if !ok {
		b.fail(w, bnBadSymbol)
		return nil, false
	}
	return []core.Market{m}, true
}

// answerOne writes one object when a symbol was asked, else the list.
func answerOne(w http.ResponseWriter, q *req, list []map[string]any) {
	if q.p.Get("symbol") != "" && len(list) == 1 {
		core.WriteJSON(w, 200, list[0])
		return
	}
	core.WriteJSON(w, 200, list)
}

func ticker24h(kind core.Kind) func(*binance, http.ResponseWriter, *req) {
	return func(b *binance, w http.ResponseWriter, q *req) {
		ms, ok := b.marketsAsked(w, q, kind)
		if !ok {
			return
		}
		now := q.sc.Now()
		var list []map[string]any
		for i, m := range ms {
			t := m.Ticker(now)
			v := map[string]any{
				"symbol": symbolOf(m), "priceChange": t.Change, "priceChangePercent": t.ChangePercent,
				"weightedAvgPrice": t.Last, "lastPrice": t.Last, "lastQty": t.BidQty, "openPrice": t.Open,
				"highPrice": t.High, "lowPrice": t.Low, "volume": t.Volume, "quoteVolume": t.QuoteVolume,
				"openTime": now.Add(-24 * time.Hour).UnixMilli(), "closeTime": now.UnixMilli(),
				"firstId": 1000 * (i + 1), "lastId": 1000*(i+1) + 999, "count": 1000,
			}
			if kind == core.Spot {
				v["prevClosePrice"] = t.Open
				v["bidPrice"], v["bidQty"], v["askPrice"], v["askQty"] = t.Bid, t.BidQty, t.Ask, t.AskQty
			}
			list = append(list, v)
		}
		answerOne(w, q, list)
	}
}

func bookTicker(kind core.Kind) func(*binance, http.ResponseWriter, *req) {
	return func(b *binance, w http.ResponseWriter, q *req) {
		ms, ok := b.marketsAsked(w, q, kind)
		if !ok {
			return
		}
		var list []map[string]any
		for _, m := range ms {
			t := m.Ticker(q.sc.Now())
			v := map[string]any{"symbol": symbolOf(m), "bidPrice": t.Bid, "bidQty": t.BidQty, "askPrice": t.Ask, "askQty": t.AskQty}
			if kind == core.Perpetual {
				v["time"] = t.Time.UnixMilli()
			}
			list = append(list, v)
		}
		answerOne(w, q, list)
	}
}

func depth(kind core.Kind) func(*binance, http.ResponseWriter, *req) {
	return func(b *binance, w http.ResponseWriter, q *req) {
		m, ok := marketOf(kind, q.p.Get("symbol"))
		if !ok {
			if q.p.Get("symbol") == "" {
				b.fail(w, bnMandatory("symbol"))
			} else {
				b.fail(w, bnBadSymbol)
			}
			return
		}
		limit, _ := strconv.Atoi(q.p.Get("limit"))
		if limit <= 0 {
			limit = 100
		}
		book := m.Book(limit, q.sc.Now())
		v := map[string]any{"lastUpdateId": book.Time.UnixMilli(), "bids": core.Pairs(book.Bids), "asks": core.Pairs(book.Asks)}
		if kind == core.Perpetual {
			v["E"], v["T"] = book.Time.UnixMilli(), book.Time.UnixMilli()
		}
		core.WriteJSON(w, 200, v)
	}
}

// currencies answers /sapi/v1/capital/config/getall: every coin with its
// network and, per key, its free and locked spot balance.
func currencies(b *binance, w http.ResponseWriter, q *req) {
	bal := map[string]core.Balance{}
	for _, x := range b.st.Accounts().Balances(q.key, core.Spot) {
		bal[x.Asset] = x
	}
	out := []map[string]any{}
	for _, c := range core.Currencies() {
		free, locked := "0", "0"
		if x, ok := bal[c.Code]; ok {
			free, locked = x.Free, x.Used
		}
		step := "0.00000001"
		if c.Decimals == 6 {
			step = "0.000001"
		}
		out = append(out, map[string]any{
			"coin": c.Code, "depositAllEnable": true, "withdrawAllEnable": true, "name": c.Name,
			"free": free, "locked": locked, "freeze": "0", "withdrawing": "0", "ipoing": "0", "ipoable": "0",
			"storage": "0", "isLegalMoney": false, "trading": true,
			"networkList": []map[string]any{{
				"network": c.Network, "coin": c.Code, "withdrawIntegerMultiple": step, "isDefault": true,
				"depositEnable": true, "withdrawEnable": true, "depositDesc": "", "withdrawDesc": "", "specialTips": "",
				"name": c.Network, "resetAddressStatus": false, "addressRegex": "", "memoRegex": "",
				"withdrawFee": c.WithdrawFee, "withdrawMin": c.WithdrawMin, "withdrawMax": "9999999",
				"minConfirm": 1, "unLockConfirm": 2, "sameAddress": false, "estimatedArrivalTime": 25, "busy": false,
				"contractAddressUrl": "", "contractAddress": "",
			}},
		})
	}
	core.WriteJSON(w, 200, out)
}

// marginPairs answers the cross and isolated margin pair lists: both
// spot markets are marginable.
func marginPairs(b *binance, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for i, m := range core.MarketsOf(core.Spot) {
		out = append(out, map[string]any{"id": 351637150141315861 + i, "symbol": symbolOf(m), "base": m.Base, "quote": m.Quote,
			"isMarginTrade": true, "isBuyAllowed": true, "isSellAllowed": true})
	}
	core.WriteJSON(w, 200, out)
}

func restrictions(b *binance, w http.ResponseWriter, q *req) { b.restrictions(w, q.key) }
