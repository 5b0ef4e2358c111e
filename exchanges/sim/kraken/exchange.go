package kraken

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is Kraken's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "kraken", New: newKraken, Sample: sampleKraken}
}
