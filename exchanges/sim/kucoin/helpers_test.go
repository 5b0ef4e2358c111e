package kucoin

import "github.com/keywarden/keywarden/exchanges/sim/core"

// newSim is the simulator of this exchange alone, for handler tests.
func newSim(sc core.Scenario) (*core.Sim, error) { return core.New(sc, Exchange()) }
