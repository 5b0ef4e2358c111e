package okx

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is OKX's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "okx", New: newOKX, Sample: sampleOKX}
}
