package deribit

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Public market data in Deribit's shapes (numbers as JSON numbers), from
// core's spot markets, named BASE_QUOTE ("BTC_USDT").

func num(s string) json.Number { return json.Number(s) }

func (d *deribit) currencies(c call) {
	out := []map[string]any{}
	for _, cur := range core.Currencies() {
		out = append(out, map[string]any{
			"currency": cur.Code, "currency_long": cur.Name, "coin_type": strings.ToUpper(strings.ReplaceAll(cur.Name, " ", "_")),
			"fee_precision": cur.Decimals, "min_confirmations": 1, "min_withdrawal_fee": num(cur.WithdrawFee),
			"withdrawal_fee": num(cur.WithdrawFee), "withdrawal_priorities": []any{}, "in_cross_collateral_pool": true,
			"apr": 0,
		})
	}
	d.result(c.w, out)
}

// instrumentName is Deribit's name of a spot market ("BTC_USDT").
func instrumentName(m core.Market) string { return m.Base + "_" + m.Quote }

func marketOf(name string) (core.Market, bool) {
	for _, m := range core.MarketsOf(core.Spot) {
		if instrumentName(m) == name {
			return m, true
		}
	}
	return core.Market{}, false
}

func instrumentJSON(m core.Market) map[string]any {
	return map[string]any{
		"instrument_name": instrumentName(m), "instrument_id": 100000 + len(m.Base), "kind": "spot",
		"base_currency": m.Base, "quote_currency": m.Quote, "counter_currency": m.Quote, "settlement_currency": m.Quote,
		"settlement_period": nil, "instrument_type": "linear", "price_index": strings.ToLower(m.Base + "_" + m.Quote),
		"tick_size": num(m.Tick), "tick_size_steps": []any{}, "min_trade_amount": num(m.MinQty), "contract_size": num(m.Step),
		"taker_commission": num("0"), "maker_commission": num("0"), "block_trade_commission": num("0"),
		"is_active": true, "rfq": false, "creation_timestamp": 1680000000000, "expiration_timestamp": int64(32503708800000),
	}
}

// instruments is public/get_instruments[?currency=..&kind=spot]: every
// instrument when currency is absent or "any".
func (d *deribit) instruments(c call) {
	cur, kind := strings.ToUpper(c.param("currency")), c.param("kind")
	out := []map[string]any{}
	if kind == "" || kind == "spot" {
		for _, m := range core.MarketsOf(core.Spot) {
			if cur == "" || cur == "ANY" || cur == m.Base || cur == m.Quote {
				out = append(out, instrumentJSON(m))
			}
		}
	}
	d.result(c.w, out)
}

func (d *deribit) market(c call) (core.Market, bool) {
	m, ok := marketOf(c.param("instrument_name"))
	if !ok {
		d.fail(c.w, dbInvalidParams("instrument_name", "wrong format"))
	}
	return m, ok
}

func (d *deribit) instrument(c call) {
	if m, ok := d.market(c); ok {
		d.result(c.w, instrumentJSON(m))
	}
}

func (d *deribit) ticker(c call) {
	m, ok := d.market(c)
	if !ok {
		return
	}
	now := d.st.Now()
	t := m.Ticker(now)
	d.result(c.w, map[string]any{
		"timestamp": now.UnixMilli(), "instrument_name": instrumentName(m), "state": "open",
		"stats": map[string]any{"volume": num(t.Volume), "volume_notional": num(t.QuoteVolume), "volume_usd": num(t.QuoteVolume),
			"price_change": num(t.ChangePercent), "low": num(t.Low), "high": num(t.High)},
		"last_price": num(t.Last), "mark_price": num(m.Mid), "index_price": num(m.Mid), "estimated_delivery_price": num(m.Mid),
		"min_price": num(t.Low), "max_price": num(t.High), "best_bid_price": num(t.Bid), "best_bid_amount": num(t.BidQty),
		"best_ask_price": num(t.Ask), "best_ask_amount": num(t.AskQty),
	})
}

func (d *deribit) orderBook(c call) {
	m, ok := d.market(c)
	if !ok {
		return
	}
	depth := 20
	if v := c.param("depth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			d.fail(c.w, dbInvalidParams("depth", "must be a positive integer"))
			return
		}
		depth = min(n, 100)
	}
	now := d.st.Now()
	b := m.Book(depth, now)
	t := m.Ticker(now)
	side := func(ls []core.Level) [][]json.Number {
		out := make([][]json.Number, 0, len(ls))
		for _, l := range ls {
			out = append(out, []json.Number{num(l.Price), num(l.Qty)})
		}
		return out
	}
	d.result(c.w, map[string]any{
		"timestamp": now.UnixMilli(), "change_id": now.UnixMilli(), "instrument_name": instrumentName(m), "state": "open",
		"bids": side(b.Bids), "asks": side(b.Asks), "best_bid_price": num(t.Bid), "best_bid_amount": num(t.BidQty),
		"best_ask_price": num(t.Ask), "best_ask_amount": num(t.AskQty), "last_price": num(t.Last),
		"mark_price": num(m.Mid), "index_price": num(m.Mid),
	})
}
