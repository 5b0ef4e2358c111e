package monitor

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func testLogger(w io.Writer) *slog.Logger {
	if w == nil {
		w = io.Discard
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// received is one request a receiver got.
type received struct {
	Path   string
	Header http.Header
	Body   string
}

// receiver is a local HTTP endpoint that records what it is sent; it can
// fail the first N requests or answer with a redirect.
type receiver struct {
	srv       *httptest.Server
	mu        sync.Mutex
	got       []received
	failFirst int
	status    int    // answer on failure (default 500)
	redirect  string // answer every request with a 302 here
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{status: http.StatusInternalServerError}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{Path: req.URL.Path, Header: req.Header.Clone(), Body: string(b)})
		n, fail, redirect, status := len(r.got), r.failFirst, r.redirect, r.status
		r.mu.Unlock()
		switch {
		case redirect != "":
			http.Redirect(w, req, redirect, http.StatusFound)
		case n <= fail:
			w.WriteHeader(status)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (r *receiver) count() int { return len(r.all()) }
