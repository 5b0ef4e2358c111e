package binance

import (
	"errors"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Accounts and orders in Binance's shapes. Spot orders live on /api/v3,
// USDⓈ-M orders on /fapi/v1; both go through core's order book, which
// keeps them apart by market.

func (b *binance) restrictions(w http.ResponseWriter, k *core.Key) {
	v := map[string]any{
		"ipRestrict":                   len(k.IPs) > 0,
		"createTime":                   k.Created.UnixMilli(),
		"enableReading":                k.Has(core.PermRead),
		"enableSpotAndMarginTrading":   k.Has(core.PermSpot) || k.Has(core.PermMargin),
		"enableMargin":                 k.Has(core.PermMargin),
		"enableFutures":                k.Has(core.PermFutures),
		"enableWithdrawals":            k.Has(core.PermWithdraw),
		"enableInternalTransfer":       k.Has(core.PermTransfer),
		"permitsUniversalTransfer":     k.Has(core.PermTransfer),
		"enableVanillaOptions":         false,
		"enablePortfolioMarginTrading": false,
		"enableFixApiTrade":            false,
		"enableFixReadOnly":            false,
	}
	if !k.Expires.IsZero() {
		v["tradingAuthorityExpirationTime"] = k.Expires.UnixMilli()
	}
	core.WriteJSON(w, 200, v)
}

func spotAccount(b *binance, w http.ResponseWriter, q *req) {
	omitZero := q.p.Get("omitZeroBalances") == "true"
	balances := []map[string]string{}
	for _, x := range b.st.Accounts().Balances(q.key, core.Spot) {
		if omitZero && exchanges.IsZeroDecimal(x.Total) {
			continue
		}
		balances = append(balances, map[string]string{"asset": x.Asset, "free": pad8(x.Free), "locked": pad8(x.Used)})
	}
	k := q.key
	core.WriteJSON(w, 200, map[string]any{
		"makerCommission": 10, "takerCommission": 10, "buyerCommission": 0, "sellerCommission": 0,
		"commissionRates": map[string]string{"maker": "0.00100000", "taker": "0.00100000", "buyer": "0.00000000", "seller": "0.00000000"},
		"canTrade":        k.Has(core.PermSpot) || k.Has(core.PermMargin), "canWithdraw": true, "canDeposit": true,
		"brokered": false, "requireSelfTradePrevention": false, "preventSor": false,
		"updateTime": q.sc.Now().UnixMilli(), "accountType": "SPOT",
		"balances": balances, "permissions": []string{"SPOT"}, "uid": 354937868,
	})
}

func futuresBalance(b *binance, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for _, x := range b.st.Accounts().Balances(q.key, core.Perpetual) {
		out = append(out, map[string]any{
			"accountAlias": "SgsR", "asset": x.Asset, "balance": x.Total, "crossWalletBalance": x.Total,
			"crossUnPnl": "0.00000000", "availableBalance": x.Free, "maxWithdrawAmount": x.Free,
			"marginAvailable": true, "updateTime": q.sc.Now().UnixMilli(),
		})
	}
	core.WriteJSON(w, 200, out)
}

// futuresAccount answers /fapi/v2|v3/account: wallet, margins in use and
// positions. Prices never move, so there is no unrealised profit.
func futuresAccount(b *binance, w http.ResponseWriter, q *req) {
	now := q.sc.Now().UnixMilli()
	assets := []map[string]any{}
	total, free, used := "0", "0", "0"
	for _, x := range b.st.Accounts().Balances(q.key, core.Perpetual) {
		assets = append(assets, map[string]any{
			"asset": x.Asset, "walletBalance": x.Total, "unrealizedProfit": "0", "marginBalance": x.Total,
			"maintMargin": "0", "initialMargin": x.Used, "positionInitialMargin": "0", "openOrderInitialMargin": x.Used,
			"crossWalletBalance": x.Total, "crossUnPnl": "0", "availableBalance": x.Free, "maxWithdrawAmount": x.Free,
			"marginAvailable": true, "updateTime": now,
		})
		if x.Asset == "USDT" || x.Asset == "USDC" {
			total, free, used = exchanges.AddDecimals(total, x.Total), exchanges.AddDecimals(free, x.Free), exchanges.AddDecimals(used, x.Used)
		}
	}
	positions := []map[string]any{}
	for _, p := range b.st.Accounts().Positions(q.key.Key) {
		m, _ := core.MarketOf(p.Symbol)
		positions = append(positions, map[string]any{
			"symbol": symbolOf(m), "positionSide": "BOTH", "positionAmt": p.Size, "entryPrice": p.EntryPrice,
			"unrealizedProfit": "0", "isolatedMargin": "0", "isolated": false, "leverage": strconv.Itoa(core.Leverage),
			"notional": core.MulDec(p.Size, m.Mid), "isolatedWallet": "0", "updateTime": now,
		})
	}
	core.WriteJSON(w, 200, map[string]any{
		"feeTier": 0, "canTrade": q.key.Has(core.PermFutures), "canDeposit": true, "canWithdraw": true, "updateTime": 0,
		"multiAssetsMargin": false, "tradeGroupId": -1,
		"totalInitialMargin": used, "totalMaintMargin": "0", "totalWalletBalance": total, "totalUnrealizedProfit": "0",
		"totalMarginBalance": total, "totalPositionInitialMargin": "0", "totalOpenOrderInitialMargin": used,
		"totalCrossWalletBalance": total, "totalCrossUnPnl": "0", "availableBalance": free, "maxWithdrawAmount": free,
		"assets": assets, "positions": positions,
	})
}

func positionRisk(b *binance, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for _, p := range b.st.Accounts().Positions(q.key.Key) {
		m, _ := core.MarketOf(p.Symbol)
		out = append(out, map[string]any{
			"symbol": symbolOf(m), "positionSide": "BOTH", "positionAmt": p.Size, "entryPrice": p.EntryPrice,
			"breakEvenPrice": p.EntryPrice, "markPrice": m.Mid, "unRealizedProfit": "0", "liquidationPrice": "0",
			"leverage": strconv.Itoa(core.Leverage), "marginType": "cross", "isolatedMargin": "0", "isAutoAddMargin": "false",
			"notional": core.MulDec(p.Size, m.Mid), "isolatedWallet": "0", "updateTime": q.sc.Now().UnixMilli(),
		})
	}
	core.WriteJSON(w, 200, out)
}

// Order errors, spot then futures where they differ.
var (
	bnNoOrder     = binanceErr{http.StatusBadRequest, -2013, "Order does not exist."}
	bnUnknownSent = binanceErr{http.StatusBadRequest, -2011, "Unknown order sent."}
	bnBadSide     = binanceErr{http.StatusBadRequest, -1117, "Invalid side."}
	bnBadType     = binanceErr{http.StatusBadRequest, -1116, "Invalid orderType."}
)

func illegal(param string) binanceErr {
	return binanceErr{http.StatusBadRequest, -1100, "Illegal characters found in parameter '" + param + "'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."}
}

// orderErr maps a refusal of core's order book to Binance's code.
func orderErr(kind core.Kind, err error) binanceErr {
	var oe *core.OrderError
	if !errors.As(err, &oe) {
		return binanceErr{http.StatusInternalServerError, -1001, "Internal error; unable to process your request. Please try again."}
	}
	bad := func(code int, msg string) binanceErr { return binanceErr{http.StatusBadRequest, code, msg} }
	fut := kind == core.Perpetual
	switch oe.Reason {
	case core.ReasonUnknownSymbol:
		return bnBadSymbol
	case core.ReasonBadPrice:
		return illegal("price")
	case core.ReasonBadQty:
		if fut {
			return bad(-4003, "Quantity less than or equal to zero.")
		}
		return illegal("quantity")
	case core.ReasonPriceTick:
		if fut {
			return bad(-4014, "Price not increased by tick size.")
		}
		return bad(-1013, "Filter failure: PRICE_FILTER")
	case core.ReasonQtyStep, core.ReasonMinQty, core.ReasonMaxQty:
		if fut {
			return bad(-4023, "Quantity not increased by step size.")
		}
		return bad(-1013, "Filter failure: LOT_SIZE")
	case core.ReasonMinNotional:
		if fut {
			return bad(-4164, "Order's notional must be no smaller than 100 (unless you choose reduce only).")
		}
		return bad(-1013, "Filter failure: NOTIONAL")
	case core.ReasonInsufficient:
		if fut {
			return bad(-2019, "Margin is insufficient.")
		}
		return bad(-2010, "Account has insufficient balance for requested action.")
	case core.ReasonDuplicateClientID:
		if fut {
			return bad(-4116, "ClientOrderId is duplicated.")
		}
		return bad(-2010, "Duplicate order sent.")
	case core.ReasonWouldTake:
		if fut {
			return bad(-5022, "Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history")
		}
		return bad(-2010, "Order would immediately match and take.")
	default:
		return bad(-1013, "Filter failure: MAX_NUM_ORDERS")
	}
}

// parseOrder reads a new order's parameters as Binance does.
func (b *binance) parseOrder(w http.ResponseWriter, q *req, kind core.Kind) (core.OrderRequest, bool) {
	for _, p := range []string{"symbol", "side", "type"} {
		if q.p.Get(p) == "" {
			b.fail(w, bnMandatory(p))
			return core.OrderRequest{}, false
		}
	}
	m, ok := marketOf(kind, q.p.Get("symbol"))
	if !ok {
		b.fail(w, bnBadSymbol)
		return core.OrderRequest{}, false
	}
	o := core.OrderRequest{Symbol: m.Symbol, ClientID: q.p.Get("newClientOrderId"), TimeInForce: q.p.Get("timeInForce"),
		ReduceOnly: q.p.Get("reduceOnly") == "true", Qty: q.p.Get("quantity"), Price: q.p.Get("price")}
	if o.Side, ok = core.SideOf(q.p.Get("side"), "BUY", "SELL"); !ok {
		b.fail(w, bnBadSide)
		return o, false
	}
	switch t := q.p.Get("type"); {
	case t == "LIMIT" || (t == "LIMIT_MAKER" && kind == core.Spot):
		o.Type, o.PostOnly = core.Limit, t == "LIMIT_MAKER" || o.TimeInForce == "GTX"
		if t == "LIMIT" && o.TimeInForce == "" {
			b.fail(w, bnMandatory("timeInForce"))
			return o, false
		}
		if o.Price == "" {
			b.fail(w, bnMandatory("price"))
			return o, false
		}
	case t == "MARKET":
		o.Type = core.MarketOrd
		if o.Qty == "" && kind == core.Spot && q.p.Get("quoteOrderQty") != "" {
			qty, ok := qtyForQuote(m, q.p.Get("quoteOrderQty"))
			if !ok {
				b.fail(w, illegal("quoteOrderQty"))
				return o, false
			}
			o.Qty = qty
		}
	default:
		b.fail(w, bnBadType)
		return o, false
	}
	if o.Qty == "" {
		b.fail(w, bnMandatory("quantity"))
		return o, false
	}
	if o.ClientID == "" {
		o.ClientID = core.RandomAlnum(22)
	}
	return o, true
}

// qtyForQuote is the amount a quote-sized market buy gets at the ask,
// rounded down to the step.
func qtyForQuote(m core.Market, quote string) (string, bool) {
	qq, ok := core.ParseDec(quote)
	ask, _ := core.ParseDec(m.Ticker(time.Now()).Ask)
	step, _ := core.ParseDec(m.Step)
	if !ok || qq.Sign() <= 0 {
		return "", false
	}
	n := new(big.Rat).Quo(new(big.Rat).Quo(qq, ask), step)
	whole := new(big.Int).Quo(n.Num(), n.Denom())
	return core.FormatDec(new(big.Rat).Mul(new(big.Rat).SetInt(whole), step), m.QtyPlaces()), true
}

func placeOrder(kind core.Kind) func(*binance, http.ResponseWriter, *req) {
	return func(b *binance, w http.ResponseWriter, q *req) {
		o, ok := b.parseOrder(w, q, kind)
		if !ok {
			return
		}
		placed, err := b.st.Accounts().Place(q.key, o, q.sc.Now())
		if err != nil {
			b.fail(w, orderErr(kind, err))
			return
		}
		v := renderOrder(kind, placed)
		v["transactTime"] = placed.Created.UnixMilli()
		if kind == core.Spot && placed.Status == core.Filled {
			v["fills"] = []map[string]string{{"price": placed.AvgPrice, "qty": placed.Filled, "commission": "0.00000000",
				"commissionAsset": "USDT", "tradeId": strconv.FormatInt(placed.ID, 10)}}
		}
		core.WriteJSON(w, 200, v)
	}
}

// findAsked finds the order a request names by orderId or
// origClientOrderId, on the request's symbol.
func (b *binance) findAsked(w http.ResponseWriter, q *req, kind core.Kind, notFound binanceErr) (core.Order, bool) {
	m, ok := marketOf(kind, q.p.Get("symbol"))
	if !ok {
		if q.p.Get("symbol") == "" {
			b.fail(w, bnMandatory("symbol"))
		} else {
			b.fail(w, bnBadSymbol)
		}
		return core.Order{}, false
	}
	id, _ := strconv.ParseInt(q.p.Get("orderId"), 10, 64)
	client := q.p.Get("origClientOrderId")
	if id == 0 && client == "" {
		b.fail(w, binanceErr{http.StatusBadRequest, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"})
		return core.Order{}, false
	}
	o, err := b.st.Accounts().Find(q.key.Key, id, client)
	if err != nil || o.Symbol != m.Symbol {
		b.fail(w, notFound)
		return core.Order{}, false
	}
	return o, true
}

func getOrder(kind core.Kind) func(*binance, http.ResponseWriter, *req) {
	return func(b *binance, w http.ResponseWriter, q *req) {
		if o, ok := b.findAsked(w, q, kind, bnNoOrder); ok {
			core.WriteJSON(w, 200, renderOrder(kind, o))
		}
	}
}

func cancelOrder(kind core.Kind) func(*binance, http.ResponseWriter, *req) {
	return func(b *binance, w http.ResponseWriter, q *req) {
		o, ok := b.findAsked(w, q, kind, bnUnknownSent)
		if !ok {
			return
		}
		c, err := b.st.Accounts().Cancel(q.key.Key, o.ID, "", q.sc.Now())
		if err != nil {
			b.fail(w, bnUnknownSent)
			return
		}
		v := renderOrder(kind, c)
		if kind == core.Spot {
			v["origClientOrderId"] = c.ClientID
			v["clientOrderId"] = core.RandomAlnum(22)
			v["transactTime"] = c.Updated.UnixMilli()
		}
		core.WriteJSON(w, 200, v)
	}
}

func listOrders(kind core.Kind, openOnly bool) func(*binance, http.ResponseWriter, *req) {
	return func(b *binance, w http.ResponseWriter, q *req) {
		symbol := ""
		if s := q.p.Get("symbol"); s != "" {
			m, ok := marketOf(kind, s)
			if !ok {
				b.fail(w, bnBadSymbol)
				return
			}
			symbol = m.Symbol
		} else if !openOnly {
			b.fail(w, bnMandatory("symbol"))
			return
		}
		out := []map[string]any{}
		for _, o := range b.st.Accounts().Orders(q.key.Key, symbol, openOnly) {
			if m, _ := core.MarketOf(o.Symbol); m.Kind == kind {
				out = append(out, renderOrder(kind, o))
			}
		}
		core.WriteJSON(w, 200, out)
	}
}

func openOrders(kind core.Kind) func(*binance, http.ResponseWriter, *req) {
	return listOrders(kind, true)
}
func allOrders(kind core.Kind) func(*binance, http.ResponseWriter, *req) {
	return listOrders(kind, false)
}

func statusOf(o core.Order) string {
	switch o.Status {
	case core.Filled:
		return "FILLED"
	case core.Canceled:
		return "CANCELED"
	}
	return "NEW"
}

// renderOrder writes an order as Binance's spot or futures order object.
func renderOrder(kind core.Kind, o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	price := o.Price
	if price == "" {
		price = "0"
	}
	quote := o.FilledValue()
	typ := strings.ToUpper(string(o.Type))
	if o.PostOnly && kind == core.Spot {
		typ = "LIMIT_MAKER"
	}
	tif := o.TimeInForce
	if tif == "" {
		tif = "GTC"
	}
	v := map[string]any{
		"symbol": symbolOf(m), "orderId": o.ID, "clientOrderId": o.ClientID, "price": price,
		"origQty": o.Qty, "executedQty": o.Filled, "status": statusOf(o), "timeInForce": tif, "type": typ,
		"side": strings.ToUpper(string(o.Side)), "time": o.Created.UnixMilli(), "updateTime": o.Updated.UnixMilli(),
	}
	if kind == core.Spot {
		for k, x := range map[string]any{"price": pad8(price), "origQty": pad8(o.Qty), "executedQty": pad8(o.Filled),
			"orderListId": -1, "cummulativeQuoteQty": pad8(quote), "stopPrice": "0.00000000", "icebergQty": "0.00000000",
			"isWorking": true, "workingTime": o.Created.UnixMilli(), "origQuoteOrderQty": "0.00000000",
			"selfTradePreventionMode": "EXPIRE_MAKER"} {
			v[k] = x
		}
		return v
	}
	avg := o.AvgPrice
	if avg == "" {
		avg = "0"
	}
	for k, x := range map[string]any{"avgPrice": avg, "cumQty": o.Filled, "cumQuote": quote, "reduceOnly": o.ReduceOnly,
		"closePosition": false, "positionSide": "BOTH", "stopPrice": "0", "workingType": "CONTRACT_PRICE",
		"priceProtect": false, "origType": typ, "priceMatch": "NONE", "selfTradePreventionMode": "EXPIRE_MAKER",
		"goodTillDate": 0} {
		v[k] = x
	}
	return v
}
