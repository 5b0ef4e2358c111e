package bybit

import (
	"net/http"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Bybit's categories: "spot" and "linear" (USDT perpetuals); both call
// BTC/USDT "BTCUSDT". Inverse and option lists are empty.

func categoryOf(m core.Market) string {
	if m.Kind == core.Perpetual {
		return "linear"
	}
	return "spot"
}

func symbolOf(m core.Market) string { return m.Base + m.Quote }

func marketOf(category, symbol string) (core.Market, bool) {
	for _, m := range core.Markets() {
		if categoryOf(m) == category && symbolOf(m) == symbol {
			return m, true
		}
	}
	return core.Market{}, false
}

// inCategory lists the markets of a category, or the one symbol asked.
func (b *bybit) inCategory(w http.ResponseWriter, q *req) ([]core.Market, bool) {
	cat := q.q.Get("category")
	switch cat {
	case "spot", "linear", "inverse", "option":
	default:
		b.fail(w, 10001, "Illegal category")
		return nil, false
	}
	var out []core.Market
	for _, m := range core.Markets() {
		if categoryOf(m) == cat && (q.q.Get("symbol") == "" || q.q.Get("symbol") == symbolOf(m)) {
			out = append(out, m)
		}
	}
	if q.q.Get("symbol") != "" && len(out) == 0 {
		b.fail(w, 10001, "params error: symbol invalid")
		return nil, false
	}
	return out, true
}

func msStr(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func serverTime(b *bybit, w http.ResponseWriter, q *req) {
	now := q.sc.Now()
	b.answer(w, 200, 0, "OK", map[string]any{
		"timeSecond": strconv.FormatInt(now.Unix(), 10), "timeNano": strconv.FormatInt(now.UnixNano(), 10)})
}

func instruments(b *bybit, w http.ResponseWriter, q *req) {
	ms, ok := b.inCategory(w, q)
	if !ok {
		return
	}
	list := []map[string]any{}
	for _, m := range ms {
		if m.Kind == core.Spot {
			list = append(list, map[string]any{
				"symbol": symbolOf(m), "baseCoin": m.Base, "quoteCoin": m.Quote, "innovation": "0", "status": "Trading",
				"marginTrading": "utaOnly", "stTag": "0",
				"lotSizeFilter": map[string]string{"basePrecision": m.Step, "quotePrecision": "0.00000001", "minOrderQty": m.MinQty,
					"maxOrderQty": m.MaxQty, "minOrderAmt": m.MinNotional, "maxOrderAmt": "2000000"},
				"priceFilter":    map[string]string{"tickSize": m.Tick},
				"riskParameters": map[string]string{"priceLimitRatioX": "0.01", "priceLimitRatioY": "0.02"},
			})
			continue
		}
		list = append(list, map[string]any{
			"symbol": symbolOf(m), "contractType": "LinearPerpetual", "status": "Trading", "baseCoin": m.Base,
			"quoteCoin": m.Quote, "launchTime": "1585526400000", "deliveryTime": "0", "deliveryFeeRate": "",
			"priceScale":     strconv.Itoa(m.PricePlaces()),
			"leverageFilter": map[string]string{"minLeverage": "1", "maxLeverage": strconv.Itoa(m.MaxLeverage) + ".00", "leverageStep": "0.01"},
			"priceFilter":    map[string]string{"minPrice": m.Tick, "maxPrice": "1999999.80", "tickSize": m.Tick},
			"lotSizeFilter": map[string]string{"maxOrderQty": m.MaxQty, "minOrderQty": m.MinQty, "qtyStep": m.Step,
				"postOnlyMaxOrderQty": m.MaxQty, "maxMktOrderQty": "500.000", "minNotionalValue": m.MinNotional},
			"unifiedMarginTrade": true, "fundingInterval": 480, "settleCoin": m.Settle, "copyTrading": "both",
			"upperFundingRate": "0.00375", "lowerFundingRate": "-0.00375", "isPreListing": false, "preListingInfo": nil,
			"riskParameters": map[string]string{"priceLimitRatioX": "0.01", "priceLimitRatioY": "0.02"},
		})
	}
	b.answer(w, 200, 0, "OK", map[string]any{"category": q.q.Get("category"), "list": list, "nextPageCursor": ""})
}

func tickers(b *bybit, w http.ResponseWriter, q *req) {
	ms, ok := b.inCategory(w, q)
	if !ok {
		return
	}
	now := q.sc.Now()
	list := []map[string]any{}
	for _, m := range ms {
		t := m.Ticker(now)
		v := map[string]any{
			"symbol": symbolOf(m), "bid1Price": t.Bid, "bid1Size": t.BidQty, "ask1Price": t.Ask, "ask1Size": t.AskQty,
			"lastPrice": t.Last, "prevPrice24h": t.Open, "price24hPcnt": "0.0204", "highPrice24h": t.High,
			"lowPrice24h": t.Low, "turnover24h": t.QuoteVolume, "volume24h": t.Volume, "usdIndexPrice": t.Last,
		}
		if m.Kind == core.Perpetual {
			delete(v, "usdIndexPrice")
			for k, x := range map[string]any{"indexPrice": t.Last, "markPrice": t.Last, "prevPrice1h": t.Last,
				"openInterest": "52000.123", "openInterestValue": "3120007380.00", "fundingRate": "0.0001",
				"nextFundingTime": msStr(now.Truncate(8 * time.Hour).Add(8 * time.Hour)), "predictedDeliveryPrice": "",
				"basisRate": "", "deliveryFeeRate": "", "deliveryTime": "0", "basis": ""} {
				v[k] = x
			}
		}
		list = append(list, v)
	}
	b.answer(w, 200, 0, "OK", map[string]any{"category": q.q.Get("category"), "list": list})
}

func orderbook(b *bybit, w http.ResponseWriter, q *req) {
	m, ok := marketOf(q.q.Get("category"), q.q.Get("symbol"))
	if !ok {
		b.fail(w, 10001, "params error: symbol invalid")
		return
	}
	n, _ := strconv.Atoi(q.q.Get("limit"))
	if n <= 0 {
		n = 1
	}
	book := m.Book(n, q.sc.Now())
	t := book.Time.UnixMilli()
	b.answer(w, 200, 0, "OK", map[string]any{"s": symbolOf(m), "b": core.Pairs(book.Bids), "a": core.Pairs(book.Asks),
		"ts": t, "u": t, "seq": t, "cts": t})
}

func coins(b *bybit, w http.ResponseWriter, q *req) {
	rows := []map[string]any{}
	for _, c := range core.Currencies() {
		rows = append(rows, map[string]any{"name": c.Code, "coin": c.Code, "remainAmount": "10000000",
			"chains": []map[string]string{{
				"chainType": c.Network, "confirmation": "6", "withdrawFee": c.WithdrawFee, "depositMin": "0",
				"withdrawMin": c.WithdrawMin, "chain": c.Network, "chainDeposit": "1", "chainWithdraw": "1",
				"minAccuracy": strconv.Itoa(c.Decimals), "withdrawPercentageFee": "0", "contractAddress": "",
				"safeConfirmNumber": "1"}}})
	}
	b.answer(w, 200, 0, "success", map[string]any{"rows": rows})
}
