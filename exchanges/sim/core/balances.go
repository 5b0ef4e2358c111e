package core

import "math/big"

// Balances and positions: what a key holds, what its open orders and
// positions hold back.

// Balance is one asset of one wallet.
type Balance struct {
	Asset             string
	Free, Used, Total string
}

// wallet is the wallet a market trades from.
func wallet(m Market) Kind {
	if m.Kind == Perpetual {
		return Perpetual
	}
	return Spot
}

// Balances returns k's balances in the wallet of kind w (Spot or
// Perpetual), assets in order, zero ones included.
func (a *Accounts) Balances(k *Key, w Kind) []Balance {
	a.mu.Lock()
	defer a.mu.Unlock()
	total := a.totals(k, w)
	used := a.used(k.Key, w)
	out := make([]Balance, 0, len(total))
	for _, asset := range SortedKeys(total) {
		t := total[asset]
		u := used[asset]
		if u == nil {
			u = new(big.Rat)
		}
		out = append(out, Balance{Asset: asset, Total: TrimDec(t), Used: TrimDec(u), Free: TrimDec(sub(t, u))})
	}
	return out
}

func (a *Accounts) totals(k *Key, w Kind) map[string]*big.Rat {
	base := k.Balances
	if w == Perpetual {
		base = k.FuturesBalances
	}
	out := map[string]*big.Rat{}
	for asset, amt := range base {
		if r, ok := ParseDec(amt); ok {
			out[asset] = r
		}
	}
	for asset, d := range a.delta[k.Key][w] {
		if out[asset] == nil {
			out[asset] = new(big.Rat)
		}
		out[asset] = add(out[asset], d)
	}
	return out
}

// used is what open orders reserve and positions hold, per asset.
func (a *Accounts) used(key string, w Kind) map[string]*big.Rat {
	out := map[string]*big.Rat{}
	put := func(asset string, r *big.Rat) {
		if out[asset] == nil {
			out[asset] = new(big.Rat)
		}
		out[asset] = add(out[asset], r)
	}
	for _, o := range a.orders[key] {
		m, _ := MarketOf(o.Symbol)
		if o.Status != Open || wallet(m) != w || o.ReduceOnly {
			continue
		}
		asset, amt := reservation(m, o.Side, dec(o.Price), dec(o.Qty))
		put(asset, amt)
	}
	if w == Perpetual {
		for sym, size := range a.pos[key] {
			m, _ := MarketOf(sym)
			put(m.Settle, margin(new(big.Rat).Abs(size), a.entry[key][sym]))
		}
	}
	return out
}

// reservation is what an open order of m holds back: the asset and amount.
func reservation(m Market, side Side, price, qty *big.Rat) (string, *big.Rat) {
	switch {
	case m.Kind == Perpetual:
		return m.Settle, margin(qty, price)
	case side == Buy:
		return m.Quote, mul(price, qty)
	default:
		return m.Base, qty
	}
}

func margin(qty, price *big.Rat) *big.Rat {
	return new(big.Rat).Quo(mul(qty, price), big.NewRat(Leverage, 1))
}

// move changes a perpetual position; prices never move, so there is no
// profit or loss to settle.
func (a *Accounts) move(key string, m Market, qty, price *big.Rat, side Side) {
	if a.pos[key] == nil {
		a.pos[key], a.entry[key] = map[string]*big.Rat{}, map[string]*big.Rat{}
	}
	if side == Sell {
		qty = new(big.Rat).Neg(qty)
	}
	size := add(orZero(a.pos[key][m.Symbol]), qty)
	if size.Sign() == 0 {
		delete(a.pos[key], m.Symbol)
		delete(a.entry[key], m.Symbol)
		return
	}
	a.pos[key][m.Symbol], a.entry[key][m.Symbol] = size, price
}

func (a *Accounts) walletDelta(key string, w Kind) map[string]*big.Rat {
	if a.delta[key] == nil {
		a.delta[key] = map[Kind]map[string]*big.Rat{}
	}
	if a.delta[key][w] == nil {
		a.delta[key][w] = map[string]*big.Rat{}
	}
	return a.delta[key][w]
}

// Position is an open perpetual position.
type Position struct {
	Symbol     string
	Size       string // signed: negative is short
	EntryPrice string
}

// Positions returns k's open perpetual positions, by symbol.
func (a *Accounts) Positions(key string) []Position {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Position
	for _, sym := range SortedKeys(a.pos[key]) {
		m, _ := MarketOf(sym)
		out = append(out, Position{Symbol: sym, Size: TrimDec(a.pos[key][sym]), EntryPrice: FormatDec(a.entry[key][sym], m.PricePlaces())})
	}
	return out
}
