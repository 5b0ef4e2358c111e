package bybit

import (
	"testing"

	"github.com/keywarden/keywarden/exchanges"
	"github.com/keywarden/keywarden/exchanges/exchangetest"
)

func adapter() exchanges.Adapter { return exchanges.Adapter{Info: Info, New: New} }

func TestConformanceSpot(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot}})
}

func TestConformanceFuturesAndMargin(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Markets: []exchanges.Market{exchanges.Spot, exchanges.Futures, exchanges.Margin}})
}

func TestConformanceTestnet(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{Environment: exchanges.Testnet, Markets: []exchanges.Market{exchanges.Futures}})
}

func TestConformanceDemo(t *testing.T) {
	exchangetest.Run(t, adapter(), exchangetest.Options{
		Environment: exchanges.Demo,
		Markets:     []exchanges.Market{exchanges.Futures},
		Skip: map[string]string{
			"withdraw_on": "Bybit Demo Trading has no withdrawals and no key-permission endpoint",
		},
	})
}
