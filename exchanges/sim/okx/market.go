package okx

import (
	"math/big"
	"net/http"
	"strconv"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// OKX's instruments: spot "BTC-USDT", the perpetual "BTC-USDT-SWAP",
// quoted in contracts of ctVal BTC each.

// ctVal is the perpetual's contract size in its base asset.
const ctVal = "0.01"

func instIDOf(m core.Market) string {
	if m.Kind == core.Perpetual {
		return m.Base + "-" + m.Quote + "-SWAP"
	}
	return m.Base + "-" + m.Quote
}

func instTypeOf(m core.Market) string {
	if m.Kind == core.Perpetual {
		return "SWAP"
	}
	return "SPOT"
}

func marketOf(instID string) (core.Market, bool) {
	for _, m := range core.Markets() {
		if instIDOf(m) == instID {
			return m, true
		}
	}
	return core.Market{}, false
}

func rat(s string) *big.Rat {
	r, _ := core.ParseDec(s)
	if r == nil {
		return new(big.Rat)
	}
	return r
}

// toContracts turns an amount in the base asset into OKX's size for m.
func toContracts(m core.Market, qty string) string {
	if m.Kind != core.Perpetual {
		return qty
	}
	return core.TrimDec(new(big.Rat).Quo(rat(qty), rat(ctVal)))
}

// fromContracts turns OKX's size for m into an amount in the base asset;
// false if sz is not a plain decimal.
func fromContracts(m core.Market, sz string) (string, bool) {
	r, ok := core.ParseDec(sz)
	if !ok {
		return "", false
	}
	if m.Kind != core.Perpetual {
		return sz, true
	}
	return core.TrimDec(new(big.Rat).Mul(r, rat(ctVal))), true
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func serverTime(o *okx, w http.ResponseWriter, q *req) {
	o.ok(w, []map[string]string{{"ts": ms(q.sc.Now())}})
}

var okxNoInstrument = okxErr{http.StatusOK, "51001", "Instrument ID does not exist."}

func instrument(m core.Market) map[string]string {
	v := map[string]string{
		"alias": "", "baseCcy": m.Base, "category": "1", "ctMult": "", "ctType": "", "ctVal": "", "ctValCcy": "",
		"expTime": "", "instFamily": "", "instId": instIDOf(m), "instType": instTypeOf(m), "lever": "10",
		"listTime": "1606468572000", "lotSz": m.Step, "maxIcebergSz": "9999999999", "maxLmtAmt": "20000000",
		"maxLmtSz": m.MaxQty, "maxMktAmt": "1000000", "maxMktSz": "1000000", "maxStopSz": "1000000",
		"maxTriggerSz": m.MaxQty, "maxTwapSz": m.MaxQty, "minSz": m.MinQty, "optType": "", "quoteCcy": m.Quote,
		"settleCcy": "", "state": "live", "ruleType": "normal", "stk": "", "tickSz": m.Tick, "uly": "",
	}
	if m.Kind == core.Perpetual {
		v["baseCcy"], v["quoteCcy"], v["settleCcy"] = "", "", m.Settle
		v["ctType"], v["ctVal"], v["ctValCcy"], v["ctMult"] = "linear", ctVal, m.Base, "1"
		v["instFamily"], v["uly"] = m.Base+"-"+m.Quote, m.Base+"-"+m.Quote
		v["lotSz"], v["minSz"] = toContracts(m, m.Step), toContracts(m, m.MinQty)
		v["maxLmtSz"], v["maxTriggerSz"], v["maxTwapSz"] = toContracts(m, m.MaxQty), toContracts(m, m.MaxQty), toContracts(m, m.MaxQty)
		v["lever"] = strconv.Itoa(m.MaxLeverage)
	}
	return v
}

func instruments(o *okx, w http.ResponseWriter, q *req) {
	want := q.q.Get("instType")
	if want == "" {
		o.fail(w, okxErr{http.StatusBadRequest, "50014", "Parameter instType cannot be empty."})
		return
	}
	out := []map[string]string{}
	for _, m := range core.Markets() {
		if instTypeOf(m) == want && (q.q.Get("instId") == "" || q.q.Get("instId") == instIDOf(m)) {
			out = append(out, instrument(m))
		}
	}
	o.ok(w, out)
}

// underlying lists the underlyings of derivatives: the perpetual's only.
func underlying(o *okx, w http.ResponseWriter, q *req) {
	if q.q.Get("instType") == "SWAP" {
		o.ok(w, [][]string{{"BTC-USDT"}})
		return
	}
	o.ok(w, [][]string{{}})
}

func tickerOf(m core.Market, now time.Time) map[string]string {
	t := m.Ticker(now)
	vol, volCcy := t.Volume, t.QuoteVolume
	if m.Kind == core.Perpetual {
		vol, volCcy = toContracts(m, t.Volume), t.Volume
	}
	sod := t.Open
	return map[string]string{
		"instType": instTypeOf(m), "instId": instIDOf(m), "last": t.Last, "lastSz": toContracts(m, t.BidQty),
		"askPx": t.Ask, "askSz": toContracts(m, t.AskQty), "bidPx": t.Bid, "bidSz": toContracts(m, t.BidQty),
		"open24h": t.Open, "high24h": t.High, "low24h": t.Low, "volCcy24h": volCcy, "vol24h": vol,
		"ts": ms(now), "sodUtc0": sod, "sodUtc8": sod,
	}
}

func ticker(o *okx, w http.ResponseWriter, q *req) {
	m, ok := marketOf(q.q.Get("instId"))
	if !ok {
		o.fail(w, okxNoInstrument)
		return
	}
	o.ok(w, []map[string]string{tickerOf(m, q.sc.Now())})
}

func tickers(o *okx, w http.ResponseWriter, q *req) {
	out := []map[string]string{}
	for _, m := range core.Markets() {
		if instTypeOf(m) == q.q.Get("instType") {
			out = append(out, tickerOf(m, q.sc.Now()))
		}
	}
	o.ok(w, out)
}

func books(o *okx, w http.ResponseWriter, q *req) {
	m, ok := marketOf(q.q.Get("instId"))
	if !ok {
		o.fail(w, okxNoInstrument)
		return
	}
	n, _ := strconv.Atoi(q.q.Get("sz"))
	if n <= 0 {
		n = 1
	}
	b := m.Book(n, q.sc.Now())
	levels := func(ls []core.Level) [][]string {
		out := make([][]string, len(ls))
		for i, l := range ls {
			out[i] = []string{l.Price, toContracts(m, l.Qty), "0", strconv.Itoa(i + 1)}
		}
		return out
	}
	o.ok(w, []map[string]any{{"asks": levels(b.Asks), "bids": levels(b.Bids), "ts": ms(b.Time)}})
}

func currencies(o *okx, w http.ResponseWriter, q *req) {
	out := []map[string]any{}
	for _, c := range core.Currencies() {
		out = append(out, map[string]any{
			"canDep": true, "canInternal": true, "canWd": true, "ccy": c.Code, "chain": c.Code + "-" + c.Network,
			"depQuotaFixed": "", "depQuoteDailyLayer2": "", "logoLink": "", "mainNet": true,
			"maxFee": c.WithdrawFee, "maxFeeForCtAddr": "", "maxWd": "10000000", "minDep": c.WithdrawMin,
			"minDepArrivalConfirm": "1", "minFee": c.WithdrawFee, "minFeeForCtAddr": "", "minWd": c.WithdrawMin,
			"minWdUnlockConfirm": "2", "name": c.Name, "needTag": false, "usedDepQuotaFixed": "", "usedWdQuota": "0",
			"wdQuota": "10000000", "wdTickSz": strconv.Itoa(c.Decimals),
		})
	}
	o.ok(w, out)
}
