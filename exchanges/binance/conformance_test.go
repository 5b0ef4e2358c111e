package binance

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

func TestConformanceTestnet(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{
		Environment: exchanges.Testnet,
		Markets:     []exchanges.Market{exchanges.Spot},
		Skip: map[string]string{
			"withdraw_on": "Binance Spot Testnet has no withdrawals and no API-restrictions endpoint",
		},
	})
}
