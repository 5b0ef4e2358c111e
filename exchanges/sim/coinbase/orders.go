package coinbase

import (
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Orders: POST /api/v3/brokerage/orders, POST .../orders/batch_cancel,
// GET .../orders/historical/{order_id} and .../historical/batch. Order
// ids are UUIDs whose last group is core's order number in hex.
//
// A refused order is answered as Coinbase does, HTTP 200 with
// {"success":false,"failure_reason":…,"error_response":{"error",
// "message","error_details","preview_failure_reason"}}; a request the
// gateway cannot read is HTTP 400 INVALID_ARGUMENT. A client order id
// already used returns that order instead of a new one, as Coinbase
// documents. Stop orders are not simulated (UNSUPPORTED_ORDER_CONFIGURATION).

// orderID renders core's order number as this exchange's order id.
func orderID(n int64) string { return core.UUIDOrderID("coinbase-order", n) }

// parseOrderID reverses orderID; 0 for anything it did not make.
func parseOrderID(s string) int64 { return core.ParseUUIDOrderID("coinbase-order", s) }

// orderConfig is one order_configuration entry (only the kinds served).
type orderConfig struct {
	BaseSize   string `json:"base_size"`
	QuoteSize  string `json:"quote_size"`
	LimitPrice string `json:"limit_price"`
	PostOnly   bool   `json:"post_only"`
	EndTime    string `json:"end_time"`
}

type orderBody struct {
	ClientOrderID string                     `json:"client_order_id"`
	ProductID     string                     `json:"product_id"`
	Side          string                     `json:"side"`
	Config        map[string]json.RawMessage `json:"order_configuration"`
}

// configs maps an order_configuration kind to core's order type and
// Coinbase's time in force.
var configs = map[string]struct {
	typ core.OrderType
	tif string
}{
	"limit_limit_gtc":   {core.Limit, "GOOD_UNTIL_CANCELLED"},
	"limit_limit_gtd":   {core.Limit, "GOOD_UNTIL_DATE_TIME"},
	"limit_limit_fok":   {core.Limit, "FILL_OR_KILL"},
	"sor_limit_ioc":     {core.Limit, "IMMEDIATE_OR_CANCEL"},
	"market_market_ioc": {core.MarketOrd, "IMMEDIATE_OR_CANCEL"},
}

// failure is a refused order's error_response.
type failure struct{ code, preview, msg string }

// failures maps core's reasons to Coinbase's codes.
var failures = map[core.Reason]failure{
	core.ReasonPriceTick:     {"INVALID_PRICE_PRECISION", "PREVIEW_INVALID_LIMIT_PRICE_PRECISION", "Invalid limit price precision"},
	core.ReasonQtyStep:       {"INVALID_SIZE_PRECISION", "PREVIEW_INVALID_BASE_SIZE_PRECISION", "Invalid base size precision"},
	core.ReasonMinQty:        {"INVALID_SIZE_PRECISION", "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL", "Base size is too small"},
	core.ReasonMaxQty:        {"INVALID_SIZE_PRECISION", "PREVIEW_INVALID_BASE_SIZE_TOO_LARGE", "Base size is too large"},
	core.ReasonMinNotional:   {"INVALID_LIMIT_PRICE", "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL", "Quote size is too small"},
	core.ReasonInsufficient:  {"INSUFFICIENT_FUND", "PREVIEW_INSUFFICIENT_FUND", "Insufficient balance in source account"},
	core.ReasonWouldTake:     {"INVALID_LIMIT_PRICE_POST_ONLY", "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY", "Invalid limit price for post only order"},
	core.ReasonBadPrice:      {"INVALID_LIMIT_PRICE", "PREVIEW_INVALID_LIMIT_PRICE", "Invalid limit price"},
	core.ReasonBadQty:        {"INVALID_SIZE_PRECISION", "PREVIEW_INVALID_BASE_SIZE_PRECISION", "Invalid base size"},
	core.ReasonTooManyOrders: {"COMMANDER_REJECTED_NEW_ORDER", "UNKNOWN_PREVIEW_FAILURE_REASON", "Too many open orders"},
}

func (c *coinbase) refuseOrder(w http.ResponseWriter, f failure, config map[string]json.RawMessage) {
	core.Refuse(w, f.code)
	core.WriteJSON(w, http.StatusOK, map[string]any{
		"success": false, "failure_reason": "UNKNOWN_FAILURE_REASON", "order_id": "",
		"error_response": map[string]string{"error": f.code, "message": f.msg, "error_details": f.msg,
			"preview_failure_reason": f.preview, "new_order_failure_reason": f.code},
		"order_configuration": config,
	})
}

// readJSON decodes a bounded JSON body.
func readJSON(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// needTrade refuses (403) a key without the trade permission of m.
func (c *coinbase) needTrade(w http.ResponseWriter, r *http.Request, k *core.Key, m core.Market) bool {
	perm := core.PermSpot
	if m.Kind == core.Perpetual {
		perm = core.PermFutures
	}
	if !k.Has(perm) {
		c.refusePermission(w, r)
		return false
	}
	return true
}

func (c *coinbase) createOrder(q call) {
	var body orderBody
	if err := readJSON(q.r, &body); err != nil {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "request body is not valid JSON")
		return
	}
	m, ok := marketOf(body.ProductID)
	if !ok {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "valid product_id is required")
		return
	}
	if !c.needTrade(q.w, q.r, q.k, m) {
		return
	}
	side := core.Side(strings.ToLower(body.Side))
	if side != core.Buy && side != core.Sell {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "side must be BUY or SELL")
		return
	}
	if len(body.ClientOrderID) > 128 {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "client_order_id is too long")
		return
	}
	if len(body.Config) != 1 {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "exactly one order_configuration is required")
		return
	}
	var kind string
	var raw json.RawMessage
	for k, v := range body.Config {
		kind, raw = k, v
	}
	spec, ok := configs[kind]
	var cfg orderConfig
	if !ok || json.Unmarshal(raw, &cfg) != nil {
		c.refuseOrder(q.w, failure{"UNSUPPORTED_ORDER_CONFIGURATION", "UNKNOWN_PREVIEW_FAILURE_REASON", "Unsupported order configuration"}, body.Config)
		return
	}
	now := c.st.Now()
	if body.ClientOrderID != "" {
		if o, err := c.st.Accounts().Find(q.k.Key, 0, body.ClientOrderID); err == nil {
			c.orderAccepted(q.w, o, body.Config)
			return
		}
	}
	req := core.OrderRequest{Symbol: m.Symbol, Side: side, Type: spec.typ, Price: cfg.LimitPrice, Qty: cfg.BaseSize,
		ClientID: body.ClientOrderID, TimeInForce: kind, PostOnly: cfg.PostOnly}
	if spec.typ == core.MarketOrd && cfg.BaseSize == "" {
		qty, ok := core.QuoteToBase(m, core.Buy, cfg.QuoteSize, now)
		if !ok {
			c.refuseOrder(q.w, failures[core.ReasonMinNotional], body.Config)
			return
		}
		req.Qty = qty
	}
	o, err := c.st.Accounts().Place(q.k, req, now)
	var oe *core.OrderError
	if errors.As(err, &oe) {
		f, ok := failures[oe.Reason]
		if !ok {
			f = failure{"UNKNOWN_FAILURE_REASON", "UNKNOWN_PREVIEW_FAILURE_REASON", oe.Msg}
		}
		c.refuseOrder(q.w, f, body.Config)
		return
	}
	if err != nil {
		c.ServerError(q.w)
		return
	}
	// Immediate-or-cancel and fill-or-kill orders that did not fill at
	// once do not rest.
	if o.Status == core.Open && spec.tif != "GOOD_UNTIL_CANCELLED" && spec.tif != "GOOD_UNTIL_DATE_TIME" {
		o, _ = c.st.Accounts().Cancel(q.k.Key, o.ID, "", now)
	}
	c.orderAccepted(q.w, o, body.Config)
}

func (c *coinbase) orderAccepted(w http.ResponseWriter, o core.Order, config map[string]json.RawMessage) {
	m, _ := core.MarketOf(o.Symbol)
	id := orderID(o.ID)
	core.WriteJSON(w, http.StatusOK, map[string]any{
		"success": true, "failure_reason": "UNKNOWN_FAILURE_REASON", "order_id": id,
		"success_response":    map[string]string{"order_id": id, "product_id": productID(m), "side": strings.ToUpper(string(o.Side)), "client_order_id": o.ClientID},
		"order_configuration": config,
	})
}

// cancelOrders is POST .../orders/batch_cancel {"order_ids":[...]}.
func (c *coinbase) cancelOrders(q call) {
	var body struct {
		IDs []string `json:"order_ids"`
	}
	if err := readJSON(q.r, &body); err != nil || len(body.IDs) == 0 || len(body.IDs) > 100 {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "order_ids must list 1 to 100 order ids")
		return
	}
	accts := c.st.Accounts()
	for _, id := range body.IDs {
		if o, err := accts.Find(q.k.Key, parseOrderID(id), ""); err == nil {
			m, _ := core.MarketOf(o.Symbol)
			if !c.needTrade(q.w, q.r, q.k, m) {
				return
			}
		}
	}
	now := c.st.Now()
	results := []map[string]any{}
	for _, id := range body.IDs {
		reason := "UNKNOWN_CANCEL_FAILURE_REASON"
		o, err := accts.Cancel(q.k.Key, parseOrderID(id), "", now)
		switch {
		case errors.Is(err, core.ErrNoSuchOrder) || parseOrderID(id) == 0:
			reason = "UNKNOWN_CANCEL_ORDER"
		case errors.Is(err, core.ErrNotOpen) && o.Status == core.Filled:
			reason = "ORDER_IS_FULLY_FILLED"
		case errors.Is(err, core.ErrNotOpen):
			reason = "DUPLICATE_CANCEL_REQUEST"
		}
		results = append(results, map[string]any{"success": err == nil, "failure_reason": reason, "order_id": id})
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"results": results})
}

// getOrder is GET .../orders/historical/{order_id}.
func (c *coinbase) getOrder(q call) {
	o, err := c.st.Accounts().Find(q.k.Key, parseOrderID(q.id), "")
	if err != nil {
		c.brokerageErr(q.w, http.StatusNotFound, "unknown", "order with this orderID was not found")
		return
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"order": c.orderJSON(q.k, o)})
}

// listOrders is GET .../orders/historical/batch: filters order_status
// (repeatable), product_id or product_ids, limit (at most 1000) and cursor.
func (c *coinbase) listOrders(q call) {
	v := q.r.URL.Query()
	statuses := v["order_status"]
	products := append(v["product_id"], v["product_ids"]...)
	var match []core.Order
	for _, o := range c.st.Accounts().Orders(q.k.Key, "", false) {
		m, _ := core.MarketOf(o.Symbol)
		if (len(statuses) == 0 || contains(statuses, orderStatus(o))) && (len(products) == 0 || contains(products, productID(m))) {
			match = append(match, o)
		}
	}
	for i, j := 0, len(match)-1; i < j; i, j = i+1, j-1 {
		match[i], match[j] = match[j], match[i] // newest first
	}
	list, next, ok := page(q.r, match, "cursor", 100, 1000)
	if !ok {
		c.brokerageErr(q.w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid limit or cursor")
		return
	}
	out := []map[string]any{}
	for _, o := range list {
		out = append(out, c.orderJSON(q.k, o))
	}
	core.WriteJSON(q.w, http.StatusOK, map[string]any{"orders": out, "sequence": "0", "has_next": next != "", "cursor": next})
}

func orderStatus(o core.Order) string {
	switch o.Status {
	case core.Filled:
		return "FILLED"
	case core.Canceled:
		return "CANCELLED"
	}
	return "OPEN"
}

// orderJSON renders an order as GET .../orders/historical/{id} does.
func (c *coinbase) orderJSON(k *core.Key, o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	kind := o.TimeInForce
	spec := configs[kind]
	cfg := map[string]any{"base_size": o.Qty}
	if o.Type == core.Limit {
		cfg["limit_price"] = o.Price
		if kind == "limit_limit_gtc" || kind == "limit_limit_gtd" {
			cfg["post_only"] = o.PostOnly
		}
	}
	filled, _ := core.ParseDec(o.Filled)
	qty, _ := core.ParseDec(o.Qty)
	value, avg := o.FilledValue(), o.AvgPrice
	if avg == "" {
		avg = "0"
	}
	pct := core.TrimDec(new(big.Rat).Mul(new(big.Rat).Quo(filled, qty), big.NewRat(100, 1)))
	fills := "0"
	if filled.Sign() > 0 {
		fills = "1"
	}
	var lastFill any
	if o.Status == core.Filled {
		lastFill = o.Updated.UTC().Format(time.RFC3339Nano)
	}
	return map[string]any{
		"order_id": orderID(o.ID), "product_id": productID(m), "user_id": stableID("user:" + k.Key),
		"order_configuration": map[string]any{kind: cfg}, "side": strings.ToUpper(string(o.Side)),
		"client_order_id": o.ClientID, "status": orderStatus(o), "time_in_force": spec.tif,
		"created_time": o.Created.UTC().Format(time.RFC3339Nano), "completion_percentage": pct,
		"filled_size": o.Filled, "average_filled_price": avg, "fee": "", "number_of_fills": fills,
		"filled_value": value, "pending_cancel": false, "size_in_quote": false, "total_fees": "0",
		"size_inclusive_of_fees": false, "total_value_after_fees": value, "trigger_status": "INVALID_ORDER_TYPE",
		"order_type": strings.ToUpper(string(o.Type)), "reject_reason": "REJECT_REASON_UNSPECIFIED",
		"settled": o.Status == core.Filled, "product_type": "SPOT", "reject_message": "", "cancel_message": "",
		"order_placement_source": "RETAIL_ADVANCED", "outstanding_hold_amount": "0", "is_liquidation": false,
		"last_fill_time": lastFill, "edit_history": []any{}, "leverage": "", "margin_type": "UNKNOWN_MARGIN_TYPE",
		"retail_portfolio_id": cbPortfolio(k),
	}
}
