package deribit

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is Deribit's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "deribit", New: newDeribit, Sample: sampleDeribit}
}
