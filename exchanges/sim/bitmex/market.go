package bitmex

import (
	"encoding/json"
	"math/big"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Public data in BitMEX's shapes, from core's markets: spot pairs
// BASE_QUOTE with BitMEX's XBT for BTC ("XBT_USDT"), the perpetual
// XBTUSDT. Prices are JSON numbers; sizes are position units.

// bxAsset is BitMEX's name of an asset.
func bxAsset(a string) string {
	if a == "BTC" {
		return "XBT"
	}
	return a
}

// bxSymbol is BitMEX's symbol of a market.
func bxSymbol(m core.Market) string {
	if m.Kind == core.Perpetual {
		return bxAsset(m.Base) + m.Quote
	}
	return bxAsset(m.Base) + "_" + m.Quote
}

func marketOf(symbol string) (core.Market, bool) {
	for _, m := range core.Markets() {
		if bxSymbol(m) == symbol {
			return m, true
		}
	}
	return core.Market{}, false
}

// posMultiplier is how many position units make one base unit: for spot
// one unit is one amount step, for the perpetual 10^-6 of the base (as on
// BitMEX's XBTUSDT), traded in lots of one amount step.
func posMultiplier(m core.Market) int64 {
	if m.Kind == core.Perpetual {
		return 1_000_000
	}
	n := int64(1)
	for range m.QtyPlaces() {
		n *= 10
	}
	return n
}

// lotSize is the market's amount step in position units.
func lotSize(m core.Market) int64 {
	step, _ := core.ParseDec(m.Step)
	return new(big.Rat).Mul(step, big.NewRat(posMultiplier(m), 1)).Num().Int64()
}

// toUnits is a base amount in position units; toBase reverses it.
func toUnits(m core.Market, qty string) json.Number {
	q, _ := core.ParseDec(qty)
	return json.Number(core.TrimDec(new(big.Rat).Mul(q, big.NewRat(posMultiplier(m), 1))))
}

func toBase(m core.Market, units int64) string {
	return core.TrimDec(big.NewRat(units, posMultiplier(m)))
}

func num(s string) json.Number { return json.Number(s) }

func (b *bitmex) assets(c *call) {
	b.ok(c.w, []map[string]any{
		{"asset": "XBT", "currency": "XBt", "majorCurrency": "XBT", "name": "Bitcoin", "currencyType": "Crypto", "scale": "8", "enabled": true, "isMarginCurrency": true},
		{"asset": "USDT", "currency": "USDt", "majorCurrency": "USDT", "name": "Tether", "currencyType": "Crypto", "scale": "6", "enabled": true, "isMarginCurrency": true},
		{"asset": "ETH", "currency": "Gwei", "majorCurrency": "ETH", "name": "Ether", "currencyType": "Crypto", "scale": "9", "enabled": true, "isMarginCurrency": false},
	})
}

func instrumentJSON(m core.Market, now time.Time) map[string]any {
	t := m.Ticker(now)
	typ, settl := "IFXXXP", ""
	var funding any
	if m.Kind == core.Perpetual {
		typ, settl, funding = "FFWCSX", "USDt", num("0.0001")
	}
	maxQty := toUnits(m, m.MaxQty)
	return map[string]any{
		"symbol": bxSymbol(m), "rootSymbol": bxAsset(m.Base), "state": "Open", "typ": typ,
		"listing": "2022-01-01T00:00:00.000Z", "front": "2022-01-01T00:00:00.000Z", "expiry": nil,
		"underlying": bxAsset(m.Base), "quoteCurrency": m.Quote, "settlCurrency": settl, "positionCurrency": bxAsset(m.Base),
		"underlyingToPositionMultiplier": posMultiplier(m), "underlyingToSettleMultiplier": nil, "quoteToSettleMultiplier": 1_000_000,
		"isQuanto": false, "isInverse": false, "multiplier": 1, "lotSize": lotSize(m), "tickSize": num(m.Tick),
		"maxOrderQty": maxQty, "maxPrice": 10_000_000, "initMargin": num("0.01"), "maintMargin": num("0.005"),
		"makerFee": num("0"), "takerFee": num("0"), "fundingRate": funding, "bidPrice": num(t.Bid), "askPrice": num(t.Ask),
		"midPrice": num(m.Mid), "lastPrice": num(t.Last), "markPrice": num(m.Mid), "fairPrice": num(m.Mid),
		"indicativeSettlePrice": num(m.Mid), "highPrice": num(t.High), "lowPrice": num(t.Low), "prevClosePrice": num(t.Open),
		"lastChangePcnt": num("0.0204"), "volume24h": toUnits(m, t.Volume), "homeNotional24h": num(t.Volume),
		"foreignNotional24h": num(t.QuoteVolume), "turnover24h": num(t.QuoteVolume), "vwap": num(t.Last),
		"timestamp": now.UTC().Format("2006-01-02T15:04:05.000Z"),
	}
}

// instruments is GET /api/v1/instrument[/active][?symbol=..]: a symbol
// names one instrument, or every instrument of a root ("XBT").
func (b *bitmex) instruments(c *call) {
	want := c.r.URL.Query().Get("symbol")
	now := b.st.Now()
	out := []map[string]any{}
	for _, m := range core.Markets() {
		if want == "" || want == bxSymbol(m) || want == bxAsset(m.Base) {
			out = append(out, instrumentJSON(m, now))
		}
	}
	b.ok(c.w, out)
}

// orderBook is GET /api/v1/orderBook/L2?symbol=..[&depth=N]: the sells,
// highest first, then the buys, highest first.
func (b *bitmex) orderBook(c *call) {
	q := c.r.URL.Query()
	m, ok := marketOf(q.Get("symbol"))
	if !ok {
		b.fail(c.w, 400, "Invalid symbol", "HTTPError")
		return
	}
	depth := 25
	if v := q.Get("depth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			b.fail(c.w, 400, "Invalid depth", "HTTPError")
			return
		}
		if n > 0 {
			depth = min(n, 100)
		}
	}
	now := b.st.Now()
	book := m.Book(depth, now)
	ts := now.UTC().Format("2006-01-02T15:04:05.000Z")
	out := []map[string]any{}
	level := func(side string, l core.Level, i int) map[string]any {
		return map[string]any{"symbol": bxSymbol(m), "id": 8_799_000_000 + i, "side": side, "size": toUnits(m, l.Qty),
			"price": num(l.Price), "timestamp": ts}
	}
	for i := len(book.Asks) - 1; i >= 0; i-- {
		out = append(out, level("Sell", book.Asks[i], i))
	}
	for i, l := range book.Bids {
		out = append(out, level("Buy", l, 1000+i))
	}
	b.ok(c.w, out)
}
