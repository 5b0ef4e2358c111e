package bitmex

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// Wallets and positions over core's accounts. BitMEX keeps one wallet per
// currency for spot and derivatives, so a currency's wallet adds the
// scenario's spot and futures balances.

// bitmexUnits are BitMEX's wallet currencies for the scenario's assets.
var bitmexUnits = map[string]struct {
	currency string
	scale    int
}{"BTC": {"XBt", 8}, "XBT": {"XBt", 8}, "USDT": {"USDt", 6}, "ETH": {"Gwei", 9}}

// walletOf is, per BitMEX currency, the key's total and free amounts in
// the currency's smallest unit.
func (b *bitmex) walletOf(k *core.Key) (total, free map[string]int64) {
	total, free = map[string]int64{}, map[string]int64{}
	for _, w := range []core.Kind{core.Spot, core.Perpetual} {
		for _, bal := range b.st.Accounts().Balances(k, w) {
			u, ok := bitmexUnits[strings.ToUpper(bal.Asset)]
			if !ok {
				continue
			}
			total[u.currency] += bitmexUnitsOf(bal.Total, u.scale)
			free[u.currency] += bitmexUnitsOf(bal.Free, u.scale)
		}
	}
	return total, free
}

// wallet answers /user/margin and /user/wallet with currency=all (a list)
// or one currency (an object), amounts as integers in BitMEX's units.
func (b *bitmex) wallet(c *call) {
	total, free := b.walletOf(c.k)
	now := b.st.Now().UTC().Format(time.RFC3339)
	row := func(cur string) map[string]any {
		t, f := json.Number(strconv.FormatInt(total[cur], 10)), json.Number(strconv.FormatInt(free[cur], 10))
		held := json.Number(strconv.FormatInt(total[cur]-free[cur], 10))
		if c.r.URL.Path == "/api/v1/user/wallet" {
			return map[string]any{"account": 100000, "currency": cur, "amount": t, "deposited": t, "withdrawn": 0,
				"transferIn": 0, "transferOut": 0, "pendingCredit": 0, "pendingDebit": 0, "confirmedDebit": 0, "timestamp": now}
		}
		return map[string]any{"account": 100000, "currency": cur, "walletBalance": t, "marginBalance": t, "availableMargin": f,
			"withdrawableMargin": f, "initMargin": held, "maintMargin": 0, "unrealisedPnl": 0, "realisedPnl": 0, "timestamp": now}
	}
	cur := c.r.URL.Query().Get("currency")
	if cur == "" || cur == "all" {
		out := []map[string]any{}
		for _, c := range []string{"XBt", "USDt", "Gwei"} {
			out = append(out, row(c))
		}
		b.ok(c.w, out)
		return
	}
	b.ok(c.w, row(cur))
}

// bitmexUnitsOf converts a decimal string into integer units of
// 10^-scale, truncating extra digits.
func bitmexUnitsOf(amt string, scale int) int64 {
	neg := strings.HasPrefix(amt, "-")
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(amt, "-"), ".")
	if len(frac) > scale {
		frac = frac[:scale]
	}
	frac += strings.Repeat("0", scale-len(frac))
	n, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		return 0
	}
	if neg {
		return -n
	}
	return n
}

func (b *bitmex) positions(c *call) {
	out := []map[string]any{}
	for _, p := range b.st.Accounts().Positions(c.k.Key) {
		m, _ := core.MarketOf(p.Symbol)
		out = append(out, map[string]any{"account": 100000, "symbol": bxSymbol(m), "currency": "USDt", "underlying": bxAsset(m.Base),
			"quoteCurrency": m.Quote, "currentQty": toUnits(m, p.Size), "avgEntryPrice": num(p.EntryPrice), "markPrice": num(m.Mid),
			"isOpen": true, "leverage": core.Leverage, "crossMargin": true, "unrealisedPnl": 0, "realisedPnl": 0,
			"timestamp": b.st.Now().UTC().Format("2006-01-02T15:04:05.000Z")})
	}
	b.ok(c.w, out)
}
