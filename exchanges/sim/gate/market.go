package gate

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Public data in Gate's shapes, from core's market model. Spot pairs are
// BASE_QUOTE ("BTC_USDT"); the USDT-settled perpetual is the contract
// BTC_USDT, one contract being quanto_multiplier (core's amount step) of
// the base asset, so its size limits are core's in contracts.

func (h *gate) time(c *call) {
	core.WriteJSON(c.w, http.StatusOK, map[string]int64{"server_time": h.st.Now().UnixMilli()})
}

func (h *gate) emptyList(c *call) { core.WriteJSON(c.w, http.StatusOK, []any{}) }

func (h *gate) currencies(c *call) {
	out := []map[string]any{}
	for _, cur := range core.Currencies() {
		chain := map[string]any{"name": cur.Network, "addr": "", "withdraw_disabled": false, "withdraw_delayed": false, "deposit_disabled": false}
		out = append(out, map[string]any{
			"currency": cur.Code, "name": cur.Name, "delisted": false, "withdraw_disabled": false,
			"withdraw_delayed": false, "deposit_disabled": false, "trade_disabled": false,
			"fixed_rate": "", "chain": cur.Network, "chains": []any{chain},
		})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

// pairID is Gate's id of a market ("BTC_USDT", for the spot pair and the
// perpetual contract alike).
func pairID(m core.Market) string { return m.Base + "_" + m.Quote }

// marketOf finds the market of kind k with Gate's id.
func marketOf(id string, k core.Kind) (core.Market, bool) {
	for _, m := range core.MarketsOf(k) {
		if pairID(m) == id {
			return m, true
		}
	}
	return core.Market{}, false
}

func (h *gate) currencyPairs(c *call) {
	out := []map[string]any{}
	for _, m := range core.MarketsOf(core.Spot) {
		out = append(out, map[string]any{
			"id": pairID(m), "base": m.Base, "base_name": currencyName(m.Base), "quote": m.Quote,
			"quote_name": currencyName(m.Quote), "fee": "0", "min_base_amount": m.MinQty,
			"min_quote_amount": m.MinNotional, "max_base_amount": m.MaxQty, "max_quote_amount": "5000000",
			"amount_precision": m.QtyPlaces(), "precision": m.PricePlaces(), "trade_status": "tradable",
			"sell_start": 1516378650, "buy_start": 1516378650, "delisting_time": 0, "type": "normal",
			"trade_url": "https://www.gate.com/trade/" + pairID(m),
		})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

func currencyName(code string) string {
	for _, c := range core.Currencies() {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// contracts is the number of contracts of a base amount, and back.
func contracts(m core.Market, qty string) string {
	q, _ := core.ParseDec(qty)
	step, _ := core.ParseDec(m.Step)
	return core.TrimDec(new(big.Rat).Quo(q, step))
}

func (h *gate) contracts(c *call) {
	now := h.st.Now()
	out := []map[string]any{}
	for _, m := range core.MarketsOf(core.Perpetual) {
		t := m.Ticker(now)
		out = append(out, map[string]any{
			"name": pairID(m), "type": "direct", "quanto_multiplier": m.Step, "ref_discount_rate": "0",
			"order_price_deviate": "0.5", "maintenance_rate": "0.005", "mark_type": "index",
			"last_price": t.Last, "mark_price": m.Mid, "index_price": m.Mid, "funding_rate_indicative": "0.0001",
			"mark_price_round": m.Tick, "funding_offset": 0, "in_delisting": false, "risk_limit_base": "1000000",
			"interest_rate": "0.0003", "order_price_round": m.Tick, "order_size_min": json.Number(contracts(m, m.MinQty)),
			"ref_rebate_rate": "0.2", "funding_interval": 28800, "risk_limit_step": "1000000", "leverage_min": "1",
			"leverage_max": strconv.Itoa(m.MaxLeverage), "risk_limit_max": "8000000", "maker_fee_rate": "0",
			"taker_fee_rate": "0", "funding_rate": "0.0001", "order_size_max": json.Number(contracts(m, m.MaxQty)),
			"funding_next_apply": nextFunding(now), "orders_limit": 50, "enable_bonus": true, "enable_credit": true,
			"create_time": 1669688556, "funding_cap_ratio": "0.75", "status": "trading",
		})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

// nextFunding is the next 8-hourly funding time, unix seconds.
func nextFunding(now time.Time) int64 {
	return now.Truncate(8 * time.Hour).Add(8 * time.Hour).Unix()
}

// selectMarkets reads a market parameter (every market of the kind when
// it is absent).
func (h *gate) selectMarkets(c *call, param string, k core.Kind) ([]core.Market, bool) {
	id := c.r.URL.Query().Get(param)
	if id == "" {
		return core.MarketsOf(k), true
	}
	m, ok := marketOf(id, k)
	if !ok {
		if k == core.Spot {
			h.fail(c.w, gateErr{http.StatusBadRequest, "INVALID_CURRENCY_PAIR", "Invalid currency pair " + id})
		} else {
			h.fail(c.w, gateErr{http.StatusBadRequest, "CONTRACT_NOT_FOUND", "Contract not found: " + id})
		}
		return nil, false
	}
	return []core.Market{m}, true
}

func (h *gate) spotTickers(c *call) {
	ms, ok := h.selectMarkets(c, "currency_pair", core.Spot)
	if !ok {
		return
	}
	now := h.st.Now()
	out := []map[string]any{}
	for _, m := range ms {
		t := m.Ticker(now)
		out = append(out, map[string]any{
			"currency_pair": pairID(m), "last": t.Last, "lowest_ask": t.Ask, "lowest_size": t.AskQty,
			"highest_bid": t.Bid, "highest_size": t.BidQty, "change_percentage": t.ChangePercent,
			"change_utc0": t.ChangePercent, "change_utc8": t.ChangePercent, "base_volume": t.Volume,
			"quote_volume": t.QuoteVolume, "high_24h": t.High, "low_24h": t.Low,
		})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

func (h *gate) futuresTickers(c *call) {
	ms, ok := h.selectMarkets(c, "contract", core.Perpetual)
	if !ok {
		return
	}
	now := h.st.Now()
	out := []map[string]any{}
	for _, m := range ms {
		t := m.Ticker(now)
		out = append(out, map[string]any{
			"contract": pairID(m), "last": t.Last, "change_percentage": t.ChangePercent, "total_size": "1000000",
			"low_24h": t.Low, "high_24h": t.High, "volume_24h": contracts(m, t.Volume), "volume_24h_base": t.Volume,
			"volume_24h_quote": t.QuoteVolume, "volume_24h_settle": t.QuoteVolume, "mark_price": m.Mid,
			"funding_rate": "0.0001", "funding_rate_indicative": "0.0001", "index_price": m.Mid,
			"lowest_ask": t.Ask, "lowest_size": contracts(m, t.AskQty), "highest_bid": t.Bid, "highest_size": contracts(m, t.BidQty),
		})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

// depth reads limit (default 10, at most 100 here).
func (h *gate) depth(c *call) (int, bool) {
	v := c.r.URL.Query().Get("limit")
	if v == "" {
		return 10, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		h.fail(c.w, badParam("invalid argument: limit"))
		return 0, false
	}
	return min(n, 100), true
}

// book reads a book request on a market of kind k (its id in param)
// and derives the book, answering Gate's error for a bad one.
func (h *gate) book(c *call, k core.Kind, param string) (core.Market, core.Book, time.Time, bool) {
	m, ok := marketOf(c.r.URL.Query().Get(param), k)
	if !ok {
		if k == core.Spot {
			h.fail(c.w, gateErr{http.StatusBadRequest, "INVALID_CURRENCY_PAIR", "Invalid currency pair"})
		} else {
			h.fail(c.w, gateErr{http.StatusBadRequest, "CONTRACT_NOT_FOUND", "Contract not found"})
		}
		return m, core.Book{}, time.Time{}, false
	}
	n, ok := h.depth(c)
	if !ok {
		return m, core.Book{}, time.Time{}, false
	}
	now := h.st.Now()
	return m, m.Book(n, now), now, true
}

func (h *gate) spotBook(c *call) {
	_, b, now, ok := h.book(c, core.Spot, "currency_pair")
	if !ok {
		return
	}
	core.WriteJSON(c.w, http.StatusOK, map[string]any{"id": now.UnixMilli(), "current": now.UnixMilli(), "update": now.UnixMilli(),
		"asks": core.Pairs(b.Asks), "bids": core.Pairs(b.Bids)})
}

func (h *gate) futuresBook(c *call) {
	m, b, now, ok := h.book(c, core.Perpetual, "contract")
	if !ok {
		return
	}
	side := func(ls []core.Level) []map[string]any {
		out := make([]map[string]any, 0, len(ls))
		for _, l := range ls {
			out = append(out, map[string]any{"p": l.Price, "s": json.Number(contracts(m, l.Qty))})
		}
		return out
	}
	secs := json.Number(fmt.Sprintf("%d.%03d", now.Unix(), now.Nanosecond()/1e6))
	core.WriteJSON(c.w, http.StatusOK, map[string]any{"id": now.UnixMilli(), "current": secs, "update": secs,
		"asks": side(b.Asks), "bids": side(b.Bids)})
}
