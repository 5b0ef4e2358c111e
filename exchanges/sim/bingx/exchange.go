package bingx

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is BingX's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "bingx", New: newBingX, Sample: sampleBingX}
}
