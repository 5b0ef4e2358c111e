package coinbase

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is Coinbase's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "coinbase", New: newCoinbase, Sample: sampleCoinbase}
}
