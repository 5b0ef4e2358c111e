// Package all is the explicit list of exchange adapters. Adding an exchange
// is one line here (no init() registration).
package all

import (
	"sort"
	"strings"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/binance"
	"github.com/keywarden/keywarden/exchanges/bingx"
	"github.com/keywarden/keywarden/exchanges/bitget"
	"github.com/keywarden/keywarden/exchanges/bitmex"
	"github.com/keywarden/keywarden/exchanges/bybit"
	"github.com/keywarden/keywarden/exchanges/coinbase"
	"github.com/keywarden/keywarden/exchanges/deribit"
	"github.com/keywarden/keywarden/exchanges/gate"
	"github.com/keywarden/keywarden/exchanges/kraken"
	"github.com/keywarden/keywarden/exchanges/kucoin"
	"github.com/keywarden/keywarden/exchanges/okx"
)

// Adapters lists every exchange, in the spec's order. New is nil for an
// exchange whose network adapter is not written yet.
func Adapters() []exchanges.Adapter {
	return []exchanges.Adapter{
		{Info: binance.Info, New: binance.New},
		{Info: okx.Info},
		{Info: bybit.Info},
		{Info: coinbase.Info},
		{Info: kraken.Info},
		{Info: kucoin.Info},
		{Info: bitget.Info},
		{Info: deribit.Info, New: deribit.New},
		{Info: bingx.Info},
		{Info: gate.Info},
		{Info: bitmex.Info, New: bitmex.New},
	}
}

// Lookup finds an exchange by id.
func Lookup(id string) (exchanges.Adapter, bool) {
	for _, a := range Adapters() {
		if a.Info().ID == id {
			return a, true
		}
	}
	return exchanges.Adapter{}, false
}

// IDs lists the exchange ids, sorted.
func IDs() []string {
	var ids []string
	for _, a := range Adapters() {
		ids = append(ids, a.Info().ID)
	}
	sort.Strings(ids)
	return ids
}

// Known is the list of ids for messages: "binance, bingx, …".
func Known() string { return strings.Join(IDs(), ", ") }
