package core

import (
	"math/big"
	"time"
)

// The market-data model: one small, fixed world that every simulated
// exchange serves in its own shapes. Prices never move: each market has a
// fixed mid price, and its ticker and order book are derived from it, so
// a bot sees the same numbers on every exchange and a test can predict
// them. Symbols here are ccxt's unified ones; each exchange translates
// them ("BTCUSDT", "BTC-USDT-SWAP", "XBTUSDTM").

// Kind is a market's kind.
type Kind string

// The kinds of market simulated.
const (
	Spot      Kind = "spot"
	Perpetual Kind = "perpetual" // linear, margined and settled in the quote asset
)

// Currency is an asset the simulated exchange lists.
type Currency struct {
	Code     string
	Name     string
	Network  string // the main withdrawal network's name
	Decimals int    // withdrawal precision
	// WithdrawFee and WithdrawMin are in the currency itself.
	WithdrawFee, WithdrawMin string
}

// Currencies are the simulated exchange's assets, in order.
func Currencies() []Currency {
	return []Currency{
		{Code: "BTC", Name: "Bitcoin", Network: "BTC", Decimals: 8, WithdrawFee: "0.0002", WithdrawMin: "0.001"},
		{Code: "ETH", Name: "Ethereum", Network: "ETH", Decimals: 8, WithdrawFee: "0.0015", WithdrawMin: "0.01"},
		{Code: "USDT", Name: "Tether USD", Network: "ETH", Decimals: 6, WithdrawFee: "4", WithdrawMin: "10"},
	}
}

// Market is one simulated market, with real-looking precision and limits
// (taken from the big exchanges' BTC and ETH markets).
type Market struct {
	Symbol              string // ccxt's unified symbol: "BTC/USDT", "BTC/USDT:USDT"
	Base, Quote, Settle string // Settle is "" for spot
	Kind                Kind
	Tick                string // price step
	Step                string // amount step, in the base asset
	MinQty, MaxQty      string // amount limits, in the base asset
	MinNotional         string // price × amount, in the quote asset
	Mid                 string // the fixed mid price
	BookLot             string // the order book's first level size; level i holds i × BookLot
	Volume              string // 24 h volume in the base asset
	MaxLeverage         int    // perpetuals only
}

// Markets are the simulated markets, in order.
func Markets() []Market {
	return []Market{
		{Symbol: "BTC/USDT", Base: "BTC", Quote: "USDT", Kind: Spot, Tick: "0.01", Step: "0.00001",
			MinQty: "0.00001", MaxQty: "9000", MinNotional: "5", Mid: "60000.00", BookLot: "0.25", Volume: "12345.678"},
		{Symbol: "ETH/USDT", Base: "ETH", Quote: "USDT", Kind: Spot, Tick: "0.01", Step: "0.0001",
			MinQty: "0.0001", MaxQty: "9000", MinNotional: "5", Mid: "3000.00", BookLot: "2.5", Volume: "98765.4321"},
		{Symbol: "BTC/USDT:USDT", Base: "BTC", Quote: "USDT", Settle: "USDT", Kind: Perpetual, Tick: "0.1", Step: "0.001",
			MinQty: "0.001", MaxQty: "1000", MinNotional: "100", Mid: "60000.0", BookLot: "0.5", Volume: "234567.891", MaxLeverage: 125},
	}
}

// MarketOf returns the market with ccxt's unified symbol.
func MarketOf(symbol string) (Market, bool) {
	for _, m := range Markets() {
		if m.Symbol == symbol {
			return m, true
		}
	}
	return Market{}, false
}

// MarketsOf returns the markets of one kind.
func MarketsOf(k Kind) []Market {
	var out []Market
	for _, m := range Markets() {
		if m.Kind == k {
			out = append(out, m)
		}
	}
	return out
}

// PricePlaces and QtyPlaces are the market's precisions in digits.
func (m Market) PricePlaces() int { return Places(m.Tick) }

// QtyPlaces is the amount precision in digits.
func (m Market) QtyPlaces() int { return Places(m.Step) }

// Ticker is a market's 24-hour statistics and best prices.
type Ticker struct {
	Bid, Ask, BidQty, AskQty string
	Last, Open, High, Low    string
	Volume, QuoteVolume      string // base and quote asset
	Change, ChangePercent    string // Last − Open, and in percent
	Time                     time.Time
}

// Ticker derives the market's ticker at now: the best bid and ask one
// tick either side of the mid, the last trade at the mid, and a day that
// opened 2 % lower.
func (m Market) Ticker(now time.Time) Ticker {
	mid, tick := dec(m.Mid), dec(m.Tick)
	pp := m.PricePlaces()
	open := mul(mid, big.NewRat(98, 100))
	vol := dec(m.Volume)
	lot := dec(m.BookLot)
	return Ticker{
		Bid: FormatDec(sub(mid, tick), pp), Ask: FormatDec(add(mid, tick), pp),
		BidQty: FormatDec(lot, m.QtyPlaces()), AskQty: FormatDec(lot, m.QtyPlaces()),
		Last: FormatDec(mid, pp), Open: FormatDec(open, pp),
		High: FormatDec(mul(mid, big.NewRat(101, 100)), pp), Low: FormatDec(mul(mid, big.NewRat(97, 100)), pp),
		Volume: TrimDec(vol), QuoteVolume: FormatDec(mul(vol, mid), 2),
		Change: FormatDec(sub(mid, open), pp), ChangePercent: "2.04",
		Time: now,
	}
}

// Level is one price level of an order book.
type Level struct{ Price, Qty string }

// Book is a market's order book: bids best (highest) first, asks best
// (lowest) first.
type Book struct {
	Bids, Asks []Level
	Time       time.Time
}

// Book derives depth levels each side: level i (from 1) sits i ticks from
// the mid and holds i × BookLot.
func (m Market) Book(depth int, now time.Time) Book {
	if depth <= 0 || depth > 100 {
		depth = 100
	}
	mid, tick, lot := dec(m.Mid), dec(m.Tick), dec(m.BookLot)
	pp, qp := m.PricePlaces(), m.QtyPlaces()
	b := Book{Time: now}
	for i := 1; i <= depth; i++ {
		n := big.NewRat(int64(i), 1)
		q := FormatDec(mul(lot, n), qp)
		b.Bids = append(b.Bids, Level{FormatDec(sub(mid, mul(tick, n)), pp), q})
		b.Asks = append(b.Asks, Level{FormatDec(add(mid, mul(tick, n)), pp), q})
	}
	return b
}

// Pairs writes levels as [price, amount] pairs of strings, the shape
// most exchanges answer.
func Pairs(ls []Level) [][2]string {
	out := make([][2]string, len(ls))
	for i, l := range ls {
		out[i] = [2]string{l.Price, l.Qty}
	}
	return out
}

// QuoteToBase turns a market order's amount in the quote currency (a buy
// "for 100 USDT") into base units at the best price on the order's side,
// rounded down to the market's step; false for an amount that is not a
// positive decimal or buys less than one step.
func QuoteToBase(m Market, side Side, quote string, now time.Time) (string, bool) {
	qs, ok := ParseDec(quote)
	if !ok || qs.Sign() <= 0 {
		return "", false
	}
	t := m.Ticker(now)
	best := t.Ask
	if side == Sell {
		best = t.Bid
	}
	price, _ := ParseDec(best)
	step, _ := ParseDec(m.Step)
	units := new(big.Rat).Quo(new(big.Rat).Quo(qs, price), step)
	whole := new(big.Int).Quo(units.Num(), units.Denom())
	return TrimDec(new(big.Rat).Mul(new(big.Rat).SetInt(whole), step)), whole.Sign() > 0
}
