package binance

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is Binance's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "binance", New: newBinance, Sample: sampleBinance}
}
