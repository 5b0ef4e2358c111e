package kraken

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Public market data in Kraken's shapes, from core's market model.

// krakenAssets are Kraken's ids for core's assets (and the fiat ones a
// scenario may hold); altname is the id without Kraken's X/Z prefix.
var krakenAssets = map[string]struct{ id, altname string }{
	"BTC":  {"XXBT", "XBT"},
	"ETH":  {"XETH", "ETH"},
	"USDT": {"USDT", "USDT"},
	"USD":  {"ZUSD", "USD"},
	"EUR":  {"ZEUR", "EUR"},
}

// assetID is Kraken's id for an asset of a scenario or of core; names
// Kraken does not rename (and Kraken ids themselves) pass through.
func assetID(a string) string {
	if k, ok := krakenAssets[a]; ok {
		return k.id
	}
	return a
}

// assetDecimals is how many decimals Kraken shows an asset's balance with.
func assetDecimals(id string) int {
	switch id {
	case "XXBT", "XETH":
		return 10
	case "USDT":
		return 8
	case "ZUSD", "ZEUR":
		return 4
	}
	return -1
}

// pair is one of core's spot markets under Kraken's names.
type pair struct {
	m                   core.Market
	id, altname, wsname string
	base, quote         string
}

func pairs() []pair {
	var out []pair
	for _, m := range core.MarketsOf(core.Spot) {
		b, q := krakenAssets[m.Base], krakenAssets[m.Quote]
		id := b.altname + q.altname
		out = append(out, pair{m: m, id: id, altname: id, wsname: b.altname + "/" + q.altname, base: b.id, quote: q.id})
	}
	return out
}

// pairOf finds a pair by Kraken's id, altname or wsname.
func pairOf(name string) (pair, bool) {
	for _, p := range pairs() {
		if name == p.id || name == p.altname || name == p.wsname {
			return p, true
		}
	}
	return pair{}, false
}

// pairOfSymbol finds the pair of core's unified symbol.
func pairOfSymbol(symbol string) pair {
	for _, p := range pairs() {
		if p.m.Symbol == symbol {
			return p
		}
	}
	return pair{}
}

func (h *kraken) time(w http.ResponseWriter, _ *http.Request) {
	now := h.st.Now()
	h.ok(w, map[string]any{"unixtime": now.Unix(), "rfc1123": now.UTC().Format("Mon, 02 Jan 06 15:04:05 -0700")})
}

// assets is GET /0/public/Assets[?asset=a,b].
func (h *kraken) assets(w http.ResponseWriter, r *http.Request) {
	want := splitList(r.URL.Query().Get("asset"))
	out := map[string]any{}
	for _, c := range append(core.Currencies(), core.Currency{Code: "USD", Decimals: 4}) {
		k := krakenAssets[c.Code]
		if len(want) > 0 && !contains(want, k.id) && !contains(want, k.altname) {
			continue
		}
		dec := assetDecimals(k.id)
		out[k.id] = map[string]any{"aclass": "currency", "altname": k.altname, "decimals": dec,
			"display_decimals": min(dec, 5), "collateral_value": 1, "status": "enabled"}
	}
	if len(want) > 0 && len(out) == 0 {
		h.fail(w, http.StatusOK, "EQuery:Unknown asset")
		return
	}
	h.ok(w, out)
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// selectPairs reads the pair parameter (a comma list of ids, altnames or
// wsnames; every pair when empty).
func (h *kraken) selectPairs(w http.ResponseWriter, r *http.Request) ([]pair, bool) {
	names := splitList(r.URL.Query().Get("pair"))
	if len(names) == 0 {
		return pairs(), true
	}
	var out []pair
	for _, n := range names {
		p, ok := pairOf(n)
		if !ok {
			h.fail(w, http.StatusOK, "EQuery:Unknown asset pair")
			return nil, false
		}
		out = append(out, p)
	}
	return out, true
}

// assetPairs is GET /0/public/AssetPairs[?pair=..]; the simulator charges
// no fees, so the fee schedules are one zero tier.
func (h *kraken) assetPairs(w http.ResponseWriter, r *http.Request) {
	ps, ok := h.selectPairs(w, r)
	if !ok {
		return
	}
	out := map[string]any{}
	for _, p := range ps {
		m := p.m
		out[p.id] = map[string]any{
			"altname": p.altname, "wsname": p.wsname, "aclass_base": "currency", "base": p.base,
			"aclass_quote": "currency", "quote": p.quote, "lot": "unit", "cost_decimals": 5,
			"pair_decimals": m.PricePlaces(), "lot_decimals": m.QtyPlaces(), "lot_multiplier": 1,
			"leverage_buy": []int{2, 3}, "leverage_sell": []int{2, 3},
			"fees": [][]json.Number{{"0", "0"}}, "fees_maker": [][]json.Number{{"0", "0"}},
			"fee_volume_currency": "ZUSD", "margin_call": 80, "margin_stop": 40,
			"ordermin": m.MinQty, "costmin": m.MinNotional, "tick_size": m.Tick, "status": "online",
		}
	}
	h.ok(w, out)
}

// ticker is GET /0/public/Ticker[?pair=..]: today's and the last 24
// hours' figures are the same fixed day.
func (h *kraken) ticker(w http.ResponseWriter, r *http.Request) {
	ps, ok := h.selectPairs(w, r)
	if !ok {
		return
	}
	now := h.st.Now()
	out := map[string]any{}
	for _, p := range ps {
		t := p.m.Ticker(now)
		out[p.id] = map[string]any{
			"a": []string{t.Ask, "1", t.AskQty}, "b": []string{t.Bid, "1", t.BidQty},
			"c": []string{t.Last, t.BidQty}, "v": []string{t.Volume, t.Volume}, "p": []string{t.Last, t.Last},
			"t": []int{48213, 48213}, "l": []string{t.Low, t.Low}, "h": []string{t.High, t.High}, "o": t.Open,
		}
	}
	h.ok(w, out)
}

// depth is GET /0/public/Depth?pair=..[&count=N] (at most 500 levels,
// core derives at most 100).
func (h *kraken) depth(w http.ResponseWriter, r *http.Request) {
	p, ok := pairOf(r.URL.Query().Get("pair"))
	if !ok {
		h.fail(w, http.StatusOK, "EQuery:Unknown asset pair")
		return
	}
	count := 100
	if v := r.URL.Query().Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			h.fail(w, http.StatusOK, "EGeneral:Invalid arguments:count")
			return
		}
		count = min(n, 100)
	}
	now := h.st.Now()
	b := p.m.Book(count, now)
	side := func(ls []core.Level) [][]any {
		out := make([][]any, 0, len(ls))
		for i, l := range ls {
			out = append(out, []any{l.Price, l.Qty, now.Add(-time.Duration(i) * time.Second).Unix()})
		}
		return out
	}
	h.ok(w, map[string]any{p.id: map[string]any{"asks": side(b.Asks), "bids": side(b.Bids)}})
}
