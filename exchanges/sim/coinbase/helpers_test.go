package coinbase

import "github.com/keywarden/keywarden/exchanges/sim/core"

// newSim is the simulator of this exchange alone, for handler tests.
func newSim(sc core.Scenario) (*core.Sim, error) { return core.New(sc, Exchange()) }

// sampleKey is a fresh key with read and spot permissions and a balance,
// as sim.SampleKey makes it.
func sampleKey() core.Key {
	k := sampleCoinbase()
	k.Label = "keywarden-sim"
	if k.Permissions == nil {
		k.Permissions = []string{core.PermRead, core.PermSpot}
	}
	k.Balances = map[string]string{"USDT": "1250.50", "BTC": "0.01500000"}
	return k
}
