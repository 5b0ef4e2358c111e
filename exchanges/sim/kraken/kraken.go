package kraken

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// kraken simulates Kraken spot REST: public GET /0/public/{Time,
// SystemStatus} and private POST /0/private/<method>, answering errors as
// Kraken does, with HTTP 200 and {"error": ["EAPI:Invalid key"]}.
//
// A private request is checked in this order: maintenance
// (EService:Unavailable), POST (EGeneral:Invalid arguments), known method
// (EGeneral:Unknown method), API-Key known in this environment
// (EAPI:Invalid key), key not past its expiration date (EAPI:Invalid key,
// UNCONFIRMED), API-Sign = base64(HMAC-SHA512(base64decode(secret), path +
// SHA256(nonce + body))) over the exact body (EAPI:Invalid signature), nonce
// an unsigned integer higher than the key's last accepted nonce
// (EAPI:Invalid nonce; the simulated keys have no nonce window), IP
// allowlist (EGeneral:Permission denied, UNCONFIRMED: Kraken's string for
// an IP refusal is not documented), permission (EGeneral:Permission
// denied). A request refused for IP or permission still uses up its nonce.
//
// Kraken sends no Retry-After header with "EAPI:Rate limit exceeded", so
// neither does the simulator: the scenario's retry_after is not sent.
type kraken struct {
	st *core.State

	mu       sync.Mutex
	nonce    map[string]uint64    // key → last accepted nonce
	lastUsed map[string]time.Time // key → last accepted request
}

func newKraken(st *core.State) core.Handler {
	return &kraken{st: st, nonce: map[string]uint64{}, lastUsed: map[string]time.Time{}}
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

// krakenPerms translates keywarden's permissions into Kraken's.
var krakenPerms = map[string][]string{
	core.PermRead:     {"query-funds", "query-open-trades", "query-closed-trades", "query-ledger"},
	core.PermSpot:     {"modify-trades", "close-trades"},
	core.PermMargin:   {"modify-trades", "close-trades"},
	core.PermWithdraw: {"withdraw-funds"},
	// Kraken spot keys have no futures or internal-transfer permission.
}

// krakenMethods are the private methods simulated, with the Kraken
// permissions each needs. Order, cancel, withdrawal and transfer methods
// are deliberately absent (EGeneral:Unknown method).
var krakenMethods = map[string][]string{
	"GetApiKeyInfo":     nil,
	"Balance":           {"query-funds"},
	"BalanceEx":         {"query-funds"},
	"OpenOrders":        {"query-open-trades"},
	"ClosedOrders":      {"query-closed-trades"},
	"QueryLedgers":      {"query-ledger"},
	"Ledgers":           {"query-ledger"},
	"WithdrawAddresses": {"query-funds", "withdraw-funds"},
}

func krakenPermissions(k *core.Key) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range k.Permissions {
		for _, kp := range krakenPerms[p] {
			if !seen[kp] {
				seen[kp] = true
				out = append(out, kp)
			}
		}
	}
	return out
}

func krakenHas(k *core.Key, perm string) bool {
	for _, p := range krakenPermissions(k) {
		if p == perm {
			return true
		}
	}
	return false
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

func (h *kraken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/0/public/SystemStatus":
		h.status(w)
		return
	case h.st.Maintenance():
		h.fail(w, http.StatusOK, "EService:Unavailable")
		return
	case r.URL.Path == "/0/public/Time":
		now := h.st.Now()
		h.ok(w, map[string]any{"unixtime": now.Unix(), "rfc1123": now.UTC().Format("Mon, 02 Jan 06 15:04:05 -0700")})
		return
	case strings.HasPrefix(r.URL.Path, "/0/private/"):
		h.private(w, r, strings.TrimPrefix(r.URL.Path, "/0/private/"))
		return
	case strings.HasPrefix(r.URL.Path, "/0/public/"):
		h.fail(w, http.StatusOK, "EGeneral:Unknown method")
		return
	}
	http.NotFound(w, r)
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

func (h *kraken) private(w http.ResponseWriter, r *http.Request, method string) {
	if r.Method != http.MethodPost {
		h.fail(w, http.StatusOK, "EGeneral:Invalid arguments")
		return
	}
	perms, known := krakenMethods[method]
	if !known {
		h.fail(w, http.StatusOK, "EGeneral:Unknown method")
		return
	}
	key := h.st.Key(r.Header.Get("API-Key"))
	if key == nil || (!key.Expires.IsZero() && !h.st.Now().Before(key.Expires)) {
		h.fail(w, http.StatusOK, "EAPI:Invalid key")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		h.fail(w, http.StatusOK, "EGeneral:Invalid arguments")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		h.fail(w, http.StatusOK, "EGeneral:Invalid arguments")
		return
	}
	nonceStr := form.Get("nonce")
	if !verifyKraken(key.Secret, r.URL.Path, nonceStr, string(body), r.Header.Get("API-Sign")) {
		h.fail(w, http.StatusOK, "EAPI:Invalid signature")
		return
	}
	nonce, err := strconv.ParseUint(nonceStr, 10, 64)
	h.mu.Lock()
	if err != nil || nonce <= h.nonce[key.Key] {
		h.mu.Unlock()
		h.fail(w, http.StatusOK, "EAPI:Invalid nonce")
		return
	}
	h.nonce[key.Key] = nonce
	prevUse, used := h.lastUsed[key.Key]
	h.lastUsed[key.Key] = h.st.Now()
	h.mu.Unlock()

	if !key.IPAllowed(h.st.Scenario().ClientIP) {
		h.fail(w, http.StatusOK, "EGeneral:Permission denied")
		return
	}
	for _, p := range perms {
		if !krakenHas(key, p) {
			h.fail(w, http.StatusOK, "EGeneral:Permission denied")
			return
		}
	}
	switch method {
	case "GetApiKeyInfo":
		h.apiKeyInfo(w, key, nonce, prevUse, used)
	case "Balance":
		out := map[string]string{}
		for asset, amt := range key.Balances {
			out[asset] = amt
		}
		h.ok(w, out)
	case "BalanceEx":
		out := map[string]any{}
		for asset, amt := range key.Balances {
			out[asset] = map[string]string{"balance": amt, "hold_trade": "0.0000000000"}
		}
		h.ok(w, out)
	case "OpenOrders":
		h.ok(w, map[string]any{"open": map[string]any{}})
	case "ClosedOrders":
		h.ok(w, map[string]any{"closed": map[string]any{}, "count": 0})
	case "Ledgers":
		h.ok(w, map[string]any{"ledger": map[string]any{}, "count": 0})
	case "QueryLedgers":
		h.ok(w, map[string]any{})
	case "WithdrawAddresses":
		h.ok(w, []any{})
	}
}

// apiKeyInfo answers GetApiKeyInfo: times are unix seconds as strings,
// "0" when unset; an empty ipAllowlist means unrestricted.
func (h *kraken) apiKeyInfo(w http.ResponseWriter, k *core.Key, nonce uint64, prevUse time.Time, used bool) {
	unix := func(t time.Time) string {
		if t.IsZero() {
			return "0"
		}
		return strconv.FormatInt(t.Unix(), 10)
	}
	ips := k.IPs
	if ips == nil {
		ips = []string{}
	}
	var lastUsed any
	if used {
		lastUsed = prevUse.Unix()
	}
	h.ok(w, map[string]any{
		"apiKeyName":   k.Label,
		"apiKey":       k.Key,
		"nonce":        strconv.FormatUint(nonce, 10),
		"nonceWindow":  0,
		"permissions":  krakenPermissions(k),
		"iban":         "AA12 N84G WBIK HYIO",
		"validUntil":   unix(k.Expires),
		"queryFrom":    "0",
		"queryTo":      "0",
		"createdTime":  unix(k.Created),
		"modifiedTime": unix(k.Created),
		"ipAllowlist":  ips,
		"lastUsed":     lastUsed,
	})
}

// verifyKraken checks API-Sign the way Kraken computes it; an
// implementation independent of the adapter's.
func verifyKraken(secret, path, nonce, body, sig string) bool {
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil || sig == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	digest := sha256.Sum256([]byte(nonce + body))
	mac := hmac.New(sha512.New, key)
	mac.Write(append([]byte(path), digest[:]...))
	return hmac.Equal(mac.Sum(nil), got)
}
