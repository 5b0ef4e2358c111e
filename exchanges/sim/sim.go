// Package sim is the exchange simulator: an HTTP server on loopback that
// answers like a real exchange, driven by a Scenario. It verifies API
// keys, signatures, timestamps and receive windows the way each exchange
// does, serves a small fixed market (currencies, markets, tickers, order
// books, balances, orders) in each exchange's own shapes, and answers with
// the exchange's own error bodies and HTTP statuses, so adapters, the
// health check and real trading bots (ccxt) can be tested end to end
// without the internet.
//
// The framework — the scenario model, the state, faults, the control
// endpoint (/_sim/scenario, /_sim/requests), the request log, NTP and the
// market model — is in exchanges/sim/core; each exchange's wire format is
// one package under exchanges/sim/<id>, listed in registry.go. This
// package ties them together and keeps the names callers use (Listen,
// Default, SampleKey, Scenario, Key).
package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// The scenario model, from core.
type (
	// Scenario describes one simulated exchange and what goes wrong with it.
	Scenario = core.Scenario
	// Key is one API key the simulated exchange knows.
	Key = core.Key
	// Duration is a time.Duration written as "3s" in JSON.
	Duration = core.Duration
	// Sim is a simulated exchange as an http.Handler.
	Sim = core.Sim
	// NTPServer answers NTP with the scenario's clock.
	NTPServer = core.NTPServer
)

// Permissions a simulated key can hold, in keywarden's terms.
const (
	PermRead     = core.PermRead
	PermSpot     = core.PermSpot
	PermFutures  = core.PermFutures
	PermMargin   = core.PermMargin
	PermWithdraw = core.PermWithdraw
	PermTransfer = core.PermTransfer
)

// DefaultClientIP is the public IP the simulator pretends to see.
const DefaultClientIP = core.DefaultClientIP

// IPPath answers the client IP the scenario pretends to see.
const IPPath = core.IPPath

// LoadScenario reads a scenario file.
func LoadScenario(path string) (Scenario, error) { return core.LoadScenario(path) }

// ParseScenario parses and checks a scenario.
func ParseScenario(b []byte) (Scenario, error) { return core.ParseScenario(b) }

// New builds the simulator for sc.
func New(sc Scenario) (*Sim, error) {
	ex, ok := lookup(sc.Exchange)
	if !ok {
		return nil, fmt.Errorf("sim: no simulator for exchange %q (have: %s)", sc.Exchange, strings.Join(Exchanges(), ", "))
	}
	return core.New(sc, ex)
}

// ServeNTP answers NTP on addr (loopback only) with a clock offset from
// the real one by offset.
func ServeNTP(addr string, offset time.Duration) (*NTPServer, error) {
	return core.ServeNTP(addr, func() time.Duration { return offset })
}

// Server is a simulator listening on loopback.
type Server struct {
	*Sim
	URL string
	srv *http.Server
	ln  net.Listener
}

// Listen serves sc on addr, which must be a loopback address
// ("127.0.0.1:0" picks a free port).
func Listen(sc Scenario, addr string) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sim: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("sim: address %q is not loopback; the simulator only listens on 127.0.0.1 or ::1", addr)
	}
	s, err := New(sc)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sim: listen: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &Server{Sim: s, URL: "http://" + ln.Addr().String(), srv: srv, ln: ln}, nil
}

// ServeNTP answers NTP on addr (loopback only) with this simulator's
// clock, following the scenario as it changes.
func (s *Server) ServeNTP(addr string) (*NTPServer, error) {
	st := s.State()
	return core.ServeNTP(addr, func() time.Duration { return st.Scenario().ClockOffset.D() })
}

// Close stops the server at once; hanging requests are cut off.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return s.srv.Close()
}
