package core

import (
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"
)

// Orders and balances. A key's balances are the scenario's (Balances for
// the spot wallet, FuturesBalances for the futures wallet) plus what its
// fills changed; an open order reserves what it could spend (a spot buy
// its price × amount of the quote asset, a spot sell its amount of the
// base asset, a perpetual order price × amount / Leverage of margin),
// and an open position holds its margin. Changing a key's balances
// through the control endpoint changes the base; fills stay on top.
//
// A limit order that does not cross the book rests as open until it is
// cancelled. A market order, or a limit order that crosses (a buy at or
// above the ask, a sell at or below the bid), fills at once and whole at
// the best ask or bid. Fees are zero, so balances stay easy to predict.

// Leverage is the simulated futures account's leverage on every market.
const Leverage = 10

// maxOrdersPerKey bounds a key's order history; the oldest closed orders
// go first.
const maxOrdersPerKey = 500

// Side is an order's side.
type Side string

// Sides.
const (
	Buy  Side = "buy"
	Sell Side = "sell"
)

// OrderType is limit or market.
type OrderType string

// Order types.
const (
	Limit     OrderType = "limit"
	MarketOrd OrderType = "market"
)

// OrderStatus is an order's state.
type OrderStatus string

// Order states.
const (
	Open     OrderStatus = "open"
	Filled   OrderStatus = "filled"
	Canceled OrderStatus = "canceled"
)

// Order is an order as the simulator keeps it; exchanges render it in
// their own shapes (ids, symbols, status names).
type Order struct {
	ID       int64
	ClientID string
	Symbol   string // ccxt's unified symbol of the market
	Side     Side
	Type     OrderType
	Price    string // the limit price; "" for a market order
	Qty      string // in the base asset
	Filled   string // in the base asset
	AvgPrice string // "" before any fill
	Status   OrderStatus
	// TimeInForce is the exchange's own word, kept as sent ("GTC").
	TimeInForce string
	PostOnly    bool
	ReduceOnly  bool
	Created     time.Time
	Updated     time.Time
}

// OrderRequest is a new order, parsed by the exchange from its wire
// format (amounts converted to the base asset).
type OrderRequest struct {
	Symbol      string
	Side        Side
	Type        OrderType
	Price       string // required for a limit order
	Qty         string
	ClientID    string
	TimeInForce string
	PostOnly    bool
	ReduceOnly  bool
}

// Reason tells why an order was refused, for the exchange to pick its
// own error code.
type Reason int

// Reasons an order is refused.
const (
	ReasonUnknownSymbol Reason = iota + 1
	ReasonBadPrice             // missing, not a decimal, or not positive
	ReasonBadQty               // missing, not a decimal, or not positive
	ReasonPriceTick            // not a multiple of the tick
	ReasonQtyStep              // not a multiple of the step
	ReasonMinQty
	ReasonMaxQty
	ReasonMinNotional
	ReasonInsufficient
	ReasonDuplicateClientID
	ReasonWouldTake // post-only that would cross
	ReasonTooManyOrders
)

// OrderError is a refused order.
type OrderError struct {
	Reason Reason
	Msg    string
}

func (e *OrderError) Error() string { return "order refused: " + e.Msg }

// ErrNoSuchOrder is answered for an order id the key does not have.
var ErrNoSuchOrder = errors.New("no such order")

// ErrNotOpen is answered when cancelling an order that is filled or
// cancelled already.
var ErrNotOpen = errors.New("order is not open")

// Accounts keeps every key's orders, fills and positions. Safe for
// concurrent use.
type Accounts struct {
	mu     sync.Mutex
	nextID int64
	orders map[string][]*Order                     // key id → orders, oldest first
	delta  map[string]map[Kind]map[string]*big.Rat // key id → wallet → asset → change by fills
	pos    map[string]map[string]*big.Rat          // key id → perpetual symbol → signed size
	entry  map[string]map[string]*big.Rat          // key id → perpetual symbol → entry price
}

func newAccounts() *Accounts {
	return &Accounts{
		nextID: 1_000_000_001,
		orders: map[string][]*Order{},
		delta:  map[string]map[Kind]map[string]*big.Rat{},
		pos:    map[string]map[string]*big.Rat{},
		entry:  map[string]map[string]*big.Rat{},
	}
}

// Place validates req against its market and k's free balance, then
// rests it as open or fills it. It returns the order as placed.
func (a *Accounts) Place(k *Key, req OrderRequest, now time.Time) (Order, error) {
	m, ok := MarketOf(req.Symbol)
	if !ok {
		return Order{}, &OrderError{ReasonUnknownSymbol, fmt.Sprintf("unknown symbol %q", req.Symbol)}
	}
	qty, price, err := checkOrder(m, req)
	if err != nil {
		return Order{}, err
	}
	t := m.Ticker(now)
	best := dec(t.Ask)
	if req.Side == Sell {
		best = dec(t.Bid)
	}
	crosses := req.Type == MarketOrd ||
		(req.Side == Buy && price.Cmp(best) >= 0) || (req.Side == Sell && price.Cmp(best) <= 0)
	if crosses && req.PostOnly {
		return Order{}, &OrderError{ReasonWouldTake, "a post-only order would match at once"}
	}
	if price == nil {
		price = best
	}
	if new(big.Rat).Mul(price, qty).Cmp(dec(m.MinNotional)) < 0 {
		return Order{}, &OrderError{ReasonMinNotional, fmt.Sprintf("price × amount is below the minimum notional %s %s", m.MinNotional, m.Quote)}
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.checkRoom(k.Key, req.ClientID); err != nil {
		return Order{}, err
	}
	// A reduce-only order needs no margin only when it does reduce a
	// position: on a spot market, or with nothing to reduce, it is
	// reserved for like any other order.
	if !a.reduces(k.Key, m, req, qty) {
		asset, need := reservation(m, req.Side, price, qty)
		free := a.totals(k, wallet(m))[asset]
		if free == nil {
			free = new(big.Rat)
		}
		free = sub(free, orZero(a.used(k.Key, wallet(m))[asset]))
		if free.Cmp(need) < 0 {
			return Order{}, &OrderError{ReasonInsufficient, fmt.Sprintf("needs %s %s, %s free", TrimDec(need), asset, TrimDec(free))}
		}
	}
	o := &Order{
		ID: a.nextID, ClientID: req.ClientID, Symbol: m.Symbol, Side: req.Side, Type: req.Type,
		Qty: TrimDec(qty), Filled: "0", Status: Open, TimeInForce: req.TimeInForce,
		PostOnly: req.PostOnly, ReduceOnly: req.ReduceOnly, Created: now, Updated: now,
	}
	if req.Type == Limit {
		o.Price = req.Price
	}
	a.nextID++
	if crosses {
		a.fill(k.Key, m, o, best)
	}
	a.orders[k.Key] = append(a.orders[k.Key], o)
	return *o, nil
}

// reduces reports whether req is a reduce-only order on a perpetual
// against an opposite position at least as large as qty. a.mu is held.
func (a *Accounts) reduces(key string, m Market, req OrderRequest, qty *big.Rat) bool {
	if !req.ReduceOnly || m.Kind != Perpetual {
		return false
	}
	pos := orZero(a.pos[key][m.Symbol])
	if req.Side == Buy {
		pos = new(big.Rat).Neg(pos) // a buy reduces a short
	}
	return pos.Cmp(qty) >= 0
}

func orZero(r *big.Rat) *big.Rat {
	if r == nil {
		return new(big.Rat)
	}
	return r
}

func checkOrder(m Market, req OrderRequest) (qty, price *big.Rat, err error) {
	qty, ok := ParseDec(req.Qty)
	if !ok || qty.Sign() <= 0 {
		return nil, nil, &OrderError{ReasonBadQty, fmt.Sprintf("amount %q is not a positive decimal", req.Qty)}
	}
	if !multipleOf(qty, dec(m.Step)) {
		return nil, nil, &OrderError{ReasonQtyStep, fmt.Sprintf("amount %s is not a multiple of the step %s", req.Qty, m.Step)}
	}
	if qty.Cmp(dec(m.MinQty)) < 0 {
		return nil, nil, &OrderError{ReasonMinQty, fmt.Sprintf("amount %s is below the minimum %s", req.Qty, m.MinQty)}
	}
	if qty.Cmp(dec(m.MaxQty)) > 0 {
		return nil, nil, &OrderError{ReasonMaxQty, fmt.Sprintf("amount %s is above the maximum %s", req.Qty, m.MaxQty)}
	}
	if req.Type == MarketOrd {
		return qty, nil, nil
	}
	price, ok = ParseDec(req.Price)
	if !ok || price.Sign() <= 0 {
		return nil, nil, &OrderError{ReasonBadPrice, fmt.Sprintf("price %q is not a positive decimal", req.Price)}
	}
	if !multipleOf(price, dec(m.Tick)) {
		return nil, nil, &OrderError{ReasonPriceTick, fmt.Sprintf("price %s is not a multiple of the tick %s", req.Price, m.Tick)}
	}
	return qty, price, nil
}

// checkRoom refuses a client id already used by an open order, and a
// key with too many open orders; it drops the oldest closed orders.
func (a *Accounts) checkRoom(key, clientID string) error {
	open := 0
	for _, o := range a.orders[key] {
		if o.Status != Open {
			continue
		}
		open++
		if clientID != "" && o.ClientID == clientID {
			return &OrderError{ReasonDuplicateClientID, fmt.Sprintf("client order id %q is in use", clientID)}
		}
	}
	if open >= maxOrdersPerKey {
		return &OrderError{ReasonTooManyOrders, fmt.Sprintf("at most %d open orders", maxOrdersPerKey)}
	}
	list := a.orders[key]
	for len(list) >= maxOrdersPerKey {
		for i, o := range list {
			if o.Status != Open {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
	}
	a.orders[key] = list
	return nil
}

// fill executes o whole at price, moving balances or the position.
func (a *Accounts) fill(key string, m Market, o *Order, price *big.Rat) {
	qty := dec(o.Qty)
	o.Filled, o.AvgPrice, o.Status = o.Qty, FormatDec(price, m.PricePlaces()), Filled
	if m.Kind == Perpetual {
		a.move(key, m, qty, price, o.Side)
		return
	}
	d := a.walletDelta(key, Spot)
	cost := mul(price, qty)
	if o.Side == Buy {
		d[m.Base] = add(orZero(d[m.Base]), qty)
		d[m.Quote] = sub(orZero(d[m.Quote]), cost)
	} else {
		d[m.Base] = sub(orZero(d[m.Base]), qty)
		d[m.Quote] = add(orZero(d[m.Quote]), cost)
	}
}

// Find returns key's order with id, or (when id is 0) with clientID.
func (a *Accounts) Find(key string, id int64, clientID string) (Order, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	o := a.find(key, id, clientID)
	if o == nil {
		return Order{}, ErrNoSuchOrder
	}
	return *o, nil
}

func (a *Accounts) find(key string, id int64, clientID string) *Order {
	list := a.orders[key]
	for i := len(list) - 1; i >= 0; i-- {
		o := list[i]
		if (id != 0 && o.ID == id) || (id == 0 && clientID != "" && o.ClientID == clientID) {
			return o
		}
	}
	return nil
}

// Cancel cancels key's open order with id (or clientID when id is 0).
func (a *Accounts) Cancel(key string, id int64, clientID string, now time.Time) (Order, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	o := a.find(key, id, clientID)
	if o == nil {
		return Order{}, ErrNoSuchOrder
	}
	if o.Status != Open {
		return *o, ErrNotOpen
	}
	o.Status, o.Updated = Canceled, now
	return *o, nil
}

// Orders returns key's orders on symbol ("" for every market), oldest
// first; with openOnly, the open ones alone.
func (a *Accounts) Orders(key, symbol string, openOnly bool) []Order {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Order
	for _, o := range a.orders[key] {
		if (symbol == "" || o.Symbol == symbol) && (!openOnly || o.Status == Open) {
			out = append(out, *o)
		}
	}
	return out
}

// FilledValue is what the order's fills cost in the quote asset ("0"
// before any fill).
func (o Order) FilledValue() string {
	if o.AvgPrice == "" {
		return "0"
	}
	return MulDec(o.AvgPrice, o.Filled)
}

// SideOf reads an order side written with the exchange's own words for
// buy and sell ("BUY", "Buy", "buy").
func SideOf(s, buy, sell string) (Side, bool) {
	switch s {
	case buy:
		return Buy, true
	case sell:
		return Sell, true
	}
	return "", false
}
