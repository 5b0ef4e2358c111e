package bybit

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is Bybit's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "bybit", New: newBybit, Sample: sampleBybit}
}
