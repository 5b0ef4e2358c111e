package deribit

import (
	"errors"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Account summaries and spot orders over core's accounts. Order ids are
// "<BASE>-<number>" ("BTC-1000000001"). Deribit's labels are free text
// and not unique, so they are not kept. Trigger orders (stop, take,
// trailing) are not simulated: -32602 on type.

// currenciesOf are the currencies of the key's account summaries:
// Deribit's collateral currencies, held or not, and whatever else it holds.
func currenciesOf(k *core.Key) []string {
	set := map[string]bool{"BTC": true, "ETH": true, "USDC": true, "USDT": true}
	for _, m := range []map[string]string{k.Balances, k.FuturesBalances} {
		for a := range m {
			set[strings.ToUpper(a)] = true
		}
	}
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// summaryOf is one currency's account summary: the spot and futures
// wallets added, what open orders hold counted as reserved.
func (d *deribit) summaryOf(k *core.Key, cur string) map[string]any {
	total, used := new(big.Rat), new(big.Rat)
	for _, w := range []core.Kind{core.Spot, core.Perpetual} {
		for _, b := range d.st.Accounts().Balances(k, w) {
			if strings.EqualFold(b.Asset, cur) {
				t, _ := core.ParseDec(b.Total)
				u, _ := core.ParseDec(b.Used)
				total.Add(total, t)
				used.Add(used, u)
			}
		}
	}
	bal, held := num(core.TrimDec(total)), num(core.TrimDec(used))
	free := num(core.TrimDec(new(big.Rat).Sub(total, used)))
	zero := num("0")
	return map[string]any{
		"currency": cur, "balance": bal, "equity": bal, "available_funds": free, "available_withdrawal_funds": free,
		"margin_balance": bal, "initial_margin": held, "maintenance_margin": held, "spot_reserve": held, "total_pl": zero,
		"session_rpl": zero, "session_upl": zero, "delta_total": zero, "margin_model": "segregated_sm",
		"portfolio_margining_enabled": false, "cross_collateral_enabled": false,
	}
}

func (d *deribit) summaries(c call) {
	sums := []map[string]any{}
	for _, cur := range currenciesOf(c.k) {
		sums = append(sums, d.summaryOf(c.k, cur))
	}
	d.result(c.w, map[string]any{"id": 1, "summaries": sums})
}

func (d *deribit) summary(c call) {
	cur := c.param("currency")
	if cur == "" {
		d.fail(c.w, dbInvalidParams("currency", "must be present"))
		return
	}
	d.result(c.w, d.summaryOf(c.k, strings.ToUpper(cur)))
}

// orderID renders core's order number as Deribit does.
func orderID(o core.Order) string {
	m, _ := core.MarketOf(o.Symbol)
	return m.Base + "-" + strconv.FormatInt(o.ID, 10)
}

// parseOrderID reads the number of an order id; 0 when it is not one.
func parseOrderID(s string) int64 {
	i := strings.LastIndexByte(s, '-')
	n, err := strconv.ParseInt(s[i+1:], 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

var tifs = map[string]bool{"good_til_cancelled": true, "good_til_day": true, "fill_or_kill": true, "immediate_or_cancel": true}

// refusals are Deribit's errors for core's reasons.
var refusals = map[core.Reason]deribitErr{
	core.ReasonBadPrice:      {code: 10023, msg: "invalid_price"},
	core.ReasonBadQty:        {code: 10021, msg: "invalid_amount"},
	core.ReasonQtyStep:       {code: 10021, msg: "invalid_amount"},
	core.ReasonMaxQty:        {code: 10021, msg: "invalid_amount"},
	core.ReasonPriceTick:     {code: 10026, msg: "price_precision_exceeded"},
	core.ReasonMinQty:        {code: 10002, msg: "qty_too_low"},
	core.ReasonMinNotional:   {code: 10002, msg: "qty_too_low"},
	core.ReasonInsufficient:  {code: 10009, msg: "not_enough_funds"},
	core.ReasonWouldTake:     {code: 11054, msg: "post_only_reject"},
	core.ReasonTooManyOrders: {code: 11030, msg: "other_reject max_open_orders"},
}

// place is private/buy and private/sell: instrument_name, amount, type
// (limit|market), price, time_in_force, post_only, reduce_only.
func (d *deribit) place(c call, side core.Side) {
	m, ok := d.market(c)
	if !ok {
		return
	}
	if !c.k.Has(core.PermSpot) {
		d.fail(c.w, dbForbidden)
		return
	}
	typ := core.Limit
	switch c.param("type") {
	case "", "limit":
	case "market":
		typ = core.MarketOrd
	default:
		d.fail(c.w, dbInvalidParams("type", "the simulator takes limit and market orders"))
		return
	}
	tif := c.param("time_in_force")
	if tif == "" {
		tif = "good_til_cancelled"
	}
	if !tifs[tif] {
		d.fail(c.w, dbInvalidParams("time_in_force", "wrong value"))
		return
	}
	now := d.st.Now()
	req := core.OrderRequest{Symbol: m.Symbol, Side: side, Type: typ, Price: c.param("price"), Qty: c.param("amount"),
		TimeInForce: tif, PostOnly: c.param("post_only") == "true"} // reduce_only means nothing on spot
	if typ == core.MarketOrd {
		req.Price = ""
	}
	o, err := d.st.Accounts().Place(c.k, req, now)
	var oe *core.OrderError
	if errors.As(err, &oe) {
		e, ok := refusals[oe.Reason]
		if !ok {
			e = dbInvalidParams("instrument_name", oe.Msg)
		}
		d.fail(c.w, e)
		return
	}
	if err != nil {
		d.ServerError(c.w)
		return
	}
	if o.Status == core.Open && (tif == "immediate_or_cancel" || tif == "fill_or_kill") {
		o, _ = d.st.Accounts().Cancel(c.k.Key, o.ID, "", now)
	}
	trades := []any{}
	if o.Status == core.Filled {
		trades = append(trades, map[string]any{"trade_id": "SPOT-" + strconv.FormatInt(o.ID, 10), "order_id": orderID(o),
			"instrument_name": instrumentName(m), "direction": string(o.Side), "price": num(o.AvgPrice), "amount": num(o.Filled),
			"timestamp": o.Updated.UnixMilli(), "fee": num("0"), "fee_currency": m.Quote, "liquidity": "T", "state": "filled"})
	}
	d.result(c.w, map[string]any{"order": orderJSON(o), "trades": trades})
}

// findOrder finds the key's order named by order_id.
func (d *deribit) findOrder(c call) (core.Order, bool) {
	o, err := d.st.Accounts().Find(c.k.Key, parseOrderID(c.param("order_id")), "")
	if err != nil || orderID(o) != c.param("order_id") {
		d.fail(c.w, dbOrderNotFound)
		return core.Order{}, false
	}
	return o, true
}

func (d *deribit) cancel(c call) {
	o, ok := d.findOrder(c)
	if !ok {
		return
	}
	if !c.k.Has(core.PermSpot) {
		d.fail(c.w, dbForbidden)
		return
	}
	o, err := d.st.Accounts().Cancel(c.k.Key, o.ID, "", d.st.Now())
	if err != nil {
		d.fail(c.w, deribitErr{code: 10010, msg: "already_closed"})
		return
	}
	d.result(c.w, orderJSON(o))
}

func (d *deribit) orderState(c call) {
	if o, ok := d.findOrder(c); ok {
		d.result(c.w, orderJSON(o))
	}
}

// openOrders is private/get_open_orders[_by_currency|_by_instrument].
func (d *deribit) openOrders(c call) {
	inst, cur := c.param("instrument_name"), strings.ToUpper(c.param("currency"))
	out := []map[string]any{}
	for _, o := range d.st.Accounts().Orders(c.k.Key, "", true) {
		m, _ := core.MarketOf(o.Symbol)
		if (inst != "" && inst != instrumentName(m)) || (cur != "" && cur != "ANY" && cur != m.Base && cur != m.Quote) {
			continue
		}
		out = append(out, orderJSON(o))
	}
	d.result(c.w, out)
}

func orderJSON(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	state := map[core.OrderStatus]string{core.Open: "open", core.Filled: "filled", core.Canceled: "cancelled"}[o.Status]
	var price any = num(o.Price)
	if o.Type == core.MarketOrd {
		price = "market_price"
	}
	avg := o.AvgPrice
	if avg == "" {
		avg = "0"
	}
	return map[string]any{
		"order_id": orderID(o), "instrument_name": instrumentName(m), "direction": string(o.Side),
		"order_type": string(o.Type), "order_state": state, "price": price, "amount": num(o.Qty),
		"filled_amount": num(o.Filled), "average_price": num(avg), "time_in_force": o.TimeInForce,
		"post_only": o.PostOnly, "reduce_only": o.ReduceOnly, "label": "", "api": true, "web": false,
		"creation_timestamp": o.Created.UnixMilli(), "last_update_timestamp": o.Updated.UnixMilli(),
		"max_show": num(o.Qty), "is_liquidation": false, "is_rebalance": false, "replaced": false, "risk_reducing": false,
		"mmp": false, "commission": num("0"), "profit_loss": num("0"),
	}
}
