package core

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Handler is one exchange's simulation: it routes the exchange's paths,
// checks credentials as the exchange does, and writes its answers. It
// reads the scenario from its State once per request.
type Handler interface {
	http.Handler
	// RateLimited writes the exchange's own rate-limit answer.
	RateLimited(w http.ResponseWriter, retryAfter time.Duration)
	// ServerError writes the exchange's own answer for an internal error.
	ServerError(w http.ResponseWriter)
}

// Exchange is one exchange's entry in the simulator's registry.
type Exchange struct {
	// ID is keywarden's exchange id ("binance").
	ID string
	// New builds the exchange's handler over the simulator's state.
	New func(*State) Handler
	// Sample returns fresh, random credentials shaped like the
	// exchange's; permissions and balances are filled by the caller.
	Sample func() Key
}

// Sim is a simulated exchange as an http.Handler: the control endpoint,
// the scenario's faults, then the exchange's handler.
type Sim struct {
	st  *State
	h   Handler
	log *RequestLog

	total atomic.Int64
	// mu serialises scenario changes (read, merge, publish); requests
	// never take it.
	mu sync.Mutex
}

// New builds the simulator of ex for sc.
func New(sc Scenario, ex Exchange) (*Sim, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if sc.Exchange != ex.ID {
		return nil, fmt.Errorf("sim: the scenario is for %q, this simulator is %s", sc.Exchange, ex.ID)
	}
	st := NewState(sc)
	return &Sim{st: st, h: ex.New(st), log: newRequestLog(requestLogSize)}, nil
}

// Scenario returns a copy of the scenario being simulated: the caller may
// change it freely (the one in force is shared by running requests).
func (s *Sim) Scenario() Scenario { return s.st.Scenario().clone() }

// State is the simulator's shared state.
func (s *Sim) State() *State { return s.st }

// Requests is how many requests the exchange has received (the control
// endpoint and the IP echo are not counted).
func (s *Sim) Requests() int { return int(s.total.Load()) }

// Log is the request log.
func (s *Sim) Log() *RequestLog { return s.log }

// SetScenario replaces the scenario from the next request on. A scenario
// that does not validate, or one for another exchange, is refused and the
// old one stays.
func (s *Sim) SetScenario(sc Scenario) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setLocked(sc)
}

func (s *Sim) setLocked(sc Scenario) error {
	if err := sc.Validate(); err != nil {
		return err
	}
	if cur := s.st.Scenario().Exchange; sc.Exchange != cur {
		return fmt.Errorf("scenario: exchange %q cannot replace %q on a running simulator; start another one", sc.Exchange, cur)
	}
	s.st.publish(sc)
	return nil
}

// Patch merges a JSON merge patch into the scenario (see MergeScenario)
// and applies the result from the next request on; on any error the old
// scenario stays.
func (s *Sim) Patch(patch []byte) (Scenario, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, err := MergeScenario(*s.st.Scenario(), patch)
	if err != nil {
		return Scenario{}, err
	}
	if err := s.setLocked(sc); err != nil {
		return Scenario{}, err
	}
	return s.Scenario(), nil
}

// IPPath answers the client IP the scenario pretends to see, as an IP echo
// service would.
const IPPath = "/_sim/ip"

// ServeHTTP answers the control endpoint, applies the scenario's common
// faults, then passes the request to the exchange's handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.control(w, r)
		return
	}
	s.total.Add(1)
	sc, n := s.st.next()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	start := time.Now()
	defer func() { s.log.add(r, rec, start) }()

	if sc.Hang {
		rec.fault = "hang"
		<-r.Context().Done()
		return
	}
	// Latency is split like a network's: half before the exchange sees
	// the request, half after it answered, so its clock reading sits in
	// the middle of the round trip.
	half := sc.Latency.D() / 2
	if !sleep(r.Context(), half) {
		rec.fault = "client gone"
		return
	}
	if half > 0 {
		buf := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
		defer func() {
			if sleep(r.Context(), half) {
				buf.flushTo(w)
			}
		}()
		rec.ResponseWriter = buf
	}
	switch {
	case n <= int64(sc.RateLimitFirst):
		rec.fault = "rate_limited"
		s.h.RateLimited(rec, sc.RetryAfter.D())
	case n <= int64(sc.RateLimitFirst+sc.ServerErrorFirst):
		rec.fault = "server_error"
		s.h.ServerError(rec)
	case sc.Malformed:
		rec.fault = "malformed"
		rec.Header().Set("Content-Type", "application/json")
		_, _ = rec.Write([]byte(`{"oops": [1, 2,`))
	default:
		s.h.ServeHTTP(rec, r)
	}
}

// recorder notes what the exchange answered, for the request log.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	code   string // the exchange's error code, set through Refuse
	fault  string // the scenario's fault that answered instead
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(p)
}

// Refuse notes, for the request log, that the exchange refused the
// request with its error code. Every handler calls it where it writes an
// error answer; a handler that answers an error with HTTP 200 (Bybit,
// Kraken) is logged as refused only through it.
func Refuse(w http.ResponseWriter, code string) {
	if r, ok := w.(*recorder); ok {
		r.code = code
	}
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
