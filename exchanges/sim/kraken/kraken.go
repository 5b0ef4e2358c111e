// Package kraken simulates Kraken spot REST: public GET /0/public/<method>
// (Time, SystemStatus, Assets, AssetPairs, Ticker, Depth) and private POST
// /0/private/<method> (key info, balances, orders), answering errors as
// Kraken does, with HTTP 200 and {"error": ["EAPI:Invalid key"]}.
//
// Kraken names assets its own way: core's BTC is XXBT (altname XBT), ETH
// is XETH, USD is ZUSD; USDT keeps its name. The pairs are XBTUSDT and
// ETHUSDT. Balances of other names in a scenario pass through unchanged.
// Kraken spot has no futures, so only core's spot markets are served.
//
// Kraken sends no Retry-After header with "EAPI:Rate limit exceeded", so
// neither does the simulator: the scenario's retry_after is not sent.
package kraken

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

type kraken struct {
	st      *core.State
	public  map[string]func(h *kraken, w http.ResponseWriter, r *http.Request)
	private map[string]method

	mu       sync.Mutex
	nonce    map[string]uint64    // key → last accepted nonce
	lastUsed map[string]time.Time // key → last accepted request
}

func newKraken(st *core.State) core.Handler {
	return &kraken{st: st, public: publicMethods(), private: privateMethods(),
		nonce: map[string]uint64{}, lastUsed: map[string]time.Time{}}
}

// sampleKraken makes credentials shaped like Kraken's: a 56-character
// base64 API Key and an 88-character base64 Private Key (64 bytes).
func sampleKraken() core.Key {
	return core.Key{
		Key:      base64.StdEncoding.EncodeToString(randomBytes(42)),
		Secret:   base64.StdEncoding.EncodeToString(randomBytes(64)),
		Balances: map[string]string{"ZUSD": "1250.5000", "XXBT": "0.0150000000", "DOT.S": "12.3400000000"},
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func (h *kraken) fail(w http.ResponseWriter, status int, msg string) {
	core.Refuse(w, msg)
	core.WriteJSON(w, status, map[string]any{"error": []string{msg}})
}

func (h *kraken) ok(w http.ResponseWriter, result any) {
	core.WriteJSON(w, http.StatusOK, map[string]any{"error": []string{}, "result": result})
}

func (h *kraken) RateLimited(w http.ResponseWriter, _ time.Duration) {
	h.fail(w, http.StatusOK, "EAPI:Rate limit exceeded")
}

func (h *kraken) ServerError(w http.ResponseWriter) {
	h.fail(w, http.StatusInternalServerError, "EGeneral:Internal error")
}

// publicMethods are the public methods simulated.
func publicMethods() map[string]func(h *kraken, w http.ResponseWriter, r *http.Request) {
	return map[string]func(h *kraken, w http.ResponseWriter, r *http.Request){
		"Time":       (*kraken).time,
		"Assets":     (*kraken).assets,
		"AssetPairs": (*kraken).assetPairs,
		"Ticker":     (*kraken).ticker,
		"Depth":      (*kraken).depth,
	}
}

func (h *kraken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/0/public/SystemStatus":
		h.status(w)
	case h.st.Maintenance():
		h.fail(w, http.StatusOK, "EService:Unavailable")
	case strings.HasPrefix(p, "/0/private/"):
		h.servePrivate(w, r, strings.TrimPrefix(p, "/0/private/"))
	case strings.HasPrefix(p, "/0/public/"):
		if f, ok := h.public[strings.TrimPrefix(p, "/0/public/")]; ok {
			f(h, w, r)
			return
		}
		h.fail(w, http.StatusOK, "EGeneral:Unknown method")
	default:
		// Outside the API's /0/ tree Kraken answers 404; the body is
		// the API's own error shape (UNCONFIRMED).
		h.fail(w, http.StatusNotFound, "EGeneral:Unknown method")
	}
}

func (h *kraken) status(w http.ResponseWriter) {
	now := h.st.Now().UTC()
	v := map[string]any{"status": "online", "timestamp": now.Format(time.RFC3339)}
	switch h.st.Scenario().Maintenance {
	case "ongoing":
		v["status"] = "maintenance"
	case "announced":
		// The entries' shape is not documented (UNCONFIRMED); keywarden
		// only counts them.
		v["upcoming_maintenance"] = []map[string]string{{
			"start": now.Add(24 * time.Hour).Format(time.RFC3339), "end": now.Add(26 * time.Hour).Format(time.RFC3339),
			"description": "Scheduled maintenance"}}
	}
	h.ok(w, v)
}
