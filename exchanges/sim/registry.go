package sim

import (
	"sort"

	"github.com/keywarden/keywarden/exchanges/sim/binance"
	"github.com/keywarden/keywarden/exchanges/sim/bingx"
	"github.com/keywarden/keywarden/exchanges/sim/bitget"
	"github.com/keywarden/keywarden/exchanges/sim/bitmex"
	"github.com/keywarden/keywarden/exchanges/sim/bybit"
	"github.com/keywarden/keywarden/exchanges/sim/coinbase"
	"github.com/keywarden/keywarden/exchanges/sim/core"
	"github.com/keywarden/keywarden/exchanges/sim/deribit"
	"github.com/keywarden/keywarden/exchanges/sim/gate"
	"github.com/keywarden/keywarden/exchanges/sim/kraken"
	"github.com/keywarden/keywarden/exchanges/sim/kucoin"
	"github.com/keywarden/keywarden/exchanges/sim/okx"
)

// registry lists the simulated exchanges explicitly (no init()
// registration): a new exchange is a package under exchanges/sim and one
// line here.
func registry() []core.Exchange {
	return []core.Exchange{
		binance.Exchange(),
		bingx.Exchange(),
		bitget.Exchange(),
		bitmex.Exchange(),
		bybit.Exchange(),
		coinbase.Exchange(),
		deribit.Exchange(),
		gate.Exchange(),
		kraken.Exchange(),
		kucoin.Exchange(),
		okx.Exchange(),
	}
}

func lookup(id string) (core.Exchange, bool) {
	for _, e := range registry() {
		if e.ID == id {
			return e, true
		}
	}
	return core.Exchange{}, false
}

// Exchanges lists the exchange ids the simulator can serve.
func Exchanges() []string {
	var ids []string
	for _, e := range registry() {
		ids = append(ids, e.ID)
	}
	sort.Strings(ids)
	return ids
}

// SampleKey returns new random credentials in exchange's format, with
// read and spot permissions and a little balance, or false if the
// exchange is not simulated.
func SampleKey(exchange string) (Key, bool) {
	e, ok := lookup(exchange)
	if !ok {
		return Key{}, false
	}
	k := e.Sample()
	if k.Label == "" {
		k.Label = "keywarden-sim"
	}
	if k.Permissions == nil {
		k.Permissions = []string{PermRead, PermSpot}
	}
	if k.Balances == nil {
		k.Balances = map[string]string{"USDT": "1250.50", "BTC": "0.01500000"}
	}
	return k, true
}

// Default is a scenario with one good key for exchange.
func Default(exchange string) (Scenario, bool) {
	k, ok := SampleKey(exchange)
	if !ok {
		return Scenario{}, false
	}
	sc := Scenario{Exchange: exchange, Keys: []Key{k}}
	return sc, sc.Validate() == nil
}

// RandomAlnum returns n random letters and digits.
func RandomAlnum(n int) string { return core.RandomAlnum(n) }
