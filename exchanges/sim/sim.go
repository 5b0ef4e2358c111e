package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Handler is one exchange's simulation: it routes the exchange's paths,
// checks credentials as the exchange does, and writes its answers.
type Handler interface {
	http.Handler
	// RateLimited writes the exchange's own rate-limit answer.
	RateLimited(w http.ResponseWriter, retryAfter time.Duration)
	// ServerError writes the exchange's own answer for an internal error.
	ServerError(w http.ResponseWriter)
}

// State is what every handler shares: the scenario and the simulated clock.
type State struct {
	Scenario Scenario
}

// Now is the simulated exchange's clock.
func (s *State) Now() time.Time { return time.Now().Add(s.Scenario.ClockOffset.D()) }

// Key returns the key with the given id in the simulated environment, or
// nil. Keys of other environments are unknown here, as on a real exchange.
func (s *State) Key(id string) *Key {
	for i := range s.Scenario.Keys {
		k := &s.Scenario.Keys[i]
		if k.Key == id && k.Environment == s.Scenario.Environment {
			return k
		}
	}
	return nil
}

// Maintenance reports whether the exchange is in maintenance now.
func (s *State) Maintenance() bool { return s.Scenario.Maintenance == "ongoing" }

// Sim is a simulated exchange as an http.Handler.
type Sim struct {
	state *State
	h     Handler

	mu       sync.Mutex
	requests int
}

// New builds the simulator for sc.
func New(sc Scenario) (*Sim, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	entry, ok := registry()[sc.Exchange]
	if !ok {
		return nil, fmt.Errorf("sim: no simulator for exchange %q (have: %s)", sc.Exchange, strings.Join(Exchanges(), ", "))
	}
	st := &State{Scenario: sc}
	return &Sim{state: st, h: entry.handler(st)}, nil
}

// Scenario returns the scenario being simulated.
func (s *Sim) Scenario() Scenario { return s.state.Scenario }

// Requests is how many requests the simulator has received.
func (s *Sim) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// IPPath answers the client IP the scenario pretends to see, as an IP echo
// service would.
const IPPath = "/_sim/ip"

// ServeHTTP applies the scenario's common faults, then the exchange's
// handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sc := &s.state.Scenario
	if r.URL.Path == IPPath {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(sc.ClientIP + "\n"))
		return
	}
	s.mu.Lock()
	s.requests++
	n := s.requests
	s.mu.Unlock()

	if sc.Hang {
		<-r.Context().Done()
		return
	}
	// Latency is split like a network's: half before the exchange sees
	// the request, half after it answered, so its clock reading sits in
	// the middle of the round trip.
	half := sc.Latency.D() / 2
	if !sleep(r.Context(), half) {
		return
	}
	if half > 0 {
		out := w
		buf := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
		defer func() {
			if sleep(r.Context(), half) {
				buf.flushTo(out)
			}
		}()
		w = buf
	}
	switch {
	case n <= sc.RateLimitFirst:
		s.h.RateLimited(w, sc.RetryAfter.D())
	case n <= sc.RateLimitFirst+sc.ServerErrorFirst:
		s.h.ServerError(w)
	case sc.Malformed:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"oops": [1, 2,`))
	default:
		s.h.ServeHTTP(w, r)
	}
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

// Close stops the server at once; hanging requests are cut off.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return s.srv.Close()
}

// sleep waits d, or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// bufferedWriter holds an answer until the second half of the latency.
type bufferedWriter struct {
	header http.Header
	status int
	body   []byte
}

func (b *bufferedWriter) Header() http.Header    { return b.header }
func (b *bufferedWriter) WriteHeader(status int) { b.status = status }
func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.body = append(b.body, p...)
	return len(p), nil
}

func (b *bufferedWriter) flushTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body)
}
