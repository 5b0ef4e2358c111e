package bitget

import (
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

func adapter() exchanges.Adapter { return exchanges.Adapter{Info: Info, New: New} }

func TestConformanceSpot(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot}})
}

// Futures profiles also read the USDT-M futures account.
func TestConformanceFutures(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures}})
}

func TestConformanceMargin(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Margin}})
}

func TestConformanceDemo(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Environment: exchanges.Demo, Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures}})
}
