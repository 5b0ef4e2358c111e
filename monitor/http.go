package monitor

import (
	"crypto/subtle"
	"io"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/keywarden/keywarden/checks"
	"github.com/keywarden/keywarden/exchanges"
)

// HandlerOptions configure the HTTP endpoints.
type HandlerOptions struct {
	// Token, when set, is required as "Authorization: Bearer TOKEN" on
	// every endpoint but /healthz.
	Token exchanges.Secret
	// WriteStatus writes the status document (the `check --json`
	// document) for the reports; the caller owns its format.
	WriteStatus func(w io.Writer, reports []checks.Report) error
}

// Handler serves /metrics, /healthz (the process is up), /readyz (the
// first round has finished) and /api/v1/status (the last report of every
// profile). Only GET and HEAD are answered.
func (m *Monitor) Handler(o HandlerOptions) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	protected := http.NewServeMux()
	protected.Handle("/metrics", promhttp.HandlerFor(m.metrics.reg, promhttp.HandlerOpts{}))
	protected.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !m.Ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "not ready: the first round of checks has not finished\n")
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	protected.HandleFunc("/api/v1/status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if o.WriteStatus != nil {
			_ = o.WriteStatus(w, m.Reports())
		}
	})
	mux.Handle("/", bearer(o.Token, protected))
	return onlyGet(mux)
}

func onlyGet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "only GET and HEAD", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// bearer requires the token, compared in constant time.
func bearer(token exchanges.Secret, h http.Handler) http.Handler {
	if token.IsZero() {
		return h
	}
	want := []byte("Bearer " + token.Reveal())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(strings.TrimSpace(r.Header.Get("Authorization")))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="keywarden"`)
			http.Error(w, "a bearer token is required (see --token-file)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
