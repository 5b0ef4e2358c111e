package kucoin

import "github.com/keywarden/keywarden/exchanges/sim/core"

// Exchange is KuCoin's entry in the simulator's registry.
func Exchange() core.Exchange {
	return core.Exchange{ID: "kucoin", New: newKuCoin, Sample: sampleKuCoin}
}
