package core

import (
	"sync/atomic"
	"time"
)

// State is what every handler of one running simulator shares: the
// scenario in force and the accounts (orders, fills) of its keys.
//
// The scenario is immutable once published and replaced as a whole
// (PUT, PATCH, a reloaded file), so a handler that reads it once per
// request sees one consistent scenario even while another request swaps
// it. Each published scenario counts its own requests: "the first N
// requests" of a fault means the first N after the scenario was applied,
// so rate_limit_first switched on mid-run limits the next N requests.
type State struct {
	cur      atomic.Pointer[generation]
	accounts *Accounts
}

type generation struct {
	sc *Scenario
	n  atomic.Int64
}

// NewState holds sc, which must have been validated.
func NewState(sc Scenario) *State {
	st := &State{accounts: newAccounts()}
	st.publish(sc)
	return st
}

func (s *State) publish(sc Scenario) {
	s.cur.Store(&generation{sc: &sc})
}

// Scenario is the scenario in force. Callers must not modify it.
func (s *State) Scenario() *Scenario { return s.cur.Load().sc }

// next counts a request against the scenario in force and returns the
// scenario with the request's number under it (1 for the first).
func (s *State) next() (*Scenario, int64) {
	g := s.cur.Load()
	return g.sc, g.n.Add(1)
}

// Now is the simulated exchange's clock.
func (s *State) Now() time.Time { return s.Scenario().Now() }

// Key returns the key with the given id in the simulated environment, or
// nil. Keys of other environments are unknown here, as on a real exchange.
func (s *State) Key(id string) *Key { return s.Scenario().Key(id) }

// Maintenance reports whether the exchange is in maintenance now.
func (s *State) Maintenance() bool { return s.Scenario().InMaintenance() }

// Accounts holds the orders and fills of the simulator's keys.
func (s *State) Accounts() *Accounts { return s.accounts }
