package okx

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/sim/core"
)

func okxPerm(k *core.Key) string {
	var p []string
	if k.Has(core.PermRead) {
		p = append(p, "read_only")
	}
	if k.Has(core.PermWithdraw) {
		p = append(p, "withdraw")
	}
	if k.Has(core.PermSpot) || k.Has(core.PermFutures) || k.Has(core.PermMargin) || k.Has(core.PermTransfer) {
		p = append(p, "trade")
	}
	return strings.Join(p, ",")
}

func config(o *okx, w http.ResponseWriter, q *req) {
	k := q.key
	o.ok(w, []map[string]any{{
		"acctLv": "2", "acctStpMode": "cancel_maker", "autoLoan": false, "ctIsoMode": "automatic",
		"enableSpotBorrow": false, "greeksType": "PA", "feeType": "0", "ip": strings.Join(k.IPs, ","),
		"type": "0", "kycLv": "2", "label": k.Label, "level": "Lv1", "levelTmp": "", "liquidationGear": "-1",
		"mainUid": "44705892343619584", "mgnIsoMode": "automatic", "opAuth": "0", "perm": okxPerm(k),
		"posMode": "net_mode", "roleType": "0", "spotBorrowAutoRepay": false, "spotOffsetType": "",
		"spotRoleType": "0", "spotTraderInsts": []string{}, "stgyType": "0", "traderInsts": []string{},
		"uid": "44705892343619584", "settleCcy": "USDT", "settleCcyList": []string{"USD", "USDC", "USDG"},
	}})
}

// balance answers the Trading account: OKX's unified account holds the
// scenario's spot and futures balances alike, less what open orders and
// positions hold.
func balance(o *okx, w http.ResponseWriter, q *req) {
	type sum struct{ total, free, used string }
	sums := map[string]*sum{}
	for _, wallet := range []core.Kind{core.Spot, core.Perpetual} {
		for _, b := range o.st.Accounts().Balances(q.key, wallet) {
			s := sums[b.Asset]
			if s == nil {
				s = &sum{"0", "0", "0"}
				sums[b.Asset] = s
			}
			s.total, s.free, s.used = exchanges.AddDecimals(s.total, b.Total), exchanges.AddDecimals(s.free, b.Free), exchanges.AddDecimals(s.used, b.Used)
		}
	}
	details := []map[string]string{}
	total := "0"
	now := ms(q.sc.Now())
	for _, ccy := range core.SortedKeys(sums) {
		s := sums[ccy]
		if exchanges.IsZeroDecimal(s.total) {
			continue
		}
		details = append(details, map[string]string{
			"ccy": ccy, "eq": s.total, "cashBal": s.total, "availBal": s.free, "availEq": s.free, "frozenBal": s.used,
			"ordFrozen": s.used, "disEq": s.total, "upl": "0", "eqUsd": s.total, "uTime": now,
		})
		if ccy == "USDT" || ccy == "USDC" {
			total = exchanges.AddDecimals(total, s.total)
		}
	}
	o.ok(w, []map[string]any{{
		"uTime": now, "totalEq": total, "isoEq": "0", "adjEq": "", "imr": "", "mmr": "", "mgnRatio": "",
		"notionalUsd": "", "ordFroz": "", "upl": "0", "details": details,
	}})
}

// funding answers the Funding account, empty: the scenario's balances all
// sit in the Trading account.
func funding(o *okx, w http.ResponseWriter, q *req) { o.ok(w, []map[string]string{}) }

func positions(o *okx, w http.ResponseWriter, q *req) {
	out := []map[string]string{}
	for _, p := range o.st.Accounts().Positions(q.key.Key) {
		m, _ := core.MarketOf(p.Symbol)
		out = append(out, map[string]string{
			"instId": instIDOf(m), "instType": "SWAP", "mgnMode": "cross", "posSide": "net", "pos": toContracts(m, p.Size),
			"avgPx": p.EntryPrice, "markPx": m.Mid, "upl": "0", "lever": strconv.Itoa(core.Leverage), "ccy": m.Settle,
			"uTime": ms(q.sc.Now()),
		})
	}
	o.ok(w, out)
}

// orderReq is OKX's new order, as ccxt and OKX's SDKs send it.
type orderReq struct {
	InstID     string `json:"instId"`
	TdMode     string `json:"tdMode"`
	Side       string `json:"side"`
	OrdType    string `json:"ordType"`
	Sz         string `json:"sz"`
	Px         string `json:"px"`
	ClOrdID    string `json:"clOrdId"`
	Tag        string `json:"tag"`
	PosSide    string `json:"posSide"`
	TgtCcy     string `json:"tgtCcy"`
	ReduceOnly any    `json:"reduceOnly"`
}

// sErr is one order's refusal, in data[].sCode and sMsg.
type sErr struct{ code, msg string }

func (e sErr) Error() string { return e.code + " " + e.msg }

func toRequest(in orderReq) (core.OrderRequest, error) {
	m, ok := marketOf(in.InstID)
	if !ok {
		return core.OrderRequest{}, sErr{"51001", "Instrument ID does not exist."}
	}
	out := core.OrderRequest{Symbol: m.Symbol, ClientID: in.ClOrdID, Price: in.Px, TimeInForce: in.OrdType}
	if out.Side, ok = core.SideOf(in.Side, "buy", "sell"); !ok {
		return out, sErr{"51000", "Parameter side error"}
	}
	switch in.OrdType {
	case "limit", "fok", "ioc":
		out.Type = core.Limit
	case "post_only":
		out.Type, out.PostOnly = core.Limit, true
	case "market":
		out.Type = core.MarketOrd
	default:
		return out, sErr{"51000", "Parameter ordType error"}
	}
	if m.Kind == core.Spot && in.TdMode != "cash" && in.TdMode != "cross" && in.TdMode != "isolated" {
		return out, sErr{"51000", "Parameter tdMode error"}
	}
	if m.Kind == core.Perpetual && in.TdMode != "cross" && in.TdMode != "isolated" {
		return out, sErr{"51000", "Parameter tdMode error"}
	}
	qty, ok := fromContracts(m, in.Sz)
	if !ok {
		return out, sErr{"51000", "Parameter sz error"}
	}
	out.Qty = qty
	out.ReduceOnly = in.ReduceOnly == true || in.ReduceOnly == "true"
	return out, nil
}

// orderErr maps a refusal of core's order book to OKX's sCode.
func orderErr(err error) sErr {
	var se sErr
	if errors.As(err, &se) {
		return se
	}
	var oe *core.OrderError
	if !errors.As(err, &oe) {
		return sErr{"50026", "System error. Try again later"}
	}
	switch oe.Reason {
	case core.ReasonUnknownSymbol:
		return sErr{"51001", "Instrument ID does not exist."}
	case core.ReasonBadPrice, core.ReasonPriceTick:
		return sErr{"51000", "Parameter px error"}
	case core.ReasonBadQty:
		return sErr{"51000", "Parameter sz error"}
	case core.ReasonQtyStep:
		return sErr{"51121", "Order quantity must be a multiple of the lot size."}
	case core.ReasonMinQty, core.ReasonMinNotional:
		return sErr{"51020", "Your order should meet or exceed the minimum order amount."}
	case core.ReasonMaxQty:
		return sErr{"51004", "Order amount exceeds current tier limit."}
	case core.ReasonInsufficient:
		return sErr{"51008", "Order failed. Insufficient USDT balance in account."}
	case core.ReasonDuplicateClientID:
		return sErr{"51016", "Duplicated client order ID."}
	case core.ReasonWouldTake:
		return sErr{"51024", "Post-only order canceled: it would have taken liquidity."}
	default:
		return sErr{"51023", "Too many pending orders."}
	}
}

// placeEach places each order and answers OKX's batch shape: code "0"
// when every order was placed, "1" when none was, "2" when some were.
func (o *okx) placeEach(w http.ResponseWriter, q *req, orders []orderReq) {
	data := []map[string]string{}
	failed := 0
	for _, in := range orders {
		res := map[string]string{"clOrdId": in.ClOrdID, "ordId": "", "tag": in.Tag, "ts": ms(q.sc.Now()), "sCode": "0", "sMsg": "Order placed"}
		r, err := toRequest(in)
		var placed core.Order
		if err == nil {
			placed, err = o.st.Accounts().Place(q.key, r, q.sc.Now())
		}
		if err != nil {
			e := orderErr(err)
			res["sCode"], res["sMsg"] = e.code, e.msg
			failed++
		} else {
			res["ordId"] = strconv.FormatInt(placed.ID, 10)
		}
		data = append(data, res)
	}
	o.batchAnswer(w, data, failed)
}

func (o *okx) batchAnswer(w http.ResponseWriter, data []map[string]string, failed int) {
	code, msg := "0", ""
	switch {
	case failed == len(data):
		code, msg = "1", "All operations failed"
		core.Refuse(w, data[0]["sCode"])
	case failed > 0:
		code, msg = "2", "Bulk operation partially succeeded"
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"code": code, "msg": msg, "data": data, "inTime": "", "outTime": ""})
}

var okxBadBody = okxErr{http.StatusBadRequest, "50002", "JSON syntax error"}

func placeOne(o *okx, w http.ResponseWriter, q *req) {
	var in orderReq
	if json.Unmarshal(q.body, &in) != nil {
		o.fail(w, okxBadBody)
		return
	}
	o.placeEach(w, q, []orderReq{in})
}

func placeBatch(o *okx, w http.ResponseWriter, q *req) {
	var in []orderReq
	if json.Unmarshal(q.body, &in) != nil || len(in) == 0 || len(in) > 20 {
		o.fail(w, okxBadBody)
		return
	}
	o.placeEach(w, q, in)
}

type cancelReq struct {
	InstID  string `json:"instId"`
	OrdID   string `json:"ordId"`
	ClOrdID string `json:"clOrdId"`
}

func (o *okx) cancelEach(w http.ResponseWriter, q *req, list []cancelReq) {
	data := []map[string]string{}
	failed := 0
	for _, c := range list {
		res := map[string]string{"clOrdId": c.ClOrdID, "ordId": c.OrdID, "ts": ms(q.sc.Now()), "sCode": "0", "sMsg": ""}
		m, ok := marketOf(c.InstID)
		id, _ := strconv.ParseInt(c.OrdID, 10, 64)
		var err error = core.ErrNoSuchOrder
		if ok {
			var found core.Order
			if found, err = o.st.Accounts().Find(q.key.Key, id, c.ClOrdID); err == nil && found.Symbol == m.Symbol {
				_, err = o.st.Accounts().Cancel(q.key.Key, found.ID, "", q.sc.Now())
				res["ordId"], res["clOrdId"] = strconv.FormatInt(found.ID, 10), found.ClientID
			} else if err == nil {
				err = core.ErrNoSuchOrder
			}
		}
		if err != nil {
			res["sCode"], res["sMsg"] = "51400", "Order cancellation failed as the order has been filled, canceled or does not exist."
			failed++
		}
		data = append(data, res)
	}
	o.batchAnswer(w, data, failed)
}

func cancelOne(o *okx, w http.ResponseWriter, q *req) {
	var c cancelReq
	if json.Unmarshal(q.body, &c) != nil {
		o.fail(w, okxBadBody)
		return
	}
	o.cancelEach(w, q, []cancelReq{c})
}

func cancelBatch(o *okx, w http.ResponseWriter, q *req) {
	var list []cancelReq
	if json.Unmarshal(q.body, &list) != nil || len(list) == 0 || len(list) > 20 {
		o.fail(w, okxBadBody)
		return
	}
	o.cancelEach(w, q, list)
}

var okxNoOrder = okxErr{http.StatusOK, "51603", "Order does not exist."}

func getOrder(o *okx, w http.ResponseWriter, q *req) {
	m, ok := marketOf(q.q.Get("instId"))
	if !ok {
		o.fail(w, okxNoInstrument)
		return
	}
	id, _ := strconv.ParseInt(q.q.Get("ordId"), 10, 64)
	found, err := o.st.Accounts().Find(q.key.Key, id, q.q.Get("clOrdId"))
	if err != nil || found.Symbol != m.Symbol || (id == 0 && q.q.Get("clOrdId") == "") {
		o.fail(w, okxNoOrder)
		return
	}
	o.ok(w, []map[string]any{renderOrder(found)})
}

func (o *okx) listOrders(w http.ResponseWriter, q *req, openOnly bool) {
	symbol := ""
	if id := q.q.Get("instId"); id != "" {
		m, ok := marketOf(id)
		if !ok {
			o.fail(w, okxNoInstrument)
			return
		}
		symbol = m.Symbol
	}
	out := []map[string]any{}
	list := o.st.Accounts().Orders(q.key.Key, symbol, openOnly)
	for i := len(list) - 1; i >= 0; i-- { // newest first, as OKX lists them
		m, _ := core.MarketOf(list[i].Symbol)
		if t := q.q.Get("instType"); t != "" && t != instTypeOf(m) {
			continue
		}
		if !openOnly && list[i].Status == core.Open {
			continue
		}
		out = append(out, renderOrder(list[i]))
	}
	o.ok(w, out)
}

func pendingOrders(o *okx, w http.ResponseWriter, q *req) { o.listOrders(w, q, true) }
func historyOrders(o *okx, w http.ResponseWriter, q *req) { o.listOrders(w, q, false) }

func renderOrder(x core.Order) map[string]any {
	m, _ := core.MarketOf(x.Symbol)
	state := map[core.OrderStatus]string{core.Open: "live", core.Filled: "filled", core.Canceled: "canceled"}[x.Status]
	ordType := string(x.Type)
	if x.PostOnly {
		ordType = "post_only"
	} else if x.TimeInForce == "fok" || x.TimeInForce == "ioc" {
		ordType = x.TimeInForce
	}
	tdMode, feeCcy := "cash", m.Base
	if m.Kind == core.Perpetual {
		tdMode, feeCcy = "cross", m.Settle
	}
	fillPx, fillTime := "", ""
	if x.Status == core.Filled {
		fillPx, fillTime = x.AvgPrice, ms(x.Updated)
	}
	return map[string]any{
		"accFillSz": toContracts(m, x.Filled), "algoClOrdId": "", "algoId": "", "attachAlgoClOrdId": "", "attachAlgoOrds": []any{},
		"avgPx": x.AvgPrice, "cTime": ms(x.Created), "cancelSource": "", "cancelSourceReason": "", "category": "normal",
		"ccy": "", "clOrdId": x.ClientID, "fee": "0", "feeCcy": feeCcy, "fillPx": fillPx, "fillSz": toContracts(m, x.Filled),
		"fillTime": fillTime, "instId": instIDOf(m), "instType": instTypeOf(m), "isTpLimit": "false", "lever": "",
		"ordId": strconv.FormatInt(x.ID, 10), "ordType": ordType, "pnl": "0", "posSide": "net", "px": x.Price,
		"pxType": "", "pxUsd": "", "pxVol": "", "quickMgnType": "", "rebate": "0", "rebateCcy": m.Quote,
		"reduceOnly": strconv.FormatBool(x.ReduceOnly), "side": string(x.Side), "slOrdPx": "", "slTriggerPx": "",
		"slTriggerPxType": "", "source": "", "state": state, "stpId": "", "stpMode": "cancel_maker",
		"sz": toContracts(m, x.Qty), "tag": "", "tdMode": tdMode, "tgtCcy": "", "tpOrdPx": "", "tpTriggerPx": "",
		"tpTriggerPxType": "", "tradeId": "", "uTime": ms(x.Updated),
	}
}
