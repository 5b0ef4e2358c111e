package bitget

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is Bitget's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "bitget", New: newBitget, Sample: sampleBitget}
}
