package gate

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The USDT-settled perpetual: the futures account, positions and orders.
// Sizes are whole contracts, signed (positive buys, negative sells); a
// price of "0" with tif "ioc" is a market order. Order ids are core's
// order numbers, as JSON numbers.

func (h *gate) futuresAccount(c *call) {
	total, free, used := "0", "0", "0"
	for _, b := range h.st.Accounts().Balances(c.k, core.Perpetual) {
		if b.Asset == "USDT" {
			total, free, used = b.Total, b.Free, b.Used
		}
	}
	core.WriteJSON(c.w, http.StatusOK, map[string]any{
		"user": gateUser, "currency": "USDT", "total": total, "unrealised_pnl": "0", "position_margin": "0",
		"order_margin": used, "available": free, "point": "0", "bonus": "0", "in_dual_mode": false,
		"enable_credit": false, "position_initial_margin": "0", "maintenance_margin": "0", "cross_available": free,
		"history": map[string]string{"dnw": total, "pnl": "0", "fee": "0", "refr": "0", "fund": "0", "point_dnw": "0",
			"point_fee": "0", "point_refr": "0", "bonus_dnw": "0", "bonus_offset": "0"},
	})
}

func (h *gate) positions(c *call) {
	out := []map[string]any{}
	for _, p := range h.st.Accounts().Positions(c.k.Key) {
		m, _ := core.MarketOf(p.Symbol)
		size, _ := core.ParseDec(contracts(m, p.Size))
		entry, _ := core.ParseDec(p.EntryPrice)
		qty, _ := core.ParseDec(p.Size)
		value := new(big.Rat).Abs(new(big.Rat).Mul(qty, entry))
		out = append(out, map[string]any{
			"user": gateUser, "contract": pairID(m), "size": json.Number(core.TrimDec(size)), "leverage": strconv.Itoa(core.Leverage),
			"risk_limit": "1000000", "leverage_max": strconv.Itoa(m.MaxLeverage), "maintenance_rate": "0.005",
			"value": core.TrimDec(value), "margin": core.TrimDec(new(big.Rat).Quo(value, big.NewRat(core.Leverage, 1))),
			"entry_price": p.EntryPrice, "liq_price": "0", "mark_price": m.Mid, "unrealised_pnl": "0", "realised_pnl": "0",
			"history_pnl": "0", "last_close_pnl": "0", "realised_point": "0", "history_point": "0", "adl_ranking": 5,
			"pending_orders": 0, "mode": "single", "cross_leverage_limit": "0", "update_time": h.st.Now().Unix(),
		})
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

type futuresBody struct {
	Contract   string      `json:"contract"`
	Size       json.Number `json:"size"`
	Price      string      `json:"price"`
	Tif        string      `json:"tif"`
	ReduceOnly bool        `json:"reduce_only"`
	Close      bool        `json:"close"`
	Text       string      `json:"text"`
}

func (h *gate) futuresCreate(c *call) {
	var b futuresBody
	if json.Unmarshal(c.body, &b) != nil {
		h.fail(c.w, gateErr{http.StatusBadRequest, "INVALID_REQUEST_BODY", "request body is not valid JSON"})
		return
	}
	m, ok := marketOf(b.Contract, core.Perpetual)
	if !ok {
		h.fail(c.w, gateErr{http.StatusBadRequest, "CONTRACT_NOT_FOUND", "Contract not found: " + b.Contract})
		return
	}
	size, err := strconv.ParseInt(b.Size.String(), 10, 64)
	if err != nil || (size == 0 && !b.Close) {
		h.fail(c.w, badParam("invalid argument: size"))
		return
	}
	if !checkText(b.Text) {
		h.fail(c.w, badParam("invalid argument: text must start with t- and be at most 28 bytes"))
		return
	}
	tif := b.Tif
	if tif == "" {
		tif = "gtc"
	}
	if tif != "gtc" && tif != "ioc" && tif != "poc" && tif != "fok" {
		h.fail(c.w, badParam("invalid argument: tif"))
		return
	}
	side := core.Buy
	if size < 0 {
		side, size = core.Sell, -size
	}
	if b.Close {
		// Closing takes the whole position, against its side.
		side, size = h.closing(c.k.Key, m)
		if size == 0 {
			h.fail(c.w, gateErr{http.StatusBadRequest, "POSITION_EMPTY", "position is empty"})
			return
		}
	}
	step, _ := core.ParseDec(m.Step)
	qty := core.TrimDec(new(big.Rat).Mul(big.NewRat(size, 1), step))
	typ := core.Limit
	if price, ok := core.ParseDec(b.Price); ok && price.Sign() == 0 {
		if tif != "ioc" && tif != "fok" {
			h.fail(c.w, badParam("invalid argument: a market order (price 0) takes tif ioc or fok"))
			return
		}
		typ = core.MarketOrd
	}
	now := h.st.Now()
	req := core.OrderRequest{Symbol: m.Symbol, Side: side, Type: typ, Price: b.Price, Qty: qty, ClientID: b.Text,
		TimeInForce: tif, PostOnly: tif == "poc", ReduceOnly: b.ReduceOnly || b.Close}
	if typ == core.MarketOrd {
		req.Price = ""
	}
	o, err := h.st.Accounts().Place(c.k, req, now)
	if err != nil {
		h.fail(c.w, orderErr(err, m))
		return
	}
	if o.Status == core.Open && (tif == "ioc" || tif == "fok") {
		o, _ = h.st.Accounts().Cancel(c.k.Key, o.ID, "", now)
	}
	core.WriteJSON(c.w, http.StatusCreated, futuresJSON(o))
}

// closing is the side and size (in contracts) that closes the position.
func (h *gate) closing(key string, m core.Market) (core.Side, int64) {
	for _, p := range h.st.Accounts().Positions(key) {
		if p.Symbol != m.Symbol {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimPrefix(contracts(m, p.Size), "-"), 10, 64)
		if strings.HasPrefix(p.Size, "-") {
			return core.Buy, n
		}
		return core.Sell, n
	}
	return core.Buy, 0
}

func (h *gate) futuresGet(c *call)    { h.getOrder(c, core.Perpetual, futuresJSON) }
func (h *gate) futuresCancel(c *call) { h.cancelOrder(c, core.Perpetual, futuresJSON) }

// futuresOrders is GET /futures/usdt/orders?status=open|finished[&contract=..].
func (h *gate) futuresOrders(c *call) {
	q := c.r.URL.Query()
	status := q.Get("status")
	if status != "open" && status != "finished" {
		h.fail(c.w, badParam("invalid argument: status"))
		return
	}
	symbol := ""
	if id := q.Get("contract"); id != "" {
		m, ok := marketOf(id, core.Perpetual)
		if !ok {
			h.fail(c.w, gateErr{http.StatusBadRequest, "CONTRACT_NOT_FOUND", "Contract not found: " + id})
			return
		}
		symbol = m.Symbol
	}
	out := []map[string]any{}
	for _, o := range h.st.Accounts().Orders(c.k.Key, symbol, status == "open") {
		if m, _ := core.MarketOf(o.Symbol); m.Kind != core.Perpetual || (status == "finished" && o.Status == core.Open) {
			continue
		}
		out = append(out, futuresJSON(o))
	}
	core.WriteJSON(c.w, http.StatusOK, out)
}

func secondsJSON(t interface{ UnixMilli() int64 }) json.Number {
	ms := t.UnixMilli()
	return json.Number(fmt.Sprintf("%d.%03d", ms/1000, ms%1000))
}

func futuresJSON(o core.Order) map[string]any {
	m, _ := core.MarketOf(o.Symbol)
	size, _ := core.ParseDec(contracts(m, o.Qty))
	filled, _ := core.ParseDec(contracts(m, o.Filled))
	left := new(big.Rat).Sub(size, filled)
	if o.Side == core.Sell {
		size, left = new(big.Rat).Neg(size), new(big.Rat).Neg(left)
	}
	price, fill := o.Price, "0"
	if o.Type == core.MarketOrd {
		price = "0"
	}
	if o.AvgPrice != "" {
		fill = o.AvgPrice
	}
	text := o.ClientID
	if text == "" {
		text = "api"
	}
	v := map[string]any{
		"id": o.ID, "user": gateUser, "create_time": secondsJSON(o.Created), "contract": pairID(m),
		"size": json.Number(core.TrimDec(size)), "iceberg": 0, "price": price, "is_close": false,
		"is_reduce_only": o.ReduceOnly, "is_liq": false, "tif": o.TimeInForce, "left": json.Number(core.TrimDec(left)),
		"fill_price": fill, "text": text, "tkfr": "0", "mkfr": "0", "refu": 0, "auto_size": "", "stp_act": "-",
		"stp_id": 0, "amend_text": "-", "status": "open", "finish_as": "_new",
	}
	if o.Status != core.Open {
		v["status"], v["finish_as"], v["finish_time"] = "finished", finishAs(o), secondsJSON(o.Updated)
	}
	return v
}
