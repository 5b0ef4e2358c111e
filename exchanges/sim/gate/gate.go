package gate

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/hex"
	"io"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/keywarden/keywarden/exchanges/sim/core"
)

// gate simulates Gate API v4: every path under /api/v4 on one host (the
// spot time, the account detail and key list, spot and USDT futures
// accounts). Keys of another environment are unknown, as on Gate, whose
// TestNet keys are separate.
//
// A signed request is checked in this order, each failure answered with
// Gate's label, message and HTTP status:
//
//  1. KEY, Timestamp and SIGN present (MISSING_REQUIRED_HEADER, 400);
//  2. Timestamp (unix seconds) within 60 s of the exchange's clock
//     (REQUEST_EXPIRED, 403) — checked before the key, as observed on Gate;
//  3. the key is known in this environment (INVALID_KEY, 401);
//  4. SIGN = hex(HMAC-SHA512(secret, METHOD\npath\nquery\nhex(SHA-512(body))\nTimestamp)),
//     the path including /api/v4 and the query not URL-encoded
//     (INVALID_SIGNATURE, 401);
//  5. the key's IP whitelist (IP_FORBIDDEN, 403, naming the client IP);
//  6. the permission group the endpoint needs (FORBIDDEN, 403).
//
// The key list (/account/main_keys) answers, as Gate's docs show, an
// array of every main-account key of the environment with its key masked
// to the first 12 characters; permission groups are listed only when on,
// each read-only or not, and withdrawals appear as the group "withdraw"
// (the name is an assumption: Gate's documented names include none).
//
// Maintenance: Gate has no status endpoint; every endpoint answers HTTP
// 503 TOO_BUSY while it lasts (the body is an assumption).
type gate struct{ st *core.State }

func newGate(st *core.State) core.Handler { return &gate{st: st} }

func sampleGate() core.Key {
	return core.Key{Key: core.RandomHex(32), Secret: core.RandomHex(64)}
}

// gateWindow is Gate's timestamp tolerance in seconds.
const gateWindow = 60

type gateErr struct {
	status int
	label  string
	msg    string
}

var (
	gtExpired  = gateErr{http.StatusForbidden, "REQUEST_EXPIRED", "gap between request Timestamp and server time exceeds 60"}
	gtNoKey    = gateErr{http.StatusUnauthorized, "INVALID_KEY", "Invalid key provided"}
	gtSign     = gateErr{http.StatusUnauthorized, "INVALID_SIGNATURE", "Signature mismatch"}
	gtNotFound = gateErr{http.StatusNotFound, "NOT_FOUND", "Not found"}
	gtBusy     = gateErr{http.StatusServiceUnavailable, "TOO_BUSY", "Server is too busy, please try again later"}
)

func (h *gate) fail(w http.ResponseWriter, e gateErr) {
	core.Refuse(w, e.label)
	core.WriteJSON(w, e.status, map[string]string{"label": e.label, "message": e.msg})
}

// RateLimited answers HTTP 429 TOO_MANY_REQUESTS with Gate's rate-limit
// headers; X-Gate-RateLimit-Reset-Timestamp is when the limit resets, in
// milliseconds of the exchange's clock. Gate sends no Retry-After.
func (h *gate) RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	w.Header().Set("X-Gate-RateLimit-Limit", "200")
	w.Header().Set("X-Gate-RateLimit-Requests-Remain", "0")
	w.Header().Set("X-Gate-RateLimit-Reset-Timestamp", strconv.FormatInt(h.st.Now().Add(retryAfter).UnixMilli(), 10))
	h.fail(w, gateErr{http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Request Rate limit Exceeded"})
}

func (h *gate) ServerError(w http.ResponseWriter) {
	h.fail(w, gateErr{http.StatusInternalServerError, "SERVER_ERROR", "Internal server error"})
}

func (h *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.st.Maintenance() {
		h.fail(w, gtBusy)
		return
	}
	if r.Method != http.MethodGet {
		h.fail(w, gtNotFound)
		return
	}
	switch r.URL.Path {
	case "/api/v4/spot/time":
		core.WriteJSON(w, http.StatusOK, map[string]int64{"server_time": h.st.Now().UnixMilli()})
	case "/api/v4/account/detail":
		if k, ok := h.auth(w, r, "account"); ok {
			h.detail(w, k)
		}
	case "/api/v4/account/main_keys":
		if k, ok := h.auth(w, r, "account"); ok {
			h.mainKeys(w, k)
		}
	case "/api/v4/spot/accounts":
		if k, ok := h.auth(w, r, "spot"); ok {
			h.spot(w, k)
		}
	case "/api/v4/futures/usdt/accounts":
		if k, ok := h.auth(w, r, "futures"); ok {
			h.futures(w, k)
		}
	default:
		h.fail(w, gtNotFound)
	}
}

// auth checks a signed request as Gate does (see the type's comment);
// group is the permission group the endpoint reads.
func (h *gate) auth(w http.ResponseWriter, r *http.Request, group string) (*core.Key, bool) {
	for _, name := range []string{"KEY", "Timestamp", "SIGN"} {
		if r.Header.Get(name) == "" {
			h.fail(w, gateErr{http.StatusBadRequest, "MISSING_REQUIRED_HEADER", "Missing required header: " + name})
			return nil, false
		}
	}
	tsText := r.Header.Get("Timestamp")
	ts, err := strconv.ParseFloat(tsText, 64)
	if err != nil || math.IsNaN(ts) {
		h.fail(w, gtExpired)
		return nil, false
	}
	now := float64(h.st.Now().UnixNano()) / 1e9
	if math.Abs(now-ts) > gateWindow {
		h.fail(w, gtExpired)
		return nil, false
	}
	k := h.st.Key(r.Header.Get("KEY"))
	if k == nil {
		h.fail(w, gtNoKey)
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		h.fail(w, gtSign)
		return nil, false
	}
	query, err := url.QueryUnescape(r.URL.RawQuery)
	if err != nil {
		query = r.URL.RawQuery
	}
	bodyHash := sha512.Sum512(body)
	want := gateHMAC(k.Secret, r.Method+"\n"+r.URL.Path+"\n"+query+"\n"+hex.EncodeToString(bodyHash[:])+"\n"+tsText)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(r.Header.Get("SIGN")))) {
		h.fail(w, gtSign)
		return nil, false
	}
	if !k.IPAllowed(h.st.Scenario().ClientIP) {
		h.fail(w, gateErr{http.StatusForbidden, "IP_FORBIDDEN", "Request IP not in whitelist: " + h.st.Scenario().ClientIP})
		return nil, false
	}
	if _, ok := gatePerms(k)[group]; !ok {
		h.fail(w, gateErr{http.StatusForbidden, "FORBIDDEN", "Request API key does not have " + group + " permission"})
		return nil, false
	}
	return k, true
}

// gateHMAC is hex(HMAC-SHA512(secret, msg)), Gate's SIGN.
func gateHMAC(secret, msg string) string {
	m := hmac.New(sha512.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// gatePerms maps the key's permissions to Gate's groups, name → read
// only. Read opens the account, spot, futures and wallet groups read-only;
// each trade permission makes its group read and write.
func gatePerms(k *core.Key) map[string]bool {
	p := map[string]bool{}
	if k.Has(core.PermRead) {
		for _, g := range []string{"account", "spot", "futures", "wallet"} {
			p[g] = true
		}
	}
	for perm, group := range map[string]string{
		core.PermSpot: "spot", core.PermMargin: "margin", core.PermFutures: "futures", core.PermTransfer: "wallet", core.PermWithdraw: "withdraw",
	} {
		if k.Has(perm) {
			p[group] = false
		}
	}
	return p
}

func (h *gate) detail(w http.ResponseWriter, k *core.Key) {
	ips := k.IPs
	if ips == nil {
		ips = []string{}
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{
		"user_id": 1667201533, "ip_whitelist": ips, "currency_pairs": []string{},
		"key": map[string]int{"mode": 1}, "tier": 0, "copy_trading_role": 0,
	})
}

func (h *gate) mainKeys(w http.ResponseWriter, _ *core.Key) {
	out := []map[string]any{}
	for i := range h.st.Scenario().Keys {
		k := &h.st.Scenario().Keys[i]
		if k.Environment != h.st.Scenario().Environment {
			continue
		}
		perms := gatePerms(k)
		names := make([]string, 0, len(perms))
		for n := range perms {
			names = append(names, n)
		}
		sort.Strings(names)
		list := []map[string]any{}
		for _, n := range names {
			list = append(list, map[string]any{"name": n, "read_only": perms[n]})
		}
		ips := k.IPs
		if ips == nil {
			ips = []string{}
		}
		masked := k.Key
		if len(masked) > 12 {
			masked = masked[:12] + "*****"
		}
		out = append(out, map[string]any{
			"state": 1, "mode": 1, "name": k.Label, "user_id": 1667201533, "perms": list,
			"ip_whitelist": ips, "currency_pairs": []string{}, "key": masked,
			"created_at": k.Created.Unix(), "update_at": k.Created.Unix(), "last_access": h.st.Now().Unix(),
		})
	}
	core.WriteJSON(w, http.StatusOK, out)
}

func (h *gate) spot(w http.ResponseWriter, k *core.Key) {
	out := []map[string]any{}
	for i, asset := range core.SortedKeys(k.Balances) {
		out = append(out, map[string]any{"currency": asset, "available": k.Balances[asset], "locked": "0", "update_id": i + 1})
	}
	core.WriteJSON(w, http.StatusOK, out)
}

func (h *gate) futures(w http.ResponseWriter, k *core.Key) {
	amt := k.FuturesBalances["USDT"]
	if amt == "" {
		amt = "0"
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{
		"user": 1667201533, "currency": "USDT", "total": amt, "available": amt, "unrealised_pnl": "0",
		"position_margin": "0", "order_margin": "0", "point": "0", "bonus": "0", "in_dual_mode": false,
	})
}
