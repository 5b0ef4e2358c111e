package gate

import (
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

func adapter() exchanges.Adapter { return exchanges.Adapter{Info: Info, New: New} }

func TestConformanceSpot(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot}})
}

func TestConformanceFutures(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures}})
}

func TestConformanceMargin(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Margin}})
}

// TestNet keys live on their own host, with the same endpoints.
func TestConformanceTestnet(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Environment: exchanges.Testnet, Markets: []exchanges.Market{exchanges.Futures}})
}
