package binance

import (
	"errors"
	"net/http"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

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
