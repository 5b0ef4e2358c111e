package bitmex

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is BitMEX's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "bitmex", New: newBitmex, Sample: sampleBitmex}
}
