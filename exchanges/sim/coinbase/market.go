package coinbase

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Public data: Coinbase's v2 time, currencies and exchange rates, and the
// v3 products (spot only), tickers and books, from core's market model.

const isoMillis = "2006-01-02T15:04:05.000Z"

func (c *coinbase) v2Time(q call) {
	now := c.st.Now().UTC()
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"data": map[string]any{
		"iso": now.Format(time.RFC3339), "epoch": now.Unix()}})
}

func (c *coinbase) v3Time(q call) {
	now := c.st.Now()
	core.WriteJSON(q.w, http.StatusOK, map[string]string{
		"iso":          now.UTC().Format(isoMillis),
		"epochSeconds": strconv.FormatInt(now.Unix(), 10),
		"epochMillis":  strconv.FormatInt(now.UnixMilli(), 10),
	})
}

// v2Fiat is GET /v2/currencies: the fiat currencies.
func (c *coinbase) v2Fiat(q call) {
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"data": []map[string]string{
		{"id": "USD", "name": "US Dollar", "min_size": "0.01"},
		{"id": "EUR", "name": "Euro", "min_size": "0.01"},
	}})
}

// stableID is a UUID derived from s, so ids stay the same between calls.
func stableID(s string) string {
	h := sha256.Sum256([]byte(s))
	x := fmt.Sprintf("%x", h[:16])
	return x[:8] + "-" + x[8:12] + "-4" + x[13:16] + "-a" + x[17:20] + "-" + x[20:32]
}

var cryptoStyle = map[string]struct {
	color, regex string
	sort         int
}{
	"BTC":  {"#F7931A", "^([13][a-km-zA-HJ-NP-Z1-9]{25,34})|^(bc1[qzry9x8gf2tvdw0s3jn54khce6mua7l]([qpzry9x8gf2tvdw0s3jn54khce6mua7l]{38}|[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}))$", 100},
	"ETH":  {"#627EEA", "^(?:0x)?[0-9a-fA-F]{40}$", 102},
	"USDT": {"#26A17B", "^(?:0x)?[0-9a-fA-F]{40}$", 136},
}

// v2Crypto is GET /v2/currencies/crypto.
func (c *coinbase) v2Crypto(q call) {
	var out []map[string]any
	for _, cur := range core.Currencies() {
		s := cryptoStyle[cur.Code]
		out = append(out, map[string]any{
			"asset_id": stableID("asset:" + cur.Code), "code": cur.Code, "name": cur.Name, "color": s.color,
			"sort_index": s.sort, "exponent": cur.Decimals, "type": "crypto", "address_regex": s.regex,
		})
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"data": out})
}

// usdPrice is an asset's price in USD: USDT counts as one dollar, the
// others trade against it at core's mid price.
func usdPrice(asset string) *big.Rat {
	for _, m := range core.MarketsOf(core.Spot) {
		if m.Base == asset && m.Quote == "USDT" {
			r, _ := core.ParseDec(m.Mid)
			return r
		}
	}
	return big.NewRat(1, 1)
}

// v2Rates is GET /v2/exchange-rates[?currency=USD]: how much of each
// currency one unit of the base currency buys.
func (c *coinbase) v2Rates(q call) {
	base := strings.ToUpper(q.r.URL.Query().Get("currency"))
	if base == "" {
		base = "USD"
	}
	codes := []string{"USD", "EUR"}
	for _, cur := range core.Currencies() {
		codes = append(codes, cur.Code)
	}
	known := false
	for _, code := range codes {
		known = known || code == base
	}
	if !known {
		c.v2Err(q.w, http.StatusBadRequest, "invalid_request", "Currency is invalid")
		return
	}
	basePrice := usdPrice(base)
	if base == "EUR" {
		basePrice = big.NewRat(108, 100)
	}
	rates := map[string]string{}
	for _, code := range codes {
		p := usdPrice(code)
		if code == "EUR" {
			p = big.NewRat(108, 100)
		}
		rates[code] = core.TrimDec(new(big.Rat).Quo(basePrice, p))
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"data": map[string]any{"currency": base, "rates": rates}})
}

// productID is Coinbase's id for a market ("BTC-USDT").
func productID(m core.Market) string { return m.Base + "-" + m.Quote }

// marketOf finds the spot market of a product id.
func marketOf(id string) (core.Market, bool) {
	for _, m := range core.MarketsOf(core.Spot) {
		if productID(m) == id {
			return m, true
		}
	}
	return core.Market{}, false
}

func productJSON(m core.Market, now time.Time) map[string]any {
	t := m.Ticker(now)
	maxNotional := "150000000"
	return map[string]any{
		"product_id": productID(m), "price": t.Last, "price_percentage_change_24h": t.ChangePercent,
		"volume_24h": t.Volume, "volume_percentage_change_24h": "0", "approximate_quote_24h_volume": t.QuoteVolume,
		"base_increment": m.Step, "quote_increment": m.Tick, "price_increment": m.Tick,
		"quote_min_size": m.MinNotional, "quote_max_size": maxNotional, "base_min_size": m.MinQty, "base_max_size": m.MaxQty,
		"base_name": currencyName(m.Base), "quote_name": currencyName(m.Quote), "watched": false, "is_disabled": false,
		"new": false, "status": "online", "cancel_only": false, "limit_only": false, "post_only": false,
		"trading_disabled": false, "auction_mode": false, "product_type": "SPOT", "quote_currency_id": m.Quote,
		"base_currency_id": m.Base, "fcm_trading_session_details": nil, "mid_market_price": "", "alias": "",
		"alias_to": []string{}, "base_display_symbol": m.Base, "quote_display_symbol": m.Quote, "view_only": false,
		"display_name": productID(m), "product_venue": "CBE",
	}
}

func currencyName(code string) string {
	for _, c := range core.Currencies() {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// products is GET .../products[?product_type=SPOT|FUTURE]: the spot
// products; Coinbase lists no USDT-margined futures, so FUTURE is empty.
func (c *coinbase) products(q call) {
	list := []map[string]any{}
	if t := q.r.URL.Query().Get("product_type"); t == "" || strings.EqualFold(t, "SPOT") {
		now := c.st.Now()
		for _, m := range core.MarketsOf(core.Spot) {
			list = append(list, productJSON(m, now))
		}
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"products": list, "num_products": len(list)})
}

// product is GET .../products/{product_id}.
func (c *coinbase) product(q call) {
	m, ok := marketOf(q.id)
	if !ok {
		c.brokerageErr(q.w, http.StatusNotFound, "NOT_FOUND", "ProductID "+q.id+" could not be found")
		return
	}
	core.WriteJSON(q.w, http.StatusOK, productJSON(m, c.st.Now()))
}

// ticker is GET .../products/{product_id}/ticker[?limit=N]: the last
// trades (all at the mid price) and the best bid and ask.
func (c *coinbase) ticker(q call) {
	m, ok := marketOf(q.id)
	if !ok {
		c.brokerageErr(q.w, http.StatusNotFound, "NOT_FOUND", "ProductID "+q.id+" could not be found")
		return
	}
	limit, ok := intParam(q.r, "limit", 1, 1, 100)
	if !ok {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid limit")
		return
	}
	now := c.st.Now()
	t := m.Ticker(now)
	trades := []map[string]string{}
	for i := range limit {
		side := "BUY"
		if i%2 == 1 {
			side = "SELL"
		}
		trades = append(trades, map[string]string{
			"trade_id": strconv.FormatInt(now.Unix()*100-int64(i), 10), "product_id": q.id, "price": t.Last,
			"size": t.BidQty, "time": now.Add(-time.Duration(i) * time.Second).UTC().Format(time.RFC3339Nano),
			"side": side, "bid": "", "ask": "", "exchange": "",
		})
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"trades": trades, "best_bid": t.Bid, "best_ask": t.Ask})
}

// intParam reads an optional integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo {
		return 0, false
	}
	return min(n, hi), true
}

func levels(ls []core.Level) []map[string]string {
	out := make([]map[string]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, map[string]string{"price": l.Price, "size": l.Qty})
	}
	return out
}

// productBook is GET .../product_book?product_id=..[&limit=N].
func (c *coinbase) productBook(q call) {
	id := q.r.URL.Query().Get("product_id")
	m, ok := marketOf(id)
	if !ok {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "valid product_id is required")
		return
	}
	limit, ok := intParam(q.r, "limit", 50, 1, 100)
	if !ok {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid limit")
		return
	}
	now := c.st.Now()
	b := m.Book(limit, now)
	t := m.Ticker(now)
	core.WriteJSON(q.w, http.StatusOK, map[string]any{
		"pricebook": map[string]any{"product_id": id, "bids": levels(b.Bids), "asks": levels(b.Asks), "time": now.UTC().Format(time.RFC3339Nano)},
		"last":      t.Last, "mid_market": m.Mid, "spread_absolute": m.Tick, "spread_bps": "0",
	})
}

// bestBidAsk is GET /api/v3/brokerage/best_bid_ask[?product_ids=..].
func (c *coinbase) bestBidAsk(q call) {
	ids := q.r.URL.Query()["product_ids"]
	now := c.st.Now()
	books := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		if len(ids) > 0 && !contains(ids, productID(m)) {
			continue
		}
		b := m.Book(1, now)
		books = append(books, map[string]any{"product_id": productID(m), "bids": levels(b.Bids), "asks": levels(b.Asks),
			"time": now.UTC().Format(time.RFC3339Nano)})
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"pricebooks": books})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// transactionSummary is GET /api/v3/brokerage/transaction_summary; the
// simulator charges no fees, so its fee tier's rates are zero.
func (c *coinbase) transactionSummary(q call) {
	core.WriteJSON(q.w, http.StatusOK, map[string]any{
		"total_volume": 0, "total_fees": 0,
		"fee_tier": map[string]string{"pricing_tier": "Advanced 1", "usd_from": "0", "usd_to": "1000",
			"taker_fee_rate": "0", "maker_fee_rate": "0", "aop_from": "", "aop_to": ""},
		"margin_rate": nil, "goods_and_services_tax": nil, "advanced_trade_only_volume": 0,
		"advanced_trade_only_fees": 0, "coinbase_pro_volume": 0, "coinbase_pro_fees": 0,
		"total_balance": "", "has_promo_fee": false,
	})
}
