package kucoin

import (
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

func adapter() exchanges.Adapter { return exchanges.Adapter{Info: Info, New: New} }

func TestConformanceSpot(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot}})
}

// Futures read the futures account on the futures host (served by the
// same simulator through the base URL override).
func TestConformanceFutures(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures}})
}

func TestConformanceMargin(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Margin}})
}
