package bitget

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Bitget calls both BTC/USDT markets "BTCUSDT": the spot API and the mix
// (futures) API, with productType USDT-FUTURES, tell them apart.

const productUSDT = "USDT-FUTURES"

func symbolOf(m core.Market) string { return m.Base + m.Quote }

func marketOf(kind core.Kind, symbol string) (core.Market, bool) {
	for _, m := range core.MarketsOf(kind) {
		if symbolOf(m) == symbol {
			return m, true
		}
	}
	return core.Market{}, false
}

func msStr(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

var bgBadSymbol = bgErr("40034", "Parameter symbol does not exist")

func serverTime(b *bitget, w http.ResponseWriter, q *req) {
	b.ok(w, map[string]string{"serverTime": msStr(q.sc.Now())})
}

func coins(b *bitget, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for i, c := range core.Currencies() {
		out = append(out, map[string]any{"coinId": strconv.Itoa(i + 1), "coin": c.Code, "transfer": "true",
			"chains": []map[string]string{{"chain": c.Network, "needTag": "false", "withdrawable": "true", "rechargeable": "true",
				"withdrawFee": c.WithdrawFee, "extraWithdrawFee": "0", "depositConfirm": "1", "withdrawConfirm": "1",
				"minDepositAmount": "0", "minWithdrawAmount": c.WithdrawMin, "browserUrl": "", "contractAddress": "",
				"withdrawStep": "0", "withdrawMinScale": strconv.Itoa(c.Decimals), "congestion": "normal"}}})
	}
	b.ok(w, out)
}

func spotSymbols(b *bitget, w http.ResponseWriter, q *req) {
	out := []map[string]string{}
	for _, m := range core.MarketsOf(core.Spot) {
		if s := q.q.Get("symbol"); s != "" && s != symbolOf(m) {
			continue
		}
		out = append(out, map[string]string{
			"symbol": symbolOf(m), "baseCoin": m.Base, "quoteCoin": m.Quote, "minTradeAmount": m.MinQty,
			"maxTradeAmount": m.MaxQty, "takerFeeRate": "0.001", "makerFeeRate": "0.001",
			"pricePrecision": strconv.Itoa(m.PricePlaces()), "quantityPrecision": strconv.Itoa(m.QtyPlaces()),
			"quotePrecision": "8", "status": "online", "minTradeUSDT": m.MinNotional, "buyLimitPriceRatio": "0.05",
			"sellLimitPriceRatio": "0.05", "areaSymbol": "no", "orderQuantity": "200", "openTime": "1532454360000", "offTime": "",
		})
	}
	b.ok(w, out)
}

func (b *bitget) productOK(w http.ResponseWriter, q *req) bool {
	switch q.q.Get("productType") {
	case productUSDT, "USDC-FUTURES", "COIN-FUTURES", "SUSDT-FUTURES", "SCOIN-FUTURES", "SUSDC-FUTURES",
		"usdt-futures", "usdc-futures", "coin-futures":
		return true
	case "":
		b.fail(w, bgErr("40019", "Parameter productType cannot be empty"))
	default:
		b.fail(w, bgErr("40020", "Parameter productType error"))
	}
	return false
}

func contracts(b *bitget, w http.ResponseWriter, q *req) {
	if !b.productOK(w, q) {
		return
	}
	out := []map[string]any{}
	if q.q.Get("productType") == productUSDT {
		for _, m := range core.MarketsOf(core.Perpetual) {
			out = append(out, map[string]any{
				"symbol": symbolOf(m), "baseCoin": m.Base, "quoteCoin": m.Quote, "buyLimitPriceRatio": "0.9",
				"sellLimitPriceRatio": "0.9", "feeRateUpRatio": "0.1", "makerFeeRate": "0.0002", "takerFeeRate": "0.0006",
				"openCostUpRatio": "0.1", "supportMarginCoins": []string{m.Settle}, "minTradeNum": m.MinQty,
				"priceEndStep": "1", "volumePlace": strconv.Itoa(m.QtyPlaces()), "pricePlace": strconv.Itoa(m.PricePlaces()),
				"sizeMultiplier": m.Step, "symbolType": "perpetual", "minTradeUSDT": m.MinNotional, "maxSymbolOrderNum": "200",
				"maxProductOrderNum": "400", "maxPositionNum": "150", "symbolStatus": "normal", "offTime": "-1",
				"limitOpenTime": "-1", "deliveryTime": "", "deliveryStartTime": "", "deliveryPeriod": "", "launchTime": "",
				"fundInterval": "8", "minLever": "1", "maxLever": strconv.Itoa(m.MaxLeverage), "posLimit": "0.05",
				"maintainTime": "", "maxMarketOrderQty": "220", "maxOrderQty": m.MaxQty,
			})
		}
	}
	b.ok(w, out)
}

func spotTicker(m core.Market, now time.Time) map[string]string {
	t := m.Ticker(now)
	return map[string]string{"symbol": symbolOf(m), "high24h": t.High, "open": t.Open, "low24h": t.Low, "lastPr": t.Last,
		"quoteVolume": t.QuoteVolume, "baseVolume": t.Volume, "usdtVolume": t.QuoteVolume, "bidPr": t.Bid, "askPr": t.Ask,
		"bidSz": t.BidQty, "askSz": t.AskQty, "openUtc": t.Open, "ts": msStr(now), "changeUtc24h": "0.0204", "change24h": "0.0204"}
}

func spotTickers(b *bitget, w http.ResponseWriter, q *req) {
	out := []map[string]string{}
	for _, m := range core.MarketsOf(core.Spot) {
		if s := q.q.Get("symbol"); s == "" || s == symbolOf(m) {
			out = append(out, spotTicker(m, q.sc.Now()))
		}
	}
	if q.q.Get("symbol") != "" && len(out) == 0 {
		b.fail(w, bgBadSymbol)
		return
	}
	b.ok(w, out)
}

func mixTick(m core.Market, now time.Time) map[string]any {
	v := map[string]any{}
	for k, x := range spotTicker(m, now) {
		v[k] = x
	}
	delete(v, "open")
	for k, x := range map[string]any{"open24h": m.Ticker(now).Open, "indexPrice": m.Mid, "markPrice": m.Mid,
		"fundingRate": "0.0001", "holdingAmount": "52000.123", "deliveryStartTime": nil, "deliveryTime": nil,
		"deliveryStatus": ""} {
		v[k] = x
	}
	return v
}

func mixTicker(b *bitget, w http.ResponseWriter, q *req) {
	if !b.productOK(w, q) {
		return
	}
	m, ok := marketOf(core.Perpetual, q.q.Get("symbol"))
	if !ok {
		b.fail(w, bgBadSymbol)
		return
	}
	b.ok(w, []map[string]any{mixTick(m, q.sc.Now())})
}

func mixTickers(b *bitget, w http.ResponseWriter, q *req) {
	if !b.productOK(w, q) {
		return
	}
	out := []map[string]any{}
	if q.q.Get("productType") == productUSDT {
		for _, m := range core.MarketsOf(core.Perpetual) {
			out = append(out, mixTick(m, q.sc.Now()))
		}
	}
	b.ok(w, out)
}

func bookOf(q *req, m core.Market, number bool) map[string]any {
	n, _ := strconv.Atoi(q.q.Get("limit"))
	if n <= 0 {
		n = 100
	}
	book := m.Book(n, q.sc.Now())
	levels := func(ls []core.Level) [][2]any {
		out := make([][2]any, len(ls))
		for i, l := range ls {
			if number {
				out[i] = [2]any{json.Number(l.Price), json.Number(l.Qty)}
			} else {
				out[i] = [2]any{l.Price, l.Qty}
			}
		}
		return out
	}
	return map[string]any{"asks": levels(book.Asks), "bids": levels(book.Bids), "ts": msStr(book.Time)}
}

func spotBook(b *bitget, w http.ResponseWriter, q *req) {
	m, ok := marketOf(core.Spot, q.q.Get("symbol"))
	if !ok {
		b.fail(w, bgBadSymbol)
		return
	}
	b.ok(w, bookOf(q, m, false))
}

func mixBook(b *bitget, w http.ResponseWriter, q *req) {
	if !b.productOK(w, q) {
		return
	}
	m, ok := marketOf(core.Perpetual, q.q.Get("symbol"))
	if !ok {
		b.fail(w, bgBadSymbol)
		return
	}
	v := bookOf(q, m, true)
	v["scale"], v["precision"], v["isMaxPrecision"] = m.Tick, "scale0", "NO"
	b.ok(w, v)
}

// marginCurrencies lists the spot pairs open to margin trading: both.
func marginCurrencies(b *bitget, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		out = append(out, map[string]any{"symbol": symbolOf(m), "baseCoin": m.Base, "quoteCoin": m.Quote,
			"maxCrossedLeverage": "3", "maxIsolatedLeverage": "10", "warningRiskRatio": "0.8", "liquidationRiskRatio": "1",
			"minTradeAmount": m.MinQty, "maxTradeAmount": m.MaxQty, "takerFeeRate": "0.001", "makerFeeRate": "0.001",
			"priceScale": strconv.Itoa(m.PricePlaces()), "quantityScale": strconv.Itoa(m.QtyPlaces()), "minTradeUSDT": m.MinNotional,
			"isBorrowable": true, "userMinBorrow": "0", "status": "1", "isIsolatedBaseBorrowable": true,
			"isIsolatedQuoteBorrowable": true, "isCrossBorrowable": true})
	}
	b.ok(w, out)
}
