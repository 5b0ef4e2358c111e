package okx

import (
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

func adapter() exchanges.Adapter { return exchanges.Adapter{Info: Info, New: New} }

func TestConformanceSpot(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot}})
}

// One Trade permission covers every market on OKX; the suite checks that
// futures and margin profiles read it the same way.
func TestConformanceAllMarkets(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin}})
}

func TestConformanceDemo(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Environment: exchanges.Demo, Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures}})
}
