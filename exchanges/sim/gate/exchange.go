package gate

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is Gate's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "gate", New: newGate, Sample: sampleGate}
}
