package bingx

import (
	"net/http"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Public market data in BingX's shapes, from core's market model. Markets
// are BASE-QUOTE ("BTC-USDT") for the spot pair and the USDT-M perpetual
// alike; perpetual quantities are in the base asset.

func symbolID(m core.Market) string { return m.Base + "-" + m.Quote }

func marketOf(id string, k core.Kind) (core.Market, bool) {
	for _, m := range core.MarketsOf(k) {
		if symbolID(m) == id {
			return m, true
		}
	}
	return core.Market{}, false
}

// market reads the symbol parameter of a market of kind k, answering
// BingX's error when it names none.
func (b *bingx) market(c *call, k core.Kind) (core.Market, bool) {
	m, ok := marketOf(c.q["symbol"], k)
	if !ok {
		if k == core.Spot {
			b.fail(c.w, 200, 100204, "symbol "+c.q["symbol"]+" not exist")
		} else {
			b.fail(c.w, 200, 109400, "symbol "+c.q["symbol"]+" not exist")
		}
	}
	return m, ok
}

func (b *bingx) spotSymbols(c *call) {
	out := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		out = append(out, map[string]any{
			"symbol": symbolID(m), "minQty": m.MinQty, "maxQty": m.MaxQty, "minNotional": m.MinNotional,
			"maxNotional": "5000000", "status": 1, "tickSize": m.Tick, "stepSize": m.Step,
			"apiStateSell": true, "apiStateBuy": true, "timeOnline": 1591263000000, "offTime": 0, "maintainTime": 0,
		})
	}
	b.ok(c.w, map[string]any{"symbols": out})
}

func (b *bingx) contracts(c *call) {
	out := []map[string]any{}
	for i, m := range core.MarketsOf(core.Perpetual) {
		out = append(out, map[string]any{
			"contractId": strconv.Itoa(100 + i), "symbol": symbolID(m), "quantityPrecision": m.QtyPlaces(),
			"pricePrecision": m.PricePlaces(), "feeRate": 0, "makerFeeRate": 0, "takerFeeRate": 0, "tradeMinLimit": 0,
			"tradeMinQuantity": m.MinQty, "tradeMinUSDT": m.MinNotional, "maxLongLeverage": m.MaxLeverage,
			"maxShortLeverage": m.MaxLeverage, "currency": m.Settle, "asset": m.Base, "status": 1,
			"apiStateOpen": "true", "apiStateClose": "true", "ensureTrigger": true, "triggerFeeRate": "0",
			"brokerState": false, "launchTime": 1591263000000, "maintainTime": 0, "offTime": 0,
		})
	}
	b.ok(c.w, out)
}

func tickerJSON(m core.Market, now time.Time) map[string]any {
	t := m.Ticker(now)
	return map[string]any{
		"symbol": symbolID(m), "openPrice": t.Open, "highPrice": t.High, "lowPrice": t.Low, "lastPrice": t.Last,
		"volume": t.Volume, "quoteVolume": t.QuoteVolume, "openTime": now.Add(-24 * time.Hour).UnixMilli(),
		"closeTime": now.UnixMilli(), "bidPrice": t.Bid, "bidQty": t.BidQty, "askPrice": t.Ask, "askQty": t.AskQty,
		"priceChange": t.Change, "priceChangePercent": t.ChangePercent + "%",
	}
}

// spotTicker is GET /openApi/spot/v1/ticker/24hr[?symbol=..]: a list.
func (b *bingx) spotTicker(c *call) {
	now := b.st.Now()
	ms := core.MarketsOf(core.Spot)
	if c.q["symbol"] != "" {
		m, ok := b.market(c, core.Spot)
		if !ok {
			return
		}
		ms = []core.Market{m}
	}
	out := []map[string]any{}
	for _, m := range ms {
		out = append(out, tickerJSON(m, now))
	}
	b.ok(c.w, out)
}

// swapTicker is GET /openApi/swap/v2/quote/ticker?symbol=..: one object
// (every contract, as a list, without symbol).
func (b *bingx) swapTicker(c *call) {
	now := b.st.Now()
	withQty := func(m core.Market) map[string]any {
		v := tickerJSON(m, now)
		v["lastQty"] = m.Ticker(now).BidQty
		v["priceChangePercent"] = m.Ticker(now).ChangePercent
		return v
	}
	if c.q["symbol"] == "" {
		out := []map[string]any{}
		for _, m := range core.MarketsOf(core.Perpetual) {
			out = append(out, withQty(m))
		}
		b.ok(c.w, out)
		return
	}
	if m, ok := b.market(c, core.Perpetual); ok {
		b.ok(c.w, withQty(m))
	}
}

func (b *bingx) depth(c *call, k core.Kind) {
	m, ok := b.market(c, k)
	if !ok {
		return
	}
	limit := 20
	if v := c.q["limit"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.fail(c.w, 200, 100400, "Invalid parameters: limit")
			return
		}
		limit = min(n, 100)
	}
	now := b.st.Now()
	book := m.Book(limit, now)
	data := map[string]any{"bids": core.Pairs(book.Bids), "asks": core.Pairs(book.Asks)}
	if k == core.Spot {
		data["ts"] = now.UnixMilli()
	} else {
		data["T"] = now.UnixMilli()
	}
	b.ok(c.w, data)
}

func (b *bingx) spotDepth(c *call) { b.depth(c, core.Spot) }
func (b *bingx) swapDepth(c *call) { b.depth(c, core.Perpetual) }

// coins is GET /openApi/wallets/v1/capital/config/getall.
func (b *bingx) coins(c *call) {
	out := []map[string]any{}
	for _, cur := range core.Currencies() {
		out = append(out, map[string]any{"coin": cur.Code, "name": cur.Name, "networkList": []map[string]any{{
			"name": cur.Network, "network": cur.Network, "isDefault": true, "minConfirm": 12, "withdrawEnable": true,
			"depositEnable": true, "withdrawFee": cur.WithdrawFee, "withdrawMax": "1000000", "withdrawMin": cur.WithdrawMin,
			"depositMin": "0", "withdrawPrecision": cur.Decimals, "needTagOrMemo": false,
		}}})
	}
	b.ok(c.w, out)
}

// noSuchOrder answers an order the key does not have.
func (b *bingx) noSuchOrder(w http.ResponseWriter, k core.Kind) {
	if k == core.Spot {
		b.fail(w, 200, 100404, "order not exist")
		return
	}
	b.fail(w, 200, 80016, "order does not exist")
}
