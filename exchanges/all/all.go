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
		{Info: okx.Info, New: okx.New},
		{Info: bybit.Info, New: bybit.New},
		{Info: coinbase.Info, New: coinbase.New},
		{Info: kraken.Info, New: kraken.New},
		{Info: kucoin.Info, New: kucoin.New},
		{Info: bitget.Info, New: bitget.New},
		{Info: deribit.Info, New: deribit.New},
		{Info: bingx.Info, New: bingx.New},
		{Info: gate.Info, New: gate.New},
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
