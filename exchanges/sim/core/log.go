package core

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/keywarden/keywarden/internal/textsafe"
)

// requestLogSize bounds the request log: the newest entries are kept.
const requestLogSize = 1000

// Request is one entry of the request log: what a client asked and how
// the simulated exchange answered. It never holds a header, a query
// string or a body, so no secret, signature or token can appear in it.
type Request struct {
	// Seq numbers the requests from 1, so a client can ask for the new
	// ones only (GET /_sim/requests?since=SEQ).
	Seq    int64     `json:"seq"`
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	// Verdict is "accepted", "refused" (with the exchange's Code), or the
	// scenario fault that answered instead: "rate_limited",
	// "server_error", "malformed", "hang", "client gone".
	Verdict string `json:"verdict"`
	Code    string `json:"code,omitempty"`
	Millis  int64  `json:"ms"`
}

// RequestLog is a bounded ring of the newest requests, safe for
// concurrent use.
type RequestLog struct {
	mu   sync.Mutex
	ring []Request
	next int
	seq  int64
}

func newRequestLog(n int) *RequestLog { return &RequestLog{ring: make([]Request, 0, n)} }

func (l *RequestLog) add(r *http.Request, rec *recorder, start time.Time) {
	e := Request{
		Time:   start.UTC(),
		Method: textsafe.Line(r.Method),
		Path:   textsafe.Line(r.URL.Path),
		Status: rec.status,
		Millis: time.Since(start).Milliseconds(),
	}
	switch {
	case rec.fault != "":
		e.Verdict = rec.fault
	case rec.code != "":
		e.Verdict, e.Code = "refused", textsafe.Line(rec.code)
	case rec.status >= 400:
		e.Verdict, e.Code = "refused", strconv.Itoa(rec.status)
	default:
		e.Verdict = "accepted"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	e.Seq = l.seq
	if len(l.ring) < cap(l.ring) {
		l.ring = append(l.ring, e)
		return
	}
	l.ring[l.next] = e
	l.next = (l.next + 1) % len(l.ring)
}

// Since returns the kept requests whose Seq is above seq, oldest first.
func (l *RequestLog) Since(seq int64) []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, 0, len(l.ring))
	for i := range l.ring {
		e := l.ring[(l.next+i)%len(l.ring)]
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out
}
